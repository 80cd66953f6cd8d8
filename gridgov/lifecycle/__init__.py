"""The lifecycle kernel: one declaration per action, one generic `transition()`.

    CASES = Lifecycle("case", Case, relations=..., make_event=...)

    @CASES.action(CaseAction.ACCEPT, label=_("accepted"), button=_("Accept"), path=1,
                  sources=frozenset({S.SUBMITTED}), targets=frozenset({S.ACCEPTED}),
                  roles=(Role.COMMUNITY_STAFF,), input=NoteInput)
    def accept_case(move: Move, note: str = "") -> None: ...   # the effect

    accept_case(case, acting_user=user, note="")   # lock → guards → role → CAS → effect
                                                   # → event → audit → outbox
Domain-free: models are reached only through their `Lifecycle`. See docs/adr/0010.
"""

from gridgov.lifecycle.errors import IllegalMove, NotAllowed
from gridgov.lifecycle.move import Move, transition
from gridgov.lifecycle.spec import ActionSpec, Lifecycle

__all__ = ["ActionSpec", "IllegalMove", "Lifecycle", "Move", "NotAllowed", "transition"]

"""Every change of a case goes through one function here (style.md §1–6), split by topic as
Zulip splits `zerver/actions/`. Each move is declared once with `@CASES.action(...)` and runs
through the kernel's `transition()` (gridgov/lifecycle): lock, rule guards, the user's role,
compare-and-set on the status, the effect, one `CaseEvent`, one audit row, outbox rows.
Pages, the API, tasks and commands all call these functions.
"""

from gridgov.cases.actions.closure import close_case, rate_case, reopen_case, verify_case
from gridgov.cases.actions.community import (
    accept_case,
    escalate_case,
    handle_locally,
    handle_on_spot,
    merge_case,
    refer_to_mediation,
    reject_case,
    void_case,
)
from gridgov.cases.actions.department import (
    add_progress_note,
    claim_case,
    request_extension,
    resolve_case,
    return_case,
)
from gridgov.cases.actions.intake import create_case, duplicate_candidates, may_create_in
from gridgov.cases.actions.mediation import conclude_mediation
from gridgov.cases.actions.street import (
    dispatch_case,
    grant_extension,
    refuse_extension,
    rule_on_return,
    supervise_case,
)
from gridgov.cases.actions.sweeps import close_unrated, sweep_time_limits
from gridgov.cases.choices import Channel
from gridgov.cases.lifecycle import CASES, CaseAction
from gridgov.lifecycle import IllegalMove, NotAllowed

__all__ = [
    "CASES",
    "CaseAction",
    "Channel",
    "IllegalMove",
    "NotAllowed",
    "accept_case",
    "add_progress_note",
    "claim_case",
    "close_case",
    "close_unrated",
    "conclude_mediation",
    "create_case",
    "dispatch_case",
    "duplicate_candidates",
    "escalate_case",
    "grant_extension",
    "handle_locally",
    "handle_on_spot",
    "may_create_in",
    "merge_case",
    "rate_case",
    "refer_to_mediation",
    "refuse_extension",
    "reject_case",
    "reopen_case",
    "request_extension",
    "resolve_case",
    "return_case",
    "rule_on_return",
    "supervise_case",
    "sweep_time_limits",
    "verify_case",
    "void_case",
]

"""The notice lifecycle on the kernel: draft → scheduled → published → withdrawn."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from rest_framework import serializers

from gridgov.accounts import scope
from gridgov.lifecycle import IllegalMove, Lifecycle
from gridgov.lifecycle.events import event_maker
from gridgov.notices.choices import AUTHOR_ROLES, NoticeStatus
from gridgov.notices.models import Notice, NoticeEvent

if TYPE_CHECKING:
    from gridgov.lifecycle import Move

S = NoticeStatus


class NoticeAction(enum.StrEnum):
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"


def relations(user: Any, notice: Notice) -> dict[str, Any]:
    """The author memberships whose area contains the notice's issuing area."""
    found: dict[str, Any] = {}
    if not getattr(user, "is_authenticated", False):
        return found
    for m in user.active_memberships:
        if m.role in AUTHOR_ROLES and scope.covers(
            (p,) if (p := scope.membership_path(m)) else (), notice.owner_area.path
        ):
            found.setdefault(m.role, m)
    return found


NOTICES = Lifecycle(
    name="notice",
    model=Notice,
    relations=relations,
    make_event=event_maker(NoticeEvent, "notice"),
    lock_related=("owner_area",),
    describe=lambda notice: notice.title,
    status_label=lambda status: str(NoticeStatus(status).label),
    wrong_status=_l("This notice is “%(status)s”: it cannot be %(action)s now."),
    moved_meanwhile=_l("Someone else has just changed this notice. Reload it."),
    not_allowed=_l("You may not do this with this notice."),
)


def has_audience(notice: Notice) -> None:
    if not (notice.for_residents or notice.for_staff):
        raise IllegalMove(_("Choose who the notice is for: residents, staff or both."))
    if not (notice.areas.exists() or notice.buildings.exists()):
        raise IllegalMove(_("Choose at least one area or building to send the notice to."))


class ScheduleInput(serializers.Serializer):
    publish_at = serializers.DateTimeField(label=_l("Publish at"))

    def validate_publish_at(self, value: dt.datetime) -> dt.datetime:
        if value <= timezone.now():
            raise serializers.ValidationError(_("Choose a time in the future."))
        return value


class WithdrawInput(serializers.Serializer):
    reason = serializers.CharField(label=_l("Reason"), max_length=500)


@NOTICES.action(
    NoticeAction.SCHEDULE,
    label=_l("scheduled"),
    button=_l("Schedule publication"),
    path=2,
    sources=frozenset({S.DRAFT}),
    targets=frozenset({S.SCHEDULED}),
    roles=AUTHOR_ROLES,
    guards=(has_audience,),
    input=ScheduleInput,
)
def schedule_notice(move: Move, publish_at: dt.datetime) -> None:
    move.obj.publish_at = publish_at
    move.save("publish_at")
    move.event("scheduled", data={"publish_at": publish_at.isoformat()})


@NOTICES.action(
    NoticeAction.UNSCHEDULE,
    label=_l("taken back to draft"),
    button=_l("Back to draft"),
    rank=1,
    sources=frozenset({S.SCHEDULED}),
    targets=frozenset({S.DRAFT}),
    roles=AUTHOR_ROLES,
)
def unschedule_notice(move: Move) -> None:
    move.obj.publish_at = None
    move.save("publish_at")
    move.event("unscheduled")


@NOTICES.action(
    NoticeAction.PUBLISH,
    label=_l("published"),
    button=_l("Publish now"),
    path=1,
    sources=frozenset({S.DRAFT, S.SCHEDULED}),
    targets=frozenset({S.PUBLISHED}),
    roles=AUTHOR_ROLES,
    guards=(has_audience,),
    system=True,
)
def publish_notice(move: Move) -> None:
    notice = move.obj
    notice.published_at = move.now
    move.save("published_at")
    move.event("published")
    if notice.important:
        from gridgov.inbox.services import message
        from gridgov.notices.audience import audience_user_ids

        topic, payload = message(
            audience_user_ids(notice),
            _("Important notice: %(title)s") % {"title": notice.title},
            f"/notices/{notice.pk}/",
        )
        move.notify(topic, payload)


@NOTICES.action(
    NoticeAction.WITHDRAW,
    label=_l("withdrawn"),
    button=_l("Withdraw"),
    rank=2,
    sources=frozenset({S.PUBLISHED}),
    targets=frozenset({S.WITHDRAWN}),
    roles=AUTHOR_ROLES,
    input=WithdrawInput,
)
def withdraw_notice(move: Move, reason: str) -> None:
    move.obj.withdrawn_at = move.now
    move.save("withdrawn_at")
    move.event("withdrawn", note=reason)


def publish_due(now: dt.datetime | None = None) -> int:
    """The periodic publish: every scheduled notice whose time has come, as the system."""
    now = now or timezone.now()
    done = 0
    due = Notice.objects.filter(status=S.SCHEDULED, publish_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        try:
            publish_notice(Notice(pk=pk), acting_user=None)
        except IllegalMove:
            continue  # moved meanwhile, or its targets were removed: left for its authors
        done += 1
    return done

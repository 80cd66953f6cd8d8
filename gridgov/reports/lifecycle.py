"""The action item's lifecycle: open → done, and back to open if it was closed too early.

Who moves it: the staff who hold the area's monthly meeting (`scope.REPORT_MEETING_ROLES`), and
the item's owner (under the role of their staff membership)."""

from __future__ import annotations

import enum
from typing import Any

from django.utils.translation import gettext_lazy as _l

from gridgov.accounts import scope
from gridgov.lifecycle import Lifecycle
from gridgov.lifecycle.events import event_maker
from gridgov.reports.choices import ActionItemStatus
from gridgov.reports.models import ActionItem, ActionItemEvent


class ItemAction(enum.StrEnum):
    COMPLETE = "complete"
    REOPEN = "reopen"


def relations(user: Any, item: ActionItem) -> dict[str, Any]:
    found = scope.report_meeting_relations(user, item.area.kind, item.area_path)
    if item.owner_id == user.pk:
        for m in user.active_memberships:
            if m.role in scope.REPORTS[scope.Action.VIEW]:
                found.setdefault(m.role, m)
                break
    return found


ITEMS = Lifecycle(
    name="action_item",
    model=ActionItem,
    relations=relations,
    make_event=event_maker(ActionItemEvent, "item"),
    lock_related=("area",),
    describe=lambda item: item.number,
    status_label=lambda status: str(ActionItemStatus(status).label),
    wrong_status=_l("This action item is “%(status)s”: it cannot be %(action)s now."),
    moved_meanwhile=_l("Someone else has just changed this action item. Reload it."),
    not_allowed=_l("You may not do this on this action item."),
)

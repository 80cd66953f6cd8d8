from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.choices import Role


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Who writes, schedules, publishes and withdraws notices, within their membership's area.
AUTHOR_ROLES = (Role.COMMUNITY_STAFF, Role.LEADER)
# Staff who may be in a notice's staff audience (every staff role with an area).
STAFF_READER_ROLES = frozenset(
    {
        Role.GRID_WORKER,
        Role.COMMUNITY_STAFF,
        Role.STREET_DISPATCHER,
        Role.DEPARTMENT_HANDLER,
        Role.MEDIATOR,
        Role.JUDICIAL_OFFICER,
        Role.LEADER,
    }
)

# A notice event's kind in words (the history on the notice page).
EVENT_LABELS = {
    "created": _("Notice written"),
    "scheduled": _("Notice scheduled"),
    "unscheduled": _("Notice taken back to draft"),
    "published": _("Notice published"),
    "withdrawn": _("Notice withdrawn"),
}

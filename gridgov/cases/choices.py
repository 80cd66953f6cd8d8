from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a case stands in the closed loop (domain.md §3)."""

    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    ESCALATED = "escalated", _("Escalated to the street")
    DISPATCHED = "dispatched", _("Dispatched")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved, to verify")
    AWAITING_FEEDBACK = "awaiting_feedback", _("Awaiting feedback")
    IN_MEDIATION = "in_mediation", _("In mediation")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")
    VOIDED = "voided", _("Voided")


OPEN_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.ESCALATED,
        Status.DISPATCHED,
        Status.RETURN_REQUESTED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.AWAITING_FEEDBACK,
        Status.IN_MEDIATION,
    }
)
# States in which the case is still being worked and its step clock runs (in mediation the
# mediation's own month runs instead, ADR 0016).
CLOCKED_STATUSES = frozenset(OPEN_STATUSES - {Status.AWAITING_FEEDBACK, Status.IN_MEDIATION})


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    GRID_WORKER = "grid_worker", _("Grid worker")
    TALK_POINT = "talk_point", _("Talk point")
    RESIDENT_APP = "resident_app", _("Resident app")
    CITY_PLATFORM = "city_platform", _("City platform / API")
    PATROL = "patrol", _("Patrol finding")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class Supervision(models.TextChoices):
    NONE = "none", _("None")
    NORMAL = "normal", _("Supervised")
    YELLOW = "yellow", _("Yellow card")
    RED = "red", _("Red card")


class SlaLevel(models.TextChoices):
    OK = "ok", _("On time")
    YELLOW = "yellow", _("Yellow warning")
    RED = "red", _("Red warning")
    OVERDUE = "overdue", _("Overdue")


class Step(models.TextChoices):
    """The timed steps of a case; each category sets a limit for each."""

    ACCEPT = "accept", _("Accept")
    DISPATCH = "dispatch", _("Dispatch")
    CLAIM = "claim", _("Claim")
    HANDLE = "handle", _("Handle")


class HandlingLevel(models.TextChoices):
    COMMUNITY = "community", _("Community")
    STREET = "street", _("Street")


class Satisfaction(models.IntegerChoices):
    """The government's five levels (好差评), best first."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    BASICALLY_SATISFIED = 3, _("Basically satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged into another case")
    VOIDED = "voided", _("Voided")
    HANDLED_LOCALLY = "handled_locally", _("Handled in the community")
    ESCALATED = "escalated", _("Escalated")
    DISPATCHED = "dispatched", _("Dispatched")
    CLAIMED = "claimed", _("Claimed")
    RETURN_REQUESTED = "return_requested", _("Return requested")
    RETURN_REDISPATCHED = "return_redispatched", _("Return approved, re-dispatched")
    RETURN_FORCED = "return_forced", _("Return refused, sent back")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    EXTENSION_GRANTED = "extension_granted", _("Extension granted")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    PROGRESS_NOTE = "progress_note", _("Progress note")
    RESOLVED = "resolved", _("Resolved")
    VERIFIED = "verified", _("Verified")
    VERIFY_FAILED = "verify_failed", _("Verification failed, rework")
    RATED = "rated", _("Rated")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", _("Closed")
    AUTO_CLOSED = "auto_closed", _("Closed, not evaluated")
    SUPERVISED = "supervised", _("Supervision set")
    REFERRED_TO_MEDIATION = "referred_to_mediation", _("Referred to mediation")
    MEDIATION_CONCLUDED = "mediation_concluded", _("Mediation concluded")
    SLA_CHANGED = "sla_changed", _("Time-limit warning")
    PROBLEM_FLAGGED = "problem_flagged", _("Flagged as a problem case")
    ATTACHMENT_ADDED = "attachment_added", _("Photo added")

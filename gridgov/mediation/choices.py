"""The vocabularies of people's mediation (人民调解, domain.md §5)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MediationStatus(models.TextChoices):
    """registered → accepted → mediating → agreed → closed; or not_accepted / failed (ADR 0016)."""

    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted, awaiting mediation")
    MEDIATING = "mediating", _("In mediation")
    AGREED = "agreed", _("Agreed, under follow-up")
    FAILED = "failed", _("Mediation failed")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    CLOSED = "closed", _("Closed")


# The mediation is under way: the one-month clock runs.
RUNNING_STATUSES = frozenset({MediationStatus.ACCEPTED, MediationStatus.MEDIATING})
OPEN_MEDIATION_STATUSES = frozenset(
    {MediationStatus.REGISTERED, *RUNNING_STATUSES, MediationStatus.AGREED}
)
# Mediation has ended (an outcome the referring case is told about).
CONCLUDED_STATUSES = frozenset(
    {MediationStatus.AGREED, MediationStatus.FAILED, MediationStatus.NOT_ACCEPTED}
)


class Source(models.TextChoices):
    REFERRAL = "referral", _("Referred from a case")
    WRITTEN = "written", _("Written application")
    ORAL = "oral", _("Oral application (recorded by staff)")
    POLICE = "police", _("Referred by the police")
    COURT = "court", _("Referred by a court")
    INITIATIVE = "initiative", _("Committee's own initiative")


class DisputeType(models.TextChoices):
    """The 07 矛盾纠纷 subcategories of the case taxonomy (domain.md §6)."""

    NEIGHBOUR = "neighbour", _("Neighbour dispute")
    FAMILY = "family", _("Family or marriage dispute")
    PROPERTY_MANAGEMENT = "property_management", _("Property management dispute")
    LABOUR = "labour", _("Labour dispute")
    HOUSING_LAND = "housing_land", _("Housing or land dispute")
    CONSUMER = "consumer", _("Consumer dispute")
    OTHER = "other", _("Other dispute")


# The case category codes of the dispute types (a referred case's category gives its type).
CATEGORY_CODES = {
    "0701": DisputeType.NEIGHBOUR,
    "0702": DisputeType.FAMILY,
    "0703": DisputeType.PROPERTY_MANAGEMENT,
    "0704": DisputeType.LABOUR,
    "0705": DisputeType.HOUSING_LAND,
    "0706": DisputeType.CONSUMER,
}


class Level(models.IntegerChoices):
    """三级调解: who mediates at each level."""

    GRID = 1, _("Level 1: grid worker")
    MEDIATOR = 2, _("Level 2: people's mediator")
    JUDICIAL = 3, _("Level 3: judicial office")


class PartySide(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")


class ChosenBy(models.TextChoices):
    COMMITTEE = "committee", _("Assigned by the committee")
    PARTIES = "parties", _("Chosen by the parties")


class AssignmentEnd(models.TextChoices):
    ESCALATED = "escalated", _("Escalated to the next level")
    RECUSED = "recused", _("Recused (回避)")
    REPLACED = "replaced", _("Replaced")
    CONCLUDED = "concluded", _("Mediation ended")


class RightsText(models.TextChoices):
    """Which notice of rights and duties was explained to the parties."""

    SHORT = "short", _("Short oral notice (level 1)")
    STANDARD = "standard", _("人民调解当事人权利义务告知书 (written notice)")


class AgreementKind(models.TextChoices):
    WRITTEN = "written", _("Written agreement (调解协议书)")
    ORAL = "oral", _("Oral agreement (recorded by the mediator)")


class Route(models.TextChoices):
    """The other routes the parties are told about when mediation fails (人民调解法 Art. 26)."""

    ARBITRATION = "arbitration", _("Arbitration")
    ADMINISTRATIVE = "administrative", _("Administrative route")
    LITIGATION = "litigation", _("Litigation")


class FollowUpResult(models.TextChoices):
    PERFORMED = "performed", _("Performed")
    PARTLY = "partly", _("Partly performed")
    NOT_PERFORMED = "not_performed", _("Not performed")


class NextStep(models.TextChoices):
    """After a follow-up that found the agreement not (fully) performed."""

    URGE = "urge", _("Urge performance, follow up again")
    REMEDIATE = "remediate", _("Mediate again (parties consent)")
    ADVISE_SUIT = "advise_suit", _("Advise the parties to sue")


class ConfirmationResult(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed valid")
    REJECTED = "rejected", _("Rejected")


class Warning(models.TextChoices):
    OK = "ok", _("On time")
    YELLOW = "yellow", _("Yellow warning")
    RED = "red", _("Red warning")
    OVERDUE = "overdue", _("Overdue")


WARNING_RANK = {Warning.OK: 0, Warning.YELLOW: 1, Warning.RED: 2, Warning.OVERDUE: 3}


class MediationEventKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    PARTY_ADDED = "party_added", _("Party added")
    REPRESENTATIVE_ADDED = "representative_added", _("Representative added")
    MEDIATOR_ASSIGNED = "mediator_assigned", _("Mediator assigned")
    RECUSED = "recused", _("Mediator recused and replaced")
    ESCALATED = "escalated", _("Moved to the next level")
    SESSION = "session", _("Session recorded")
    RISK_FLAGGED = "risk_flagged", _("Risk of violence flagged")
    EXTENDED = "extended", _("Time limit extended")
    WARNING = "warning", _("Time-limit warning")
    AGREED = "agreed", _("Agreement reached")
    FAILED = "failed", _("Mediation failed")
    FOLLOWED_UP = "followed_up", _("Followed up")
    REMEDIATION = "remediation", _("Mediated again")
    CLOSED = "closed", _("Closed")
    CONFIRMATION_APPLIED = "confirmation_applied", _("Judicial confirmation applied for")
    CONFIRMATION_ACCEPTANCE = "confirmation_acceptance", _("Court decided on acceptance")
    CONFIRMATION_RESULT = "confirmation_result", _("Judicial confirmation result")

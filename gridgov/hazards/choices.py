"""The hazard register's vocabularies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteKind(models.TextChoices):
    EBIKE_CHARGING = "ebike_charging", _("E-bike charging point")
    SMALL_VENUE = "small_venue", _("Small venue (九小场所)")
    RIVER_DAM = "river_dam", _("River dam")
    OLD_WIRING = "old_wiring", _("Old wiring")
    FIRE_ESCAPE = "fire_escape", _("Fire escape")
    OTHER = "other", _("Other site")


class RiskLevel(models.TextChoices):
    """From the least to the most serious; the order is the sort order of the register."""

    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")
    MAJOR = "major", _("Major risk")


RISK_RANK = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3, RiskLevel.MAJOR: 4}


class HazardStatus(models.TextChoices):
    FOUND = "found", _("Found")
    RECTIFYING = "rectifying", _("Being rectified")
    RECTIFIED = "rectified", _("Rectified, awaiting verification")
    VERIFIED = "verified", _("Verified and closed")


OPEN_HAZARD_STATUSES = (HazardStatus.FOUND, HazardStatus.RECTIFYING)


class HazardEventKind(models.TextChoices):
    REPORTED = "reported", _("Reported")
    RECTIFICATION_STARTED = "rectification_started", _("Rectification started")
    RECTIFIED = "rectified", _("Rectified")
    VERIFIED = "verified", _("Verified and closed")
    REWORK = "rework", _("Sent back for rework")
    ESCALATED = "escalated", _("Escalated into a case")
    OVERDUE = "overdue", _("Rectification overdue")
    NOTED = "noted", _("Note added")


class InspectionResult(models.TextChoices):
    OK = "ok", _("No hazard found")
    HAZARD = "hazard", _("Hazard found")

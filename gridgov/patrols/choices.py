from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("On patrol")
    FINISHED = "finished", _("Finished")
    INCOMPLETE = "incomplete", _("Incomplete")


class CheckpointKind(models.TextChoices):
    UNIT = "unit", _("Building unit")
    TALK_POINT = "talk_point", _("Talk point")
    HAZARD_SITE = "hazard_site", _("Hazard site")
    OTHER = "other", _("Other place")


class CheckInMethod(models.TextChoices):
    GPS = "gps", _("Inside the radius (GPS)")
    QR = "qr", _("QR code scanned")
    PHOTO = "photo", _("Photo (poor GPS)")


class DayColour(models.TextChoices):
    GREEN = "green", _("All rounds done")
    AMBER = "amber", _("Partly done")
    RED = "red", _("Not patrolled")
    GREY = "grey", _("Day off")
    NONE = "none", _("Not yet")

"""The reports' vocabularies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly summary")
    MONTHLY = "monthly", _("Monthly analysis")


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class ActionItemEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    COMPLETED = "completed", _("Completed")
    REOPENED = "reopened", _("Reopened")

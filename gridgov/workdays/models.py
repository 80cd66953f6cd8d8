"""The official working-day calendar: weekends, public holidays and swapped working weekends.

Only exceptions to Monday–Friday are stored: a holiday on a weekday, or a working day on a weekend
(调休). `CalendarYear` records which years have official data; a year without it falls back to
Monday–Friday, and the admin and a system check say so. The State Council publishes next year's
schedule each November/December: an administrator enters it here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.core.models import TimeStampedModel


class CalendarYear(TimeStampedModel):
    """A year whose holidays and swapped working days are entered (complete)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("e.g. the State Council notice")
    )

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class DayOverride(TimeStampedModel):
    """A date that breaks the Monday–Friday rule: a holiday, or a swapped working day."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked: a weekend day worked (调休). Unticked: a holiday.")
    )
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("holiday or swapped working day")
        verbose_name_plural = _("holidays and swapped working days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"

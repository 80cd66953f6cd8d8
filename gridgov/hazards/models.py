"""Hazard sites, their inspections, hazards, their photos and events (domain.md §4)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.core.models import TimeStampedModel, VisibleQuerySet
from gridgov.hazards.choices import (
    OPEN_HAZARD_STATUSES,
    HazardEventKind,
    HazardStatus,
    InspectionResult,
    RiskLevel,
    SiteKind,
)

if TYPE_CHECKING:
    from gridgov.accounts.models import User


class ScopedQuerySet(VisibleQuerySet):
    """Sites and hazards are scoped by the path of their grid (`area_path`)."""

    def _visible_to(self, user: User) -> Self:
        return self.filter(scope.under(scope.hazard_paths(user, scope.Action.VIEW), "area_path"))

    def _changeable_by(self, user: User) -> Self:
        return self.filter(scope.under(scope.hazard_paths(user, scope.Action.CHANGE), "area_path"))


class SiteQuerySet(ScopedQuerySet):
    def overdue(self, now: dt.datetime | None = None) -> Self:
        """Active sites whose next inspection is past (never inspected: due at once)."""
        now = now or timezone.now()
        return self.filter(is_active=True).filter(
            models.Q(next_inspection_at__isnull=True) | models.Q(next_inspection_at__lt=now)
        )


class HazardSite(TimeStampedModel):
    """A place inspected again and again: an e-bike charging point, a 九小场所, a river dam."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=20, choices=SiteKind.choices)
    grid = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="hazard_sites", verbose_name=_("grid")
    )
    area_path = models.CharField(max_length=255, editable=False, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Optional position (WGS-84): where a patrol checkpoint at this site is placed by default.
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    responsible_party = models.CharField(_("responsible party"), max_length=100)
    inspection_interval_days = models.PositiveIntegerField(
        _("inspection interval (days)"), default=30
    )
    last_inspected_at = models.DateTimeField(_("last inspected"), null=True, blank=True)
    next_inspection_at = models.DateTimeField(_("next inspection due"), null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard site")
        verbose_name_plural = _("hazard sites")
        ordering = ["next_inspection_at", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.area_path = self.grid.path
        if self.last_inspected_at is not None:
            self.next_inspection_at = self.last_inspected_at + dt.timedelta(
                days=self.inspection_interval_days
            )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "area_path", "next_inspection_at"}
        super().save(*args, **kwargs)

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.is_active and (self.next_inspection_at is None or self.next_inspection_at < now)


class Inspection(models.Model):
    """One inspection of a site (append-only)."""

    site = models.ForeignKey(HazardSite, on_delete=models.CASCADE, related_name="inspections")
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    inspected_at = models.DateTimeField(_("inspected at"), default=timezone.now)
    result = models.CharField(_("result"), max_length=10, choices=InspectionResult.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-inspected_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.site_id} {self.inspected_at:%Y-%m-%d}"


class HazardQuerySet(ScopedQuerySet):
    def open(self) -> Self:
        return self.filter(status__in=OPEN_HAZARD_STATUSES)

    def overdue(self, today: dt.date | None = None) -> Self:
        today = today or timezone.localdate()
        return self.open().filter(deadline__lt=today)


class Hazard(TimeStampedModel):
    """A hazard found at a site or elsewhere: found → rectifying → rectified → verified."""

    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    site = models.ForeignKey(
        HazardSite,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazards",
        verbose_name=_("hazard site"),
    )
    grid = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="hazards", verbose_name=_("grid")
    )
    area_path = models.CharField(max_length=255, editable=False, db_index=True)
    address = models.CharField(_("place"), max_length=200, blank=True)
    # Where the hazard is (WGS-84), inside its grid: from its site, the finder's GPS or picked.
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    responsible_party = models.CharField(_("responsible party"), max_length=100, blank=True)
    deadline = models.DateField(_("rectification deadline"))
    status = models.CharField(
        _("status"), max_length=12, choices=HazardStatus.choices, default=HazardStatus.FOUND
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="hazards"
    )
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)
    rectified_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    objects = HazardQuerySet.as_manager()

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"], name="hazard_status_deadline")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def number(self) -> str:
        return f"YH{self.pk:05d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_HAZARD_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.deadline < (today or timezone.localdate())


def _photo_path(photo: HazardPhoto, filename: str) -> str:
    return f"hazards/{uuid.uuid4().hex}"


class HazardPhoto(models.Model):
    """A photo of the hazard as found, or of the rectification. Served through a scoped view."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path)
    content_type = models.CharField(max_length=50)
    stage = models.CharField(max_length=12, choices=HazardStatus.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.hazard_id} photo {self.pk}"


class HazardEvent(models.Model):
    """Append-only: every change of a hazard (style.md §4)."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=HazardEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_role = models.CharField(max_length=32, blank=True)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.kind}"

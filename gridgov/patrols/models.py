"""Patrol plans, their checkpoints, rounds, check-ins, findings and the encrypted tracks."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.core import crypto
from gridgov.core.models import TimeStampedModel, VisibleQuerySet
from gridgov.patrols.choices import CheckInMethod, CheckpointKind, RoundStatus


def _qr_token() -> str:
    return secrets.token_urlsafe(9)


class PlanQuerySet(VisibleQuerySet):
    def _visible_to(self, user: Any) -> PlanQuerySet:
        from gridgov.patrols import access

        return self.filter(access.plan_condition(user))


class PatrolPlan(TimeStampedModel):
    """A grid worker's standing plan: rounds per working day over a list of checkpoints."""

    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patrol_plans"
    )
    grid = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="patrol_plans")
    rounds_per_day = models.PositiveSmallIntegerField(_("rounds per day"), default=2)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol plan")
        verbose_name_plural = _("patrol plans")
        ordering = ["grid__code", "worker_id"]

    def __str__(self) -> str:
        return f"{self.grid.name} · {self.worker}"

    def covers(self, day: Any) -> bool:
        return (
            self.is_active
            and self.starts_on <= day
            and (self.ends_on is None or day <= self.ends_on)
        )


class CheckpointQuerySet(models.QuerySet["Checkpoint"]):
    def in_force(self, day: Any) -> CheckpointQuerySet:
        """The checkpoints expected on `day`: not retired on or before it."""
        return self.filter(models.Q(retired_on__isnull=True) | models.Q(retired_on__gt=day))


class Checkpoint(models.Model):
    plan = models.ForeignKey(PatrolPlan, on_delete=models.CASCADE, related_name="checkpoints")
    kind = models.CharField(_("kind"), max_length=20, choices=CheckpointKind.choices)
    name = models.CharField(_("name"), max_length=120)
    unit = models.ForeignKey(
        "registry.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the checkpoint is (at most one target, the one its kind names; `checkpoints.py`).
    hazard_site = models.ForeignKey(
        "hazards.HazardSite",
        verbose_name=_("hazard site"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    talk_point = models.ForeignKey(
        "talkpoints.TalkPoint",
        verbose_name=_("talk point"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    radius_m = models.PositiveIntegerField(_("check-in radius (m)"), default=50)
    qr_token = models.CharField(max_length=24, unique=True, default=_qr_token, editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    # Retired from this day on: kept with its check-ins, no longer expected (`planning.py`).
    retired_on = models.DateField(_("retired on"), null=True, blank=True, editable=False)

    objects = CheckpointQuerySet.as_manager()

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        ordering = ["plan_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) | models.Q(kind=CheckpointKind.UNIT),
                name="patrols_checkpoint_unit_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(hazard_site__isnull=True)
                | models.Q(kind=CheckpointKind.HAZARD_SITE),
                name="patrols_checkpoint_site_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(talk_point__isnull=True)
                | models.Q(kind=CheckpointKind.TALK_POINT),
                name="patrols_checkpoint_talk_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RoundQuerySet(VisibleQuerySet):
    def _visible_to(self, user: Any) -> RoundQuerySet:
        from gridgov.patrols import access

        return self.filter(access.round_condition(user))


class Round(TimeStampedModel):
    """One walk of a plan on one day (一日双巡: two a working day by default)."""

    plan = models.ForeignKey(PatrolPlan, on_delete=models.PROTECT, related_name="rounds")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patrol_rounds"
    )
    grid = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, editable=False)
    day = models.DateField(_("day"))
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, default="")
    # Kept after the track itself is purged (the aggregates of the retention rule).
    point_count = models.PositiveIntegerField(default=0)
    distance_m = models.FloatField(default=0)
    last_lat = models.FloatField(null=True, blank=True, editable=False)
    last_lon = models.FloatField(null=True, blank=True, editable=False)
    track_purged = models.BooleanField(default=False)
    idempotency_key = models.CharField(max_length=64, blank=True, default="")
    # The round's check-ins, counted by the check-in action (compliance reads it, no join).
    checked_in = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("patrol round")
        verbose_name_plural = _("patrol rounds")
        ordering = ["-day", "-started_at"]
        indexes = [
            models.Index(fields=["plan", "day"], name="patrols_round_plan_day"),
            models.Index(fields=["area_path", "day"], name="patrols_round_path_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="patrols_round_idempotent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.grid.name} {self.day:%Y-%m-%d} #{self.pk}"


class RoundEvent(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_role = models.CharField(max_length=40, blank=True, default="")
    from_status = models.CharField(max_length=20, blank=True, default="")
    to_status = models.CharField(max_length=20, blank=True, default="")
    note = models.TextField(blank=True, default="")
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.round_id} {self.kind}"


class TrackBatch(models.Model):
    """A batch of track points as the phone sent it, encrypted at rest (PIPL 行踪轨迹)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="batches")
    idempotency_key = models.CharField(max_length=64)
    points_encrypted = models.TextField(editable=False)
    count = models.PositiveIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["first_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "idempotency_key"], name="patrols_batch_idempotent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id} batch {self.idempotency_key}"

    @property
    def points(self) -> list[list[float]]:
        """[[lat, lon, epoch_seconds, accuracy_m], …]"""
        return list(json.loads(crypto.decrypt(self.points_encrypted)))

    @points.setter
    def points(self, value: list[list[float]]) -> None:
        self.points_encrypted = crypto.encrypt(json.dumps(value, separators=(",", ":")))


class CheckIn(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="check_ins")
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=10, choices=CheckInMethod.choices)
    at = models.DateTimeField(_("at"))
    distance_m = models.FloatField(null=True, blank=True)
    # A photo check-in's picture (checked by the media rules of cases); never public.
    photo = models.FileField(upload_to="patrols/checkins/%Y/%m/", blank=True, default="")
    idempotency_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "checkpoint"], name="patrols_checkin_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} @ {self.checkpoint_id}"


class Finding(models.Model):
    """A case reported during a round (channel "patrol")."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="findings")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.round_id} → {self.case_id}"


class HazardFinding(models.Model):
    """A hazard reported during a round, or an open hazard updated (a note + photo event)."""

    class Kind(models.TextChoices):
        FOUND = "found", _("Hazard found")
        UPDATED = "updated", _("Hazard updated")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="hazard_findings")
    hazard = models.ForeignKey("hazards.Hazard", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    idempotency_key = models.CharField(max_length=64, blank=True, default="")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="patrols_hazard_finding_idempotent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id} → {self.hazard_id} ({self.kind})"


class RoundInspection(models.Model):
    """An inspection of a hazard site recorded at its checkpoint during a round."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="inspections")
    inspection = models.OneToOneField(
        "hazards.Inspection", on_delete=models.CASCADE, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="patrols_inspection_idempotent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id} → inspection {self.inspection_id}"


class RoundRecordUpdate(models.Model):
    """A resident e-file change (registry) made by the worker while this round was open.

    Written by the receiver of `gridgov.registry.signals.record_changed` (`efile.py`): the
    registry never imports patrols. `audit_action` is the registry's audit action string."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="record_updates")
    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="+")
    audit_action = models.CharField(max_length=64)
    fields = models.JSONField(default=list, blank=True)  # names of the changed fields only
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["person", "at"], name="patrols_recupd_person_at")]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.audit_action}"


class QuickHazardReport(models.Model):
    """A hazard reported from the one-tap finding page outside a round, under the worker's
    idempotency key: a repeated post (double tap, Back and resubmit) finds the first hazard."""

    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField(max_length=64)
    hazard = models.OneToOneField("hazards.Hazard", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "idempotency_key"], name="patrols_quick_hazard_idempotent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.worker_id} {self.idempotency_key} → {self.hazard_id}"

"""Analytics tables: the site's metric settings and the case rollups (ADR 0019).

`CaseRollup` holds additive counters per local day × area (grid, or community when the case
has no grid) × category × channel × department. `HandlingTimeRollup` holds the handling-time
histogram (whole hours) with the same dimensions, which is what the median needs.
`CommunityRollup` and `CommunityHoursRollup` are the same sums at day × community (× category),
for the cuts that need nothing finer (metrics.py picks the table). Both are
maintained from `CaseEvent` rows in the event's own transaction (`rollups.on_case_event`), once
per event thanks to the per-case watermark `CaseTally`, and rebuilt by `gridgov rebuild-rollups`.

Dimension columns are plain integers, 0 meaning "none" (no category, no department), so that the
unique key has no NULLs and upserts work on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The counters of CaseRollup, in column order (see ADR 0019 for what each counts and on which day).
COUNTERS: tuple[str, ...] = (
    "created",
    "dispatched",
    "claimed",
    "claimed_on_time",
    "returned",
    "closed",
    "closed_direct",
    "due_closed",
    "due_closed_on_time",
    "reopened",
    "verify_failed",
    "discarded",
    "rated",
    "rated_by_proxy",
    "solved",
    "sat_5",
    "sat_4",
    "sat_3",
    "sat_2",
    "sat_1",
)
DIMENSIONS: tuple[str, ...] = ("day", "area_id", "category_id", "channel", "department_id")


class MetricSettings(models.Model):
    """The site's choices for the metrics (one row, pk=1; the system administrator edits it in
    the admin, and every change is audited)."""

    basic_counts_as_satisfied = models.BooleanField(
        _("count 基本满意 (basically satisfied) as satisfied"),
        default=True,
        help_text=_("Whether the satisfaction rate counts 基本满意 with 非常满意 and 满意."),
    )
    weight_response = models.PositiveSmallIntegerField(
        _("weight of the response rate"), default=30, validators=[MaxValueValidator(100)]
    )
    weight_resolution = models.PositiveSmallIntegerField(
        _("weight of the resolution rate"), default=35, validators=[MaxValueValidator(100)]
    )
    weight_satisfaction = models.PositiveSmallIntegerField(
        _("weight of the satisfaction rate"), default=35, validators=[MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("metric settings")
        verbose_name_plural = _("metric settings")

    def __str__(self) -> str:
        return str(_("Metric settings"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.weight_response + self.weight_resolution + self.weight_satisfaction != 100:
            raise ValidationError(_("The three weights must add up to 100."))

    @classmethod
    def current(cls) -> MetricSettings:
        row = cls.objects.filter(pk=1).first()
        return row if row is not None else cls(pk=1)

    @property
    def weights(self) -> tuple[Decimal, Decimal, Decimal]:
        return (
            Decimal(self.weight_response),
            Decimal(self.weight_resolution),
            Decimal(self.weight_satisfaction),
        )


def _counter() -> models.IntegerField:
    return models.IntegerField(default=0)


class CaseRollup(models.Model):
    day = models.DateField()
    area_id = models.IntegerField()
    area_path = models.CharField(max_length=255)
    category_id = models.IntegerField()
    channel = models.CharField(max_length=16)
    department_id = models.IntegerField()
    created = _counter()
    dispatched = _counter()
    claimed = _counter()
    claimed_on_time = _counter()
    returned = _counter()
    closed = _counter()
    closed_direct = _counter()
    due_closed = _counter()
    due_closed_on_time = _counter()
    reopened = _counter()
    verify_failed = _counter()
    discarded = _counter()
    rated = _counter()
    rated_by_proxy = _counter()
    solved = _counter()
    sat_5 = _counter()
    sat_4 = _counter()
    sat_3 = _counter()
    sat_2 = _counter()
    sat_1 = _counter()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=list(DIMENSIONS), name="rollup_case_key"),
        ]
        indexes = [
            models.Index(
                fields=["area_path", "day"],
                name="rollup_case_path_day",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["day", "area_path"], name="rollup_case_day_path"),
            models.Index(fields=["category_id", "day"], name="rollup_case_cat_day"),
            models.Index(fields=["department_id", "day"], name="rollup_case_dept_day"),
            models.Index(fields=["channel", "day"], name="rollup_case_channel_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.area_path} {self.category_id} {self.channel}"


class HandlingTimeRollup(models.Model):
    """How many cases closed that day took `hours` whole hours from submission to their last
    result (the histogram the median handling time is read from)."""

    day = models.DateField()
    area_id = models.IntegerField()
    area_path = models.CharField(max_length=255)
    category_id = models.IntegerField()
    channel = models.CharField(max_length=16)
    department_id = models.IntegerField()
    hours = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=[*DIMENSIONS, "hours"], name="rollup_hours_key"),
        ]
        indexes = [
            models.Index(
                fields=["area_path", "day"],
                name="rollup_hours_path_day",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["day", "area_path"], name="rollup_hours_day_path"),
            models.Index(fields=["category_id", "day"], name="rollup_hours_cat_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.area_path} {self.hours}h×{self.count}"


class CommunityRollup(models.Model):
    """CaseRollup summed over grids, channels and departments: day × community × category.
    What figures for a community, street or the city without a channel or department cut read
    (a month of a city is a few thousand rows instead of hundreds of thousands)."""

    day = models.DateField()
    area_path = models.CharField(max_length=255)  # the community's path
    category_id = models.IntegerField()
    created = _counter()
    dispatched = _counter()
    claimed = _counter()
    claimed_on_time = _counter()
    returned = _counter()
    closed = _counter()
    closed_direct = _counter()
    due_closed = _counter()
    due_closed_on_time = _counter()
    reopened = _counter()
    verify_failed = _counter()
    discarded = _counter()
    rated = _counter()
    rated_by_proxy = _counter()
    solved = _counter()
    sat_5 = _counter()
    sat_4 = _counter()
    sat_3 = _counter()
    sat_2 = _counter()
    sat_1 = _counter()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "area_path", "category_id"], name="rollup_community_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["area_path", "day"],
                name="rollup_comm_path_day",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["category_id", "day"], name="rollup_comm_cat_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.area_path} {self.category_id}"


class CommunityHoursRollup(models.Model):
    """HandlingTimeRollup summed over grids, categories, channels and departments."""

    day = models.DateField()
    area_path = models.CharField(max_length=255)  # the community's path
    hours = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "area_path", "hours"], name="rollup_comm_hours_key"
            ),
        ]
        indexes = [
            models.Index(fields=["day", "area_path"], name="rollup_commh_day_path"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.area_path} {self.hours}h×{self.count}"


class CaseTally(models.Model):
    """Per case: the last event applied to the rollups (the watermark that makes applying an
    event idempotent) and the replay state the next event needs (`tally.State`)."""

    case_id = models.BigIntegerField(primary_key=True)
    last_event_id = models.BigIntegerField(default=0)
    state = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.case_id}@{self.last_event_id}"

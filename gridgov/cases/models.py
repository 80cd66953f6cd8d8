"""Cases (诉求/事件) and their history: the closed loop of domain.md §3.

Nothing here changes a case's status: `gridgov.cases.actions` does, through the action specs
and the kernel's `transition()` (gridgov/lifecycle), and writes one `CaseEvent` per move.
Reports read the events.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.cases.choices import (
    OPEN_STATUSES,
    Channel,
    EventKind,
    HandlingLevel,
    Satisfaction,
    SlaLevel,
    Status,
    Step,
    Supervision,
    Urgency,
)
from gridgov.core import crypto
from gridgov.core.masking import mask_name, mask_phone
from gridgov.core.models import TimeStampedModel, VisibleQuerySet
from gridgov.workdays.calendar import LimitUnit

if TYPE_CHECKING:
    from gridgov.accounts.models import User

OPEN_STATUS_VALUES = frozenset(str(s) for s in OPEN_STATUSES)


def open_for_due_index() -> Any:
    """`status IN (the open statuses)` worded as the partial index `case_open_handle_due` words
    it. SQLite uses a partial index only when the query repeats its condition literally; a list
    of bound parameters does not match, and the count walks the whole case table (at 1,000,000
    cases: 0.47 s against 0.9 ms). Other databases take the plain condition."""
    if connection.vendor != "sqlite":
        return Q(status__in=sorted(OPEN_STATUS_VALUES))
    listed = ", ".join(f"'{value}'" for value in sorted(OPEN_STATUS_VALUES))
    return RawSQL(f'"cases_case"."status" IN ({listed})', (), output_field=models.BooleanField())  # noqa: S611 (the code's own constants)


SLA_RANK: dict[str, int] = {
    SlaLevel.OVERDUE: 0,
    SlaLevel.RED: 1,
    SlaLevel.YELLOW: 2,
    SlaLevel.OK: 3,
}


def _limit(verbose_name: Any, default: float) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=6,
        decimal_places=1,
        default=default,
        validators=[MinValueValidator(0)],
    )


def _unit(verbose_name: Any, default: str) -> models.CharField:
    return models.CharField(verbose_name, max_length=16, choices=LimitUnit.choices, default=default)


class CategoryQuerySet(models.QuerySet):
    def active(self) -> Self:
        return self.filter(is_active=True)


class Category(TimeStampedModel):
    """A two-level category with a stable code (§6), and per subcategory its handling defaults
    and time limits per step. Level-1 rows group subcategories; cases use subcategories."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    standard_ref = models.CharField(
        _("standard reference"),
        max_length=60,
        blank=True,
        help_text=_("The standard or local list this code comes from, with its version."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    default_level = models.CharField(
        _("default handling level"),
        max_length=16,
        choices=HandlingLevel.choices,
        default=HandlingLevel.STREET,
    )
    default_department = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("default department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accept_limit = _limit(_("accept limit"), 4)
    accept_unit = _unit(_("accept limit unit"), LimitUnit.WORKING_HOURS)
    dispatch_limit = _limit(_("dispatch limit"), 4)
    dispatch_unit = _unit(_("dispatch limit unit"), LimitUnit.WORKING_HOURS)
    claim_limit = _limit(_("claim limit"), 24)
    claim_unit = _unit(_("claim limit unit"), LimitUnit.HOURS)
    handle_limit = _limit(_("handling limit"), 7)
    handle_unit = _unit(_("handling limit unit"), LimitUnit.WORKING_DAYS)
    yellow_percent = models.PositiveSmallIntegerField(
        _("yellow warning threshold (percent of the limit)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    red_percent = models.PositiveSmallIntegerField(
        _("red warning threshold (percent of the limit)"),
        default=85,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def limit(self, step: str) -> tuple[float, str]:
        return float(getattr(self, f"{step}_limit")), getattr(self, f"{step}_unit")


class CaseQuerySet(VisibleQuerySet):
    def _visible_to(self, user: User) -> Self:
        return self.filter(scope.case_condition(user, scope.Action.VIEW))

    def _changeable_by(self, user: User) -> Self:
        """Cases the user has a relation to (`scope.case_relations`): some move may be theirs."""
        return self.filter(scope.case_condition(user, scope.Action.CHANGE))

    def open(self) -> Self:
        from gridgov.cases.choices import OPEN_STATUSES

        return self.filter(status__in=OPEN_STATUSES)


class Case(TimeStampedModel):
    """A resident's or a worker's report, followed from submission to closure."""

    number = models.CharField(_("case number"), max_length=40, unique=True, editable=False)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), max_length=5000)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    building = models.ForeignKey(
        "registry.Building",
        verbose_name=_("building"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    community = models.ForeignKey(
        "geo.Area", verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        "geo.Area",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    # The grid when known, else the community: what area scoping filters on. Its path is copied
    # here so that scoping a list is one indexed prefix match, without a join.
    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, editable=False)
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NORMAL
    )
    reporter_user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("reporter account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_cases",
    )
    reporter_name = models.CharField(_("reporter name"), max_length=50, blank=True)
    reporter_phone_encrypted = models.TextField(blank=True, default="", editable=False)
    confidential = models.BooleanField(
        _("keep reporter identity confidential"),
        default=False,
        help_text=_("Staff below the community do not see who reported it."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.SUBMITTED,
        editable=False,
    )
    owner = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("current owner"),
        on_delete=models.PROTECT,
        related_name="owned_cases",
        editable=False,
    )
    department = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="department_cases",
        editable=False,
    )
    handling_org = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
        editable=False,
    )
    step = models.CharField(max_length=16, choices=Step.choices, blank=True, editable=False)
    step_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    step_due_at = models.DateTimeField(_("due"), null=True, blank=True, editable=False)
    handle_due_at = models.DateTimeField(_("handling due"), null=True, blank=True, editable=False)
    sla_level = models.CharField(
        _("time-limit state"),
        max_length=8,
        choices=SlaLevel.choices,
        default=SlaLevel.OK,
        editable=False,
    )
    # Derived from sla_level (overdue 0, red 1, yellow 2, on time 3) so that "overdue first"
    # lists sort on an index.
    sla_rank = models.PositiveSmallIntegerField(default=3, editable=False)
    supervision = models.CharField(
        _("supervision"),
        max_length=8,
        choices=Supervision.choices,
        default=Supervision.NONE,
        editable=False,
    )
    rework_count = models.PositiveSmallIntegerField(_("reworks"), default=0, editable=False)
    departments_tried = models.JSONField(default=list, editable=False)
    is_problem = models.BooleanField(_("problem case"), default=False, editable=False)
    extension_requested_until = models.DateTimeField(null=True, blank=True, editable=False)
    extension_reason = models.CharField(max_length=500, blank=True, editable=False)
    return_from_status = models.CharField(max_length=20, blank=True, editable=False)
    mediation_referred_at = models.DateTimeField(null=True, blank=True, editable=False)
    result = models.TextField(_("result"), blank=True, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True, editable=False)
    solved = models.BooleanField(_("solved"), null=True, editable=False)
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction"), choices=Satisfaction.choices, null=True, editable=False
    )
    rating_comment = models.CharField(max_length=500, blank=True, editable=False)
    rated_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+", editable=False
    )
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    # Given to an anonymous reporter to follow the case without an account.
    tracking_code = models.CharField(max_length=16, blank=True, editable=False)

    objects = CaseQuerySet.as_manager()

    ROTATED_FIELDS = ("reporter_phone_encrypted",)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="case_status_created"),
            models.Index(fields=["owner", "status"], name="case_owner_status"),
            models.Index(fields=["department", "status"], name="case_dept_status"),
            models.Index(fields=["area", "status"], name="case_area_status"),
            models.Index(
                fields=["area_path"], name="case_area_path", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["grid", "status"], name="case_grid_status"),
            models.Index(fields=["category", "created_at"], name="case_category_created"),
            models.Index(fields=["channel", "created_at"], name="case_channel_created"),
            models.Index(fields=["sla_level", "step_due_at"], name="case_sla_due"),
            models.Index(fields=["sla_rank", "step_due_at", "id"], name="case_attention"),
            models.Index(fields=["supervision", "sla_rank", "step_due_at"], name="case_supervised"),
            models.Index(fields=["reporter_user", "created_at"], name="case_reporter"),
            models.Index(fields=["lon", "lat"], name="case_lonlat"),
            models.Index(fields=["created_at"], name="case_created"),
            # Analytics: open cases past their handling deadline (ADR 0019).
            models.Index(
                fields=["handle_due_at", "area_path"],
                name="case_open_handle_due",
                condition=Q(status__in=sorted(OPEN_STATUS_VALUES)),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="case_idempotency_unique",
            ),
            models.UniqueConstraint(
                fields=["tracking_code"],
                condition=~Q(tracking_code=""),
                name="case_tracking_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sla_rank = SLA_RANK[self.sla_level]
        fields = kwargs.get("update_fields")
        if fields is not None and "sla_level" in fields:
            kwargs["update_fields"] = {*fields, "sla_rank"}
        super().save(*args, **kwargs)

    def rotate_keys(self) -> None:
        self.reporter_phone = self.reporter_phone

    @property
    def reporter_phone(self) -> str:
        return crypto.decrypt(self.reporter_phone_encrypted)

    @reporter_phone.setter
    def reporter_phone(self, value: str) -> None:
        self.reporter_phone_encrypted = crypto.encrypt((value or "").strip())

    @property
    def masked_reporter(self) -> str:
        name = self.reporter_name or (str(self.reporter_user) if self.reporter_user_id else "")
        phone = mask_phone(self.reporter_phone) if self.reporter_phone_encrypted else ""
        return " ".join(part for part in (mask_name(name), phone) if part)

    @property
    def is_open(self) -> bool:
        from gridgov.cases.choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES


class CaseEvent(models.Model):
    """One move or note in a case's history: who, in which role, when, from/to, note, data.

    Append-only: written by actions in the same transaction as the change, never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    actor_role = models.CharField(_("role"), max_length=32, blank=True)
    actor_org = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="event_case_created"),
            models.Index(fields=["kind", "created_at"], name="event_kind_created"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


def _attachment_path(instance: Any, filename: str) -> str:
    # Unguessable names; files are served only through a permission-checked view.
    return f"cases/{uuid.uuid4().hex}"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    RESULT_PHOTO = "result_photo", _("Result photo")
    VOICE = "voice", _("Voice message")


class MediaState(models.TextChoices):
    PENDING = "pending", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Processing failed")


class AttachmentQuerySet(VisibleQuerySet):
    def _visible_to(self, user: User) -> Self:
        return self.filter(case__in=Case.objects.visible_to(user))


class CaseAttachment(models.Model):
    """A photo of the problem or of the result, or a voice message.

    The original upload is kept as evidence and never shown. Processing (a background task) makes
    the derivatives people see: for photos an upright, EXIF-free display copy and a thumbnail; for
    voice a copy every browser plays (AAC in MP4). A failed item says so and can be retried; the
    case itself was saved before processing began.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(upload_to=_attachment_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True)
    height = models.PositiveIntegerField(null=True)
    duration = models.FloatField(null=True)
    gps_lat = models.FloatField(null=True)
    gps_lon = models.FloatField(null=True)
    state = models.CharField(max_length=8, choices=MediaState.choices, default=MediaState.PENDING)
    error = models.CharField(max_length=300, blank=True)
    # When processing was last queued, and how many times the sweep queued it again after a
    # worker died (see processing.sweep_stuck_attachments).
    queued_at = models.DateTimeField(null=True, default=timezone.now)
    tries = models.PositiveSmallIntegerField(default=0)
    display = models.FileField(upload_to=_attachment_path, blank=True)
    thumbnail = models.FileField(upload_to=_attachment_path, blank=True)
    transcript = models.TextField(
        blank=True, help_text=_("Speech-to-text of a voice message (filled by transcription).")
    )
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.pk}"

    @property
    def is_stuck(self) -> bool:
        """Pending for longer than ATTACHMENT_STUCK_MINUTES: its worker probably died."""
        limit = dt.timedelta(minutes=settings.ATTACHMENT_STUCK_MINUTES)
        since = self.queued_at or self.created_at
        return self.state == MediaState.PENDING and since < timezone.now() - limit

    @property
    def is_voice(self) -> bool:
        return self.kind == AttachmentKind.VOICE


class CaseSequence(models.Model):
    """The last number given to a case of a community on a day (for readable numbers)."""

    community = models.ForeignKey("geo.Area", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "day"], name="case_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.community_id} {self.day} {self.last}"

"""Mediation cases (人民调解, domain.md §5): parties, mediators, sessions, agreements, follow-ups
and judicial confirmation, with an append-only event history. States: ADR 0016."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gridgov.core import crypto
from gridgov.core.fields import EncryptedTextField
from gridgov.core.masking import mask_id_number, mask_name, mask_phone
from gridgov.core.models import TimeStampedModel, VisibleQuerySet
from gridgov.mediation.choices import (
    OPEN_MEDIATION_STATUSES,
    RUNNING_STATUSES,
    AgreementKind,
    AssignmentEnd,
    ChosenBy,
    ConfirmationResult,
    DisputeType,
    FollowUpResult,
    Level,
    MediationEventKind,
    MediationStatus,
    NextStep,
    PartySide,
    RightsText,
    Source,
)

if TYPE_CHECKING:
    from gridgov.accounts.models import User


class MediationQuerySet(VisibleQuerySet):
    """Need-to-know (ADR 0016): the rules live in `gridgov.mediation.access` on the predicates
    of `gridgov.accounts.scope`."""

    def _visible_to(self, user: User) -> Self:
        from gridgov.mediation.access import view_condition

        return self.filter(view_condition(user))

    def _changeable_by(self, user: User) -> Self:
        from gridgov.mediation.access import change_condition

        return self.filter(change_condition(user))

    def open(self) -> Self:
        return self.filter(status__in=OPEN_MEDIATION_STATUSES)

    def running(self) -> Self:
        return self.filter(status__in=RUNNING_STATUSES)


class MediationCase(TimeStampedModel):
    """One dispute under mediation (一案一卷): registered, accepted, mediated, concluded."""

    community = models.ForeignKey(
        "geo.Area", verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    grid = models.ForeignKey(
        "geo.Area",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediations",
    )
    # The grid when known, else the community; its path copied for one indexed prefix match.
    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, editable=False)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("referring case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediations",
    )
    dispute_type = models.CharField(_("dispute type"), max_length=24, choices=DisputeType.choices)
    title = models.CharField(_("title"), max_length=100)
    summary = models.TextField(_("summary of the dispute"), max_length=5000)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.GRID)
    risk_of_violence = models.BooleanField(_("risk of violence"), default=False)
    risk_flagged_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MediationStatus.choices,
        default=MediationStatus.REGISTERED,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    # The last day of the time limit (a date: the period ends at the end of that day, ADR 0016).
    due_on = models.DateField(_("due"), null=True, blank=True, editable=False)
    extended = models.BooleanField(_("time limit extended"), default=False, editable=False)
    # The highest time-limit warning the mediator has been told of (the sweep tells each once).
    warning_notified = models.CharField(max_length=8, blank=True, editable=False)
    concluded_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    end_reason = models.TextField(_("reason"), blank=True, editable=False)
    routes_told = models.JSONField(_("routes the parties were told"), default=list, blank=True)
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)

    objects = MediationQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["area_path"], name="med_area_path", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["status", "due_on"], name="med_status_due"),
            models.Index(fields=["level", "status"], name="med_level_status"),
            models.Index(fields=["created_at"], name="med_created"),
            models.Index(fields=["concluded_at"], name="med_concluded"),
        ]
        constraints = [
            # A referred case lands here once (the outbox may deliver twice).
            models.UniqueConstraint(
                fields=["case"], condition=Q(source="referral"), name="med_one_per_referral"
            ),
            models.UniqueConstraint(
                fields=["registered_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="med_idempotency_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """TJ + registration year + serial: TJ202600042."""
        year = (self.created_at or timezone.now()).year
        return f"TJ{year}{self.pk or 0:05d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.area_path = self.area.path
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "area_path"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MEDIATION_STATUSES

    def warning(self, today: dt.date | None = None) -> str:
        from gridgov.mediation.deadlines import warning_level

        return warning_level(self, today)


class _PersonalData(models.Model):
    """Name, phone and ID number encrypted at rest, masked by default (domain.md §8)."""

    name = EncryptedTextField(_("name"))
    phone = EncryptedTextField(_("contact phone"))
    id_number = EncryptedTextField(_("ID number"))
    id_index = models.CharField(max_length=64, editable=False, blank=True, default="")

    ROTATED_FIELDS: tuple[str, ...] = ("name", "phone", "id_number", "id_index")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.rotate_keys()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "id_index"}
        super().save(*args, **kwargs)

    def rotate_keys(self) -> None:
        self.id_index = crypto.blind_index(self.id_number) if self.id_number else ""

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def masked_id(self) -> str:
        return mask_id_number(self.id_number)


class MediationParty(_PersonalData):
    """A party: a person of the registry (their details copied at the time) or from outside."""

    mediation = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("side"), max_length=12, choices=PartySide.choices)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person in the registry"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    address = EncryptedTextField(_("address"))
    added_at = models.DateTimeField(auto_now_add=True)

    ROTATED_FIELDS = ("name", "phone", "id_number", "id_index", "address")

    class Meta:
        ordering = ["side", "pk"]
        indexes = [models.Index(fields=["id_index"], name="med_party_id")]

    def __str__(self) -> str:
        return self.masked_name


class MediationRepresentative(_PersonalData):
    """Someone acting for a party (a relative, an agent)."""

    party = models.ForeignKey(
        MediationParty, on_delete=models.CASCADE, related_name="representatives"
    )
    relation = models.CharField(_("relation to the party"), max_length=30)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.masked_name


class MediatorAssignment(models.Model):
    """Who mediates at which level, from when until when (append-only but for its end)."""

    mediation = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="assignments"
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mediator"),
        on_delete=models.PROTECT,
        related_name="mediation_assignments",
    )
    chosen_by = models.CharField(_("chosen by"), max_length=12, choices=ChosenBy.choices)
    assigned_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end = models.CharField(max_length=12, choices=AssignmentEnd.choices, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        indexes = [models.Index(fields=["mediator", "mediation"], name="med_assign_user")]
        constraints = [
            models.UniqueConstraint(
                fields=["mediation"], condition=Q(ended_at__isnull=True), name="med_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mediation_id} L{self.level} {self.mediator_id}"

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class MediationSession(models.Model):
    """A session and its transcript (调解笔录)."""

    mediation = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="sessions")
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    held_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)
    attendees = models.TextField(_("attendees"))
    rights_explained = models.BooleanField(_("rights and duties explained"), default=False)
    rights_text = models.CharField(
        _("notice of rights and duties"), max_length=12, choices=RightsText.choices, blank=True
    )
    evidence = models.TextField(_("evidence"), blank=True)
    outcome = models.TextField(_("outcome of the session"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.held_at:%Y-%m-%d}"


class SessionStatement(models.Model):
    """One party's statement in a session, and whether they signed the transcript."""

    session = models.ForeignKey(
        MediationSession, on_delete=models.CASCADE, related_name="statements"
    )
    party = models.ForeignKey(MediationParty, on_delete=models.PROTECT, related_name="statements")
    statement = EncryptedTextField(_("statement"))
    signed = models.BooleanField(_("signed"), default=False)

    ROTATED_FIELDS = ("statement",)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "party"], name="med_statement_once")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.party_id}"


class MediationAgreement(models.Model):
    """The outcome: a written agreement (调解协议书, 人民调解法 Art. 29) or an oral one recorded
    by the mediator. The parties' basic information is read from the parties."""

    mediation = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=AgreementKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    main_facts = models.TextField(_("main facts"), blank=True)
    points_in_dispute = models.TextField(_("points in dispute"), blank=True)
    responsibilities = models.TextField(_("each party's responsibility"), blank=True)
    terms = models.TextField(_("agreed terms"))
    performance_method = models.TextField(_("how it is performed"), blank=True)
    performance_due = models.DateField(_("performed by"), null=True, blank=True)
    # Takes effect when every party, the mediator and the committee have signed (sealed).
    signed_on = models.DateField(_("signed (effective) on"))
    copies = models.PositiveSmallIntegerField(_("copies"), default=3)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.kind} {self.signed_on}"

    @property
    def confirmation_deadline(self) -> dt.date:
        """The last day to apply jointly for judicial confirmation (30 days after it takes
        effect)."""
        return self.signed_on + dt.timedelta(days=settings.MEDIATION_CONFIRMATION_DAYS)


class MediationFollowUp(models.Model):
    """A follow-up (回访) of an agreement: scheduled with its due date, then recorded."""

    mediation = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="follow_ups"
    )
    agreement = models.ForeignKey(
        MediationAgreement, on_delete=models.CASCADE, related_name="follow_ups"
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    result = models.CharField(
        _("result"), max_length=16, choices=FollowUpResult.choices, blank=True
    )
    next_step = models.CharField(
        _("next step"), max_length=16, choices=NextStep.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["done_at", "due_on"], name="med_followup_due")]

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.due_on}"


class JudicialConfirmation(models.Model):
    """司法确认 of a written agreement: the joint application, the court's acceptance decision
    and its result."""

    mediation = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="confirmations"
    )
    agreement = models.OneToOneField(
        MediationAgreement, on_delete=models.CASCADE, related_name="confirmation"
    )
    applied_on = models.DateField(_("joint application date"))
    court = models.CharField(_("court"), max_length=100)
    accepted = models.BooleanField(_("accepted by the court"), null=True, blank=True)
    accepted_on = models.DateField(_("acceptance decided on"), null=True, blank=True)
    result = models.CharField(
        _("result"), max_length=12, choices=ConfirmationResult.choices, blank=True
    )
    result_on = models.DateField(_("result date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.court}"


class MediationExtension(models.Model):
    """An extension of the time limit with every party's recorded consent."""

    mediation = models.ForeignKey(
        MediationCase, on_delete=models.CASCADE, related_name="extensions"
    )
    old_due_on = models.DateField()
    new_due_on = models.DateField()
    consents = models.JSONField(default=list)  # [{"party": id, "how": "signed"|"oral"}, ...]
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.mediation_id} → {self.new_due_on}"


class MediationEvent(models.Model):
    """Append-only: every change of a mediation case (style.md §4)."""

    mediation = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=MediationEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_role = models.CharField(max_length=32, blank=True)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["kind", "created_at"], name="med_event_kind")]

    def __str__(self) -> str:
        return f"{self.mediation_id} {self.kind}"

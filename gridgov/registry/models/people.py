"""People (实有人口) and special groups (特殊人群), with their access rules (domain.md §2, §8).

ID numbers, phones, religion, health and special-group details are encrypted at rest; ID and
phone are found through keyed blind indexes. A person's grid is copied from their house so that
area scope is one join. Special-group records need a need-to-know grant on top of area scope.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.core import crypto
from gridgov.core.fields import EncryptedTextField
from gridgov.core.masking import mask_id_number, mask_name, mask_phone
from gridgov.core.models import TimeStampedModel, VisibleQuerySet
from gridgov.registry.choices import (
    PersonStatus,
    Registration,
    Relation,
    Sex,
    SpecialGroup,
)
from gridgov.registry.models.places import House

if TYPE_CHECKING:
    from gridgov.accounts.models import User


class PersonQuerySet(VisibleQuerySet):
    """Who views and changes people is `scope.REGISTRY` (ADR 0011)."""

    def _visible_to(self, user: User) -> Self:
        return self._in_grids(scope.registry_paths(user, scope.Action.VIEW))

    def _changeable_by(self, user: User) -> Self:
        """People the user owns (grid worker of their grid, staff of their community), not
        anonymised: editing, the wider ID mask and unmasking."""
        owned = self._in_grids(scope.registry_paths(user, scope.Action.CHANGE))
        return owned.filter(anonymised_at__isnull=True)

    def _in_grids(self, paths: tuple[str, ...]) -> Self:
        from gridgov.geo.models import Area

        # grid_id IN (the user's grids): the list then walks the (grid, house, id) index in order.
        grids = Area.objects.filter(scope.under(paths)).values("pk") if paths else []
        return self.filter(grid_id__in=grids)

    def with_id_number(self, id_number: str) -> Self:
        """Exact lookup through the blind index (under every key during a rotation).

        The `id_index <> ''` term repeats the unique index's condition, so that SQLite (which
        uses a partial index only when the query implies its condition) uses it.
        """
        candidates = crypto.blind_index_candidates(id_number)
        return self.filter(id_index__in=candidates).exclude(id_index="")

    def with_phone(self, phone: str) -> Self:
        return self.filter(phone_index__in=crypto.blind_index_candidates(phone))


class Person(TimeStampedModel):
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"))
    id_index = models.CharField(max_length=64, editable=False, blank=True, default="")
    phone = EncryptedTextField(_("phone"))
    phone_index = models.CharField(max_length=64, editable=False, blank=True, default="")
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, default="汉族")
    registration = models.CharField(
        _("registration"),
        max_length=16,
        choices=Registration.choices,
        default=Registration.REGISTERED,
    )
    house = models.ForeignKey(
        "registry.House",
        verbose_name=_("current house"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("household"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    relation = models.CharField(
        _("relation to head"), max_length=16, choices=Relation.choices, blank=True
    )
    religion = EncryptedTextField(_("religion"))
    health = EncryptedTextField(_("health"))
    status = models.CharField(
        _("status"), max_length=16, choices=PersonStatus.choices, default=PersonStatus.LIVING
    )
    left_on = models.DateField(_("moved out or died on"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    grid = models.ForeignKey(
        "geo.Area",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="people",
    )

    objects = PersonQuerySet.as_manager()

    ROTATED_FIELDS = ("id_number", "id_index", "phone", "phone_index", "religion", "health")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["grid_id", "house_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_index"], condition=~Q(id_index=""), name="person_id_unique"
            )
        ]
        indexes = [
            models.Index(fields=["grid", "house", "id"], name="reg_person_grid_house"),
            models.Index(fields=["grid", "status"], name="reg_person_grid_status"),
            models.Index(fields=["phone_index"], name="reg_person_phone"),
            models.Index(fields=["status", "left_on"], name="reg_person_left"),
            models.Index(fields=["name"], name="reg_person_name"),
        ]

    def __str__(self) -> str:
        return self.masked_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.rotate_keys()
        if self.house_id is not None:
            self.grid_id = (
                House.objects.filter(pk=self.house_id)
                .values_list("unit__building__grid_id", flat=True)
                .first()
            )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "id_index", "phone_index", "grid"}
        super().save(*args, **kwargs)

    def rotate_keys(self) -> None:
        """Blind indexes under the current key (encrypted fields re-encrypt on save)."""
        self.id_index = crypto.blind_index(self.id_number)
        self.phone_index = crypto.blind_index(self.phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def masked_id(self, *, wide: bool = False) -> str:
        return mask_id_number(self.id_number, wide=wide)

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class NeedToKnowGrantQuerySet(models.QuerySet):
    def active(self) -> Self:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class NeedToKnowGrant(TimeStampedModel):
    """Access to one special group's records in one area, granted to one user for a reason by
    a security administrator. Area scope alone never shows a special-group record."""

    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="need_to_know_grants",
    )
    group = models.CharField(_("special group"), max_length=32, choices=SpecialGroup.choices)
    area = models.ForeignKey(
        "geo.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=200)
    granted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = NeedToKnowGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("need-to-know grant")
        verbose_name_plural = _("need-to-know grants")
        indexes = [models.Index(fields=["user", "revoked_at"], name="reg_grant_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_group_display()} · {self.area}"


class SpecialGroupRecordQuerySet(VisibleQuerySet):
    def _visible_to(self, user: User) -> Self:
        visible_people = Person.objects.visible_to(user).values("pk")
        granted = scope.grant_condition(user, "person__grid__path")
        return self.filter(granted, person__in=visible_people)

    def _changeable_by(self, user: User) -> Self:
        owned_people = Person.objects.visible_to(user, "change").values("pk")
        granted = scope.grant_condition(user, "person__grid__path")
        return self.filter(granted, person__in=owned_people)


class SpecialGroupRecord(TimeStampedModel):
    """A person's membership of one special group, with that group's own fields (encrypted)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="special_groups"
    )
    group = models.CharField(_("special group"), max_length=32, choices=SpecialGroup.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    details_encrypted = EncryptedTextField(_("details"))
    note = EncryptedTextField(_("note"))

    objects = SpecialGroupRecordQuerySet.as_manager()

    ROTATED_FIELDS = ("details_encrypted", "note")

    class Meta:
        verbose_name = _("special group record")
        verbose_name_plural = _("special group records")
        constraints = [
            models.UniqueConstraint(fields=["person", "group"], name="special_group_unique")
        ]
        indexes = [models.Index(fields=["group", "person"], name="reg_special_group")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_group_display()}"

    def rotate_keys(self) -> None:
        """Encrypted fields are rewritten under the current key by saving; nothing to add."""

    @property
    def details(self) -> dict[str, str]:
        return json.loads(self.details_encrypted) if self.details_encrypted else {}

    @details.setter
    def details(self, value: dict[str, str]) -> None:
        self.details_encrypted = json.dumps(value, ensure_ascii=False) if value else ""

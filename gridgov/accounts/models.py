"""Users, organisations and memberships (user × organisation or area × role).

A user acts only through memberships (domain.md §1–2). A membership's area scope is its own
area, or its organisation's area; everything a user may see is computed from those scopes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.choices import (
    ADMIN_ROLES,
    DEPARTMENT_KINDS,
    STAFF_ROLES,
    OrganisationKind,
    Role,
)
from gridgov.core import crypto
from gridgov.core.masking import mask_name, mask_phone
from gridgov.core.models import TimeStampedModel, VisibleQuerySet

if TYPE_CHECKING:
    from gridgov.geo.models import Area


@dataclass(frozen=True)
class AreaScope:
    """The subtrees of the area tree a user may see (`scope.area_paths`); geo reads it by duck
    typing, as it may not import accounts."""

    paths: tuple[str, ...]


class User(AbstractUser):
    """An account. Chinese names are one field; the phone is encrypted, found by blind index."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone_encrypted = models.TextField(editable=False, blank=True, default="")
    phone_index = models.CharField(max_length=64, editable=False, blank=True, default="")

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    ROTATED_FIELDS = ("phone_encrypted", "phone_index")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["phone_index"], condition=~Q(phone_index=""), name="user_phone_unique"
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)

    @phone.setter
    def phone(self, value: str) -> None:
        value = (value or "").strip()
        self.phone_encrypted = crypto.encrypt(value)
        self.phone_index = crypto.blind_index(value)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    def rotate_keys(self) -> None:
        self.phone = self.phone

    @property
    def masked_name(self) -> str:
        return mask_name(self.full_name or self.username)

    @cached_property
    def active_memberships(self) -> list[Membership]:
        """This user's active memberships with their organisation and areas (one query)."""
        return list(
            self.memberships.filter(is_active=True)
            .select_related("organisation__area", "area")
            .order_by("role", "id")
        )

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.active_memberships)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    def area_scope(self) -> AreaScope:
        """The subtrees of the area tree this user's memberships reach (`scope.area_paths`)."""
        # No bypass for superusers: the flag opens the admin site only (ADR 0003).
        from gridgov.accounts.scope import area_paths

        return AreaScope(paths=area_paths(self))


class OrganisationQuerySet(VisibleQuerySet):
    def _visible_to(self, user: User) -> Self:
        from gridgov.accounts import scope

        own = Q(pk__in=[m.organisation_id for m in user.active_memberships if m.organisation_id])
        paths = scope.area_paths(user)
        # Organisations working in the user's areas, and those above them (a community sees
        # its street office and the city's departments it sends work to).
        above = [p for path in paths for p in scope.ancestor_paths(path)]
        return self.filter(own | scope.under(paths, "area__path") | Q(area__path__in=above))

    def departments(self) -> Self:
        return self.filter(kind__in=DEPARTMENT_KINDS)

    def dispatch_targets(self) -> Self:
        """Active departments: where a case may be dispatched (`scope.is_dispatch_target`)."""
        return self.departments().filter(is_active=True)


class Organisation(TimeStampedModel):
    """A community office, street office, department, property company or committee.

    `area` is where it works: its jurisdiction, and the scope of its members' memberships.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    area = models.ForeignKey(
        "geo.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="organisations"
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "is_active"], name="acc_org_kind_active")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_department(self) -> bool:
        return self.kind in DEPARTMENT_KINDS


class Membership(TimeStampedModel):
    """A user's role in an organisation and/or an area. The unit of every permission."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    area = models.ForeignKey(
        "geo.Area",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("For area roles such as a grid worker's grid; else the organisation's area."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(area__isnull=False),
                name="membership_has_org_or_area",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "area"], name="membership_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["role", "area", "is_active"], name="acc_mem_role_area"),
            models.Index(fields=["user", "is_active"], name="acc_mem_user_active"),
        ]

    def __str__(self) -> str:
        where = self.organisation or self.area
        return f"{self.user} · {self.get_role_display()} · {where}"

    @property
    def scope_area(self) -> Area | None:
        """The area this membership reaches: its own, else its organisation's."""
        if self.area is not None:
            return self.area
        return self.organisation.area if self.organisation is not None else None

    @property
    def is_admin_duty(self) -> bool:
        return self.role in ADMIN_ROLES

    def clean(self) -> None:
        from gridgov.accounts.duties import check_separation

        super().clean()
        check_separation(self)

    def save(self, *args: Any, **kwargs: Any) -> None:
        from gridgov.accounts.duties import check_separation

        check_separation(self)  # on every path, not only forms (ADR 0003)
        super().save(*args, **kwargs)


class PhoneVerification(models.Model):
    """A one-time code sent to a phone during sign-up. Only a keyed hash of the phone and of the
    code is stored; a code expires after 10 minutes and allows 5 attempts."""

    phone_index = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.phone_index[:8]} {self.created_at:%Y-%m-%d %H:%M}"


class LoginFailure(models.Model):
    """One failed login, keyed by account or address (the rules are in `lockout.py`)."""

    key = models.CharField(max_length=80)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="acc_loginfail_key_at")]

    def __str__(self) -> str:
        return f"{self.key[:12]} {self.at:%Y-%m-%d %H:%M}"


__all__ = ["LoginFailure", "Membership", "Organisation", "PhoneVerification", "User"]

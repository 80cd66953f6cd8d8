"""Domain-free base models and the visibility base every scoped model builds on."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from gridgov.accounts.models import User


class TimeStampedModel(models.Model):
    """Adds creation and last-change times (aware datetimes, stored in UTC)."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VisibleQuerySet(models.QuerySet):
    """The one choke point for visibility (style.md §7), as NetBox's `restrict(user, action)`.

    `visible_to(user)` is what the user may view; `visible_to(user, "change")` what they may
    change. Each scoped model's queryset implements `_visible_to(user)` and, where a model can be
    changed through the product, `_changeable_by(user)`, both from the predicates of
    `gridgov.accounts.scope`. Every page, API, export and report starts from it. Anonymous and
    inactive users reach nothing.
    """

    def visible_to(self, user: User | AnonymousUser, action: str = "view") -> Self:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if action == "view":
            return self._visible_to(user)
        if action == "change":
            return self._changeable_by(user)
        raise ValueError(f"No visibility rule for the action {action!r}.")

    def _visible_to(self, user: User) -> Self:
        raise NotImplementedError

    def _changeable_by(self, user: User) -> Self:
        raise ValueError(f"{self.model.__name__} has no change rule; it is changed in the admin.")


def get_visible_or_404(queryset: Any, user: Any, **lookup: Any) -> Any:
    """Return the object the user may see, or raise Http404: 'not found', never 'forbidden'."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(queryset.visible_to(user), **lookup)


class RotationProgress(models.Model):
    """How far `gridgov rotate-keys` got for one model under one key (so a stopped run resumes)."""

    model = models.CharField(max_length=100)
    key_id = models.CharField(max_length=16)
    last_pk = models.BigIntegerField(default=0)
    done = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["model", "key_id"], name="rotation_unique")]

    def __str__(self) -> str:
        return f"{self.model} @ {self.last_pk}"

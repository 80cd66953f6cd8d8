"""Talk points (百姓说事点): fixed places at building units where residents raise problems.

A talk point serves one building unit or several of one grid, has a host and a schedule, and
is active until the community closes it. Its sessions record the date, the attendance and the
minutes; every issue raised at a session is a case (channel "talk point"), so nothing raised
there is handled outside the closed loop. Coverage (`coverage.py`) counts units with an active
talk point.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.core.models import TimeStampedModel, VisibleQuerySet

if TYPE_CHECKING:
    from gridgov.accounts.models import User


class TalkPointQuerySet(VisibleQuerySet):
    """Seen by the area's staff (`scope.TALK_POINTS`), through the talk point's grid."""

    grid_field = "grid"

    def _visible_to(self, user: User) -> Self:
        paths = scope.talk_point_paths(user, scope.Action.VIEW)
        return self.filter(scope.under(paths, f"{self.grid_field}__path"))

    def _changeable_by(self, user: User) -> Self:
        paths = scope.talk_point_paths(user, scope.Action.CHANGE)
        return self.filter(scope.under(paths, f"{self.grid_field}__path"))

    def active(self) -> Self:
        return self.filter(is_active=True)


class SessionQuerySet(TalkPointQuerySet):
    grid_field = "talk_point__grid"


class IssueQuerySet(TalkPointQuerySet):
    grid_field = "session__talk_point__grid"


class TalkPoint(TimeStampedModel):
    """A talk point at one or more building units of one grid, with a host and a schedule."""

    name = models.CharField(_("name"), max_length=100)
    grid = models.ForeignKey(
        "geo.Area",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="talk_points",
        help_text=_("The grid of its units."),
    )
    units = models.ManyToManyField(
        "registry.Unit", verbose_name=_("building units"), related_name="talk_points"
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="hosted_talk_points",
    )
    schedule = models.CharField(
        _("schedule"), max_length=100, help_text=_("For example: every Saturday 9:00–11:00.")
    )
    place = models.CharField(_("meeting place"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = TalkPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk point")
        verbose_name_plural = _("talk points")
        ordering = ["grid__code", "name"]

    def __str__(self) -> str:
        return self.name


class TalkSession(TimeStampedModel):
    """One meeting of a talk point: when, how many came, and what was said."""

    talk_point = models.ForeignKey(
        TalkPoint, verbose_name=_("talk point"), on_delete=models.PROTECT, related_name="sessions"
    )
    held_on = models.DateField(_("date"))
    attendance = models.PositiveSmallIntegerField(_("attendance"))
    minutes = models.TextField(_("minutes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk-point session")
        verbose_name_plural = _("talk-point sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.talk_point} {self.held_on:%Y-%m-%d}"


class TalkIssue(TimeStampedModel):
    """An issue raised at a session; it is always a case, and a dispute is also referred."""

    session = models.ForeignKey(
        TalkSession, verbose_name=_("session"), on_delete=models.PROTECT, related_name="issues"
    )
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="talk_issue"
    )
    is_dispute = models.BooleanField(_("dispute referred to mediation"), default=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("talk-point issue")
        verbose_name_plural = _("talk-point issues")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.case)

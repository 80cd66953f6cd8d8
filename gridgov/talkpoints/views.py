from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.accounts import scope
from gridgov.core.models import get_visible_or_404
from gridgov.geo.models import Area
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.registry.models import Unit
from gridgov.talkpoints import actions, coverage
from gridgov.talkpoints.forms import IssueForm, SessionForm, TalkPointForm
from gridgov.talkpoints.models import TalkIssue, TalkPoint, TalkSession

UNITS = Prefetch("units", queryset=Unit.objects.select_related("building").order_by("pk"))


def _may(request: HttpRequest, grid: Area, action: scope.Action) -> bool:
    paths = scope.talk_point_paths(request.user, action)  # type: ignore[arg-type]
    return scope.covers(paths, grid.path)


@login_required
def talk_point_list(request: HttpRequest) -> HttpResponse:
    paths = scope.talk_point_paths(request.user)  # type: ignore[arg-type]
    if not paths:
        raise PermissionDenied(_("Talk points are kept by the community's and the street's staff."))
    grids = list(
        Area.objects.visible_to(request.user)
        .grids()
        .filter(scope.under(paths))
        .select_related("parent")
        .order_by("code")
    )
    per_grid = coverage.by_grid(grids)
    communities: dict[int, dict[str, Any]] = {}
    for grid in grids:
        block = communities.setdefault(
            grid.parent_id,
            {"community": grid.parent, "grids": [], "coverage": coverage.Coverage(0, 0)},
        )
        block["grids"].append((grid, per_grid[grid.pk]))
        block["coverage"] += per_grid[grid.pk]
    points = (
        TalkPoint.objects.visible_to(request.user)
        .select_related("grid", "host")
        .prefetch_related(UNITS)
        .annotate(n_sessions=Count("sessions"), last_held=Max("sessions__held_on"))
    )
    grid_code = request.GET.get("grid", "")
    if grid_code:
        points = points.filter(grid__code=grid_code)
    return render(
        request,
        "talkpoints/list.html",
        {
            "communities": list(communities.values()),
            "points": points[:300],
            "grid_code": grid_code,
            "may_open": bool(scope.talk_point_paths(request.user, scope.Action.CREATE)),  # type: ignore[arg-type]
            "active_nav": "talkpoints",
        },
    )


def _form_page(request: HttpRequest, grid: Area, point: TalkPoint | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if point is not None:
        initial = {
            "name": point.name,
            "units": list(point.units.all()),
            "host": point.host,
            "schedule": point.schedule,
            "place": point.place,
        }
    form = TalkPointForm(request.POST or None, grid=grid, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if point is None:
                point = actions.open_talk_point(acting_user=request.user, **data)  # type: ignore[arg-type]
            else:
                point = actions.change_talk_point(point, acting_user=request.user, **data)  # type: ignore[arg-type]
        except NotAllowed as error:
            raise PermissionDenied(str(error)) from None
        except IllegalMove as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Talk point %(name)s saved.") % {"name": point.name})
            return redirect("talkpoints:detail", pk=point.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "grid": grid, "point": point, "active_nav": "talkpoints"}
    return render(request, "talkpoints/form.html", context, status=status)


@login_required
def talk_point_new(request: HttpRequest) -> HttpResponse:
    paths = scope.talk_point_paths(request.user, scope.Action.CREATE)  # type: ignore[arg-type]
    if not paths:
        raise PermissionDenied(_("Only the community's staff open, change and close talk points."))
    grids = Area.objects.visible_to(request.user).grids().filter(scope.under(paths))
    code = request.GET.get("grid", "")
    if not code:
        context = {
            "grids": grids.select_related("parent").order_by("code"),
            "active_nav": "talkpoints",
        }
        return render(request, "talkpoints/choose_grid.html", context)
    grid = get_visible_or_404(grids, request.user, code=code)
    return _form_page(request, grid, None)


def _point(request: HttpRequest, pk: int) -> TalkPoint:
    queryset = TalkPoint.objects.select_related("grid__parent", "host").prefetch_related(UNITS)
    point: TalkPoint = get_visible_or_404(queryset, request.user, pk=pk)
    return point


@login_required
def talk_point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    if not _may(request, point.grid, scope.Action.CREATE):
        raise PermissionDenied(_("Only the community's staff open, change and close talk points."))
    return _form_page(request, point.grid, point)


@login_required
@require_POST
def talk_point_close(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    try:
        actions.close_talk_point(point, acting_user=request.user, note=request.POST.get("note", ""))  # type: ignore[arg-type]
    except NotAllowed as error:
        raise PermissionDenied(str(error)) from None
    except IllegalMove as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Talk point %(name)s closed.") % {"name": point.name})
    return redirect("talkpoints:detail", pk=point.pk)


@login_required
def talk_point_detail(request: HttpRequest, pk: int) -> HttpResponse:
    point = _point(request, pk)
    sessions = point.sessions.annotate(n_issues=Count("issues")).order_by("-held_on", "-pk")
    may_record = point.is_active and _may(request, point.grid, scope.Action.CHANGE)
    form = None
    if may_record:
        form = SessionForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(
                _("Only the grid's worker and the community's staff record sessions.")
            )
        if form.is_valid():
            try:
                session = actions.record_session(
                    point,
                    acting_user=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except NotAllowed as error:
                raise PermissionDenied(str(error)) from None
            except IllegalMove as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Session recorded. Now add the issues raised."))
                return redirect("talkpoints:session", pk=session.pk)
    context = {
        "point": point,
        "sessions": sessions,
        "form": form,
        "may_manage": _may(request, point.grid, scope.Action.CREATE),
        "active_nav": "talkpoints",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "talkpoints/detail.html", context, status=status)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_visible_or_404(
        TalkSession.objects.select_related("talk_point__grid__parent", "recorded_by"),
        request.user,
        pk=pk,
    )
    point = session.talk_point
    issues = TalkIssue.objects.filter(session=session).select_related("case").order_by("pk")
    form = None
    if _may(request, point.grid, scope.Action.CHANGE):
        units = point.units.select_related("building").order_by("pk")
        form = IssueForm(request.POST or None, units=units, initial={"unit": units.first()})
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(
                _("Only the grid's worker and the community's staff record sessions.")
            )
        if form.is_valid():
            try:
                issue = actions.raise_issue(session, acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
            except NotAllowed as error:
                raise PermissionDenied(str(error)) from None
            except IllegalMove as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Case %(number)s registered.") % {"number": issue.case.number}
                )
                return redirect("talkpoints:session", pk=session.pk)
    context = {
        "session": session,
        "point": point,
        "issues": issues,
        "form": form,
        "active_nav": "talkpoints",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "talkpoints/session.html", context, status=status)

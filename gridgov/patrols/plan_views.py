"""The plan pages of the community's staff: plans per grid, a plan's route of checkpoints on
the grid's map, the QR sheet link. Every change goes through `planning.py` (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.accounts import scope
from gridgov.core.models import get_visible_or_404
from gridgov.geo.choices import AreaKind
from gridgov.geo.models import Area
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.patrols import access, planning
from gridgov.patrols.forms import CheckpointForm, PlanForm
from gridgov.patrols.models import Checkpoint, PatrolPlan


def _planner_grids(request: HttpRequest) -> Any:
    grids = Area.objects.filter(
        access.plan_grids_condition(request.user), kind=AreaKind.GRID
    ).defer("boundary")
    return grids.order_by("path")


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The grids the user supervises with their plans; the community's staff draw them up."""
    from django.core.paginator import Paginator

    user: Any = request.user
    supervised = scope.role_paths(user, access.SUPERVISORS)
    if not supervised:
        raise PermissionDenied
    grids = Area.objects.filter(scope.under(supervised), kind=AreaKind.GRID).defer("boundary")
    code = request.GET.get("grid", "")
    if code:
        grids = grids.filter(code=code)
    page = Paginator(grids.order_by("path"), 20).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    plans = (
        PatrolPlan.objects.visible_to(user)
        .filter(grid__in=shown)
        .select_related("worker")
        .annotate(
            checkpoint_count=Count("checkpoints", filter=Q(checkpoints__retired_on__isnull=True))
        )
        .order_by("-is_active", "starts_on", "pk")
    )
    by_grid: dict[int, list[PatrolPlan]] = {g.pk: [] for g in shown}
    for plan in plans:
        by_grid[plan.grid_id].append(plan)
    return render(
        request,
        "patrols/plans.html",
        {
            "grids": [(g, by_grid[g.pk], access.may_plan(user, g.path)) for g in shown],
            "page": page,
            "query_prefix": f"grid={code}&" if code else "",
            "active_nav": "patrols",
        },
    )


def _error(request: HttpRequest, form: Any, error: Exception) -> int:
    form.add_error(None, str(error))
    return 403 if isinstance(error, NotAllowed) else 400


@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("grid") or request.POST.get("grid", "")
    grid = _planner_grids(request).filter(code=code).first()
    if grid is None:
        raise Http404
    grid = Area.objects.get(pk=grid.pk)
    form = PlanForm(request.POST or None, grid=grid)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = planning.create_plan(
                    acting_user=request.user,
                    grid=grid,
                    worker=form.cleaned_data["worker"],
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    rounds_per_day=form.cleaned_data["rounds_per_day"],
                )
            except (IllegalMove, NotAllowed) as error:
                status = _error(request, form, error)
            else:
                messages.success(request, _("The plan is drawn up: now add its checkpoints."))
                return redirect("patrols:plan", pk=plan.pk)
        else:
            status = 400
    return render(
        request,
        "patrols/plan_new.html",
        {"grid": grid, "form": form, "active_nav": "patrols"},
        status=status,
    )


def _plan_for_planner(request: HttpRequest, pk: int) -> PatrolPlan:
    """The plan, if the user may see it (else 404) and draw it up (else 403)."""
    plan = get_visible_or_404(
        PatrolPlan.objects.select_related("grid", "worker"), request.user, pk=pk
    )
    if not access.may_plan(request.user, plan.grid.path):
        raise PermissionDenied
    return plan


def _plan_page(
    request: HttpRequest,
    plan: PatrolPlan,
    *,
    plan_form: Any = None,
    checkpoint_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    from django.conf import settings

    checkpoints = list(plan.checkpoints.select_related("unit__building"))
    checkpoint_form = checkpoint_form or CheckpointForm(grid=plan.grid)
    return render(
        request,
        "patrols/plan.html",
        {
            "plan": plan,
            "plan_form": plan_form
            or PlanForm(
                grid=plan.grid,
                editing=True,
                initial={
                    "worker": plan.worker_id,
                    "rounds_per_day": plan.rounds_per_day,
                    "starts_on": plan.starts_on,
                    "ends_on": plan.ends_on,
                    "is_active": plan.is_active,
                },
            ),
            "checkpoint_form": checkpoint_form,
            "checkpoints": checkpoints,
            "today": timezone.localdate(),
            "map_data": {
                "grid": plan.grid.boundary,
                "checkpoints": [
                    {"name": c.name, "lat": c.lat, "lon": c.lon, "radius": c.radius_m}
                    for c in checkpoints
                    if c.retired_on is None
                ],
                **_targets(checkpoint_form),
            },
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "active_nav": "patrols",
        },
        status=status,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan (edit it with a POST) and its route of checkpoints."""
    plan = _plan_for_planner(request, pk)
    if request.method != "POST":
        return _plan_page(request, plan)
    form = PlanForm(request.POST, grid=plan.grid, editing=True)
    if not form.is_valid():
        return _plan_page(request, plan, plan_form=form, status=400)
    try:
        planning.change_plan(plan, acting_user=request.user, **form.cleaned_data)
    except (IllegalMove, NotAllowed) as error:
        return _plan_page(request, plan, plan_form=form, status=_error(request, form, error))
    messages.success(request, _("Saved."))
    return redirect("patrols:plan", pk=plan.pk)


def _targets(form: CheckpointForm) -> dict[str, Any]:
    """Where each pickable target lies, for the map (picking one moves the point there)."""
    units = form.fields["unit"].queryset  # type: ignore[attr-defined]
    sites = form.fields["hazard_site"].queryset  # type: ignore[attr-defined]
    talks = form.fields["talk_point"].queryset.prefetch_related("units__building")  # type: ignore[attr-defined]
    talk_points = []
    for point in talks:
        first = min(point.units.all(), key=lambda u: u.pk, default=None)
        if first is not None:
            talk_points.append(
                {"id": point.pk, "lat": first.building.lat, "lon": first.building.lon}
            )
    return {
        "units": [{"id": u.pk, "lat": u.building.lat, "lon": u.building.lon} for u in units],
        "hazard_sites": [
            {"id": s.pk, "lat": s.lat, "lon": s.lon} for s in sites if s.lat is not None
        ],
        "talk_points": talk_points,
    }


def _place(form: CheckpointForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "name": data["name"],
        **form.target(),
        "lat": data["lat"],
        "lon": data["lon"],
        "radius_m": data["radius_m"],
    }


@login_required
@require_POST
def checkpoint_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_planner(request, pk)
    form = CheckpointForm(request.POST, grid=plan.grid)
    if not form.is_valid():
        return _plan_page(request, plan, checkpoint_form=form, status=400)
    try:
        planning.add_checkpoint(plan, acting_user=request.user, **_place(form))
    except (IllegalMove, NotAllowed) as error:
        status = _error(request, form, error)
        return _plan_page(request, plan, checkpoint_form=form, status=status)
    messages.success(request, _("Checkpoint added."))
    return redirect("patrols:plan", pk=plan.pk)


def _checkpoint(request: HttpRequest, pk: int) -> Checkpoint:
    checkpoint = (
        Checkpoint.objects.filter(pk=pk, plan__in=PatrolPlan.objects.visible_to(request.user))
        .select_related("plan__grid", "plan__worker", "unit")
        .first()
    )
    if checkpoint is None:
        raise Http404
    if not access.may_plan(request.user, checkpoint.plan.grid.path):
        raise PermissionDenied
    return checkpoint


@login_required
def checkpoint_edit(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = _checkpoint(request, pk)
    plan = checkpoint.plan
    initial = {
        "kind": checkpoint.kind,
        "name": checkpoint.name,
        "unit": checkpoint.unit_id,
        "hazard_site": checkpoint.hazard_site_id,
        "talk_point": checkpoint.talk_point_id,
        "lat": checkpoint.lat,
        "lon": checkpoint.lon,
        "radius_m": checkpoint.radius_m,
    }
    form = CheckpointForm(request.POST or None, grid=plan.grid, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                planning.change_checkpoint(checkpoint, acting_user=request.user, **_place(form))
            except (IllegalMove, NotAllowed) as error:
                status = _error(request, form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("patrols:plan", pk=plan.pk)
        else:
            status = 400
    return render(
        request,
        "patrols/checkpoint_edit.html",
        {
            "checkpoint": checkpoint,
            "plan": plan,
            "form": form,
            "map_data": {
                "grid": plan.grid.boundary,
                "checkpoints": [],
                **_targets(form),
                "current": {"lat": checkpoint.lat, "lon": checkpoint.lon},
            },
            "active_nav": "patrols",
        },
        status=status,
    )


@login_required
@require_POST
def checkpoint_move(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = _checkpoint(request, pk)
    step = -1 if request.POST.get("direction") == "up" else 1
    planning.move_checkpoint(checkpoint, acting_user=request.user, step=step)
    return redirect("patrols:plan", pk=checkpoint.plan_id)


@login_required
@require_POST
def checkpoint_remove(request: HttpRequest, pk: int) -> HttpResponse:
    checkpoint = _checkpoint(request, pk)
    plan_id = checkpoint.plan_id
    try:
        planning.remove_checkpoint(checkpoint, acting_user=request.user)
    except IllegalMove as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Checkpoint removed."))
    return redirect("patrols:plan", pk=plan_id)


@login_required
@require_POST
def checkpoint_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire a checkpoint from today on (one with check-ins cannot be removed)."""
    checkpoint = _checkpoint(request, pk)
    try:
        planning.retire_checkpoint(checkpoint, acting_user=request.user)
    except IllegalMove as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Checkpoint retired: rounds no longer expect it."))
    return redirect("patrols:plan", pk=checkpoint.plan_id)

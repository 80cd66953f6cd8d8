"""Pages of the hazard register, for grid workers and community staff (phone first)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.accounts import scope
from gridgov.accounts.choices import Role
from gridgov.cases.action_forms import action_forms, take_action
from gridgov.core.models import get_visible_or_404
from gridgov.hazards import actions
from gridgov.hazards.choices import HazardStatus
from gridgov.hazards.forms import HazardForm, InspectionForm, SiteForm
from gridgov.hazards.lifecycle import HAZARDS
from gridgov.hazards.models import Hazard, HazardPhoto, HazardSite
from gridgov.lifecycle import IllegalMove, NotAllowed


@login_required
def hazard_list(request: HttpRequest) -> HttpResponse:
    if not scope.hazard_paths(request.user):  # type: ignore[arg-type]
        raise Http404  # no role that keeps or reads the register (a resident): like the reports
    visible = Hazard.objects.visible_to(request.user)
    status = request.GET.get("status", "open")
    today = timezone.localdate()
    if status == "open":
        hazards = visible.open()
    elif status == "overdue":
        hazards = visible.overdue(today)
    elif status in HazardStatus.values:
        hazards = visible.filter(status=status)
    else:
        status, hazards = "all", visible
    page = Paginator(hazards.select_related("grid", "site").defer("grid__boundary"), 25).get_page(
        request.GET.get("page")
    )
    tabs = [
        ("open", _("Open")),
        ("overdue", _("Overdue")),
        *HazardStatus.choices,
        ("all", _("All")),
    ]
    context = {
        "page": page,
        "status": status,
        "tabs": tabs,
        "today": today,
        "overdue_count": visible.overdue(today).count(),
        "can_report": bool(scope.hazard_paths(request.user, scope.Action.CREATE)),  # type: ignore[arg-type]
        "query_prefix": f"status={status}&",
        "active_nav": "hazards",
    }
    return render(request, "hazards/list.html", context)


@login_required
def hazard_new(request: HttpRequest) -> HttpResponse:
    if not scope.hazard_paths(request.user, scope.Action.CREATE):  # type: ignore[arg-type]
        raise Http404
    form = HazardForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                hazard = actions.report_hazard(acting_user=request.user, **data)  # type: ignore[arg-type]
                messages.success(
                    request,
                    _("Hazard %(number)s entered in the register.") % {"number": hazard.number},
                )
                return redirect("hazards:detail", pk=hazard.pk)
            except (IllegalMove, NotAllowed) as error:
                messages.error(request, str(error))
                status = 409
        else:
            status = 400
    site_id = request.GET.get("site")
    if request.method == "GET" and site_id and site_id.isdigit():
        site = HazardSite.objects.visible_to(request.user, "change").filter(pk=site_id).first()
        if site is not None:
            form.initial.update({"site": site, "grid": site.grid_id, "address": site.address})
    return render(
        request, "hazards/new.html", {"form": form, "active_nav": "hazards"}, status=status
    )


def _get_hazard(request: HttpRequest, pk: int) -> Hazard:
    return get_visible_or_404(
        Hazard.objects.select_related("grid", "grid__parent", "site", "case", "reported_by"),
        request.user,
        pk=pk,
    )


def _detail_context(request: HttpRequest, hazard: Hazard) -> dict[str, Any]:
    return {
        "hazard": hazard,
        "events": hazard.events.select_related("actor"),
        "photos": hazard.photos.all(),
        "actions": action_forms(HAZARDS, request.user, hazard),  # type: ignore[arg-type]
        "overdue": hazard.is_overdue(),
        "active_nav": "hazards",
    }


@login_required
def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = _get_hazard(request, pk)
    return render(request, "hazards/detail.html", _detail_context(request, hazard))


@login_required
@require_POST
def hazard_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    hazard = _get_hazard(request, pk)
    if action not in HAZARDS or HAZARDS[action].system:
        raise Http404

    def page(status: int) -> HttpResponse:
        again = _get_hazard(request, pk)
        return render(
            request, "hazards/detail.html", _detail_context(request, again), status=status
        )

    url = reverse("hazards:detail", kwargs={"pk": hazard.pk})
    return take_action(request, HAZARDS, hazard, HAZARDS[action], url, page)


@login_required
def hazard_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = HazardPhoto.objects.filter(
        pk=pk, hazard__in=Hazard.objects.visible_to(request.user)
    ).first()
    if photo is None:
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def site_list(request: HttpRequest) -> HttpResponse:
    if not scope.hazard_paths(request.user):  # type: ignore[arg-type]
        raise Http404
    visible = HazardSite.objects.visible_to(request.user).filter(is_active=True)
    now = timezone.now()
    sites = (
        visible.select_related("grid")
        .defer("grid__boundary")
        .order_by("next_inspection_at", "name")
    )
    if request.GET.get("overdue"):
        sites = sites.overdue(now)
    page = Paginator(sites, 25).get_page(request.GET.get("page"))
    changeable = set(
        HazardSite.objects.visible_to(request.user, "change")
        .filter(pk__in=[s.pk for s in page])
        .values_list("pk", flat=True)
    )
    context = {
        "page": page,
        "now": now,
        "changeable": changeable,
        "overdue_only": bool(request.GET.get("overdue")),
        "overdue_count": visible.overdue(now).count(),
        "inspection_form": InspectionForm(),
        "can_add_site": request.user.has_role(Role.COMMUNITY_STAFF),  # type: ignore[union-attr]
        "query_prefix": "overdue=1&" if request.GET.get("overdue") else "",
        "active_nav": "hazards",
    }
    return render(request, "hazards/sites.html", context)


@login_required
@require_POST
def site_inspect(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_visible_or_404(HazardSite.objects.select_related("grid"), request.user, pk=pk)
    form = InspectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the result of the inspection."))
        return redirect("hazards:sites")
    try:
        actions.record_inspection(site, acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except NotAllowed as error:
        messages.error(request, str(error))
        return render(request, "403.html", {"exception": str(error)}, status=403)
    except IllegalMove as error:
        messages.error(request, str(error))
        return redirect("hazards:sites")
    messages.success(request, _("Inspection of %(site)s recorded.") % {"site": site.name})
    if form.cleaned_data["result"] == "hazard":
        return redirect(f"{_new_url()}?site={site.pk}")
    return redirect("hazards:sites")


def _new_url() -> str:
    return reverse("hazards:new")


@login_required
def site_new(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.COMMUNITY_STAFF):  # type: ignore[union-attr]
        raise Http404
    form = SiteForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                site = actions.create_site(acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
                messages.success(request, _("Hazard site %(site)s added.") % {"site": site.name})
                return redirect("hazards:sites")
            except (IllegalMove, NotAllowed) as error:
                messages.error(request, str(error))
                status = 409
        else:
            status = 400
    return render(
        request,
        "hazards/new.html",
        {"form": form, "active_nav": "hazards", "site_form": True},
        status=status,
    )

"""The round page's hazard and e-file pieces (issue 10): the phone's JSON endpoints for a hazard
finding, an update of an open hazard and a site inspection at a checkpoint, and the context the
round page shows about them. Adapters only: the domain is `actions.py` and `efile.py`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.cases.media import InvalidUpload, check_photo
from gridgov.hazards.choices import RiskLevel
from gridgov.hazards.models import Hazard, HazardSite
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.patrols import actions
from gridgov.patrols.efile import updates_of
from gridgov.patrols.models import HazardFinding, Round
from gridgov.patrols.views import _float, _own_round, _refusal


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _photos(request: HttpRequest) -> list[Any]:
    return [check_photo(f) for f in request.FILES.getlist("photo")[:9]]


@login_required
@require_POST
def hazard_finding(request: HttpRequest, pk: int) -> JsonResponse:
    """A finding as a hazard (state "found") linked to the round; idempotent by `key`."""
    round_ = _own_round(request, pk)
    data = request.POST
    if data.get("deadline") and _date(data["deadline"]) is None:
        return JsonResponse({"error": _("The deadline is not a date.")}, status=400)
    try:
        hazard = actions.report_hazard_finding(
            round_,
            acting_user=request.user,
            title=data.get("title", "") or data.get("description", ""),
            description=data.get("description", "")[:4000],
            risk_level=data.get("risk_level", ""),
            site_id=data.get("site"),
            address=data.get("address", "")[:200],
            deadline=_date(data.get("deadline", "")),
            lat=_float(data.get("lat")),
            lon=_float(data.get("lon")),
            photos=_photos(request),
            idempotency_key=data.get("key", "")[:64],
        )
    except InvalidUpload as error:
        return JsonResponse({"error": str(error)}, status=400)
    except (IllegalMove, NotAllowed) as error:
        return _refusal(error)
    return JsonResponse({"ok": True, "hazard": hazard.number, "deadline": str(hazard.deadline)})


@login_required
@require_POST
def hazard_update(request: HttpRequest, pk: int) -> JsonResponse:
    """A note and photos on an open hazard of the grid, linked to the round."""
    round_ = _own_round(request, pk)
    data = request.POST
    try:
        hazard = actions.update_hazard_finding(
            round_,
            acting_user=request.user,
            hazard_id=data.get("hazard"),
            note=data.get("description", "")[:4000],
            photos=_photos(request),
            idempotency_key=data.get("key", "")[:64],
        )
    except InvalidUpload as error:
        return JsonResponse({"error": str(error)}, status=400)
    except (IllegalMove, NotAllowed) as error:
        return _refusal(error)
    return JsonResponse({"ok": True, "hazard": hazard.number})


@login_required
@require_POST
def inspect(request: HttpRequest, pk: int) -> JsonResponse:
    """An inspection of a checked-in hazard-site checkpoint's site, linked to the round."""
    round_ = _own_round(request, pk)
    data = request.POST
    try:
        inspection = actions.inspect_at_checkpoint(
            round_,
            acting_user=request.user,
            checkpoint_id=data.get("checkpoint"),
            result=data.get("result", ""),
            note=data.get("note", ""),
            idempotency_key=data.get("key", "")[:64],
        )
    except (IllegalMove, NotAllowed) as error:
        return _refusal(error)
    return JsonResponse(
        {
            "ok": True,
            "checkpoint": data.get("checkpoint"),
            "label": str(inspection.get_result_display()),
        }
    )


def round_links(round_: Round, walking: bool) -> dict[str, Any]:
    """What the round page shows of hazards and e-file updates (a fixed number of queries)."""
    context: dict[str, Any] = {
        "hazard_findings": list(
            HazardFinding.objects.filter(round=round_).select_related("hazard").order_by("pk")
        ),
        "record_updates": updates_of(round_),
        "inspections": {
            ri.inspection.site_id: ri.inspection
            for ri in round_.inspections.select_related("inspection")
        },
    }
    if walking:
        context["risk_levels"] = RiskLevel.choices
        context["hazard_sites"] = list(
            HazardSite.objects.filter(grid_id=round_.grid_id, is_active=True)
            .order_by("name")
            .values_list("pk", "name")[:100]
        )
        context["open_hazards"] = list(
            Hazard.objects.open().filter(grid_id=round_.grid_id).order_by("deadline", "pk")[:50]
        )
    return context


@login_required
def quick_finding(request: HttpRequest) -> HttpResponse:
    """The home page's one tap "report a finding" when no round is open: photo first, a case
    with channel "patrol" in the grid's community, or a hazard of the grid (deadline by risk
    level). The grid (and so the community) is preselected; a retried post changes nothing."""
    import uuid

    from django.contrib import messages
    from django.shortcuts import redirect, render

    from gridgov.accounts import scope
    from gridgov.accounts.choices import Role
    from gridgov.cases.actions.intake import create_case
    from gridgov.cases.choices import Channel
    from gridgov.geo.choices import AreaKind
    from gridgov.geo.models import Area

    user: Any = request.user
    grids = list(
        Area.objects.filter(
            scope.under(scope.role_paths(user, (Role.GRID_WORKER,))), kind=AreaKind.GRID
        )
        .select_related("parent")
        .order_by("code")
    )
    if not grids:
        raise Http404
    data = request.POST
    grid = next((g for g in grids if str(g.pk) == data.get("grid")), grids[0])
    values = {
        "kind": data.get("kind", "case"),
        "description": data.get("description", "").strip()[:4000],
        "risk_level": data.get("risk_level", RiskLevel.MEDIUM),
        "address": data.get("address", "").strip()[:200],
        "key": data.get("key", "")[:64] or uuid.uuid4().hex,
        "lat": data.get("lat", "")[:20],
        "lon": data.get("lon", "")[:20],
    }
    error = ""
    if request.method == "POST":
        try:
            photos = _photos(request)
            if not values["description"]:
                raise IllegalMove(_("Describe what you found."))
            if values["kind"] == "hazard":
                if values["risk_level"] not in RiskLevel.values:
                    raise IllegalMove(_("Choose a risk level."))
                hazard = actions.report_quick_hazard(
                    acting_user=user,
                    grid=grid,
                    idempotency_key=values["key"],
                    title=values["description"][:100],
                    description=values["description"],
                    risk_level=values["risk_level"],
                    deadline=actions.default_deadline(values["risk_level"]),
                    address=values["address"],
                    photos=photos,
                    lat=_float(values["lat"]),
                    lon=_float(values["lon"]),
                    gps=True,
                )
                messages.success(
                    request, _("Hazard %(number)s entered.") % {"number": hazard.number}
                )
                return redirect("hazards:detail", pk=hazard.pk)
            case = create_case(
                acting_user=user,
                channel=Channel.PATROL,
                title=values["description"][:60],
                description=values["description"],
                community=grid.parent,
                address=values["address"],
                photos=photos,
                idempotency_key=f"quick-{user.pk}-{values['key']}",
            )
            messages.success(request, _("Case %(number)s registered.") % {"number": case.number})
            return redirect("cases:detail", number=case.number)
        except InvalidUpload as failure:
            error = str(failure)
        except (IllegalMove, NotAllowed) as failure:
            error = str(failure)
    return render(
        request,
        "patrols/quick_finding.html",
        {
            "grids": grids,
            "grid": grid,
            "values": values,
            "error": error,
            "risk_levels": RiskLevel.choices,
        },
        status=400 if error else 200,
    )

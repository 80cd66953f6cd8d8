"""Pages and the phone's JSON endpoints for patrols (adapters: they call the domain only)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.accounts import scope
from gridgov.accounts.choices import Role
from gridgov.cases.media import InvalidUpload, check_photo
from gridgov.core.models import get_visible_or_404
from gridgov.geo.models import Area
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.patrols import access, actions
from gridgov.patrols.choices import DayColour, RoundStatus
from gridgov.patrols.compliance import compliance, month_days, totals
from gridgov.patrols.models import Checkpoint, PatrolPlan, Round
from gridgov.patrols.tracks import read_track


def _refusal(error: Exception) -> JsonResponse:
    status = 403 if isinstance(error, NotAllowed) else 409
    return JsonResponse({"error": str(error)}, status=status)


def _float(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _own_round(request: HttpRequest, pk: int) -> Round:
    round_ = get_visible_or_404(
        Round.objects.select_related("plan", "grid__parent"), request.user, pk=pk
    )
    if round_.worker_id != request.user.pk:
        raise Http404
    return round_


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The worker's patrol day: plans with their rounds today, one tap to start."""
    user: Any = request.user
    if not scope.role_paths(user, (Role.GRID_WORKER, *access.SUPERVISORS)):
        raise Http404  # residents and department handlers have no patrol day
    day = timezone.localdate()
    plans = list(
        PatrolPlan.objects.filter(worker=user, is_active=True)
        .select_related("grid")
        .prefetch_related(Prefetch("checkpoints", Checkpoint.objects.in_force(day)))
    )
    rounds = list(
        Round.objects.filter(worker=user, day=day).select_related("grid").order_by("started_at")
    )
    open_round = next((r for r in rounds if r.status == RoundStatus.IN_PROGRESS), None)
    cells = compliance(plans, [day], today=day + dt.timedelta(days=1))
    return render(
        request,
        "patrols/today.html",
        {
            "plans": plans,
            "rounds": rounds,
            "open_round": open_round,
            "day": cells[0] if cells else None,
            "supervises": bool(scope.role_paths(user, access.SUPERVISORS)),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(PatrolPlan, pk=pk, worker=request.user)
    try:
        round_ = actions.start_round(
            plan=plan,
            acting_user=request.user,
            idempotency_key=request.POST.get("idempotency_key", "")[:64],
        )
    except (IllegalMove, NotAllowed) as error:
        from django.contrib import messages

        messages.error(request, str(error))
        return redirect("patrols:today")
    return redirect("patrols:round", pk=round_.pk)


@login_required
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_visible_or_404(
        Round.objects.select_related("plan", "grid__parent", "worker"), request.user, pk=pk
    )
    from gridgov.patrols.link_views import round_links

    checked = {c.checkpoint_id: c for c in round_.check_ins.all()}
    # The checkpoints expected that day, and any retired since that were checked in then.
    checkpoints = [
        (cp, checked.get(cp.pk))
        for cp in round_.plan.checkpoints.all()
        if cp.pk in checked or cp.retired_on is None or cp.retired_on > round_.day
    ]
    walking = round_.status == RoundStatus.IN_PROGRESS and round_.worker_id == request.user.pk
    return render(
        request,
        "patrols/round.html",
        {
            **round_links(round_, walking),
            "round": round_,
            "checkpoints": checkpoints,
            "findings": round_.findings.select_related("case"),
            "mine": round_.worker_id == request.user.pk,
            "walking": round_.status == RoundStatus.IN_PROGRESS
            and round_.worker_id == request.user.pk,
            "may_view_track": access.may_view_track(request.user, round_),
        },
    )


@login_required
@require_POST
def points(request: HttpRequest, pk: int) -> JsonResponse:
    import json

    round_ = _own_round(request, pk)
    try:
        body = json.loads(request.body or b"{}")
        batch = actions.record_points(
            round_,
            acting_user=request.user,
            points=body.get("points") or [],
            idempotency_key=str(body.get("key", ""))[:64],
        )
    except (ValueError, AttributeError):
        return JsonResponse({"error": _("The track batch could not be read.")}, status=400)
    except (IllegalMove, NotAllowed) as error:
        return _refusal(error)
    return JsonResponse({"ok": True, "count": batch.count})


@login_required
@require_POST
def check_in(request: HttpRequest, pk: int) -> JsonResponse:
    round_ = _own_round(request, pk)
    data = request.POST
    try:
        upload = request.FILES.get("photo")
        photo = check_photo(upload) if upload is not None else None
        check = actions.check_in(
            round_,
            acting_user=request.user,
            method=data.get("method", ""),
            checkpoint_id=data.get("checkpoint"),
            qr_token=data.get("qr", ""),
            lat=_float(data.get("lat")),
            lon=_float(data.get("lon")),
            photo=photo,
            at=_float(data.get("at")),
            idempotency_key=data.get("key", "")[:64],
        )
    except InvalidUpload as error:
        return JsonResponse({"error": str(error)}, status=400)
    except (IllegalMove, NotAllowed) as error:
        return _refusal(error)
    return JsonResponse(
        {
            "ok": True,
            "checkpoint": check.checkpoint_id,
            "method": check.method,
            "label": str(check.get_method_display()),
        }
    )


@login_required
@require_POST
def finding(request: HttpRequest, pk: int) -> JsonResponse:
    round_ = _own_round(request, pk)
    data = request.POST
    try:
        photos = [check_photo(f) for f in request.FILES.getlist("photo")[:9]]
        case = actions.report_finding(
            round_,
            acting_user=request.user,
            description=data.get("description", ""),
            lat=_float(data.get("lat")),
            lon=_float(data.get("lon")),
            photos=photos,
            idempotency_key=data.get("key", "")[:64],
        )
    except InvalidUpload as error:
        return JsonResponse({"error": str(error)}, status=400)
    except (IllegalMove, NotAllowed) as error:
        return _refusal(error)
    return JsonResponse({"ok": True, "case": case.number})


@login_required
@require_POST
def finish(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _own_round(request, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        if round_.status != RoundStatus.FINISHED:
            actions.finish_round(
                round_, acting_user=request.user, note=request.POST.get("note", "")[:2000]
            )
    except (IllegalMove, NotAllowed) as error:
        if wants_json:
            return _refusal(error)
        from django.contrib import messages

        messages.error(request, str(error))
    if wants_json:
        return JsonResponse({"ok": True, "url": reverse("patrols:round", args=[pk])})
    return redirect("patrols:round", pk=pk)


def _track_round(request: HttpRequest, pk: int) -> Round:
    """A round whose track this user may read; 404 otherwise (never "forbidden")."""
    round_ = Round.objects.select_related("plan", "grid").filter(pk=pk).first()
    if round_ is None or not access.may_view_track(request.user, round_):
        raise Http404
    return round_


@login_required
def track_json(request: HttpRequest, pk: int) -> JsonResponse:
    round_ = _track_round(request, pk)
    line = [[p[1], p[0]] for p in read_track(request.user, round_)]
    checkpoints = [
        {"name": cp.name, "lat": cp.lat, "lon": cp.lon, "radius": cp.radius_m}
        for cp in round_.plan.checkpoints.all()
    ]
    response = JsonResponse({"type": "LineString", "coordinates": line, "checkpoints": checkpoints})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def track_page(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = _track_round(request, pk)
    from django.conf import settings

    return render(
        request,
        "patrols/track.html",
        {
            "round": round_,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


def _month(value: str) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in value.split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@login_required
def compliance_page(request: HttpRequest) -> HttpResponse:
    """The month calendar of a worker (yourself by default), a community or a street."""
    year, month = _month(request.GET.get("month", ""))
    plans = PatrolPlan.objects.visible_to(request.user).select_related("grid", "worker")
    area_code = request.GET.get("area", "")
    worker_id = request.GET.get("worker", "")
    user: Any = request.user
    communities: list[tuple[str, str]] = []
    for path in scope.role_paths(user, access.SUPERVISORS):
        communities.extend(
            Area.objects.filter(path__startswith=path, kind__in=["community", "street"])
            .order_by("path")
            .values_list("code", "name")[:50]
        )
    # A supervisor who walks no plan of their own sees their first community or street.
    if (
        not area_code
        and not worker_id
        and communities
        and not PatrolPlan.objects.filter(worker=user).exists()
    ):
        area_code = communities[0][0]
    subject: Any = None
    if area_code:
        area = get_visible_or_404(Area.objects.all(), request.user, code=area_code)
        if not access.may_supervise(request.user, area.path):
            raise Http404
        plans = plans.filter(grid__path__startswith=area.path)
        subject = area.name
    elif worker_id.isdigit():
        plans = plans.filter(worker_id=int(worker_id))
        first = plans.first()
        if first is None:
            raise Http404
        subject = str(first.worker)
    else:
        plans = plans.filter(worker=request.user)
        subject = _("My rounds")
    plan_list = list(plans)
    days = compliance(plan_list, month_days(year, month))
    first = dt.date(year, month, 1)
    previous = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    following = (first + dt.timedelta(days=32)).strftime("%Y-%m")
    return render(
        request,
        "patrols/compliance.html",
        {
            "subject": subject,
            "month": first,
            "lead": range(first.weekday()),
            "days": days,
            "totals": totals(days),
            "previous": previous,
            "following": following,
            "areas": communities,
            "area_code": area_code,
            "plans": plan_list,
            "colours": DayColour,
            "query": f"&area={area_code}"
            if area_code
            else f"&worker={worker_id}"
            if worker_id.isdigit()
            else "",
        },
    )


def _qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


@login_required
def qr_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable QR codes of a plan's checkpoints (to post at each checkpoint)."""
    plan = get_visible_or_404(
        PatrolPlan.objects.select_related("grid", "worker"), request.user, pk=pk
    )
    codes = [
        (cp, mark_safe(_qr_svg(f"GRIDGOV-CP:{cp.qr_token}")))  # noqa: S308 - our own SVG
        for cp in plan.checkpoints.in_force(timezone.localdate())
    ]
    return render(request, "patrols/qr_sheet.html", {"plan": plan, "codes": codes})


def service_worker(request: HttpRequest) -> HttpResponse:
    """The offline service worker, served under /patrols/ so its scope covers the round pages."""
    from django.contrib.staticfiles import finders

    path = finders.find("gridgov/patrol-sw.js")
    with open(str(path), encoding="utf-8") as handle:
        body = handle.read()
    response = HttpResponse(body, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/patrols/"
    return response

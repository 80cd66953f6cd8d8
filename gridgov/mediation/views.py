"""Mediation pages (phone first): the list of the cases the user may see, the case page with
its generated action forms, registering an application, unmasking a party (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.cases.action_forms import report_input_errors, take_action
from gridgov.core.models import get_visible_or_404
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.mediation import actions, deadlines
from gridgov.mediation.choices import (
    RUNNING_STATUSES,
    Level,
    MediationStatus,
    Warning,
)
from gridgov.mediation.forms import RegisterForm, UnmaskForm, action_forms, register_areas
from gridgov.mediation.lifecycle import MEDIATIONS
from gridgov.mediation.models import MediationCase, MediationParty, SessionStatement

DUE_FILTERS = ("yellow", "red", "overdue")


def _filtered(request: HttpRequest, visible: Any) -> tuple[Any, dict[str, str]]:
    today = timezone.localdate()
    chosen = {
        "status": request.GET.get("status", "open"),
        "level": request.GET.get("level", ""),
        "due": request.GET.get("due", ""),
    }
    cases = visible
    status = chosen["status"]
    if status == "open":
        cases = cases.open()
    elif status in MediationStatus.values:
        cases = cases.filter(status=status)
    else:
        chosen["status"] = "all"
    if chosen["level"] in {str(v) for v in Level.values}:
        cases = cases.filter(level=int(chosen["level"]))
    else:
        chosen["level"] = ""
    due = chosen["due"]
    if due in DUE_FILTERS:
        cases = cases.filter(status__in=RUNNING_STATUSES)
        if due == "overdue":
            cases = cases.filter(due_on__lt=today)
        else:
            days = settings.MEDIATION_RED_DAYS if due == "red" else settings.MEDIATION_YELLOW_DAYS
            cases = cases.filter(due_on__gte=today, due_on__lt=today + dt.timedelta(days=days))
    else:
        chosen["due"] = ""
    return cases, chosen


@login_required
def mediation_list(request: HttpRequest) -> HttpResponse:
    visible = MediationCase.objects.visible_to(request.user)
    cases, chosen = _filtered(request, visible)
    cases = cases.select_related("community", "grid").defer("community__boundary", "grid__boundary")
    ordered = cases.order_by(F("due_on").asc(nulls_last=True), "-created_at", "-pk")
    page = Paginator(ordered, 25).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for mediation in page:
        mediation.warning_level = mediation.warning(today)
    query = "&".join(f"{k}={v}" for k, v in chosen.items() if v)
    context = {
        "page": page,
        "chosen": chosen,
        "statuses": [("open", _("In progress")), *MediationStatus.choices, ("all", _("All"))],
        "levels": Level.choices,
        "dues": [(k, Warning(k).label) for k in DUE_FILTERS],
        "can_register": register_areas(request.user).exists(),
        "query_prefix": f"{query}&" if query else "",
        "active_nav": "mediation",
    }
    return render(request, "mediation/list.html", context)


@login_required
def mediation_new(request: HttpRequest) -> HttpResponse:
    if not register_areas(request.user).exists():
        raise Http404
    form = RegisterForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                mediation = actions.register_mediation(
                    acting_user=request.user,  # type: ignore[arg-type]
                    **form.action_kwargs(),
                )
                messages.success(
                    request,
                    _("Mediation case %(number)s registered.") % {"number": mediation.number},
                )
                return redirect("mediation:detail", pk=mediation.pk)
            except (IllegalMove, NotAllowed) as error:
                messages.error(request, str(error))
                status = 409
        else:
            status = 400
    return render(
        request, "mediation/new.html", {"form": form, "active_nav": "mediation"}, status=status
    )


def _get(request: HttpRequest, pk: int) -> MediationCase:
    mediation: MediationCase = get_visible_or_404(
        MediationCase.objects.select_related("community", "grid", "area", "case").defer(
            "community__boundary", "grid__boundary", "area__boundary"
        ),
        request.user,
        pk=pk,
    )
    assignments = list(mediation.assignments.select_related("mediator"))
    mediation._current_assignment = next(  # type: ignore[attr-defined]
        (a for a in assignments if a.ended_at is None), None
    )
    mediation._assignments = assignments  # type: ignore[attr-defined]
    return mediation


def _detail_context(request: HttpRequest, mediation: MediationCase, **extra: Any) -> dict[str, Any]:
    parties = list(mediation.parties.prefetch_related("representatives"))
    mediation._parties = parties  # type: ignore[attr-defined]
    sessions = mediation.sessions.select_related("recorded_by").prefetch_related(
        Prefetch("statements", queryset=SessionStatement.objects.select_related("party"))
    )
    agreements = list(mediation.agreements.select_related("mediator"))
    today = timezone.localdate()
    written = [a for a in agreements if a.kind == "written"]
    window = None
    if written:
        window = deadlines.confirmation_days_left(written[-1].signed_on, today)
    return {
        "mediation": mediation,
        "parties": parties,
        "assignments": mediation._assignments,  # type: ignore[attr-defined]
        "current": mediation._current_assignment,  # type: ignore[attr-defined]
        "sessions": sessions,
        "agreements": agreements,
        "follow_ups": mediation.follow_ups.select_related("done_by"),
        "confirmations": mediation.confirmations.select_related("agreement"),
        "extensions": mediation.extensions.all(),
        "events": mediation.events.select_related("actor"),
        "actions": action_forms(request.user, mediation),
        "warning": mediation.warning(today),
        "days_left": deadlines.days_left(mediation, today),
        "confirmation_days_left": window,
        "confirmation_warn": settings.MEDIATION_CONFIRMATION_WARN_DAYS,
        "may_unmask": bool(MEDIATIONS.relations(request.user, mediation)),
        "unmask_form": extra.pop("unmask_form", UnmaskForm()),
        "active_nav": "mediation",
        **extra,
    }


@login_required
def mediation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mediation = _get(request, pk)
    return render(request, "mediation/detail.html", _detail_context(request, mediation))


@login_required
@require_POST
def mediation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    mediation = _get(request, pk)
    if action not in MEDIATIONS or MEDIATIONS[action].system:
        raise Http404

    def page(status: int) -> HttpResponse:
        again = _get(request, pk)
        context = _detail_context(request, again)
        return render(request, "mediation/detail.html", context, status=status)

    url = reverse("mediation:detail", kwargs={"pk": mediation.pk})
    # Say first that the move is not possible now, rather than which fields it would need.
    return take_action(
        request, MEDIATIONS, mediation, MEDIATIONS[action], url, page, status_first=True
    )


@login_required
@require_POST
def party_unmask(request: HttpRequest, pk: int, party: int) -> HttpResponse:
    mediation = _get(request, pk)
    row = MediationParty.objects.filter(pk=party, mediation=mediation).first()
    if row is None:
        raise Http404
    form = UnmaskForm(request.POST)
    full = None
    status = 200
    if str(form.data.get("reason", "")).strip() and not form.is_valid():
        # An oversized reason: refused as it is, never silently cut (the audit keeps 200).
        report_input_errors(request, form)
        context = _detail_context(request, mediation, unmask_form=UnmaskForm())
        return render(request, "mediation/detail.html", context, status=400)
    try:
        reason = form.data.get("reason", "")
        full = actions.unmask_party(row, str(reason), acting_user=request.user)  # type: ignore[arg-type]
        full["party"] = str(row.pk)
    except PermissionDenied as error:
        messages.error(request, str(error))
        status = 403
    context = _detail_context(request, mediation, unmask_form=form, full=full)
    return render(request, "mediation/detail.html", context, status=status)

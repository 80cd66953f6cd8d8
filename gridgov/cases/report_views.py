"""The resident side: report a problem from a phone (signed in or not), follow it by code."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gridgov.accounts import scope
from gridgov.accounts.choices import Role
from gridgov.cases import actions
from gridgov.cases.choices import Channel, EventKind
from gridgov.cases.models import Case
from gridgov.cases.report_forms import ReportForm
from gridgov.core.ratelimits import rate_limited


def _bound_key(request: HttpRequest, key: str) -> str:
    """The idempotency key as stored: bound to the signed-in user or, for an anonymous reporter,
    to a secret kept in their session, so replaying someone else's key never finds their case."""
    if not key:
        return ""
    if request.user.is_authenticated:
        owner = f"user:{request.user.pk}"
    else:
        owner = f"session:{_reporter_secret(request)}"
    return hashlib.sha256(f"{owner}:{key}".encode()).hexdigest()


def _reporter_secret(request: HttpRequest) -> str:
    # Made when the form is first shown, so the cookie is set before the first submission (whose
    # answer may be lost on a bad network).
    secret = request.session.get("report_secret")
    if not secret:
        secret = request.session["report_secret"] = secrets.token_urlsafe(24)
    return str(secret)


@rate_limited("report", methods=["POST"], anonymous_only=True)
def report(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_authenticated and not _may_report(user):
        # Departments, mediators and administrators report nowhere: say so before they type.
        raise PermissionDenied(
            _("Your account cannot report problems. Sign out to report as a resident.")
        )
    form = ReportForm(request.POST or None, request.FILES or None, user=user)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if not user.is_authenticated:
        _reporter_secret(request)
    if request.method == "POST" and form.is_valid():
        fields = form.case_fields()
        fields["idempotency_key"] = _bound_key(request, fields["idempotency_key"])
        acting = user if user.is_authenticated else None
        try:
            case = actions.create_case(
                acting_user=acting,
                channel=Channel.RESIDENT_APP,
                reporter_user=acting,
                reporter_name=fields.pop("reporter_name")
                or (getattr(user, "full_name", "") if acting else ""),
                reporter_phone=fields.pop("reporter_phone") or (user.phone if acting else ""),  # type: ignore[union-attr]
                **fields,
            )
        except (actions.IllegalMove, actions.NotAllowed) as error:
            form.add_error(None, str(error))
        else:
            if acting is None:
                request.session["tracking_code"] = case.tracking_code
                target = reverse("cases:report_done")
            else:
                messages.success(
                    request,
                    _("Thank you. Your report %(number)s was received.") % {"number": case.number},
                )
                target = reverse("cases:detail", args=[case.number])
            if wants_json:
                return JsonResponse({"number": case.number, "url": target})
            return redirect(target)
    status = 400 if request.method == "POST" else 200
    if wants_json and request.method == "POST":
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        return JsonResponse({"errors": errors}, status=400)
    units = form.fields["unit"].queryset.order_by("building_id", "number")  # type: ignore[attr-defined]
    context = {"form": form, "units": units, "max_photos": settings.CASE_MAX_PHOTOS}
    return render(request, "cases/report.html", context, status=status)


def report_done(request: HttpRequest) -> HttpResponse:
    code = request.session.get("tracking_code")
    if not code:
        return redirect("cases:report")
    return render(request, "cases/report_done.html", {"code": code})


@rate_limited("track")
def track(request: HttpRequest) -> HttpResponse:
    """An anonymous reporter follows a case with its tracking code (status and units only).

    The code opens the case, so it is sent in a POST body (with the CSRF token), never in the URL
    that access logs and browser histories keep; a code in the query string is ignored."""
    code = (request.POST.get("code") or "").strip().upper()[:32]
    case = None
    if code:
        case = (
            Case.objects.filter(tracking_code=code)
            .exclude(tracking_code="")
            .select_related("owner")
            .first()
        )
        if case is None:
            messages.error(request, _("No report has this tracking code."))
    events = _public_events(case) if case else []
    survivor = _survivor(case) if case else None
    return render(
        request,
        "cases/track.html",
        {
            "case": case,
            "code": code,
            "events": events,
            "survivor": survivor,
            "survivor_events": _public_events(survivor) if survivor else [],
        },
        status=200 if case or not code else 404,
    )


HIDDEN_EVENTS = (EventKind.SLA_CHANGED, EventKind.PROGRESS_NOTE)


def _public_events(case: Case) -> list:
    return list(case.events.exclude(kind__in=HIDDEN_EVENTS).select_related("actor_org"))


def _survivor(case: Case) -> Case | None:
    """The case a merged report now lives on (following merges of merges), or None."""
    survivor, seen = case, {case.pk}
    while survivor.merged_into_id and survivor.merged_into_id not in seen:
        seen.add(survivor.merged_into_id)
        survivor = Case.objects.select_related("owner").get(pk=survivor.merged_into_id)
    return survivor if survivor.pk != case.pk else None


def _may_report(user: Any) -> bool:
    """A signed-in user reports as a resident, or registers for a community as staff."""
    has_resident = any(m.role == Role.RESIDENT for m in user.active_memberships)
    return has_resident or bool(scope.case_create_paths(user))

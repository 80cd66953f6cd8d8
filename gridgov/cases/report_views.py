"""The resident side: report a problem from a phone (signed in or not), follow it by code."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gridgov.cases import actions
from gridgov.cases.choices import Channel
from gridgov.cases.models import Case
from gridgov.cases.report_forms import ReportForm
from gridgov.core.ratelimits import rate_limited


@rate_limited("report", methods=["POST"], anonymous_only=True)
def report(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ReportForm(request.POST or None, request.FILES or None, user=user)
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if request.method == "POST" and form.is_valid():
        fields = form.case_fields()
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
    return render(request, "cases/report.html", {"form": form, "units": units}, status=status)


def report_done(request: HttpRequest) -> HttpResponse:
    code = request.session.get("tracking_code")
    if not code:
        return redirect("cases:report")
    return render(request, "cases/report_done.html", {"code": code})


@rate_limited("track")
def track(request: HttpRequest) -> HttpResponse:
    """An anonymous reporter follows a case with its tracking code (status and units only)."""
    code = (request.GET.get("code") or "").strip().upper()
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
    events = case.events.select_related("actor_org") if case else []
    return render(
        request,
        "cases/track.html",
        {"case": case, "code": code, "events": events},
        status=200 if case or not code else 404,
    )

"""Report pages: the list, a report (phone and desktop), its PDF and XLSX downloads (audited),
and the monthly meeting's conclusions and action items."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gridgov.accounts import scope
from gridgov.audit.log import record
from gridgov.core.models import get_visible_or_404
from gridgov.core.spreadsheets import stamp, xlsx_response
from gridgov.lifecycle import IllegalMove, NotAllowed, transition
from gridgov.reports import actions, exports
from gridgov.reports.forms import ActionItemForm, ConclusionForm, FilterForm
from gridgov.reports.lifecycle import ITEMS
from gridgov.reports.models import ActionItem, MeetingNote, Report
from gridgov.reports.present import page_context
from gridgov.reports.snapshot import action_item_json


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    if not scope.report_paths(request.user):  # type: ignore[arg-type]
        raise Http404  # no role that reads reports (a resident): like the dashboard, not there
    form = FilterForm(request.GET or None)
    reports = Report.objects.visible_to(request.user).latest_versions()
    if form.is_valid():
        if form.cleaned_data["kind"]:
            reports = reports.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["area"]:
            reports = reports.filter(area__code=form.cleaned_data["area"])
    reports = reports.select_related("area").defer("content", "area__boundary")
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "form": form,
        "query_prefix": f"{query.urlencode()}&" if query else "",
        "active_nav": "reports",
    }
    return render(request, "reports/list.html", context)


def _get_report(request: HttpRequest, pk: int) -> Report:
    return get_visible_or_404(
        Report.objects.select_related("area", "generated_by").defer("area__boundary"),
        request.user,
        pk=pk,
    )


def _meeting(request: HttpRequest, report: Report) -> dict[str, Any]:
    if not report.is_monthly:
        return {}
    may_record = Report.objects.visible_to(request.user, "change").filter(pk=report.pk).exists()
    items = list(
        ActionItem.objects.filter(area=report.area, period=report.period)
        .select_related("owner", "area")
        .defer("area__boundary")
    )
    carried = {i["id"] for i in report.content.get("carried_over", [])}
    live = {
        item.pk: item
        for item in ActionItem.objects.filter(pk__in=carried)
        .select_related("owner", "area")
        .defer("area__boundary")
    }
    return {
        "may_record": may_record,
        "notes": MeetingNote.objects.filter(area=report.area, period=report.period).select_related(
            "author"
        ),
        "items": [{"item": item, "actions": ITEMS.available(request.user, item)} for item in items],
        "carried_now": {
            pk: {
                "json": action_item_json(item),
                "actions": ITEMS.available(request.user, item),
            }
            for pk, item in live.items()
        },
        "conclusion_form": ConclusionForm(),
        "item_form": ActionItemForm(owners=actions.meeting_owners(report)) if may_record else None,
    }


def _detail(request: HttpRequest, report: Report, status: int = 200, **extra: Any) -> HttpResponse:
    versions = (
        Report.objects.filter(kind=report.kind, area=report.area, period=report.period)
        .only("pk", "version", "generated_at")
        .order_by("-version")
    )
    context = {
        "report": report,
        "c": report.content,
        **page_context(report.content),
        **_meeting(request, report),
        "versions": versions,
        "on_page": True,
        "active_nav": "reports",
        **extra,
    }
    return render(request, "reports/detail.html", context, status=status)


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_report(request, pk))


def _filename(report: Report, extension: str) -> str:
    kind = report.get_kind_display()
    return f"{kind}-{report.area.name}-{report.period}-v{report.version}.{extension}"


def _audit_download(request: HttpRequest, report: Report, fmt: str) -> None:
    record(
        "report.downloaded",
        actor=request.user,
        obj=report,
        object_repr=f"{report.area.name} {report.period}",
        detail={"format": fmt, "area": report.area.code, "period": report.period},
    )


@login_required
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    data = exports.workbook(report, stamp(request.user))
    _audit_download(request, report, "xlsx")
    return xlsx_response(data, quote(_filename(report, "xlsx")))


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    data = exports.stored_pdf(report)
    _audit_download(request, report, "pdf")
    from gridgov.core.pdf import pdf_response  # on use: see exports.pdf

    return pdf_response(data, _filename(report, "pdf"))


@login_required
@require_POST
def record_conclusion(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    form = ConclusionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the conclusion."))
        return _detail(request, report, status=400)
    try:
        actions.record_conclusion(report, acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except NotAllowed as error:
        raise Http404 from error
    except IllegalMove as error:
        messages.error(request, str(error))
        return _detail(request, report, status=409)
    messages.success(request, _("Conclusion recorded."))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def add_action_item(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report(request, pk)
    if (
        not report.is_monthly
        or not Report.objects.visible_to(request.user, "change").filter(pk=report.pk).exists()
    ):
        raise Http404
    form = ActionItemForm(request.POST, owners=actions.meeting_owners(report))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _detail(request, report, status=400)
    try:
        actions.add_action_item(report, acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except NotAllowed as error:
        raise Http404 from error
    except IllegalMove as error:
        messages.error(request, str(error))
        return _detail(request, report, status=409)
    messages.success(request, _("Action item added."))
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    visible = ActionItem.objects.visible_to(request.user).values("pk")
    item = ActionItem.objects.filter(Q(pk__in=visible) | Q(owner_id=request.user.pk), pk=pk).first()
    if item is None:
        raise Http404
    if action not in ITEMS:
        raise Http404
    back = request.POST.get("report", "")
    try:
        transition(ITEMS, item, action, acting_user=request.user, data={})
        messages.success(request, _("Done: %(action)s.") % {"action": ITEMS[action].button})
    except (IllegalMove, NotAllowed) as error:
        messages.error(request, str(error))
    report = (
        Report.objects.visible_to(request.user).filter(pk=back).first() if back.isdigit() else None
    )
    return redirect("reports:detail", pk=report.pk if report else item.report_id)

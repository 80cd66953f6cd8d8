"""The audit administrator's pages: search the log and export it (read-only for everyone)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gridgov.audit.log import record
from gridgov.audit.models import AuditEntry, AuditResult
from gridgov.audit.readable import (
    action_label,
    detail_text,
    labelled,
    object_type_label,
    role_labels,
)
from gridgov.core.spreadsheets import stamp, table, xlsx_response

EXPORT_MAX_ROWS = 100_000


class AuditFilter(forms.Form):
    actor = forms.CharField(
        label=gettext_lazy("Actor (login name)"), required=False, max_length=150
    )
    action = forms.CharField(
        label=gettext_lazy("Action starts with"), required=False, max_length=64
    )
    result = forms.ChoiceField(
        label=gettext_lazy("Result"),
        choices=[("", gettext_lazy("All")), *AuditResult.choices],
        required=False,
    )
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    object_type = forms.CharField(
        label=gettext_lazy("Object type"), required=False, max_length=64, widget=forms.HiddenInput
    )
    object_id = forms.CharField(label=gettext_lazy("Object id"), required=False, max_length=64)

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        if not self.is_valid():
            return entries.none()
        data = self.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_name=data["actor"])
        if data["action"]:
            entries = entries.filter(action__startswith=data["action"])
        if data["result"]:
            entries = entries.filter(result=data["result"])
        zone = timezone.get_current_timezone()
        if data["since"]:
            entries = entries.filter(at__gte=dt.datetime.combine(data["since"], dt.time(), zone))
        if data["until"]:
            end = dt.datetime.combine(data["until"] + dt.timedelta(days=1), dt.time(), zone)
            entries = entries.filter(at__lt=end)
        if data["object_type"]:
            entries = entries.filter(object_type=data["object_type"])
        if data["object_id"]:
            entries = entries.filter(object_id=data["object_id"])
        return entries


def _auditor(request: HttpRequest) -> Any:
    from gridgov.accounts.choices import Role

    user = request.user
    if not user.has_role(Role.AUDIT_ADMIN):  # type: ignore[union-attr]
        raise Http404
    return user


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    user = _auditor(request)
    filters = AuditFilter(request.GET or None)
    visible = AuditEntry.objects.visible_to(user)
    entries = filters.apply(visible) if request.GET else visible
    page = Paginator(entries.order_by("-seq"), 50).get_page(request.GET.get("page"))
    rows = labelled(page.object_list)
    links = object_links(rows, request.user)
    for e in rows:
        e.object_url = links.get((e.object_type, e.object_id), "")
        e.object_history_url = (
            "?" + urlencode({"object_type": e.object_type, "object_id": e.object_id})
            if e.object_id
            else ""
        )
        e.actor_history_url = "?" + urlencode({"actor": e.actor_name}) if e.actor_name else ""
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "query_prefix": f"{query.urlencode()}&" if query else "",
            "active_nav": "audit",
        },
    )


def object_links(rows: list[AuditEntry], user: Any) -> dict[tuple[str, str], str]:
    """Links to the objects of these rows that the auditor may open: one query per kind.

    Visibility decides, as everywhere (`visible_to`): the audit administrator, who holds no
    area role (三权分立), usually gets none and follows an object through its history instead.
    """
    from gridgov.cases.models import Case
    from gridgov.registry.models import Person

    wanted: dict[str, set[str]] = {}
    for e in rows:
        if e.object_id.isdigit():
            wanted.setdefault(e.object_type, set()).add(e.object_id)
    links: dict[tuple[str, str], str] = {}
    if ids := wanted.get("cases.case"):
        for pk, number in (
            Case.objects.visible_to(user).filter(pk__in=ids).values_list("pk", "number")
        ):
            links["cases.case", str(pk)] = reverse("cases:detail", args=[number])
    if ids := wanted.get("registry.person"):
        for pk in Person.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True):
            links["registry.person", str(pk)] = reverse("registry:person", args=[pk])
    return links


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    user = _auditor(request)
    filters = AuditFilter(request.GET)
    entries = filters.apply(AuditEntry.objects.visible_to(user)).order_by("seq")
    count = entries.count()
    if count > EXPORT_MAX_ROWS:
        return HttpResponse(
            _("%(n)d rows match; at most %(max)d can be exported at once. Narrow the filter.")
            % {"n": count, "max": EXPORT_MAX_ROWS},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    headers = [
        "#",
        "时间",
        "操作人",
        "角色",
        "操作",
        "操作代码",
        "对象类型",
        "对象",
        "结果",
        "IP",
        "详情",
        "哈希",
    ]

    def rows() -> Any:
        for e in entries.iterator(chunk_size=2000):
            yield [
                e.seq,
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
                e.actor_name,
                role_labels(e.role),
                action_label(e.action),
                e.action,
                object_type_label(e.object_type) if e.object_type else "",
                f"{e.object_id} {e.object_repr}".strip(),
                e.get_result_display(),
                e.ip or "",
                detail_text(e),
                e.hash,
            ]

    data = table("审计日志", headers, rows(), stamp(user))
    record("audit.export", actor=user, detail={"rows": count})
    return xlsx_response(data, f"audit-{timezone.localdate():%Y%m%d}.xlsx")

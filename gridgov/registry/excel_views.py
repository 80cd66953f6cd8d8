"""Excel pages: the template, the import (with its progress and report) and the export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gridgov.audit.log import record
from gridgov.core import crypto
from gridgov.core.masking import mask_id_number
from gridgov.core.models import get_visible_or_404
from gridgov.core.spreadsheets import stamp, table, xlsx_response
from gridgov.registry import excel, search
from gridgov.registry.filters import PersonFilter
from gridgov.registry.import_recovery import retry_import
from gridgov.registry.models import ImportJob, ImportMode
from gridgov.registry.permissions import can_register, owns
from gridgov.registry.views import _registry_user


@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    _registry_user(request)
    return xlsx_response(excel.people_template(), "people-template.xlsx")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Filled-in template (.xlsx)"))
    mode = forms.ChoiceField(
        label=gettext_lazy("If some rows have problems"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.REGISTRY_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit)d MB.")
                % {
                    "size": upload.size / 1048576,
                    "limit": settings.REGISTRY_IMPORT_MAX_BYTES // 1048576,
                }
            )
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file made from the template."))
        return upload


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    user = _registry_user(request)
    if not can_register(user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            # The archive, headers and declared sizes only: the rows are read once, by the task.
            excel.check_workbook(data, max_rows=settings.REGISTRY_IMPORT_MAX_ROWS)
        except excel.SheetError as error:
            form.add_error("file", str(error))
        else:
            from gridgov.registry.tasks import import_people

            with transaction.atomic():
                job = ImportJob.objects.create(
                    created_by=user,
                    filename=upload.name[:200],
                    mode=form.cleaned_data["mode"],
                    payload=crypto.encrypt_bytes(data),
                )
                transaction.on_commit(lambda: import_people.delay(job.pk))
            return redirect("registry:import-job", pk=job.pk)
    jobs = ImportJob.objects.visible_to(user)[:5]
    return render(
        request,
        "registry/import.html",
        {
            "form": form,
            "jobs": jobs,
            "max_rows": settings.REGISTRY_IMPORT_MAX_ROWS,
            "active_nav": "registry",
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@never_cache
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_visible_or_404(ImportJob.objects, request.user, pk=pk)
    template = "registry/_import_progress.html" if request.htmx else "registry/import_job.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"job": job, "problems": job.problems[:50], "active_nav": "registry"},
    )


@login_required
@require_POST
def import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_visible_or_404(ImportJob.objects, request.user, pk=pk)
    if not retry_import(job, acting_user=request.user):
        messages.error(request, _("This import cannot be run again: upload the file again."))
    return redirect("registry:import-job", pk=job.pk)


@login_required
def import_report(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_visible_or_404(ImportJob.objects, request.user, pk=pk)
    data = excel.problems_report(job.problems, stamp(request.user))
    return xlsx_response(data, f"import-{job.pk}-problems.xlsx")


@login_required
def export_people(request: HttpRequest) -> HttpResponse:
    user = _registry_user(request)
    wanted, _refused = search.filter_data(request)  # a stored search, never a number in the URL
    filters = PersonFilter(wanted or QueryDict(), user=user)
    people = filters.people()
    count = people.count()
    if count > settings.REGISTRY_EXPORT_MAX_ROWS:
        return HttpResponse(
            _("%(n)d people match; at most %(max)d can be exported at once. Narrow the filter.")
            % {"n": count, "max": settings.REGISTRY_EXPORT_MAX_ROWS},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    today = dt.date.today()
    headers = [
        "姓名",
        "公民身份号码",
        "手机号码",
        "性别",
        "年龄",
        "民族",
        "户籍类型",
        "网格",
        "楼栋",
        "单元",
        "房号",
        "状态",
    ]

    def rows() -> Any:
        for p in people.iterator(chunk_size=1000):
            house = p.house
            yield [
                p.masked_name,
                p.masked_id(wide=owns(user, p)),
                p.masked_phone,
                p.get_sex_display(),
                (today.year - p.birth_date.year) if p.birth_date else "",
                p.ethnicity,
                p.get_registration_display(),
                p.grid.name if p.grid else "",
                house.unit.building.name if house else "",
                house.unit.number if house else "",
                house.number if house else "",
                p.get_status_display(),
            ]

    data = table("实有人口", headers, rows(), stamp(user))
    record(
        "registry.export",
        actor=user,
        object_repr=_("People list"),
        detail={
            "rows": count,
            # The search box may hold a full ID or phone number: masked here too.
            "filter": {
                k: mask_id_number(str(v)) if k == "q" else v for k, v in request.GET.items() if v
            },
        },
    )
    return xlsx_response(data, f"people-{timezone.localdate():%Y%m%d}.xlsx")

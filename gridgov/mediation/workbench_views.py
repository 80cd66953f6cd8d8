"""The mediation workbench page: the user's queues with their counts, one queue's cases."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from gridgov.mediation import workbench


@login_required
def workbench_page(request: HttpRequest) -> HttpResponse:
    role = workbench.workbench_role(request.user)
    if role is None:
        raise Http404
    today = timezone.localdate()
    counts = workbench.counts(request.user, today)
    key = request.GET.get("queue", "")
    if key not in workbench.BY_KEY:
        key = next((q.key for q in workbench.QUEUES if counts[q.key]), workbench.QUEUES[0].key)
    page = Paginator(workbench.queue_cases(request.user, key, today), 25).get_page(
        request.GET.get("page")
    )
    days = dt.timedelta(days=settings.MEDIATION_CONFIRMATION_DAYS)
    for mediation in page:
        mediation.warning_level = mediation.warning(today)  # type: ignore[attr-defined]
        signed = getattr(mediation, "agreement_signed_on", None)
        mediation.confirm_by = signed + days if signed else None  # type: ignore[attr-defined]
    context = {
        "queues": [(q.key, q.label, counts[q.key]) for q in workbench.QUEUES],
        "chosen": key,
        "page": page,
        "role": role,
        "today": today,
        "query_prefix": f"queue={key}&",
        "active_nav": "mediation",
    }
    return render(request, "mediation/workbench.html", context)

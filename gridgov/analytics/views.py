from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.analytics import dashboards
from gridgov.analytics.periods import PeriodKind


def _context(request: HttpRequest, code: str | None) -> dict:
    area = dashboards.area_for(request.user, code)
    period = dashboards.period_from(request.GET)
    board = dashboards.build(request.user, area, period)
    return {
        "board": board,
        "area": area,
        "period": period,
        "chart_data": dashboards.chart_data(board),
        "period_kinds": [
            (PeriodKind.WEEK, _("This week")),
            (PeriodKind.MONTH, _("This month")),
            (PeriodKind.QUARTER, _("This quarter")),
            (PeriodKind.YEAR, _("This year")),
        ],
        "ancestors": [
            a
            for a in area.ancestors()
            if dashboards.scope.covers(dashboards.dashboard_paths(request.user), a.path)
        ],
        "screen_url": reverse("analytics:screen", args=[area.code]),
        "today": timezone.localdate(),
    }


@login_required
def dashboard(request: HttpRequest, code: str | None = None) -> HttpResponse:
    return render(request, "analytics/dashboard.html", _context(request, code))


@login_required
def screen(request: HttpRequest, code: str) -> HttpResponse:
    context = _context(request, code)
    if request.GET.get("partial"):
        return render(request, "analytics/_screen_body.html", context)
    return render(request, "analytics/screen.html", context)

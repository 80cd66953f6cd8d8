"""The demo year (issue 12, ADR "year demo year"): `seed-demo` seeds a calendar year of 河西社区
history whose figures reproduce what the community published. The expected numbers are the
ADR's table, written by hand: 124 opinions, 113 services, 5 leaks, 10 environment problems,
30 hazards, 3 disputes, 100 % completion (267 / 267), 12 patrol finds, 33 conflict risks,
23 complex disputes, 98 % mediation success (49 / 50)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.analytics.annual import annual_figures
from gridgov.analytics.metrics import figures
from gridgov.analytics.periods import Period
from gridgov.cases.choices import Status
from gridgov.cases.models import Case
from gridgov.demo.seed import seed_demo
from gridgov.demo.year import demo_year, settle_notifications
from gridgov.geo.models import Area
from gridgov.hazards.models import Hazard
from gridgov.inbox.models import Notification
from gridgov.mediation.models import MediationCase
from tests.conftest import pass_two_factor

pytestmark = pytest.mark.django_db

HEXI = "222405001001"
PUBLISHED = {
    "opinions": 124,  # 120+ opinions collected
    "services": 113,  # 110+ services given
    "leaks": 5,  # 5 sudden leaks solved
    "environment": 10,  # 10 environment problems fixed
    "hazards": 30,  # 30 hazards rectified
    "disputes": 3,  # 3 disputes through the platform
    "completion_rate": Decimal("100.00"),  # completion rate 100 %
    "patrol_finds": 12,  # 10+ problems found on patrol
    "conflict_risks": 33,  # 30+ conflict risks screened
    "complex_disputes": 23,  # 23 complex disputes mediated …
    "mediation_success": Decimal("98.00"),  # … at 98 % success
}


@pytest.fixture
def seeded():
    call_command("seed_demo", stdout=io.StringIO())
    year = demo_year()
    return Area.objects.get(code=HEXI), Period.year(year)


def test_the_demo_year_is_a_past_year_clear_of_the_recent_demo():
    assert demo_year(dt.date(2026, 12, 1)) == 2025
    assert demo_year(dt.date(2027, 3, 1)) == 2025  # 2026 ended only 60 days ago
    assert demo_year(dt.date(2027, 7, 1)) == 2026


def test_the_dashboard_figures_of_the_demo_year_are_the_published_ones(
    django_capture_on_commit_callbacks,
):
    # As in the real seed, the actions' notifications are delivered after the seed's commit.
    with django_capture_on_commit_callbacks(execute=True):
        seed_demo()
    community, year = Area.objects.get(code=HEXI), Period.year(demo_year())
    # The year's hazards and mediations notified staff "today": settled as old, read news.
    year_notes = Notification.objects.filter(
        Q(url__startswith="/hazards/") | Q(url__startswith="/mediation/"),
        created_at__year=year.start.year,
    )
    unread = Notification.objects.filter(read_at__isnull=True)
    before = unread.count()
    settled = settle_notifications(HEXI, year.start.year)
    assert settled > 0
    assert unread.count() == before - settled
    assert year_notes.count() == settled
    rows = {row.key: row for row in annual_figures(community, year)}
    assert {key: rows[key].value for key in PUBLISHED} == PUBLISHED
    assert (rows["completion_rate"].numerator, rows["completion_rate"].denominator) == (267, 267)
    assert (rows["mediation_success"].numerator, rows["mediation_success"].denominator) == (49, 50)
    # Every case of the year is closed on time, and the rollups agree with the events.
    start = dt.datetime(year.start.year, 1, 1, tzinfo=timezone.get_current_timezone())
    cases = Case.objects.filter(
        community=community,
        created_at__gte=start,
        created_at__lt=(start.replace(year=start.year + 1)),
    )
    assert cases.count() == 267
    assert set(cases.values_list("status", flat=True)) == {Status.CLOSED}
    from_rollups = figures(community, year)
    direct = figures(community, year, source="direct")
    assert {k: (f.numerator, f.denominator) for k, f in from_rollups.items()} == {
        k: (f.numerator, f.denominator) for k, f in direct.items()
    }
    assert from_rollups["on_time_rate"].value == Decimal("100.00")
    assert from_rollups["overdue_open"].numerator == 0


def test_the_recent_demo_is_kept_a_second_seed_changes_nothing_and_the_page_shows_the_year(
    seeded, client
):
    community, year = seeded
    today = timezone.localdate()
    recent = Case.objects.filter(community=community, created_at__year=today.year)
    # The recent demo's cases in every state are still there, beside the year.
    assert {Status.SUBMITTED, Status.IN_PROGRESS, Status.CLOSED, Status.REJECTED} <= set(
        recent.values_list("status", flat=True)
    )
    before = (Case.objects.count(), Hazard.objects.count(), MediationCase.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("generate_load", profile="hexi-year", stdout=out)
    assert "0 cases, 0 hazards, 0 mediations" in out.getvalue()
    assert (Case.objects.count(), Hazard.objects.count(), MediationCase.objects.count()) == before
    # The leader's dashboard shows the year in figures, in Chinese.
    leader = User.objects.get(username="ly_leader")
    client.force_login(leader)
    pass_two_factor(client, leader)
    html = client.get(
        f"/dashboard/{HEXI}/?period=year&day={year.start.isoformat()}",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    panel = html.split('data-testid="year-in-figures"')[1].split("</section>")[0]
    assert f"{year.start.year}年工作成效" in panel
    for key, label, value in (
        ("opinions", "收集民意", "124"),
        ("services", "提供服务", "113"),
        ("leaks", "解决突发漏水", "5"),
        ("environment", "整治环境问题", "10"),
        ("hazards", "整改安全隐患", "30"),
        ("disputes", "通过平台化解纠纷", "3"),
        ("completion_rate", "办结率", "100.00%"),
        ("patrol_finds", "巡查发现问题", "12"),
        ("conflict_risks", "排查矛盾风险", "33"),
        ("complex_disputes", "调解复杂纠纷", "23"),
        ("mediation_success", "调解成功率", "98.00%"),
    ):
        tile = panel.split(f'data-key="year_{key}"')[1].split("</summary>")[0]
        assert f'<span class="kpi-label">{label}' in tile, key
        assert f'data-testid="kpi-year_{key}">{value}</span>' in tile, key
    # A month has no year panel.
    month = client.get(f"/dashboard/{HEXI}/?period=month").content.decode()
    assert 'data-testid="year-in-figures"' not in month

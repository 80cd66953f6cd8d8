"""Dashboards: who may open which area, the figures on the page, bounded queries, the strip."""

import re

import pytest
from django.utils import timezone

from gridgov.analytics.metrics import figures
from gridgov.analytics.periods import Period
from gridgov.cases import actions
from gridgov.cases.choices import Satisfaction, SlaLevel, Status
from gridgov.cases.models import Case
from tests.cases_helpers import drive, make_case

pytestmark = pytest.mark.django_db


def url(code=None, screen=False):
    if code is None:
        return "/dashboard/"
    return f"/dashboard/{code}/screen/" if screen else f"/dashboard/{code}/"


def tile(html: str, key: str) -> str:
    match = re.search(rf'data-testid="kpi-{key}">([^<]*)<', html)
    assert match, f"no tile {key}"
    return match.group(1).strip()


def fraction(html: str, key: str) -> str:
    match = re.search(rf'data-testid="fraction-{key}">([^<]*)<', html)
    assert match, f"no fraction for {key}"
    return match.group(1).strip()


@pytest.mark.parametrize(
    ("persona", "area", "status"),
    [
        ("worker_a", "grid_a", 200),
        ("worker_a", "grid_b", 404),
        ("worker_a", "community_a", 404),
        ("staff", "community_a", 200),
        ("staff", "grid_b", 200),
        ("staff", "community_b", 404),
        ("staff", "street", 404),
        ("other_staff", "grid_a", 404),
        ("dispatcher", "street", 200),
        ("leader", "street", 200),
        ("leader", "grid_c", 200),
        ("leader", "city", 404),
        ("resident", "community_a", 404),
        ("handler", "street", 404),
        ("mediator", "community_a", 404),
        ("sysadmin", "city", 404),
        ("auditadmin", "street", 404),
    ],
)
def test_a_dashboard_opens_only_inside_the_users_scope(world, client_for, persona, area, status):
    code = getattr(world, area).code
    client = client_for(persona)
    assert client.get(url(code)).status_code == status
    assert client.get(url(code, screen=True)).status_code == status


def test_the_default_dashboard_is_the_users_own_area(world, client_for):
    assert client_for("worker_a").get(url()).context["area"] == world.grid_a
    assert client_for("leader").get(url()).context["area"] == world.street
    assert client_for("resident").get(url()).status_code == 404
    assert client_for("outsider").get(url()).status_code == 404
    assert client_for("anonymous").get(url()).status_code == 302
    assert client_for("leader").get(url("999999")).status_code == 404


@pytest.fixture
def history(world):
    """In community A this month: one case closed on the street route, one voided, one handled
    by the community and rated by the staff "not solved, basically satisfied"."""
    p = world.people
    drive(world, make_case(world), Status.CLOSED)
    drive(world, make_case(world), Status.VOIDED)
    local = actions.accept_case(make_case(world), acting_user=p.staff)
    local = actions.handle_locally(local, acting_user=p.staff)
    local = actions.resolve_case(local, acting_user=p.staff, result="已处理")
    local = actions.verify_case(local, acting_user=p.worker_a, passed=True)
    actions.rate_case(
        local, acting_user=p.staff, solved=False, satisfaction=Satisfaction.BASICALLY_SATISFIED
    )


def test_the_tiles_show_the_figures_with_their_fractions(world, client_for, history):
    html = client_for("staff").get(url(world.community_a.code)).content.decode()
    # Hand-counted: 3 received, 2 closed; of the two rated one solved; both satisfied
    # (基本满意 counts by default); the one dispatched case was claimed on time.
    assert tile(html, "intake") == "3"
    assert tile(html, "closed") == "2"
    assert tile(html, "resolution_rate") == "50.00%"
    assert fraction(html, "resolution_rate") == "1 / 2"
    assert tile(html, "satisfaction_rate") == "100.00%"
    assert fraction(html, "satisfaction_rate") == "2 / 2"
    assert tile(html, "response_rate") == "100.00%"
    assert fraction(html, "response_rate") == "1 / 1"
    assert tile(html, "overdue_now") == "0"
    # And every case figure on the page is analytics' own figures() for the area and month.
    today = timezone.localdate()
    expected = figures(world.community_a, Period.month(today.year, today.month))
    for key in ("intake", "closed", "completion_rate", "on_time_rate", "three_rates"):
        value = expected[key].value
        shown = "—" if value is None else f"{value}%" if expected[key].unit == "%" else str(value)
        assert tile(html, key) == shown, key


def test_a_grid_dashboard_counts_only_its_grid(world, client_for, history):
    make_case(world, building=world.building_b)
    html = client_for("staff").get(url(world.grid_b.code)).content.decode()
    assert tile(html, "intake") == "1"
    assert tile(html, "closed") == "0"
    html = client_for("staff").get(url(world.community_a.code)).content.decode()
    assert tile(html, "intake") == "4"


def test_problem_cases_list_the_overdue_of_the_area_with_links(world, client_for):
    late = make_case(world, title="下水道堵塞三天")
    other = make_case(world, building=world.building_c, by=world.people.other_staff)
    Case.objects.filter(pk__in=[late.pk, other.pk]).update(sla_level=SlaLevel.OVERDUE, sla_rank=0)
    html = client_for("staff").get(url(world.community_a.code)).content.decode()
    problems = html.split('data-testid="problem-cases"')[1].split("</ul>")[0]
    assert f'href="/cases/{late.number}/"' in problems
    assert "下水道堵塞三天" in problems
    assert other.number not in problems
    assert tile(html, "overdue_now") == "1"


def test_problem_cases_put_the_overdue_before_red_warnings_and_supervision(world):
    from gridgov.analytics.dashboards import problem_cases
    from gridgov.cases.choices import Supervision

    watched = make_case(world, title="督办")
    red = make_case(world, title="红灯")
    late = make_case(world, title="超期")
    Case.objects.filter(pk=watched.pk).update(supervision=Supervision.NORMAL)
    Case.objects.filter(pk=red.pk).update(sla_level=SlaLevel.RED, sla_rank=1)
    Case.objects.filter(pk=late.pk).update(sla_level=SlaLevel.OVERDUE, sla_rank=0)
    listed = problem_cases(world.people.staff, world.community_a)
    assert [c.title for c in listed] == ["超期", "红灯", "督办"]


def test_the_dashboard_costs_the_same_queries_for_few_or_many_cases(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("leader")
    make_case(world)
    with django_assert_max_num_queries(80) as few:
        assert client.get(url(world.street.code)).status_code == 200
    for building in [world.building_a, world.building_b, world.building_c] * 4:
        by = world.people.other_staff if building == world.building_c else world.people.staff
        case = make_case(world, building=building, by=by)
        Case.objects.filter(pk=case.pk).update(sla_level=SlaLevel.OVERDUE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url(world.street.code)).status_code == 200


def test_the_big_screen_refreshes_from_its_partial(world, client_for, history):
    client = client_for("leader")
    page = client.get(url(world.street.code, screen=True)).content.decode()
    assert 'data-refresh-url="/dashboard/222405001/screen/?partial=1&amp;period=month"' in page
    assert "gridgov/bigscreen.js" in page
    partial = client.get(url(world.street.code, screen=True), {"partial": "1"}).content.decode()
    assert "<html" not in partial
    assert tile(partial, "intake") == "3"


def test_the_period_switch_and_a_bad_period_fall_back_to_the_month(world, client_for):
    client = client_for("leader")
    assert client.get(url(world.street.code), {"period": "year"}).context["period"].kind == "year"
    assert client.get(url(world.street.code), {"period": "aeon"}).context["period"].kind == "month"
    bad_day = client.get(url(world.street.code), {"period": "week", "day": "2026-02-31"})
    assert bad_day.status_code == 200


def test_each_steering_role_sees_its_figures_first_on_home(world, client_for, history):
    html = client_for("staff").get("/").content.decode()
    assert 'data-testid="home-figures"' in html
    assert re.search(r'data-testid="home-intake">3<', html)
    assert html.index('data-testid="home-figures"') < html.index("<h2>", html.index("home-figures"))
    assert 'data-testid="home-figures"' in client_for("worker_a").get("/").content.decode()
    assert 'data-testid="home-figures"' not in client_for("resident").get("/").content.decode()
    assert 'data-testid="home-figures"' not in client_for("handler").get("/").content.decode()


def test_the_trend_leaves_the_days_still_to_come_empty(world, client_for, history):
    # Walk of issue 12: the 本月 chart drew the rest of the month as zeros (a quiet fortnight
    # that had not happened). The history's three cases were all received today.
    import json

    html = client_for("staff").get(url(world.community_a.code)).content.decode()
    data = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    today = timezone.localdate()
    trend = data["trend"]
    days = len(trend["labels"])
    assert trend["labels"][today.day - 1] == today.strftime("%m-%d")
    assert trend["created"] == [0] * (today.day - 1) + [3] + [None] * (days - today.day)
    assert trend["closed"][today.day :] == [None] * (days - today.day)
    assert None not in trend["created_before"] and None not in trend["closed_before"]


def test_the_trend_of_a_week_and_a_quarter_stops_at_today(world):
    import datetime as dt

    from gridgov.analytics.dashboards import trend

    week = trend(world.community_a, Period.week(dt.date(2026, 11, 25)), dt.date(2026, 11, 25))
    assert week["created"] == [0, 0, 0, None, None, None, None]
    assert week["created_before"] == [0] * 7
    quarter = trend(world.community_a, Period.quarter(2026, 4), dt.date(2026, 11, 15))
    assert quarter["labels"] == ["2026-10", "2026-11", "2026-12"]
    assert quarter["closed"] == [0, 0, None]
    past = trend(world.community_a, Period.month(2026, 10), dt.date(2026, 11, 15))
    assert past["created"] == [0] * 31

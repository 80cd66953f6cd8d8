"""The map's layers: cases, hazards, grid figures and the base map, scoped and filtered."""

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.cases.choices import SlaLevel, Status
from gridgov.cases.models import Case
from gridgov.demo.basemap import seed_basemap
from gridgov.geo.choices import MapFeatureKind
from gridgov.geo.models import MapFeature
from gridgov.hazards import actions as hazard_actions
from gridgov.hazards.models import Hazard
from tests.cases_helpers import drive, make_case

CASES = "/api/v1/map/cases.geojson"
HAZARDS = "/api/v1/map/hazards.geojson"
METRIC = "/api/v1/map/grid-metric/"
BASEMAP = "/api/v1/geo/basemap.geojson"


def numbers(response):
    assert response.status_code == 200, response.content
    return sorted(f["id"] for f in response.json()["features"])


@pytest.fixture
def cases(world):
    """Two cases in grid A (one closed), one in grid B, one in community B's grid C."""
    a_open = make_case(world, title="楼道灯坏了")
    a_closed = drive(world, make_case(world), Status.CLOSED)
    b_open = make_case(world, building=world.building_b)
    c_open = make_case(world, building=world.building_c, by=world.people.other_staff)
    return {"a_open": a_open, "a_closed": a_closed, "b_open": b_open, "c_open": c_open}


def test_each_role_sees_the_cases_of_its_area_only(world, client_for, cases):
    c = cases
    assert numbers(client_for("worker_a").get(CASES)) == sorted(
        [c["a_open"].number, c["a_closed"].number]
    )
    assert numbers(client_for("staff").get(CASES)) == sorted(
        [c["a_open"].number, c["a_closed"].number, c["b_open"].number]
    )
    assert numbers(client_for("other_staff").get(CASES)) == [c["c_open"].number]
    assert numbers(client_for("leader").get(CASES)) == sorted(x.number for x in c.values())
    assert numbers(client_for("sysadmin").get(CASES)) == []
    assert client_for("anonymous").get(CASES).status_code in (401, 403)


def test_a_case_feature_carries_its_point_state_and_link(world, client_for, cases):
    case = cases["a_open"]
    Case.objects.filter(pk=case.pk).update(sla_level=SlaLevel.OVERDUE)
    features = client_for("worker_a").get(CASES).json()["features"]
    feature = next(f for f in features if f["id"] == case.number)
    assert feature["geometry"] == {"type": "Point", "coordinates": [129.405, 42.765]}
    props = feature["properties"]
    assert props["title"] == "楼道灯坏了"
    assert props["state"] == "overdue"
    assert props["status"] == "submitted"
    assert props["category"] == "突发漏水/水管破裂"
    assert props["grid"] == "222405001001001"
    assert props["url"] == f"/cases/{case.number}/"
    closed = next(f for f in features if f["id"] == cases["a_closed"].number)
    assert closed["properties"]["state"] == "closed"


def test_cases_filter_by_status_category_period_and_bbox(world, client_for, cases):
    client = client_for("leader")
    c = cases
    assert numbers(client.get(CASES, {"status": "closed"})) == [c["a_closed"].number]
    assert len(numbers(client.get(CASES, {"status": "open"}))) == 3
    assert len(numbers(client.get(CASES, {"category": "03"}))) == 4  # the parent's code
    assert numbers(client.get(CASES, {"category": "99"})) == []
    # bbox around grid B's building only (129.415, 42.765)
    assert numbers(client.get(CASES, {"bbox": "129.41,42.76,129.42,42.77"})) == [c["b_open"].number]
    old = timezone.make_aware(dt.datetime(2026, 1, 15, 10, 0))
    Case.objects.filter(pk=c["b_open"].pk).update(created_at=old)
    assert numbers(client.get(CASES, {"since": "2026-01-15", "until": "2026-01-15"})) == [
        c["b_open"].number
    ]
    assert numbers(client.get(CASES, {"since": "2026-01-16", "until": "2026-01-31"})) == []
    assert c["b_open"].number not in numbers(client.get(CASES, {"since": "2026-02-01"}))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-13-40"}, "since"),
        ({"since": "2026-03-02", "until": "2026-03-01"}, "since"),
        ({"status": "lost"}, "status"),
        ({"bbox": "1,2,3"}, "bbox"),
    ],
)
def test_bad_filters_get_a_400_naming_the_field(world, client_for, params, field):
    response = client_for("leader").get(CASES, params)
    assert response.status_code == 400
    assert field in response.json()


def test_the_case_layer_costs_the_same_queries_for_one_case_or_ten(
    world, client_for, django_assert_max_num_queries
):
    client = client_for("staff")
    make_case(world)
    with django_assert_max_num_queries(12) as one:
        client.get(CASES)
    for _ in range(9):
        make_case(world, building=world.building_b)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(numbers(client.get(CASES))) == 10


def _hazard(world, grid, title="电动车违规充电"):
    return hazard_actions.report_hazard(
        acting_user=world.people.staff,
        grid=grid,
        title=title,
        risk_level="high",
        deadline=timezone.localdate() + dt.timedelta(days=3),
    )


def test_hazards_sit_at_their_grid_centre_when_not_escalated(world, client_for):
    hazard = _hazard(world, world.grid_a)
    other = _hazard(world, world.grid_b, title="消防通道堵塞")
    response = client_for("worker_a").get(HAZARDS)
    assert numbers(response) == [hazard.number]
    feature = response.json()["features"][0]
    lon, lat = feature["geometry"]["coordinates"]
    # grid A is the square 129.40–129.41 × 42.76–42.77; its representative point is inside
    assert 129.40 < lon < 129.41 and 42.76 < lat < 42.77
    assert feature["properties"]["approximate"] is True
    assert feature["properties"]["state"] == "open"
    assert feature["properties"]["url"] == f"/hazards/{hazard.pk}/"
    Hazard.objects.filter(pk=other.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    states = {
        f["id"]: f["properties"]["state"]
        for f in client_for("staff").get(HAZARDS).json()["features"]
    }
    assert states == {hazard.number: "open", other.number: "overdue"}
    assert numbers(client_for("staff").get(HAZARDS, {"bbox": "129.41,42.76,129.42,42.77"})) == [
        other.number
    ]
    assert numbers(client_for("handler").get(HAZARDS)) == []


def test_grid_metric_counts_per_visible_grid(world, client_for, cases):
    _hazard(world, world.grid_b)
    leader = client_for("leader")
    body = leader.get(METRIC, {"metric": "cases"}).json()
    assert body["values"] == {"222405001001001": 2, "222405001001002": 1, "222405001002001": 1}
    assert body["max"] == 2
    assert leader.get(METRIC, {"metric": "open"}).json()["values"] == {
        "222405001001001": 1,
        "222405001001002": 1,
        "222405001002001": 1,
    }
    assert leader.get(METRIC, {"metric": "hazards"}).json()["values"] == {"222405001001002": 1}
    assert client_for("worker_a").get(METRIC).json()["values"] == {"222405001001001": 2}
    assert client_for("worker_a").get(METRIC, {"metric": "cases", "status": "closed"}).json()[
        "values"
    ] == {"222405001001001": 1}
    assert leader.get(METRIC, {"metric": "gossip"}).status_code == 400


def test_the_base_map_reaches_the_community_around_a_workers_grid(world, client_for):
    made = seed_basemap(world.community_a.code)
    # 8 roads, the river, one footprint for each of community A's two located buildings
    assert made == 11
    assert seed_basemap(world.community_a.code) == 0  # once
    kinds = [
        f["properties"]["kind"] for f in client_for("worker_a").get(BASEMAP).json()["features"]
    ]
    # the worker sees the community's roads and river and their own grid's footprint only
    assert sorted(kinds) == sorted(["road"] * 8 + ["water", "building"])
    assert client_for("other_staff").get(BASEMAP).json()["features"] == []
    assert len(client_for("leader").get(BASEMAP).json()["features"]) == 11
    river = MapFeature.objects.get(kind=MapFeatureKind.WATER)
    assert river.name == "海兰河"
    far_away = client_for("leader").get(BASEMAP, {"bbox": "100,20,100.1,20.1"})
    assert far_away.json()["features"] == []


def test_grids_shade_by_analytics_rates_equal_to_its_figures(world, client_for):
    from gridgov.analytics.metrics import figures
    from gridgov.analytics.periods import Period
    from gridgov.cases import actions
    from gridgov.cases.choices import Satisfaction

    p = world.people
    drive(world, make_case(world), Status.CLOSED)
    local = actions.accept_case(make_case(world), acting_user=p.staff)
    local = actions.handle_locally(local, acting_user=p.staff)
    local = actions.resolve_case(local, acting_user=p.staff, result="已处理")
    local = actions.verify_case(local, acting_user=p.worker_a, passed=True)
    actions.rate_case(
        local, acting_user=p.staff, solved=False, satisfaction=Satisfaction.DISSATISFIED
    )
    late = make_case(world, building=world.building_b)
    Case.objects.filter(pk=late.pk).update(handle_due_at=timezone.now() - dt.timedelta(hours=1))
    today = timezone.localdate()
    since = today - dt.timedelta(days=30)
    params = {"since": since.isoformat(), "until": today.isoformat()}
    leader = client_for("leader")
    body = leader.get(METRIC, {"metric": "completion_rate", **params}).json()
    assert body["unit"] == "%" and body["max"] == 100
    # Grid A: both cases closed on time → 100%; grid B: its one case past its deadline → 0%.
    assert body["values"] == {"222405001001001": 100.0, "222405001001002": 0.0}
    satisfaction = leader.get(METRIC, {"metric": "satisfaction_rate", **params}).json()
    # Grid A: one rated satisfied on the street route, one dissatisfied → 50%; B: nothing rated.
    assert satisfaction["values"] == {"222405001001001": 50.0, "222405001001002": None}
    period = Period.range(since, today)
    for code, grid in (("222405001001001", world.grid_a), ("222405001001002", world.grid_b)):
        for key in ("completion_rate", "satisfaction_rate"):
            value = figures(grid, period)[key].value
            shown = leader.get(METRIC, {"metric": key, **params}).json()["values"][code]
            assert shown == (None if value is None else float(value)), (code, key)
    assert client_for("worker_a").get(METRIC, {"metric": "completion_rate"}).json()["values"] == {
        "222405001001001": 100.0
    }

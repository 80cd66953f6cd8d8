"""A hazard's own position (WGS-84): given, from its site or from the finder's GPS; inside its
grid or refused; the map draws it there; the API reads and takes it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.hazards.actions import report_hazard
from gridgov.hazards.models import Hazard, HazardSite
from gridgov.lifecycle import IllegalMove

pytestmark = pytest.mark.django_db

MAP = "/api/v1/map/hazards.geojson"
# Grid A is the square 129.40–129.41 × 42.76–42.77 (tests/conftest.py), grid B the next east.


def _report(world, **where):
    return report_hazard(
        acting_user=world.people.staff,
        grid=world.grid_a,
        title="消防通道堵塞",
        risk_level="high",
        deadline=timezone.localdate() + dt.timedelta(days=3),
        **where,
    )


def test_a_given_position_inside_the_grid_is_kept_and_drawn_on_the_map(world, client_for):
    hazard = _report(world, lon=129.4012345678, lat=42.7687654321)
    assert (hazard.lon, hazard.lat) == (129.4012346, 42.7687654)
    feature = client_for("worker_a").get(MAP).json()["features"][0]
    assert feature["geometry"]["coordinates"] == [129.4012346, 42.7687654]
    assert feature["properties"]["approximate"] is False


@pytest.mark.parametrize(
    "where",
    [
        {"lon": 129.415, "lat": 42.765},  # in grid B
        {"lon": 0.0, "lat": 0.0},  # nowhere
        {"lon": 129.405, "lat": None},  # half a position
    ],
)
def test_a_position_outside_the_grid_is_refused_and_nothing_made(world, where):
    with pytest.raises(IllegalMove):
        _report(world, **where)
    assert not Hazard.objects.exists()


def test_the_site_gives_its_position_and_without_one_the_map_falls_back(world, client_for):
    site = HazardSite.objects.create(
        name="3号楼充电点", kind="ebike_charging", grid=world.grid_a, lat=42.7661, lon=129.4071
    )
    at_site = _report(world, site=site)
    bare = _report(world)
    assert (at_site.lon, at_site.lat) == (129.4071, 42.7661)
    assert (bare.lon, bare.lat) == (None, None)
    features = {f["id"]: f for f in client_for("staff").get(MAP).json()["features"]}
    assert features[at_site.number]["geometry"]["coordinates"] == [129.4071, 42.7661]
    assert features[at_site.number]["properties"]["approximate"] is False
    assert features[bare.number]["properties"]["approximate"] is True
    lon, lat = features[bare.number]["geometry"]["coordinates"]
    assert 129.40 < lon < 129.41 and 42.76 < lat < 42.77  # the grid's centre


def test_the_api_takes_and_shows_the_position(world, client_for):
    body = {
        "grid": world.grid_a.code,
        "title": "私拉电线",
        "risk_level": "low",
        "deadline": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
    }
    client = client_for("worker_a")
    made = client.post("/api/v1/hazards/", {**body, "lon": 129.402, "lat": 42.761})
    assert made.status_code == 201, made.content
    assert (made.json()["lon"], made.json()["lat"]) == (129.402, 42.761)
    outside = client.post("/api/v1/hazards/", {**body, "lon": 129.425, "lat": 42.761})
    assert outside.status_code == 400
    assert outside.json()["detail"] == "隐患位置不在该网格内。"
    assert Hazard.objects.count() == 1


def test_the_page_form_takes_a_position_and_refuses_one_outside(world, client_for):
    body = {
        "title": "电动车违规充电",
        "risk_level": "high",
        "grid": world.grid_a.pk,
        "deadline": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
    }
    client = client_for("worker_a")
    refused = client.post("/hazards/new/", {**body, "lon": "129.415", "lat": "42.765"})
    assert refused.status_code == 409 and not Hazard.objects.exists()
    assert "隐患位置不在该网格内。" in refused.content.decode()
    made = client.post("/hazards/new/", {**body, "lon": "129.405", "lat": "42.765"})
    assert made.status_code == 302
    assert Hazard.objects.values_list("lon", "lat").get() == (129.405, 42.765)
    page = client.get(made["Location"]).content.decode()
    assert 'data-testid="hazard-position">129.405, 42.765<' in page


@pytest.mark.parametrize("persona", ["resident", "handler", "outsider"])
def test_the_register_is_not_there_for_those_without_a_hazard_role(world, client_for, persona):
    # Walk of issue 12: a resident got an empty ledger; like the reports and the dashboard, the
    # staff-only register answers 404 to someone without a role that reads it.
    _report(world)
    client = client_for(persona)
    assert client.get("/hazards/").status_code == 404
    assert client.get("/hazards/sites/").status_code == 404
    assert client.get("/reports/").status_code == 404  # the answer it is consistent with
    assert client_for("worker_a").get("/hazards/").status_code == 200

"""The anonymous report page can place a problem (reviewer's walk, item 1): grid outlines and a
community's buildings come from public, read-only, paged, throttled lists that say nothing about
people; the form takes only a building of the community chosen."""

import pytest
from django.test import Client

from gridgov.cases.models import Case
from tests.factories import BuildingFactory, UnitFactory

pytestmark = pytest.mark.django_db

GRIDS = "/api/v1/public/grids.geojson"
BUILDINGS = "/api/v1/public/buildings/"
REPORT = {
    "description": "楼道灯坏了",
    "contact_phone": "13900001111",
    "idempotency_key": "k-places",
}


def test_anyone_gets_grid_outlines_with_code_name_and_shape_only(world):
    answer = Client().get(GRIDS)
    assert answer.status_code == 200
    body = answer.json()
    assert body["type"] == "FeatureCollection"
    assert [f["id"] for f in body["features"]] == [
        "222405001001001",
        "222405001001002",
        "222405001002001",
    ]
    first = body["features"][0]
    assert first["properties"] == {"code": "222405001001001", "name": "第一网格"}
    assert first["geometry"]["type"] == "Polygon"
    assert "worker" not in answer.content.decode()


def test_grid_outlines_are_paged_and_filtered_by_box(world):
    page = Client().get(GRIDS, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["features"]) == 2 and page["next"]
    boxed = Client().get(GRIDS, {"bbox": "129.421,42.761,129.422,42.762"}).json()
    assert [f["id"] for f in boxed["features"]] == ["222405001002001"]


def test_the_signed_in_map_stays_closed_to_anonymous_callers(world):
    assert Client().get("/api/v1/geo/grids.geojson").status_code == 403


def test_anyone_gets_the_buildings_of_the_community_chosen(world, django_assert_num_queries):
    # The units come too (numbers only), so a reporter without an account can name one.
    second = UnitFactory(building=world.building_a, number=2)
    first = UnitFactory(building=world.building_a, number=1)
    client = Client()
    with django_assert_num_queries(4):  # community, count, page, units
        answer = client.get(BUILDINGS, {"community": world.community_a.pk})
    assert answer.status_code == 200
    assert answer.json()["results"] == [
        {
            "id": world.building_a.pk,
            "code": "B-A1",
            "name": "甲1号楼",
            "units": [{"id": first.pk, "number": 1}, {"id": second.pk, "number": 2}],
        },
        {"id": world.building_b.pk, "code": "B-B1", "name": "乙1号楼", "units": []},
    ]
    other = client.get(BUILDINGS, {"community": world.community_b.pk}).json()
    assert [b["code"] for b in other["results"]] == ["B-C1"]


def test_building_list_queries_do_not_grow_with_buildings(world, django_assert_num_queries):
    for n in range(20):
        building = BuildingFactory(code=f"B-X{n:02}", name=f"新{n}号楼", lon=129.405, lat=42.762)
        UnitFactory(building=building, number=1)
    with django_assert_num_queries(4):
        answer = Client().get(BUILDINGS, {"community": world.community_a.pk, "page_size": 10})
    assert answer.json()["count"] == 22 and len(answer.json()["results"]) == 10


@pytest.mark.parametrize("community", ["", "abc", "-1", "1" * 30])
def test_a_bad_community_gets_a_clear_400(world, community):
    answer = Client().get(BUILDINGS, {"community": community}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400
    assert answer.json()["community"] == ["请从列表中选择社区。"]


def test_a_grid_or_unknown_id_is_no_community(world):
    for pk in (world.grid_a.pk, 999999):
        assert Client().get(BUILDINGS, {"community": pk}).json()["results"] == []


def test_the_public_lists_are_throttled_per_address(world, rate_limits):
    rate_limits.API_THROTTLE_RATES = {**rate_limits.API_THROTTLE_RATES, "anon": "2/m"}
    client = Client()
    assert client.get(GRIDS).status_code == 200
    assert client.get(BUILDINGS, {"community": world.community_a.pk}).status_code == 200
    assert client.get(GRIDS).status_code == 429
    assert client.get(GRIDS, REMOTE_ADDR="10.9.9.9").status_code == 200


def test_the_anonymous_report_page_points_at_the_public_lists(world):
    page = Client().get("/cases/report/").content.decode()
    assert f'data-grids-url="{GRIDS}"' in page
    assert f'data-source="{BUILDINGS}"' in page
    assert 'name="building"' in page


def test_an_anonymous_report_takes_a_building_of_the_chosen_community(world):
    client = Client()
    client.get("/cases/report/")
    data = {**REPORT, "community": world.community_a.pk, "building": world.building_b.pk}
    assert client.post("/cases/report/", data).status_code == 302
    case = Case.objects.get()
    assert case.building == world.building_b
    assert case.grid == world.grid_b


def test_an_anonymous_report_names_a_unit_of_the_building(world):
    unit = UnitFactory(building=world.building_b, number=3)
    client = Client()
    client.get("/cases/report/")
    data = {
        **REPORT,
        "community": world.community_a.pk,
        "building": world.building_b.pk,
        "unit": unit.pk,
    }
    assert client.post("/cases/report/", data).status_code == 302
    assert Case.objects.get().unit == unit


def test_a_unit_of_another_community_is_refused(world):
    unit = UnitFactory(building=world.building_c, number=1)
    client = Client()
    client.get("/cases/report/")
    data = {**REPORT, "community": world.community_a.pk, "unit": unit.pk}
    answer = client.post("/cases/report/", data, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400
    assert "unit" in answer.json()["errors"]
    assert not Case.objects.exists()


def test_a_building_of_another_community_is_refused_and_nothing_is_made(world):
    client = Client()
    client.get("/cases/report/")
    data = {**REPORT, "community": world.community_b.pk, "building": world.building_a.pk}
    answer = client.post("/cases/report/", data, HTTP_ACCEPT="application/json")
    assert answer.status_code == 400
    assert "building" in answer.json()["errors"]
    assert not Case.objects.exists()


def test_grid_outline_queries_do_not_grow_with_grids(world, django_assert_num_queries):
    with django_assert_num_queries(2):  # count, page
        answer = Client().get(GRIDS)
    assert answer.json()["count"] == 3

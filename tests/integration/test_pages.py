import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.geo.models import Area
from gridgov.registry.models import Building
from tests.factories import building_with_households
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db


def visible_codes(user, queryset):
    return set(queryset.visible_to(user).values_list("code", flat=True))


def test_area_visibility_follows_memberships(world):
    p = world.people
    grids = Area.objects.grids()
    assert visible_codes(p.worker_a, grids) == {"222405001001001"}
    assert visible_codes(p.staff, grids) == {"222405001001001", "222405001001002"}
    assert visible_codes(p.other_staff, grids) == {"222405001002001"}
    all_grids = {"222405001001001", "222405001001002", "222405001002001"}
    for name in ("dispatcher", "leader", "handler", "judicial", "sysadmin"):
        assert visible_codes(getattr(p, name), grids) == all_grids, name
    for name in ("secadmin", "auditadmin", "outsider"):
        assert visible_codes(getattr(p, name), grids) == set(), name


def test_building_visibility_follows_the_grid(world):
    assert visible_codes(world.people.worker_b, Building.objects) == {"B-B1"}
    assert visible_codes(world.people.other_staff, Building.objects) == {"B-C1"}


def test_map_page_matrix(world, client_for):
    check_matrix(
        client_for,
        "get",
        "/map/",
        {
            "anonymous": 302,
            "worker_a": 200,
            "staff": 200,
            "leader": 200,
            "resident": 200,
            "outsider": 200,
            "secadmin": 200,
        },
    )


def test_grid_page_matrix_hides_other_grids_as_not_found(world, client_for):
    check_matrix(
        client_for,
        "get",
        f"/grids/{world.grid_a.code}/",
        {
            "anonymous": 302,
            "worker_a": 200,
            "worker_b": 404,
            "staff": 200,
            "other_staff": 404,
            "dispatcher": 200,
            "leader": 200,
            "resident": 200,
            "outsider": 404,
            "secadmin": 404,
            "auditadmin": 404,
        },
    )
    check_matrix(client_for, "get", f"/grids/{world.community_a.code}/", {"staff": 404})
    check_matrix(client_for, "get", "/grids/nonexistent/", {"leader": 404})


def test_grid_page_shows_code_name_workers_buildings_households(world, client_for):
    building_with_households(3, code="B-A2", name="甲2号楼", lon=129.402, lat=42.762)
    page = client_for("worker_a").get(f"/grids/{world.grid_a.code}/")
    html = page.content.decode()
    assert "222405001001001" in html and "第一网格" in html
    assert world.people.worker_a.full_name in html
    assert "甲1号楼" in html and "甲2号楼" in html and "乙1号楼" not in html
    assert page.context["household_count"] == 3
    assert len(page.context["buildings"]) == 2


def test_grid_page_query_count_does_not_grow_with_buildings(world, client_for):
    client = client_for("staff")
    url = f"/grids/{world.grid_a.code}/"
    client.get(url)  # the first request also notes the session's activity time
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(8):
        building_with_households(2, code=f"B-N{n}", lon=129.401 + n * 0.001, lat=42.761)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    # 11: the page, the talk-point coverage card and the hazards box, whatever the buildings.
    assert len(many) == len(few) <= 11


def test_home_and_map_render_for_every_persona_without_error(world, client_for):
    for name in vars(world.people):
        client = client_for(name)
        assert client.get("/").status_code == 200, name
        assert client.get("/map/").status_code == 200, name

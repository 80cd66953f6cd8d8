import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gridgov.accounts.choices import Role
from tests.factories import BuildingFactory, GridFactory, MembershipFactory, UserFactory, square
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db
GRIDS = "/api/v1/geo/grids.geojson"
BUILDINGS = "/api/v1/geo/buildings.geojson"


def codes(response):
    return [f["properties"]["code"] for f in response.json()["features"]]


def test_grid_features_are_geojson_and_scoped(world, client_for):
    body = client_for("worker_a").get(GRIDS).json()
    assert body["type"] == "FeatureCollection" and body["count"] == 1 and body["next"] is None
    feature = body["features"][0]
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Polygon"
    assert feature["properties"] == {
        "code": "222405001001001",
        "name": "第一网格",
        "community": "河西社区",
        "buildings": 1,
        "workers": [world.people.worker_a.full_name],
        "url": "/grids/222405001001001/",
    }
    assert codes(client_for("staff").get(GRIDS)) == ["222405001001001", "222405001001002"]
    assert codes(client_for("outsider").get(GRIDS)) == []


def test_map_api_matrix(world, client_for):
    for url in (GRIDS, BUILDINGS, "/api/v1/areas/"):
        check_matrix(client_for, "get", url, {"anonymous": 403, "worker_a": 200, "outsider": 200})


def test_bbox_filters_and_a_bad_bbox_is_a_clear_400(world, client_for):
    client = client_for("leader")
    assert codes(client.get(GRIDS, {"bbox": "129.421,42.761,129.422,42.762"})) == [
        "222405001002001"
    ]
    assert [
        f["id"]
        for f in client.get(BUILDINGS, {"bbox": "129.40,42.76,129.41,42.77"}).json()["features"]
    ] == ["B-A1"]
    for bad in ("1,2,3", "a,b,c,d", "5,5,1,1"):
        response = client.get(GRIDS, {"bbox": bad})
        assert response.status_code == 400 and "bbox" in response.json()


def test_buildings_by_grid(world, client_for):
    body = client_for("leader").get(BUILDINGS, {"grid": world.grid_b.code}).json()
    assert [f["id"] for f in body["features"]] == ["B-B1"]
    assert body["features"][0]["geometry"] == {"type": "Point", "coordinates": [129.415, 42.765]}


def test_layers_are_paged_and_next_links_chain(world, client_for):
    for n in range(5):
        GridFactory(
            code=f"22240500100200{n + 2}",
            parent=world.community_b,
            boundary=square(129.50 + n * 0.01, 42.70),
        )
    client = client_for("leader")
    first = client.get(GRIDS, {"page_size": 3}).json()
    assert first["count"] == 8 and len(first["features"]) == 3 and first["next"]
    second = client.get(first["next"]).json()
    assert len(second["features"]) == 3


def test_grid_layer_query_count_is_constant(world, client_for):
    client = client_for("leader")
    client.get(GRIDS)  # the first request also notes the session's activity time
    with CaptureQueriesContext(connection) as few:
        client.get(GRIDS)
    for n in range(6):
        grid = GridFactory(
            code=f"22240500100200{n + 2}",
            parent=world.community_b,
            boundary=square(129.50 + n * 0.01, 42.70),
        )
        worker = UserFactory()
        MembershipFactory(user=worker, role=Role.GRID_WORKER, area=grid)
        BuildingFactory(lon=129.505 + n * 0.01, lat=42.705)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(GRIDS).json()["features"]) == 9
    assert len(many) == len(few) <= 8
    with CaptureQueriesContext(connection) as buildings:
        assert len(client.get(BUILDINGS).json()["features"]) == 9
    assert len(buildings) <= 8


def test_token_authentication_for_api_clients(world):
    token = Token.objects.create(user=world.people.staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    body = client.get("/api/v1/areas/", {"kind": "grid"}).json()
    assert [a["code"] for a in body["results"]] == ["222405001001001", "222405001001002"]


def test_openapi_schema_is_served(world, client_for):
    response = client_for("staff").get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/geo/grids.geojson" in response.content

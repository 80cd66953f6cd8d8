import io
import json

import pytest
from django.core.management import CommandError, call_command

from gridgov.geo.choices import AreaKind
from gridgov.geo.importers import GridImportError, import_grids
from gridgov.geo.lookup import grid_id_at
from gridgov.geo.models import Area
from gridgov.registry.models import Building
from tests.factories import BuildingFactory, square

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def feature(code, name, geometry):
    return {"type": "Feature", "properties": {"code": code, "name": name}, "geometry": geometry}


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def grid_codes():
    return set(Area.objects.grids().values_list("code", flat=True))


def test_area_paths_make_subtrees(world):
    assert world.grid_a.path == "222405/222405001/222405001001/222405001001001/"
    inside = set(Area.objects.within(world.community_a).values_list("code", flat=True))
    assert inside == {"222405001001", "222405001001001", "222405001001002"}
    assert [a.code for a in world.grid_a.ancestors()] == ["222405", "222405001", "222405001001"]


def test_grid_at_finds_the_grid_and_follows_changes(world):
    assert grid_id_at(42.765, 129.405) == world.grid_a.pk
    assert grid_id_at(42.765, 129.425) == world.grid_c.pk
    assert grid_id_at(10.0, 10.0) is None
    # Redraw grid C over empty land: the index is rebuilt on the next lookup.
    world.grid_c.boundary = square(129.50, 42.76)
    world.grid_c.save()
    assert grid_id_at(42.765, 129.425) is None
    assert grid_id_at(42.765, 129.505) == world.grid_c.pk


def test_buildings_get_their_grid_from_their_location(world):
    assert world.building_a.grid == world.grid_a
    assert world.building_c.grid == world.grid_c
    world.building_a.lon = 129.415
    world.building_a.save()
    world.building_a.refresh_from_db()
    assert world.building_a.grid == world.grid_b


def test_import_creates_grids_and_places_buildings(world):
    stray = BuildingFactory(code="B-X", lon=129.435, lat=42.765)
    assert stray.grid is None
    out = io.StringIO()
    path = _write_tmp(
        collection(
            feature("3", "第三网格", square(129.43, 42.76)),
            feature("222405001002002", "河东第二网格", square(129.44, 42.76)),
        )
    )
    call_command("import_grids", path, community="222405001002", stdout=out)
    assert "Imported 2 new and 0 updated grids into 河东社区; 1 buildings changed grid." in (
        out.getvalue()
    )
    grid = Area.objects.get(code="222405001002003")
    assert (grid.kind, grid.name, grid.parent) == (AreaKind.GRID, "第三网格", world.community_b)
    assert Area.objects.get(code="222405001002002").parent == world.community_b
    stray.refresh_from_db()
    assert stray.grid == grid


def test_import_updates_an_existing_grid_with_the_same_code(world):
    result = import_grids(
        collection(feature("222405001002001", "河东一网格（新）", square(129.425, 42.76))),
        community=world.community_b,
    )
    assert result.updated == ["222405001002001"] and result.created == []
    world.grid_c.refresh_from_db()
    assert world.grid_c.name == "河东一网格（新）"
    assert world.grid_c.min_lon == pytest.approx(129.425)


BAD_FILES = [
    ("not json {", "not valid JSON"),
    (json.dumps({"type": "Feature"}), "not a GeoJSON FeatureCollection"),
    (json.dumps({"type": "FeatureCollection", "features": []}), "has no features"),
    (
        collection({"type": "Feature", "properties": {"code": "5", "name": "x"}, "geometry": None}),
        "feature 1 (code 222405001002005): it has no polygon",
    ),
    (
        collection(feature("5", "点", {"type": "Point", "coordinates": [129.5, 42.7]})),
        "feature 1 (code 222405001002005): the geometry is not a Polygon or MultiPolygon",
    ),
    (
        collection(
            feature(
                "5",
                "蝴蝶",
                {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [129.50, 42.70],
                            [129.51, 42.71],
                            [129.51, 42.70],
                            [129.50, 42.71],
                            [129.50, 42.70],
                        ]
                    ],
                },
            )
        ),
        "feature 1 (code 222405001002005): the ring is invalid: Self-intersection",
    ),
    (
        collection(
            feature(
                "5",
                "倒置",
                {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [42.70, 129.50],
                            [42.71, 129.50],
                            [42.71, 129.51],
                            [42.70, 129.51],
                            [42.70, 129.50],
                        ]
                    ],
                },
            )
        ),
        "latitude, longitude",
    ),
    (
        collection(
            feature("5", "甲", square(129.50, 42.70)), feature("5", "乙", square(129.60, 42.70))
        ),
        "feature 2 (code 222405001002005): the code is used again (first by feature 1)",
    ),
    (
        collection(feature("222405001001001", "冒用", square(129.50, 42.70))),
        "the code already belongs to 第一网格, outside this community",
    ),
    (
        collection(feature("5", "压线", square(129.415, 42.76))),
        "it overlaps existing grid 222405001001002 第二网格",
    ),
    (
        collection(
            feature("5", "甲", square(129.50, 42.70)), feature("6", "乙", square(129.505, 42.70))
        ),
        "feature 2 (code 222405001002006): it overlaps feature 1 (code 222405001002005)",
    ),
    (collection(feature("", "无码", square(129.50, 42.70))), "the property “code” is missing"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES)
def test_a_bad_file_is_refused_whole_with_a_message_naming_the_problem(world, content, message):
    before = (grid_codes(), list(Area.objects.values_list("code", "name", "boundary")))
    with pytest.raises(GridImportError) as refused:
        import_grids(content, community=world.community_b)
    assert message in str(refused.value)
    assert (grid_codes(), list(Area.objects.values_list("code", "name", "boundary"))) == before


def test_a_good_feature_beside_a_bad_one_is_not_imported(world):
    path = _write_tmp(
        collection(
            feature("7", "好", square(129.60, 42.70)),
            feature("8", "坏", {"type": "Polygon", "coordinates": [[[129.7, 42.7]]]}),
        )
    )
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_grids", path, community="222405001002")
    assert not Area.objects.filter(code="222405001002007").exists()


def test_a_sliver_of_overlap_within_tolerance_is_accepted(world):
    # Grid C spans lon 129.42–129.43; this one starts 0.5 % of its width inside it.
    import_grids(
        collection(feature("4", "贴边", square(129.42995, 42.76))), community=world.community_b
    )
    assert Area.objects.filter(code="222405001002004").exists()


def test_import_into_an_unknown_community_is_refused(world):
    path = _write_tmp(collection(feature("1", "x", square(129.6, 42.7))))
    with pytest.raises(CommandError, match="No community has the code 999"):
        call_command("import_grids", path, community="999")


def test_grid_at_command_prints_the_grid_or_says_none(world, capsys):
    call_command("grid_at", "42.765", "129.415")
    assert "222405001001002 第二网格 (河西社区)" in capsys.readouterr().out
    with pytest.raises(SystemExit) as none:
        call_command("grid_at", "10", "10")
    assert none.value.code == 1
    assert "No grid contains 10.0, 10.0." in capsys.readouterr().out


def test_grid_needs_a_valid_boundary_in_the_admin_form(world):
    from django.core.exceptions import ValidationError

    grid = Area(
        kind=AreaKind.GRID,
        code="222405001001009",
        name="坏",
        parent=world.community_a,
        boundary={"type": "Polygon", "coordinates": [[[1, 1], [2, 2], [2, 1], [1, 2], [1, 1]]]},
    )
    with pytest.raises(ValidationError, match="ring is invalid"):
        grid.full_clean()
    grid.boundary = square(129.6, 42.7)
    grid.parent = world.street
    with pytest.raises(ValidationError, match="parent of this level must be a"):
        grid.full_clean()


def test_building_outside_every_grid_is_refused_by_the_form_check(world):
    from django.core.exceptions import ValidationError

    building = Building(code="B-Z", name="远", lon=100.0, lat=30.0, floors=3)
    with pytest.raises(ValidationError, match="outside every grid"):
        building.full_clean()


_tmp_counter = iter(range(10_000))


def _write_tmp(text):
    import pathlib
    import tempfile

    path = pathlib.Path(tempfile.gettempdir()) / f"gridgov-test-{next(_tmp_counter)}.geojson"
    path.write_text(text, encoding="utf-8")
    return str(path)


# Issue #9 item 6: an area's code and parent were editable in the admin, but neither the paths of
# its subtree nor its cases' area_path were rewritten, so visibility silently went wrong. They
# are frozen once saved (ADR 0011).


def test_an_areas_code_and_parent_are_read_only_in_the_admin(world, client_for):
    admin = client_for("sysadmin")
    page = admin.get(f"/admin/geo/area/{world.community_a.pk}/change/").content.decode()
    assert 'name="code"' not in page and 'name="parent"' not in page
    assert 'name="name"' in page

    response = admin.post(
        f"/admin/geo/area/{world.community_a.pk}/change/",
        {"kind": "community", "code": "999", "name": "河西新社区", "parent": world.city.pk},
    )

    assert response.status_code == 302
    community = Area.objects.get(pk=world.community_a.pk)
    assert (community.code, community.name, community.parent_id) == (
        "222405001001",
        "河西新社区",
        world.street.pk,
    )
    assert community.path == "222405/222405001/222405001001/"
    grid = Area.objects.get(pk=world.grid_a.pk)
    assert grid.path == "222405/222405001/222405001001/222405001001001/"


@pytest.mark.parametrize(
    ("field", "value"), [("code", "222405001009"), ("parent", "community_b"), ("kind", "street")]
)
def test_an_area_refuses_a_new_code_level_or_parent(world, field, value):
    from django.core.exceptions import ValidationError

    grid = Area.objects.get(pk=world.grid_a.pk)
    setattr(grid, field, getattr(world, value) if field == "parent" else value)

    with pytest.raises(ValidationError) as refused:
        grid.full_clean()
    assert field in refused.value.message_dict
    with pytest.raises(ValidationError):
        grid.save()
    assert Area.objects.get(pk=world.grid_a.pk).path == world.grid_a.path
    # A name or boundary still changes.
    fresh = Area.objects.get(pk=world.grid_a.pk)
    fresh.name = "第一网格（东）"
    fresh.save()
    assert Area.objects.get(pk=world.grid_a.pk).name == "第一网格（东）"

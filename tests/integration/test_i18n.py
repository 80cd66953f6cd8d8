import pytest

from gridgov.geo.importers import GridImportError, import_grids

pytestmark = pytest.mark.django_db


def test_import_problems_are_reported_in_chinese_by_default(world):
    with pytest.raises(GridImportError) as refused:
        import_grids("{oops", community=world.community_b)
    assert str(refused.value) == "文件不是有效的 JSON（第 1 行，第 2 列）。"

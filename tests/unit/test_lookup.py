import numpy as np
from shapely.geometry import box

from gridgov.geo.lookup import GridIndex


def make_index():
    # Two grids sharing the edge lon = 1.0, and a third far away.
    return GridIndex([(7, box(0, 0, 1, 1)), (3, box(1, 0, 2, 1)), (9, box(10, 10, 11, 11))])


def test_find_returns_the_containing_grid():
    index = make_index()
    assert index.find(0.5, 0.5) == 7
    assert index.find(1.5, 0.5) == 3
    assert index.find(10.5, 10.5) == 9


def test_find_returns_none_outside_every_grid():
    assert make_index().find(5.0, 5.0) is None


def test_a_point_on_a_shared_edge_goes_to_the_lowest_id():
    assert make_index().find(1.0, 0.5) == 3


def test_find_many_matches_find():
    index = make_index()
    lons = np.array([0.5, 1.5, 5.0, 1.0, 10.2])
    lats = np.array([0.5, 0.5, 5.0, 0.5, 10.9])
    assert index.find_many(lons, lats).tolist() == [7, 3, -1, 3, 9]
    assert [index.find(x, y) or -1 for x, y in zip(lons, lats, strict=True)] == [7, 3, -1, 3, 9]

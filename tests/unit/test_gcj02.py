"""WGS-84 → GCJ-02 against the values published with the reference implementation."""

import pytest

from gridgov.geo.gcj02 import gcj02_to_wgs84, wgs84_to_gcj02

# wandergis/coordtransform (test/app.js), the implementation most Chinese web maps copy:
# wgs84togcj02(116.404, 39.915) → [116.41024449916938, 39.91640428150164]
# gcj02towgs84(116.404, 39.915) → [116.39775550083061, 39.91359571849836]


def test_forward_matches_the_published_value():
    assert wgs84_to_gcj02(116.404, 39.915) == pytest.approx(
        (116.41024449916938, 39.91640428150164), abs=1e-9
    )


def test_inverse_matches_the_published_value():
    assert gcj02_to_wgs84(116.404, 39.915) == pytest.approx(
        (116.39775550083061, 39.91359571849836), abs=1e-9
    )


def test_the_shift_near_longjing_is_a_few_hundred_metres_and_round_trips():
    lon, lat = wgs84_to_gcj02(129.42, 42.77)
    assert 0.001 < abs(lon - 129.42) < 0.01 and 0.0005 < abs(lat - 42.77) < 0.01
    back = gcj02_to_wgs84(lon, lat)
    assert back == pytest.approx((129.42, 42.77), abs=2e-5)  # the one-step inverse: ~2 m


def test_points_outside_china_are_not_shifted():
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)

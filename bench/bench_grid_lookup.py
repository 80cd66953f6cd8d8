"""Point → grid lookup: 10,000 generated grids, 100,000 random points.

Prints lookups per second and the median µs per single lookup (goal: ≤ 20 µs), plus the
vectorised bulk lookup used when re-placing buildings. Needs no database.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from shapely.geometry import Polygon

from gridgov.geo.lookup import GridIndex

SIDE = 100  # 100 × 100 = 10,000 grids
STEP_LON, STEP_LAT = 0.0060, 0.0045  # about 500 m grids around 42.77 N
ORIGIN = (129.0, 42.5)
POINTS = 100_000
GOAL_US = 20.0


def generated_grids(rng: random.Random) -> list[tuple[int, Polygon]]:
    """Quadrilaterals sharing jittered vertices: they tile the block like real grids."""
    corners = {
        (i, j): (
            ORIGIN[0] + (i + rng.uniform(-0.2, 0.2)) * STEP_LON,
            ORIGIN[1] + (j + rng.uniform(-0.2, 0.2)) * STEP_LAT,
        )
        for i in range(SIDE + 1)
        for j in range(SIDE + 1)
    }
    grids = []
    for i in range(SIDE):
        for j in range(SIDE):
            ring = [corners[i, j], corners[i + 1, j], corners[i + 1, j + 1], corners[i, j + 1]]
            grids.append((i * SIDE + j + 1, Polygon(ring)))
    return grids


def main() -> int:
    rng = random.Random(42)
    grids = generated_grids(rng)
    started = time.perf_counter()
    index = GridIndex(grids)
    build_s = time.perf_counter() - started
    # Points over the block plus a 5 % margin, so some fall outside every grid.
    lons = [ORIGIN[0] + rng.uniform(-0.05, 1.05) * SIDE * STEP_LON for _ in range(POINTS)]
    lats = [ORIGIN[1] + rng.uniform(-0.05, 1.05) * SIDE * STEP_LAT for _ in range(POINTS)]

    for lon, lat in zip(lons[:1000], lats[:1000], strict=True):  # warm up
        index.find(lon, lat)
    timings = []
    found = 0
    clock = time.perf_counter_ns
    total_started = time.perf_counter()
    for lon, lat in zip(lons, lats, strict=True):
        t0 = clock()
        hit = index.find(lon, lat)
        timings.append(clock() - t0)
        found += hit is not None
    total_s = time.perf_counter() - total_started
    median_us = statistics.median(timings) / 1000
    p99_us = sorted(timings)[int(len(timings) * 0.99)] / 1000

    started = time.perf_counter()
    bulk = index.find_many(np.array(lons), np.array(lats))
    bulk_s = time.perf_counter() - started
    assert int((bulk >= 0).sum()) == found, "bulk and single lookups disagree"

    print(f"grids: {len(index):,}; index build: {build_s * 1000:.0f} ms")
    print(f"points: {POINTS:,}; inside a grid: {found:,}")
    print(
        f"single lookups: {POINTS / total_s:,.0f} per second; "
        f"median {median_us:.1f} µs, p99 {p99_us:.1f} µs per lookup (goal ≤ {GOAL_US:.0f} µs)"
    )
    print(f"bulk lookup: {POINTS / bulk_s:,.0f} points per second")
    if median_us > GOAL_US:
        print("GOAL MISSED")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

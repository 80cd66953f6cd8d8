"""Generated geometry and names for the demo community. Nothing here is a real person's name.

The 9 grids tile a 3 × 3 block around 42.77 N, 129.42 E (Longjing, Jilin). Each grid edge is cut
in two and every lattice point is nudged a little, so the grids look hand-drawn but still share
their edges exactly: they never overlap and leave no gaps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from shapely.geometry import Point, Polygon

ORIGIN_LON, ORIGIN_LAT = 129.4110, 42.7630  # south-west corner of the block
CELL_LON, CELL_LAT = 0.0060, 0.0045  # about 490 m × 500 m per grid
ROWS = COLS = 3
GRID_NAMES = [
    "第一网格",
    "第二网格",
    "第三网格",
    "第四网格",
    "第五网格",
    "第六网格",
    "第七网格",
    "第八网格",
    "第九网格",
]
ESTATES = [
    "河西花园",
    "龙泉小区",
    "海兰江畔",
    "新兴小区",
    "六道河社区楼",
    "春晖苑",
    "兴安小区",
    "东盛家园",
    "朝阳小区",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕金崔朴"
GIVEN = "建国华明丽娟秀英志强海燕春梅德福玉兰文博雅静思远嘉怡宇航晓东雪松立新桂芳子涵浩然佳琪"


@dataclass(frozen=True)
class DemoGrid:
    number: int  # 1..9, row by row from the north-west
    name: str
    polygon: Polygon


def grid_polygons(seed: int = 2026) -> list[DemoGrid]:
    rng = random.Random(seed)
    step_lon, step_lat = CELL_LON / 2, CELL_LAT / 2
    points = {}
    for i in range(2 * COLS + 1):
        for j in range(2 * ROWS + 1):
            dx = rng.uniform(-0.18, 0.18) * step_lon
            dy = rng.uniform(-0.18, 0.18) * step_lat
            points[i, j] = (ORIGIN_LON + i * step_lon + dx, ORIGIN_LAT + j * step_lat + dy)
    grids = []
    number = 0
    for row in reversed(range(ROWS)):  # north first
        for col in range(COLS):
            number += 1
            i, j = 2 * col, 2 * row
            ring = [
                (i, j),
                (i + 1, j),
                (i + 2, j),
                (i + 2, j + 1),
                (i + 2, j + 2),
                (i + 1, j + 2),
                (i, j + 2),
                (i, j + 1),
            ]
            grids.append(
                DemoGrid(number, GRID_NAMES[number - 1], Polygon([points[p] for p in ring]))
            )
    return grids


def building_sites(polygon: Polygon, count: int, rng: random.Random) -> list[tuple[float, float]]:
    """`count` points well inside the polygon, apart from each other (lon, lat)."""
    inner = polygon.buffer(-0.0006)
    min_x, min_y, max_x, max_y = inner.bounds
    sites: list[tuple[float, float]] = []
    attempts = 0
    while len(sites) < count and attempts < 10_000:
        attempts += 1
        x, y = rng.uniform(min_x, max_x), rng.uniform(min_y, max_y)
        if not inner.contains(Point(x, y)):
            continue
        if all(abs(x - sx) > 0.0008 or abs(y - sy) > 0.0006 for sx, sy in sites):
            sites.append((round(x, 6), round(y, 6)))
    return sites


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def mobile_number(rng: random.Random) -> str:
    return rng.choice(["139", "138", "158", "187", "135"]) + f"{rng.randrange(10**8):08d}"

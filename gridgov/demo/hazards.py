"""Demo hazard register: two sites per grid (some inspections overdue) and 30 hazards in every
state, made through the real actions (so every event is real); some are then moved past their
deadline and swept, two are escalated into cases."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gridgov.accounts.choices import Role
from gridgov.demo.cases import _member
from gridgov.geo.geometry import geometry_from_geojson
from gridgov.geo.models import Area
from gridgov.hazards import actions
from gridgov.hazards.models import Hazard, HazardSite

SITES = [
    ("电动车集中充电棚", "ebike_charging", "河西物业服务有限公司", 7),
    ("临街小餐馆", "small_venue", "店主", 30),
    ("海兰江河堤", "river_dam", "龙井市水务局", 14),
    ("老旧小区配电线路", "old_wiring", "龙井市供电公司", 30),
    ("高层消防通道", "fire_escape", "河西物业服务有限公司", 7),
]

HAZARDS = [
    ("楼道内电动车充电", "high"),
    ("私拉电线给电瓶车充电", "major"),
    ("消防通道堆放杂物", "medium"),
    ("灭火器过期", "medium"),
    ("河堤护坡局部塌陷", "high"),
    ("餐馆液化气瓶未固定", "high"),
    ("配电箱门锁损坏", "low"),
    ("外墙瓷砖松动有坠落风险", "high"),
    ("楼顶违规搭建", "medium"),
    ("地下室积水", "low"),
]

# The state each demo hazard ends in: 30 hazards, every state several times.
TARGETS = ["found"] * 8 + ["rectifying"] * 8 + ["rectified"] * 6 + ["verified"] * 8
OVERDUE = {1, 3, 9, 12, 14}  # indexes moved past their deadline (open ones)
ESCALATED = {2, 10}


def seed_hazards(community_code: str) -> int:
    if Hazard.objects.filter(grid__parent__code=community_code).exists():
        return 0
    grids = list(Area.objects.grids().filter(parent__code=community_code).order_by("code"))
    staff = _member(Role.COMMUNITY_STAFF, organisation__code="HX-SQ")
    sites: list[HazardSite] = []
    for g, grid in enumerate(grids):
        for k in range(2):
            name, kind, party, interval = SITES[(g * 2 + k) % len(SITES)]
            site = HazardSite.objects.create(
                name=f"{grid.name}{name}",
                kind=kind,
                grid=grid,
                address=f"{grid.name}{name}",
                responsible_party=party,
                inspection_interval_days=interval,
            )
            sites.append(site)
            if (g + k) % 3 != 0:  # a third never inspected (overdue)
                worker = _member(Role.GRID_WORKER, area=grid)
                inspection = actions.record_inspection(site, acting_user=worker, result="ok")
                if (g + k) % 3 == 1:  # inspected once, long ago: overdue again
                    long_ago = inspection.inspected_at - dt.timedelta(days=interval + 3)
                    type(inspection).objects.filter(pk=inspection.pk).update(inspected_at=long_ago)
                    site.last_inspected_at = long_ago
                    site.save(update_fields=["last_inspected_at"])
    today = timezone.localdate()
    for index, target in enumerate(TARGETS):
        grid = grids[index % len(grids)]
        worker = _member(Role.GRID_WORKER, area=grid)
        title, risk = HAZARDS[index % len(HAZARDS)]
        spot = sites[(index * 2) % len(sites)] if index % 2 == 0 else None
        if spot is not None:
            grid = spot.grid
            worker = _member(Role.GRID_WORKER, area=grid)
        lon, lat = _point_inside(grid, index)
        hazard = actions.report_hazard(
            acting_user=worker,
            grid=grid,
            site=spot,
            lon=lon,
            lat=lat,
            title=title,
            risk_level=risk,
            description=f"{grid.name}巡查发现：{title}。",
            address="" if spot else f"{grid.name}",
            deadline=today + dt.timedelta(days=3 + index % 10),
        )
        if index in ESCALATED:
            actions.escalate(hazard, acting_user=worker, note="社区无法独立整改，需部门处置")
        if target in ("rectifying", "rectified", "verified"):
            actions.start_rectification(hazard, acting_user=worker, note="已书面通知责任主体整改")
        if target in ("rectified", "verified"):
            actions.mark_rectified(hazard, acting_user=worker, note="已整改完毕")
        if target == "verified":
            actions.verify(hazard, acting_user=staff, note="现场复核，验收销号")
        if index in OVERDUE:
            Hazard.objects.filter(pk=hazard.pk).update(
                deadline=today - dt.timedelta(days=index % 5 + 1)
            )
    actions.sweep_overdue()
    return len(TARGETS)


def _point_inside(grid: Area, index: int) -> tuple[float | None, float | None]:
    """A point inside the grid, spread over its extent by `index` (the same on every run)."""
    if not grid.boundary:
        return None, None
    from shapely.geometry import Point

    outline = geometry_from_geojson(grid.boundary)
    min_lon, min_lat, max_lon, max_lat = outline.bounds
    # Clear of the boundary, so that a marker reads as inside its grid on the map.
    shape = outline.buffer(-0.1 * min(max_lon - min_lon, max_lat - min_lat))
    if shape.is_empty:
        shape = outline
    for step in range(40):
        fx = ((index * 7 + step * 3) % 10 + 0.5) / 10
        fy = ((index * 3 + step * 7) % 10 + 0.5) / 10
        point = Point(min_lon + fx * (max_lon - min_lon), min_lat + fy * (max_lat - min_lat))
        if shape.contains(point):
            return round(point.x, 6), round(point.y, 6)
    centre = shape.representative_point()
    return round(centre.x, 6), round(centre.y, 6)

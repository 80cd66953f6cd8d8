"""Seed the demo community 河西社区 (梨园街道, 龙井市). Idempotent: run it as often as you like.

Every object is found by its code or username first and only created when missing, so a second
run changes nothing and a partly seeded database is completed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from gridgov.accounts.choices import OrganisationKind, Role
from gridgov.accounts.models import Membership, Organisation, User
from gridgov.cases.categories import DEFAULT_FILE, load_categories
from gridgov.cases.models import Case
from gridgov.demo.people import seed_people
from gridgov.geo.choices import AreaKind
from gridgov.geo.geometry import geojson_from_geometry
from gridgov.geo.models import Area
from gridgov.registry.choices import HouseUse
from gridgov.registry.models import Building, House, Household, Unit

from . import layout
from .basemap import seed_basemap
from .cases import seed_cases
from .hazards import seed_hazards
from .mediation import seed_mediation
from .notices import seed_notices
from .patrols import seed_patrols
from .reports import seed_reports
from .talkpoints import seed_talk_points
from .year import seed_year

DEMO_PASSWORD = "Hexi-demo-2026"  # noqa: S105 - printed for the demo; never used in production
CITY = ("222405", "龙井市")
STREET = ("222405001", "梨园街道")
COMMUNITY = ("222405001001", "河西社区")

# code, name, kind, area level ("city", "street" or "community")
ORGANISATIONS = [
    ("HX-SQ", "河西社区居委会", OrganisationKind.COMMUNITY_OFFICE, "community"),
    ("LY-JD", "梨园街道综治中心", OrganisationKind.STREET_OFFICE, "street"),
    ("LJ-SW", "龙井市水务局", OrganisationKind.WATER, "city"),
    ("LJ-CG", "龙井市城市管理综合执法局", OrganisationKind.URBAN_MANAGEMENT, "city"),
    ("LJ-ZJ", "龙井市住房和城乡建设局", OrganisationKind.HOUSING, "city"),
    ("LJ-HB", "龙井市生态环境分局", OrganisationKind.ENVIRONMENT, "city"),
    ("LJ-MZ", "龙井市民政局", OrganisationKind.CIVIL_AFFAIRS, "city"),
    ("LJ-RS", "龙井市人力资源和社会保障局", OrganisationKind.SOCIAL_SECURITY, "city"),
    ("LY-PCS", "梨园派出所", OrganisationKind.POLICE_STATION, "street"),
    ("LY-SFS", "梨园司法所", OrganisationKind.JUDICIAL_OFFICE, "street"),
    ("LJ-GD", "龙井市供电公司", OrganisationKind.POWER, "city"),
    ("LJ-RQ", "龙井市燃气公司", OrganisationKind.GAS, "city"),
    ("LJ-GR", "龙井市供热公司", OrganisationKind.HEATING, "city"),
    ("HX-WY", "河西物业服务有限公司", OrganisationKind.PROPERTY_COMPANY, "community"),
    ("HX-TWH", "河西社区人民调解委员会", OrganisationKind.MEDIATION_COMMITTEE, "community"),
]


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    organisation: str | None  # organisation code
    area: str | None  # area code


def accounts(grid_codes: list[str]) -> list[Account]:
    """Every demo account; the first of each role is the one `demo-logins` prints."""
    community = COMMUNITY[0]
    rows = [
        Account(f"gw{n:02d}", Role.GRID_WORKER, "HX-SQ", code)
        for n, code in enumerate(grid_codes, start=1)
    ]
    rows += [
        Account("hx_staff", Role.COMMUNITY_STAFF, "HX-SQ", None),
        Account("hx_staff2", Role.COMMUNITY_STAFF, "HX-SQ", None),
        Account("ly_dispatch", Role.STREET_DISPATCHER, "LY-JD", None),
        Account("ly_leader", Role.LEADER, "LY-JD", None),
        Account("hx_mediator", Role.MEDIATOR, "HX-TWH", None),
        Account("ly_judicial", Role.JUDICIAL_OFFICER, "LY-SFS", None),
        Account("sysadmin", Role.SYSTEM_ADMIN, None, CITY[0]),
        Account("secadmin", Role.SECURITY_ADMIN, None, CITY[0]),
        Account("auditadmin", Role.AUDIT_ADMIN, None, CITY[0]),
    ]
    rows += [
        Account(f"dept_{code.split('-')[1].lower()}", Role.DEPARTMENT_HANDLER, code, None)
        for code, _n, kind, _l in ORGANISATIONS
        if kind
        not in {
            OrganisationKind.COMMUNITY_OFFICE,
            OrganisationKind.STREET_OFFICE,
            OrganisationKind.MEDIATION_COMMITTEE,
        }
    ]
    rows += [Account(f"resident{n:02d}", Role.RESIDENT, None, community) for n in range(1, 19)]
    return rows


@transaction.atomic
def seed_demo() -> dict[str, int]:
    rng = random.Random(20261128)
    city = _area(AreaKind.CITY, *CITY, parent=None)
    street = _area(AreaKind.STREET, *STREET, parent=city)
    community = _area(AreaKind.COMMUNITY, *COMMUNITY, parent=street)
    grids = []
    for demo_grid in layout.grid_polygons():
        grid = _area(
            AreaKind.GRID,
            f"{COMMUNITY[0]}{demo_grid.number:03d}",
            f"{COMMUNITY[1]}{demo_grid.name}",
            parent=community,
            boundary=geojson_from_geometry(demo_grid.polygon),
        )
        grids.append((grid, demo_grid))
    levels = {"city": city, "street": street, "community": community}
    for code, name, kind, level in ORGANISATIONS:
        Organisation.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "area": levels[level]}
        )
    n_users = _seed_accounts([grid.code for grid, _ in grids], rng)
    n_buildings = _seed_places(grids, rng)
    seed_basemap(COMMUNITY[0])
    n_people = seed_people(community, rng)
    load_categories(DEFAULT_FILE.read_bytes())
    seed_cases(COMMUNITY[0])
    seed_talk_points(COMMUNITY[0], rng)
    seed_hazards(COMMUNITY[0])
    seed_patrols(COMMUNITY[0])  # after hazards and talk points: checkpoints link to them
    seed_notices(COMMUNITY[0])
    seed_mediation(COMMUNITY[0])
    seed_reports(COMMUNITY[0])
    year = seed_year(COMMUNITY[0])  # last: the year's history beside the recent demo
    return {
        "cases": Case.objects.filter(community=community).count(),
        "year": year["year"],
        "grids": len(grids),
        "users": n_users,
        "buildings": n_buildings,
        "people": n_people,
        "households": Household.objects.filter(
            house__unit__building__grid__parent=community
        ).count(),
    }


def _area(
    kind: str, code: str, name: str, *, parent: Area | None, boundary: dict | None = None
) -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        area = Area(kind=kind, code=code, name=name, parent=parent, boundary=boundary)
        area.save()
    return area


def _seed_accounts(grid_codes: list[str], rng: random.Random) -> int:
    organisations = {o.code: o for o in Organisation.objects.all()}
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    areas = {a.code: a for a in Area.objects.filter(path__startswith=CITY[0] + "/")}
    for account in accounts(grid_codes):
        name, phone = layout.person_name(rng), layout.mobile_number(rng)
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(username=account.username, full_name=name)
            user.phone = phone
            user.password = password_hash
            user.save()
        Membership.objects.get_or_create(
            user=user,
            role=account.role,
            organisation=organisations.get(account.organisation or ""),
            area=areas.get(account.area or ""),
        )
    return len(accounts(grid_codes))


def _seed_places(grids: list[tuple[Area, layout.DemoGrid]], rng: random.Random) -> int:
    count = 0
    road_number = 1
    for grid, demo_grid in grids:
        estate = layout.ESTATES[demo_grid.number - 1]
        n_buildings = 4 if demo_grid.number % 2 else 5
        for index, (lon, lat) in enumerate(
            layout.building_sites(demo_grid.polygon, n_buildings, rng), start=1
        ):
            code = f"{grid.code}-B{index:02d}"
            floors = rng.choice([6, 6, 7, 11, 18])
            building = Building.objects.filter(code=code).first()
            if building is None:
                building = Building(
                    code=code,
                    name=f"{estate}{index}号楼",
                    lat=lat,
                    lon=lon,
                    floors=floors,
                    address=f"龙井市梨园街道河西路{road_number}号 {estate}{index}号楼",
                )
                building.save()
            road_number += 2
            count += 1
            _seed_units(building, rng)
    return count


def _seed_units(building: Building, rng: random.Random) -> None:
    if building.units.exists():
        return
    n_units = rng.choice([2, 3, 3, 4])
    units = Unit.objects.bulk_create(
        [Unit(building=building, number=n) for n in range(1, n_units + 1)]
    )
    houses = [
        House(
            unit=unit,
            floor=floor,
            number=f"{floor}{door:02d}",
            use=HouseUse.COMMERCIAL
            if floor == 1 and door == 1 and unit.number == 1
            else HouseUse.RESIDENTIAL,
            is_rented=rng.random() < 0.18,
        )
        for unit in units
        for floor in range(1, building.floors + 1)
        for door in (1, 2)
    ]
    houses = House.objects.bulk_create(houses)
    households = [
        Household(number=f"{building.code}-{house.unit.number}-{house.number}", house=house)
        for house in houses
        if house.use == HouseUse.RESIDENTIAL and rng.random() < 0.9
    ]
    Household.objects.bulk_create(households)

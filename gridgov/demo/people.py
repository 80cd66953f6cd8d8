"""Demo residents for 河西社区's households: generated names and numbers only.

ID numbers are valid by GB 11643 (region 222405, sequence 900–999, rarely issued) but belong
to nobody known; phones come from the demo layout's generator.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Membership
from gridgov.core.identity import check_digit
from gridgov.demo import layout
from gridgov.geo.models import Area
from gridgov.registry.actions import mark_departed, register_people, set_special_group
from gridgov.registry.choices import PersonStatus, Registration, Relation, SpecialGroup
from gridgov.registry.models import Household, NeedToKnowGrant, Person


def _id_number(born: dt.date, male: bool, used: set[str], rng: random.Random) -> str:
    while True:
        sequence = rng.randrange(900, 999, 2) + (1 if male else 0)
        first17 = f"222405{born:%Y%m%d}{sequence:03d}"
        number = first17 + check_digit(first17)
        if number not in used:
            used.add(number)
            return number


def _birth(rng: random.Random, low: int, high: int) -> dt.date:
    age_days = rng.randint(low * 365, high * 365)
    return dt.date(2026, 11, 1) - dt.timedelta(days=age_days)


def _registrar(community: Area) -> Membership:
    """The community staff member the demo's residents are registered by (on the audit log)."""
    membership = (
        Membership.objects.filter(
            role=Role.COMMUNITY_STAFF, organisation__area=community, is_active=True
        )
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if membership is None:
        raise RuntimeError("the demo community has no staff account to register residents")
    return membership


def seed_people(community: Area, rng: random.Random) -> int:
    """Register the generated residents through the registry's one write path, as the community
    staff would from the household survey, then record those who have moved away."""
    households = Household.objects.filter(
        house__unit__building__grid__parent=community
    ).select_related("house__unit__building")
    if Person.objects.filter(grid__parent=community).exists():
        return Person.objects.filter(grid__parent=community).count()
    staff = _registrar(community).user
    used: set[str] = set()
    rows: list[dict[str, object]] = []
    moved_on: list[dt.date | None] = []
    for household in households:
        house = household.house
        members: list[tuple[str, bool, dt.date]] = []
        head_male = rng.random() < 0.6
        members.append((Relation.HEAD, head_male, _birth(rng, 25, 85)))
        if rng.random() < 0.7:
            members.append((Relation.SPOUSE, not head_male, _birth(rng, 25, 80)))
        for _ in range(rng.choice((0, 0, 1, 1, 2))):
            members.append((Relation.CHILD, rng.random() < 0.5, _birth(rng, 1, 30)))
        floating = house.is_rented and rng.random() < 0.7
        for relation, male, born in members:
            id_number = _id_number(born, male, used, rng)
            phone = layout.mobile_number(rng) if born.year < 2010 else ""
            moved = rng.random() < 0.02
            rows.append(
                {
                    "name": layout.person_name(rng),
                    "id_number": id_number,
                    "phone": phone,
                    "sex": "male" if male else "female",
                    "birth_date": born,
                    "ethnicity": "朝鲜族" if rng.random() < 0.3 else "汉族",
                    "registration": (
                        Registration.FLOATING if floating else Registration.REGISTERED
                    ),
                    "house": house,
                    "household_number": household.number,
                    "relation": relation,
                }
            )
            moved_on.append(dt.date(2025, rng.randint(1, 12), 1) if moved else None)
    people: list[Person] = []
    for start in range(0, len(rows), 1000):
        people += register_people(rows[start : start + 1000], acting_user=staff, via="demo")
    for person, left_on in zip(people, moved_on, strict=True):
        if left_on is not None:
            mark_departed(person, PersonStatus.MOVED_OUT, left_on, acting_user=staff)
    _seed_special_groups(community, rng)
    return len(people)


def _seed_special_groups(community: Area, rng: random.Random) -> None:
    # The community keeps the 关爱 list: its first staff member holds the grant over the
    # community and records the elderly living alone through the registry's write path.
    staff = _registrar(community).user
    NeedToKnowGrant.objects.get_or_create(
        user=staff,
        group=SpecialGroup.ELDERLY_ALONE,
        area=community,
        defaults={"reason": "关爱走访台账：社区统筹独居老人探访"},
    )
    # Heads of one-person households born before 1951 (the others live with family).
    elderly = (
        Person.objects.filter(
            grid__parent=community, birth_date__lt=dt.date(1951, 1, 1), relation=Relation.HEAD
        )
        .annotate(members=Count("household__members"))
        .filter(members=1)
        .order_by("pk")
    )
    for person in elderly[:40]:
        set_special_group(
            person,
            SpecialGroup.ELDERLY_ALONE,
            acting_user=staff,
            since=None,
            details={"visit_frequency": "每周一次", "emergency_contact": "子女（见户内成员）"},
            note="",
        )
    # The first grid's worker may see elderly-living-alone records in their grid (关爱走访).
    membership = (
        Membership.objects.filter(role=Role.GRID_WORKER, area__parent=community)
        .select_related("user", "area")
        .order_by("area__code")
        .first()
    )
    if membership is not None:
        NeedToKnowGrant.objects.get_or_create(
            user=membership.user,
            group=SpecialGroup.ELDERLY_ALONE,
            area=membership.area,
            defaults={"reason": "关爱走访：独居老人每周探访"},
        )

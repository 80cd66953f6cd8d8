"""Who a notice reaches, who may see and change it, and its read rate per target.

Rules (ADR 0011 style: one place, `Q` for querysets):
- authors (community staff, leaders) view and change notices issued in their membership's area;
- residents read published notices for residents whose target covers them: an area containing
  their resident membership's area, or the building / grid of the registered person whose phone
  is their account's (the registry is the audience of record);
- staff read published notices for staff whose target area contains their membership's area,
  or a building in their grid;
- grid workers view the published notices for residents that touch their grid (above, in or on
  a building of it), to see who has not read them and to tell people in person.
The residents counted in a read rate are the registry's living people; a person has read when
an account with their phone holds a read receipt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q

from gridgov.accounts import scope
from gridgov.accounts.choices import Role
from gridgov.notices.choices import AUTHOR_ROLES, STAFF_READER_ROLES, NoticeStatus

if TYPE_CHECKING:
    from gridgov.accounts.models import User
    from gridgov.notices.models import Notice


def _covering(paths: list[str] | tuple[str, ...]) -> Q:
    """Q: a target area is one of these areas or contains one of them."""
    prefixes = {p for path in paths for p in [*scope.ancestor_paths(path), path]}
    return Q(areas__path__in=sorted(prefixes))


def author_paths(user: User) -> tuple[str, ...]:
    return scope.role_paths(user, AUTHOR_ROLES)


def author_condition(user: User) -> Q:
    return scope.under(author_paths(user), "owner_area__path")


def linked_people(user: User) -> Any:
    """The registry's living people with the account's phone (a resident's household record)."""
    from gridgov.registry.choices import PersonStatus
    from gridgov.registry.models import Person

    if not user.phone_index:
        return Person.objects.none()
    return Person.objects.filter(phone_index=user.phone_index, status=PersonStatus.LIVING)


def resident_condition(user: User) -> Q:
    if not user.has_role(Role.RESIDENT):
        return Q(pk__in=[])
    paths = list(scope.role_paths(user, (Role.RESIDENT,)))
    people = list(linked_people(user).values_list("grid__path", "house__unit__building_id"))
    paths += [grid for grid, _b in people if grid]
    buildings = [b for _g, b in people if b]
    reach = _covering(paths) | Q(buildings__in=buildings)
    return Q(status=NoticeStatus.PUBLISHED, for_residents=True) & reach


def staff_condition(user: User) -> Q:
    paths = scope.role_paths(user, STAFF_READER_ROLES)
    if not paths:
        return Q(pk__in=[])
    reach = _covering(paths) | Q(buildings__grid__path__in=paths)
    return Q(status=NoticeStatus.PUBLISHED, for_staff=True) & reach


def grid_follow_up_condition(user: User) -> Q:
    grids = scope.role_paths(user, (Role.GRID_WORKER,))
    if not grids:
        return Q(pk__in=[])
    reach = _covering(grids) | scope.under(grids, "areas__path")
    reach |= scope.under(grids, "buildings__grid__path")
    return Q(status=NoticeStatus.PUBLISHED, for_residents=True) & reach


def reader_condition(user: User) -> Q:
    return resident_condition(user) | staff_condition(user)


def view_condition(user: User) -> Q:
    return author_condition(user) | reader_condition(user) | grid_follow_up_condition(user)


def is_reader(user: User, notice: Notice) -> bool:
    from gridgov.notices.models import Notice

    return Notice.objects.filter(reader_condition(user), pk=notice.pk).exists()


def follows_up(user: User, notice: Notice) -> bool:
    from gridgov.notices.models import Notice

    return Notice.objects.filter(grid_follow_up_condition(user), pk=notice.pk).exists()


# ---------------------------------------------------------------------------------------------
# The audience in numbers


def people_in(notice: Notice, target: Any) -> Any:
    """The registry's living people in one target (an area or a building)."""
    from gridgov.geo.models import Area
    from gridgov.registry.choices import PersonStatus
    from gridgov.registry.models import Person

    people = Person.objects.filter(status=PersonStatus.LIVING)
    if isinstance(target, Area):
        return people.filter(grid__path__startswith=target.path)
    return people.filter(house__unit__building=target)


def annotate_reached(notice: Notice, people: Any) -> Any:
    """Add `has_read` (an account with their phone read it) and `was_told` to people."""
    from gridgov.accounts.models import User
    from gridgov.notices.models import ToldInPerson

    readers = User.objects.filter(
        phone_index=OuterRef("phone_index"),
        notice_reads__notice=notice,
    ).exclude(phone_index="")
    told = ToldInPerson.objects.filter(notice=notice, person=OuterRef("pk"))
    return people.annotate(has_read=Exists(readers), was_told=Exists(told))


def staff_in(target: Any) -> Any:
    from gridgov.accounts.models import User
    from gridgov.geo.models import Area

    path = target.path if isinstance(target, Area) else getattr(target.grid, "path", None)
    if path is None:
        return User.objects.none()
    # A membership's area is its own, else its organisation's (`Membership.scope_area`).
    where = Q(memberships__area__path__startswith=path) | Q(
        memberships__area__isnull=True, memberships__organisation__area__path__startswith=path
    )
    return User.objects.filter(
        where,
        is_active=True,
        memberships__is_active=True,
        memberships__role__in=STAFF_READER_ROLES,
    ).distinct()


@dataclass(frozen=True)
class TargetRate:
    name: str
    kind: str  # "residents" | "staff"
    total: int
    read: int
    told: int

    @property
    def reached(self) -> int:
        return self.read + self.told

    @property
    def read_percent(self) -> float:
        return round(100 * self.read / self.total, 1) if self.total else 0.0

    @property
    def reached_percent(self) -> float:
        return round(100 * self.reached / self.total, 1) if self.total else 0.0


def read_rates(notice: Notice) -> list[TargetRate]:
    """One row per target and audience: how many, how many read, how many told in person."""
    from django.db.models import Count

    rows: list[TargetRate] = []
    targets = [*notice.areas.order_by("path"), *notice.buildings.order_by("code")]
    for target in targets:
        if notice.for_residents:
            counts = annotate_reached(notice, people_in(notice, target)).aggregate(
                total=Count("pk"),
                read=Count("pk", filter=Q(has_read=True)),
                told=Count("pk", filter=Q(has_read=False, was_told=True)),
            )
            rows.append(TargetRate(target.name, "residents", **counts))
        if notice.for_staff:
            staff = staff_in(target)
            read = staff.filter(notice_reads__notice=notice).count()
            rows.append(TargetRate(target.name, "staff", staff.count(), read, 0))
    return rows


def unread_in_grids(notice: Notice, user: User) -> Any:
    """The living people of the user's grids in the notice's targets who have not read it,
    with `was_told`; the grid worker's follow-up list."""
    from gridgov.registry.choices import PersonStatus
    from gridgov.registry.models import Person

    grids = scope.role_paths(user, (Role.GRID_WORKER,))
    targets = Q(pk__in=[])
    for area in notice.areas.all():
        targets |= Q(grid__path__startswith=area.path)
    targets |= Q(house__unit__building__in=notice.buildings.all())
    people = Person.objects.filter(
        scope.under(grids, "grid__path"), targets, status=PersonStatus.LIVING
    )
    people = annotate_reached(notice, people).filter(has_read=False)
    return people.select_related("house__unit__building").order_by("was_told", "house_id", "pk")


def audience_user_ids(notice: Notice) -> list[int]:
    """The accounts a published notice reaches (for its in-app notification)."""
    from gridgov.accounts.models import User

    ids: set[int] = set()
    if notice.for_staff:
        for target in [*notice.areas.all(), *notice.buildings.select_related("grid")]:
            ids |= set(staff_in(target).values_list("pk", flat=True))
    if notice.for_residents:
        paths = list(notice.areas.values_list("path", flat=True))
        residents = User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=Role.RESIDENT,
        )
        ids |= set(
            residents.filter(scope.under(tuple(paths), "memberships__area__path")).values_list(
                "pk", flat=True
            )
        )
        from gridgov.registry.choices import PersonStatus
        from gridgov.registry.models import Person

        phones = (
            Person.objects.filter(
                Q(house__unit__building__in=notice.buildings.all())
                | scope.under(tuple(paths), "grid__path"),
                status=PersonStatus.LIVING,
            )
            .exclude(phone_index="")
            .values("phone_index")
        )
        ids |= set(residents.filter(phone_index__in=phones).values_list("pk", flat=True))
    return sorted(ids)

"""Intake: registering a case (hotline, grid worker, resident report), and its duplicates.

Creating is not a move between states, so it does not pass `transition()`; it writes the same
three things a move writes: one event row, one audit row, outbox rows, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.accounts import scope
from gridgov.accounts.models import Membership
from gridgov.audit.log import record
from gridgov.cases import sla
from gridgov.cases.actions._common import attach, community_office, require
from gridgov.cases.choices import Channel, EventKind, Status, Step, Urgency
from gridgov.cases.media import CheckedImage, CheckedVoice
from gridgov.cases.models import AttachmentKind, Case, CaseEvent, CaseSequence, Category
from gridgov.cases.notifications import case_url, owner_audience
from gridgov.geo.choices import AreaKind
from gridgov.geo.lookup import grid_id_at
from gridgov.geo.models import Area
from gridgov.inbox.services import message
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.outbox.relay import write
from gridgov.workdays.calendar import WorkCalendar

if TYPE_CHECKING:
    from gridgov.accounts.models import User
    from gridgov.registry.models import Building, Unit


def may_create_in(user: User, community: Area) -> Membership | None:
    """The membership under which the user may register a case in this community (the create
    rule of `gridgov.accounts.scope`, ADR 0011)."""
    return scope.case_create_membership(user, community)


def _next_number(community: Area, now: dt.datetime) -> str:
    day = timezone.localdate(now)
    sequence, _created = CaseSequence.objects.get_or_create(community=community, day=day)
    CaseSequence.objects.filter(pk=sequence.pk).update(last=F("last") + 1)
    sequence.refresh_from_db(fields=["last"])
    prefix = community.code
    return f"{prefix}-{day:%Y%m%d}-{sequence.last:04d}"


def create_case(
    *,
    acting_user: User | None,
    channel: str,
    title: str,
    description: str,
    category: Category | None = None,
    community: Area | None = None,
    lat: float | None = None,
    lon: float | None = None,
    building: Building | None = None,
    unit: Unit | None = None,
    address: str = "",
    urgency: str = Urgency.NORMAL,
    reporter_user: User | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    confidential: bool = False,
    photos: Sequence[CheckedImage] = (),
    voice: CheckedVoice | None = None,
    idempotency_key: str = "",
) -> Case:
    """Register a case. Its grid comes from the building, the point, or a photo's EXIF GPS; a
    point outside every grid is accepted for the given community as "location unclear". The
    community office owns it from the first second (首接负责制). `acting_user=None` is an
    anonymous resident report: it gets a tracking code instead of an account.

    A repeated `idempotency_key` (a retried submission) returns the case the first one made."""
    creator_id = acting_user.pk if acting_user is not None else None
    if idempotency_key:
        existing = Case.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.created_by_id != creator_id:
                raise IllegalMove(_("This submission was already used by someone else."))
            return existing
    if lat is None and lon is None and building is None and unit is None:
        located = next((p.gps for p in photos if p.gps), None)
        if located:
            lat, lon = located
    if unit is not None and building is None:
        building = unit.building
    if unit is not None and building is not None and unit.building_id != building.pk:
        raise IllegalMove(_("That unit is not in that building."))
    grid: Area | None = None
    if building is not None:
        grid = building.grid
        if lat is None or lon is None:
            lat, lon = building.lat, building.lon
    elif lat is not None and lon is not None:
        grid_id = grid_id_at(lat, lon)
        grid = Area.objects.select_related("parent").get(pk=grid_id) if grid_id else None
    if grid is not None:
        community = grid.parent
    if community is None or community.kind != AreaKind.COMMUNITY:
        raise IllegalMove(
            _("Give a location inside a grid, a building, or the community the case belongs to.")
        )
    membership = may_create_in(acting_user, community) if acting_user is not None else None
    if acting_user is not None and membership is None:
        raise NotAllowed(_("You may not register cases for this community."))
    if acting_user is None and channel != Channel.RESIDENT_APP:
        raise NotAllowed(_("Sign in to register cases."))
    if category is not None and (category.parent_id is None or not category.is_active):
        raise IllegalMove(_("Choose an active subcategory."))
    now = timezone.now()
    try:
        with transaction.atomic():
            case = Case(
                number=_next_number(community, now),
                channel=channel,
                category=category,
                title=require(title, _("A title is required.")),
                description=require(description, _("A description is required.")),
                address=address.strip(),
                lat=lat,
                lon=lon,
                building=building,
                unit=unit,
                community=community,
                grid=grid,
                area=grid or community,
                area_path=(grid or community).path,
                urgency=urgency,
                reporter_user=reporter_user,
                reporter_name=reporter_name.strip(),
                confidential=confidential,
                status=Status.SUBMITTED,
                owner=community_office(community.pk),
                created_by=acting_user,
                idempotency_key=idempotency_key,
                tracking_code=secrets.token_hex(5).upper() if acting_user is None else "",
            )
            case.reporter_phone = reporter_phone
            sla.start_step(case, Step.ACCEPT, now, WorkCalendar())
            case.save()
            photo_ids = attach(case, photos, AttachmentKind.PHOTO, acting_user, voice)
            _created(case, membership, acting_user, photo_ids, grid is None)
    except IntegrityError:
        if idempotency_key:  # the same submission raced in twice: return the first
            return Case.objects.get(created_by_id=creator_id, idempotency_key=idempotency_key)
        raise
    return case


def duplicate_candidates(case: Case, *, limit: int = 5) -> list[Case]:
    """Open cases of the same category in the same building or within 100 m, last 7 days."""
    if case.category_id is None:
        return []
    since = case.created_at - dt.timedelta(days=7)
    candidates = (
        Case.objects.open()
        .filter(category_id=case.category_id, created_at__gte=since, community_id=case.community_id)
        .exclude(pk=case.pk)
    )
    if case.building_id:
        same_building = list(candidates.filter(building_id=case.building_id)[:limit])
        if same_building:
            return same_building
    if case.lat is None or case.lon is None:
        return []
    dlat = 100 / 111_320
    dlon = dlat / max(math.cos(math.radians(case.lat)), 0.01)
    nearby = candidates.filter(
        lat__range=(case.lat - dlat, case.lat + dlat), lon__range=(case.lon - dlon, case.lon + dlon)
    )
    return [c for c in nearby[: limit * 4] if _metres(case, c) <= 100][:limit]


def _metres(a: Case, b: Case) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    x = math.radians(b.lon - a.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    y = math.radians(b.lat - a.lat)
    return 6_371_000 * math.hypot(x, y)


def _created(
    case: Case,
    membership: Membership | None,
    user: User | None,
    photo_ids: list[int],
    location_unclear: bool,
) -> None:
    role = membership.role if membership else ""
    record(
        f"case.{EventKind.CREATED}",
        actor=user,
        role=role,
        obj=case,
        object_repr=case.number,
        detail={"from": "", "to": case.status},
    )
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.CREATED,
        actor=user,
        actor_role=role,
        actor_org=membership.organisation if membership else None,
        from_status="",
        to_status=case.status,
        data={
            "channel": case.channel,
            "location_unclear": location_unclear,
            "attachments": photo_ids,
            "anonymous": user is None,
        },
    )
    text = _("New case %(number)s: %(title)s") % {"number": case.number, "title": case.title}
    write(event, [message(owner_audience(case), text, case_url(case))])

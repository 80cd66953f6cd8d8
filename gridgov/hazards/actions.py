"""The one write path of the hazard register (style.md §1).

Reporting a hazard and inspecting a site are not moves between states: like case intake they
write their own event (or inspection) row and audit row in one transaction. Every move of a
hazard goes through the lifecycle kernel (`transition()`), declared here with `@HAZARDS.action`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gridgov.accounts import scope
from gridgov.accounts.choices import OrganisationKind, Role
from gridgov.accounts.models import Membership
from gridgov.audit.log import record
from gridgov.cases.choices import Channel, Urgency
from gridgov.cases.media import CheckedImage
from gridgov.geo.choices import AreaKind
from gridgov.geo.lookup import grid_id_at
from gridgov.hazards.choices import (
    RISK_RANK,
    HazardEventKind,
    HazardStatus,
    InspectionResult,
    RiskLevel,
    SiteKind,
)
from gridgov.hazards.inputs import NoteInput, ReasonInput, RectifiedInput
from gridgov.hazards.lifecycle import HAZARDS, HazardAction
from gridgov.hazards.models import Hazard, HazardEvent, HazardPhoto, HazardSite, Inspection
from gridgov.inbox.services import message
from gridgov.lifecycle import IllegalMove, Move, NotAllowed
from gridgov.outbox.relay import write

if TYPE_CHECKING:
    from gridgov.accounts.models import User
    from gridgov.geo.models import Area

S = HazardStatus
KEEPERS = (Role.GRID_WORKER, Role.COMMUNITY_STAFF)
STAFF = (Role.COMMUNITY_STAFF,)
MAX_PHOTOS = 9


def one(*statuses: str) -> frozenset[str]:
    return frozenset(statuses)


def hazard_url(hazard: Hazard) -> str:
    return reverse("hazards:detail", args=[hazard.pk])


def community_staff(hazard: Hazard) -> set[int]:
    """The community staff of the hazard's community (its community office)."""
    return set(
        Membership.objects.filter(
            organisation__area=hazard.grid.parent,
            organisation__kind=OrganisationKind.COMMUNITY_OFFICE,
            role=Role.COMMUNITY_STAFF,
            is_active=True,
        ).values_list("user_id", flat=True)
    )


def _store_photos(
    hazard: Hazard, photos: Sequence[CheckedImage], stage: str, user: User
) -> list[int]:
    if len(photos) > MAX_PHOTOS:
        raise IllegalMove(_("At most %(n)s photos can be attached.") % {"n": MAX_PHOTOS})
    ids = []
    for photo in photos:
        photo.file.seek(0)
        row = HazardPhoto(hazard=hazard, content_type=photo.content_type, stage=stage)
        row.uploaded_by = user
        row.file.save("photo", photo.file, save=False)
        row.save()
        ids.append(row.pk)
    return ids


# ---------------------------------------------------------------------------------------------
# Reporting and inspecting (not moves)


def _keeper(user: User, grid: Area) -> Membership:
    if grid.kind != AreaKind.GRID:
        raise IllegalMove(_("Choose a grid."))
    membership = scope.hazard_relations(user, grid.path)
    if not membership:
        raise NotAllowed(_("You may not keep the hazard register of this grid."))
    return next(iter(membership.values()))


def hazard_position(
    grid: Area,
    lon: float | None,
    lat: float | None,
    *,
    site: HazardSite | None = None,
    gps: bool = False,
) -> tuple[float, float] | None:
    """The hazard's (lon, lat): the given point if inside `grid`, else the site's if inside."""
    if lon is not None and lat is not None:
        inside = -180 <= lon <= 180 and -90 <= lat <= 90 and grid_id_at(lat, lon) == grid.pk
        if inside:
            return round(lon, 7), round(lat, 7)
        if not gps:
            raise IllegalMove(_("The hazard's position is not inside the grid."))
    elif (lon is None) != (lat is None) and not gps:
        raise IllegalMove(_("Give both the longitude and the latitude, or neither."))
    if site is None or site.lon is None or site.lat is None:
        return None
    return (site.lon, site.lat) if grid_id_at(site.lat, site.lon) == grid.pk else None


def report_hazard(
    *,
    acting_user: User,
    grid: Area,
    title: str,
    risk_level: str,
    deadline: dt.date,
    description: str = "",
    address: str = "",
    responsible_party: str = "",
    site: HazardSite | None = None,
    photos: Sequence[CheckedImage] = (),
    lon: float | None = None,
    lat: float | None = None,
    gps: bool = False,
) -> Hazard:
    """Enter a hazard in the register as found (at a site, or elsewhere in a grid).

    Its position (WGS-84) is the one given, else its site's; it must lie inside the grid. A
    picked position outside the grid is refused; a phone's GPS fix (`gps=True`) outside it is
    left out instead (the finder stood across the boundary: the hazard still goes in)."""
    membership = _keeper(acting_user, grid)
    title = (title or "").strip()
    if not title:
        raise IllegalMove(_("A title is required."))
    if risk_level not in RiskLevel.values:
        raise IllegalMove(_("Choose a risk level."))
    if site is not None and site.grid_id != grid.pk:
        raise IllegalMove(_("That hazard site is not in that grid."))
    if deadline < timezone.localdate():
        raise IllegalMove(_("The rectification deadline cannot be in the past."))
    position = hazard_position(grid, lon, lat, site=site, gps=gps)
    with transaction.atomic():
        hazard = Hazard.objects.create(
            lon=position[0] if position else None,
            lat=position[1] if position else None,
            title=title,
            description=(description or "").strip(),
            site=site,
            grid=grid,
            area_path=grid.path,
            address=(address or "").strip() or (site.address if site else ""),
            risk_level=risk_level,
            responsible_party=(responsible_party or "").strip()
            or (site.responsible_party if site else ""),
            deadline=deadline,
            status=S.FOUND,
            reported_by=acting_user,
        )
        photo_ids = _store_photos(hazard, photos, S.FOUND, acting_user)
        event = HazardEvent.objects.create(
            hazard=hazard,
            kind=HazardEventKind.REPORTED,
            actor=acting_user,
            actor_role=membership.role,
            to_status=S.FOUND,
            data={"photos": photo_ids, "risk": risk_level},
        )
        record(
            "hazard.reported",
            actor=acting_user,
            role=membership.role,
            obj=hazard,
            object_repr=hazard.number,
            detail={"risk": risk_level},
        )
        if RISK_RANK[RiskLevel(risk_level)] >= RISK_RANK[RiskLevel.HIGH]:
            text = _("A %(risk)s hazard was reported: %(title)s") % {
                "risk": RiskLevel(risk_level).label,
                "title": hazard.title,
            }
            write(event, [message(community_staff(hazard), text, hazard_url(hazard))])
    return hazard


def create_site(
    *,
    acting_user: User,
    grid: Area,
    name: str,
    kind: str,
    responsible_party: str,
    inspection_interval_days: int,
    address: str = "",
) -> HazardSite:
    """Add a site to the register (community staff): it is due for inspection at once."""
    membership = _keeper(acting_user, grid)
    if membership.role != Role.COMMUNITY_STAFF:
        raise NotAllowed(_("Only the community staff add hazard sites."))
    name, party = (name or "").strip(), (responsible_party or "").strip()
    if not name or not party:
        raise IllegalMove(_("Give the site's name and its responsible party."))
    if kind not in SiteKind.values:
        raise IllegalMove(_("Choose the type of the site."))
    if not 1 <= inspection_interval_days <= 366:
        raise IllegalMove(_("The inspection interval is 1 to 366 days."))
    with transaction.atomic():
        site = HazardSite.objects.create(
            name=name,
            kind=kind,
            grid=grid,
            address=(address or "").strip(),
            responsible_party=party,
            inspection_interval_days=inspection_interval_days,
        )
        record(
            "hazard.site_created",
            actor=acting_user,
            role=membership.role,
            obj=site,
            object_repr=site.name,
            detail={"grid": grid.code},
        )
    return site


def record_inspection(
    site: HazardSite, *, acting_user: User, result: str, note: str = ""
) -> Inspection:
    """An inspection of a site: its next one falls due `inspection_interval_days` later."""
    membership = _keeper(acting_user, site.grid)
    if result not in InspectionResult.values:
        raise IllegalMove(_("Choose the result of the inspection."))
    now = timezone.now()
    with transaction.atomic():
        locked = HazardSite.objects.select_for_update().select_related("grid").get(pk=site.pk)
        inspection = Inspection.objects.create(
            site=locked, inspected_by=acting_user, inspected_at=now, result=result, note=note
        )
        locked.last_inspected_at = now
        locked.save(update_fields=["last_inspected_at", "updated_at"])
        record(
            "hazard.site_inspected",
            actor=acting_user,
            role=membership.role,
            obj=locked,
            object_repr=locked.name,
            detail={"result": result},
        )
    site.refresh_from_db()
    return inspection


def add_note(
    hazard: Hazard, *, acting_user: User, note: str, photos: Sequence[CheckedImage] = ()
) -> HazardEvent:
    """A note (and photos) on an open hazard, e.g. seen again on a patrol; not a move."""
    membership = _keeper(acting_user, hazard.grid)
    note = (note or "").strip()
    if not note and not photos:
        raise IllegalMove(_("Write a note or add a photo."))
    with transaction.atomic():
        locked = Hazard.objects.select_for_update().get(pk=hazard.pk)
        if not locked.is_open:
            raise IllegalMove(_("This hazard is no longer open."))
        photo_ids = _store_photos(locked, photos, locked.status, acting_user)
        event = HazardEvent.objects.create(
            hazard=locked,
            kind=HazardEventKind.NOTED,
            actor=acting_user,
            actor_role=membership.role,
            from_status=locked.status,
            to_status=locked.status,
            note=note,
            data={"photos": photo_ids},
        )
        record(
            "hazard.noted",
            actor=acting_user,
            role=membership.role,
            obj=locked,
            object_repr=locked.number,
            detail={"photos": len(photo_ids)},
        )
    return event


# ---------------------------------------------------------------------------------------------
# The lifecycle


@HAZARDS.action(
    HazardAction.START,
    label=_l("put under rectification"),
    button=_l("Start rectification"),
    path=1,
    sources=one(S.FOUND),
    targets=one(S.RECTIFYING),
    roles=KEEPERS,
    input=NoteInput,
)
def start_rectification(move: Move, note: str = "") -> None:
    """The responsible party has been told and is rectifying (责令整改)."""
    move.event(HazardEventKind.RECTIFICATION_STARTED, note)


@HAZARDS.action(
    HazardAction.MARK_RECTIFIED,
    label=_l("marked rectified"),
    button=_l("Mark rectified"),
    path=2,
    sources=one(S.RECTIFYING),
    targets=one(S.RECTIFIED),
    roles=KEEPERS,
    input=RectifiedInput,
)
def mark_rectified(move: Move, note: str = "", photos: Sequence[CheckedImage] = ()) -> None:
    """The hazard is rectified (with photos of the result); the community verifies it."""
    hazard = move.obj
    hazard.rectified_at = move.now
    move.save("rectified_at")
    ids = _store_photos(hazard, photos, S.RECTIFIED, move.user)
    move.event(HazardEventKind.RECTIFIED, note, {"photos": ids})
    text = _("Hazard %(number)s was rectified: please verify it.") % {"number": hazard.number}
    move.notify(*message(community_staff(hazard), text, hazard_url(hazard)))


@HAZARDS.action(
    HazardAction.VERIFY,
    label=_l("verified"),
    button=_l("Verify"),
    path=3,
    sources=one(S.RECTIFIED),
    targets=one(S.VERIFIED),
    roles=STAFF,
    input=NoteInput,
)
def verify(move: Move, note: str = "") -> None:
    """The community checks the rectification and closes the hazard (销号)."""
    move.obj.verified_at = move.now
    move.save("verified_at")
    move.event(HazardEventKind.VERIFIED, note)


@HAZARDS.action(
    HazardAction.REWORK,
    label=_l("sent back"),
    button=_l("Not rectified: send back"),
    rank=5,
    sources=one(S.RECTIFIED),
    targets=one(S.RECTIFYING),
    roles=STAFF,
    input=ReasonInput,
)
def rework(move: Move, reason: str) -> None:
    """The rectification is not accepted: the hazard is rectified again."""
    reason = (reason or "").strip()
    if not reason:
        raise IllegalMove(_("Give the reason for sending it back."))
    move.obj.rectified_at = None
    move.save("rectified_at")
    move.event(HazardEventKind.REWORK, reason)


def not_escalated(hazard: Hazard) -> None:
    if hazard.case_id is not None:
        raise IllegalMove(_("This hazard is already escalated into a case."))


@HAZARDS.action(
    HazardAction.ESCALATE,
    label=_l("escalated"),
    button=_l("Escalate into a case"),
    rank=6,
    sources=one(S.FOUND, S.RECTIFYING),
    targets=frozenset(),
    roles=KEEPERS,
    guards=(not_escalated,),
    input=NoteInput,
)
def escalate(move: Move, note: str = "") -> None:
    """The community cannot get it rectified alone: a case enters the closed loop (it is then
    accepted, handled or sent on to a department like any case). The hazard keeps its state and
    links to the case."""
    from gridgov.cases.actions import create_case

    hazard = move.obj
    urgent = RISK_RANK[RiskLevel(hazard.risk_level)] >= RISK_RANK[RiskLevel.HIGH]
    description = _("Hazard %(number)s (%(risk)s), rectification due %(deadline)s. %(text)s") % {
        "number": hazard.number,
        "risk": RiskLevel(hazard.risk_level).label,
        "deadline": hazard.deadline.isoformat(),
        "text": hazard.description or hazard.title,
    }
    if note.strip():
        description += "\n" + note.strip()
    case = create_case(
        acting_user=move.user,
        channel=Channel.GRID_WORKER,
        title=_("Hazard: %(title)s") % {"title": hazard.title},
        description=description,
        community=hazard.grid.parent,
        lat=hazard.grid.centre_lat,
        lon=hazard.grid.centre_lon,
        address=hazard.address,
        urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
    )
    hazard.case = case
    move.save("case")
    move.event(HazardEventKind.ESCALATED, note, {"case": case.number})


@HAZARDS.action(
    HazardAction.FLAG_OVERDUE,
    label=_l("flagged overdue"),
    button=_l("Flag overdue"),
    rank=99,
    sources=one(S.FOUND, S.RECTIFYING),
    targets=frozenset(),
    roles=(),
    system=True,
)
def flag_overdue(move: Move) -> None:
    """The sweep's move: the deadline passed; the community is told once a day."""
    hazard = move.obj
    today = timezone.localdate(move.now)
    if hazard.deadline >= today or hazard.overdue_notified_on == today:
        raise IllegalMove(_("This hazard is not overdue."))
    hazard.overdue_notified_on = today
    move.save("overdue_notified_on")
    days = (today - hazard.deadline).days
    move.event(HazardEventKind.OVERDUE, data={"days": days})
    text = _("Hazard %(number)s is %(days)s days past its rectification deadline.") % {
        "number": hazard.number,
        "days": days,
    }
    move.notify(*message(community_staff(hazard), text, hazard_url(hazard)))


def sweep_overdue(now: dt.datetime | None = None) -> int:
    """Flag open hazards past their deadline and not yet flagged today (safe to run twice: a
    hazard flagged today is skipped). Returns how many were flagged."""
    today = timezone.localdate(now or timezone.now())
    ids = list(
        Hazard.objects.overdue(today)
        .exclude(overdue_notified_on=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    flagged = 0
    for hazard in Hazard.objects.filter(pk__in=ids).order_by("pk"):
        try:
            flag_overdue(hazard, acting_user=None)
        except IllegalMove:  # moved or flagged meanwhile
            continue
        flagged += 1
    return flagged


__all__ = [
    "create_site",
    "escalate",
    "flag_overdue",
    "mark_rectified",
    "record_inspection",
    "report_hazard",
    "rework",
    "start_rectification",
    "sweep_overdue",
    "verify",
]

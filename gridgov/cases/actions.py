"""Every change of a case goes through one function here (style.md §1–6).

Each action is atomic, locks the case row, checks the move against the transition table
(`workflow.check_move`) and the user's right to make it (`permissions.acting_membership`),
claims the move with a compare-and-set on the status (so two people pressing the same button at
once get one winner and one clear message), writes exactly one `CaseEvent`, and schedules its
notifications after commit. Pages, the API, tasks and commands all call these functions.
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.accounts.choices import OrganisationKind, Role
from gridgov.accounts.models import Membership, Organisation
from gridgov.audit.log import record
from gridgov.cases import sla
from gridgov.cases.choices import (
    Channel,
    EventKind,
    Satisfaction,
    SlaLevel,
    Status,
    Step,
    Supervision,
    Urgency,
)
from gridgov.cases.media import CheckedImage, CheckedVoice
from gridgov.cases.models import (
    SLA_RANK,
    AttachmentKind,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseSequence,
    Category,
)
from gridgov.cases.permissions import acting_membership
from gridgov.cases.workflow import IllegalMove, check_move
from gridgov.geo.choices import AreaKind
from gridgov.geo.lookup import grid_id_at
from gridgov.geo.models import Area
from gridgov.workdays.calendar import WorkCalendar

if TYPE_CHECKING:
    from gridgov.accounts.models import User
    from gridgov.registry.models import Building, Unit

# The fields of a step's clock, saved together whenever a move starts or stops one.
CLOCK = ("step", "step_started_at", "step_due_at", "sla_level")
HANDLE_CLOCK = (*CLOCK, "handle_due_at")
# What sending a case to a department changes (dispatch, or re-dispatch after a return).
DEPARTMENT_FIELDS = ("department", "owner", "handling_org", "departments_tried", "is_problem")
PROBLEM_REWORKS = 3
PROBLEM_UNITS = 3


class NotAllowed(Exception):
    """The user may see the case but may not take this action; the message is for users."""


# ---------------------------------------------------------------------------------------------
# Plumbing shared by the actions


def _community_office(community_id: int) -> Organisation:
    office = Organisation.objects.filter(
        kind=OrganisationKind.COMMUNITY_OFFICE, area_id=community_id, is_active=True
    ).first()
    if office is None:
        raise IllegalMove(_("This community has no community office to receive cases."))
    return office


def _street_office(case: Case) -> Organisation:
    office = Organisation.objects.filter(
        kind=OrganisationKind.STREET_OFFICE, area=case.community.parent, is_active=True
    ).first()
    if office is None:
        raise IllegalMove(_("This street has no street office to receive cases."))
    return office


def _event(
    case: Case,
    kind: str,
    membership: Membership | None,
    *,
    user: User | None,
    from_status: str,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    record(
        f"case.{kind}",
        actor=user,
        role=membership.role if membership else "",
        obj=case,
        object_repr=case.number,
        detail={"from": from_status, "to": case.status},
    )
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=user,
        actor_role=membership.role if membership else "",
        actor_org=membership.organisation if membership else None,
        from_status=from_status,
        to_status=case.status,
        note=note,
        data=data or {},
    )


def _owner_audience(case: Case) -> set[int]:
    """The people of the case's owner (and the grid worker when it is theirs to verify)."""
    roles: dict[str, list[str]] = {
        OrganisationKind.COMMUNITY_OFFICE: [Role.COMMUNITY_STAFF],
        OrganisationKind.STREET_OFFICE: [Role.STREET_DISPATCHER],
    }
    wanted = roles.get(case.owner.kind, [Role.DEPARTMENT_HANDLER])
    users = set(
        Membership.objects.filter(
            organisation_id=case.owner_id, role__in=wanted, is_active=True
        ).values_list("user_id", flat=True)
    )
    if case.status == Status.RESOLVED and case.grid_id:
        users |= set(
            Membership.objects.filter(
                area_id=case.grid_id, role=Role.GRID_WORKER, is_active=True
            ).values_list("user_id", flat=True)
        )
    return users


def _notify_owner(case: Case, message: str) -> None:
    from gridgov.inbox.services import notify

    notify(_owner_audience(case), message=message, url=reverse("cases:detail", args=[case.number]))


def _after_commit_notify(case: Case, message: str) -> None:
    """Address the message now (to whoever owns the case now); send it once committed."""
    from gridgov.inbox.services import notify

    users = _owner_audience(case)
    url = reverse("cases:detail", args=[case.number])
    transaction.on_commit(lambda: notify(users, message=message, url=url))


class _Move:
    """The frame of one action: lock, check, compare-and-set, then the caller's changes."""

    def __init__(
        self,
        case: Case,
        action: str,
        user: User | None,
        to: str | None = None,
        *,
        system: bool = False,
    ):
        self.case_id = case.pk
        self.action = action
        self.user = user
        self.to = to
        self.system = system

    def __enter__(self) -> _Move:
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        try:
            self.case = (
                Case.objects.select_for_update(of=("self",))
                .select_related("category", "community", "area", "owner")
                .get(pk=self.case_id)
            )
            self.from_status = self.case.status
            check_move(self.action, self.case.status, self.to)
            self.membership: Membership | None = None
            if not self.system:
                assert self.user is not None
                self.membership = acting_membership(self.user, self.case, self.action)
                if self.membership is None:
                    raise NotAllowed(_("You may not do this on this case."))
            if self.to is not None and self.to != self.from_status:
                claimed = Case.objects.filter(pk=self.case_id, status=self.from_status).update(
                    status=self.to, updated_at=timezone.now()
                )
                if claimed != 1:
                    raise IllegalMove(_("Someone else has just moved this case. Reload it."))
                self.case.status = self.to
            self.now = timezone.now()
            return self
        except BaseException:
            self.atomic.__exit__(*sys.exc_info())
            raise

    def __exit__(self, *exc: Any) -> Any:
        return self.atomic.__exit__(*exc)

    def save(self, *fields: str) -> None:
        self.case.save(update_fields=[*fields, "status", "updated_at"])

    def event(self, kind: str, note: str = "", data: dict[str, Any] | None = None) -> CaseEvent:
        return _event(
            self.case,
            kind,
            self.membership,
            user=self.user,
            from_status=self.from_status,
            note=note,
            data=data,
        )


def _require(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise IllegalMove(message)
    return text


def _attach(
    case: Case,
    photos: Sequence[CheckedImage],
    kind: str,
    user: User | None,
    voice: CheckedVoice | None = None,
) -> list[int]:
    """Store the originals; their derivatives are made after commit by a task."""
    if len(photos) > settings.CASE_MAX_PHOTOS:
        raise IllegalMove(
            _("At most %(n)s photos can be attached.") % {"n": settings.CASE_MAX_PHOTOS}
        )
    rows = [
        CaseAttachment(
            case=case,
            kind=kind,
            content_type=p.content_type,
            size=p.file.size or 0,
            width=p.width,
            height=p.height,
            gps_lat=p.gps[0] if p.gps else None,
            gps_lon=p.gps[1] if p.gps else None,
            uploaded_by=user,
        )
        for p in photos
    ]
    files = [p.file for p in photos]
    if voice is not None:
        rows.append(
            CaseAttachment(
                case=case,
                kind=AttachmentKind.VOICE,
                content_type=voice.content_type,
                size=voice.file.size or 0,
                duration=voice.duration,
                uploaded_by=user,
            )
        )
        files.append(voice.file)
    ids = []
    for attachment, upload in zip(rows, files, strict=True):
        attachment.file.save("original", upload, save=False)
        attachment.save()
        ids.append(attachment.pk)
    transaction.on_commit(lambda: _process_later(ids))
    return ids


def _process_later(ids: list[int]) -> None:
    from gridgov.cases.tasks import process_attachment

    for pk in ids:
        process_attachment.delay(pk)


def _flag_problem(move: _Move) -> bool:
    case = move.case
    if not case.is_problem and (
        case.rework_count >= PROBLEM_REWORKS or len(case.departments_tried) >= PROBLEM_UNITS
    ):
        case.is_problem = True
        return True
    return False


# ---------------------------------------------------------------------------------------------
# Intake


def may_create_in(user: User, community: Area) -> Membership | None:
    """The membership under which the user may register a case in this community."""
    for m in user.active_memberships:
        area = m.scope_area
        if area is None:
            continue
        if m.role in (Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.LEADER) and (
            community.path.startswith(area.path)
        ):
            return m
        if m.role == Role.GRID_WORKER and area.path.startswith(community.path):
            return m
        if m.role == Role.RESIDENT:
            return m  # residents may report a problem wherever they see it
    return None


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
                title=_require(title, _("A title is required.")),
                description=_require(description, _("A description is required.")),
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
                owner=_community_office(community.pk),
                created_by=acting_user,
                idempotency_key=idempotency_key,
                tracking_code=secrets.token_hex(5).upper() if acting_user is None else "",
            )
            case.reporter_phone = reporter_phone
            sla.start_step(case, Step.ACCEPT, now, WorkCalendar())
            case.save()
            photo_ids = _attach(case, photos, AttachmentKind.PHOTO, acting_user, voice)
            _event(
                case,
                EventKind.CREATED,
                membership,
                user=acting_user,
                from_status="",
                data={
                    "channel": channel,
                    "location_unclear": grid is None,
                    "attachments": photo_ids,
                    "anonymous": acting_user is None,
                },
            )
    except IntegrityError:
        if idempotency_key:  # the same submission raced in twice: return the first
            return Case.objects.get(created_by_id=creator_id, idempotency_key=idempotency_key)
        raise
    _after_commit_notify(
        case, _("New case %(number)s: %(title)s") % {"number": case.number, "title": case.title}
    )
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


# ---------------------------------------------------------------------------------------------
# Community: accept, reject, merge, void, handle locally, escalate


def accept_case(case: Case, *, acting_user: User, note: str = "") -> Case:
    """The community takes the case in (社区接单); it must now handle or escalate it."""
    with _Move(case, "accept", acting_user, Status.ACCEPTED) as move:
        sla.start_step(move.case, Step.DISPATCH, move.now, WorkCalendar())
        move.save(*CLOCK)
        move.event(EventKind.ACCEPTED, note)
    _tell_reporter(
        move.case,
        _("Your case %(number)s was accepted by %(unit)s.")
        % {"number": move.case.number, "unit": move.case.owner.name},
    )
    return move.case


def reject_case(case: Case, *, acting_user: User, reason: str) -> Case:
    """Refuse a case that is not the platform's business (with the reason the reporter sees)."""
    reason = _require(reason, _("Give the reason for rejecting."))
    with _Move(case, "reject", acting_user, Status.REJECTED) as move:
        sla.stop_clock(move.case)
        move.case.closed_at = move.now
        move.save(*CLOCK, "closed_at")
        move.event(EventKind.REJECTED, reason)
    _tell_reporter(
        move.case,
        _("Your case %(number)s was not accepted: %(reason)s")
        % {"number": move.case.number, "reason": reason},
    )
    return move.case


def merge_case(case: Case, *, acting_user: User, target: Case, note: str = "") -> Case:
    """Merge a duplicate into another open case of the same community; it follows that case."""
    if target.pk == case.pk:
        raise IllegalMove(_("A case cannot be merged into itself."))
    if not target.is_open or target.community_id != case.community_id:
        raise IllegalMove(_("Merge only into an open case of the same community."))
    with _Move(case, "merge_into", acting_user, Status.MERGED) as move:
        move.case.merged_into = target
        sla.stop_clock(move.case)
        move.case.closed_at = move.now
        move.save(*CLOCK, "merged_into", "closed_at")
        move.event(EventKind.MERGED, note, {"into": target.number})
    return move.case


def void_case(case: Case, *, acting_user: User, reason: str) -> Case:
    """Cancel a case entered by mistake (test, double entry)."""
    reason = _require(reason, _("Give the reason for voiding."))
    with _Move(case, "void", acting_user, Status.VOIDED) as move:
        sla.stop_clock(move.case)
        move.case.closed_at = move.now
        move.save(*CLOCK, "closed_at")
        move.event(EventKind.VOIDED, reason)
    return move.case


def handle_locally(case: Case, *, acting_user: User, note: str = "") -> Case:
    """小事不出社区: the community handles the case itself."""
    with _Move(case, "handle_locally", acting_user, Status.IN_PROGRESS) as move:
        move.case.handling_org = move.case.owner
        sla.start_step(move.case, Step.HANDLE, move.now, WorkCalendar())
        move.save(*HANDLE_CLOCK, "handling_org")
        move.event(EventKind.HANDLED_LOCALLY, note)
    return move.case


def handle_on_spot(
    case: Case, *, acting_user: User, result: str, photos: Sequence[CheckedImage] = ()
) -> Case:
    """A grid worker settles a small matter on the spot (自处理), with a result and photos."""
    with _Move(case, "handle_on_spot", acting_user, Status.AWAITING_FEEDBACK) as move:
        result = _require(result, _("Describe what was done."))
        if not photos:
            raise IllegalMove(_("A result photo is required for a matter handled on the spot."))
        move.case.handling_org = move.case.owner
        move.case.result = result
        move.case.resolved_at = move.now
        sla.stop_clock(move.case)
        ids = _attach(move.case, photos, AttachmentKind.RESULT_PHOTO, acting_user)
        move.save(*CLOCK, "handling_org", "result", "resolved_at")
        move.event(EventKind.RESOLVED, result, {"on_spot": True, "photos": ids})
    if move.case.reporter_user_id or move.case.reporter_phone_encrypted:
        _notify_reporter_after_commit(move.case)
    return move.case


def escalate_case(case: Case, *, acting_user: User, note: str = "") -> Case:
    """大事不出街道: pass the case to the street office for dispatch."""
    with _Move(case, "escalate", acting_user, Status.ESCALATED) as move:
        move.case.owner = _street_office(move.case)
        sla.start_step(move.case, Step.DISPATCH, move.now, WorkCalendar())
        move.save(*CLOCK, "owner")
        move.event(EventKind.ESCALATED, note)
    _after_commit_notify(
        move.case, _("Case %(number)s was escalated to you.") % {"number": move.case.number}
    )
    return move.case


# ---------------------------------------------------------------------------------------------
# Street and departments: dispatch, claim, return, extensions


def _check_department(department: Organisation) -> None:
    if not department.is_department or not department.is_active:
        raise IllegalMove(_("Choose an active department."))


def _send_to_department(move: _Move, department: Organisation) -> bool:
    case = move.case
    case.department = department
    case.owner = department
    case.handling_org = None
    if department.pk not in case.departments_tried:
        case.departments_tried = [*case.departments_tried, department.pk]
    sla.start_step(case, Step.CLAIM, move.now, WorkCalendar())
    return _flag_problem(move)


def dispatch_case(
    case: Case, *, acting_user: User, department: Organisation, note: str = ""
) -> Case:
    """街道派单: the street sends the case to a department to claim."""
    _check_department(department)
    with _Move(case, "dispatch", acting_user, Status.DISPATCHED) as move:
        problem = _send_to_department(move, department)
        move.save(*CLOCK, *DEPARTMENT_FIELDS)
        move.event(EventKind.DISPATCHED, note, {"department": department.code, "problem": problem})
    _after_commit_notify(
        move.case, _("Case %(number)s was dispatched to you.") % {"number": move.case.number}
    )
    _tell_reporter(
        move.case,
        _("Your case %(number)s was passed to %(unit)s.")
        % {"number": move.case.number, "unit": department.name},
    )
    return move.case


def claim_case(case: Case, *, acting_user: User, note: str = "") -> Case:
    """部门领单: the department signs for the case; its handling clock starts."""
    with _Move(case, "claim", acting_user, Status.IN_PROGRESS) as move:
        move.case.handling_org = move.case.department
        sla.start_step(move.case, Step.HANDLE, move.now, WorkCalendar())
        move.save(*HANDLE_CLOCK, "handling_org")
        move.event(EventKind.CLAIMED, note)
    return move.case


def return_case(case: Case, *, acting_user: User, reason: str, basis: str) -> Case:
    """退单: the department says the case is not theirs, with the reason and its basis."""
    reason = _require(reason, _("Give the reason for the return."))
    basis = _require(basis, _("Give the basis for the return (the rule or duty list)."))
    with _Move(case, "return", acting_user, Status.RETURN_REQUESTED) as move:
        move.case.return_from_status = move.from_status
        move.case.owner = _street_office(move.case)
        sla.start_step(move.case, Step.DISPATCH, move.now, WorkCalendar())
        move.save(*CLOCK, "return_from_status", "owner")
        move.event(EventKind.RETURN_REQUESTED, reason, {"basis": basis})
    _after_commit_notify(
        move.case,
        _("Case %(number)s was returned: please rule on it.") % {"number": move.case.number},
    )
    return move.case


def rule_on_return(
    case: Case,
    *,
    acting_user: User,
    decision: str,
    department: Organisation | None = None,
    note: str = "",
) -> Case:
    """The street rules on a return: re-dispatch to another department, or force it back."""
    if decision not in ("redispatch", "force"):
        raise IllegalMove(_("Decide to re-dispatch or to send the case back."))
    if decision == "redispatch":
        if department is None:
            raise IllegalMove(_("Choose the department to re-dispatch to."))
        _check_department(department)
        if department.pk == case.department_id:
            raise IllegalMove(_("Re-dispatch to another department, or send the case back."))
        with _Move(case, "rule_return", acting_user, Status.DISPATCHED) as move:
            previous = move.case.department
            problem = _send_to_department(move, department)
            move.case.return_from_status = ""
            move.save(*CLOCK, *DEPARTMENT_FIELDS, "return_from_status")
            move.event(
                EventKind.RETURN_REDISPATCHED,
                note,
                {
                    "from": previous.code if previous else None,
                    "department": department.code,
                    "problem": problem,
                },
            )
        _after_commit_notify(
            move.case, _("Case %(number)s was dispatched to you.") % {"number": move.case.number}
        )
        return move.case
    back_to = case.return_from_status or Status.DISPATCHED
    with _Move(case, "rule_return", acting_user, back_to) as move:
        assert move.case.department is not None
        move.case.owner = move.case.department
        if back_to == Status.IN_PROGRESS:
            move.case.handling_org = move.case.department
            sla.resume_step(move.case, Step.HANDLE, move.case.handle_due_at, move.now)
        else:
            sla.start_step(move.case, Step.CLAIM, move.now, WorkCalendar())
        move.case.return_from_status = ""
        move.save(*CLOCK, "owner", "handling_org", "return_from_status")
        move.event(EventKind.RETURN_FORCED, note)
    _after_commit_notify(
        move.case, _("The return of case %(number)s was refused.") % {"number": move.case.number}
    )
    return move.case


def request_extension(case: Case, *, acting_user: User, until: dt.datetime, reason: str) -> Case:
    """Ask for a later deadline, before the current one passes, with the reason."""
    reason = _require(reason, _("Give the reason for the extension."))
    with _Move(case, "request_extension", acting_user) as move:
        due = move.case.step_due_at
        if due is not None and move.now > due:
            raise IllegalMove(_("The deadline has passed: an extension must be asked before it."))
        if due is not None and until <= due:
            raise IllegalMove(_("The new deadline must be later than the current one."))
        move.case.extension_requested_until = until
        move.case.extension_reason = reason
        move.save("extension_requested_until", "extension_reason")
        move.event(EventKind.EXTENSION_REQUESTED, reason, {"until": until.isoformat()})
    return move.case


def grant_extension(
    case: Case, *, acting_user: User, until: dt.datetime | None = None, note: str = ""
) -> Case:
    """The approver sets the new deadline (the one asked for, or another)."""
    with _Move(case, "grant_extension", acting_user) as move:
        new_due = until or move.case.extension_requested_until
        assert new_due is not None
        if move.case.step_due_at is not None and new_due <= move.case.step_due_at:
            raise IllegalMove(_("The new deadline must be later than the current one."))
        move.case.step_due_at = new_due
        if move.case.step == Step.HANDLE:
            move.case.handle_due_at = new_due
        move.case.extension_requested_until = None
        move.case.sla_level = sla.level_for(move.case, move.now)
        move.save("step_due_at", "handle_due_at", "extension_requested_until", "sla_level")
        move.event(EventKind.EXTENSION_GRANTED, note, {"until": new_due.isoformat()})
    return move.case


def refuse_extension(case: Case, *, acting_user: User, reason: str) -> Case:
    reason = _require(reason, _("Give the reason for refusing."))
    with _Move(case, "refuse_extension", acting_user) as move:
        move.case.extension_requested_until = None
        move.save("extension_requested_until")
        move.event(EventKind.EXTENSION_REFUSED, reason)
    return move.case


def add_progress_note(case: Case, *, acting_user: User, note: str) -> Case:
    note = _require(note, _("Write the note."))
    with _Move(case, "add_progress_note", acting_user) as move:
        move.event(EventKind.PROGRESS_NOTE, note)
    return move.case


# ---------------------------------------------------------------------------------------------
# Result, verification, rating, closure


def resolve_case(
    case: Case, *, acting_user: User, result: str, photos: Sequence[CheckedImage] = ()
) -> Case:
    """Report the result with photos; the community then verifies it."""
    result = _require(result, _("Describe the result."))
    with _Move(case, "resolve", acting_user, Status.RESOLVED) as move:
        move.case.result = result
        move.case.resolved_at = move.now
        move.case.owner = _community_office(move.case.community_id)
        sla.stop_clock(move.case)
        ids = _attach(move.case, photos, AttachmentKind.RESULT_PHOTO, acting_user)
        move.save(*CLOCK, "result", "resolved_at", "owner")
        move.event(EventKind.RESOLVED, result, {"photos": ids})
    _after_commit_notify(
        move.case,
        _("Case %(number)s is resolved: please verify it.") % {"number": move.case.number},
    )
    return move.case


def _rework(move: _Move) -> bool:
    case = move.case
    case.rework_count += 1
    case.owner = case.handling_org or _community_office(case.community_id)
    sla.start_step(case, Step.HANDLE, move.now, WorkCalendar())
    return _flag_problem(move)


def verify_case(case: Case, *, acting_user: User, passed: bool, note: str = "") -> Case:
    """The grid worker or community checks the result on site; a failure sends it back."""
    if not passed:
        note = _require(note, _("Say what is still wrong."))
    to = Status.AWAITING_FEEDBACK if passed else Status.IN_PROGRESS
    with _Move(case, "verify", acting_user, to) as move:
        if passed:
            move.save()
            move.event(EventKind.VERIFIED, note)
        else:
            problem = _rework(move)
            move.save(*HANDLE_CLOCK, "rework_count", "owner", "is_problem")
            move.event(EventKind.VERIFY_FAILED, note, {"problem": problem})
    if passed and (move.case.reporter_user_id or move.case.reporter_phone_encrypted):
        _notify_reporter_after_commit(move.case)
    elif not passed:
        _after_commit_notify(
            move.case,
            _("Case %(number)s failed verification: rework.") % {"number": move.case.number},
        )
    return move.case


def _tell_reporter(case: Case, message: str) -> None:
    """An in-app note to a reporter with an account that their case moved (after commit)."""
    from gridgov.inbox.services import notify

    if case.reporter_user_id is None:
        return
    user_id, url = case.reporter_user_id, reverse("cases:detail", args=[case.number])
    transaction.on_commit(lambda: notify([user_id], message=message, url=url))


def _notify_reporter_after_commit(case: Case) -> None:
    """Tell the reporter the case is resolved and ask for a rating: in the app, by email when
    the account has an address, and by SMS to the reporter's phone (with the tracking code for
    an anonymous report)."""
    from gridgov.inbox.services import notify_reporter

    case_id = case.pk
    transaction.on_commit(lambda: notify_reporter(case_id))


def rate_case(
    case: Case, *, acting_user: User, solved: bool, satisfaction: int, comment: str = ""
) -> Case:
    """The resident's rating (好差评), or one recorded by community staff from a follow-up
    call (回访). Either way the case closes; a dissatisfied resident may reopen it."""
    if satisfaction not in Satisfaction.values:
        raise IllegalMove(_("Choose one of the five satisfaction levels."))
    with _Move(case, "rate", acting_user, Status.CLOSED) as move:
        by_proxy = move.membership is not None and move.membership.role != Role.RESIDENT
        move.case.solved = solved
        move.case.satisfaction = satisfaction
        move.case.rating_comment = comment.strip()[:500]
        move.case.rated_at = move.now
        move.case.closed_at = move.now
        move.save("solved", "satisfaction", "rating_comment", "rated_at", "closed_at")
        move.event(
            EventKind.RATED,
            comment,
            {"solved": solved, "satisfaction": satisfaction, "by_proxy": by_proxy},
        )
    return move.case


def reopen_case(case: Case, *, acting_user: User, reason: str) -> Case:
    """发回重办: a dissatisfied rating sends the case back to whoever handled it."""
    reason = _require(reason, _("Say why the case is reopened."))
    with _Move(case, "reopen", acting_user, Status.IN_PROGRESS) as move:
        problem = _rework(move)
        move.case.closed_at = None
        move.case.solved = None
        move.case.satisfaction = None
        move.case.rated_at = None
        move.save(
            *HANDLE_CLOCK,
            "rework_count",
            "owner",
            "is_problem",
            "closed_at",
            "solved",
            "satisfaction",
            "rated_at",
        )
        move.event(EventKind.REOPENED, reason, {"problem": problem})
    _after_commit_notify(
        move.case, _("Case %(number)s was reopened: rework.") % {"number": move.case.number}
    )
    return move.case


def close_case(case: Case, *, acting_user: User | None, note: str = "") -> Case:
    """Close without a rating ("not evaluated"): by staff, or by the task after N days."""
    system = acting_user is None
    with _Move(case, "close", acting_user, Status.CLOSED, system=system) as move:
        move.case.closed_at = move.now
        move.save("closed_at")
        move.event(
            EventKind.AUTO_CLOSED if system else EventKind.CLOSED, note, {"evaluated": False}
        )
    return move.case


# ---------------------------------------------------------------------------------------------
# Supervision and referral


def supervise_case(case: Case, *, acting_user: User, level: str, note: str = "") -> Case:
    """督办: a supervision card from the street or a leader."""
    if level not in Supervision.values:
        raise IllegalMove(_("Choose a supervision level."))
    with _Move(case, "supervise", acting_user) as move:
        move.case.supervision = level
        move.save("supervision")
        move.event(EventKind.SUPERVISED, note, {"level": level})
    _after_commit_notify(
        move.case,
        _("Case %(number)s is under supervision (%(level)s).")
        % {"number": move.case.number, "level": Supervision(level).label},
    )
    return move.case


def refer_to_mediation(case: Case, *, acting_user: User, note: str = "") -> Case:
    """Record that a dispute goes to mediation; the mediation app takes it from here."""
    with _Move(case, "refer_to_mediation", acting_user) as move:
        if move.case.mediation_referred_at is not None:
            raise IllegalMove(_("This case is already referred to mediation."))
        move.case.mediation_referred_at = move.now
        move.save("mediation_referred_at")
        move.event(EventKind.REFERRED_TO_MEDIATION, note)
    return move.case


# ---------------------------------------------------------------------------------------------
# Periodic work (tasks call these)


def sweep_time_limits(now: dt.datetime | None = None, batch: int = 500) -> int:
    """Set yellow/red/overdue on clocked cases, one event per change; notify on overdue."""
    from gridgov.cases.choices import CLOCKED_STATUSES

    now = now or timezone.now()
    changed = 0
    queryset = (
        Case.objects.filter(status__in=CLOCKED_STATUSES, step_due_at__isnull=False)
        .select_related("category")
        .only(
            "id",
            "number",
            "status",
            "sla_level",
            "step_started_at",
            "step_due_at",
            "category__yellow_percent",
            "category__red_percent",
            "owner_id",
        )
        .order_by("id")
    )
    overdue: list[int] = []
    last_id = 0
    while True:
        rows = list(queryset.filter(id__gt=last_id)[:batch])
        if not rows:
            break
        last_id = rows[-1].pk
        updates, events = [], []
        for case in rows:
            level = sla.level_for(case, now)
            if level == case.sla_level:
                continue
            events.append(
                CaseEvent(
                    case=case,
                    kind=EventKind.SLA_CHANGED,
                    from_status=case.status,
                    to_status=case.status,
                    data={"from": case.sla_level, "to": level},
                )
            )
            case.sla_level = level
            case.sla_rank = SLA_RANK[level]
            updates.append(case)
            if level == SlaLevel.OVERDUE:
                overdue.append(case.pk)
        with transaction.atomic():
            Case.objects.bulk_update(updates, ["sla_level", "sla_rank"])
            CaseEvent.objects.bulk_create(events)
        changed += len(updates)
    for pk in overdue:
        case = Case.objects.select_related("owner").get(pk=pk)
        _notify_owner(case, _("Case %(number)s is overdue.") % {"number": case.number})
    return changed


def close_unrated(now: dt.datetime | None = None) -> int:
    """Close cases left without a rating for CASE_FEEDBACK_DAYS as "not evaluated"."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.CASE_FEEDBACK_DAYS)
    waiting = Case.objects.filter(
        status=Status.AWAITING_FEEDBACK, resolved_at__lt=cutoff
    ).values_list("pk", flat=True)
    closed = 0
    for pk in list(waiting):
        try:
            close_case(Case(pk=pk), acting_user=None, note="")
            closed += 1
        except IllegalMove:
            continue  # rated or moved meanwhile
    return closed


__all__ = [
    "Channel",
    "IllegalMove",
    "NotAllowed",
    "accept_case",
    "add_progress_note",
    "claim_case",
    "close_case",
    "close_unrated",
    "create_case",
    "dispatch_case",
    "duplicate_candidates",
    "escalate_case",
    "grant_extension",
    "handle_locally",
    "handle_on_spot",
    "merge_case",
    "rate_case",
    "refer_to_mediation",
    "refuse_extension",
    "reject_case",
    "reopen_case",
    "request_extension",
    "resolve_case",
    "return_case",
    "rule_on_return",
    "supervise_case",
    "sweep_time_limits",
    "verify_case",
    "void_case",
]

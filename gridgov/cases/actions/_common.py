"""Plumbing shared by the case actions: offices, clocks, attachments, departments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gridgov.accounts import scope
from gridgov.accounts.choices import OrganisationKind
from gridgov.accounts.models import Organisation
from gridgov.cases import sla
from gridgov.cases.choices import Step
from gridgov.cases.media import CheckedImage, CheckedVoice
from gridgov.cases.models import AttachmentKind, Case, CaseAttachment
from gridgov.lifecycle import IllegalMove, Move
from gridgov.workdays.calendar import WorkCalendar

if TYPE_CHECKING:
    from gridgov.accounts.models import User

# The fields of a step's clock, saved together whenever a move starts or stops one.
CLOCK = ("step", "step_started_at", "step_due_at", "sla_level")
HANDLE_CLOCK = (*CLOCK, "handle_due_at")
# What sending a case to a department changes (dispatch, or re-dispatch after a return).
DEPARTMENT_FIELDS = ("department", "owner", "handling_org", "departments_tried", "is_problem")
PROBLEM_REWORKS = 3
PROBLEM_UNITS = 3


def end_without_result(move: Move, *fields: str) -> None:
    """Stop the clock and close the case now (rejected, merged or voided), saving `fields` too."""
    sla.stop_clock(move.obj)
    move.obj.closed_at = move.now
    move.save(*CLOCK, "closed_at", *fields)


def community_office(community_id: int) -> Organisation:
    office = Organisation.objects.filter(
        kind=OrganisationKind.COMMUNITY_OFFICE, area_id=community_id, is_active=True
    ).first()
    if office is None:
        raise IllegalMove(_("This community has no community office to receive cases."))
    return office


def street_office(case: Case) -> Organisation:
    office = Organisation.objects.filter(
        kind=OrganisationKind.STREET_OFFICE, area=case.community.parent, is_active=True
    ).first()
    if office is None:
        raise IllegalMove(_("This street has no street office to receive cases."))
    return office


def require(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise IllegalMove(message)
    return text


def attach(
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


def flag_problem(case: Case) -> bool:
    if not case.is_problem and (
        case.rework_count >= PROBLEM_REWORKS or len(case.departments_tried) >= PROBLEM_UNITS
    ):
        case.is_problem = True
        return True
    return False


def check_department(department: Organisation | None) -> Organisation:
    if department is None or not scope.is_dispatch_target(department):
        raise IllegalMove(_("Choose an active department."))
    return department


def send_to_department(move: Move, department: Organisation) -> bool:
    case = move.obj
    case.department = department
    case.owner = department
    case.handling_org = None
    if department.pk not in case.departments_tried:
        case.departments_tried = [*case.departments_tried, department.pk]
    sla.start_step(case, Step.CLAIM, move.now, WorkCalendar())
    return flag_problem(case)


def rework(move: Move) -> bool:
    case = move.obj
    case.rework_count += 1
    case.owner = case.handling_org or community_office(case.community_id)
    sla.start_step(case, Step.HANDLE, move.now, WorkCalendar())
    return flag_problem(case)

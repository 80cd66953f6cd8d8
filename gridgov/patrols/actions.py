"""Every change to a round: start, track points, check-ins, findings, finish, the midnight sweep.

Each call from the phone carries an idempotency key bound to the worker (the offline queue
resends until it hears back): a key seen before returns what the first call made.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gridgov.accounts.choices import Role
from gridgov.audit.log import record
from gridgov.cases.actions.intake import create_case
from gridgov.cases.choices import Channel
from gridgov.cases.media import CheckedImage
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.patrols.choices import CheckInMethod, RoundStatus
from gridgov.patrols.geo import metres
from gridgov.patrols.lifecycle import ROUNDS, RoundAction
from gridgov.patrols.models import (
    CheckIn,
    Finding,
    HazardFinding,
    PatrolPlan,
    QuickHazardReport,
    Round,
    RoundEvent,
    RoundInspection,
    TrackBatch,
)

MAX_POINTS_PER_BATCH = 500
# A point this far from the previous one inside its time step is a GPS jump, not a walk.
MAX_WALK_SPEED_MPS = 15.0


def start_round(*, plan: PatrolPlan, acting_user: Any, idempotency_key: str = "") -> Round:
    """Start a round of the worker's own plan (one open round at a time)."""
    if plan.worker_id != acting_user.pk or not acting_user.has_role(Role.GRID_WORKER):
        raise NotAllowed(_("Only the plan's grid worker may start its rounds."))
    if idempotency_key:
        existing = Round.objects.filter(worker=acting_user, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    now = timezone.now()
    if not plan.covers(timezone.localdate(now)):
        raise IllegalMove(_("This plan is not in force today."))
    if Round.objects.filter(worker=acting_user, status=RoundStatus.IN_PROGRESS).exists():
        raise IllegalMove(_("Finish the round you are on before starting another."))
    try:
        with transaction.atomic():
            round_ = Round.objects.create(
                plan=plan,
                worker=acting_user,
                grid=plan.grid,
                area_path=plan.grid.path,
                day=timezone.localdate(now),
                started_at=now,
                idempotency_key=idempotency_key,
            )
            RoundEvent.objects.create(
                round=round_,
                kind="started",
                actor=acting_user,
                actor_role=Role.GRID_WORKER,
                to_status=round_.status,
            )
            record(
                "patrol_round.started",
                actor=acting_user,
                role=Role.GRID_WORKER,
                obj=round_,
                object_repr=str(round_),
            )
    except IntegrityError:
        return Round.objects.get(worker=acting_user, idempotency_key=idempotency_key)
    return round_


def _clean_points(raw: Sequence[Any]) -> list[list[float]]:
    points: list[list[float]] = []
    for item in raw:
        try:
            lat, lon, at = float(item[0]), float(item[1]), float(item[2])
            accuracy = float(item[3]) if len(item) > 3 and item[3] is not None else 0.0
        except (TypeError, ValueError, IndexError) as error:
            raise IllegalMove(_("A track point is not [latitude, longitude, time].")) from error
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or at <= 0:
            raise IllegalMove(_("A track point lies outside the map."))
        points.append([round(lat, 7), round(lon, 7), round(at, 3), round(accuracy, 1)])
    if not points:
        raise IllegalMove(_("No track point was sent."))
    if len(points) > MAX_POINTS_PER_BATCH:
        raise IllegalMove(_("Too many track points in one batch."))
    points.sort(key=lambda p: p[2])
    return points


def record_points(
    round_: Round, *, acting_user: Any, points: Sequence[Any], idempotency_key: str
) -> TrackBatch:
    """Store a batch of track points (encrypted) and update the round's distance.

    Points arrive late from the offline queue, so a batch is accepted until the round is
    finished and a few minutes after (the queue of a finished round drains)."""
    if round_.worker_id != acting_user.pk:
        raise NotAllowed(_("Only the worker on this round may do this."))
    if not idempotency_key:
        raise IllegalMove(_("A batch needs its key."))
    existing = TrackBatch.objects.filter(round=round_, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if round_.track_purged:
        raise IllegalMove(_("This round's track is no longer kept."))
    clean = _clean_points(points)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        distance = 0.0
        prev: tuple[float, float, float | None] | None = None
        if locked.last_lat is not None and locked.last_lon is not None:
            prev = (locked.last_lat, locked.last_lon, None)
        for lat, lon, at, _acc in clean:
            if prev is not None:
                step = metres(prev[0], prev[1], lat, lon)
                seconds = at - prev[2] if prev[2] is not None else None
                if seconds is None or seconds <= 0 or step / seconds <= MAX_WALK_SPEED_MPS:
                    distance += step
            prev = (lat, lon, at)
        batch = TrackBatch(
            round=locked,
            idempotency_key=idempotency_key,
            count=len(clean),
            first_at=dt.datetime.fromtimestamp(clean[0][2], tz=dt.UTC),
            last_at=dt.datetime.fromtimestamp(clean[-1][2], tz=dt.UTC),
        )
        batch.points = clean
        try:
            with transaction.atomic():
                batch.save()
        except IntegrityError:
            return TrackBatch.objects.get(round=round_, idempotency_key=idempotency_key)
        Round.objects.filter(pk=locked.pk).update(
            point_count=locked.point_count + len(clean),
            distance_m=locked.distance_m + distance,
            last_lat=clean[-1][0],
            last_lon=clean[-1][1],
        )
    return batch


def _checkpoint_of(round_: Round, checkpoint_id: Any = None, qr_token: str = "") -> Any:
    checkpoints = round_.plan.checkpoints.in_force(round_.day)
    found = (
        checkpoints.filter(qr_token=qr_token).first()
        if qr_token
        else checkpoints.filter(pk=checkpoint_id).first()
        if str(checkpoint_id or "").isdigit()
        else None
    )
    if found is None:
        raise IllegalMove(_("That checkpoint is not on this round's plan."))
    return found


def _when(at: Any, round_: Round, now: dt.datetime) -> dt.datetime:
    """The time the phone says it happened (queued offline), kept inside the round."""
    if isinstance(at, (int, float)) and at > 0:
        moment = dt.datetime.fromtimestamp(float(at), tz=dt.UTC)
        return min(max(moment, round_.started_at), now)
    return now


@ROUNDS.action(
    RoundAction.CHECK_IN,
    label=_l("checked in"),
    button=_l("Check in"),
    sources=frozenset({RoundStatus.IN_PROGRESS}),
    targets=frozenset(),
    roles=(Role.GRID_WORKER,),
    rank=1,
)
def _check_in(
    move: Any,
    *,
    checkpoint: Any,
    method: str,
    lat: float | None = None,
    lon: float | None = None,
    photo: CheckedImage | None = None,
    at: Any = None,
    idempotency_key: str = "",
) -> None:
    round_ = move.obj
    distance = None
    if lat is not None and lon is not None:
        distance = metres(lat, lon, checkpoint.lat, checkpoint.lon)
    if method == CheckInMethod.GPS:
        if distance is None:
            raise IllegalMove(_("No position: scan the QR code or take a photo."))
        if distance > checkpoint.radius_m:
            raise IllegalMove(
                _("You are %(distance)d m from “%(name)s”; check in within %(radius)d m.")
                % {"distance": distance, "name": checkpoint.name, "radius": checkpoint.radius_m}
            )
    elif method == CheckInMethod.PHOTO:
        if photo is None:
            raise IllegalMove(_("A photo check-in needs a photo."))
    elif method != CheckInMethod.QR:
        raise IllegalMove(_("Unknown check-in method."))
    if CheckIn.objects.filter(round=round_, checkpoint=checkpoint).exists():
        raise IllegalMove(_("“%(name)s” is already checked in.") % {"name": checkpoint.name})
    check = CheckIn(
        round=round_,
        checkpoint=checkpoint,
        method=method,
        at=_when(at, round_, move.now),
        distance_m=round(distance, 1) if distance is not None else None,
        idempotency_key=idempotency_key,
    )
    if photo is not None:
        photo.file.seek(0)
        check.photo.save(
            f"r{round_.pk}-c{checkpoint.pk}.jpg", ContentFile(photo.file.read()), False
        )
    check.save()
    Round.objects.filter(pk=round_.pk).update(checked_in=F("checked_in") + 1)
    round_.checked_in += 1
    move.event("checked_in", data={"checkpoint": checkpoint.pk, "method": method})


def check_in(
    round_: Round,
    *,
    acting_user: Any,
    method: str,
    checkpoint_id: Any = None,
    qr_token: str = "",
    lat: float | None = None,
    lon: float | None = None,
    photo: CheckedImage | None = None,
    at: Any = None,
    idempotency_key: str = "",
) -> CheckIn:
    """Check in at a checkpoint: inside its radius, by its QR code, or with a photo."""
    if idempotency_key:
        seen = CheckIn.objects.filter(round=round_, idempotency_key=idempotency_key).first()
        if seen is not None and round_.worker_id == acting_user.pk:
            return seen
    checkpoint = _checkpoint_of(round_, checkpoint_id, qr_token.strip())
    if qr_token:
        method = CheckInMethod.QR
    _check_in(
        round_,
        acting_user=acting_user,
        checkpoint=checkpoint,
        method=method,
        lat=lat,
        lon=lon,
        photo=photo,
        at=at,
        idempotency_key=idempotency_key,
    )
    return CheckIn.objects.get(round=round_, checkpoint=checkpoint)


@ROUNDS.action(
    RoundAction.REPORT_FINDING,
    label=_l("reported on"),
    button=_l("Report a finding"),
    sources=frozenset({RoundStatus.IN_PROGRESS}),
    targets=frozenset(),
    roles=(Role.GRID_WORKER,),
    rank=2,
)
def _report_finding(move: Any, *, case_data: dict[str, Any], idempotency_key: str) -> None:
    round_ = move.obj
    case = create_case(
        acting_user=move.user,
        channel=Channel.PATROL,
        idempotency_key=idempotency_key,
        **case_data,
    )
    Finding.objects.get_or_create(case=case, defaults={"round": round_})
    move.event("finding_reported", data={"case": case.number})


def report_finding(
    round_: Round,
    *,
    acting_user: Any,
    description: str,
    title: str = "",
    lat: float | None = None,
    lon: float | None = None,
    photos: Sequence[CheckedImage] = (),
    idempotency_key: str = "",
) -> Any:
    """Report a problem found on the round: a case with channel "patrol" in the round's
    community (through the case intake), linked to the round."""
    if idempotency_key:
        seen = (
            Finding.objects.filter(round=round_, case__idempotency_key=idempotency_key)
            .select_related("case")
            .first()
        )
        if seen is not None and round_.worker_id == acting_user.pk:
            return seen.case
    description = (description or "").strip()
    if not description:
        raise IllegalMove(_("Describe what you found."))
    case_data = {
        "title": (title or description)[:60],
        "description": description,
        "lat": lat,
        "lon": lon,
        "community": round_.grid.parent,
        "photos": photos,
    }
    _report_finding(
        round_, acting_user=acting_user, case_data=case_data, idempotency_key=idempotency_key
    )
    return Finding.objects.filter(round=round_).select_related("case").latest("pk").case


@ROUNDS.action(
    RoundAction.FINISH,
    label=_l("finished"),
    button=_l("Finish the round"),
    sources=frozenset({RoundStatus.IN_PROGRESS}),
    targets=frozenset({RoundStatus.FINISHED}),
    roles=(Role.GRID_WORKER,),
    path=1,
)
def finish_round(move: Any, *, note: str = "") -> None:
    move.obj.finished_at = move.now
    move.obj.note = (note or "").strip()
    move.save("finished_at", "note")
    missed = (
        move.obj.plan.checkpoints.in_force(move.obj.day)
        .exclude(pk__in=move.obj.check_ins.values("checkpoint_id"))
        .count()
    )
    move.event("finished", note=move.obj.note, data={"missed": missed})


@ROUNDS.action(
    RoundAction.CLOSE_INCOMPLETE,
    label=_l("closed"),
    button=_l("Close as incomplete"),
    sources=frozenset({RoundStatus.IN_PROGRESS}),
    targets=frozenset({RoundStatus.INCOMPLETE}),
    roles=(),
    system=True,
    rank=9,
)
def close_incomplete(move: Any) -> None:
    move.obj.finished_at = move.now
    move.save("finished_at")
    move.event("closed_incomplete")


def close_open_rounds(today: dt.date | None = None) -> int:
    """The midnight sweep: rounds still open from an earlier day close as incomplete."""
    today = today or timezone.localdate()
    closed = 0
    for round_ in Round.objects.filter(status=RoundStatus.IN_PROGRESS, day__lt=today):
        try:
            close_incomplete(round_, acting_user=None)
        except IllegalMove:
            continue  # finished in the meantime
        closed += 1
    return closed


# ---------------------------------------------------------------------------------------------
# Hazards on the round: a finding as a hazard, an update of an open hazard, a site inspection.
# Each goes through the hazard register's write path (gridgov.hazards.actions) and is linked to
# the round; each phone call carries an idempotency key (unique per round, so per worker).


def default_deadline(risk_level: str, day: dt.date | None = None) -> dt.date:
    """The rectification deadline a hazard found on patrol gets unless the worker sets one:
    `PATROL_HAZARD_DEADLINE_DAYS` days by risk level (ADR 0013)."""
    from django.conf import settings

    days = settings.PATROL_HAZARD_DEADLINE_DAYS.get(risk_level, 7)
    return (day or timezone.localdate()) + dt.timedelta(days=days)


@ROUNDS.action(
    RoundAction.REPORT_HAZARD,
    label=_l("reported on"),
    button=_l("Report a hazard"),
    sources=frozenset({RoundStatus.IN_PROGRESS}),
    targets=frozenset(),
    roles=(Role.GRID_WORKER,),
    rank=3,
)
def _report_hazard(move: Any, *, hazard_data: dict[str, Any], idempotency_key: str) -> None:
    from gridgov.hazards.actions import report_hazard

    round_ = move.obj
    hazard = report_hazard(acting_user=move.user, grid=round_.grid, **hazard_data)
    HazardFinding.objects.create(
        round=round_, hazard=hazard, kind=HazardFinding.Kind.FOUND, idempotency_key=idempotency_key
    )
    move.event("hazard_reported", data={"hazard": hazard.pk, "risk": hazard.risk_level})


def report_hazard_finding(
    round_: Round,
    *,
    acting_user: Any,
    title: str,
    risk_level: str,
    site_id: Any = None,
    address: str = "",
    description: str = "",
    deadline: dt.date | None = None,
    lat: float | None = None,
    lon: float | None = None,
    photos: Sequence[CheckedImage] = (),
    idempotency_key: str = "",
) -> Any:
    """A hazard found on the round (state "found"), at a site of the grid or a free place."""
    from gridgov.hazards.choices import RiskLevel
    from gridgov.hazards.models import HazardSite

    if idempotency_key and round_.worker_id == acting_user.pk:
        seen = HazardFinding.objects.filter(round=round_, idempotency_key=idempotency_key).first()
        if seen is not None:
            return seen.hazard
    if risk_level not in RiskLevel.values:
        raise IllegalMove(_("Choose a risk level."))
    site = None
    if str(site_id or "").isdigit():
        site = HazardSite.objects.filter(pk=int(site_id), grid_id=round_.grid_id).first()
        if site is None:
            raise IllegalMove(_("That hazard site is not in this round's grid."))
    address = (address or "").strip()
    if site is None and not address:
        if lat is None or lon is None:
            raise IllegalMove(_("Say where the hazard is: a site or the place."))
        address = f"{lat:.5f}, {lon:.5f}"
    hazard_data = {
        "title": (title or description or "").strip()[:100],
        "risk_level": risk_level,
        "deadline": deadline or default_deadline(risk_level),
        "description": description,
        "address": address[:200],
        "site": site,
        "photos": photos,
        "lon": lon,
        "lat": lat,
        "gps": True,
    }
    with contextlib.suppress(IntegrityError):  # the same key raced in: the first one stands
        _report_hazard(
            round_,
            acting_user=acting_user,
            hazard_data=hazard_data,
            idempotency_key=idempotency_key,
        )
    found = HazardFinding.objects.filter(round=round_, kind=HazardFinding.Kind.FOUND)
    if idempotency_key:
        found = found.filter(idempotency_key=idempotency_key)
    return found.select_related("hazard").latest("pk").hazard


@ROUNDS.action(
    RoundAction.UPDATE_HAZARD,
    label=_l("reported on"),
    button=_l("Update a hazard"),
    sources=frozenset({RoundStatus.IN_PROGRESS}),
    targets=frozenset(),
    roles=(Role.GRID_WORKER,),
    rank=4,
)
def _update_hazard(
    move: Any,
    *,
    hazard: Any,
    note: str,
    photos: Sequence[CheckedImage],
    idempotency_key: str,
) -> None:
    from gridgov.hazards.actions import add_note

    round_ = move.obj
    add_note(hazard, acting_user=move.user, note=note, photos=photos)
    HazardFinding.objects.create(
        round=round_,
        hazard=hazard,
        kind=HazardFinding.Kind.UPDATED,
        idempotency_key=idempotency_key,
    )
    move.event("hazard_updated", data={"hazard": hazard.pk})


def update_hazard_finding(
    round_: Round,
    *,
    acting_user: Any,
    hazard_id: Any,
    note: str = "",
    photos: Sequence[CheckedImage] = (),
    idempotency_key: str = "",
) -> Any:
    """A note and photos on an open hazard of the round's grid, seen again on the round."""
    from gridgov.hazards.models import Hazard

    if idempotency_key and round_.worker_id == acting_user.pk:
        seen = HazardFinding.objects.filter(round=round_, idempotency_key=idempotency_key).first()
        if seen is not None:
            return seen.hazard
    hazard = (
        Hazard.objects.open().filter(pk=int(hazard_id), grid_id=round_.grid_id).first()
        if str(hazard_id or "").isdigit()
        else None
    )
    if hazard is None:
        raise IllegalMove(_("That is not an open hazard of this round's grid."))
    _update_hazard(
        round_,
        acting_user=acting_user,
        hazard=hazard,
        note=note,
        photos=photos,
        idempotency_key=idempotency_key,
    )
    return hazard


@ROUNDS.action(
    RoundAction.INSPECT_SITE,
    label=_l("reported on"),
    button=_l("Record an inspection"),
    sources=frozenset({RoundStatus.IN_PROGRESS}),
    targets=frozenset(),
    roles=(Role.GRID_WORKER,),
    rank=5,
)
def _inspect_site(move: Any, *, site: Any, result: str, note: str, idempotency_key: str) -> None:
    from gridgov.hazards.actions import record_inspection

    round_ = move.obj
    inspection = record_inspection(site, acting_user=move.user, result=result, note=note)
    RoundInspection.objects.create(
        round=round_, inspection=inspection, idempotency_key=idempotency_key
    )
    move.event("site_inspected", data={"site": site.pk, "result": result})


def inspect_at_checkpoint(
    round_: Round,
    *,
    acting_user: Any,
    checkpoint_id: Any,
    result: str,
    note: str = "",
    idempotency_key: str = "",
) -> Any:
    """Record an inspection of the hazard site of a checked-in checkpoint, in the round."""
    if idempotency_key and round_.worker_id == acting_user.pk:
        seen = (
            RoundInspection.objects.filter(round=round_, idempotency_key=idempotency_key)
            .select_related("inspection")
            .first()
        )
        if seen is not None:
            return seen.inspection
    checkpoint = _checkpoint_of(round_, checkpoint_id)
    if checkpoint.hazard_site_id is None:
        raise IllegalMove(_("This checkpoint is not a hazard site."))
    if not CheckIn.objects.filter(round=round_, checkpoint=checkpoint).exists():
        raise IllegalMove(_("Check in at “%(name)s” first.") % {"name": checkpoint.name})
    _inspect_site(
        round_,
        acting_user=acting_user,
        site=checkpoint.hazard_site,
        result=result,
        note=(note or "").strip()[:2000],
        idempotency_key=idempotency_key,
    )
    return RoundInspection.objects.filter(round=round_).latest("pk").inspection


def report_quick_hazard(
    *, acting_user: Any, grid: Any, idempotency_key: str, **hazard_data: Any
) -> Any:
    """A hazard from the one-tap finding page outside a round (the hazards' own action makes
    it). The worker's idempotency key is bound to it: the same key again (a double tap, Back
    and resubmit) returns the first hazard and changes nothing."""
    from gridgov.hazards.actions import report_hazard

    key = (idempotency_key or "")[:64]
    if not key:
        return report_hazard(acting_user=acting_user, grid=grid, **hazard_data)
    seen = QuickHazardReport.objects.filter(worker=acting_user, idempotency_key=key)
    first = seen.select_related("hazard").first()
    if first is not None:
        return first.hazard
    try:
        with transaction.atomic():
            hazard = report_hazard(acting_user=acting_user, grid=grid, **hazard_data)
            QuickHazardReport.objects.create(worker=acting_user, idempotency_key=key, hazard=hazard)
    except IntegrityError:  # the same post raced in twice: the first one made it
        return seen.select_related("hazard").get().hazard
    return hazard

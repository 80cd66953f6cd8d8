"""Reading a round's track: allowed to few, audited every time; purged after the retention."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gridgov.audit.log import record
from gridgov.lifecycle import NotAllowed
from gridgov.patrols.access import may_view_track
from gridgov.patrols.models import Round, TrackBatch


def read_track(user: Any, round_: Round) -> list[list[float]]:
    """The round's points [[lat, lon, epoch, accuracy], …] in time order; one audit row."""
    if not may_view_track(user, round_):
        raise NotAllowed("track")
    points: list[list[float]] = []
    for batch in TrackBatch.objects.filter(round=round_).order_by("first_at", "pk"):
        points.extend(batch.points)
    points.sort(key=lambda p: p[2])
    record(
        "patrol_round.track_viewed",
        actor=user,
        obj=round_,
        object_repr=str(round_),
        detail={"points": len(points)},
    )
    return points


def purge_old_tracks(today: dt.date | None = None) -> int:
    """Delete the points of rounds older than PATROL_TRACK_RETENTION_DAYS; the round keeps its
    aggregates (point count, distance, check-ins). Returns the number of rounds purged."""
    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.PATROL_TRACK_RETENTION_DAYS)
    rounds = list(
        Round.objects.filter(day__lt=cutoff, track_purged=False).values_list("pk", flat=True)
    )
    if not rounds:
        return 0
    with transaction.atomic():
        TrackBatch.objects.filter(round_id__in=rounds).delete()
        Round.objects.filter(pk__in=rounds).update(track_purged=True)
        record(
            "patrol_round.tracks_purged",
            actor_name="system",
            role="",
            detail={"rounds": len(rounds), "before": cutoff.isoformat()},
        )
    return len(rounds)

"""Re-encrypting personal data under the current key, model by model, in resumable batches.

A model takes part by naming `ROTATED_FIELDS` (the columns to rewrite) and defining
`rotate_keys()`, which re-sets its encrypted values and blind indexes on the instance;
loading decrypts under any key and saving encrypts under the current one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import transaction

from gridgov.core import crypto
from gridgov.core.models import RotationProgress


def rotated_models() -> list[Any]:
    return [m for m in apps.get_models() if getattr(m, "ROTATED_FIELDS", None)]


def rotate(batch: int = 500) -> Iterator[tuple[str, int]]:
    key_id = crypto.key_fingerprint()
    for model in rotated_models():
        label = model._meta.label_lower
        progress, _created = RotationProgress.objects.get_or_create(model=label, key_id=key_id)
        done = 0
        while not progress.done:
            rows = list(model._base_manager.filter(pk__gt=progress.last_pk).order_by("pk")[:batch])
            with transaction.atomic():
                for row in rows:
                    row.rotate_keys()
                if rows:
                    model._base_manager.bulk_update(rows, list(model.ROTATED_FIELDS))
                    progress.last_pk = rows[-1].pk
                    done += len(rows)
                progress.done = len(rows) < batch
                progress.save()
        yield label, done

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from gridgov.audit.log import record
from gridgov.audit.models import AuditChain, AuditEntry


class Command(BaseCommand):
    help = (
        "Remove audit rows older than AUDIT_RETENTION_DAYS (at least 180). The hash of the last "
        "removed row is kept as the chain's anchor, so verify-audit still checks what remains."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        cutoff = timezone.now() - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
        with transaction.atomic():
            chain = AuditChain.objects.select_for_update().get_or_create(pk=1)[0]
            last = AuditEntry.objects.filter(at__lt=cutoff).order_by("-seq").first()
            if last is None:
                self.stdout.write("Nothing older than the retention period.")
                return
            # The one place rows leave the log: below the model's append-only guard, on purpose.
            removed = AuditEntry.objects.filter(seq__lte=last.seq)._raw_delete(
                AuditEntry.objects.db
            )
            AuditChain.objects.filter(pk=chain.pk).update(
                anchor_seq=last.seq, anchor_hash=last.hash
            )
        record(
            "audit.purge",
            actor_name="system",
            detail={"removed": removed, "through_seq": last.seq, "cutoff": cutoff.isoformat()},
        )
        self.stdout.write(f"Removed {removed} audit rows through #{last.seq}.")

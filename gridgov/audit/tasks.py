"""Daily checks of the audit log (Celery beat; `gridgov verify-audit` from cron does the same)."""

import logging

from celery import shared_task

from gridgov.audit.verify import verify_chain

logger = logging.getLogger("gridgov.audit")


@shared_task
def verify_audit_chain() -> str:
    checked, broken = verify_chain()
    if broken is not None:
        # CRITICAL goes to whatever the operators watch (syslog, the log shipper's alerts).
        logger.critical(
            "Audit chain broken at row #%s: %s (%s rows before it intact)",
            broken.seq,
            broken.reason,
            checked,
        )
        return f"broken at #{broken.seq}"
    logger.info("Audit chain intact: %s rows", checked)
    return "intact"


@shared_task
def purge_expired_audit_rows() -> None:
    from django.core.management import call_command

    call_command("purge_audit")

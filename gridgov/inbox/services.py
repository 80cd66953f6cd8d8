"""Send notifications. Call from `transaction.on_commit` so nothing is sent for a rollback."""

from __future__ import annotations

from collections.abc import Iterable

from gridgov.inbox.models import Notification


def notify(user_ids: Iterable[int], *, message: str, url: str = "") -> int:
    rows = [Notification(user_id=pk, message=message[:300], url=url) for pk in set(user_ids)]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notify_reporter(case_id: int) -> None:
    """A resolved case asks its reporter for a rating, on every channel we have for them."""
    import logging

    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from gridgov.accounts.sms import send_sms
    from gridgov.cases.models import Case

    case = Case.objects.select_related("reporter_user").get(pk=case_id)
    user = case.reporter_user
    message = _("Your case %(number)s was resolved: please rate it.") % {"number": case.number}
    if user is not None:
        notify([user.pk], message=message, url=reverse("cases:detail", args=[case.number]))
        if user.email:
            send_mail(
                _("GridGov: your case was resolved"),
                message,
                None,
                [user.email],
                fail_silently=True,
            )
    phone = case.reporter_phone
    if phone:
        text = message
        if case.tracking_code:
            text += " " + _("Tracking code: %(code)s") % {"code": case.tracking_code}
        try:
            send_sms(
                phone,
                text,
                template="case_resolved",
                params={"number": case.number, "code": case.tracking_code},
            )
        except Exception:  # a failing SMS gateway must not undo the case's progress
            logging.getLogger(__name__).exception("SMS to the reporter of case %s failed", case_id)

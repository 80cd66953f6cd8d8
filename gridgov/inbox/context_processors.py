from typing import Any

from django.http import HttpRequest

from gridgov.inbox.models import Notification


def unread(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated:
        return {}
    return {"unread_count": Notification.objects.visible_to(request.user).unread().count()}

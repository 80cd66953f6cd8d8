"""`{% home_notices %}`: the notices for the signed-in user on the home page, unread first."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Exists, OuterRef

register = template.Library()


@register.inclusion_tag("notices/_home.html", takes_context=True)
def home_notices(context: dict[str, Any]) -> dict[str, Any]:
    from gridgov.accounts import scope
    from gridgov.accounts.choices import Role
    from gridgov.notices import audience
    from gridgov.notices.models import Notice, NoticeRead

    user = context["request"].user
    notices = (
        Notice.objects.filter(
            pk__in=Notice.objects.filter(audience.reader_condition(user)).values("pk")
        )
        .annotate(is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)))
        .order_by("is_read", "-important", "-published_at")[:5]
    )
    follow_ups = []
    if scope.role_paths(user, (Role.GRID_WORKER,)):
        important = Notice.objects.filter(
            pk__in=Notice.objects.filter(audience.grid_follow_up_condition(user)).values("pk"),
            important=True,
        ).order_by("-published_at")[:3]
        follow_ups = [(n, audience.unread_in_grids(n, user).count()) for n in important]
    return {"home_notices": notices, "follow_ups": follow_ups}

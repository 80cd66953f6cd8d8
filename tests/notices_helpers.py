"""Notices for tests, made through the actions (never by writing rows directly)."""

from __future__ import annotations

from typing import Any

from gridgov.notices.actions import create_notice
from gridgov.notices.lifecycle import publish_notice


def notice(author: Any, owner: Any, *, publish: bool = True, **fields: Any) -> Any:
    fields.setdefault("title", "关于冬季供暖的通知")
    fields.setdefault("body", "<p>请各位居民注意。</p>")
    made = create_notice(acting_user=author, owner_area=owner, **fields)
    if publish:
        made = publish_notice(made, acting_user=author)
    return made

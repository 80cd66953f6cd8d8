"""Notices' rich text: only a small set of harmless tags survives (nh3, the Rust ammonia)."""

from __future__ import annotations

import nh3

TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "blockquote", "a"}
ATTRIBUTES = {"a": {"href", "title"}}


def clean_html(text: str) -> str:
    """Sanitised HTML; plain text (no tag at all) becomes paragraphs."""
    text = (text or "").strip()
    if "<" not in text:
        from django.utils.html import linebreaks

        text = linebreaks(text)
    return nh3.clean(
        text,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )

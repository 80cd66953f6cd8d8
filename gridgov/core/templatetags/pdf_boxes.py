"""Places for a signature, a fingerprint and a seal on printed documents (pdf/base.html)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def signature_box(label: str, *, fingerprint: bool = False) -> SafeString:
    """ "<label>（签名）" and a line to sign on, with a fingerprint square beside it if asked."""
    finger = (
        format_html('<span class="pdf-finger">{}</span>', _("Fingerprint")) if fingerprint else ""
    )
    return format_html(
        '<div class="pdf-sign"><span class="pdf-label">{} {}</span>'
        '<span class="pdf-sign-line"></span>{}</div>',
        label,
        _("(signature)"),
        finger,
    )


@register.simple_tag
def fingerprint_box(label: str = "") -> SafeString:
    return format_html('<span class="pdf-finger">{}</span>', label or _("Fingerprint"))


@register.simple_tag
def seal_box(label: str) -> SafeString:
    """A dashed circle for the organisation's seal, with the date line below it."""
    return format_html(
        '<div class="pdf-keep"><div class="pdf-seal">{}<br>{}</div>'
        '<p class="pdf-date">{}</p></div>',
        label,
        _("(seal)"),
        _("Date: ______ (year) ____ (month) ____ (day)"),
    )

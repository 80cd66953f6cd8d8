"""Printed documents as A4 PDFs, for any app: render a template that extends `pdf/base.html`
and hand the HTML to WeasyPrint.

Documents that are signed, fingerprinted and stamped (调解协议书, 调解笔录, 卷宗) and the
analytics reports print from here. Chinese text is set in the Noto CJK fonts, found by family
name through fontconfig (the Debian package fonts-noto-cjk); nothing is downloaded. The URL
fetcher refuses every URL but the project's own static files (the print stylesheet) and inline
`data:` images, so a document can neither leak a request to the network nor read a local file.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF = "application/pdf"
# Relative URLs in a document resolve against this made-up origin; the fetcher maps its
# STATIC_URL paths to files and refuses the rest. `.invalid` never resolves (RFC 2606).
BASE_URL = "https://pdf.gridgov.invalid/"
_CONTENT_TYPES = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml"}


class RefusedFetch(ValueError):
    """A document asked for a URL that is not one of our static files."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `BASE_URL + STATIC_URL + name` from the static files and `data:` URLs; refuses
    http(s) elsewhere, file:, ftp: and everything else. WeasyPrint catches the error, logs it
    and leaves the resource out, so a stray `<img src>` in user text costs a blank, not a leak."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        name = static_name(url)
        if name is None:
            raise RefusedFetch(f"refused to fetch {url!r}: only static files are allowed")
        path = finders.find(name)
        if not path and staticfiles_storage.exists(name):
            path = staticfiles_storage.path(name)
        if not path:
            raise RefusedFetch(f"no static file {name!r}")
        with open(path, "rb") as handle:
            body = handle.read()
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        content_type = _CONTENT_TYPES.get(suffix, "application/octet-stream")
        return URLFetcherResponse(url, body, headers={"Content-Type": content_type})


def static_name(url: str) -> str | None:
    """The static file's name a URL asks for, or None when it is anything else."""
    base, parts = urlsplit(BASE_URL), urlsplit(url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    static_url = "/" + str(settings.STATIC_URL).lstrip("/")
    if not parts.path.startswith(static_url):
        return None
    name = unquote(parts.path[len(static_url) :])
    if not name or name.startswith("/") or ".." in name.split("/"):
        return None
    return name


def css_string(text: str) -> str:
    """A CSS string literal for `content:` (quotes, backslashes and line breaks escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    escaped = escaped.replace("<", "\\3c ")
    return f'"{escaped}"'


def page_counter_content() -> SafeString:
    """The footer's `content:` value, from the translated "Page %(page)s of %(pages)s"."""
    label = _("Page %(page)s of %(pages)s")
    parts: list[str] = []
    rest = label
    for key, counter in (("%(page)s", "counter(page)"), ("%(pages)s", "counter(pages)")):
        before, _found, rest = rest.partition(key)
        if before:
            parts.append(css_string(before))
        parts.append(counter)
    if rest:
        parts.append(css_string(rest))
    return mark_safe(" ".join(parts))  # noqa: S308 — every piece escaped by css_string


def render_pdf(
    template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None
) -> bytes:
    """Render a template (extending `pdf/base.html`) to the bytes of an A4 PDF."""
    html = render_to_string(
        template_name, {**context, "pdf_page_counter": page_counter_content()}, request=request
    )
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(font_config=FontConfiguration())


def pdf_response(data: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=PDF)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""The PDF infrastructure (gridgov/core/pdf.py): Chinese text in the CJK fonts, the running
header, the page counter, signature places, and no fetching outside the static files."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from gridgov.core import pdf
from tests.pdf_helpers import pdf_fonts, pdf_pages, pdf_plain_text

SAMPLE = """{% extends "pdf/base.html" %}{% load pdf_boxes %}
{% block title %}调解协议书{% endblock %}
{% block header %}河西社区人民调解委员会{% endblock %}
{% block footer %}编号 HX-2026-007{% endblock %}
{% block content %}
<h1>调解协议书</h1>
<p>甲方王建国与乙方李秀英因楼上漏水发生纠纷。{{ extra }}</p>
{% for i in pages %}<p style="break-before: page">第二部分 {{ i }}</p>{% endfor %}
<div class="pdf-signatures">{% signature_box "当事人" fingerprint=True %}</div>
{% seal_box "人民调解委员会" %}
{% endblock %}
"""

HOSTILE = """{% extends "pdf/base.html" %}
{% block content %}
<h1>外部资源</h1>
<img src="http://example.com/tracker.png">
<img src="https://pdf.gridgov.invalid/media/secret.png">
<img src="file:///etc/hostname">
<img src="/static/../../../etc/hostname">
<link rel="stylesheet" href="https://cdn.example.org/x.css">
<div style="background: url('ftp://example.net/x.png')">正文</div>
{% endblock %}
"""


@pytest.fixture
def templates(tmp_path: Path, settings):
    (tmp_path / "sample.html").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "hostile.html").write_text(HOSTILE, encoding="utf-8")
    engine = {**django_settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    settings.TEMPLATES = [engine]
    return tmp_path


@pytest.fixture
def no_network(monkeypatch):
    """Any socket connection fails the test."""

    def refuse(self, address):
        raise AssertionError(f"network connection attempted to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


@pytest.fixture
def fetched(monkeypatch) -> list[tuple[str, bool]]:
    """Every URL the fetcher was asked for, with whether it delivered it."""
    calls: list[tuple[str, bool]] = []
    original = pdf.StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except pdf.RefusedFetch:
            calls.append((url, False))
            raise
        calls.append((url, True))
        return response

    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", spy)
    return calls


def test_chinese_text_header_footer_and_signature_places(templates, no_network, fetched):
    with translation.override("zh-hans"):
        data = pdf.render_pdf("sample.html", {"extra": "漏水点位于卫生间。", "pages": [1]})
    text = pdf_plain_text(data)
    assert "调解协议书" in text
    assert "甲方王建国与乙方李秀英因楼上漏水发生纠纷。漏水点位于卫生间。" in text
    assert "河西社区人民调解委员会" in text  # the running header
    assert "编号HX-2026-007" in text  # the running footer
    # Two pages, each numbered by the footer counter in Chinese.
    assert pdf_pages(data) == 2
    assert "第1页，共2页" in text
    assert "第2页，共2页" in text
    assert "当事人（签名）" in text
    assert "捺印" in text
    assert "（盖章）" in text
    # The print stylesheet was served from the static files, nothing else was asked for.
    assert fetched == [("https://pdf.gridgov.invalid/static/gridgov/print.css", True)]


def test_body_and_headings_use_the_noto_cjk_fonts(templates, no_network):
    data = pdf.render_pdf("sample.html", {"pages": []})
    fonts = pdf_fonts(data)
    assert "Noto-Serif-CJK-SC" in fonts  # body
    assert "Noto-Sans-CJK-SC" in fonts  # headings, labels, header
    assert "emb" in fonts.splitlines()[0]


def test_english_page_counter(templates, no_network):
    with translation.override("en"):
        data = pdf.render_pdf("sample.html", {"pages": []})
    assert "Page1of1" in pdf_plain_text(data)


def test_no_external_or_local_file_is_fetched(templates, no_network, fetched):
    data = pdf.render_pdf("hostile.html", {})
    assert "外部资源" in pdf_plain_text(data)
    refused = {url for url, ok in fetched if not ok}
    assert refused == {
        "http://example.com/tracker.png",
        "https://pdf.gridgov.invalid/media/secret.png",
        "file:///etc/hostname",
        "https://cdn.example.org/x.css",
        "ftp://example.net/x.png",
        # "/static/../../../etc/hostname" resolves to /etc/hostname on the made-up origin
        "https://pdf.gridgov.invalid/etc/hostname",
    }
    assert [url for url, ok in fetched if ok] == [
        "https://pdf.gridgov.invalid/static/gridgov/print.css"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://pdf.gridgov.invalid/static/../settings.py",
        "https://pdf.gridgov.invalid/static/gridgov/%2e%2e/%2e%2e/settings.py",
        "https://pdf.gridgov.invalid/static/",
        "https://pdf.gridgov.invalid/static//etc/passwd",
        "http://pdf.gridgov.invalid/static/gridgov/print.css",
        "https://evil.example/static/gridgov/print.css",
        "file:///static/gridgov/print.css",
    ],
)
def test_static_name_refuses_anything_but_a_static_file(url):
    assert pdf.static_name(url) is None


def test_static_name_of_a_static_file():
    url = "https://pdf.gridgov.invalid/static/gridgov/print.css"
    assert pdf.static_name(url) == "gridgov/print.css"


def test_page_counter_css_escapes_the_label():
    with translation.override("en"):
        assert str(pdf.page_counter_content()) == '"Page " counter(page) " of " counter(pages)'
    assert pdf.css_string('a"b\\c<') == '"a\\"b\\\\c\\3c "'


def test_pdf_response_is_a_download_never_cached():
    response = pdf.pdf_response(b"%PDF-1.7", "调解协议书.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''%E8%B0%83%E8%A7%A3%E5%8D%8F%E8%AE%AE%E4%B9%A6.pdf"
    )
    assert response["Cache-Control"] == "no-store"

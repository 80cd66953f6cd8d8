"""Every mediation label reaches the user in Chinese (m3): the choice labels, the pages and the
three PDFs rendered in zh-Hans carry no English word of the mediation vocabularies, and the
events and the list tabs use mediation's own words, not the case wording (上报街道, 未销号)."""

from __future__ import annotations

import re

import pytest
from django.db import models
from django.utils import translation

from gridgov.mediation import choices
from tests.mediation_docs_helpers import leak_through_level_2
from tests.pdf_helpers import pdf_plain_text

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def _vocabularies() -> list[type[models.Choices]]:
    return [
        value
        for value in vars(choices).values()
        if isinstance(value, type)
        and issubclass(value, models.Choices)
        and value.__module__ == choices.__name__
    ]


def _english_labels() -> list[str]:
    with translation.override("en"):
        return [str(label) for vocab in _vocabularies() for _, label in vocab.choices]


# Words of the English labels that would betray an untranslated label in a Chinese page; short
# function words are left out (they also occur in names such as "PDF" or in numbers).
def _english_words() -> set[str]:
    words: set[str] = set()
    for label in _english_labels():
        words.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}", label))
    return words


def _untranslated(text: str) -> list[str]:
    found = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)}
    return sorted(found & _english_words())


def test_there_are_many_vocabularies_to_check():
    # Guards the scan itself: the module holds these fifteen vocabularies.
    assert len(_vocabularies()) == 15
    assert "neighbour" in _english_words() and "referred" in _english_words()


@pytest.mark.parametrize("vocab", _vocabularies(), ids=lambda v: v.__name__)
def test_every_choice_label_has_a_chinese_translation(vocab):
    with translation.override("zh-hans"):
        missing = [str(label) for _, label in vocab.choices if not CJK.search(str(label))]
    assert missing == []


@pytest.fixture
def leak(world):
    return leak_through_level_2(world)


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode()


def _pdf(client, url) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return pdf_plain_text(raw)


def test_the_three_pdfs_have_no_english_label(client_for, leak):
    mediation, agreement = leak.mediation, leak.agreement
    session = mediation.sessions.order_by("held_at").first()
    client = client_for("mediator")
    base = f"/mediation/{mediation.pk}/pdf"
    texts = {
        "agreement": _pdf(client, f"{base}/agreement/{agreement.pk}/"),
        "transcript": _pdf(client, f"{base}/transcript/{session.pk}/"),
        "case_file": _pdf(client, f"{base}/case-file/"),
    }
    for name, text in texts.items():
        assert _untranslated(text) == [], name
    # The labels of this case, in Chinese (written by hand from the vocabularies' meaning).
    assert "邻里纠纷" in texts["case_file"]  # dispute type
    assert "口头申请" in texts["case_file"]  # source
    assert "升级调解" in texts["case_file"]  # the level-1 mediator's end
    assert "上报街道" not in texts["case_file"]


def test_the_pages_have_no_english_label(client_for, leak):
    mediation = leak.mediation
    client = client_for("mediator")
    pages = {
        "list": "/mediation/?status=all",
        "detail": f"/mediation/{mediation.pk}/",
        "workbench": "/mediation/workbench/",
        "new": "/mediation/new/",
    }
    for name, url in pages.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, name
        body = re.sub(r"<[^>]*>", " ", _body(response))  # the text, not tag or class names
        assert _untranslated(body) == [], name


def test_the_escalation_event_reads_as_mediation(client_for, leak):
    body = _body(client_for("mediator").get(f"/mediation/{leak.mediation.pk}/"))
    assert "升级调解" in body
    assert "第 1 级 → 第 2 级" in body  # the leak went from the grid worker to the mediator
    assert "上报街道" not in body


def test_the_open_tab_reads_in_progress(client_for, leak):
    body = _body(client_for("mediator").get("/mediation/"))
    assert "办理中" in body
    assert "未销号" not in body

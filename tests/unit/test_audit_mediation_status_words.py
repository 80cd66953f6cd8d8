"""The audit log shows a mediation's before/after status in words (m3), not its code."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import translation

from gridgov.audit.readable import detail_lines


def test_mediation_statuses_in_words():
    entry = SimpleNamespace(action="mediation.agreed", detail={"from": "mediating", "to": "agreed"})
    with translation.override("zh-hans"):
        values = [value for _, value in detail_lines(entry)]
    assert values == ["调解中", "已达成协议，回访中"]


def test_an_unknown_status_is_shown_as_it_is():
    entry = SimpleNamespace(action="mediation.agreed", detail={"from": "archived"})
    with translation.override("zh-hans"):
        assert [value for _, value in detail_lines(entry)] == ["archived"]

"""The zh-Hans catalog is complete and has no fuzzy (guessed) entries."""

import re
from pathlib import Path

CATALOG = Path(__file__).resolve().parents[2] / "gridgov/locale/zh_Hans/LC_MESSAGES/django.po"


def entries():
    text = CATALOG.read_text(encoding="utf-8")
    return [block for block in text.split("\n\n") if "msgid" in block][1:]  # skip the header


def test_no_entry_is_fuzzy():
    fuzzy = [block for block in entries() if "#, fuzzy" in block]
    assert fuzzy == []


def test_every_message_is_translated():
    untranslated = [
        block
        for block in entries()
        if re.search(r'^msgstr(\[0\])? ""$', block, re.M)
        and not re.search(r'^msgstr(\[0\])? ""\n"', block, re.M)
    ]
    assert untranslated == []

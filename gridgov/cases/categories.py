"""Load a category list from a JSON file, so a city can bring its own (codes are data).

Format: {"standard_ref": "...", "categories": [{"code", "name", "children": [{"code", "name",
"level": "community"|"street", "department": an organisation code or kind or null,
"limits": {"accept": [amount, unit], "dispatch": [...], "claim": [...], "handle": [...]},
"yellow_percent", "red_percent"}]}]}. Every row is checked first; any problem refuses the file.
Existing codes are updated, so loading the same file twice changes nothing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gridgov.accounts.models import Organisation
from gridgov.cases.choices import HandlingLevel, Step
from gridgov.cases.models import Category
from gridgov.workdays.calendar import LimitUnit

DEFAULT_FILE = Path(__file__).parent / "data" / "categories.json"


class CategoryFileError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def _department(value: Any, problems: list[str], where: str) -> Organisation | None:
    if not value:
        return None
    found = (
        Organisation.objects.filter(code=value).first()
        or Organisation.objects.filter(kind=value, is_active=True).order_by("code").first()
    )
    if found is None:
        problems.append(
            _("%(where)s: no organisation has the code or kind “%(value)s”.")
            % {"where": where, "value": value}
        )
    return found


def _rows(data: Any) -> tuple[str, list[tuple[dict[str, Any], dict[str, Any] | None]]]:
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        raise CategoryFileError([_("The file needs a “categories” list.")])
    rows: list[tuple[dict[str, Any], dict[str, Any] | None]] = []
    for group in data["categories"]:
        if not isinstance(group, dict):
            raise CategoryFileError([_("Each category must be an object.")])
        rows.append((group, None))
        for child in group.get("children") or []:
            rows.append((child, group))
    return str(data.get("standard_ref", "")), rows


@transaction.atomic
def load_categories(raw: str | bytes) -> int:
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise CategoryFileError([_("The file is not valid JSON.")]) from None
    standard_ref, rows = _rows(data)
    problems: list[str] = []
    seen: set[str] = set()
    prepared = []
    for row, parent in rows:
        code, name = str(row.get("code") or "").strip(), str(row.get("name") or "").strip()
        where = _("category %(code)s") % {"code": code or "?"}
        if not code or not name:
            problems.append(_("%(where)s: code and name are required.") % {"where": where})
            continue
        if code in seen:
            problems.append(_("%(where)s: the code appears twice.") % {"where": where})
        seen.add(code)
        fields: dict[str, Any] = {
            "name": name[:60],
            "standard_ref": standard_ref[:60],
            "is_active": bool(row.get("active", True)),
        }
        if parent is not None:
            level = row.get("level", HandlingLevel.STREET)
            if level not in HandlingLevel.values:
                problems.append(
                    _("%(where)s: unknown level “%(level)s”.") % {"where": where, "level": level}
                )
            fields["default_level"] = level
            fields["default_department"] = _department(row.get("department"), problems, where)
            for step in Step.values:
                limit = (row.get("limits") or {}).get(step)
                if limit is None:
                    continue
                if (
                    not isinstance(limit, list)
                    or len(limit) != 2
                    or not isinstance(limit[0], int | float)
                    or limit[0] < 0
                    or limit[1] not in LimitUnit.values
                ):
                    problems.append(
                        _("%(where)s: the %(step)s limit must be [amount, unit].")
                        % {"where": where, "step": step}
                    )
                    continue
                fields[f"{step}_limit"], fields[f"{step}_unit"] = limit
            for key in ("yellow_percent", "red_percent"):
                if key in row:
                    fields[key] = int(row[key])
        prepared.append((code, fields, parent["code"] if parent else None))
    if problems:
        raise CategoryFileError(problems)
    by_code: dict[str, Category] = {}
    for code, fields, parent_code in prepared:
        fields["parent"] = by_code.get(parent_code) if parent_code else None
        category, _created = Category.objects.update_or_create(code=code, defaults=fields)
        by_code[code] = category
    return len(prepared)

"""A text field encrypted at rest (Fernet, see crypto.py).

In Python the attribute holds plain text; the column holds only the token. Tokens are not
deterministic, so never filter on such a field: search through a blind-index column instead.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from gridgov.core import crypto


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        return crypto.decrypt(value) if value else ""

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        return crypto.encrypt(value) if value else ""

"""Field encryption at rest and keyed blind indexes for personal data (domain.md §8).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256); exact lookups go through an
HMAC-SHA256 blind index so that no table is ever decrypted to search it. Both keys are derived
from FIELD_ENCRYPTION_KEY (or, in DEBUG only, from SECRET_KEY) with HKDF, one per purpose.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _master_key() -> bytes:
    return (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()


@cache
def _derive(purpose: bytes, master: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"gridgov-field-encryption", _master_key())))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def blind_index(value: str) -> str:
    """Keyed hash for exact-match search; empty input gives empty output."""
    if not value:
        return ""
    key = _derive(b"gridgov-blind-index", _master_key())
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()

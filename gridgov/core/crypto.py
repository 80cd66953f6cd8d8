"""Field encryption at rest and keyed blind indexes for personal data (domain.md §8).

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256); exact lookups go through an
HMAC-SHA256 blind index so that no table is ever decrypted to search it. Both keys are derived
from FIELD_ENCRYPTION_KEY (or, in DEBUG only, from SECRET_KEY) with HKDF, one per purpose.

Key rotation: put the new key in FIELD_ENCRYPTION_KEY and the old one(s) in
FIELD_ENCRYPTION_OLD_KEYS, then run `gridgov rotate-keys`. Until it has finished, values under
an old key still decrypt and lookups try the blind index under every key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _master_keys() -> list[bytes]:
    current = (settings.FIELD_ENCRYPTION_KEY or settings.SECRET_KEY).encode()
    old = [key.encode() for key in getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", []) if key]
    return [current, *old]


@cache
def _derive(purpose: bytes, master: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(master)


@cache
def _fernets(masters: tuple[bytes, ...]) -> tuple[Fernet, MultiFernet]:
    keys = [
        Fernet(base64.urlsafe_b64encode(_derive(b"gridgov-field-encryption", master)))
        for master in masters
    ]
    return keys[0], MultiFernet(keys)


def encrypt(value: str) -> str:
    """Encrypt under the current key ("" stays "")."""
    current, _all = _fernets(tuple(_master_keys()))
    return current.encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    """Decrypt a token made under the current key or any old key."""
    _current, every = _fernets(tuple(_master_keys()))
    return every.decrypt(token.encode()).decode() if token else ""


def _index(value: str, master: bytes) -> str:
    key = _derive(b"gridgov-blind-index", master)
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()


def blind_index(value: str) -> str:
    """Keyed hash for exact-match search under the current key; empty input gives ""."""
    return _index(value, _master_keys()[0]) if value else ""


def blind_index_candidates(value: str) -> list[str]:
    """The blind index of `value` under every key: what to look for while a rotation runs."""
    return [_index(value, master) for master in _master_keys()] if value else []


def key_fingerprint() -> str:
    """A short, non-secret name of the current key (rotation progress is kept per key)."""
    return hashlib.sha256(_derive(b"gridgov-key-id", _master_keys()[0])).hexdigest()[:16]


def encrypt_bytes(data: bytes) -> str:
    """A file's bytes under the current key (uploads kept until a background job reads them)."""
    current, _all = _fernets(tuple(_master_keys()))
    return current.encrypt(data).decode()


def decrypt_bytes(token: str) -> bytes:
    _current, every = _fernets(tuple(_master_keys()))
    return every.decrypt(token.encode())

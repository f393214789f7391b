"""Encryption of CPR numbers at rest, and a keyed hash for finding duplicates.

One secret (``BROBYGGER_CPR_KEY``, a Fernet key: 32 random bytes, url-safe base64) gives two
keys through HKDF: one to encrypt (Fernet: AES-128-CBC + HMAC-SHA256), one to fingerprint
(HMAC-SHA256). The fingerprint finds a citizen registered twice without decrypting every row,
and without being a plain hash that could be reversed by trying all ~3.6 million birth dates x
serials.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class CprKeyError(ValueError):
    """The configured key is not a valid Fernet key."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def _derive(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


class CprVault:
    def __init__(self, key: str):
        try:
            secret = base64.urlsafe_b64decode(key.encode())
        except (ValueError, TypeError):
            raise CprKeyError("BROBYGGER_CPR_KEY is not url-safe base64") from None
        if len(secret) != 32:
            raise CprKeyError("BROBYGGER_CPR_KEY must be 32 bytes, url-safe base64 (a Fernet key)")
        enc = _derive(secret, b"brobygger cpr encryption")
        self._fernet = Fernet(base64.urlsafe_b64encode(enc))
        self._hash_key = _derive(secret, b"brobygger cpr fingerprint")

    def encrypt(self, digits: str) -> str:
        return self._fernet.encrypt(digits.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise CprKeyError("cannot decrypt: wrong BROBYGGER_CPR_KEY or damaged value") from None

    def fingerprint(self, digits: str) -> str:
        return hmac.new(self._hash_key, digits.encode(), hashlib.sha256).hexdigest()

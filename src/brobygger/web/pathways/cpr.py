"""The one place that turns a CPR number into stored columns and back (masked)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.conf import settings

from brobygger.cpr import Cpr, age_band, parse_cpr
from brobygger.web.lib.crypto import CprVault


@lru_cache(maxsize=4)
def _vault(key: str) -> CprVault:
    return CprVault(key)


def vault() -> CprVault:
    return _vault(settings.BROBYGGER_CPR_KEY)


def fingerprint(cpr: Cpr) -> str:
    return vault().fingerprint(cpr.digits)


def store_cpr(participant, cpr: Cpr, *, entry_date: dt.date) -> None:
    """Fill the encrypted and derived fields of an unsaved participant."""
    participant.cpr_ciphertext = vault().encrypt(cpr.digits)
    participant.cpr_fingerprint = fingerprint(cpr)
    participant.birth_year = cpr.birth_year
    participant.gender = cpr.gender
    participant.age_band_at_entry = age_band(cpr.birth_date, entry_date)


def masked_cpr(participant) -> str:
    """DDMMYY-XXXX, or an empty string once erased."""
    return masked_from_ciphertext(participant.cpr_ciphertext)


def masked_from_ciphertext(token: str) -> str:
    """The same from the stored column alone (for lists that read it with ``values()``)."""
    if not token:
        return ""
    return parse_cpr(vault().decrypt(token)).masked

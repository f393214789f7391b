"""In the database the CPR number exists only encrypted and as a keyed hash."""

from __future__ import annotations

from django.db import connection

from brobygger.web.pathways.cpr import masked_cpr, vault
from tests.web.conftest import CPR_A


def raw_row(pk: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM pathways_participant WHERE id = %s", [pk])
        names = [c[0] for c in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def test_the_encrypted_column_does_not_contain_the_plain_cpr(world):
    row = raw_row(world.participant_a.pk)
    assert CPR_A not in row["cpr_ciphertext"]
    assert CPR_A[6:] not in row["cpr_ciphertext"]


def test_no_column_of_the_row_contains_the_plain_cpr(world):
    row = raw_row(world.participant_a.pk)
    dumped = " ".join(str(v) for v in row.values())
    assert CPR_A not in dumped and f"{CPR_A[:6]}-{CPR_A[6:]}" not in dumped


def test_the_stored_value_decrypts_with_the_configured_key(world):
    row = raw_row(world.participant_a.pk)
    assert vault().decrypt(row["cpr_ciphertext"]) == CPR_A
    assert masked_cpr(world.participant_a) == "010290-XXXX"


def test_the_fingerprint_is_keyed_not_a_plain_hash(world):
    import hashlib

    row = raw_row(world.participant_a.pk)
    assert row["cpr_fingerprint"] != hashlib.sha256(CPR_A.encode()).hexdigest()
    assert row["cpr_fingerprint"] == vault().fingerprint(CPR_A)

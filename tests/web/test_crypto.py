"""The CPR vault: encryption round-trips, fingerprints are stable and keyed."""

from __future__ import annotations

import pytest

from brobygger.web.lib.crypto import CprKeyError, CprVault, new_key


def test_it_decrypts_what_it_encrypted():
    vault = CprVault(new_key())
    assert vault.decrypt(vault.encrypt("0102901234")) == "0102901234"


def test_the_ciphertext_does_not_contain_the_number_and_differs_each_time():
    vault = CprVault(new_key())
    a, b = vault.encrypt("0102901234"), vault.encrypt("0102901234")
    assert a != b
    assert "0102901234" not in a


def test_the_fingerprint_is_stable_for_one_key_and_differs_between_keys():
    key = new_key()
    assert CprVault(key).fingerprint("0102901234") == CprVault(key).fingerprint("0102901234")
    assert CprVault(key).fingerprint("0102901234") != CprVault(new_key()).fingerprint("0102901234")


def test_another_key_cannot_decrypt():
    token = CprVault(new_key()).encrypt("0102901234")
    with pytest.raises(CprKeyError):
        CprVault(new_key()).decrypt(token)


@pytest.mark.parametrize("key", ["", "not base64!", "c2hvcnQ="])
def test_it_refuses_a_malformed_key(key):
    with pytest.raises(CprKeyError):
        CprVault(key)

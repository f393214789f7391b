"""Rotating the CPR key: every number re-encrypted and re-fingerprinted, all or nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from brobygger.cpr import parse_cpr
from brobygger.web.lib.crypto import new_key
from brobygger.web.pathways.cpr import fingerprint, masked_cpr
from brobygger.web.pathways.models import Participant
from tests.web.conftest import CPR_A


def test_after_rotation_the_new_key_reads_and_finds_every_participant(world, monkeypatch):
    key = new_key()
    monkeypatch.setenv("BROBYGGER_NEW_CPR_KEY", key)
    out = StringIO()
    call_command("rotatecprkey", stdout=out)
    assert "2 CPR numbers re-encrypted" in out.getvalue()
    with override_settings(BROBYGGER_CPR_KEY=key):
        participant = Participant.objects.get(pk=world.participant_a.pk)
        assert masked_cpr(participant) == "010290-XXXX"
        assert participant.cpr_fingerprint == fingerprint(parse_cpr(CPR_A))


def test_a_malformed_new_key_changes_nothing(world, monkeypatch):
    monkeypatch.setenv("BROBYGGER_NEW_CPR_KEY", "not-a-key")
    before = list(Participant.objects.values_list("cpr_ciphertext", flat=True))
    with pytest.raises(CommandError, match="BROBYGGER_NEW_CPR_KEY"):
        call_command("rotatecprkey", stdout=StringIO())
    assert list(Participant.objects.values_list("cpr_ciphertext", flat=True)) == before


def test_erased_participants_are_skipped(world, monkeypatch):
    Participant.objects.filter(pk=world.participant_b.pk).update(
        name="", cpr_ciphertext="", cpr_fingerprint=None, birth_year=None,
        erased_at="2024-01-01T00:00:00Z")
    monkeypatch.setenv("BROBYGGER_NEW_CPR_KEY", new_key())
    out = StringIO()
    call_command("rotatecprkey", stdout=out)
    assert "1 CPR numbers" in out.getvalue()

"""Pathway events and audit entries can be added, never updated or deleted."""

from __future__ import annotations

import pytest

from brobygger.web.appendonly import AppendOnlyError
from brobygger.web.audit.models import AuditEntry
from brobygger.web.pathways.models import Participant, PathwayEvent


def test_an_event_cannot_be_updated(world):
    event = PathwayEvent.objects.get(participant=world.participant_a)
    event.kind = "exit"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_an_event_cannot_be_deleted(world):
    with pytest.raises(AppendOnlyError):
        PathwayEvent.objects.get(participant=world.participant_a).delete()


def test_events_cannot_be_updated_or_deleted_in_bulk(world):
    with pytest.raises(AppendOnlyError):
        PathwayEvent.objects.all().update(kind="exit")
    with pytest.raises(AppendOnlyError):
        PathwayEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        PathwayEvent.objects.bulk_update(list(PathwayEvent.objects.all()), ["kind"])
    assert PathwayEvent.objects.count() == 2


def test_a_participant_with_events_cannot_be_deleted(world):
    from django.db.models import ProtectedError

    with pytest.raises((ProtectedError, AppendOnlyError)):
        Participant.objects.get(pk=world.participant_a.pk).delete()


def test_audit_entries_cannot_be_changed_or_removed(world):
    entry = AuditEntry.objects.create(username="x", action="view", participant_id=1)
    entry.action = "list"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_on_postgresql_not_even_raw_sql_can_rewrite_an_event(world):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the database trigger exists on PostgreSQL only")
    for sql in ("UPDATE pathways_pathwayevent SET kind = 'exit'",
                "DELETE FROM pathways_pathwayevent",
                "DELETE FROM audit_auditentry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql)
    assert PathwayEvent.objects.count() == 2

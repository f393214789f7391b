"""The audit log: every read of personal data, by whom, when, from where, on every channel."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brobygger.web.accounts.models import ApiToken
from brobygger.web.audit.models import AuditEntry


def test_a_detail_view_a_list_and_an_api_read_each_leave_a_row(world):
    client = world.client_for("owner")
    client.get(reverse("participant-list"))
    client.get(reverse("participant-detail", args=[world.participant_a.pk]))
    _, token = ApiToken.issue(world.owner, "test")
    Client = type(client)
    Client().get(f"/api/participants/{world.participant_a.pk}",
                 HTTP_AUTHORIZATION=f"Bearer {token}")
    rows = list(AuditEntry.objects.order_by("pk").values_list("action", "channel", "username"))
    assert rows == [("list", "web", "owner"), ("view", "web", "owner"), ("view", "api", "owner")]


def test_the_audit_log_survives_erasure_and_keeps_the_participant_id(world):
    world.client_for("owner").get(reverse("participant-detail", args=[world.participant_a.pk]))
    world.client_for("manager").post(reverse("participant-erase", args=[world.participant_a.pk]))
    actions = set(AuditEntry.objects.filter(participant_id=world.participant_a.pk)
                  .values_list("action", flat=True))
    assert actions == {"view", "erase"}


def test_registering_an_event_is_recorded_as_a_change(world):
    world.client_for("owner").post(
        reverse("event-create", args=[world.participant_a.pk]),
        {"kind": "induction_start", "occurred_on": "2019-04-01"},
    )
    assert AuditEntry.objects.filter(action="change", username="owner").count() == 1


def test_a_read_of_many_participants_leaves_a_row_each_with_time_user_and_address(
        world, rf):
    from django.utils import timezone

    from brobygger.web.audit import log

    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    request.user = world.owner
    ids = list(range(1, 208))
    before = timezone.now()
    log.record(request, "list", ids, channel="export")
    log.record(request, "list", [])  # nothing to write
    rows = list(AuditEntry.objects.order_by("participant_id").values_list(
        "participant_id", "action", "channel", "username", "user_id", "ip", "at"))
    assert [r[0] for r in rows] == ids
    assert {r[1:6] for r in rows} == {("list", "export", "owner", world.owner.pk, "10.1.2.3")}
    assert all(before <= r[6] <= timezone.now() for r in rows)


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (0, "203.0.113.9", "127.0.0.1"),            # no proxy trusted: the connection's
    (1, "203.0.113.9", "203.0.113.9"),          # the address the proxy saw
    (1, "10.9.9.9, 203.0.113.9", "203.0.113.9"),  # what the caller wrote before it ignored
    (2, "203.0.113.9, 10.0.0.2", "203.0.113.9"),  # two proxies
    (2, "10.0.0.2", "127.0.0.1"),               # fewer hops than proxies: not believed
    (1, "not-an-address", "127.0.0.1"),
    (1, "2001:db8::1", "2001:db8::1"),
])
def test_the_caller_s_address_is_read_behind_the_trusted_proxies(rf, settings, proxies,
                                                                 forwarded, expected):
    from brobygger.web.audit.log import client_ip

    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected

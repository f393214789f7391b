"""Write audit entries. Every read of personal data goes through :func:`record`."""

from __future__ import annotations

from collections.abc import Iterable

from brobygger.web.audit.models import Action, AuditEntry, Channel


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def record(request, action: Action | str, participant_ids: Iterable[int], *,
           channel: Channel = Channel.WEB) -> None:
    user = request.user
    ip = client_ip(request)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(user_id=user.pk, username=user.get_username(), action=action,
                       participant_id=pid, ip=ip, channel=channel)
            for pid in participant_ids
        ]
    )

"""Write audit entries. Every read of personal data goes through :func:`record`."""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Iterable

from django.conf import settings

from brobygger.web.audit.models import Action, AuditEntry, Channel


def client_ip(request) -> str | None:
    """The address the request came from. Behind ``settings.TRUSTED_PROXIES`` reverse
    proxies, each appending the address it was called from to ``X-Forwarded-For``, it is
    the one the outermost proxy saw (the entries before it are the caller's to write, and
    not trusted); without proxies, or when that entry is missing or not an address, the
    connection's own (``REMOTE_ADDR``)."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(hops) >= proxies:
            with contextlib.suppress(ValueError):
                return str(ipaddress.ip_address(hops[-proxies].strip()))
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

"""Failed-login throttling, stored in the database so every gunicorn worker sees it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from brobygger.web.accounts.models import FailedLogin


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def is_locked(username: str, ip: str | None) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    recent = FailedLogin.objects.filter(at__gte=_window_start())
    if recent.filter(username=username.lower()).count() >= limit:
        return True
    return ip is not None and recent.filter(ip=ip).count() >= 4 * limit


def record_failure(username: str, ip: str | None) -> None:
    FailedLogin.objects.create(username=username.lower()[:150], ip=ip)


def clear(username: str) -> None:
    FailedLogin.objects.filter(Q(username=username.lower()) | Q(at__lt=_window_start())).delete()

"""Memberships (user, organisation, role), API tokens and failed-login records."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from brobygger.web.registry.models import Organisation


class Role(models.TextChoices):
    READ_ONLY = "read_only", _("read-only")
    CASEWORKER = "caseworker", _("caseworker")
    MANAGER = "manager", _("manager")


#: a role may do what every role before it may do
ROLE_RANK = {Role.READ_ONLY: 0, Role.CASEWORKER: 1, Role.MANAGER: 2}


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its SHA-256 is stored; the token is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(_("SHA-256 digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user}: {self.name}"

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        raw = "bro_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=_digest(raw)), raw

    @classmethod
    def user_for(cls, raw: str):
        token = (
            cls.objects.select_related("user")
            .filter(digest=_digest(raw), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        return token.user if token else None


class FailedLogin(models.Model):
    """One failed login; recent rows per user name and address decide the throttle."""

    username = models.CharField(_("user name"), max_length=150, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed login")
        verbose_name_plural = _("failed logins")

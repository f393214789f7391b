"""Issue an API token for a user and print it once (only its hash is stored)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from brobygger.web.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Issue a REST API token for USERNAME; it is printed once and cannot be shown again."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="cli", help="what the token is for")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user named {username!r}")
        _, raw = ApiToken.issue(user, name)
        self.stdout.write(raw)

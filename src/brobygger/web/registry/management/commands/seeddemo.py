"""Fill the database with the synthetic demo programme and print the demo logins."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from brobygger.web import demo


class Command(BaseCommand):
    help = ("Create a synthetic programme (12 municipalities, 18 partnerships, ~148 fictitious "
            "participants with pathways, growth figures) and demo users for every role.")

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=148)
        parser.add_argument("--seed", type=int, default=2018)
        parser.add_argument("--force", action="store_true",
                            help="allow demo users with a known password without DEBUG")

    def handle(self, *args, participants, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("demo users have a published password: run with DEBUG=1 "
                               "(or --force on a throw-away database)")
        try:
            result = demo.seed_demo(participants=participants, seed=seed)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{result.participants} participants and {result.events} events in "
                          f"{result.programme.partnerships.count()} partnerships")
        for warning in result.warnings:
            self.stderr.write(warning)
        self.stdout.write(demo.logins_text())

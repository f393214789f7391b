"""One command for a first look: migrate, fill the demo data once, print the logins, serve."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from brobygger.web import demo


class Command(BaseCommand):
    help = ("Start the web app with the demo programme on the configured database (SQLite by "
            "default): migrate, seed the demo data if missing, print the logins, run the server.")

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        if not settings.DEBUG:
            raise CommandError("servedemo is for development: run it with DEBUG=1")
        call_command("migrate", verbosity=0)
        if not demo.demo_present():
            result = demo.seed_demo()
            self.stdout.write(f"Demo data: {result.participants} participants, "
                              f"{result.events} events.")
            # the results so far, settled into the ledger the business-case pages read
            call_command("settlelive", verbosity=0)
        self.stdout.write(demo.logins_text())
        self.stdout.write(f"Open http://{addrport}/ (Ctrl-C stops the server)")
        call_command("runserver", addrport, use_reloader=False)

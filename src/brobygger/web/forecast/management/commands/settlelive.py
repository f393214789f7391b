"""Settle the live registry into the ledger the forecast page reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from brobygger.web.forecast import services


class Command(BaseCommand):
    help = ("Settle every contract's partnerships from the registry's verified events up to "
            "the last complete month (the core's settlement), into VAR_DIR/ledger.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="today, YYYY-MM-DD (default: today)")
        parser.add_argument("--ledger", help="ledger directory (default: VAR_DIR/ledger)")
        parser.add_argument("--dry-run", action="store_true", help="settle but write nothing")
        parser.add_argument("--forecast", action="store_true",
                            help="also compute the forecast of the data date afresh and "
                            "cache it")

    def handle(self, *args, as_of, ledger, dry_run, forecast, **options):
        try:
            day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}") from exc
        results = services.settle_registry(day, Path(ledger) if ledger else None,
                                           write=not dry_run)
        failed = False
        for r in results:
            if r.problems:
                failed = True
                self.stderr.write(f"contract {r.contract}, {r.period}: "
                                  f"{len(r.problems)} problem(s)")
                for p in r.problems:
                    self.stderr.write(f"  {p}")
            else:
                verb = "would add" if dry_run else "added"
                self.stdout.write(f"contract {r.contract}, {r.period}: {verb} "
                                  f"{r.new_entries} transaction(s)")
        if not results:
            self.stdout.write("no contract with partnerships and events: nothing to settle")
        if failed:
            raise CommandError("settlement failed; nothing was written for those contracts")
        if forecast:
            data = services.forecast(services.current_key(day), refresh=True)
            self.stdout.write(f"forecast {data['run']['digest']} cached "
                              f"({data['run']['seconds']} s)")

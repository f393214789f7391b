"""Write the registry's events as a core event file, ready for ``brobygger settle``."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from brobygger.web.pathways import coreevents
from brobygger.web.pathways.models import Participant
from brobygger.web.registry.models import Partnership


class Command(BaseCommand):
    help = ("Export the events that count (no CPR numbers: participants by reference) in the "
            "core's event-file schema, for `brobygger settle`.")

    def add_arguments(self, parser):
        parser.add_argument("--partnership", type=int, action="append",
                            help="partnership id (repeatable); default: all")
        parser.add_argument("--output", "-o", help="CSV file (default: standard output)")

    def handle(self, *args, partnership, output, **options):
        partnerships = Partnership.objects.select_related("municipality__municipality")
        if partnership:
            partnerships = partnerships.filter(pk__in=partnership)
            if partnerships.count() != len(set(partnership)):
                raise CommandError("unknown partnership id")
        participants = Participant.objects.filter(partnership__in=partnerships)
        rows = coreevents.records(participants, list(partnerships))
        if output:
            with open(output, "w", newline="", encoding="utf-8") as fh:
                coreevents.write_csv(rows, fh)
            self.stderr.write(f"{len(rows)} events written to {output}")
        else:
            coreevents.write_csv(rows, sys.stdout)

"""Load (or refresh) the 98 municipalities from the core's register."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from brobygger.errors import BrobyggerError
from brobygger.web.registry.models import Municipality


def load_municipalities() -> tuple[int, int]:
    """Insert new municipalities and update changed ones; returns (created, updated)."""
    from brobygger.municipalities import municipalities

    created = updated = 0
    with transaction.atomic():
        existing = {m.code: m for m in Municipality.objects.all()}
        for m in municipalities():
            row = existing.get(m.code)
            if row is None:
                Municipality.objects.create(code=m.code, name=m.name, region=m.region)
                created += 1
            elif (row.name, row.region) != (m.name, m.region):
                row.name, row.region = m.name, m.region
                row.save(update_fields=["name", "region"])
                updated += 1
    return created, updated


class Command(BaseCommand):
    help = "Load the 98 Danish municipalities (code, name, region) from brobygger's register."

    def handle(self, *args, **options):
        try:
            created, updated = load_municipalities()
        except BrobyggerError as exc:
            raise CommandError(str(exc)) from exc
        total = Municipality.objects.count()
        self.stdout.write(f"{created} created, {updated} updated, {total} municipalities in all")

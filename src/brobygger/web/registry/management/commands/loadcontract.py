"""Store a rate card (from a contract file or a scenario file) and attach it to partnerships."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from brobygger.errors import BrobyggerError
from brobygger.web.registry.contracts import contract_problems, read_contract
from brobygger.web.registry.models import Contract, Partnership, Programme


class Command(BaseCommand):
    help = ("Store the rate card of a contract or scenario file (default: the shipped default "
            "scenario) for a programme and attach it to its partnerships.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="contract or scenario YAML file")
        parser.add_argument("--programme", help="programme name (default: the only one)")
        parser.add_argument("--partnership", type=int, action="append",
                            help="partnership id (repeatable); default: all of the programme")

    def handle(self, *args, path, programme, partnership, **options):
        try:
            spec = read_contract(path)
        except BrobyggerError as exc:
            raise CommandError(str(exc)) from exc
        problems = contract_problems(spec)
        if problems:
            raise CommandError("\n".join(problems))
        programmes = Programme.objects.filter(name=programme) if programme else Programme.objects
        if programmes.count() != 1:
            raise CommandError("name the programme with --programme")
        prog = programmes.get()
        targets = Partnership.objects.filter(programme=prog)
        if partnership:
            targets = targets.filter(pk__in=partnership)
            if targets.count() != len(set(partnership)):
                raise CommandError("some partnership ids are not in this programme")
        with transaction.atomic():
            contract, created = Contract.objects.update_or_create(
                programme=prog, code=spec["id"], defaults={"label": spec["label"], "spec": spec}
            )
            n = targets.update(contract=contract)
        verb = "stored" if created else "updated"
        self.stdout.write(f"contract {contract.code} {verb}, attached to {n} partnerships")

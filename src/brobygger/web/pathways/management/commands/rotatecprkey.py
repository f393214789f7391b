"""Re-encrypt every CPR number (and re-compute its fingerprint) under a new key.

The new key is read from an environment variable, never from the command line (which would
leave it in the shell history and the process list). Afterwards, set BROBYGGER_CPR_KEY to
the new key and restart; until then the running app cannot read what was re-encrypted, so
rotate during a maintenance window.
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from brobygger.web.lib.crypto import CprKeyError, CprVault
from brobygger.web.pathways.cpr import vault
from brobygger.web.pathways.models import Participant


class Command(BaseCommand):
    help = "Re-encrypt all CPR numbers under the key in $BROBYGGER_NEW_CPR_KEY (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--new-key-variable", default="BROBYGGER_NEW_CPR_KEY",
                            help="the environment variable holding the new key")

    def handle(self, *args, new_key_variable, **options):
        raw = os.environ.get(new_key_variable, "")
        try:
            new = CprVault(raw)
        except CprKeyError as exc:
            raise CommandError(f"{new_key_variable}: {exc}") from None
        old = vault()
        changed = []
        with transaction.atomic():
            rows = Participant.objects.select_for_update().exclude(cpr_ciphertext="")
            for p in rows.only("pk", "cpr_ciphertext", "cpr_fingerprint").iterator(chunk_size=2000):
                try:
                    digits = old.decrypt(p.cpr_ciphertext)
                except CprKeyError:
                    raise CommandError(f"participant {p.reference}: cannot decrypt with the "
                                       "current BROBYGGER_CPR_KEY; nothing was changed") from None
                p.cpr_ciphertext = new.encrypt(digits)
                p.cpr_fingerprint = new.fingerprint(digits)
                changed.append(p)
            Participant.objects.bulk_update(changed, ["cpr_ciphertext", "cpr_fingerprint"],
                                            batch_size=2000)
        self.stdout.write(f"{len(changed)} CPR numbers re-encrypted; now set BROBYGGER_CPR_KEY "
                          f"to the new key and restart")

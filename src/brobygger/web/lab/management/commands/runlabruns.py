"""``manage.py runlabruns``: run the scenario lab's pending runs in this process, then stop."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from brobygger.web.lab.worker import requeue_stale, run_next


class Command(BaseCommand):
    help = "Run the scenario lab's pending background runs, oldest first, until none is left."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--requeue", action="store_true",
            help="first put runs left 'running' by a stopped process back in the queue "
                 "(only when no web process is running them)")

    def handle(self, *args, requeue: bool = False, **options) -> None:
        if requeue:
            self.stdout.write(f"requeued {requeue_stale()} run(s)")
        count = 0
        while run_next():
            count += 1
        self.stdout.write(f"ran {count} run(s)")

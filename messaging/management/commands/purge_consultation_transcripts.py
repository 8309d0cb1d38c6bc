from typing import Any

from django.core.management.base import BaseCommand

from messaging.consultation import anonymous_visits_purge


class Command(BaseCommand):
    help = "Delete anonymous consultation-hour conversations older than the organisation's retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Removed {anonymous_visits_purge()} anonymous visit(s).")

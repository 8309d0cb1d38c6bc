from typing import Any

from django.core.management.base import BaseCommand

from exports.services import export_purge


class Command(BaseCommand):
    help = "Delete data exports whose download time has passed (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = export_purge()
        self.stdout.write(f"{count} export(s) deleted")

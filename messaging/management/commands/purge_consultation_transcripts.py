from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Delete anonymous consultation-hour conversations past the organisation's retention period "
        "(the retention engine's class consultation_chats; purge_retention does this with every class)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("purge_retention", record_class=["consultation_chats"], stdout=self.stdout)

from typing import Any

from django.core.management.base import BaseCommand

from messaging.tasks import message_notifications_send


class Command(BaseCommand):
    help = "Send the notifications held back during quiet hours (run every few minutes from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = message_notifications_send.call()
        self.stdout.write(f"Sent {sent} notification(s).")

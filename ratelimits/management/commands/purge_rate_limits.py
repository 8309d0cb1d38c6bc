from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from samenspraak.ratelimit import purge_expired


class Command(BaseCommand):
    help = "Delete ended rate-limit windows and expired cache rows (also done on about one hit in 200)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired()
        self.stdout.write(f"{deleted} expired rows deleted.")

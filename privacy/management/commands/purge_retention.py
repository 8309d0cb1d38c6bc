"""Destroy what is past its retention period (``privacy.retention``).

One pass purges every organisation by its own periods and prints what was
destroyed, what a legal hold kept and what is due but cannot be destroyed
yet (the access log). ``--dry-run`` only shows what would go. ``--loop``
repeats the pass every hour until stopped; ``make run`` starts it beside
the development server; in production run it daily (cron or a systemd
timer) or keep the loop running as a service.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

from organisations.models import Organisation
from privacy.retention import PurgeReport, retention_plan, retention_purge
from samenspraak.retention import record_class_get

logger = logging.getLogger(__name__)

LOOP_SECONDS = 3600


class Command(BaseCommand):
    help = "Destroy records past their retention period; --dry-run shows, --loop repeats every hour."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Repeat every hour until stopped.")
        parser.add_argument("--dry-run", action="store_true", help="Only show what would be destroyed.")
        parser.add_argument(
            "--class", dest="record_class", action="append", help="Only this record class (repeatable)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        codes = options["record_class"]
        for code in codes or []:
            if record_class_get(code) is None:
                raise CommandError(f"Unknown record class {code!r}.")
        if options["dry_run"]:
            self._dry_run(codes)
            return
        if not options["loop"]:
            self._report(retention_purge(codes=codes))
            return
        self.stdout.write(f"Purging records past their retention period every {LOOP_SECONDS} seconds.")
        try:
            while True:
                close_old_connections()
                try:
                    self._report(retention_purge(codes=codes))
                except Exception:
                    # A database that is briefly away must not end the loop.
                    logger.exception("The retention purge failed")
                time.sleep(LOOP_SECONDS)
        except KeyboardInterrupt:
            return

    def _report(self, report: PurgeReport) -> None:
        self.stdout.write(f"Destroyed {report.destroyed_total} unit(s).")
        for code, count in sorted(report.destroyed.items()):
            self.stdout.write(f"  {code}: {count} destroyed")
        for code, count in sorted(report.held.items()):
            self.stdout.write(f"  {code}: {count} kept under a legal hold")
        for code, count in sorted(report.not_supported.items()):
            self.stdout.write(f"  {code}: {count} past their date; destroying is not supported yet (reported only)")

    def _dry_run(self, codes: list[str] | None) -> None:
        for organisation in Organisation.objects.order_by("pk"):
            self.stdout.write(f"{organisation.slug}:")
            for plan in retention_plan(organisation_id=organisation.pk, codes=codes):
                line = f"  {plan.period.code}: {len(plan.due)} would be destroyed, {len(plan.held)} on hold"
                if plan.not_supported_count is not None:
                    line = f"  {plan.period.code}: {plan.not_supported_count} past their date (not supported yet)"
                self.stdout.write(line)

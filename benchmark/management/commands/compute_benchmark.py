"""``manage.py compute_benchmark [--quarter 2026Q3]``: compute and store the
benchmark in the background (cron or a systemd timer, e.g. nightly).

Without ``--quarter``: the quarter that ended last (published once, final;
skipped when it is already published) and the running quarter (computed
again each time, for each organisation's own view)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from benchmark.models import BenchmarkPeriod
from benchmark.quarters import Quarter, QuarterError
from benchmark.services import BenchmarkError, benchmark_compute


class Command(BaseCommand):
    help = "Compute the benchmark of a quarter (default: the last ended quarter, once, and the running one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quarter", help="for example 2026Q3")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["quarter"]:
            try:
                quarters = [Quarter.parse(options["quarter"])]
            except QuarterError as error:
                raise CommandError(str(error)) from error
        else:
            running = Quarter.containing(timezone.localdate())
            quarters = [running]
            if not BenchmarkPeriod.objects.filter(quarter=str(running.previous), is_final=True).exists():
                quarters.insert(0, running.previous)
        for quarter in quarters:
            try:
                period = benchmark_compute(quarter=quarter)
            except BenchmarkError as error:
                raise CommandError(str(error)) from error
            state = "final" if period.is_final else "running"
            self.stdout.write(f"{quarter}: computed ({state}), {period.cells.count()} cells")

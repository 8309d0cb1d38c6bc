"""The benchmark for ``make run``: the demo organisations' last ended
quarter (published, final) and the running one. The demo has few
residents with activity, so most cells are suppressed; the page says so,
which is the honest outcome."""

from __future__ import annotations

from django.utils import timezone

from benchmark.quarters import Quarter
from benchmark.services import benchmark_compute


def demo_benchmark_create() -> None:
    running = Quarter.containing(timezone.localdate())
    benchmark_compute(quarter=running.previous)
    benchmark_compute(quarter=running)

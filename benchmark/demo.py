"""The benchmark for ``make run``: the demo organisations' last ended
quarter (published, final) and the running one. The demo has few
residents with activity, so most cells are suppressed; the page says so,
which is the honest outcome."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import Role, User
from benchmark.quarters import Quarter
from benchmark.services import benchmark_compute

# Demo residents' birth years, in turn (every seventh has none): an
# optional field the worker fills in when inviting a resident.
DEMO_BIRTH_YEARS = (1961, 1987, 1999, 1948, 1975, 1938, None)


def demo_birth_years_set() -> None:
    """Give the demo residents birth years, so that the age bands of the
    benchmark have something to count (mostly suppressed: few residents)."""
    residents = User.objects.filter(role=Role.RESIDENT, birth_year__isnull=True).order_by("pk")
    for index, resident in enumerate(residents):
        year = DEMO_BIRTH_YEARS[index % len(DEMO_BIRTH_YEARS)]
        if year is not None:
            User.objects.filter(pk=resident.pk).update(birth_year=year)


def demo_benchmark_create() -> None:
    demo_birth_years_set()
    running = Quarter.containing(timezone.localdate())
    benchmark_compute(quarter=running.previous)
    benchmark_compute(quarter=running)

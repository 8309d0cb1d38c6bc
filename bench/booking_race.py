"""``make bench``: many residents race for the same free times.

Eight threads (each its own database connection) play eight residents of
one worker. Every thread tries to book every one of the worker's free
slots of the coming weeks, in its own random order, as fast as it can. We
count how many bookings succeeded (must equal the number of slots), how
many appointments hold each slot (must be one), and how long an attempt
takes. Figures go to ``bench/results.json`` under ``booking_race_<db>``.
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="samenspraak-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenspraak.settings_test")
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(WORKDIR / "bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # mail into memory: the bench measures booking, not SMTP

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

THREADS = int(os.environ.get("BENCH_THREADS", "8"))


def main() -> None:
    from appointments import booking, services
    from appointments.models import Appointment
    from appointments.selectors import free_slots_ahead
    from appointments.tests.factories import agree_all_kinds
    from organisations.demo import demo_organisation_create
    from organisations.models import CaseloadAssignment

    call_command("migrate", verbosity=0, interactive=False)
    demo = demo_organisation_create(slug=f"race{int(time.time())}", name="Race", resident_count=THREADS)
    worker = demo.workers[0]
    for resident in demo.residents:
        CaseloadAssignment.objects.get_or_create(resident=resident, worker=worker)
        agree_all_kinds(resident=resident, worker=worker)
    for weekday in range(5):
        services.availability_add(
            worker=worker, weekday=weekday, starts_at=clock(9), ends_at=clock(17), kinds=["phone"], location=None
        )
    services.booking_rules_set(worker=worker, buffer_minutes=0, max_per_day=20, slot_minutes=30)
    slots = [slot.value for day in free_slots_ahead(worker=worker, kind="phone", days=14) for slot in day.slots]
    connection.close()

    barrier = threading.Barrier(THREADS)
    timings: list[float] = []
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def resident_thread(resident: object, seed: int) -> None:
        order = slots[:]
        random.Random(seed).shuffle(order)  # noqa: S311 - an order, not a secret
        barrier.wait()
        for value in order:
            started = time.perf_counter()
            try:
                booking.appointment_book(resident=resident, worker=worker, kind="phone", starts=value)  # type: ignore[arg-type]
                outcome = "booked"
            except booking.BookingError:
                outcome = "refused"
            except Exception as exc:  # counted and reported, never hidden
                outcome = f"error:{type(exc).__name__}"
            with lock:
                timings.append((time.perf_counter() - started) * 1000)
                outcomes[outcome] += 1
        connection.close()

    threads = [threading.Thread(target=resident_thread, args=(r, i)) for i, r in enumerate(demo.residents)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    holding = Appointment.objects.holding_time().filter(worker=worker)
    per_start = Counter(holding.values_list("starts_at", flat=True))
    timings.sort()
    results = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "residents_racing": THREADS,
        "free_slots": len(slots),
        "attempts": sum(outcomes.values()),
        "outcomes": dict(outcomes),
        "appointments_holding_time": holding.count(),
        "slots_held_twice": sum(1 for n in per_start.values() if n > 1),
        "seconds": round(elapsed, 2),
        "attempts_per_second": round(sum(outcomes.values()) / elapsed, 1),
        "attempt_ms_p50": round(statistics.median(timings), 1),
        "attempt_ms_p99": round(timings[int(len(timings) * 0.99) - 1], 1),
    }
    out = ROOT / "bench" / "results.json"
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing[f"booking_race_{results['database']}"] = results
    out.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n")
    print(json.dumps(results, indent=2))
    if results["appointments_holding_time"] != len(slots) or results["slots_held_twice"]:
        raise SystemExit("Double booking or lost booking: see the figures above.")


if __name__ == "__main__":
    main()

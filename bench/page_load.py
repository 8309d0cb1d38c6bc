"""``make bench``: measure, on this machine, what the foundation costs.

- page latency and throughput through gunicorn (WSGI, 2 workers) on
  loopback: the sign-in page, the health check, a worker's caseload and
  day page, the resident's home page with news, case files and the agenda;
- access-log appends per second and the time to verify the hash chain.

Figures go to ``bench/results.json``. The load is bounded (a fixed number
of seconds, a fixed number of client threads) and only targets 127.0.0.1.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.mkdtemp(prefix="samenspraak-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenspraak.settings_test")
if not os.environ.get("DATABASE_URL"):
    os.environ["SQLITE_PATH"] = str(WORKDIR / "bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))


def free_port(port: int) -> int:
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", port)) != 0:
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def session_cookie_for(user: object) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)  # type: ignore[attr-defined]
    session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()  # type: ignore[attr-defined]
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def load(port: int, path: str, cookie: str = "") -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def worker() -> None:
        nonlocal errors
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"Cookie": cookie} if cookie else {}
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            elapsed = time.perf_counter() - start
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2) if latencies else 0.0

    return {
        "requests": len(latencies),
        "errors": errors,
        "requests_per_second": round(len(latencies) / SECONDS, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2) if latencies else 0.0,
    }


def populate_casefile(*, resident: Any, worker: Any, items: int) -> int:
    """A busy case file: ``items`` each of goals, notes and agreements."""
    from casefiles import services

    case = services.case_open(resident=resident, opened_by=worker)
    for i in range(items):
        services.goal_add(
            case=case, title=f"Doel {i}", description="", question=None, target_date=None, added_by=worker
        )
        services.note_add(case=case, body=f"Notitie {i}", is_shared=i % 2 == 0, author=worker)
        services.agreement_add(case=case, text=f"Afspraak {i}", added_by=worker)
    return items * 3


def bench_access_log(actor: Any, residents: Sequence[Any]) -> dict[str, float]:
    from audit.services import Access, access_log_record, access_log_verify

    count = 2000
    start = time.perf_counter()
    for i in range(count):
        resident = residents[i % len(residents)]
        access_log_record(actor=actor, accesses=[Access(resident, "resident", str(i), "view")])  # type: ignore[arg-type]
    append_seconds = time.perf_counter() - start
    start = time.perf_counter()
    access_log_record(
        actor=actor,  # type: ignore[arg-type]
        accesses=[Access(r, "resident", "list", "list") for r in residents],  # type: ignore[arg-type]
    )
    list_seconds = time.perf_counter() - start
    from audit.models import AccessLogEntry

    total = AccessLogEntry.objects.count()
    start = time.perf_counter()
    problems = access_log_verify()
    verify_seconds = time.perf_counter() - start
    return {
        "single_appends_per_second": round(count / append_seconds, 1),
        "batch_of_residents": len(residents),
        "batch_append_ms": round(list_seconds * 1000, 2),
        "entries_verified": total,
        "verify_seconds": round(verify_seconds, 3),
        "verify_entries_per_second": round(total / verify_seconds, 1) if verify_seconds else 0.0,
        "chain_intact": not problems,
    }


def populate_agenda(*, resident: Any, worker: Any, others: Sequence[Any]) -> int:
    """Weekday availability for ``worker``, every kind agreed for ``resident``,
    and confirmed appointments with other residents filling part of the
    coming two weeks (so the slot picker has to leave them out)."""
    from datetime import datetime, timedelta
    from datetime import time as clock

    from django.utils import timezone

    from appointments import services
    from appointments.models import Appointment
    from appointments.tests.factories import agree_all_kinds

    for weekday in range(5):
        services.availability_add(
            worker=worker,
            weekday=weekday,
            starts_at=clock(9),
            ends_at=clock(12),
            kinds=["video", "phone"],
            location=None,
        )
        services.availability_add(
            worker=worker,
            weekday=weekday,
            starts_at=clock(13),
            ends_at=clock(17),
            kinds=["video", "phone"],
            location=None,
        )
    agree_all_kinds(resident=resident, worker=worker)
    zone = timezone.get_current_timezone()
    day = timezone.localdate() + timedelta(days=1)
    made = 0
    while made < 30:
        if day.weekday() < 5:
            for hour in (9, 14, 15):
                starts = datetime.combine(day, clock(hour), tzinfo=zone)
                Appointment.objects.create(
                    organisation_id=worker.organisation_id,
                    worker=worker,
                    resident=others[made % len(others)],
                    kind="phone",
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=45),
                    status="confirmed",
                    created_by=worker,
                )
                made += 1
        day += timedelta(days=1)
    return made


def main() -> None:
    from organisations.demo import demo_organisation_create

    call_command("migrate", verbosity=0, interactive=False)
    demo = demo_organisation_create(slug=f"bench{int(time.time())}", name="Bench", resident_count=200)
    worker = demo.workers[0]
    resident = demo.residents[0]
    cookie = session_cookie_for(worker)
    resident_cookie = session_cookie_for(resident)
    casefile_items = populate_casefile(resident=resident, worker=worker, items=30)
    booked = populate_agenda(resident=resident, worker=worker, others=demo.residents[4:40:4])

    port = free_port(PORT)
    env = dict(os.environ)
    server = subprocess.Popen(  # noqa: S603 - fixed argv, loopback only
        [
            sys.executable,
            "-m",
            "gunicorn",
            "samenspraak.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/health/")
                break
            except OSError:
                time.sleep(0.1)
        load(port, "/health/")  # warm-up
        pages = {
            "sign_in_page": load(port, "/accounts/login/"),
            "health": load(port, "/health/"),
            "caseload_50_residents": load(port, "/werk/", cookie),
            "worker_day_50_residents": load(port, "/werk/vandaag/", cookie),
            "resident_home_with_news": load(port, "/mijn/", resident_cookie),
            f"staff_dossier_{casefile_items}_items": load(
                port, f"/werk/inwoners/{resident.public_id}/dossier/", cookie
            ),
            f"resident_dossier_{casefile_items}_items": load(port, "/mijn/dossier/", resident_cookie),
            f"slot_picker_28_days_{booked}_booked": load(port, "/afspraken/maken/?soort=video", resident_cookie),
            f"agenda_week_{booked}_appointments": load(port, "/werk/agenda/?weergave=week", cookie),
        }
    finally:
        server.terminate()
        server.wait(timeout=10)

    results = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "server": "gunicorn WSGI, 2 workers",
        "load": {"seconds_per_page": SECONDS, "client_threads": THREADS},
        "pages": pages,
        "access_log": bench_access_log(worker, demo.residents),
    }
    out = ROOT / "bench" / "results.json"
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing[f"foundation_{results['database']}"] = results
    out.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

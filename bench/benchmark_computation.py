"""``make bench``: the benchmark computation (``benchmark_raw_cells``: the
capabilities' aggregate selectors, nine grouped queries) on a large
dataset, next to hand-written SQL for the same figures. Target: the ORM
takes at most 1.5 times as long as the hand-written SQL.

The dataset: ``BENCH_ORGANISATIONS`` organisations (default 5) with
``BENCH_RESIDENTS`` residents each (default 2,000), each resident with a
case, a blend plan, one or two appointments, two messages, a
consultation-hour chat and two signed-off ZRMs of 13 scores (about 10,000
residents, 15,000 appointments, 20,000 messages and 260,000 scores by
default). Figures go to ``bench/results-benchmark.json``.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import tempfile
import time
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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

ORGANISATIONS = int(os.environ.get("BENCH_ORGANISATIONS", "5"))
RESIDENTS = int(os.environ.get("BENCH_RESIDENTS", "2000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))

SUPPORTED = "SELECT resident_id FROM casefiles_case WHERE opened_at < %(ends)s AND (closed_at IS NULL OR closed_at >= %(starts)s)"


def _minutes(a: str, b: str) -> str:
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM ({b} - {a})) / 60"
    return f"(julianday({b}) - julianday({a})) * 1440"


def hand_written_sql() -> list[str]:
    """The same figures as ``benchmark_raw_cells``, written by hand."""
    wait = _minutes("created_at", "picked_up_at")
    percentile = f"""
        SELECT organisation_id, wait FROM (
            SELECT organisation_id, {wait} AS wait,
                   ROW_NUMBER() OVER (PARTITION BY organisation_id ORDER BY {wait}, id) AS position,
                   COUNT(*) OVER (PARTITION BY organisation_id) AS size
            FROM messaging_consultationvisit
            WHERE created_at >= %(starts)s AND created_at < %(ends)s AND picked_up_at IS NOT NULL
        ) ranked WHERE position >= size * {{fraction}} AND position < size * {{fraction}} + 1"""  # noqa: S608 - fixed text
    held = "starts_at >= %(starts)s AND starts_at < %(ends)s AND status IN ('confirmed', 'no_show')"
    appointment_figures = """COUNT(*), SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END),
        SUM(CASE WHEN status = 'no_show' THEN 1 ELSE 0 END), COUNT(DISTINCT resident_id)"""
    return [
        """SELECT organisation_id, COUNT(DISTINCT resident_id),
                  SUM(CASE WHEN opened_at >= %(starts)s THEN 1 ELSE 0 END),
                  COUNT(DISTINCT CASE WHEN opened_at >= %(starts)s THEN resident_id END),
                  SUM(CASE WHEN closed_at >= %(starts)s AND closed_at < %(ends)s THEN 1 ELSE 0 END),
                  COUNT(DISTINCT CASE WHEN closed_at >= %(starts)s AND closed_at < %(ends)s THEN resident_id END)
           FROM casefiles_case WHERE opened_at < %(ends)s AND (closed_at IS NULL OR closed_at >= %(starts)s)
           GROUP BY organisation_id""",
        f"""SELECT u.organisation_id, COUNT(DISTINCT p.resident_id)
            FROM blend_blendagreement a JOIN blend_blendplan p ON p.id = a.plan_id
            JOIN accounts_user u ON u.id = p.resident_id
            WHERE a.channel IN ('chat', 'diary', 'elearning', 'video') AND p.resident_id IN ({SUPPORTED})
            GROUP BY u.organisation_id""",  # noqa: S608 - fixed text
        f"SELECT organisation_id, kind, {appointment_figures} FROM appointments_appointment WHERE {held} GROUP BY organisation_id, kind",  # noqa: S608
        f"SELECT organisation_id, {appointment_figures} FROM appointments_appointment WHERE {held} GROUP BY organisation_id",  # noqa: S608
        """SELECT c.organisation_id, COUNT(*), COUNT(DISTINCT c.resident_id)
           FROM messaging_message m JOIN messaging_conversation c ON c.id = m.conversation_id
           WHERE m.created_at >= %(starts)s AND m.created_at < %(ends)s AND m.deleted_at IS NULL AND c.kind = 'direct'
           GROUP BY c.organisation_id""",
        """SELECT organisation_id, COUNT(*), COUNT(DISTINCT visitor_id),
                  SUM(CASE WHEN picked_up_at IS NOT NULL THEN 1 ELSE 0 END),
                  COUNT(DISTINCT CASE WHEN picked_up_at IS NOT NULL THEN visitor_id END)
           FROM messaging_consultationvisit WHERE created_at >= %(starts)s AND created_at < %(ends)s
           GROUP BY organisation_id""",
        percentile.replace("{fraction}", "0.5"),
        percentile.replace("{fraction}", "0.9"),
        f"""WITH m AS (
                SELECT me.id, me.resident_id,
                       ROW_NUMBER() OVER (PARTITION BY me.resident_id ORDER BY me.measured_on, me.created_at, me.id) AS first_rank,
                       ROW_NUMBER() OVER (PARTITION BY me.resident_id ORDER BY me.measured_on DESC, me.created_at DESC, me.id DESC) AS last_rank
                FROM outcomes_measurement me
                JOIN outcomes_instrumentversion v ON v.id = me.version_id
                JOIN outcomes_instrument i ON i.id = v.instrument_id
                WHERE i.kind = 'matrix' AND me.status = 'signed_off' AND me.resident_id IN ({SUPPORTED})
            ),
            firsts AS (SELECT resident_id, id FROM m WHERE first_rank = 1),
            lasts AS (SELECT resident_id, id FROM m WHERE last_rank = 1)
            SELECT u.organisation_id, il.domain, SUM(sl.value - sf.value), COUNT(DISTINCT l.resident_id)
            FROM lasts l JOIN firsts f ON f.resident_id = l.resident_id AND f.id <> l.id
            JOIN outcomes_score sl ON sl.measurement_id = l.id JOIN outcomes_item il ON il.id = sl.item_id
            JOIN outcomes_score sf ON sf.measurement_id = f.id JOIN outcomes_item iff ON iff.id = sf.item_id AND iff.domain = il.domain
            JOIN accounts_user u ON u.id = l.resident_id
            WHERE sl.value IS NOT NULL AND sf.value IS NOT NULL
            GROUP BY u.organisation_id, il.domain""",  # noqa: S608 - fixed text
    ]


def _median_seconds(run: Any) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    from benchmark.quarters import Quarter
    from benchmark.services import benchmark_raw_cells
    from benchmark.tests.builders import QUARTER_MOMENT, activity_add, residents_add
    from organisations.demo import demo_organisation_create

    call_command("migrate", verbosity=0, interactive=False)
    stamp = int(time.time())
    started = time.perf_counter()
    ids = []
    for number in range(ORGANISATIONS):
        demo = demo_organisation_create(slug=f"bench{stamp}-{number}", name=f"Bench {number}", resident_count=0)
        people = residents_add(organisation=demo.organisation, count=RESIDENTS, prefix=f"bench{stamp}-{number}")
        activity_add(demo=demo, residents=people, moment=QUARTER_MOMENT)
        ids.append(demo.organisation.pk)
    built = time.perf_counter() - started
    quarter = Quarter(2026, 2)
    parameters = {"starts": quarter.starts, "ends": quarter.ends}
    statements = hand_written_sql()

    def orm() -> None:
        benchmark_raw_cells(quarter=quarter, organisation_ids=ids)

    def sql() -> None:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, parameters)
                cursor.fetchall()

    orm()
    sql()  # warm-up: both read the same pages
    orm_seconds = _median_seconds(orm)
    sql_seconds = _median_seconds(sql)
    results = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "dataset": {
            "organisations": ORGANISATIONS,
            "residents_per_organisation": RESIDENTS,
            "build_seconds": round(built, 1),
        },
        "rounds": ROUNDS,
        "benchmark_computation_orm_seconds": round(orm_seconds, 4),
        "hand_written_sql_seconds": round(sql_seconds, 4),
        "ratio": round(orm_seconds / sql_seconds, 2),
        "target_ratio": 1.5,
    }
    print(json.dumps(results, indent=2))
    out = ROOT / "bench" / "results-benchmark.json"
    existing = json.loads(out.read_text()) if out.exists() else {}
    existing[results["database"]] = results
    out.write_text(json.dumps(existing, indent=2) + "\n")


if __name__ == "__main__":
    main()

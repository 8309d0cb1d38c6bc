"""The published benchmark as CSV (formula-safe), XLSX and JSON. All three
carry the same cells: what the viewer may see, never a resident. The JSON
is documented field by field in ``docs/benchmark.md``."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.table import Table, TableStyleInfo

from benchmark.disclosure import MIN_ORGANISATIONS, NOISE_CAP, THRESHOLD
from benchmark.metrics import NOT_YET_AVAILABLE
from benchmark.selectors import Benchmark
from samenspraak.spreadsheet import csv_cell_safe

COLUMNS = [
    "kwartaal",
    "cijfer",
    "omschrijving",
    "onderverdeling",
    "organisatie",
    "eigen_organisatie",
    "waarde",
    "eenheid",
    "afgeschermd",
    "groep_organisaties",
    "groep_eerste_kwartiel",
    "groep_mediaan",
    "groep_derde_kwartiel",
]


def benchmark_rows(benchmark: Benchmark) -> list[list[Any]]:
    """One row per figure and organisation, with the group's figures."""
    rows = []
    for figure in benchmark.figures:
        for row in figure.rows:
            rows.append(
                [
                    benchmark.period.quarter,
                    figure.metric.code,
                    str(figure.metric.label),
                    figure.dimension_label,
                    row.name,
                    "ja" if row.is_own else "nee",
                    row.value,
                    str(figure.metric.unit),
                    row.suppression,
                    figure.organisations,
                    figure.lower_quartile,
                    figure.median,
                    figure.upper_quartile,
                ]
            )
    return rows


def benchmark_csv(benchmark: Benchmark) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    for row in benchmark_rows(benchmark):
        writer.writerow([csv_cell_safe(str(value)) if isinstance(value, str) else value for value in row])
    return out.getvalue()


def benchmark_xlsx(benchmark: Benchmark) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"Benchmark {benchmark.period.quarter}"
    sheet.append(COLUMNS)
    rows = benchmark_rows(benchmark)
    for row in rows:
        # A text cell is never taken for a formula: openpyxl would store
        # "=..." as one, so such text gets the same quote as in the CSV.
        sheet.append([csv_cell_safe(value) if isinstance(value, str) else value for value in row])
    if rows:
        table = Table(displayName="Benchmark", ref=f"A1:M{len(rows) + 1}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        sheet.add_table(table)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def benchmark_json(benchmark: Benchmark) -> dict[str, Any]:
    return {
        "quarter": benchmark.period.quarter,
        "is_final": benchmark.period.is_final,
        "computed_at": benchmark.period.computed_at.isoformat(),
        "rules": {
            "minimum_residents_per_cell": THRESHOLD,
            "minimum_organisations_for_group_figures": MIN_ORGANISATIONS,
            "noise_cap": NOISE_CAP,
        },
        "figures": [
            {
                "metric": figure.metric.code,
                "label": str(figure.metric.label),
                "dimension": figure.dimension,
                "dimension_label": figure.dimension_label,
                "kind": figure.metric.kind.value,
                "unit": str(figure.metric.unit),
                "group": {
                    "organisations": figure.organisations,
                    "lower_quartile": figure.lower_quartile,
                    "median": figure.median,
                    "upper_quartile": figure.upper_quartile,
                },
                "organisations": [
                    {
                        "name": row.name,
                        "is_own": row.is_own,
                        "value": row.value,
                        "suppressed": row.suppression or None,
                    }
                    for row in figure.rows
                ],
            }
            for figure in benchmark.figures
        ],
        "not_yet_available": {code: str(text) for code, text in NOT_YET_AVAILABLE.items()},
    }

"""CSV files people open in a spreadsheet program."""

from __future__ import annotations

# A cell starting with one of these is run as a formula by spreadsheet
# programs (CSV injection); a tab or carriage return can hide one.
FORMULA_STARTS = frozenset({"=", "+", "-", "@", "\t", "\r"})


def csv_cell_safe(value: str) -> str:
    """``value`` as text in a spreadsheet: a quote in front of a cell that
    would otherwise be run as a formula."""
    return "'" + value if value[:1] in FORMULA_STARTS else value

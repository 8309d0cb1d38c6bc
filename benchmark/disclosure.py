"""Statistical disclosure control for the benchmark: which cells may be
published, and with what value. Pure functions over plain data, so the
property-based test can throw any data at them.

The rules (``docs/benchmark.md`` explains them for readers):

1. **Small cells.** A cell that rests on fewer than ``THRESHOLD`` (10)
   residents is not published (``small``).
2. **Secondary suppression.** Cells of an additive group (appointments per
   kind, which add up to all appointments) could be found back by
   subtracting the published ones from the published total. When a member
   is suppressed and the total is published, the smallest published member
   is suppressed as well (``secondary``); it rests on at least
   ``THRESHOLD`` residents, so whatever can be subtracted from the total
   always rests on at least that many.
3. **Group figures** (median and quartiles over organisations) use only
   the organisations whose own cell is published, and only when there are
   at least ``MIN_ORGANISATIONS`` (3) of them.
4. **Noise.** Every published number gets a small whole-number
   perturbation drawn from a two-sided geometric distribution (half the
   chance for every step further from zero, never more than
   ``NOISE_CAP``), keyed by a keyed hash (HMAC) of the cell's own content.
   The same data always gives the same number, so computing again teaches
   nothing; data that differ by one resident give a fresh draw, so the
   difference between two publications never pins down one resident's
   value: every other value is still possible.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

THRESHOLD = 10
MIN_ORGANISATIONS = 3
NOISE_CAP = 40
NOISE_RATIO = 0.5


class Kind(StrEnum):
    COUNT = "count"  # a number of things; ``total`` is the count
    SHARE = "share"  # a percentage; ``total`` of ``denominator``
    AVERAGE = "average"  # ``total`` is the sum over ``residents``
    MINUTES = "minutes"  # ``total`` is a wait in whole minutes (a percentile)


class Suppression(StrEnum):
    NONE = ""
    SMALL = "small"
    SECONDARY = "secondary"


@dataclass(frozen=True)
class RawCell:
    """One organisation's true figure, never published as such.
    ``residents`` are the distinct people it rests on; ``group`` names an
    additive group (its members add up to the member with ``is_total``)."""

    organisation_id: int
    metric: str
    dimension: str
    kind: Kind
    residents: int
    total: int
    denominator: int = 0
    group: str = ""
    is_total: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.metric, self.dimension)


@dataclass(frozen=True)
class Cell:
    organisation_id: int
    metric: str
    dimension: str
    value: float | None
    suppression: Suppression

    @property
    def is_published(self) -> bool:
        return self.suppression == Suppression.NONE


@dataclass(frozen=True)
class GroupFigure:
    metric: str
    dimension: str
    organisations: int
    lower_quartile: float | None
    median: float | None
    upper_quartile: float | None


@dataclass(frozen=True)
class Publication:
    cells: list[Cell]
    groups: list[GroupFigure]

    def cell(self, organisation_id: int, metric: str, dimension: str = "") -> Cell | None:
        return next(
            (
                c
                for c in self.cells
                if c.organisation_id == organisation_id and c.metric == metric and c.dimension == dimension
            ),
            None,
        )

    def group(self, metric: str, dimension: str = "") -> GroupFigure | None:
        return next((g for g in self.groups if g.metric == metric and g.dimension == dimension), None)


# (cell, which draw: "value" or "denominator") → a whole number
Noise = Callable[[RawCell, str], int]


def keyed_noise(secret: bytes) -> Noise:
    """The noise of a cell, from a keyed hash of its content."""

    def draw(raw: RawCell, part: str) -> int:
        content = "|".join(
            str(x)
            for x in (raw.organisation_id, raw.metric, raw.dimension, raw.residents, raw.total, raw.denominator, part)
        )
        number = int.from_bytes(hmac.new(secret, content.encode(), hashlib.sha256).digest()[:8], "big")
        sign = -1 if number & 1 else 1
        uniform = ((number >> 1) + 1) / 2**63  # in (0, 1]
        return sign * min(NOISE_CAP, int(math.log(uniform) / math.log(NOISE_RATIO)))

    return draw


def cell_value(raw: RawCell, noise: int, denominator_noise: int = 0) -> float:
    """The published value of a cell for the given perturbations."""
    if raw.kind == Kind.SHARE:
        denominator = max(1, raw.denominator + denominator_noise)
        numerator = min(denominator, max(0, raw.total + noise))
        return float(round(100 * numerator / denominator))
    if raw.kind == Kind.AVERAGE:
        return round((raw.total + noise) / max(1, raw.residents), 1)
    return float(max(0, raw.total + noise))


def _suppressions(raw_cells: list[RawCell]) -> dict[int, Suppression]:
    """Suppression per cell (by position in ``raw_cells``)."""
    result = {
        index: Suppression.SMALL if raw.residents < THRESHOLD else Suppression.NONE
        for index, raw in enumerate(raw_cells)
    }
    groups: dict[tuple[int, str], list[int]] = {}
    for index, raw in enumerate(raw_cells):
        if raw.group:
            groups.setdefault((raw.organisation_id, raw.group), []).append(index)
    for indexes in groups.values():
        totals = [i for i in indexes if raw_cells[i].is_total]
        members = [i for i in indexes if not raw_cells[i].is_total]
        if not totals or any(result[i] != Suppression.NONE for i in totals):
            continue
        if not any(result[i] != Suppression.NONE for i in members):
            continue
        published = [i for i in members if result[i] == Suppression.NONE]
        if published:
            smallest = min(
                published, key=lambda i: (raw_cells[i].residents, raw_cells[i].total, raw_cells[i].dimension)
            )
            result[smallest] = Suppression.SECONDARY
    return result


def group_figure(metric: str, dimension: str, values: Iterable[float]) -> GroupFigure:
    """Median and quartiles over the published values of the organisations;
    none with fewer than ``MIN_ORGANISATIONS``."""
    ordered = sorted(values)
    if len(ordered) < MIN_ORGANISATIONS:
        return GroupFigure(metric, dimension, len(ordered), None, None, None)
    lower, median, upper = statistics.quantiles(ordered, n=4, method="inclusive")
    return GroupFigure(metric, dimension, len(ordered), round(lower, 1), round(median, 1), round(upper, 1))


def publish(raw_cells: list[RawCell], *, noise: Noise) -> Publication:
    """What may be shown of ``raw_cells``: every cell, its value or why it is
    suppressed, and the group figures per (metric, dimension)."""
    suppressions = _suppressions(raw_cells)
    cells = []
    for index, raw in enumerate(raw_cells):
        suppression = suppressions[index]
        value = None
        if suppression == Suppression.NONE:
            value = cell_value(raw, noise(raw, "value"), noise(raw, "denominator") if raw.kind == Kind.SHARE else 0)
        cells.append(Cell(raw.organisation_id, raw.metric, raw.dimension, value, suppression))
    keys: dict[tuple[str, str], list[float]] = {}
    for cell in cells:
        values = keys.setdefault((cell.metric, cell.dimension), [])
        if cell.value is not None:
            values.append(cell.value)
    groups = [group_figure(metric, dimension, values) for (metric, dimension), values in keys.items()]
    return Publication(cells, groups)

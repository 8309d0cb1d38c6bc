"""A horizontal bar chart as plain geometry for a server-rendered SVG
(``benchmark/includes/bars.html``): one bar per organisation, the group's
quartile band behind the bars and its median as a line. The viewer's own
organisation is told apart by its name ("uw organisatie") and by a
darker, outlined bar, never by colour alone; the page shows the same
numbers in a table."""

from __future__ import annotations

import math
from dataclasses import dataclass

from benchmark.selectors import Figure

WIDTH = 640
LABEL_WIDTH = 230
RIGHT_GAP = 70
ROW = 34
BAR = 22
TOP = 30
BOTTOM = 30


@dataclass(frozen=True)
class Bar:
    name: str
    value: float | None
    text: str
    y: float
    text_y: float
    width: float
    is_own: bool


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    width: int
    height: int
    left: int
    median_x: float | None
    band_x: float | None
    band_width: float | None
    bottom: float


def _nice_maximum(value: float) -> float:
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def bar_chart(figure: Figure, *, suppressed_text: str) -> BarChart | None:
    """The chart of ``figure``; ``None`` when no value is published."""
    values = [row.value for row in figure.rows if row.value is not None]
    if not values:
        return None
    top = max([*values, figure.upper_quartile or 0])
    maximum = 100.0 if figure.metric.unit == "%" else _nice_maximum(top)
    span = WIDTH - LABEL_WIDTH - RIGHT_GAP

    def x(value: float) -> float:
        return round(LABEL_WIDTH + span * min(value, maximum) / maximum, 1)

    bars = []
    for index, row in enumerate(figure.rows):
        y = TOP + index * ROW
        width = round(x(row.value) - LABEL_WIDTH, 1) if row.value is not None else 0
        text = _number(row.value) if row.value is not None else suppressed_text
        bars.append(Bar(row.name, row.value, text, y, y + BAR / 2 + 5, width, row.is_own))
    bottom = TOP + len(bars) * ROW
    ticks = tuple(Tick(x(maximum * part / 4), _number(round(maximum * part / 4, 1))) for part in range(5))
    median_x = x(figure.median) if figure.median is not None else None
    band_x = band_width = None
    if figure.lower_quartile is not None and figure.upper_quartile is not None:
        band_x = x(figure.lower_quartile)
        band_width = round(x(figure.upper_quartile) - band_x, 1)
    return BarChart(tuple(bars), ticks, WIDTH, bottom + BOTTOM, LABEL_WIDTH, median_x, band_x, band_width, bottom)

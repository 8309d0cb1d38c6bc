"""The effort/relaxation bar chart as plain geometry for a server-rendered
SVG (``diary/includes/chart.html``): two bars per group (a day, or a week),
each with its number above it, so the chart does not rely on colour alone.
The page shows the same numbers as a table for screen readers."""

from __future__ import annotations

from dataclasses import dataclass

# About a phone's width, so the numbers keep their size on a phone.
WIDTH = 360
HEIGHT = 220
LEFT = 30
RIGHT = 4
TOP = 20
BOTTOM = 34
# The scale never drops below this, so one small activity is not a full bar.
SCALE_MIN = 5


@dataclass(frozen=True)
class Bar:
    kind: str  # "effort" or "relaxation"
    value: int
    x: float
    y: float
    width: float
    height: float

    @property
    def label_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def label_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class Group:
    label: str
    x: float
    bars: tuple[Bar, Bar]


@dataclass(frozen=True)
class GridLine:
    value: int
    y: float


@dataclass(frozen=True)
class Chart:
    groups: list[Group]
    grid: list[GridLine]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM

    @property
    def label_y(self) -> int:
        return HEIGHT - BOTTOM + 22


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if top / step <= 5:
            return step
    return 2000


def bar_chart(rows: list[tuple[str, int, int]]) -> Chart:
    """``rows`` are (label, effort, relaxation) per group, left to right."""
    top = max([SCALE_MIN, *(max(effort, relaxation) for _, effort, relaxation in rows)])
    step = _nice_step(top)
    top = -(-top // step) * step
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT
    group_width = plot_width / max(len(rows), 1)
    bar_width = min(group_width * 0.38, 28)
    groups = []
    for index, (label, effort, relaxation) in enumerate(rows):
        start = LEFT + index * group_width
        middle = start + group_width / 2
        bars = []
        for kind, value, x in (
            ("effort", effort, middle - bar_width - 1),
            ("relaxation", relaxation, middle + 1),
        ):
            height = plot_height * value / top
            bars.append(
                Bar(kind, value, round(x, 1), round(HEIGHT - BOTTOM - height, 1), round(bar_width, 1), round(height, 1))
            )
        groups.append(Group(label, round(middle, 1), (bars[0], bars[1])))
    grid = [GridLine(value, round(HEIGHT - BOTTOM - plot_height * value / top, 1)) for value in range(0, top + 1, step)]
    return Chart(groups, grid)

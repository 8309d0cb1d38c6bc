"""The radar (spider) chart as plain geometry for a server-rendered SVG
(``outcomes/includes/radar.html``): one axis per life domain, rings for the
scale's points, and one line per measurement. Lines differ in colour, in
dash pattern and in the shape of their markers, so colour is never the only
cue; the page shows the same numbers as a table."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH = 860
HEIGHT = 600
RADIUS = 210
LABEL_GAP = 20
LINE_LENGTH = 16  # characters before a label wraps to a second line
MARKER = 6

# (colour, dash pattern, marker shape): high contrast on white, and told
# apart without colour by the dashes and the markers.
STYLES = [
    ("#1f5fa8", "", "circle"),
    ("#b34a00", "10 6", "square"),
    ("#2e7d32", "3 5", "triangle"),
    ("#6a1b9a", "14 5 3 5", "diamond"),
]


@dataclass(frozen=True)
class Axis:
    x: float
    y: float
    label_x: float
    label_y: float
    anchor: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Ring:
    value: int
    points: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Marker:
    d: str
    title: str


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    dash: str
    shape: str
    points: str
    is_closed: bool
    markers: tuple[Marker, ...]

    @property
    def legend_marker(self) -> str:
        return marker_path(self.shape, 20, 10)


@dataclass(frozen=True)
class Radar:
    axes: tuple[Axis, ...]
    rings: tuple[Ring, ...]
    lines: tuple[Line, ...]
    width: int = WIDTH
    height: int = HEIGHT
    label_size: int = 15
    cx: float = WIDTH / 2
    cy: float = HEIGHT / 2


def marker_path(shape: str, x: float, y: float, size: float = MARKER) -> str:
    s = size
    if shape == "square":
        return f"M{x - s:.1f} {y - s:.1f}h{2 * s:.1f}v{2 * s:.1f}h{-2 * s:.1f}z"
    if shape == "triangle":
        return f"M{x:.1f} {y - s - 1:.1f}L{x + s + 1:.1f} {y + s:.1f}L{x - s - 1:.1f} {y + s:.1f}z"
    if shape == "diamond":
        return f"M{x:.1f} {y - s - 1:.1f}L{x + s + 1:.1f} {y:.1f}L{x:.1f} {y + s + 1:.1f}L{x - s - 1:.1f} {y:.1f}z"
    return f"M{x - s:.1f} {y:.1f}a{s} {s} 0 1 0 {2 * s:.1f} 0a{s} {s} 0 1 0 {-2 * s:.1f} 0"


def _wrap(label: str) -> tuple[str, ...]:
    if len(label) <= LINE_LENGTH or " " not in label:
        return (label,)
    words = label.split(" ")
    first: list[str] = []
    while words and len(" ".join([*first, words[0]])) <= LINE_LENGTH:
        first.append(words.pop(0))
    if not first:
        first.append(words.pop(0))
    return (" ".join(first), " ".join(words)) if words else (" ".join(first),)


def _point(index: int, count: int, fraction: float, cx: float, cy: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return (
        round(cx + RADIUS * fraction * math.cos(angle), 1),
        round(cy + RADIUS * fraction * math.sin(angle), 1),
    )


def radar_chart(
    domains: list[str],
    series: list[tuple[str, list[int | None]]],
    *,
    scale_min: int = 1,
    scale_max: int = 5,
    is_numbered: bool = False,
) -> Radar:
    """``domains`` are the axis labels, clockwise from the top; ``series``
    are (name, one value or None per domain). A value sits on its ring; a
    skipped domain leaves the line open there. ``is_numbered`` puts the
    domain's number at its axis instead of its name (on a phone the names
    would be too small to read; the list under the chart names them)."""
    count = max(len(domains), 3)
    # Numbers need little room around the circle; names need much.
    width, height = (2 * (RADIUS + 60), 2 * (RADIUS + 50)) if is_numbered else (WIDTH, HEIGHT)
    cx, cy = width / 2, height / 2
    axes = []
    for index, label in enumerate(domains):
        x, y = _point(index, count, 1, cx, cy)
        cos = math.cos(-math.pi / 2 + 2 * math.pi * index / count)
        sin = math.sin(-math.pi / 2 + 2 * math.pi * index / count)
        label_x = round(cx + (RADIUS + LABEL_GAP) * cos, 1)
        label_y = round(cy + (RADIUS + LABEL_GAP) * sin + (10 if is_numbered else 5), 1)
        anchor = "start" if cos > 0.2 else "end" if cos < -0.2 else "middle"
        wrapped = (str(index + 1),) if is_numbered else _wrap(label)
        if sin < -0.5 and len(wrapped) > 1:
            label_y -= 16
        axes.append(Axis(x, y, label_x, label_y, anchor, wrapped))
    rings = []
    for ring_value in range(scale_min, scale_max + 1):
        fraction = ring_value / scale_max
        points = " ".join(f"{x},{y}" for x, y in (_point(i, count, fraction, cx, cy) for i in range(count)))
        rings.append(Ring(ring_value, points, round(cx + 8, 1), round(cy - RADIUS * fraction + 14, 1)))
    lines = []
    for number, (name, values) in enumerate(series):
        colour, dash, shape = STYLES[number % len(STYLES)]
        coordinates = []
        markers = []
        for index, value in enumerate(values):
            if value is None:
                continue
            x, y = _point(index, count, value / scale_max, cx, cy)
            coordinates.append(f"{x},{y}")
            markers.append(Marker(marker_path(shape, x, y), f"{domains[index]}: {value}"))
        is_closed = all(value is not None for value in values)
        lines.append(Line(name, colour, dash, shape, " ".join(coordinates), is_closed, tuple(markers)))
    return Radar(
        tuple(axes),
        tuple(rings),
        tuple(lines),
        width=width,
        height=height,
        label_size=30 if is_numbered else 15,
        cx=cx,
        cy=cy,
    )


# --- The distribution per domain: stacked horizontal bars ------------------------------

BAR_LABEL_WIDTH = 230
BAR_WIDTH = 560
BAR_HEIGHT = 26
BAR_GAP = 12
BAR_TOP = 10
# Score 1 (acute problems) to 5 (fully self-reliant): dark red to dark
# green through light tones, every segment edged in white and labelled
# with its count where it fits, so colour is never the only cue.
SEGMENT_COLOURS = {1: "#8e1b1b", 2: "#d9822b", 3: "#e8d44d", 4: "#7cb86f", 5: "#1e5e2e"}
SEGMENT_TEXT = {1: "#ffffff", 2: "#1b1b1b", 3: "#1b1b1b", 4: "#1b1b1b", 5: "#ffffff"}


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    value: int
    colour: str
    text_colour: str
    label: str
    text_x: float


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    text_y: float
    segments: tuple[Segment, ...]
    is_empty: bool


@dataclass(frozen=True)
class StackedBars:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[Bar, ...]


def stacked_bars(rows: list[tuple[str, dict[int, int | None]]], values: list[int]) -> StackedBars:
    """One bar per row (a domain): a segment per scale value, as wide as
    its share of the row. A count of None (suppressed, too few residents)
    draws nothing: the shares are of the counts shown."""
    bars = []
    for index, (label, counts) in enumerate(rows):
        y = BAR_TOP + index * (BAR_HEIGHT + BAR_GAP)
        shown = {value: count for value, count in counts.items() if count}
        total = sum(shown.values())
        x = float(BAR_LABEL_WIDTH)
        segments = []
        for value in values:
            count = shown.get(value)
            if not count or not total:
                continue
            width = round(BAR_WIDTH * count / total, 1)
            segments.append(
                Segment(
                    x=round(x, 1),
                    width=width,
                    value=value,
                    colour=SEGMENT_COLOURS.get(value, "#5a5a5a"),
                    text_colour=SEGMENT_TEXT.get(value, "#ffffff"),
                    label=str(count) if width >= 24 else "",
                    text_x=round(x + width / 2, 1),
                )
            )
            x += width
        bars.append(
            Bar(
                label=label,
                y=y,
                text_y=y + BAR_HEIGHT / 2 + 5,
                segments=tuple(segments),
                is_empty=not segments,
            )
        )
    height = BAR_TOP * 2 + len(rows) * (BAR_HEIGHT + BAR_GAP)
    return StackedBars(
        width=BAR_LABEL_WIDTH + BAR_WIDTH + 10,
        height=height,
        label_width=BAR_LABEL_WIDTH - 10,
        bar_height=BAR_HEIGHT,
        bars=tuple(bars),
    )

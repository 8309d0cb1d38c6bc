"""The results as plain geometry for a server-rendered SVG
(``feedback/includes/bars.html``): one horizontal bar per channel, the
average score on the scale 1 to 5. A channel with too few answers gets no
bar but the words "te weinig antwoorden"; the table beside it has the same
numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from feedback.models import SCORE_MAX

WIDTH = 760
LABEL_WIDTH = 320
BAR_HEIGHT = 28
GAP = 14
TOP = 30


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    width: float
    text: str
    text_x: float


@dataclass(frozen=True)
class Tick:
    value: int
    x: float


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    height: float
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    baseline_top: int = TOP - 8


def results_chart(results: Sequence[object]) -> BarChart:
    span = WIDTH - LABEL_WIDTH - 60
    bars = []
    for index, result in enumerate(results):
        y = TOP + index * (BAR_HEIGHT + GAP)
        average = getattr(result, "average", None)
        label = str(getattr(result, "label", "")).capitalize()
        if average is None:
            bars.append(Bar(label, y, 0, _("te weinig antwoorden"), LABEL_WIDTH + 8))
        else:
            width = span * float(average) / SCORE_MAX
            bars.append(Bar(label, y, width, f"{average:.1f}".replace(".", ","), LABEL_WIDTH + width + 8))
    ticks = tuple(Tick(value, LABEL_WIDTH + span * value / SCORE_MAX) for value in range(SCORE_MAX + 1))
    height = TOP + len(bars) * (BAR_HEIGHT + GAP) + 10
    return BarChart(bars=tuple(bars), ticks=ticks, height=height)

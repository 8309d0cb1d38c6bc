"""Reads of the published benchmark: only stored tables, never the
capabilities' data. A page costs the same few queries whatever the number
of organisations or figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from benchmark.metrics import METRICS, METRICS_BY_CODE, Metric
from benchmark.models import BenchmarkCell, BenchmarkGroupFigure, BenchmarkParticipant, BenchmarkPeriod
from benchmark.quarters import Quarter


class PeriodNotFound(LookupError):
    """No published benchmark for the quarter asked; the message is Dutch."""


def periods_final() -> list[BenchmarkPeriod]:
    """The published (ended) quarters, newest first."""
    return list(BenchmarkPeriod.objects.filter(is_final=True))


def period_final_get(*, quarter_text: str | None, periods: list[BenchmarkPeriod]) -> BenchmarkPeriod | None:
    """The published quarter asked for (``2026Q3``), or the newest when none
    is asked. Raises ``QuarterError`` for text that is no quarter and
    ``PeriodNotFound`` for a quarter without a published benchmark."""
    if not quarter_text:
        return periods[0] if periods else None
    quarter = Quarter.parse(quarter_text)
    found = next((period for period in periods if period.quarter == str(quarter)), None)
    if found is None:
        raise PeriodNotFound(_("Voor het %(quarter)s is nog geen benchmark gepubliceerd.") % {"quarter": quarter.label})
    return found


def period_running_get(*, today_quarter: Quarter) -> BenchmarkPeriod | None:
    return BenchmarkPeriod.objects.filter(quarter=str(today_quarter), is_final=False).first()


@dataclass(frozen=True)
class Row:
    """One organisation's value in one figure, as the viewer may see it."""

    name: str
    value: float | None
    suppression: str
    is_own: bool

    @property
    def suppression_label(self) -> str:
        return str(BenchmarkCell.Suppression(self.suppression).label) if self.suppression else ""


@dataclass
class Figure:
    metric: Metric
    dimension: str
    dimension_label: str
    rows: list[Row] = field(default_factory=list)
    organisations: int = 0
    lower_quartile: float | None = None
    median: float | None = None
    upper_quartile: float | None = None

    @property
    def title(self) -> str:
        label = str(self.metric.label)
        return f"{label}: {self.dimension_label}" if self.dimension_label else label

    @property
    def own(self) -> Row | None:
        return next((row for row in self.rows if row.is_own), None)

    @property
    def is_charted(self) -> bool:
        return self.metric.is_charted and self.dimension in {"", "all"}

    @property
    def slug(self) -> str:
        return f"{self.metric.code}-{self.dimension}".rstrip("-").replace("_", "-")


@dataclass
class Benchmark:
    period: BenchmarkPeriod
    figures: list[Figure]

    @property
    def quarter(self) -> Quarter:
        return Quarter.parse(self.period.quarter)

    @property
    def is_everything_suppressed(self) -> bool:
        return not any(row.value is not None for figure in self.figures for row in figure.rows)


def benchmark_for(*, period: BenchmarkPeriod, viewer_organisation_id: int | None, own_only: bool = False) -> Benchmark:
    """The period's figures as ``viewer_organisation_id`` may see them: its
    own organisation by name, the others by letter unless they chose to be
    named; ``None`` (a researcher) marks no organisation as their own.
    ``own_only`` keeps only the viewer's own organisation (the running
    quarter). Three queries."""
    participants = BenchmarkParticipant.objects.filter(period=period).select_related(
        "organisation", "organisation__benchmark_naming"
    )
    names: dict[int, str] = {}
    order: dict[int, int] = {}
    for index, participant in enumerate(participants):
        organisation = participant.organisation
        naming = getattr(organisation, "benchmark_naming", None)
        if organisation.pk == viewer_organisation_id:
            names[organisation.pk] = _("%(name)s (uw organisatie)") % {"name": organisation.name}
        elif naming is not None and naming.is_named:
            names[organisation.pk] = organisation.name
        else:
            names[organisation.pk] = _("Organisatie %(letter)s") % {"letter": participant.letter}
        order[organisation.pk] = index
    figures: dict[tuple[str, str], Figure] = {}
    for group in BenchmarkGroupFigure.objects.filter(period=period):
        metric = METRICS_BY_CODE.get(group.metric)
        if metric is None:
            continue
        figures[(group.metric, group.dimension)] = Figure(
            metric,
            group.dimension,
            group.dimension_label if group.dimension else "",
            organisations=group.organisations,
            lower_quartile=group.lower_quartile,
            median=group.median,
            upper_quartile=group.upper_quartile,
        )
    cells = BenchmarkCell.objects.filter(period=period)
    if own_only:
        cells = cells.filter(organisation_id=viewer_organisation_id or 0)
    for cell in sorted(cells, key=lambda c: order.get(c.organisation_id, 0)):
        figure = figures.get((cell.metric, cell.dimension))
        if figure is None or cell.organisation_id not in names:
            continue
        figure.rows.append(
            Row(
                names[cell.organisation_id],
                cell.value,
                cell.suppression,
                cell.organisation_id == viewer_organisation_id,
            )
        )
    position = {metric.code: index for index, metric in enumerate(METRICS)}
    ordered = sorted(figures.values(), key=lambda f: position[f.metric.code])
    return Benchmark(period, [figure for figure in ordered if figure.rows])

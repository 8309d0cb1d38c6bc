"""Reads for effect measurement, scoped by the caller (who reached the
resident through ``outcomes.access``). The progress picture costs the same
queries for one measurement and for a hundred: measurements with their
instrument in one query, all their scores with items in a second."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import (
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.http import Http404

from accounts.models import User
from outcomes.models import IndicatorText, Instrument, InstrumentVersion, Item, Measurement, ScalePoint, Score
from samenspraak.policy import parse_public_id

RADAR_KINDS = (Instrument.Kind.MATRIX, Instrument.Kind.SELF_ASSESSMENT)


def instrument_versions_current(
    *, organisation_id: int | None, filled_by: str | None = None
) -> list[InstrumentVersion]:
    """The newest published version of every instrument the organisation
    may use (the shipped ones and its own)."""
    versions = (
        InstrumentVersion.objects.filter(published_at__isnull=False)
        .filter(Q(instrument__organisation__isnull=True) | Q(instrument__organisation_id=organisation_id))
        .select_related("instrument")
        .order_by("instrument__name", "instrument_id", "-number")
    )
    if filled_by is not None:
        versions = versions.filter(instrument__filled_by=filled_by)
    newest: dict[int, InstrumentVersion] = {}
    for version in versions:
        newest.setdefault(version.instrument_id, version)
    return list(newest.values())


def instrument_version_get(*, organisation_id: int | None, public_id: Any) -> InstrumentVersion:
    """A published version the organisation may use, with its items and
    scale; 404 otherwise."""
    version = (
        InstrumentVersion.objects.filter(public_id=parse_public_id(public_id), published_at__isnull=False)
        .filter(Q(instrument__organisation__isnull=True) | Q(instrument__organisation_id=organisation_id))
        .select_related("instrument")
        .prefetch_related("items", "scale_points")
        .first()
    )
    if version is None:
        raise Http404
    return version


def self_assessment_current(*, organisation_id: int | None) -> InstrumentVersion | None:
    versions = instrument_versions_current(organisation_id=organisation_id, filled_by=Instrument.FilledBy.RESIDENT)
    chosen = next((v for v in versions if v.instrument.kind == Instrument.Kind.SELF_ASSESSMENT), None)
    if chosen is None:
        return None
    return instrument_version_get(organisation_id=organisation_id, public_id=chosen.public_id)


def indicator_texts_of(*, organisation_id: int, version: InstrumentVersion) -> dict[int, list[IndicatorText]]:
    """The organisation's own indicator texts for a version, per item (one
    query; none unless the organisation imported them)."""
    texts: dict[int, list[IndicatorText]] = {}
    for text in IndicatorText.objects.filter(organisation_id=organisation_id, item__version=version):
        texts.setdefault(text.item_id, []).append(text)
    return texts


def indicator_text_count(*, organisation_id: int, version: InstrumentVersion) -> int:
    return IndicatorText.objects.filter(organisation_id=organisation_id, item__version=version).count()


def has_filled_in(*, resident: User, version: InstrumentVersion) -> bool:
    """Whether the resident filled in this instrument before (any version)."""
    return Measurement.objects.filter(resident=resident, version__instrument_id=version.instrument_id).exists()


def measurements_of(*, resident: User, for_resident: bool) -> QuerySet[Measurement]:
    """The resident's measurements, oldest first, with scores and items.
    For the resident: their own self-assessments and shared, signed-off
    measurements of their worker."""
    measurements = Measurement.objects.filter(resident=resident)
    if for_resident:
        measurements = measurements.filter(
            Q(scored_by_id=resident.pk) | Q(is_shared=True, status=Measurement.Status.SIGNED_OFF)
        )
    return measurements.select_related("version__instrument", "scored_by").prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("item").order_by("item__order")), "goals"
    )


def measurement_scores(*, measurement: Measurement) -> list[Score]:
    return list(measurement.scores.select_related("item").prefetch_related("item__options").order_by("item__order"))


def measurement_goals(*, measurement: Measurement) -> list[Any]:
    """The goals of the case the measurement is about (title and status)."""
    return list(measurement.goals.all())


@dataclass(frozen=True)
class Domain:
    code: str
    label: str


@dataclass
class MeasurementRow:
    measurement: Measurement
    values: dict[str, int | None]
    ticks: list[str]
    is_outdated: bool = False

    @property
    def instrument(self) -> Instrument:
        return self.measurement.version.instrument


@dataclass(frozen=True)
class ChangeCell:
    first: int | None
    last: int | None
    instrument: Instrument | None = None

    @property
    def is_own(self) -> bool:
        return self.instrument is not None and self.instrument.kind == Instrument.Kind.SELF_ASSESSMENT

    @property
    def change(self) -> int | None:
        if self.first is None or self.last is None:
            return None
        return self.last - self.first


@dataclass
class ChangeRow:
    domain: Domain
    cells: list[ChangeCell]
    is_face_to_face: bool = False


@dataclass
class ProgressPicture:
    domains: list[Domain]
    rows: list[MeasurementRow]
    chart_rows: list[MeasurementRow]
    change_instruments: list[Instrument]
    changes: list[ChangeRow]
    ticks: list[tuple[Domain, MeasurementRow]]
    outdated_matrix: MeasurementRow | None = None
    ladder_rows: list[MeasurementRow] = field(default_factory=list)


def progress_picture(*, resident: User, for_resident: bool, today: date) -> ProgressPicture:
    """Everything the progress page shows, from two queries.

    The chart overlays, per instrument, the first and the latest
    measurement (at most four lines stay readable); the table under it
    lists every measurement, and the change table compares first and last
    per domain and instrument."""
    rows = []
    labels: dict[str, dict[str, str]] = {}
    orders: dict[str, int] = {}
    for measurement in measurements_of(resident=resident, for_resident=for_resident):
        kind = measurement.version.instrument.kind
        values: dict[str, int | None] = {}
        talk = []
        for score in measurement.scores.all():
            values[score.item.domain] = score.value
            if score.face_to_face_preferred:
                talk.append(score.item.domain)
            if kind in RADAR_KINDS:
                labels.setdefault(score.item.domain, {})[kind] = score.item.label
                orders.setdefault(score.item.domain, score.item.order)
        rows.append(MeasurementRow(measurement, values, talk))
    preferred = Instrument.Kind.SELF_ASSESSMENT if for_resident else Instrument.Kind.MATRIX
    domains = [
        Domain(code, labels[code].get(preferred) or next(iter(labels[code].values())))
        for code in sorted(labels, key=lambda code: orders[code])
    ]
    by_code = {domain.code: domain for domain in domains}
    radar_rows = [row for row in rows if row.instrument.kind in RADAR_KINDS]
    # Staff compare signed-off measurements; a draft is still being scored.
    settled = [row for row in radar_rows if row.measurement.is_locked]
    per_instrument: dict[int, list[MeasurementRow]] = {}
    for row in settled:
        per_instrument.setdefault(row.instrument.pk, []).append(row)
    chart_rows = []
    instruments = []
    for group in per_instrument.values():
        instruments.append(group[0].instrument)
        chart_rows.extend([group[0], group[-1]] if len(group) > 1 else [group[0]])
    changes = []
    latest_self = next(
        (row for row in reversed(settled) if row.instrument.kind == Instrument.Kind.SELF_ASSESSMENT), None
    )
    for domain in domains:
        cells = [
            ChangeCell(group[0].values.get(domain.code), group[-1].values.get(domain.code), group[0].instrument)
            for group in per_instrument.values()
        ]
        is_face_to_face = latest_self is not None and domain.code in latest_self.ticks
        changes.append(ChangeRow(domain, cells, is_face_to_face))
    matrices = [row for row in settled if row.instrument.kind == Instrument.Kind.MATRIX]
    outdated = None
    for row in rows:
        row.is_outdated = row.measurement.is_locked and row.measurement.is_outdated_on(today)
    if matrices and matrices[-1].is_outdated:
        outdated = matrices[-1]
    ticks = [(by_code[code], row) for row in reversed(radar_rows) for code in row.ticks if code in by_code]
    return ProgressPicture(
        domains=domains,
        rows=list(reversed(rows)),
        chart_rows=chart_rows,
        change_instruments=instruments,
        changes=changes,
        ticks=ticks,
        outdated_matrix=outdated,
        ladder_rows=[row for row in reversed(rows) if row.instrument.kind == Instrument.Kind.LADDER],
    )


@dataclass(frozen=True)
class DomainChange:
    domain: str
    label: str
    average: float
    count: int


def _matrix_measurements() -> QuerySet[Measurement]:
    return Measurement.objects.filter(
        version__instrument__kind=Instrument.Kind.MATRIX, status=Measurement.Status.SIGNED_OFF
    )


def caseload_changes(*, residents: QuerySet[User]) -> list[DomainChange]:
    """Per ZRM domain: the average change between each resident's first and
    latest signed-off ZRM, over the residents (``n``) who have two. The
    database does the work: two queries whatever the caseload's size."""
    by_day = ("measured_on", "created_at", "pk")
    first = _matrix_measurements().filter(resident_id=OuterRef("pk")).order_by(*by_day).values("pk")[:1]
    last = (
        _matrix_measurements()
        .filter(resident_id=OuterRef("pk"))
        .order_by(*(f"-{name}" for name in by_day))
        .values("pk")[:1]
    )
    pairs = (
        residents.order_by()
        .annotate(first_id=Subquery(first), last_id=Subquery(last))
        .filter(first_id__isnull=False)
        .exclude(first_id=F("last_id"))
    )
    first_of_resident = (
        _matrix_measurements()
        .filter(resident_id=OuterRef(OuterRef("measurement__resident_id")))
        .order_by(*by_day)
        .values("pk")[:1]
    )
    first_value = Score.objects.filter(
        measurement_id=Subquery(first_of_resident), item__domain=OuterRef("item__domain")
    ).values("value")[:1]
    rows = (
        Score.objects.filter(measurement_id__in=pairs.values("last_id"), value__isnull=False)
        .annotate(first_value=Subquery(first_value))
        .filter(first_value__isnull=False)
        .values("item__domain")
        .annotate(
            average=Avg(ExpressionWrapper(F("value") - F("first_value"), output_field=FloatField())),
            count=Count("measurement__resident_id", distinct=True),
            label=Min("item__label"),
            order=Min("item__order"),
        )
        .order_by("order")
    )
    return [DomainChange(row["item__domain"], row["label"], round(row["average"], 2), row["count"]) for row in rows]


def domain_changes_per_organisation(*, residents: QuerySet[User]) -> list[dict[str, Any]]:
    """For the benchmark: per organisation of ``residents`` and ZRM domain,
    the ``total`` of the changes between each resident's first and latest
    signed-off ZRM and the residents it rests on (``residents``), with the
    domain's ``label`` and ``order``. One grouped query: the database ranks
    each resident's measurements (window functions) and adds the latest
    scores minus the first ones (a signed-off ZRM scores every domain)."""
    by_day = ("measured_on", "created_at", "pk")
    ranked = (
        _matrix_measurements()
        .filter(resident__in=residents.values("pk"))
        .order_by()
        .annotate(
            rank_first=Window(RowNumber(), partition_by=[F("resident_id")], order_by=[F(n).asc() for n in by_day]),
            rank_latest=Window(RowNumber(), partition_by=[F("resident_id")], order_by=[F(n).desc() for n in by_day]),
            size=Window(Count("pk"), partition_by=[F("resident_id")]),
        )
    )
    first_and_latest = ranked.filter(Q(rank_first=1) | Q(rank_latest=1), size__gte=2).values("pk")
    latest = ranked.filter(rank_latest=1, size__gte=2).values("pk")
    return [
        dict(row)
        for row in (
            Score.objects.filter(measurement_id__in=first_and_latest, value__isnull=False)
            .order_by()
            .values("item__domain", organisation_id=F("measurement__resident__organisation_id"))
            .annotate(
                total=Sum(
                    Case(
                        When(measurement_id__in=latest, then=F("value")),
                        default=-F("value"),
                        output_field=IntegerField(),
                    )
                ),
                residents=Count("measurement__resident_id", distinct=True),
                label=Min("item__label"),
                order=Min("item__order"),
            )
            .order_by("organisation_id", "order")
        )
    ]


# --- The questionnaire builder ----------------------------------------------------


def instruments_for_admin(*, organisation_id: int) -> tuple[list[Instrument], list[Instrument]]:
    """The organisation's own instruments and the shipped ones (read-only),
    each with its versions (two queries)."""
    instruments = list(
        Instrument.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))
        .prefetch_related(Prefetch("versions", queryset=InstrumentVersion.objects.order_by("-number")))
        .order_by("name", "pk")
    )
    own = [instrument for instrument in instruments if instrument.organisation_id is not None]
    shipped = [instrument for instrument in instruments if instrument.organisation_id is None]
    return own, shipped


def instrument_get_for_admin(*, organisation_id: int, public_id: Any) -> Instrument:
    """The organisation's own instrument or a shipped one; 404 otherwise
    (another organisation's)."""
    instrument = (
        Instrument.objects.filter(public_id=parse_public_id(public_id))
        .filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))
        .prefetch_related(Prefetch("versions", queryset=InstrumentVersion.objects.order_by("-number")))
        .first()
    )
    if instrument is None:
        raise Http404
    return instrument


def version_get_for_admin(*, organisation_id: int, public_id: Any) -> InstrumentVersion:
    """Any version (draft too) of the organisation's own or a shipped
    instrument, with its questions and their answers; 404 otherwise."""
    version = (
        InstrumentVersion.objects.filter(public_id=parse_public_id(public_id))
        .filter(Q(instrument__organisation__isnull=True) | Q(instrument__organisation_id=organisation_id))
        .select_related("instrument")
        .prefetch_related(Prefetch("items", queryset=Item.objects.prefetch_related("options")), "scale_points")
        .first()
    )
    if version is None:
        raise Http404
    return version


def questionnaires_for_resident(*, organisation_id: int | None) -> list[InstrumentVersion]:
    """The organisation's own questionnaires the resident may fill in."""
    return [
        version
        for version in instrument_versions_current(organisation_id=organisation_id)
        if version.instrument.kind == Instrument.Kind.QUESTIONNAIRE
        and version.instrument.filled_by in (Instrument.FilledBy.RESIDENT, Instrument.FilledBy.BOTH)
    ]


def questionnaire_version_get(*, organisation_id: int | None, public_id: Any, filler: str) -> InstrumentVersion:
    """A published version the organisation may use that ``filler``
    (``worker`` or ``resident``) may fill in, with its items and their
    options; 404 otherwise."""
    version = instrument_version_get(organisation_id=organisation_id, public_id=public_id)
    if version.instrument.filled_by not in (filler, Instrument.FilledBy.BOTH):
        raise Http404
    return version


# --- Reviews: is the latest ZRM still valid on the review day? ---------------------


@dataclass(frozen=True)
class MatrixAtReview:
    """The latest signed-off matrix of a resident, seen from their review
    day: ``measured_on`` None means there is none."""

    measured_on: date | None
    validity_days: int | None
    review_day: date

    @property
    def is_outdated(self) -> bool:
        if self.measured_on is None:
            return True
        return self.validity_days is not None and (self.review_day - self.measured_on).days > self.validity_days


def matrix_at_review(*, review_days: dict[int, date]) -> dict[int, MatrixAtReview]:
    """Per resident id (with their review day): the latest signed-off ZRM
    and whether it is older than its validity window on that day. One
    query whatever the number of residents. For the pages that prepare a
    review (the worker's day)."""
    if not review_days:
        return {}
    latest: dict[int, dict[str, Any]] = {
        row["resident_id"]: dict(row)
        for row in _matrix_measurements()
        .filter(resident_id__in=list(review_days))
        .order_by()
        .values("resident_id")
        .annotate(last=Max("measured_on"), validity=Min("version__instrument__validity_days"))
    }
    return {
        resident_id: MatrixAtReview(
            latest.get(resident_id, {}).get("last"), latest.get(resident_id, {}).get("validity"), day
        )
        for resident_id, day in review_days.items()
    }


# --- Team and organisation: distributions per domain ---------------------------------

SMALL_N = 10
DISTRIBUTION_TTL = 60 * 60 * 24


@dataclass(frozen=True)
class DistributionRow:
    domain: str
    label: str
    counts: dict[int, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Distribution:
    points: list[tuple[int, str]]
    rows: list[DistributionRow]


def matrix_distribution(*, residents: QuerySet[User]) -> Distribution:
    """Per ZRM domain: how many of ``residents`` are at each score at their
    latest signed-off ZRM. The database ranks each resident's measurements
    and counts: one grouped query, plus one for the scale's labels."""
    by_day = ("measured_on", "created_at", "pk")
    latest = (
        _matrix_measurements()
        .filter(resident__in=residents.order_by().values("pk"))
        .order_by()
        .annotate(
            rank_latest=Window(RowNumber(), partition_by=[F("resident_id")], order_by=[F(n).desc() for n in by_day])
        )
        .filter(rank_latest=1)
        .values("pk")
    )
    cells = (
        Score.objects.filter(measurement_id__in=latest, value__isnull=False)
        .order_by()
        .values("item__domain", "value")
        .annotate(n=Count("pk"), label=Min("item__label"), order=Min("item__order"))
        .order_by("order", "value")
    )
    rows: dict[str, DistributionRow] = {}
    for cell in cells:
        row = rows.setdefault(cell["item__domain"], DistributionRow(cell["item__domain"], cell["label"], {}))
        row.counts[cell["value"] or 0] = cell["n"]
    points = list(
        ScalePoint.objects.filter(
            version__instrument__organisation__isnull=True, version__instrument__code="zrm-2017"
        ).values_list("value", "label")
    )
    return Distribution(points=points, rows=list(rows.values()))


@dataclass(frozen=True)
class ProgressAggregate:
    changes: list[DomainChange]
    distribution: Distribution


def progress_aggregate(*, residents: QuerySet[User], cache_key: str | None) -> ProgressAggregate:
    """The change and the distribution over ``residents``. With a
    ``cache_key`` (a team's or the organisation's, per day) the figures
    are kept for the day: a second request reads one cache entry."""
    if cache_key is not None:
        cached = cache.get(cache_key)
        if isinstance(cached, ProgressAggregate):
            return cached
    aggregate = ProgressAggregate(
        changes=caseload_changes(residents=residents), distribution=matrix_distribution(residents=residents)
    )
    if cache_key is not None:
        cache.set(cache_key, aggregate, DISTRIBUTION_TTL)
    return aggregate


def progress_cache_key(*, scope: str, organisation_id: int, team_id: int | None, day: date) -> str:
    return f"outcomes:progress:{scope}:{organisation_id}:{team_id or 0}:{day.isoformat()}"

"""The benchmark of three organisations computed from real rows: the true
figures come from the capabilities' selectors, what is stored follows the
disclosure rules, and the computation's query count does not grow with
the data."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, User
from benchmark.disclosure import NOISE_CAP, THRESHOLD
from benchmark.models import BenchmarkCell, BenchmarkGroupFigure, BenchmarkPeriod
from benchmark.quarters import Quarter
from benchmark.services import BenchmarkError, benchmark_compute, benchmark_raw_cells
from benchmark.tests.builders import AFTER_QUARTER, QUARTER_MOMENT, organisation_build

pytestmark = pytest.mark.django_db
Q2 = Quarter(2026, 2)


def _three(sizes: tuple[int, int, int]) -> list[int]:
    return [
        organisation_build(slug=slug, residents=size, moment=QUARTER_MOMENT).organisation.pk
        for slug, size in zip(("alfa", "beta", "gamma"), sizes, strict=True)
    ]


def test_true_figures_come_from_the_capabilities() -> None:
    ids = _three((12, 20, 30))

    cells, labels = benchmark_raw_cells(quarter=Q2, organisation_ids=ids)

    by = {(c.organisation_id, c.metric, c.dimension): c for c in cells}
    first = ids[0]
    assert by[(first, "residents_supported", "")].total == 12
    assert by[(first, "cases_opened", "")].total == 12
    assert by[(first, "cases_closed", "")].total == 4
    assert by[(first, "online_blend_share", "")].total == 6
    assert by[(first, "online_blend_share", "")].denominator == 12
    assert by[(first, "appointments", "face_to_face")].total == 12
    assert by[(first, "appointments", "phone")].total == 6
    assert by[(first, "appointments", "all")].total == 18
    assert by[(first, "appointments", "all")].residents == 12
    assert by[(first, "no_show_rate", "face_to_face")].total == 3  # residents 0, 5, 10
    assert by[(first, "messages", "")].total == 24
    assert by[(first, "consultation_chats", "")].total == 12
    # Waits 1..7, 1..5 minutes: sorted 1,1,2,2,3,3,4,4,5,5,6,7 → p50 rank 6 = 3; p90 rank 11 = 6.
    assert by[(first, "consultation_wait_p50", "")].total == 3
    assert by[(first, "consultation_wait_p90", "")].total == 6
    zrm = [c for c in cells if c.organisation_id == first and c.metric == "zrm_change"]
    assert len(zrm) == 13
    assert all(c.total == 12 and c.residents == 12 for c in zrm)
    assert labels["financien"]


def test_three_organisations_are_published_with_group_figures_and_small_cells_withheld() -> None:
    ids = _three((12, 20, 30))

    period = benchmark_compute(quarter=Q2, now=AFTER_QUARTER)

    assert period.is_final
    cells = {(c.organisation_id, c.metric, c.dimension): c for c in BenchmarkCell.objects.filter(period=period)}
    supported = [cells[(i, "residents_supported", "")] for i in ids]
    for cell, true in zip(supported, (12, 20, 30), strict=True):
        assert cell.suppression == ""
        assert cell.value is not None
        assert abs(cell.value - true) <= NOISE_CAP
    # 12 residents, 4 closed cases: resting on fewer than ten, not published.
    closed = cells[(ids[0], "cases_closed", "")]
    assert closed.suppression == "small"
    assert closed.value is None
    # Phone appointments of the first organisation rest on 6 residents: small;
    # the total is published, so the smallest published member goes too.
    assert cells[(ids[0], "appointments", "phone")].suppression == "small"
    assert cells[(ids[0], "appointments", "face_to_face")].suppression == "secondary"
    assert cells[(ids[0], "appointments", "all")].suppression == ""
    group = BenchmarkGroupFigure.objects.get(period=period, metric="residents_supported", dimension="")
    assert group.organisations == 3
    assert group.median is not None
    assert group.lower_quartile is not None
    assert group.lower_quartile <= group.median <= (group.upper_quartile or 0)
    # Closed cases are published for two organisations only: no group figure.
    closed_group = BenchmarkGroupFigure.objects.get(period=period, metric="cases_closed", dimension="")
    assert closed_group.organisations == 1 or closed_group.median is None
    assert closed_group.median is None
    assert not BenchmarkCell.objects.filter(suppression="", value__isnull=True).exists()


def test_every_published_cell_rests_on_at_least_ten_residents() -> None:
    ids = _three((9, 11, 30))
    raw, _labels = benchmark_raw_cells(quarter=Q2, organisation_ids=ids)

    period = benchmark_compute(quarter=Q2, now=AFTER_QUARTER)

    published = {
        (c.organisation_id, c.metric, c.dimension) for c in BenchmarkCell.objects.filter(period=period, suppression="")
    }
    for cell in raw:
        if (cell.organisation_id, cell.metric, cell.dimension) in published:
            assert cell.residents >= THRESHOLD


def test_a_final_quarter_is_published_once() -> None:
    _three((10, 10, 10))
    benchmark_compute(quarter=Q2, now=AFTER_QUARTER)

    with pytest.raises(BenchmarkError, match="al gepubliceerd"):
        benchmark_compute(quarter=Q2, now=AFTER_QUARTER)

    assert BenchmarkPeriod.objects.count() == 1


def test_the_running_quarter_is_computed_again_without_group_figures() -> None:
    _three((10, 10, 10))
    during = datetime.fromisoformat("2026-06-01T12:00:00+02:00")

    benchmark_compute(quarter=Q2, now=during)
    period = benchmark_compute(quarter=Q2, now=during)

    assert not period.is_final
    assert not BenchmarkGroupFigure.objects.filter(period=period, median__isnull=False).exists()
    assert BenchmarkPeriod.objects.count() == 1


def test_a_quarter_that_has_not_begun_is_refused() -> None:
    with pytest.raises(BenchmarkError, match="nog niet begonnen"):
        benchmark_compute(quarter=Quarter(2026, 4), now=AFTER_QUARTER)


def _queries_of_computing(residents: int) -> int:
    _three((residents, residents, residents))
    with CaptureQueriesContext(connection) as queries:
        benchmark_compute(quarter=Q2, now=AFTER_QUARTER)
    return len(queries)


@pytest.mark.parametrize("residents", [3, 30])
def test_the_computation_costs_the_same_queries_for_3_and_30_residents(residents: int) -> None:
    # SAVEPOINT/RELEASE (2), the period (lock read, insert), the organisations,
    # eleven aggregates (cases, online blend, online blend per age band, appointments per kind and over
    # all kinds, messages, chats, wait p50, wait p90, ZRM changes — the
    # supported residents are a subquery — and the experience answers per
    # channel), and three bulk inserts
    # (participants, cells, group figures).
    assert _queries_of_computing(residents) == EXPECTED_QUERIES


EXPECTED_QUERIES = 19


def test_online_use_by_age_group_counts_residents_per_band_from_their_birth_year() -> None:
    ids = _three((12, 20, 30))
    residents = list(User.objects.filter(organisation_id=ids[0], role=Role.RESIDENT).order_by("pk"))
    # Ages reached in 2026: 10 residents of 40 (born 1986), 1 of 85, 1 without a birth year.
    User.objects.filter(pk__in=[r.pk for r in residents[:10]]).update(birth_year=1986)
    User.objects.filter(pk=residents[10].pk).update(birth_year=1941)

    cells, labels = benchmark_raw_cells(quarter=Q2, organisation_ids=ids)

    by = {(c.organisation_id, c.metric, c.dimension): c for c in cells}
    first = ids[0]
    age = "online_use_by_age_group"
    assert (by[(first, age, "age_30_49")].residents, by[(first, age, "age_30_49")].total) == (10, 5)
    assert by[(first, age, "age_80_plus")].residents == 1
    assert by[(first, age, "age_unknown")].residents == 1
    assert by[(first, age, "age_18_29")].residents == 0
    total = by[(first, age, "age_all")]
    assert (total.residents, total.total, total.denominator, total.is_total) == (12, 6, 12, True)
    assert labels["age_80_plus"] == "80 jaar en ouder"


def test_online_use_by_age_group_is_published_only_for_bands_of_ten_with_secondary_suppression() -> None:
    ids = _three((12, 20, 30))
    residents = list(User.objects.filter(organisation_id=ids[0], role=Role.RESIDENT).order_by("pk"))
    User.objects.filter(pk__in=[r.pk for r in residents[:10]]).update(birth_year=1986)
    User.objects.filter(pk=residents[10].pk).update(birth_year=1941)

    period = benchmark_compute(quarter=Q2, now=AFTER_QUARTER)

    cells = {
        c.dimension: c
        for c in BenchmarkCell.objects.filter(period=period, organisation_id=ids[0], metric="online_use_by_age_group")
    }
    assert cells["age_80_plus"].suppression == BenchmarkCell.Suppression.SMALL
    assert cells["age_unknown"].suppression == BenchmarkCell.Suppression.SMALL
    # The only published band would give the small ones away by subtraction from the total.
    assert cells["age_30_49"].suppression == BenchmarkCell.Suppression.SECONDARY
    assert cells["age_all"].value is not None


def test_the_demo_gives_residents_birth_years_and_leaves_some_unknown() -> None:
    from benchmark.demo import demo_birth_years_set

    ids = _three((12, 20, 30))

    demo_birth_years_set()

    years = list(User.objects.filter(organisation_id__in=ids, role=Role.RESIDENT).values_list("birth_year", flat=True))
    assert years.count(None) == len(years) // 7
    assert {year for year in years if year is not None} <= {1961, 1987, 1999, 1948, 1975, 1938}

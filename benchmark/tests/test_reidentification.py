"""Property-based: an attacker who sees the published benchmark, adds or
removes one organisation or one resident and compares the outputs, never
derives one resident's value.

The data are made up by Hypothesis: organisations with residents, each
with an online channel or not, appointments per kind, a ZRM change and a
wait in the consultation hour, and an age band (or none known). ``raw_cells`` aggregates them the way the
computation does (``benchmark.services.benchmark_raw_cells`` asks the
capabilities' selectors for the same sums), and ``publish`` is the real
disclosure code. What is checked:

1. every published cell rests on at least ten residents (counted here,
   from the residents themselves, not taken from the publisher);
2. what can be subtracted from a published total (the suppressed members
   of an additive group) rests on none or on at least ten residents;
3. removing one organisation whose cell is suppressed changes no group
   figure, and with fewer than three published organisations there is none;
4. removing one resident: the first publication is still exactly what the
   data would publish had that resident's value been different (another
   noise draw within the bounds explains it), so comparing it with the
   publication without them cannot tell the resident's value.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmark.disclosure import (
    MIN_ORGANISATIONS,
    NOISE_CAP,
    THRESHOLD,
    GroupFigure,
    Kind,
    Noise,
    Publication,
    RawCell,
    Suppression,
    cell_value,
    keyed_noise,
    publish,
)

KINDS = ("face_to_face", "phone", "video")
AGE_BANDS = ("age_18_29", "age_30_49", "age_50_64", "age_65_79", "age_80_plus", "age_unknown")
NOISE = keyed_noise(b"test secret of the property test")


@dataclass(frozen=True)
class Resident:
    number: int
    is_online: bool
    appointments: tuple[int, int, int]  # per kind in KINDS
    zrm_change: int | None  # -4..4, None without two measurements
    wait: int | None  # minutes, None without a consultation chat
    age_band: str = "age_unknown"  # one of AGE_BANDS


residents_strategy = st.builds(
    Resident,
    number=st.integers(0, 10**6),
    is_online=st.booleans(),
    appointments=st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 1)),
    zrm_change=st.one_of(st.none(), st.integers(-4, 4)),
    wait=st.one_of(st.none(), st.integers(0, 60)),
    age_band=st.sampled_from(AGE_BANDS),
)
organisations_strategy = st.lists(st.lists(residents_strategy, min_size=0, max_size=30), min_size=1, max_size=5)


def _percentile(values: list[int], fraction: float) -> int:
    ordered = sorted(values)
    rank = max(1, -int(-fraction * len(ordered) // 1))  # ceil, at least 1
    return ordered[rank - 1]


def raw_cells(organisations: dict[int, list[Resident]]) -> list[RawCell]:
    cells = []
    for org, people in organisations.items():
        count = len(people)
        cells.append(RawCell(org, "residents_supported", "", Kind.COUNT, count, count))
        online = sum(p.is_online for p in people)
        cells.append(RawCell(org, "online_blend_share", "", Kind.SHARE, count, online, denominator=count))
        for index, kind in enumerate((*KINDS, "all")):
            if kind == "all":
                having = [p for p in people if sum(p.appointments)]
                total = sum(sum(p.appointments) for p in people)
            else:
                having = [p for p in people if p.appointments[index]]
                total = sum(p.appointments[index] for p in people)
            cells.append(
                RawCell(
                    org,
                    "appointments",
                    kind,
                    Kind.COUNT,
                    len(having),
                    total,
                    group="appointments",
                    is_total=kind == "all",
                )
            )
        for band in (*AGE_BANDS, "age_all"):
            in_band = [p for p in people if band in {"age_all", p.age_band}]
            cells.append(
                RawCell(
                    org,
                    "online_use_by_age_group",
                    band,
                    Kind.SHARE,
                    len(in_band),
                    sum(p.is_online for p in in_band),
                    denominator=len(in_band),
                    group="online_use_by_age_group",
                    is_total=band == "age_all",
                )
            )
        changed = [p.zrm_change for p in people if p.zrm_change is not None]
        cells.append(RawCell(org, "zrm_change", "financien", Kind.AVERAGE, len(changed), sum(changed)))
        waits = [p.wait for p in people if p.wait is not None]
        p50 = _percentile(waits, 0.5) if waits else 0
        cells.append(RawCell(org, "consultation_wait_p50", "", Kind.MINUTES, len(waits), p50))
    return cells


def contributors(people: list[Resident], cell: RawCell) -> set[int]:
    """The residents a cell rests on, counted from the residents."""
    if cell.metric in {"residents_supported", "online_blend_share"}:
        return {p.number for p in people}
    if cell.metric == "appointments":
        if cell.dimension == "all":
            return {p.number for p in people if sum(p.appointments)}
        return {p.number for p in people if p.appointments[KINDS.index(cell.dimension)]}
    if cell.metric == "online_use_by_age_group":
        return {p.number for p in people if cell.dimension in {"age_all", p.age_band}}
    if cell.metric == "zrm_change":
        return {p.number for p in people if p.zrm_change is not None}
    return {p.number for p in people if p.wait is not None}


def _unique(organisations: list[list[Resident]]) -> dict[int, list[Resident]]:
    """Organisation number → residents, every resident numbered once."""
    result: dict[int, list[Resident]] = {}
    number = 0
    for org, people in enumerate(organisations, start=1):
        result[org] = []
        for person in people:
            number += 1
            result[org].append(replace(person, number=number))
    return result


def _publish(organisations: dict[int, list[Resident]], noise: Noise = NOISE) -> tuple[list[RawCell], Publication]:
    raw = raw_cells(organisations)
    return raw, publish(raw, noise=noise)


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(organisations_strategy)
def test_no_published_cell_rests_on_fewer_than_ten_residents(generated: list[list[Resident]]) -> None:
    organisations = _unique(generated)
    raw, publication = _publish(organisations)

    for source, cell in zip(raw, publication.cells, strict=True):
        if cell.is_published:
            assert len(contributors(organisations[source.organisation_id], source)) >= THRESHOLD
        else:
            assert cell.value is None


@PROPERTY
@given(organisations_strategy)
def test_a_suppressed_cell_cannot_be_subtracted_from_a_published_total(generated: list[list[Resident]]) -> None:
    organisations = _unique(generated)
    raw, publication = _publish(organisations)

    for org, people in organisations.items():
        for name in ("appointments", "online_use_by_age_group"):
            group = [
                (s, c)
                for s, c in zip(raw, publication.cells, strict=True)
                if s.organisation_id == org and s.group == name
            ]
            total = next(c for s, c in group if s.is_total)
            if not total.is_published:
                continue
            hidden: set[int] = set()
            for source, cell in group:
                if not source.is_total and not cell.is_published:
                    hidden |= contributors(people, source)
            assert not hidden or len(hidden) >= THRESHOLD


@PROPERTY
@given(organisations_strategy, st.data())
def test_adding_or_removing_an_organisation_reveals_no_suppressed_cell(
    generated: list[list[Resident]], data: st.DataObject
) -> None:
    organisations = _unique(generated)
    _raw, with_all = _publish(organisations)
    removed = data.draw(st.sampled_from(sorted(organisations)))
    _raw, without = _publish({org: people for org, people in organisations.items() if org != removed})

    for group in with_all.groups:
        published = [
            c.value
            for c in with_all.cells
            if c.metric == group.metric and c.dimension == group.dimension and c.value is not None
        ]
        # Group figures come from published cells only, and need three.
        assert group.organisations == len(published)
        if len(published) < MIN_ORGANISATIONS:
            assert group.median is None and group.lower_quartile is None and group.upper_quartile is None
        else:
            assert group.median == round(statistics.median(published), 1)
        cell = with_all.cell(removed, group.metric, group.dimension)
        assert cell is not None
        if not cell.is_published:
            empty = GroupFigure(group.metric, group.dimension, 0, None, None, None)
            assert (without.group(group.metric, group.dimension) or empty) == group


def _changed(person: Resident) -> Resident:
    """The same resident with a different value of everything they have."""
    appointments = tuple(count + 1 if count else 0 for count in person.appointments)
    change = person.zrm_change
    if change is not None:
        change = change - 1 if change > -4 else change + 1
    wait = person.wait + 1 if person.wait is not None else None
    return replace(
        person,
        is_online=not person.is_online,
        appointments=appointments,  # type: ignore[arg-type]
        zrm_change=change,
        wait=wait,
    )


def _explained(raw: RawCell, published: float, denominator_noise: int) -> bool:
    """Whether some noise within the bounds gives ``published`` for ``raw``."""
    return any(cell_value(raw, noise, denominator_noise) == published for noise in range(-NOISE_CAP, NOISE_CAP + 1))


@PROPERTY
@given(organisations_strategy, st.data())
def test_adding_or_removing_one_resident_does_not_reveal_their_value(
    generated: list[list[Resident]], data: st.DataObject
) -> None:
    organisations = _unique(generated)
    candidates = [(org, index) for org, people in organisations.items() for index in range(len(people))]
    if not candidates:
        return
    org, index = data.draw(st.sampled_from(candidates))
    raw, with_resident = _publish(organisations)
    without_people = {
        o: [p for i, p in enumerate(people) if (o, i) != (org, index)] for o, people in organisations.items()
    }
    _raw, without_resident = _publish(without_people)
    # The attacker holds both publications. Had the resident's values been
    # different, the publication without them would be the same ...
    assert _publish(without_people)[1] == without_resident
    # ... and the one with them is explained by the other values too.
    people = list(organisations[org])
    people[index] = _changed(people[index])
    other_raw, other = _publish({**organisations, org: people})
    for source, cell, other_source, other_cell in zip(raw, with_resident.cells, other_raw, other.cells, strict=True):
        assert cell.suppression == other_cell.suppression
        if not cell.is_published or source.organisation_id != org:
            continue
        assert cell.value is not None
        assert _explained(other_source, cell.value, NOISE(source, "denominator") if source.kind == Kind.SHARE else 0), (
            f"{source.metric}/{source.dimension} gives the resident away"
        )
    assert Suppression.NONE.value == ""


def test_the_attack_works_on_suppression_alone_without_noise() -> None:
    """The check has teeth: publish exact values (no noise) and the same
    comparison finds the resident's value; suppression alone is not enough."""
    people = [Resident(0, is_online=index < 4, appointments=(1, 0, 0), zrm_change=1, wait=5) for index in range(12)]
    organisations = _unique([people])
    exact: Noise = lambda raw, part: 0  # noqa: E731
    raw, publication = _publish(organisations, noise=exact)
    changed = list(organisations[1])
    changed[0] = _changed(changed[0])
    other_raw = raw_cells({1: changed})

    share = next(i for i, source in enumerate(raw) if source.metric == "online_blend_share")
    value = publication.cells[share].value
    assert value is not None
    assert cell_value(other_raw[share], 0) != value  # only one value explains it: the resident's

"""Effect measurement: the shipped instruments, a worker's ZRM (draft,
sign-off, locked, shared), the resident's self-assessment with the
face-to-face tick, bad input refused in plain Dutch with nothing stored,
foreign residents 404 with the refusal logged, the progress picture with
an outdated ZRM flagged, and constant query counts for 1 and 20
measurements."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from audit.models import AccessLogEntry
from casefiles.models import TimelineEvent
from conftest import Personas, client_for
from outcomes.models import Instrument, InstrumentVersion, Measurement, Score
from outcomes.selectors import progress_picture
from outcomes.services import (
    MeasurementLocked,
    OutcomeError,
    ScoreInput,
    measurement_change,
    measurement_record,
    measurement_share,
    measurement_sign_off,
)

ZRM_DOMAINS = [
    "Financiën",
    "Werk & opleiding",
    "Tijdsbesteding",
    "Huisvesting",
    "Huiselijke relaties",
    "Geestelijke gezondheid",
    "Lichamelijke gezondheid",
    "Middelengebruik",
    "Basale ADL",
    "Instrumentele ADL",
    "Sociaal netwerk",
    "Maatschappelijke participatie",
    "Justitie",
]


def version_of(code: str) -> InstrumentVersion:
    return InstrumentVersion.objects.get(instrument__code=code, instrument__organisation=None, number=1)


def zrm_scores(value: int = 3, **overrides: int | None) -> dict[int, ScoreInput]:
    items = list(version_of("zrm-2017").items.all())
    return {item.pk: ScoreInput(overrides.get(item.domain, value)) for item in items}


def zrm(personas: Personas, *, value: int = 3, days_ago: int = 0, sign: bool = True, moment: str = "intake") -> Any:
    measurement = measurement_record(
        resident=personas.resident,
        version=version_of("zrm-2017"),
        moment=moment,
        measured_on=timezone.localdate() - timedelta(days=days_ago),
        scored_by=personas.worker,
        scores=zrm_scores(value),
    )
    if sign:
        measurement = measurement_sign_off(measurement=measurement, signed_off_by=personas.worker)
    return measurement


def self_assessment(resident: User, *, value: int = 2, talk: tuple[str, ...] = (), skip: tuple[str, ...] = ()) -> Any:
    version = version_of("zelfinschatting")
    scores = {
        item.pk: ScoreInput(None if item.domain in skip else value, face_to_face_preferred=item.domain in talk)
        for item in version.items.all()
    }
    return measurement_record(
        resident=resident,
        version=version,
        moment="intake",
        measured_on=timezone.localdate(),
        scored_by=resident,
        scores=scores,
    )


def staff_form(version: InstrumentVersion, value: Any = "3", **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"moment": "intake", "measured_on": timezone.localdate().isoformat()}
    for item in version.items.all():
        data[f"score_{item.order}"] = str(value)
        data[f"note_{item.order}"] = ""
    data.update(extra)
    return data


def progress_url(resident: User) -> str:
    return f"/werk/inwoners/{resident.public_id}/voortgang/"


def add_url(resident: User, version: InstrumentVersion) -> str:
    return f"{progress_url(resident)}meten/{version.public_id}/"


def page(response: Any) -> str:
    return unescape(response.content.decode())


# --- Shipped instruments -------------------------------------------------------------------


def test_the_zrm_ships_with_13_domains_on_a_labelled_five_point_scale(db: None) -> None:
    version = version_of("zrm-2017")

    assert version.instrument.kind == Instrument.Kind.MATRIX
    assert version.instrument.validity_days == 30
    assert [item.label for item in version.items.all()] == ZRM_DOMAINS
    assert [(p.value, p.label) for p in version.scale_points.all()] == [
        (1, "acute problematiek"),
        (2, "niet zelfredzaam"),
        (3, "beperkt zelfredzaam"),
        (4, "voldoende zelfredzaam"),
        (5, "volledig zelfredzaam"),
    ]


def test_the_self_assessment_asks_the_same_domains_in_plain_words(db: None) -> None:
    zrm_items = list(version_of("zrm-2017").items.all())
    own = list(version_of("zelfinschatting").items.all())

    assert [i.domain for i in own] == [i.domain for i in zrm_items]
    assert [i.label for i in own][:4] == ["Geld", "Werk of school", "Wat u doet op een dag", "Wonen"]
    assert version_of("zelfinschatting").instrument.filled_by == Instrument.FilledBy.RESIDENT


def test_the_participation_ladder_has_six_levels(db: None) -> None:
    points = list(version_of("participatieladder").scale_points.values_list("value", "label"))

    assert points[0] == (1, "geïsoleerd")
    assert points[-1] == (6, "betaald werk")
    assert len(points) == 6


def test_a_version_is_frozen_once_a_measurement_uses_it(personas: Personas) -> None:
    assert not version_of("zrm-2017").is_frozen

    zrm(personas, sign=False)

    assert version_of("zrm-2017").is_frozen


# --- The worker records a ZRM ------------------------------------------------------------------


def test_worker_records_a_zrm_signs_it_off_and_shares_it(personas: Personas) -> None:
    version = version_of("zrm-2017")
    client = client_for(personas.worker)

    response = client.post(add_url(personas.resident, version), staff_form(version, 2))

    measurement = Measurement.objects.get(resident=personas.resident)
    assert response.status_code == 302
    assert measurement.status == Measurement.Status.DRAFT
    assert set(measurement.scores.values_list("value", flat=True)) == {2}
    response = client.post(f"/werk/metingen/{measurement.public_id}/aftekenen/")
    measurement.refresh_from_db()
    assert measurement.is_locked
    client.post(f"/werk/metingen/{measurement.public_id}/delen/", {"is_shared": "on"})
    measurement.refresh_from_db()
    assert measurement.is_shared
    assert TimelineEvent.objects.filter(resident=personas.resident, kind="outcomes.shared", is_shared=True).exists()
    assert AccessLogEntry.objects.filter(
        object_type="measurement", object_id=str(measurement.public_id), action="create", actor=personas.worker
    ).exists()


def test_a_score_out_of_range_is_refused_and_nothing_is_stored(personas: Personas) -> None:
    version = version_of("zrm-2017")

    response = client_for(personas.worker).post(add_url(personas.resident, version), staff_form(version, 7))

    assert response.status_code == 200
    assert "Kies een score van 1 tot en met 5." in page(response)
    assert not Measurement.objects.exists()
    with pytest.raises(OutcomeError, match="past alleen een score van 1 tot en met 5"):
        measurement_record(
            resident=personas.resident,
            version=version,
            moment="intake",
            measured_on=timezone.localdate(),
            scored_by=personas.worker,
            scores=zrm_scores(3, financien=0),
        )
    assert not Measurement.objects.exists()
    assert not Score.objects.exists()


def test_a_measurement_in_the_future_is_refused(personas: Personas) -> None:
    version = version_of("zrm-2017")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = client_for(personas.worker).post(
        add_url(personas.resident, version), staff_form(version, measured_on=tomorrow)
    )

    assert "De datum van de meting ligt in de toekomst" in page(response)
    assert not Measurement.objects.exists()


def test_a_draft_with_an_open_domain_cannot_be_signed_off(personas: Personas) -> None:
    measurement = measurement_record(
        resident=personas.resident,
        version=version_of("zrm-2017"),
        moment="intake",
        measured_on=timezone.localdate(),
        scored_by=personas.worker,
        scores=zrm_scores(3, justitie=None),
    )

    with pytest.raises(OutcomeError, match="Vul eerst bij elk domein een score in"):
        measurement_sign_off(measurement=measurement, signed_off_by=personas.worker)
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.DRAFT


def test_a_signed_off_measurement_is_locked_and_the_attempt_logged(personas: Personas) -> None:
    measurement = zrm(personas, value=3)
    version = version_of("zrm-2017")

    response = client_for(personas.worker).post(
        f"/werk/metingen/{measurement.public_id}/", staff_form(version, 5), follow=True
    )

    assert "Deze meting is afgetekend en kan niet meer worden gewijzigd" in page(response)
    assert set(measurement.scores.values_list("value", flat=True)) == {3}
    assert AccessLogEntry.objects.filter(
        object_id=str(measurement.public_id), action="change", outcome="denied", actor=personas.worker
    ).exists()
    with pytest.raises(MeasurementLocked):
        measurement_change(
            measurement=measurement,
            changed_by=personas.worker,
            moment="review",
            measured_on=timezone.localdate(),
            scores=zrm_scores(4),
        )
    measurement.refresh_from_db()
    assert measurement.moment == "intake"


def test_a_draft_can_be_changed(personas: Personas) -> None:
    measurement = zrm(personas, value=3, sign=False)
    version = version_of("zrm-2017")

    response = client_for(personas.worker).post(f"/werk/metingen/{measurement.public_id}/", staff_form(version, 4))

    assert response.status_code == 302
    assert set(measurement.scores.values_list("value", flat=True)) == {4}


def test_a_foreign_resident_is_404_and_the_refusal_logged(personas: Personas) -> None:
    version = version_of("zrm-2017")
    client = client_for(personas.worker)

    response = client.post(add_url(personas.foreign_resident, version), staff_form(version))

    assert response.status_code == 404
    assert not Measurement.objects.exists()
    assert AccessLogEntry.objects.filter(
        subject=personas.foreign_resident, actor=personas.worker, outcome="denied"
    ).exists()
    assert client.get(progress_url(personas.other_resident)).status_code == 404


def test_a_measurement_of_another_caseload_is_404(personas: Personas) -> None:
    measurement = zrm(personas)

    for user in (personas.other_worker, personas.foreign_worker, personas.team_lead):
        assert client_for(user).get(f"/werk/metingen/{measurement.public_id}/").status_code == 404
    assert AccessLogEntry.objects.filter(
        object_id=str(measurement.public_id), actor=personas.foreign_worker, outcome="denied"
    ).exists()


def test_only_the_resident_fills_in_the_self_assessment(personas: Personas) -> None:
    version = version_of("zelfinschatting")
    with pytest.raises(OutcomeError, match="vult de inwoner zelf in"):
        measurement_record(
            resident=personas.resident,
            version=version,
            moment="intake",
            measured_on=timezone.localdate(),
            scored_by=personas.worker,
            scores={item.pk: ScoreInput(3) for item in version.items.all()},
        )
    assert not Measurement.objects.exists()


# --- The resident fills in the self-assessment -----------------------------------------------


def test_resident_fills_in_the_self_assessment_with_a_tick_and_a_skip(personas: Personas) -> None:
    version = version_of("zelfinschatting")
    data: dict[str, Any] = {"moment": "intake"}
    for item in version.items.all():
        if item.domain != "justitie":
            data[f"score_{item.order}"] = "4"
    data["talk_6"] = "on"  # Hoe u zich voelt

    response = client_for(personas.resident).post("/mijn/voortgang/invullen/", data)

    assert response.status_code == 302
    measurement = Measurement.objects.get(resident=personas.resident)
    assert measurement.is_locked
    scores = {s.item.domain: s for s in measurement.scores.select_related("item")}
    assert scores["justitie"].value is None
    assert scores["geestelijke_gezondheid"].face_to_face_preferred
    worker_page = page(client_for(personas.worker).get(progress_url(personas.resident)))
    assert "De inwoner praat hier liever over in een gesprek" in worker_page
    assert "Hoe u zich voelt" in worker_page or "Geestelijke gezondheid" in worker_page


def test_an_empty_self_assessment_is_refused(personas: Personas) -> None:
    response = client_for(personas.resident).post("/mijn/voortgang/invullen/", {"moment": "intake"})

    assert "Kies bij minstens één onderwerp een antwoord." in page(response)
    assert not Measurement.objects.exists()


def test_a_trusted_person_cannot_reach_the_progress_page(personas: Personas) -> None:
    assert client_for(personas.trusted_person).get("/mijn/voortgang/").status_code == 404


def test_the_resident_sees_the_zrm_only_once_shared(personas: Personas) -> None:
    measurement = zrm(personas, value=2)
    self_assessment(personas.resident, value=4)
    client = client_for(personas.resident)

    before = page(client.get("/mijn/voortgang/"))
    measurement_share(measurement=measurement, shared_by=personas.worker, is_shared=True)
    after = page(client.get("/mijn/voortgang/"))

    assert "Medewerker" not in before
    assert "Medewerker, intake" in after


# --- The progress picture -------------------------------------------------------------------------


def test_the_radar_chart_overlays_zrm_and_self_assessment_with_distinct_lines(personas: Personas) -> None:
    zrm(personas, value=2, days_ago=40)
    zrm(personas, value=4, moment="review")
    self_assessment(personas.resident, value=3, talk=("financien",))

    response = client_for(personas.worker).get(progress_url(personas.resident))
    html = page(response)

    assert response.status_code == 200
    assert html.count('stroke-dasharray="') >= 2 * 2  # chart lines and legend
    assert "<polygon" in html
    # The change table: first 2, last 4, change +2 for every domain of the ZRM.
    assert "+2" in html
    assert "verouderd" not in html.split("Alle metingen")[0]


def test_an_outdated_zrm_is_flagged(personas: Personas) -> None:
    zrm(personas, value=3, days_ago=31)

    html = page(client_for(personas.worker).get(progress_url(personas.resident)))

    assert "verouderd" in html
    assert "ouder dan 30 dagen" in html


def test_a_zrm_of_30_days_is_not_outdated(personas: Personas) -> None:
    zrm(personas, value=3, days_ago=30)

    picture = progress_picture(resident=personas.resident, for_resident=False, today=timezone.localdate())

    assert picture.outdated_matrix is None


def test_the_change_table_compares_first_and_last(personas: Personas) -> None:
    zrm(personas, value=1, days_ago=20)
    zrm(personas, value=2, days_ago=10)
    zrm(personas, value=4)

    picture = progress_picture(resident=personas.resident, for_resident=False, today=timezone.localdate())

    assert len(picture.domains) == 13
    assert {row.cells[0].change for row in picture.changes} == {3}
    assert len(picture.chart_rows) == 2


def _measure_many(personas: Personas, count: int) -> None:
    for number in range(count):
        zrm(personas, value=1 + number % 5, days_ago=count - number)
        self_assessment(personas.resident, value=1 + (number + 2) % 5, talk=("wonen",) if number % 3 else ())


@pytest.mark.parametrize("url", ["staff", "resident"])
def test_progress_pages_cost_the_same_queries_for_1_and_20_measurements(personas: Personas, url: str) -> None:
    def count_queries() -> int:
        if url == "staff":
            client, path = client_for(personas.worker), progress_url(personas.resident)
        else:
            client, path = client_for(personas.resident), "/mijn/voortgang/"
        client.get(path)  # warm up: the session and the menu
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    _measure_many(personas, 1)
    one = count_queries()
    _measure_many(personas, 19)
    twenty = count_queries()

    assert one == twenty


def test_every_read_of_the_progress_page_is_logged(personas: Personas) -> None:
    client_for(personas.worker).get(progress_url(personas.resident))

    assert AccessLogEntry.objects.filter(
        subject=personas.resident, object_type="outcomes", action="view", actor=personas.worker
    ).exists()


def test_measured_on_cannot_be_before_1900(personas: Personas) -> None:
    with pytest.raises(OutcomeError, match="tussen 1900 en 2100"):
        measurement_record(
            resident=personas.resident,
            version=version_of("zrm-2017"),
            moment="intake",
            measured_on=date(1899, 12, 31),
            scored_by=personas.worker,
            scores=zrm_scores(3),
        )


def test_the_demo_resident_has_an_intake_and_a_review(personas: Personas) -> None:
    from outcomes.demo import demo_outcomes_create

    demo_outcomes_create(resident=personas.resident, worker=personas.worker)

    staff = progress_picture(resident=personas.resident, for_resident=False, today=timezone.localdate())
    own = progress_picture(resident=personas.resident, for_resident=True, today=timezone.localdate())
    assert len(staff.chart_rows) == 3
    assert staff.changes[0].cells[0].change == 2  # Financiën: 1 at intake, 3 at review
    assert len(own.chart_rows) == 2  # the shared intake ZRM and the resident's own
    assert [domain.label for domain, _row in staff.ticks] == ["Huiselijke relaties"]


# --- Caseload aggregate -----------------------------------------------------------------------------


def _zrm_for(resident: User, worker: User, value: int, days_ago: int) -> None:
    version = version_of("zrm-2017")
    measurement = measurement_record(
        resident=resident,
        version=version,
        moment="intake",
        measured_on=timezone.localdate() - timedelta(days=days_ago),
        scored_by=worker,
        scores={item.pk: ScoreInput(value) for item in version.items.all()},
    )
    measurement_sign_off(measurement=measurement, signed_off_by=worker)


def test_the_caseload_shows_the_average_change_per_domain_with_n(personas: Personas) -> None:
    from organisations.services import caseload_assign

    _zrm_for(personas.resident, personas.worker, 1, 30)
    _zrm_for(personas.resident, personas.worker, 2, 20)
    _zrm_for(personas.resident, personas.worker, 4, 10)  # +3
    caseload_assign(resident=personas.other_resident, worker=personas.worker, assigned_by=personas.admin)
    _zrm_for(personas.other_resident, personas.worker, 3, 10)
    _zrm_for(personas.other_resident, personas.worker, 2, 0)  # -1
    _zrm_for(personas.team_resident, personas.team_worker, 1, 10)
    _zrm_for(personas.team_resident, personas.team_worker, 5, 0)  # not on Sanne's caseload

    response = client_for(personas.worker).get("/werk/voortgang/")

    html = page(response)
    assert response.status_code == 200
    changes = response.context["changes"]
    assert len(changes) == 13
    assert {(c.average, c.count) for c in changes} == {(1.0, 2)}
    assert "Financiën" in html
    assert personas.resident.get_full_name() not in html
    lead = client_for(personas.team_lead).get("/werk/voortgang/").context["changes"]
    assert {(c.average, c.count) for c in lead} == {(4.0, 1)}


def test_the_caseload_aggregate_costs_the_same_queries_for_1_and_5_residents(personas: Personas) -> None:
    from accounts.models import User as UserModel
    from organisations.services import caseload_assign
    from outcomes.selectors import caseload_changes

    def queries() -> int:
        residents = UserModel.objects.filter(worker_assignments__worker=personas.worker).distinct()
        with CaptureQueriesContext(connection) as captured:
            caseload_changes(residents=residents)
        return len(captured)

    _zrm_for(personas.resident, personas.worker, 1, 10)
    _zrm_for(personas.resident, personas.worker, 3, 0)
    one = queries()
    for resident in (personas.other_resident, personas.team_resident):
        caseload_assign(resident=resident, worker=personas.worker, assigned_by=personas.admin)
        _zrm_for(resident, personas.worker, 2, 10)
        _zrm_for(resident, personas.worker, 4, 0)

    assert queries() == one == 1


# --- Indicator texts (licensed organisations only) ---------------------------------------------------

IMPORT_URL = "/beheer/metingen/indicatoren/"


def _csv(*lines: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("zrm.csv", "\n".join(["domein;score;indicator", *lines]).encode(), "text/csv")


def test_an_admin_imports_indicator_texts_and_workers_of_that_organisation_see_them(personas: Personas) -> None:
    from outcomes.models import IndicatorText

    version = version_of("zrm-2017")
    response = client_for(personas.admin).post(
        IMPORT_URL,
        {
            "version": str(version.public_id),
            "file": _csv("Financiën;1;Groeiende schulden", "huisvesting;5;Eigen woning"),
        },
    )

    assert response.status_code == 302
    assert IndicatorText.objects.filter(organisation=personas.organisation).count() == 2
    form_page = page(client_for(personas.worker).get(add_url(personas.resident, version)))
    assert "Groeiende schulden" in form_page
    foreign_page = page(client_for(personas.foreign_worker).get(add_url(personas.foreign_resident, version)))
    assert "Groeiende schulden" not in foreign_page


def test_one_bad_line_refuses_the_whole_file(personas: Personas) -> None:
    from outcomes.models import IndicatorText

    version = version_of("zrm-2017")
    response = client_for(personas.admin).post(
        IMPORT_URL, {"version": str(version.public_id), "file": _csv("Financiën;1;Schulden", "Financiën;9;Te hoog")}
    )

    assert "Regel 3: de score moet een getal van 1 tot en met 5 zijn." in page(response)
    assert not IndicatorText.objects.exists()


def test_worker_places_the_resident_on_the_participation_ladder(personas: Personas) -> None:
    version = version_of("participatieladder")
    data = {"moment": "intake", "measured_on": timezone.localdate().isoformat(), "score_1": "6"}
    client = client_for(personas.worker)

    response = client.post(add_url(personas.resident, version), data)

    measurement = Measurement.objects.get(resident=personas.resident)
    assert response.status_code == 302
    assert measurement.scores.get().value == 6
    assert "Kies een score van 1 tot en met 6." in page(
        client.post(add_url(personas.resident, version), {**data, "score_1": "7"})
    )
    assert Measurement.objects.count() == 1


def test_the_resident_cannot_open_the_worker_form(personas: Personas) -> None:
    version = version_of("zrm-2017")

    assert client_for(personas.resident).get(add_url(personas.resident, version)).status_code == 403


def test_timeline_sentences_per_reader(personas: Personas) -> None:
    from casefiles.timeline import timeline_event_text

    measurement = zrm(personas)
    measurement_share(measurement=measurement, shared_by=personas.worker, is_shared=True)
    event = TimelineEvent.objects.select_related("actor").get(kind="outcomes.shared")

    to_resident, link = timeline_event_text(event, viewer=personas.resident)
    to_worker, _link = timeline_event_text(event, viewer=personas.worker)

    assert to_resident == "Sanne de Jong laat u de uitkomst van Zelfredzaamheid-Matrix (ZRM 2017) (intake) zien"
    assert link == "/mijn/voortgang/"
    assert to_worker.startswith("U hebt Zelfredzaamheid-Matrix (ZRM 2017) (intake) gedeeld")

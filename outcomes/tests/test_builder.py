"""Issue 14, parts 1-3 and 6: the organisation admin's questionnaire builder
(create, questions of three types, publish, a new version once used),
the custom questionnaire filled in by the resident with the face-to-face
tick and seen by the worker, bad input refused with nothing stored,
measurements linked to the case's goals, the outdated ZRM flagged where the
worker prepares a review, and the team's and organisation's distribution
per domain with the small-n rule, its query count and its daily cache."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from casefiles.models import Goal
from casefiles.services import case_open, goal_add
from conftest import Personas, client_for
from outcomes.models import Instrument, InstrumentVersion, Item, Measurement, Score
from outcomes.services import (
    ItemInput,
    OutcomeError,
    ScoreInput,
    measurement_record,
    measurement_sign_off,
    questionnaire_create,
    questionnaire_item_save,
    questionnaire_version_publish,
)

LIST_URL = "/beheer/vragenlijsten/"


def page(response: Any) -> str:
    return unescape(response.content.decode())


def _questionnaire(personas: Personas, *, filled_by: str = "both") -> InstrumentVersion:
    """A published questionnaire of the first organisation: a 1-4 scale, a
    choice of three, an open answer of at most 20 characters."""
    instrument = questionnaire_create(
        organisation_id=personas.organisation.pk,
        name="Tevredenheid",
        filled_by=filled_by,
        validity_days=90,
        description="",
        created_by=personas.admin,
    )
    version = instrument.versions.get()
    for data in (
        ItemInput("Hoe tevreden bent u?", "scale", "Hoe blij bent u met de hulp?", ("Slecht", "Matig", "Goed", "Top")),
        ItemInput("Hoe vaak zien we elkaar?", "choice", "", ("Te weinig", "Goed zo", "Te vaak")),
        ItemInput("Wat kan beter?", "text", "Wat kan er beter?", (), 20),
    ):
        questionnaire_item_save(version=version, data=data, saved_by=personas.admin)
    return questionnaire_version_publish(version=version, published_by=personas.admin)


# --- The builder --------------------------------------------------------------------------


def test_admin_builds_a_questionnaire_publishes_it_and_a_used_version_gets_a_new_draft(personas: Personas) -> None:
    admin = client_for(personas.admin)

    listing = page(admin.get(LIST_URL))
    assert "Zelfredzaamheid-Matrix" in listing  # the shipped ones, read-only
    response = admin.post(
        LIST_URL, {"name": "Gesprek achteraf", "filled_by": "resident", "validity_days": "60", "description": ""}
    )
    instrument = Instrument.objects.get(organisation=personas.organisation, name="Gesprek achteraf")
    draft = instrument.versions.get()
    edit_url = f"{LIST_URL}versies/{draft.public_id}/"
    assert response.status_code == 302 and response["Location"] == edit_url
    assert instrument.kind == Instrument.Kind.QUESTIONNAIRE and draft.published_at is None

    admin.post(
        edit_url,
        {"label": "Hoe ging het?", "resident_wording": "Hoe ging het gesprek?", "answer_type": "scale",
         "options": "Niet goed\nGaat wel\nGoed", "max_length": ""},
    )  # fmt: skip
    admin.post(edit_url, {"label": "Opmerking", "answer_type": "text", "options": "", "max_length": "200"})
    admin.post(edit_url, {"label": "Kanaal", "answer_type": "choice", "options": "Beeldbellen\nOp kantoor"})
    items = list(draft.items.order_by("order"))
    assert [(i.label, i.answer_type) for i in items] == [
        ("Hoe ging het?", "scale"),
        ("Opmerking", "text"),
        ("Kanaal", "choice"),
    ]
    assert [(o.value, o.label) for o in items[0].options.all()] == [(1, "Niet goed"), (2, "Gaat wel"), (3, "Goed")]
    assert items[1].max_length == 200

    # Change a question, move it, remove one.
    admin.post(
        f"{edit_url}vragen/1/",
        {"label": "Hoe ging het gesprek?", "answer_type": "scale", "options": "Slecht\nGoed", "max_length": ""},
    )
    admin.post(f"{edit_url}vragen/3/wijzigen/", {"actie": "omhoog"})
    admin.post(f"{edit_url}vragen/3/wijzigen/", {"actie": "verwijderen"})
    assert [(i.order, i.label) for i in draft.items.order_by("order")] == [(1, "Hoe ging het gesprek?"), (2, "Kanaal")]
    assert draft.items.get(order=1).options.count() == 2

    admin.post(f"{edit_url}publiceren/")
    draft.refresh_from_db()
    assert draft.published_at is not None

    # The resident fills it in: the version is frozen, the builder refuses changes.
    resident = client_for(personas.resident)
    assert "Gesprek achteraf invullen" in page(resident.get("/mijn/voortgang/"))
    response = resident.post(f"/mijn/voortgang/vragenlijsten/{draft.public_id}/", {"moment": "intake", "score_1": "2"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_frozen
    refused = admin.post(edit_url, {"label": "Nog een", "answer_type": "text", "max_length": "10"}, follow=True)
    assert "ligt vast" in page(refused)
    assert draft.items.count() == 2

    # A new version copies the questions; the history lists both.
    response = admin.post(f"{LIST_URL}{instrument.public_id}/nieuwe-versie/")
    second = instrument.versions.get(number=2)
    assert response["Location"] == f"{LIST_URL}versies/{second.public_id}/"
    assert second.published_at is None and not second.is_frozen
    assert [i.label for i in second.items.order_by("order")] == ["Hoe ging het gesprek?", "Kanaal"]
    assert second.items.get(order=2).options.count() == 2
    history = page(admin.get(f"{LIST_URL}{instrument.public_id}/"))
    assert "Versie 1" in history and "Versie 2" in history and "gebruikt: ligt vast" in history


def test_builder_refuses_bad_questions_in_plain_dutch(personas: Personas) -> None:
    admin = client_for(personas.admin)
    instrument = questionnaire_create(
        organisation_id=personas.organisation.pk,
        name="Proef",
        filled_by="worker",
        validity_days=None,
        description="",
        created_by=personas.admin,
    )
    edit_url = f"{LIST_URL}versies/{instrument.versions.get().public_id}/"

    one_option = page(admin.post(edit_url, {"label": "Vraag", "answer_type": "choice", "options": "Ja"}))
    no_length = page(admin.post(edit_url, {"label": "Vraag", "answer_type": "text", "options": ""}))
    twice = page(admin.post(edit_url, {"label": "Vraag", "answer_type": "choice", "options": "Ja\nja"}))
    empty = page(admin.post(f"{edit_url}publiceren/", follow=True))

    assert "Geef 2 tot 10 antwoorden" in one_option
    assert "Kies hoeveel tekens" in no_length
    assert "maar één keer" in twice
    assert "Voeg eerst minstens één vraag toe" in empty
    assert not Item.objects.filter(version__instrument=instrument).exists()


def test_shipped_instruments_are_read_only_and_another_organisations_are_404(personas: Personas) -> None:
    zrm = InstrumentVersion.objects.get(instrument__code="zrm-2017", instrument__organisation=None)
    own = _questionnaire(personas)
    admin, foreign = client_for(personas.admin), client_for(personas.foreign_admin)

    shipped_page = page(admin.get(f"{LIST_URL}versies/{zrm.public_id}/"))
    refused = admin.post(f"{LIST_URL}versies/{zrm.public_id}/", {"label": "X", "answer_type": "text"}, follow=True)

    assert "Financiën" in shipped_page and "Vraag toevoegen" not in shipped_page
    assert "ligt vast" in page(refused)
    assert zrm.items.count() == 13
    assert admin.post(f"{LIST_URL}{zrm.instrument.public_id}/nieuwe-versie/", follow=True).status_code == 200
    assert zrm.instrument.versions.count() == 1
    for url in (
        f"{LIST_URL}{own.instrument.public_id}/",
        f"{LIST_URL}versies/{own.public_id}/",
        f"{LIST_URL}versies/{own.public_id}/vragen/1/",
    ):
        assert foreign.get(url).status_code == 404
    assert foreign.post(f"{LIST_URL}versies/{own.public_id}/publiceren/").status_code == 404
    assert (
        client_for(personas.foreign_resident).get(f"/mijn/voortgang/vragenlijsten/{own.public_id}/").status_code == 404
    )


# --- Filling in ----------------------------------------------------------------------------


def test_resident_fills_in_the_custom_questionnaire_with_a_tick_and_the_worker_sees_it(personas: Personas) -> None:
    version = _questionnaire(personas)
    url = f"/mijn/voortgang/vragenlijsten/{version.public_id}/"
    resident = client_for(personas.resident)

    form = page(resident.get(url))
    assert form.count('class="check outcomes-talk"') == 3  # a tick at every question
    assert "Hoe blij bent u met de hulp?" in form and "Te vaak" in form
    response = resident.post(
        url, {"moment": "intake", "score_1": "3", "score_2": "2", "talk_2": "on", "score_3": "Meer avonden"}
    )

    assert response.status_code == 302
    measurement = Measurement.objects.get(version=version)
    assert measurement.is_locked and measurement.scored_by == personas.resident
    answers = {s.item.order: (s.value, s.text, s.face_to_face_preferred) for s in measurement.scores.all()}
    assert answers == {1: (3, "", False), 2: (2, "", True), 3: (None, "Meer avonden", False)}
    staff = page(client_for(personas.worker).get(f"/werk/metingen/{measurement.public_id}/"))
    assert "3: Goed" in staff and "Goed zo" in staff and "Meer avonden" in staff
    assert "Ik praat hier liever over in een gesprek" in staff
    assert "Tevredenheid" in page(
        client_for(personas.worker).get(f"/werk/inwoners/{personas.resident.public_id}/voortgang/")
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"score_2": "7"}, "Kies een van de antwoorden die er staan."),
        ({"score_3": "x" * 21}, "Uw antwoord is te lang. Gebruik hoogstens 20 tekens."),
        ({"score_1": "5"}, "Kies een score van 1 tot en met 4."),
    ],
)
def test_bad_answers_are_refused_in_plain_dutch_and_nothing_is_stored(
    personas: Personas, data: dict[str, str], message: str
) -> None:
    version = _questionnaire(personas)

    response = client_for(personas.resident).post(
        f"/mijn/voortgang/vragenlijsten/{version.public_id}/", {"moment": "intake", **data}
    )

    assert response.status_code == 200
    assert message in page(response)
    assert not Measurement.objects.filter(version=version).exists()


def test_the_service_refuses_what_the_form_would_have_caught(personas: Personas) -> None:
    version = _questionnaire(personas)
    items = {item.order: item for item in version.items.all()}

    def record(scores: dict[int, ScoreInput]) -> None:
        measurement_record(
            resident=personas.resident,
            version=version,
            moment="intake",
            measured_on=timezone.localdate(),
            scored_by=personas.resident,
            scores=scores,
        )

    for scores, match in (
        ({items[2].pk: ScoreInput(9)}, "een van de antwoorden"),
        ({items[3].pk: ScoreInput(None, text="y" * 21)}, "hoogstens 20 tekens"),
        ({items[1].pk: ScoreInput(0)}, "van 1 tot en met 4"),
        ({items[1].pk: ScoreInput(None, text="tekst")}, "uit de lijst"),
    ):
        with pytest.raises(OutcomeError, match=match):
            record(scores)
    assert not Score.objects.filter(item__version=version).exists()


def test_a_worker_only_questionnaire_is_404_for_the_resident(personas: Personas) -> None:
    version = _questionnaire(personas, filled_by="worker")

    assert client_for(personas.resident).get(f"/mijn/voortgang/vragenlijsten/{version.public_id}/").status_code == 404


# --- Goals ---------------------------------------------------------------------------------


def _goals(personas: Personas) -> tuple[Goal, Goal]:
    case = case_open(resident=personas.resident, opened_by=personas.worker)
    housing = goal_add(
        case=case, title="Een eigen huis", description="", question=None, target_date=None, added_by=personas.worker
    )
    money = goal_add(
        case=case, title="Schulden op orde", description="", question=None, target_date=None, added_by=personas.worker
    )
    return housing, money


def test_a_measurement_names_goals_of_the_case_and_shows_them(personas: Personas) -> None:
    housing, _money = _goals(personas)
    version = _questionnaire(personas, filled_by="worker")
    worker = client_for(personas.worker)
    add = f"/werk/inwoners/{personas.resident.public_id}/voortgang/meten/{version.public_id}/"

    assert "Schulden op orde" in page(worker.get(add))
    response = worker.post(
        add,
        {"moment": "review", "measured_on": timezone.localdate().isoformat(), "score_1": "2", "score_2": "1",
         "score_3": "", "goals": [str(housing.public_id)]},
    )  # fmt: skip

    measurement = Measurement.objects.get(version=version)
    assert response.status_code == 302
    assert list(measurement.goals.all()) == [housing]
    assert "Een eigen huis" in page(worker.get(f"/werk/metingen/{measurement.public_id}/"))
    assert "Een eigen huis" in page(worker.get(f"/werk/inwoners/{personas.resident.public_id}/voortgang/"))


def test_a_goal_of_another_case_is_refused(personas: Personas) -> None:
    _goals(personas)
    other_case = case_open(resident=personas.other_resident, opened_by=personas.other_worker)
    elsewhere = goal_add(
        case=other_case, title="Werk", description="", question=None, target_date=None, added_by=personas.other_worker
    )
    version = _questionnaire(personas, filled_by="worker")

    with pytest.raises(OutcomeError, match="Kies alleen doelen uit het dossier"):
        measurement_record(
            resident=personas.resident,
            version=version,
            moment="intake",
            measured_on=timezone.localdate(),
            scored_by=personas.worker,
            scores={version.items.get(order=1).pk: ScoreInput(2)},
            goal_ids=[str(elsewhere.public_id)],
        )
    assert not Measurement.objects.filter(version=version).exists()


# --- The outdated ZRM at a review --------------------------------------------------------------


def _zrm(resident: User, worker: User, *, value: int, days_ago: int) -> None:
    version = InstrumentVersion.objects.get(instrument__code="zrm-2017", instrument__organisation=None)
    measurement = measurement_record(
        resident=resident,
        version=version,
        moment="intake",
        measured_on=timezone.localdate() - timedelta(days=days_ago),
        scored_by=worker,
        scores={item.pk: ScoreInput(value) for item in version.items.all()},
    )
    measurement_sign_off(measurement=measurement, signed_off_by=worker)


def test_the_worker_day_flags_an_outdated_zrm_at_a_review(personas: Personas) -> None:
    from blend.models import BlendPlan

    in_three_days = timezone.localdate() + timedelta(days=3)
    BlendPlan.objects.update_or_create(resident=personas.resident, defaults={"review_date": in_three_days})
    _zrm(personas.resident, personas.worker, value=3, days_ago=29)  # 32 days old on the review day

    html = page(client_for(personas.worker).get("/werk/vandaag/"))
    assert "ZRM verouderd" in html
    assert "op de evaluatiedag ouder dan 30 dagen" in html

    _zrm(personas.resident, personas.worker, value=3, days_ago=0)
    assert "ZRM verouderd" not in page(client_for(personas.worker).get("/werk/vandaag/"))


def test_matrix_at_review_is_one_query(personas: Personas) -> None:
    from outcomes.selectors import matrix_at_review

    _zrm(personas.resident, personas.worker, value=3, days_ago=40)
    day = timezone.localdate()
    with CaptureQueriesContext(connection) as captured:
        found = matrix_at_review(review_days={personas.resident.pk: day, personas.other_resident.pk: day})
    assert len(captured) == 1
    assert found[personas.resident.pk].is_outdated and found[personas.resident.pk].measured_on is not None
    assert found[personas.other_resident.pk].is_outdated and found[personas.other_resident.pk].measured_on is None


# --- Team and organisation distributions ---------------------------------------------------


def _residents(personas: Personas, count: int, worker: User) -> list[User]:
    from organisations.services import caseload_assign

    made = []
    for number in range(count):
        resident = User.objects.create_user(
            username=f"dist-{worker.pk}-{number}-{User.objects.count()}",
            password=None,
            role=Role.RESIDENT,
            organisation=personas.organisation,
            first_name="Zaragoza",
            last_name=f"Nummer{number}",
        )
        caseload_assign(resident=resident, worker=worker, assigned_by=personas.admin)
        made.append(resident)
    return made


def test_the_team_distribution_counts_residents_per_score_and_hides_small_groups(personas: Personas) -> None:
    cache.clear()
    at_three = _residents(personas, 10, personas.team_worker)
    at_one = _residents(personas, 2, personas.team_worker)
    for resident in at_three:
        _zrm(resident, personas.team_worker, value=1, days_ago=20)
        _zrm(resident, personas.team_worker, value=3, days_ago=0)  # the latest counts
    for resident in at_one:
        _zrm(resident, personas.team_worker, value=1, days_ago=0)

    response = client_for(personas.team_lead).get("/werk/voortgang/?niveau=team")
    html = page(response)

    assert response.status_code == 200
    table = response.context["table"]
    assert len(table) == 13
    _row, cells, total = table[0]
    assert dict(cells) == {1: None, 2: 0, 3: 10, 4: 0, 5: 0}  # 2 residents at 1: fewer than 10
    assert total == 12
    assert "minder dan 10" in html
    assert "Nummer1" not in html and "Zaragoza" not in html  # nobody named
    assert '<svg viewBox="0 0' in html and "Gestapelde staafgrafiek" in html
    changes = dict(response.context["change_rows"])
    assert {(c.average, n) for c, n in changes.items()} == {(2.0, 10)}


def test_the_caseload_shows_small_numbers_and_who_may_choose_which_level(personas: Personas) -> None:
    cache.clear()
    _zrm(personas.resident, personas.worker, value=2, days_ago=0)

    worker = client_for(personas.worker)
    mine = worker.get("/werk/voortgang/")
    assert dict(mine.context["table"][0][1])[2] == 1  # the own caseload: real numbers
    assert worker.get("/werk/voortgang/?niveau=team").status_code == 404
    assert worker.get("/werk/voortgang/?niveau=organisatie").status_code == 404
    lead = client_for(personas.team_lead).get("/werk/voortgang/?niveau=organisatie")
    assert lead.status_code == 200 and dict(lead.context["table"][0][1])[2] is None
    admin = client_for(personas.admin).get("/beheer/voortgang/")
    assert admin.status_code == 200 and admin.context["scope"] == "organisatie"
    assert client_for(personas.admin).get("/werk/voortgang/").status_code == 403


@pytest.mark.parametrize("scope", ["team", "organisatie"])
def test_the_aggregate_costs_the_same_queries_for_3_and_30_residents_and_is_cached(
    personas: Personas, scope: str
) -> None:
    from outcomes.access import outcomes_residents_for_scope
    from outcomes.selectors import progress_aggregate

    def queries() -> int:
        residents = outcomes_residents_for_scope(user=personas.team_lead, scope=scope)
        with CaptureQueriesContext(connection) as captured:
            progress_aggregate(residents=residents, cache_key=None)
        return len(captured)

    for resident in _residents(personas, 3, personas.team_worker):
        _zrm(resident, personas.team_worker, value=2, days_ago=10)
        _zrm(resident, personas.team_worker, value=4, days_ago=0)
    three = queries()
    for resident in _residents(personas, 27, personas.team_worker):
        _zrm(resident, personas.team_worker, value=1, days_ago=10)
        _zrm(resident, personas.team_worker, value=5, days_ago=0)
    thirty = queries()
    assert three == thirty == 3  # change, distribution, the scale's labels

    cache.clear()
    lead = client_for(personas.team_lead)
    url = f"/werk/voortgang/?niveau={scope}"
    lead.get("/werk/vandaag/")  # warm up: the session and the menu
    with CaptureQueriesContext(connection) as first:
        assert lead.get(url).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert lead.get(url).status_code == 200
    assert len(second) < len(first)
    assert second.captured_queries != first.captured_queries

"""The experience survey: offered after each kind of contact (a held
appointment, a closed consultation-hour chat of a signed-in resident, a
finished module), at most once in seven days, never after the resident said
no; answered once or skipped; the results per channel only as aggregates,
with "te weinig antwoorden" below ten answers and open texts for the admin
only; the results page costs the same queries for 10 and 40 answers."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from html import unescape
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from appointments.tests.factories import confirmed_appointment
from audit.models import AccessLogEntry
from conftest import Personas, client_for
from feedback.contacts import Contact
from feedback.models import Channel, ContactKind, FeedbackOffer, OfferStatus
from feedback.selectors import feedback_offer_open, feedback_results
from feedback.services import (
    Answer,
    FeedbackError,
    feedback_answer_save,
    feedback_offer_make,
    feedback_offers_create,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
RESULTS_URL = "/ervaringen/"


def survey_url(offer: FeedbackOffer) -> str:
    return f"/mijn/ervaring/{offer.public_id}/"


def contact(resident: User, *, at: datetime | None = None, channel: str = Channel.PHONE) -> Contact:
    return Contact(
        ContactKind.APPOINTMENT, uuid.uuid4(), resident.pk, resident.organisation_id, channel, at or timezone.now()
    )


def offered(resident: User, *, now: datetime | None = None, channel: str = Channel.PHONE) -> FeedbackOffer:
    now = now or timezone.now()
    offer = feedback_offer_make(contact=contact(resident, at=now, channel=channel), now=now)
    assert offer is not None
    return offer


def answered(resident: User, count: int, *, channel: str = Channel.PHONE, remark: str = "") -> None:
    """``count`` answers of one resident, eight days apart (the weekly rule)."""
    start = timezone.now() - timedelta(days=8 * count)
    for n in range(count):
        offer = offered(resident, now=start + timedelta(days=8 * n), channel=channel)
        feedback_answer_save(
            offer=offer,
            resident=resident,
            answer=Answer(score=4 if n % 2 else 5, again="yes" if n % 4 else "no", remark=remark),
        )


# --- Offered after each kind of contact -------------------------------------------------


@pytest.mark.parametrize(("kind", "channel"), [("video", "video"), ("phone", "phone"), ("home_visit", "face_to_face")])
def test_a_held_appointment_brings_a_survey_for_its_channel(personas: Personas, kind: str, channel: str) -> None:
    appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker, kind=kind)
    assert feedback_offers_create(now=appointment.ends_at - timedelta(minutes=1)) == 0
    assert feedback_offers_create(now=appointment.ends_at + timedelta(hours=1)) == 1
    offer = FeedbackOffer.objects.get(resident=personas.resident)
    assert (offer.contact_kind, offer.channel, offer.contact_public_id) == (
        "appointment",
        channel,
        appointment.public_id,
    )
    assert offer.organisation_id == personas.organisation.pk


def test_a_cancelled_appointment_brings_no_survey(personas: Personas) -> None:
    from appointments.booking import appointment_cancel

    appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker, kind="phone")
    appointment_cancel(appointment=appointment, by=personas.worker, reason="Ziek")
    assert feedback_offers_create(now=appointment.ends_at + timedelta(hours=1)) == 0


def _open_hours(personas: Personas) -> None:
    from messaging.consultation import hour_add

    hour_add(
        organisation_id=personas.organisation.pk,
        weekday=2,
        starts_at=time(13, 0),
        ends_at=time(16, 0),
        on_duty=[personas.worker],
    )


def test_a_closed_consultation_chat_of_a_signed_in_resident_brings_a_chat_survey(personas: Personas) -> None:
    from messaging.consultation import visit_close, visit_pick_up, visit_start

    _open_hours(personas)
    with time_machine.travel(datetime(2026, 12, 2, 14, 0, tzinfo=AMSTERDAM), tick=False):
        visit = visit_start(organisation=personas.organisation, name="Fatima", resident=personas.resident)
        anonymous = visit_start(organisation=personas.organisation, name="Bezoeker")
        for each in (visit, anonymous):
            visit_pick_up(visit=each, worker=personas.worker)
            visit_close(visit=each, closed_by=personas.worker)
        assert feedback_offers_create(now=timezone.now() + timedelta(minutes=1)) == 1
    offer = FeedbackOffer.objects.get()
    assert (offer.resident, offer.contact_kind, offer.channel) == (personas.resident, "consultation", "chat")
    assert offer.contact_public_id == visit.public_id


def test_a_finished_module_brings_an_elearning_survey(personas: Personas) -> None:
    from learning.services import StepData, module_create, module_publish, module_run_start, step_add, step_save

    module = module_create(organisation=personas.organisation, created_by=personas.admin, title="Hoe stem ik?")
    version = module.versions.get()
    step = step_add(version=version, added_by=personas.admin, data=StepData("text", "Stap 1", "Tekst."))
    module_publish(version=version, published_by=personas.admin)
    module.refresh_from_db()
    run = module_run_start(module=module, resident=personas.resident)
    step_save(run=run, step_public_id=str(step.public_id), saved_by=personas.resident)
    assert feedback_offers_create() == 1
    offer = FeedbackOffer.objects.get()
    assert (offer.contact_kind, offer.channel, offer.contact_public_id) == ("module", "elearning", run.public_id)


# --- At most once a week, and the opt-out ----------------------------------------------


def test_a_resident_gets_at_most_one_survey_in_seven_days(personas: Personas) -> None:
    now = timezone.now()
    assert feedback_offer_make(contact=contact(personas.resident), now=now) is not None
    # A second contact the same moment, and six days later: the gate is shut.
    assert feedback_offer_make(contact=contact(personas.resident), now=now) is None
    assert feedback_offer_make(contact=contact(personas.resident), now=now + timedelta(days=6)) is None
    # Another resident is not held back.
    assert feedback_offer_make(contact=contact(personas.other_resident), now=now) is not None
    assert feedback_offer_make(contact=contact(personas.resident), now=now + timedelta(days=7)) is not None
    assert FeedbackOffer.objects.filter(resident=personas.resident).count() == 2


def test_one_contact_is_asked_about_once(personas: Personas) -> None:
    appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker, kind="phone")
    later = appointment.ends_at + timedelta(hours=1)
    assert feedback_offers_create(now=later) == 1
    # A week on the gate is open again, but this contact was asked about.
    assert (
        feedback_offer_make(
            contact=Contact("appointment", appointment.public_id, personas.resident.pk, None, "phone", later),
            now=later + timedelta(days=8),
        )
        is None
    )
    assert FeedbackOffer.objects.count() == 1


def test_the_latest_contact_of_a_run_is_the_one_asked_about(personas: Personas) -> None:
    first = confirmed_appointment(resident=personas.resident, worker=personas.worker, kind="phone")
    second = confirmed_appointment(
        resident=personas.resident, worker=personas.worker, kind="video", starts_at=first.ends_at + timedelta(hours=1)
    )
    assert feedback_offers_create(now=second.ends_at + timedelta(minutes=5)) == 1
    assert FeedbackOffer.objects.get().contact_public_id == second.public_id


def test_saying_no_on_the_survey_withdraws_it_and_stops_new_ones(personas: Personas) -> None:
    offer = offered(personas.resident)
    response = client_for(personas.resident).post(survey_url(offer), {"keuze": "stop"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    assert feedback_offer_open(resident=personas.resident) is None
    later = timezone.now() + timedelta(days=30)
    assert feedback_offer_make(contact=contact(personas.resident, at=later), now=later) is None


def test_the_settings_page_says_no_and_yes_again(personas: Personas) -> None:
    offer = offered(personas.resident)
    client = client_for(personas.resident)
    assert client.post("/mijn/ervaring/instellingen/", {"is_opted_out": "on"}).status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    assert "checked" in client.get("/mijn/ervaring/instellingen/").content.decode()
    client.post("/mijn/ervaring/instellingen/", {})
    later = timezone.now() + timedelta(days=8)
    assert feedback_offer_make(contact=contact(personas.resident, at=later), now=later) is not None
    assert (
        AccessLogEntry.objects.filter(
            object_type="feedback_preference", subject=personas.resident, action="change"
        ).count()
        == 2
    )


# --- Answering --------------------------------------------------------------------------


def test_the_resident_sees_a_calm_card_and_a_news_item(personas: Personas) -> None:
    from pages.news import news_count

    client = client_for(personas.resident)
    assert "Hoe was uw contact met ons?" not in unescape(client.get("/mijn/").content.decode())
    before = news_count(personas.resident)
    assert before is not None
    offer = offered(personas.resident)
    # The menu's "nieuw" counts it like any news: no badge of its own, no push.
    assert news_count(personas.resident) == before + 1
    page = unescape(client.get("/mijn/").content.decode())
    assert "Hoe was uw contact met ons?" in page and survey_url(offer) in page
    assert "Wij hebben drie korte vragen over uw contact (telefoon)." in page
    # The worker's timeline says only that it was offered, without a link.
    timeline = unescape(
        client_for(personas.worker).get(f"/werk/inwoners/{personas.resident.public_id}/tijdlijn/").content.decode()
    )
    assert "Vragen over een contact aangeboden (telefoon)" in timeline and survey_url(offer) not in timeline


def test_the_answer_is_saved_once_and_logged(personas: Personas) -> None:
    offer = offered(personas.resident, channel=Channel.VIDEO)
    client = client_for(personas.resident)
    page = unescape(client.get(survey_url(offer)).content.decode())
    assert "Hoe was dit contact?" in page and "Heel goed" in page and "Weet ik niet" in page
    response = client.post(survey_url(offer), {"keuze": "answer", "score": "4", "again": "yes", "remark": "Fijn"})
    assert response.status_code == 302 and response["Location"] == "/mijn/ervaring/bedankt/"
    offer.refresh_from_db()
    assert (offer.status, offer.score, offer.again, offer.remark) == ("answered", 4, "yes", "Fijn")
    assert AccessLogEntry.objects.filter(object_type="feedback_answer", subject=personas.resident).count() == 1
    thanks = unescape(client.get("/mijn/ervaring/bedankt/").content.decode())
    assert "U krijgt hier geen antwoord op." in thanks and "Fijn" not in thanks
    again = client.post(survey_url(offer), {"keuze": "answer", "score": "1", "again": "no"})
    assert "Deze vragen zijn klaar" in unescape(again.content.decode())
    offer.refresh_from_db()
    assert offer.score == 4
    with pytest.raises(FeedbackError):
        feedback_answer_save(offer=offer, resident=personas.resident, answer=Answer(1, "no"))


def test_an_incomplete_answer_gets_a_plain_message_and_nothing_is_saved(personas: Personas) -> None:
    offer = offered(personas.resident)
    response = client_for(personas.resident).post(survey_url(offer), {"keuze": "answer", "again": "yes"})
    assert response.status_code == 200
    assert "Kies bij vraag 1 hoe het contact was." in unescape(response.content.decode())
    too_long = client_for(personas.resident).post(
        survey_url(offer), {"keuze": "answer", "score": "3", "again": "no", "remark": "a" * 1001}
    )
    assert "Schrijf hoogstens 1000 tekens." in unescape(too_long.content.decode())
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OPEN and offer.score is None


def test_a_skipped_survey_is_gone(personas: Personas) -> None:
    offer = offered(personas.resident)
    client = client_for(personas.resident)
    assert client.post(survey_url(offer), {"keuze": "skip"}).status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.SKIPPED and offer.score is None
    assert "Hoe was uw contact met ons?" not in unescape(client.get("/mijn/").content.decode())


@pytest.mark.parametrize("who", ["other_resident", "trusted_person", "worker", "admin"])
def test_nobody_else_reaches_a_residents_survey(personas: Personas, who: str) -> None:
    offer = offered(personas.resident)
    user = getattr(personas, who)
    client = client_for(user)
    assert client.get(survey_url(offer)).status_code in {403, 404}
    post = client.post(survey_url(offer), {"keuze": "answer", "score": "1", "again": "no"})
    assert post.status_code in {403, 404}
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OPEN and offer.score is None


# --- Results per channel ---------------------------------------------------------------


def test_results_show_figures_from_ten_answers_and_the_small_n_words_below(personas: Personas) -> None:
    answered(personas.resident, 10, channel=Channel.PHONE, remark="De telefoon werkt goed")
    answered(personas.other_resident, 9, channel=Channel.VIDEO, remark="Beeld viel weg")
    results = {
        row.channel: row for row in feedback_results(organisation_id=personas.organisation.pk, include_remarks=True)
    }
    phone, video = results["phone"], results["video"]
    assert (phone.answers, phone.average, phone.again_yes_share) == (10, 4.5, 70)
    assert (video.answers, video.average, video.again_yes_share) == (9, None, None)
    assert phone.remarks == ["De telefoon werkt goed"] * 10 and video.remarks == []

    admin_page = unescape(client_for(personas.admin).get(RESULTS_URL).content.decode())
    assert "te weinig antwoorden" in admin_page and "4,5" in admin_page and "70%" in admin_page
    assert "De telefoon werkt goed" in admin_page and "Beeld viel weg" not in admin_page
    for resident in (personas.resident, personas.other_resident):
        assert resident.last_name not in admin_page
    lead_page = unescape(client_for(personas.team_lead).get(RESULTS_URL).content.decode())
    assert "4,5" in lead_page and "De telefoon werkt goed" not in lead_page
    foreign = unescape(client_for(personas.foreign_admin).get(RESULTS_URL).content.decode())
    assert "De telefoon werkt goed" not in foreign
    assert client_for(personas.worker).get(RESULTS_URL).status_code == 403


def test_the_results_page_reads_no_resident(personas: Personas) -> None:
    answered(personas.resident, 10)
    before = AccessLogEntry.objects.filter(subject__isnull=False).count()
    client_for(personas.admin).get(RESULTS_URL)
    assert AccessLogEntry.objects.filter(subject__isnull=False).count() == before


@pytest.mark.parametrize("count", [10, 40])
def test_the_results_page_costs_the_same_queries_whatever_the_answers(
    personas: Personas, count: int, django_assert_num_queries: object
) -> None:
    answered(personas.resident, count, remark="Goed")
    client = client_for(personas.admin)
    client.get(RESULTS_URL)
    # 1 session, 2 user, 3 MFA enforcement, 4 the grouped figures per
    # channel, 5 the remarks of the channels with enough answers, 6 the
    # organisation (base layout): the same for 10 and 40 answers.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(RESULTS_URL).status_code == 200
    assert len(queries) == RESULTS_QUERIES, [q["sql"] for q in queries.captured_queries]


RESULTS_QUERIES = 6


def test_the_command_offers_after_a_held_appointment(personas: Personas) -> None:
    import io

    from django.core.management import call_command

    appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker, kind="phone")
    out = io.StringIO()
    with time_machine.travel(appointment.ends_at + timedelta(minutes=10), tick=False):
        call_command("feedback_offers_create", stdout=out)
    assert "Offered 1 survey(s)." in out.getvalue()


def test_the_benchmark_gets_the_shares_per_channel_from_the_answers(personas: Personas) -> None:
    from benchmark.quarters import Quarter
    from benchmark.services import benchmark_raw_cells

    # Mid-quarter, so the four answers (eight days apart) fall in it.
    with time_machine.travel(datetime(2026, 11, 20, 12, tzinfo=AMSTERDAM), tick=False):
        answered(personas.resident, 4, channel=Channel.CHAT)
        quarter = Quarter.containing(timezone.localdate())
        cells, labels = benchmark_raw_cells(quarter=quarter, organisation_ids=[personas.organisation.pk])
    by_key = {(cell.metric, cell.dimension): cell for cell in cells}
    answers_in_quarter = FeedbackOffer.objects.filter(
        status="answered", answered_at__gte=quarter.starts, answered_at__lt=quarter.ends
    )
    good = by_key["experience_good_share", "experience_chat"]
    again = by_key["experience_again_share", "experience_chat"]
    assert good.residents == again.residents == 1
    assert good.denominator == again.denominator == answers_in_quarter.count() == 4
    assert good.total == answers_in_quarter.filter(score__gte=4).count()
    assert again.total == answers_in_quarter.filter(again="yes").count()
    assert by_key["experience_good_share", "experience_video"].residents == 0
    assert labels["experience_chat"] == "chat"


# --- Two runs at the same moment --------------------------------------------------------


def _offer_in_own_connection(contact: Contact, now: datetime, barrier: Any, results: list[object]) -> None:
    from django.db import connection

    try:
        barrier.wait(timeout=30)
        results.append(feedback_offer_make(contact=contact, now=now))
    except Exception as error:  # anything but a refusal (None) fails the test below
        results.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_offer_once(personas: Personas) -> None:
    import threading

    start = timezone.now()
    for round_ in range(5):
        # Each round a week later: the gate is open again, and both racers want it.
        now = start + timedelta(days=8 * round_)
        barrier = threading.Barrier(2)
        results: list[object] = []
        threads = [
            threading.Thread(
                target=_offer_in_own_connection, args=(contact(personas.resident, at=now), now, barrier, results)
            )
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        offers = [result for result in results if isinstance(result, FeedbackOffer)]
        assert len(offers) == 1 and results.count(None) == 1, results
    assert FeedbackOffer.objects.filter(resident=personas.resident).count() == 5


def test_answers_older_than_the_retention_period_are_destroyed(personas: Personas) -> None:
    from privacy.retention import retention_purge

    answered(personas.resident, 2)
    with time_machine.travel(timezone.now() + timedelta(days=2 * 366), tick=False):
        fresh = offered(personas.resident)
        report = retention_purge(codes=["experience_survey"])
    assert report.destroyed == {"experience_survey": 2}
    assert list(FeedbackOffer.objects.all()) == [fresh]


def test_the_answers_are_in_the_residents_own_download(personas: Personas) -> None:
    from feedback.retention import answers_part

    answered(personas.resident, 1, channel=Channel.VIDEO, remark="Goed geholpen")
    rows = answers_part(personas.resident).rows
    assert len(rows) == 1
    assert (rows[0]["kanaal"], rows[0]["hoe_was_het"], rows[0]["opmerking"]) == (
        "beeldbellen",
        "heel goed",
        "Goed geholpen",
    )
    assert answers_part(personas.other_resident).rows == []

"""The consultation hour after the worker closes the chat, and finding it:
the visitor keeps reading (and saving, printing) the answer until they
leave, then sees how to call, visit or chat again. Workers find each
visitor's question in the queue and in the chat's heading."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from conftest import Personas, client_for
from messaging.consultation import (
    VISIT_COOKIE,
    hour_add,
    visit_close,
    visit_consent_to_follow_up,
    visit_pick_up,
    visit_start,
)
from messaging.models import ConsultationVisit, Message
from messaging.services import MessagingError, message_send
from messaging.tests.helpers import new_key
from organisations.models import Organisation
from privacy.retention import retention_purge

AMSTERDAM = timezone.get_default_timezone()
# A Wednesday afternoon, inside the hour (13:00-16:00).
OPEN_MOMENT = datetime(2026, 12, 2, 14, 0, tzinfo=AMSTERDAM)
QUESTION = "Ik krijg een brief van de <b>belasting</b> en snap hem niet"
ANSWER = "Bel ons morgen, dan kijken we samen naar de brief."
QUEUE_QUERIES = 8


def open_hours(personas: Personas) -> None:
    hour_add(
        organisation_id=personas.organisation.pk,
        weekday=2,
        starts_at=time(13, 0),
        ends_at=time(16, 0),
        on_duty=[personas.worker],
    )


def start_page(personas: Personas) -> str:
    return f"/spreekuur/{personas.organisation.consultation_code}/"


def visitor_joins(personas: Personas, name: str = "Ans") -> tuple[Client, ConsultationVisit]:
    visitor = Client()
    visitor.post(start_page(personas), {"name": name})
    return visitor, ConsultationVisit.objects.get(visitor__first_name=name)


@pytest.fixture
def closed_chat(personas: Personas) -> Iterator[tuple[Client, ConsultationVisit]]:
    """Ans asked a question, Sanne answered and closed the chat; the test
    runs five minutes later (the visitor's cookie lasts 12 hours)."""
    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        visitor, visit = visitor_joins(personas)
        assert visit.conversation is not None
        message_send(conversation=visit.conversation, author=visit.visitor, body=QUESTION, client_key=new_key())
        visit_pick_up(visit=visit, worker=personas.worker)
        message_send(conversation=visit.conversation, author=personas.worker, body=ANSWER, client_key=new_key())
        response = client_for(personas.worker).post(f"/werk/spreekuur/{visit.public_id}/afsluiten/")
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == ConsultationVisit.Status.CLOSED
    with time_machine.travel(OPEN_MOMENT + timedelta(minutes=5), tick=False):
        yield visitor, visit


def test_after_the_worker_closes_the_visitor_still_reads_the_answer(
    personas: Personas, closed_chat: tuple[Client, ConsultationVisit]
) -> None:
    visitor, _visit = closed_chat
    response = visitor.get("/spreekuur/bezoek/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "De medewerker heeft het gesprek gesloten." in html
    assert ANSWER in html
    assert "&lt;b&gt;belasting&lt;/b&gt;" in html  # the question, escaped
    assert "Opslaan als tekstbestand" in html
    assert "Het gesprek is gestopt" not in html
    # Read-only: no form to write, no socket script.
    assert 'id="bericht-schrijven"' not in html
    assert "chat.js" not in html


def test_a_closed_chat_refuses_new_messages_in_words_and_stores_nothing(
    personas: Personas, closed_chat: tuple[Client, ConsultationVisit]
) -> None:
    visitor, visit = closed_chat
    assert visit.conversation is not None
    before = list(Message.objects.values_list("pk", flat=True))
    response = visitor.post(
        "/spreekuur/bezoek/sturen/", {"body": "Nog een vraag", "client_key": new_key()}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "De medewerker heeft het gesprek gesloten. U kunt hier niets meer sturen."
    with pytest.raises(MessagingError):
        message_send(conversation=visit.conversation, author=personas.worker, body="Nog iets", client_key=new_key())
    assert list(Message.objects.values_list("pk", flat=True)) == before


def test_the_visitor_saves_the_conversation_as_text_or_web_page(closed_chat: tuple[Client, ConsultationVisit]) -> None:
    visitor, _visit = closed_chat
    text = visitor.get("/spreekuur/bezoek/opslaan/", {"vorm": "txt"})
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert text["Content-Disposition"] == 'attachment; filename="chatspreekuur-2026-12-02.txt"'
    body = text.content.decode()
    assert body.startswith("Chatspreekuur van ")
    assert "2 december 2026" in body
    assert f"Ans: {QUESTION}" in body
    assert ANSWER in body

    page = visitor.get("/spreekuur/bezoek/opslaan/", {"vorm": "html"})
    assert page["Content-Disposition"] == 'attachment; filename="chatspreekuur-2026-12-02.html"'
    html = page.content.decode()
    assert "&lt;b&gt;belasting&lt;/b&gt;" in html
    assert ANSWER in html
    # Someone else's browser gets nothing.
    assert Client().get("/spreekuur/bezoek/opslaan/").status_code == 404


def test_leaving_ends_on_the_next_steps_with_phone_locations_and_hours(
    personas: Personas, closed_chat: tuple[Client, ConsultationVisit]
) -> None:
    visitor, _visit = closed_chat
    response = visitor.post("/spreekuur/bezoek/stoppen/")
    next_steps = f"/spreekuur/{personas.organisation.consultation_code}/verder/"
    assert response.status_code == 302
    assert response["Location"] == next_steps
    assert visitor.cookies[VISIT_COOKIE].value == ""

    html = visitor.get(next_steps).content.decode()
    assert "Hoe nu verder?" in html
    assert personas.organisation.phone in html
    location = personas.demo.location
    assert location.name in html
    assert location.phone in html
    assert "Woensdag 13:00\u201316:00" in html
    # Gone from this browser now.
    assert visitor.get("/spreekuur/bezoek/").status_code == 404


def test_the_purge_still_removes_a_closed_anonymous_transcript(
    personas: Personas, closed_chat: tuple[Client, ConsultationVisit]
) -> None:
    visitor, _visit = closed_chat
    with time_machine.travel(OPEN_MOMENT + timedelta(days=31), tick=False):
        assert retention_purge(codes=["consultation_chats"]).destroyed_total == 1
    assert not Message.objects.filter(body=ANSWER).exists()
    assert visitor.get("/spreekuur/bezoek/").status_code == 404


def test_a_visitor_who_stops_while_waiting_leaves_the_queue(personas: Personas) -> None:
    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        visitor, visit = visitor_joins(personas)
        response = visitor.post("/spreekuur/bezoek/stoppen/")
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == ConsultationVisit.Status.CLOSED
    # Closing twice changes nothing.
    closed_at = visit.closed_at
    visit_close(visit=visit, closed_by=visit.visitor)
    visit.refresh_from_db()
    assert visit.closed_at == closed_at


def test_the_queue_says_how_many_wait_before_you_in_plain_dutch(personas: Personas) -> None:
    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        first, _ = visitor_joins(personas, "Ans")
        second, _ = visitor_joins(personas, "Bob")
        third, _ = visitor_joins(personas, "Cor")
        pages = [client.get("/spreekuur/bezoek/").content.decode() for client in (first, second, third)]
    assert "U bent de eerste in de rij." in pages[0]
    assert "U bent nummer 2 in de rij. Er wacht 1 persoon voor u." in pages[1]
    assert "U bent nummer 3 in de rij. Er wachten 2 mensen voor u." in pages[2]
    assert not any("uzelf meegeteld" in page for page in pages)


def test_the_consultation_hours_are_listed_and_linked_from_sign_in(personas: Personas) -> None:
    open_hours(personas)
    html = Client().get("/spreekuur/").content.decode()
    for organisation in Organisation.objects.exclude(consultation_code=None):
        assert f"Chatspreekuur van {organisation.name}" in html
        assert f"/spreekuur/{organisation.consultation_code}/" in html
    assert "Woensdag 13:00\u201316:00" in html
    assert 'href="/spreekuur/"' in Client().get("/accounts/login/").content.decode()

    # With one organisation, straight to its consultation hour.
    Organisation.objects.exclude(pk=personas.organisation.pk).update(consultation_code=None)
    response = Client().get("/spreekuur/")
    assert response.status_code == 302
    assert response["Location"] == start_page(personas)


def test_the_worker_sees_the_question_in_the_queue_and_the_chat_heading(personas: Personas) -> None:
    open_hours(personas)
    long_question = QUESTION + " " + "en nog veel meer uitleg " * 20
    with time_machine.travel(OPEN_MOMENT, tick=False):
        _visitor, visit = visitor_joins(personas)
        visitor_joins(personas, "Bob")  # no question yet
        assert visit.conversation is not None
        message_send(conversation=visit.conversation, author=visit.visitor, body=long_question, client_key=new_key())
        worker = client_for(personas.worker)
        part = worker.get("/werk/spreekuur/", {"deel": "wachtrij"}).content.decode()
        full = worker.get("/werk/spreekuur/").content.decode()
    assert "2 bezoekers wachten" in part
    assert "&lt;b&gt;belasting&lt;/b&gt;" in part
    assert "<b>" not in part
    assert "en nog veel meer uitleg " * 10 not in part  # truncated
    assert "<html" not in part and "<h1" not in part  # only the list
    assert "&lt;b&gt;belasting&lt;/b&gt;" in full
    assert "queue.js" in full

    with time_machine.travel(OPEN_MOMENT, tick=False):
        response = worker.post(f"/werk/spreekuur/{visit.public_id}/aannemen/")
        chat = worker.get(response["Location"]).content.decode()
    assert "<h1>Chatspreekuur: Ans</h1>" in chat
    assert "&lt;b&gt;belasting&lt;/b&gt;" in chat
    assert "Gesprek sluiten" in chat
    assert "Vraag het in de chat" in chat  # no consent yet: no invitation button
    assert f"/werk/spreekuur/{visit.public_id}/uitnodigen/" not in chat

    visit_consent_to_follow_up(visit=visit)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        chat = worker.get(response["Location"]).content.decode()
    assert f"/werk/spreekuur/{visit.public_id}/uitnodigen/" in chat


def test_a_worker_who_is_not_on_duty_gets_no_live_queue(personas: Personas) -> None:
    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        html = client_for(personas.other_worker).get("/werk/spreekuur/").content.decode()
    assert "queue.js" not in html
    assert "data-live-url" not in html


def test_no_attachments_in_the_consultation_chat(personas: Personas) -> None:
    """The visitor's page cannot open an attachment: the worker is not offered one."""
    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        _visitor, visit = visitor_joins(personas)
        visit_pick_up(visit=visit, worker=personas.worker)
        assert visit.conversation is not None
        worker = client_for(personas.worker)
        page = worker.get(f"/berichten/{visit.conversation.public_id}/").content.decode()
        upload = SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
        response = worker.post(
            f"/berichten/{visit.conversation.public_id}/sturen/",
            {"body": "Zie bijlage", "client_key": new_key(), "attachment": upload},
            HTTP_ACCEPT="application/json",
        )
    assert 'type="file"' not in page
    assert response.status_code == 400
    assert response.json()["message"] == "In het chatspreekuur kunt u geen bijlage sturen. Typ uw bericht."
    assert not Message.objects.filter(conversation=visit.conversation).exists()


@pytest.mark.parametrize("visitors", [2, 12])
def test_the_live_waiting_list_takes_the_same_queries_for_few_or_many(
    personas: Personas, visitors: int, django_assert_num_queries: Any
) -> None:
    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        for number in range(visitors):
            visit = visit_start(organisation=personas.organisation, name=f"B{number}")
            assert visit.conversation is not None
            message_send(conversation=visit.conversation, author=visit.visitor, body="Vraag", client_key=new_key())
        worker = client_for(personas.worker)
        worker.get("/werk/spreekuur/", {"deel": "wachtrij"})  # sessions and caches warm
        # 1 session, 2 user, 3 second factor, 4 organisation, 5 waiting
        # visits, 6-7 workers on duty (window, workers), 8 first questions.
        # The fragment has no menu, so none of the menu's counts. The same
        # number whatever the queue's length.
        with django_assert_num_queries(QUEUE_QUERIES):
            response = worker.get("/werk/spreekuur/", {"deel": "wachtrij"})
    assert response.content.decode().count("queue-question") == visitors

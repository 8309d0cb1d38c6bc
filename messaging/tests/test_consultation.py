"""The chat consultation hour: an anonymous visitor waits in the queue and
an on-duty worker answers, a human every time."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, time, timedelta

import pytest
import time_machine
import websockets
from django.test import Client
from django.utils import timezone

from accounts.models import Invitation, Role, User
from casefiles.models import Note
from conftest import Personas, client_for
from messaging.consultation import (
    VISIT_COOKIE,
    hour_add,
    queue_place,
    visit_consent_to_follow_up,
    visit_pick_up,
    visit_start,
)
from messaging.models import ConsultationVisit, Conversation, Message
from messaging.services import MessagingError, message_send
from privacy.retention import retention_purge
from tests.asgi_server import AsgiServer, session_cookie

AMSTERDAM = timezone.get_default_timezone()
# A Wednesday afternoon.
OPEN_MOMENT = datetime(2026, 12, 2, 14, 0, tzinfo=AMSTERDAM)
CLOSED_MOMENT = datetime(2026, 12, 2, 20, 0, tzinfo=AMSTERDAM)


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


def test_outside_the_window_the_visitor_sees_when_it_opens_and_how_to_call(personas: Personas) -> None:
    open_hours(personas)
    with time_machine.travel(CLOSED_MOMENT, tick=False):
        response = Client().get(start_page(personas))
        html = response.content.decode()
        assert "Het chatspreekuur is nu gesloten" in html
        assert "woensdag 9 december om 13:00" in html
        assert personas.organisation.phone in html
        with pytest.raises(MessagingError):
            visit_start(organisation=personas.organisation, name="Ans")
    assert not ConsultationVisit.objects.exists()


def test_an_anonymous_visitor_joins_the_queue_and_sees_place_and_wait(personas: Personas) -> None:
    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        first, second = Client(), Client()
        first.post(start_page(personas), {"name": "Ans"})
        response = second.post(start_page(personas), {"name": ""})
        assert response.status_code == 302
        assert VISIT_COOKIE in second.cookies

        page = second.get("/spreekuur/bezoek/").content.decode()
        assert "U bent nummer 2 in de rij." in page
        assert "Verwachte wachttijd: ongeveer 20 minuten." in page

    visitors = User.objects.filter(role=Role.VISITOR).order_by("pk")
    assert [v.first_name for v in visitors] == ["Ans", "Bezoeker"]
    assert not any(v.is_active or v.has_usable_password() for v in visitors)


def test_only_a_worker_on_duty_picks_up_and_only_once(personas: Personas) -> None:
    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        visit = visit_start(organisation=personas.organisation, name="Ans")
        response = client_for(personas.other_worker).post(f"/werk/spreekuur/{visit.public_id}/aannemen/")
        assert response.status_code == 302
        visit.refresh_from_db()
        assert visit.status == ConsultationVisit.Status.WAITING

        response = client_for(personas.worker).post(f"/werk/spreekuur/{visit.public_id}/aannemen/")
        visit.refresh_from_db()
        assert visit.status == ConsultationVisit.Status.ACTIVE
        assert visit.picked_up_by == personas.worker
        assert visit.conversation is not None
        assert response["Location"] == f"/berichten/{visit.conversation.public_id}/"
        with pytest.raises(MessagingError):
            visit_pick_up(visit=visit, worker=personas.worker)


def test_the_queue_estimate_uses_recent_conversations_and_the_workers_on_duty(personas: Personas) -> None:
    hour_add(
        organisation_id=personas.organisation.pk,
        weekday=2,
        starts_at=time(13, 0),
        ends_at=time(16, 0),
        on_duty=[personas.worker, personas.other_worker],
    )
    with time_machine.travel(OPEN_MOMENT, tick=False):
        done = visit_start(organisation=personas.organisation, name="Eerder")
        ConsultationVisit.objects.filter(pk=done.pk).update(
            status="closed",
            picked_up_at=timezone.now() - timedelta(minutes=30),
            closed_at=timezone.now() - timedelta(minutes=6),
        )
        visits = [visit_start(organisation=personas.organisation, name=f"B{i}") for i in range(3)]
        place = queue_place(visits[2])
    assert place.position == 3
    assert place.minutes == 36  # 3 people x 24 minutes each, shared by 2 workers on duty


def test_an_anonymous_visitor_and_the_worker_chat_over_real_sockets(personas: Personas, transactional_db: None) -> None:
    open_hours(personas)
    moment = timezone.localtime()
    hour_add(
        organisation_id=personas.organisation.pk,
        weekday=moment.weekday(),
        starts_at=time(0, 0),
        ends_at=time(23, 59, 59),
        on_duty=[personas.worker],
    )
    visitor_client = Client()
    visitor_client.post(start_page(personas), {"name": "Ans"})
    visit = ConsultationVisit.objects.get()
    visit_pick_up(visit=visit, worker=personas.worker)
    assert visit.conversation is not None
    conversation_id = visit.conversation.public_id
    visitor_cookie = f"{VISIT_COOKIE}={visitor_client.cookies[VISIT_COOKIE].value}"
    worker_cookie = session_cookie(personas.worker)

    async def talk(address: str) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        url = f"ws://{address}/ws/gesprekken/{conversation_id}/"
        origin = f"http://{address}"
        async with (
            websockets.connect(url, additional_headers={"Cookie": visitor_cookie, "Origin": origin}) as visitor,
            websockets.connect(url, additional_headers={"Cookie": worker_cookie, "Origin": origin}) as worker,
        ):
            await visitor.recv()  # hello
            await worker.recv()
            await visitor.send(json.dumps({"type": "send", "client_key": "visitor-0001", "body": "Ik heb een vraag"}))
            worker_got = [json.loads(await worker.recv())]
            await worker.send(json.dumps({"type": "send", "client_key": "worker-00001", "body": "Vertel het maar"}))
            visitor_got: list[dict[str, object]] = []
            while not any(f["type"] == "message" and f["message"]["body"] == "Vertel het maar" for f in visitor_got):  # type: ignore[index]
                visitor_got.append(json.loads(await asyncio.wait_for(visitor.recv(), timeout=5)))
            return worker_got, visitor_got

    server = AsgiServer()
    try:
        worker_got, visitor_got = asyncio.run(talk(server.start()))
    finally:
        server.stop()

    assert worker_got[0]["type"] == "message"
    assert worker_got[0]["message"]["body"] == "Ik heb een vraag"  # type: ignore[index]
    answer = next(f for f in visitor_got if f["type"] == "message" and f["message"]["body"] == "Vertel het maar")  # type: ignore[index]
    assert answer["message"]["body"] == "Vertel het maar"  # type: ignore[index]
    assert answer["message"]["author_name"] == personas.worker.full_name  # type: ignore[index]
    assert Message.objects.filter(conversation__public_id=conversation_id).count() == 2


def test_a_visit_cookie_opens_only_its_own_conversation(personas: Personas) -> None:
    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        ans, bob = Client(), Client()
        ans.post(start_page(personas), {"name": "Ans"})
        bob.post(start_page(personas), {"name": "Bob"})
        assert "Ans" in ans.get("/spreekuur/bezoek/").content.decode()
        bob_page = bob.get("/spreekuur/bezoek/").content.decode()
    assert "Bob" in bob_page
    # A sequence that is not plain digits is refused in words, not with a 500.
    for after in ("²", "12x", str(2**70)):
        with time_machine.travel(OPEN_MOMENT, tick=False):
            response = ans.get("/spreekuur/bezoek/sinds/", {"na": after})
        assert response.status_code == 400
        assert response.json()["message"] == "Dit volgnummer klopt niet."
    # A forged cookie is worthless.
    forged = Client()
    forged.cookies[VISIT_COOKIE] = "forged"
    assert forged.get("/spreekuur/bezoek/").status_code == 404


def test_follow_up_needs_the_visitors_consent_and_keeps_the_transcript_internally(personas: Personas) -> None:
    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        visit = visit_start(organisation=personas.organisation, name="Ans")
        visit = visit_pick_up(visit=visit, worker=personas.worker)
        assert visit.conversation is not None
        message_send(conversation=visit.conversation, author=visit.visitor, body="Ik heb schulden", client_key="a" * 16)
        url = f"/werk/spreekuur/{visit.public_id}/uitnodigen/"
        data = {"first_name": "Ans", "last_name": "Jansen", "email": ""}

        refused = client_for(personas.worker).post(url, data)
        assert refused.status_code == 200
        assert "geen toestemming" in refused.content.decode()
        assert not User.objects.filter(last_name="Jansen").exists()

        visit_consent_to_follow_up(visit=visit)
        response = client_for(personas.worker).post(url, data)
    assert response.status_code == 302
    resident = User.objects.get(last_name="Jansen", role=Role.RESIDENT)
    assert Invitation.objects.get(user=resident).channel == Invitation.Channel.LETTER
    note = Note.objects.get(case__resident=resident)
    assert not note.is_shared
    assert "Ik heb schulden" in note.body


def test_anonymous_transcripts_are_deleted_after_the_retention_period(personas: Personas) -> None:
    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        old = visit_start(organisation=personas.organisation, name="Oud")
        assert old.conversation is not None
        message_send(conversation=old.conversation, author=old.visitor, body="Geheim", client_key="b" * 16)
    with time_machine.travel(OPEN_MOMENT + timedelta(days=21), tick=False):
        recent = visit_start(organisation=personas.organisation, name="Nieuw")
    with time_machine.travel(OPEN_MOMENT + timedelta(days=31), tick=False):
        removed = retention_purge(codes=["consultation_chats"]).destroyed_total
    assert removed == 1
    assert list(ConsultationVisit.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Message.objects.filter(body="Geheim").exists()
    assert not User.objects.filter(pk=old.visitor_id).exists()
    assert Conversation.objects.filter(kind="consultation").count() == 1


def test_a_resident_in_the_queue_is_a_logged_read_for_the_worker(personas: Personas) -> None:
    from audit.models import AccessLogEntry

    open_hours(personas)
    with time_machine.travel(OPEN_MOMENT, tick=False):
        visit_start(organisation=personas.organisation, name="", resident=personas.resident)
        visit_start(organisation=personas.organisation, name="Anoniem")
        response = client_for(personas.worker).get("/werk/spreekuur/")
    assert response.status_code == 200
    entries = AccessLogEntry.objects.filter(actor=personas.worker, object_type="consultation_visit")
    assert [entry.subject_id for entry in entries] == [personas.resident.pk]

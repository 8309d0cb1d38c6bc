"""Video calls: who may join, when the room is open, which STUN/TURN
servers a browser gets, and what the call page says in each case."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from appointments import booking
from appointments.calls import (
    call_is_open,
    call_participant,
    call_window,
    ice_servers_for,
    jitsi_room_url,
    turn_credentials,
)
from appointments.models import Appointment
from appointments.tests.factories import confirmed_appointment
from audit.models import AccessLogEntry
from conftest import Personas, client_for
from organisations.demo import DEMO_PASSWORD, demo_totp_code
from organisations.services import organisation_appointment_settings_update

AMSTERDAM = timezone.get_fixed_timezone(60)  # CET in December
# Tuesday 1 December 2026, 8:00 in Amsterdam: the appointment is at 10:30.
MORNING = datetime(2026, 12, 1, 8, 0, tzinfo=AMSTERDAM)
START = datetime(2026, 12, 1, 10, 30, tzinfo=AMSTERDAM)

CAMERA_CHECK = "Eerst uw camera en microfoon controleren"


def call_url(appointment: Appointment) -> str:
    return reverse("appointments:call", kwargs={"public_id": appointment.public_id})


def page_config(content: str) -> dict[str, Any]:
    match = re.search(r'<script id="beeldbellen-config" type="application/json">(.*?)</script>', content)
    assert match, "no call configuration on the page"
    return dict(json.loads(match.group(1)))


def unsaved(**overrides: Any) -> Appointment:
    """An appointment in memory, for the rules that need no database."""
    fields: dict[str, Any] = {
        "kind": "video",
        "status": "confirmed",
        "starts_at": START,
        "ends_at": START + timedelta(minutes=45),
    }
    fields.update(overrides)
    return Appointment(**fields)


# --- The window ---------------------------------------------------------------------


def test_the_window_opens_15_minutes_before_and_closes_30_minutes_after() -> None:
    window = call_window(unsaved())

    assert window.opens_at == datetime(2026, 12, 1, 10, 15, tzinfo=AMSTERDAM)
    assert window.closes_at == datetime(2026, 12, 1, 11, 45, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (datetime(2026, 12, 1, 10, 14, 59, tzinfo=AMSTERDAM), False),
        (datetime(2026, 12, 1, 10, 15, tzinfo=AMSTERDAM), True),
        (datetime(2026, 12, 1, 11, 0, tzinfo=AMSTERDAM), True),
        (datetime(2026, 12, 1, 11, 44, 59, tzinfo=AMSTERDAM), True),
        (datetime(2026, 12, 1, 11, 45, tzinfo=AMSTERDAM), False),
    ],
)
def test_the_call_is_open_only_within_the_window(moment: datetime, is_open: bool) -> None:
    assert call_is_open(unsaved(), moment) is is_open


@pytest.mark.parametrize(
    ("field", "value"), [("status", "cancelled"), ("status", "awaiting_resident"), ("kind", "phone")]
)
def test_only_a_confirmed_video_appointment_has_an_open_call(field: str, value: str) -> None:
    during = datetime(2026, 12, 1, 10, 40, tzinfo=AMSTERDAM)

    assert not call_is_open(unsaved(**{field: value}), during)


# --- Who may join -------------------------------------------------------------------


def test_only_the_resident_and_the_worker_are_participants(personas: Personas) -> None:
    appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker)

    assert call_participant(personas.resident, appointment)
    assert call_participant(personas.worker, appointment)
    for outsider in (
        personas.trusted_person,
        personas.team_lead,
        personas.other_worker,
        personas.other_resident,
        personas.admin,
        personas.foreign_worker,
    ):
        assert not call_participant(outsider, appointment), outsider.username


def test_the_team_lead_of_the_worker_is_not_a_participant(personas: Personas) -> None:
    appointment = confirmed_appointment(resident=personas.team_resident, worker=personas.team_worker)

    assert not call_participant(personas.team_lead, appointment)


def test_a_cancelled_or_phone_appointment_has_no_participants(personas: Personas) -> None:
    cancelled = confirmed_appointment(resident=personas.resident, worker=personas.worker)
    booking.appointment_cancel(appointment=cancelled, by=personas.worker, reason="Ziek")
    cancelled.refresh_from_db()
    phone = confirmed_appointment(
        resident=personas.resident, worker=personas.worker, kind="phone", starts_at=timezone.now() + timedelta(hours=2)
    )

    assert not call_participant(personas.resident, cancelled)
    assert not call_participant(personas.resident, phone)


# --- STUN and TURN ----------------------------------------------------------------------


def test_turn_credentials_follow_coturns_rest_api() -> None:
    user = User(public_id="0b0e2a3c-4d5e-4f60-8a1b-2c3d4e5f6a7b")
    expires_at = datetime(2026, 12, 1, 10, 45, tzinfo=UTC)

    username, credential = turn_credentials(user=user, expires_at=expires_at, secret="north-wind")

    assert username == "1796121900:0b0e2a3c-4d5e-4f60-8a1b-2c3d4e5f6a7b"
    expected = base64.b64encode(hmac.new(b"north-wind", username.encode(), hashlib.sha1).digest()).decode()
    assert credential == expected
    # A fixed vector, so a change of hash or encoding cannot pass unnoticed.
    assert credential == "kCC0ck/UWxbSavuGHx5dULUk9nU="


def test_without_settings_no_ice_servers_are_given(personas: Personas, settings: Any) -> None:
    settings.VIDEO_STUN_URLS = []
    settings.VIDEO_TURN_URLS = []
    settings.VIDEO_TURN_SECRET = ""
    appointment = unsaved(resident=personas.resident, worker=personas.worker)

    assert ice_servers_for(user=personas.resident, appointment=appointment) == []


def test_turn_credentials_are_per_person_and_valid_until_the_window_closes(personas: Personas, settings: Any) -> None:
    settings.VIDEO_STUN_URLS = ["stun:turn.example.nl:3478"]
    settings.VIDEO_TURN_URLS = ["turn:turn.example.nl:3478?transport=udp", "turns:turn.example.nl:5349?transport=tcp"]
    settings.VIDEO_TURN_SECRET = "shared-secret"
    appointment = unsaved(resident=personas.resident, worker=personas.worker)

    stun, turn = ice_servers_for(user=personas.resident, appointment=appointment)
    worker_turn = ice_servers_for(user=personas.worker, appointment=appointment)[1]

    assert stun == {"urls": ["stun:turn.example.nl:3478"]}
    assert turn["urls"] == settings.VIDEO_TURN_URLS
    expiry, person = turn["username"].split(":")
    assert int(expiry) == int(call_window(appointment).closes_at.timestamp())
    assert person == str(personas.resident.public_id)
    assert worker_turn["username"] == f"{expiry}:{personas.worker.public_id}"
    assert worker_turn["credential"] != turn["credential"]


def test_turn_needs_both_urls_and_a_secret(personas: Personas, settings: Any) -> None:
    settings.VIDEO_STUN_URLS = []
    settings.VIDEO_TURN_URLS = ["turn:turn.example.nl:3478"]
    settings.VIDEO_TURN_SECRET = ""
    appointment = unsaved(resident=personas.resident, worker=personas.worker)

    assert ice_servers_for(user=personas.resident, appointment=appointment) == []


# --- The call page ------------------------------------------------------------------------


@pytest.fixture
def appointment(personas: Personas) -> Appointment:
    """A confirmed video appointment of Fatima with Sanne in five minutes."""
    return confirmed_appointment(resident=personas.resident, worker=personas.worker)


def test_the_resident_gets_the_camera_check_and_is_the_polite_side(
    personas: Personas, appointment: Appointment
) -> None:
    response = client_for(personas.resident).get(call_url(appointment))

    assert response.status_code == 200
    content = response.content.decode()
    assert CAMERA_CHECK in content
    assert "Gesprek starten" in content
    assert "Geluid van uw microfoon" in content
    assert f"Beeldbellen met {personas.worker.full_name}" in content
    assert "js/call.js" in content
    assert "<noscript>" in content and "Voor beeldbellen is JavaScript nodig." in content
    # Without JavaScript the check and the call stay hidden: only the note shows.
    assert '<section id="camera-controle" class="card" aria-labelledby="controle-titel" hidden>' in content
    assert '<section id="gesprek" class="call-room" aria-labelledby="gesprek-titel" hidden>' in content
    config = page_config(content)
    assert config["socket_path"] == f"/ws/beeldbellen/{appointment.public_id}/"
    assert config["polite"] is True


def test_the_worker_gets_the_same_page_and_is_the_impolite_side(personas: Personas, appointment: Appointment) -> None:
    response = client_for(personas.worker).get(call_url(appointment))

    assert response.status_code == 200
    content = response.content.decode()
    assert CAMERA_CHECK in content
    assert f"Beeldbellen met {personas.resident.full_name}" in content
    assert page_config(content)["polite"] is False


def test_opening_the_call_page_is_logged_as_a_read_of_the_appointment(
    personas: Personas, appointment: Appointment
) -> None:
    before = AccessLogEntry.objects.count()

    client_for(personas.resident).get(call_url(appointment))

    entry = AccessLogEntry.objects.order_by("sequence").last()
    assert AccessLogEntry.objects.count() == before + 1
    assert entry is not None
    assert (entry.object_type, entry.object_id, entry.action) == ("appointment", str(appointment.public_id), "view")
    assert entry.subject_id == personas.resident.pk


@pytest.mark.parametrize(
    "outsider", ["team_lead", "trusted_person", "foreign_worker", "other_resident", "other_worker", "admin"]
)
def test_nobody_else_finds_the_call(personas: Personas, appointment: Appointment, outsider: str) -> None:
    response = client_for(getattr(personas, outsider)).get(call_url(appointment))

    assert response.status_code == 404


def test_a_team_lead_who_may_read_the_appointment_still_cannot_join(personas: Personas) -> None:
    appointment = confirmed_appointment(resident=personas.team_resident, worker=personas.team_worker)
    client = client_for(personas.team_lead)

    assert client.get(reverse("appointments:detail", kwargs={"public_id": appointment.public_id})).status_code == 200
    assert client.get(call_url(appointment)).status_code == 404


def test_the_trusted_person_reads_the_appointment_but_cannot_join(personas: Personas, appointment: Appointment) -> None:
    client = client_for(personas.trusted_person)

    assert client.get(reverse("appointments:detail", kwargs={"public_id": appointment.public_id})).status_code == 200
    assert client.get(call_url(appointment)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in_and_comes_back(appointment: Appointment) -> None:
    response = Client().get(call_url(appointment))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={call_url(appointment)}"


def test_after_signing_in_the_resident_lands_straight_on_the_call(personas: Personas, appointment: Appointment) -> None:
    client = Client()
    login_page = client.get(f"/accounts/login/?next={call_url(appointment)}")
    assert f'value="{call_url(appointment)}"' in login_page.content.decode()

    response = client.post(
        "/accounts/login/",
        {"login": personas.resident.username, "password": DEMO_PASSWORD, "next": call_url(appointment)},
    )

    assert response.status_code == 302
    assert response["Location"] == call_url(appointment)
    assert CAMERA_CHECK in client.get(response["Location"]).content.decode()


def test_after_password_and_code_the_worker_lands_straight_on_the_call(
    personas: Personas, appointment: Appointment
) -> None:
    client = Client()
    first = client.post(
        "/accounts/login/",
        {"login": personas.worker.username, "password": DEMO_PASSWORD, "next": call_url(appointment)},
    )
    assert first["Location"] == "/accounts/2fa/authenticate/"

    second = client.post("/accounts/2fa/authenticate/", {"code": demo_totp_code()})

    assert second.status_code == 302
    assert second["Location"] == call_url(appointment)


def test_too_early_says_when_the_call_begins_and_offers_to_try_again(personas: Personas) -> None:
    with time_machine.travel(MORNING, tick=False):
        appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker, starts_at=START)
        response = client_for(personas.resident).get(call_url(appointment))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Het gesprek begint om 10:30 uur. U kunt vanaf 10:15 uur binnenkomen." in content
    assert f'href="{call_url(appointment)}">Probeer opnieuw</a>' in content
    assert "js/call.js" not in content
    assert 'http-equiv="refresh"' not in content


def test_on_another_day_the_page_names_the_day(personas: Personas) -> None:
    with time_machine.travel(MORNING - timedelta(days=1), tick=False):
        appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker, starts_at=START)
        content = client_for(personas.resident).get(call_url(appointment)).content.decode()

    assert "Het gesprek is op dinsdag 1 december. Het begint om 10:30 uur." in content


def test_the_call_opens_a_quarter_before_and_closes_half_an_hour_after(personas: Personas) -> None:
    with time_machine.travel(MORNING, tick=False):
        appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker, starts_at=START)

    with time_machine.travel(datetime(2026, 12, 1, 10, 15, tzinfo=AMSTERDAM), tick=False):
        opened = client_for(personas.resident).get(call_url(appointment)).content.decode()
    with time_machine.travel(datetime(2026, 12, 1, 11, 45, tzinfo=AMSTERDAM), tick=False):
        closed = client_for(personas.resident).get(call_url(appointment)).content.decode()

    assert CAMERA_CHECK in opened
    assert CAMERA_CHECK not in closed
    assert "Dit gesprek is voorbij. Binnenkomen kon tot 11:45 uur." in closed
    assert "js/call.js" not in closed


def test_a_cancelled_call_says_so(personas: Personas, appointment: Appointment) -> None:
    booking.appointment_cancel(appointment=appointment, by=personas.worker, reason="Ziek")

    content = client_for(personas.resident).get(call_url(appointment)).content.decode()

    assert "Deze afspraak is afgezegd. Het gesprek gaat niet door." in content
    assert CAMERA_CHECK not in content
    assert "js/call.js" not in content


def test_a_phone_appointment_leads_to_its_detail_page(personas: Personas) -> None:
    phone = confirmed_appointment(resident=personas.resident, worker=personas.worker, kind="phone")

    response = client_for(personas.resident).get(call_url(phone))

    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:detail", kwargs={"public_id": phone.public_id})


def test_an_organisation_with_jitsi_gets_one_big_button_to_its_room(personas: Personas) -> None:
    organisation_appointment_settings_update(
        organisation=personas.organisation,
        change_deadline_hours=24,
        reminder_hours=24,
        jitsi_base_url="https://meet.example.nl",
    )
    appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker)

    content = client_for(personas.resident).get(call_url(appointment)).content.decode()

    room = f"https://meet.example.nl/{appointment.video_room}"
    assert room == jitsi_room_url(appointment)
    assert len(appointment.video_room) >= 32
    assert f'href="{room}"' in content
    assert "Naar het gesprek" in content
    assert 'target="_blank"' not in content
    assert "js/call.js" not in content
    assert "beeldbellen-config" not in content


def test_jitsi_follows_the_same_window(personas: Personas) -> None:
    organisation_appointment_settings_update(
        organisation=personas.organisation,
        change_deadline_hours=24,
        reminder_hours=24,
        jitsi_base_url="https://meet.example.nl",
    )
    with time_machine.travel(MORNING, tick=False):
        appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker, starts_at=START)
        content = client_for(personas.resident).get(call_url(appointment)).content.decode()

    assert "U kunt vanaf 10:15 uur binnenkomen." in content
    assert appointment.video_room not in content


def test_the_page_gives_turn_credentials_of_the_person_only(
    personas: Personas, appointment: Appointment, settings: Any
) -> None:
    settings.VIDEO_TURN_URLS = ["turn:turn.example.nl:3478"]
    settings.VIDEO_TURN_SECRET = "shared-secret"

    content = client_for(personas.worker).get(call_url(appointment)).content.decode()

    servers = page_config(content)["ice_servers"]
    assert [s["username"].split(":")[1] for s in servers if "username" in s] == [str(personas.worker.public_id)]
    assert "shared-secret" not in content

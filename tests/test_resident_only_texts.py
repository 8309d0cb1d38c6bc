"""Texts written for residents ("your worker never asks for your DigiD code",
"call us") are not shown to staff, who would read them as nonsense."""

from __future__ import annotations

import pytest
from django.urls import reverse

from appointments.tests.factories import confirmed_appointment
from conftest import Personas, client_for
from messaging.tests.helpers import conversation_url, direct_conversation, say

RESIDENT_ONLY = ["DigiD", "Bel ons"]


def _page(user: object, path: str) -> str:
    response = client_for(user).get(path, follow=True)  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["social_worker", "team_lead", "organisation_admin", "privacy_officer"])
def test_a_staff_members_home_page_has_no_resident_texts(personas: Personas, role: str) -> None:
    page = _page(personas.by_role()[role], "/")

    assert [text for text in RESIDENT_ONLY if text in page] == []


@pytest.mark.parametrize("role", ["anonymous", "resident", "trusted_person"])
def test_residents_and_visitors_keep_the_digid_warning(personas: Personas, role: str) -> None:
    assert "Uw sociaal werker vraagt nooit om uw DigiD-code" in _page(personas.by_role()[role], "/")


def test_the_worker_reads_a_conversation_without_the_residents_warnings(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    say(conversation, personas.resident, "Wat is mijn pincode ook alweer?")

    worker_page = _page(personas.worker, conversation_url(conversation))
    resident_page = _page(personas.resident, conversation_url(conversation))

    assert "DigiD" not in worker_page
    assert "Vraag hier nooit naar en help de inwoner om dit niet te delen." in worker_page
    assert "Uw sociaal werker vraagt nooit om uw DigiD-code" in resident_page


def test_the_call_page_offers_call_us_to_the_resident_only(personas: Personas) -> None:
    appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker)
    call = reverse("appointments:call", kwargs={"public_id": appointment.public_id})

    assert "Bel ons" in _page(personas.resident, call)
    assert [text for text in RESIDENT_ONLY if text in _page(personas.worker, call)] == []

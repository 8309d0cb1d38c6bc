"""Hostile files as chat attachments: the same upload check as the case
file, through the real send form. Refused with the plain Dutch message, and
no message, no attachment and no file stored."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casefiles.tests.files import pdf_bytes
from casefiles.tests.helpers import messages_of, stored_files
from casefiles.tests.hostile.corpus import HOSTILE, hostile_file
from conftest import Personas, client_for
from messaging.models import Conversation, Message
from messaging.tests.helpers import direct_conversation, messaging_state, send_url

UNAVAILABLE = "We kunnen het bestand nu niet controleren, probeer het later opnieuw."


@pytest.fixture
def conversation(personas: Personas) -> Conversation:
    return direct_conversation(personas.resident, personas.worker)


@pytest.fixture
def without_clamd(settings: Any) -> None:
    settings.CLAMAV_SOCKET = ""


def send_attachment(personas: Personas, conversation: Conversation, content: bytes) -> list[str]:
    attachment = SimpleUploadedFile("bijlage.pdf", content, content_type="application/pdf")
    response = client_for(personas.resident).post(
        send_url(conversation), {"body": "Zie bijlage", "client_key": "key-bijlage-1", "attachment": attachment}
    )
    assert response.status_code == 302
    return messages_of(response)


@pytest.mark.usefixtures("without_clamd")
@pytest.mark.parametrize(
    "name",
    [
        "pdf-javascript-escaped-name",
        "pdf-launch-in-object-stream",
        "pdf-embedded-file",
        "docx-macro-part-not-named-bin",
        "docx-external-template",
        "zip-bomb-declared-sizes-tiny",
        "odt-event-listener-macro",
    ],
)
def test_a_hostile_attachment_is_refused_and_nothing_is_stored(
    personas: Personas, conversation: Conversation, private_folder: Path, name: str
) -> None:
    before = messaging_state()

    messages = send_attachment(personas, conversation, hostile_file(name))

    assert any(text.startswith(HOSTILE[name].message) for text in messages), messages
    assert messaging_state() == before
    assert not Message.objects.exists()
    assert stored_files(private_folder) == []


def test_an_attachment_with_a_virus_is_refused_by_clamd(
    personas: Personas, conversation: Conversation, private_folder: Path, settings: Any
) -> None:
    if not os.environ.get("CLAMAV_SOCKET"):
        pytest.skip("no clamd here: CLAMAV_SOCKET is unset (CI always starts one)")
    settings.CLAMAV_SOCKET = os.environ["CLAMAV_SOCKET"]
    before = messaging_state()

    messages = send_attachment(personas, conversation, hostile_file("eicar-in-docx-part"))

    assert "In dit bestand is een virus gevonden. Het bestand is niet opgeslagen." in messages
    assert messaging_state() == before
    assert stored_files(private_folder) == []


def test_with_clamd_configured_but_unreachable_an_attachment_is_refused(
    personas: Personas, conversation: Conversation, private_folder: Path, settings: Any
) -> None:
    settings.CLAMAV_SOCKET = f"tcp://127.0.0.1:{unused_port()}"
    before = messaging_state()

    messages = send_attachment(personas, conversation, pdf_bytes())

    assert UNAVAILABLE in messages
    assert messaging_state() == before
    assert stored_files(private_folder) == []


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

"""What the capabilities add to the caseload through organisations/caseload.py:
each counts per resident in the same query, and a chat message from the
resident counts as new until the worker has read it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import Personas
from messaging.services import read_mark
from messaging.tests.helpers import direct_conversation, say
from organisations.caseload import caseload_counts_providers
from organisations.selectors import caseload_list

pytestmark = pytest.mark.django_db


def test_the_capabilities_provide_their_counts_in_a_fixed_order() -> None:
    assert [(p.name, p.unread) for p in caseload_counts_providers()] == [
        ("casefiles", ("new_comments", "new_documents", "new_corrections")),
        ("blend", ()),
        ("messaging", ("new_messages",)),
        ("appointments", ()),
        ("preparation", ("preparations_ready",)),
    ]


def _row(personas: Personas) -> dict[str, int]:
    resident = caseload_list(user=personas.worker).get(pk=personas.resident.pk)
    return {"unread": getattr(resident, "unread"), "messages": getattr(resident, "new_messages")}  # noqa: B009


def test_an_unread_chat_message_is_new_from_the_resident_until_the_worker_reads_it(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    assert _row(personas) == {"unread": 0, "messages": 0}

    say(conversation, personas.resident, "Mag ik morgen langskomen?")
    say(conversation, personas.resident, "Om 10 uur?")
    assert _row(personas) == {"unread": 2, "messages": 2}
    assert list(caseload_list(user=personas.worker, attention="unread")) == [personas.resident]

    read_mark(conversation=conversation, user=personas.worker, sequence=1)
    assert _row(personas) == {"unread": 1, "messages": 1}
    # Answering means having read it.
    say(conversation, personas.worker, "Ja, om 10 uur is goed.")
    assert _row(personas) == {"unread": 0, "messages": 0}


def test_the_caseload_page_shows_the_unread_message_in_one_query_for_all_counts(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    say(conversation, personas.resident, "Hallo")

    with CaptureQueriesContext(connection) as one:
        rows = list(caseload_list(user=personas.worker))
    # The residents with every count in one query, then their workers (prefetch).
    assert len(one.captured_queries) == 3
    assert [getattr(r, "unread") for r in rows if r.pk == personas.resident.pk] == [1]  # noqa: B009


def test_the_caseload_shows_unread_chat_and_open_requests_per_resident(personas: Personas) -> None:
    from appointments import booking
    from appointments.tests.factories import agree_all_kinds
    from conftest import client_for

    conversation = direct_conversation(personas.resident, personas.worker)
    say(conversation, personas.resident, "Hallo")
    agree_all_kinds(resident=personas.resident, worker=personas.worker)
    booking.appointment_request_send(
        resident=personas.resident, worker=personas.worker, kinds=["video"], weekdays=[2], parts_of_day=[], note=""
    )

    page = client_for(personas.worker).get("/werk/").content.decode()

    assert "Ongelezen chat" in page and "Afspraakverzoeken" in page
    assert f'href="/berichten/{conversation.public_id}/"><strong>1</strong>' in page
    assert 'href="/werk/vandaag/#vandaag-verzoeken"><strong>1</strong>' in page

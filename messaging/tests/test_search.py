"""Search within one's own conversations: never another resident's
conversation, never deleted or hidden messages, and a short query is a
form error, not a crash."""

from __future__ import annotations

import pytest

from casefiles.tests.helpers import page_text
from conftest import Personas, client_for
from messaging.models import Conversation
from messaging.services import conversation_group_create, message_delete
from messaging.tests.helpers import chat_switched, direct_conversation, say

SEARCH_URL = "/berichten/zoeken/"


@pytest.fixture
def conversations(personas: Personas) -> tuple[Conversation, Conversation]:
    """Fatima with Sanne, and Henk with Ruben, both about the energy bill."""
    mine = direct_conversation(personas.resident, personas.worker)
    theirs = direct_conversation(personas.other_resident, personas.other_worker)
    say(mine, personas.resident, "Mijn energierekening is te hoog")
    say(theirs, personas.other_resident, "Henk zijn energierekening staat op rood")
    return mine, theirs


def found(user: object, query: str) -> str:
    response = client_for(user).get(SEARCH_URL, {"q": query})  # type: ignore[arg-type]
    assert response.status_code == 200
    return page_text(response)


def test_a_resident_finds_only_messages_in_their_own_conversation(
    personas: Personas, conversations: tuple[Conversation, Conversation]
) -> None:
    page = found(personas.resident, "energierekening")

    assert "Mijn energierekening is te hoog" in page
    assert "staat op rood" not in page


def test_a_worker_finds_only_messages_of_residents_on_their_caseload(
    personas: Personas, conversations: tuple[Conversation, Conversation]
) -> None:
    sanne = found(personas.worker, "ENERGIErekening")
    ruben = found(personas.other_worker, "energierekening")
    foreign = found(personas.foreign_worker, "energierekening")

    assert "Mijn energierekening is te hoog" in sanne
    assert "staat op rood" not in sanne
    assert "staat op rood" in ruben
    assert "te hoog" not in ruben
    assert "te hoog" not in foreign
    assert "staat op rood" not in foreign


def test_search_skips_deleted_and_hidden_messages(personas: Personas) -> None:
    direct = direct_conversation(personas.resident, personas.worker)
    deleted = say(direct, personas.resident, "Mijn wachtwoord is geheim123")
    message_delete(message=deleted, deleted_by=personas.resident)
    group = conversation_group_create(title="Groep", created_by=personas.worker, residents=[personas.resident])
    hidden = say(group, personas.resident, "Verborgen geheim456")
    client_for(personas.worker).post(f"/berichten/bericht/{hidden.public_id}/verbergen/")

    for user in (personas.resident, personas.worker):
        page = found(user, "geheim")
        assert "geheim123" not in page
        assert "geheim456" not in page
        assert "Niets gevonden." in page


def test_a_resident_who_left_a_group_no_longer_finds_its_messages(personas: Personas) -> None:
    chat_switched(personas.resident)
    group = conversation_group_create(title="Groep", created_by=personas.worker, residents=[personas.resident])
    say(group, personas.worker, "Volgende week koffie in het buurthuis")
    client_for(personas.resident).post(f"/berichten/{group.public_id}/deelnemers/{personas.resident.public_id}/weg/")

    assert "koffie in het buurthuis" not in found(personas.resident, "buurthuis")


@pytest.mark.parametrize(
    ("query", "expected"),
    [("e", "ten minste 2 tekens"), (" ", "verplicht"), ("x" * 101, "100")],
    ids=["one-letter", "space", "too-long"],
)
def test_a_query_that_is_too_short_or_too_long_is_a_form_error(
    personas: Personas, conversations: tuple[Conversation, Conversation], query: str, expected: str
) -> None:
    page = found(personas.resident, query)

    assert "energierekening is te hoog" not in page
    assert expected in page
    assert "Er ging iets mis" in page
    assert 'class="field-error"' in page


def test_the_search_page_without_a_query_shows_the_form(personas: Personas) -> None:
    response = client_for(personas.resident).get(SEARCH_URL)

    assert response.status_code == 200
    assert 'name="q"' in page_text(response)


def test_search_treats_like_wildcards_as_text(
    personas: Personas, conversations: tuple[Conversation, Conversation]
) -> None:
    assert "energierekening" not in found(personas.resident, "%%").split("</form>", 1)[1]
    assert "energierekening" not in found(personas.resident, "__").split("</form>", 1)[1]


def test_people_without_messaging_cannot_search(personas: Personas) -> None:
    for user in (personas.admin, personas.privacy_officer):
        assert client_for(user).get(SEARCH_URL, {"q": "energierekening"}).status_code == 403


def test_a_trusted_person_without_the_messages_scope_finds_nothing(
    personas: Personas, conversations: tuple[Conversation, Conversation]
) -> None:
    page = found(personas.trusted_person, "energierekening")

    assert "te hoog" not in page
    assert "staat op rood" not in page

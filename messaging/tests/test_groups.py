"""Group conversations: a worker starts one with residents from their own
caseload who switched chat on; residents see each other's first names
only; a resident can leave; the worker moderates (removes members, hides
messages); every member can report a message."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.models import User
from audit.models import AccessLogEntry
from casefiles.tests.helpers import messages_of, page_text
from conftest import Personas, client_for
from messaging.models import Conversation, Membership, MessageReport
from messaging.services import conversation_group_create
from messaging.tests.helpers import (
    chat_switched,
    conversation_url,
    direct_conversation,
    members_url,
    message_url,
    messaging_state,
    remove_member_url,
    say,
    send_url,
    since_url,
)
from organisations.services import caseload_assign

CREATE_URL = "/berichten/groep/nieuw/"
HIDDEN = "Dit bericht is verborgen door de sociaal werker."


@dataclass
class Group:
    conversation: Conversation
    worker: User
    fatima: User
    henk: User


@pytest.fixture
def caseload(personas: Personas) -> Personas:
    """Sanne (``worker``) also guides Henk (``other_resident``) and Mehmet
    (``team_resident``); Fatima and Henk switched chat on, Mehmet did not."""
    for resident in (personas.other_resident, personas.team_resident):
        caseload_assign(resident=resident, worker=personas.worker, assigned_by=personas.admin)
    chat_switched(personas.resident)
    chat_switched(personas.other_resident)
    return personas


@pytest.fixture
def group(caseload: Personas) -> Group:
    conversation = conversation_group_create(
        title="Training Grip op geld",
        created_by=caseload.worker,
        residents=[caseload.resident, caseload.other_resident],
    )
    return Group(conversation, caseload.worker, caseload.resident, caseload.other_resident)


def active_members(conversation: Conversation) -> set[int]:
    return set(Membership.objects.active().filter(conversation=conversation).values_list("user", flat=True))


# --- Creating a group ------------------------------------------------------------------------


def test_a_worker_creates_a_group_with_residents_from_their_caseload(caseload: Personas) -> None:
    client = client_for(caseload.worker)
    page = page_text(client.get(CREATE_URL))

    response = client.post(
        CREATE_URL,
        {
            "title": "Training Grip op geld",
            "residents": [caseload.resident.public_id, caseload.other_resident.public_id],
        },
    )

    conversation = Conversation.objects.get(kind=Conversation.Kind.GROUP)
    assert response.status_code == 302
    assert response["Location"] == conversation_url(conversation)
    assert conversation.title == "Training Grip op geld"
    assert active_members(conversation) == {caseload.worker.pk, caseload.resident.pk, caseload.other_resident.pk}
    moderators = Membership.objects.filter(conversation=conversation, is_moderator=True)
    assert [m.user_id for m in moderators] == [caseload.worker.pk]
    assert caseload.resident.full_name in page
    assert str(caseload.demo.residents[2].public_id) not in page  # on Noor's caseload
    assert str(caseload.foreign_resident.public_id) not in page
    logged = AccessLogEntry.objects.filter(
        actor=caseload.worker, action="create", object_id=str(conversation.public_id)
    )
    assert set(logged.values_list("subject", flat=True)) == {caseload.resident.pk, caseload.other_resident.pk}


def test_a_resident_without_chat_is_refused_by_name_and_no_group_is_made(caseload: Personas) -> None:
    before = messaging_state()

    response = client_for(caseload.worker).post(
        CREATE_URL,
        {"title": "Koffieochtend", "residents": [caseload.resident.public_id, caseload.team_resident.public_id]},
    )

    assert response.status_code == 200
    assert "Mehmet heeft chat niet aangezet." in page_text(response)
    assert messaging_state() == before


def test_a_resident_of_another_caseload_cannot_be_added(personas: Personas) -> None:
    chat_switched(personas.resident)
    chat_switched(personas.other_resident)
    client = client_for(personas.worker)
    before = messaging_state()

    page = page_text(client.get(CREATE_URL))
    response = client.post(
        CREATE_URL,
        {"title": "Koffieochtend", "residents": [personas.resident.public_id, personas.other_resident.public_id]},
    )

    assert personas.other_resident.full_name not in page
    assert response.status_code == 200
    assert messaging_state() == before


def test_residents_cannot_make_groups(personas: Personas) -> None:
    before = messaging_state()

    client = client_for(personas.resident)

    assert client.get(CREATE_URL).status_code == 403
    assert (
        client.post(CREATE_URL, {"title": "Eigen groep", "residents": [personas.resident.public_id]}).status_code == 403
    )
    assert messaging_state() == before


# --- Names ---------------------------------------------------------------------------------


def test_in_a_group_residents_see_each_other_by_first_name_only(group: Group) -> None:
    say(group.conversation, group.fatima, "Hallo allemaal")
    say(group.conversation, group.henk, "Dag Fatima")
    say(group.conversation, group.worker, "Welkom in de groep")

    fatima_pages = [
        client_for(group.fatima).get(conversation_url(group.conversation)),
        client_for(group.fatima).get(members_url(group.conversation)),
        client_for(group.fatima).get(since_url(group.conversation, "0")),
    ]
    henk_pages = [
        client_for(group.henk).get(conversation_url(group.conversation)),
        client_for(group.henk).get(members_url(group.conversation)),
    ]

    for response in fatima_pages:
        assert response.status_code == 200
        assert group.henk.last_name not in page_text(response)
        assert group.henk.username not in page_text(response)
    for response in henk_pages:
        assert group.fatima.last_name not in page_text(response)
    assert "Henk" in page_text(fatima_pages[0])
    # The resident must know which person answers: staff show their full name.
    assert group.worker.full_name in page_text(fatima_pages[0])
    assert set(Membership.objects.filter(conversation=group.conversation).values_list("display_name", flat=True)) == {
        "Fatima",
        "Henk",
        group.worker.full_name,
    }


def test_a_resident_is_shown_by_the_name_they_chose(caseload: Personas) -> None:
    caseload.other_resident.preferred_name = "Hennie"
    caseload.other_resident.save(update_fields=["preferred_name"])
    conversation = conversation_group_create(
        title="Wandelgroep", created_by=caseload.worker, residents=[caseload.resident, caseload.other_resident]
    )
    say(conversation, caseload.other_resident, "Tot morgen")

    page = page_text(client_for(caseload.resident).get(conversation_url(conversation)))

    assert "Hennie" in page
    assert caseload.other_resident.last_name not in page


# --- Leaving and removing ------------------------------------------------------------------


def test_a_resident_can_leave_a_group(group: Group) -> None:
    say(group.conversation, group.worker, "Welkom")
    client = client_for(group.henk)

    response = client.post(remove_member_url(group.conversation, group.henk))

    assert response.status_code == 302
    assert response["Location"] == "/berichten/"
    assert messages_of(response) == ["U doet niet meer mee met deze groep."]
    assert active_members(group.conversation) == {group.worker.pk, group.fatima.pk}
    assert client.get(conversation_url(group.conversation)).status_code == 404
    assert "Training Grip op geld" not in page_text(client.get("/berichten/"))
    assert (
        client.post(send_url(group.conversation), {"body": "Toch nog", "client_key": "key-na-weg"}).status_code == 404
    )
    assert group.conversation.messages.count() == 1


def test_the_moderator_can_remove_a_member(group: Group) -> None:
    response = client_for(group.worker).post(remove_member_url(group.conversation, group.henk))

    assert response.status_code == 302
    assert response["Location"] == members_url(group.conversation)
    assert messages_of(response) == ["De deelnemer is verwijderd uit de groep."]
    assert active_members(group.conversation) == {group.worker.pk, group.fatima.pk}
    assert client_for(group.henk).get(conversation_url(group.conversation)).status_code == 404


def test_a_member_cannot_remove_another_member(group: Group) -> None:
    before = messaging_state()

    response = client_for(group.fatima).post(remove_member_url(group.conversation, group.henk))

    assert response.status_code == 302
    assert messages_of(response) == ["U kunt deze deelnemer niet verwijderen."]
    assert messaging_state() == before


def test_a_member_does_not_see_remove_buttons_for_others(group: Group) -> None:
    page = page_text(client_for(group.fatima).get(members_url(group.conversation)))

    assert remove_member_url(group.conversation, group.fatima) in page
    assert remove_member_url(group.conversation, group.henk) not in page


@pytest.mark.parametrize("role", ["other_worker", "other_resident", "foreign_worker", "team_lead"])
def test_outsiders_cannot_see_or_change_the_group(personas: Personas, role: str) -> None:
    chat_switched(personas.resident)
    conversation = conversation_group_create(title="Groep", created_by=personas.worker, residents=[personas.resident])
    client = client_for(getattr(personas, role))
    before = messaging_state()

    responses = [
        client.get(conversation_url(conversation)),
        client.get(members_url(conversation)),
        client.post(remove_member_url(conversation, personas.resident)),
        client.post(send_url(conversation), {"body": "Hallo", "client_key": "key-outsider"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert messaging_state() == before


def test_the_moderator_adds_a_resident_with_chat_and_is_refused_one_without(group: Group, caseload: Personas) -> None:
    client = client_for(group.worker)
    before = messaging_state()

    refused = client.post(members_url(group.conversation), {"resident": caseload.team_resident.public_id})

    assert "Mehmet heeft chat niet aangezet." in page_text(refused)
    assert messaging_state() == before

    chat_switched(caseload.team_resident)
    added = client.post(members_url(group.conversation), {"resident": caseload.team_resident.public_id})

    assert added.status_code == 302
    assert caseload.team_resident.pk in active_members(group.conversation)


def test_a_resident_cannot_add_members(group: Group, caseload: Personas) -> None:
    chat_switched(caseload.team_resident)
    before = messaging_state()

    response = client_for(group.fatima).post(
        members_url(group.conversation), {"resident": caseload.team_resident.public_id}
    )

    assert response.status_code == 404
    assert messaging_state() == before


# --- Reporting and hiding ------------------------------------------------------------------


def test_a_member_reports_a_message(group: Group) -> None:
    message = say(group.conversation, group.henk, "Jullie zijn allemaal dom")

    response = client_for(group.fatima).post(message_url(message, "melden"), {"reason": "Scheldwoorden"})

    assert response.status_code == 302
    assert messages_of(response) == ["Bedankt. Een sociaal werker bekijkt dit bericht."]
    report = MessageReport.objects.get()
    assert (report.message_id, report.reporter_id, report.reason, report.handled_at) == (
        message.pk,
        group.fatima.pk,
        "Scheldwoorden",
        None,
    )


def test_an_outsider_cannot_report_a_message(group: Group, personas: Personas) -> None:
    message = say(group.conversation, group.henk, "Hallo")
    before = messaging_state()

    responses = [
        client_for(user).post(message_url(message, "melden"), {"reason": "x"})
        for user in (personas.other_worker, personas.foreign_worker, personas.team_resident)
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert messaging_state() == before


def test_the_worker_hides_a_message_and_the_others_see_that_it_was_hidden(group: Group) -> None:
    message = say(group.conversation, group.henk, "Bel mij op 06-12345678 voor goedkope leningen")
    client_for(group.fatima).post(message_url(message, "melden"), {"reason": "Reclame"})

    response = client_for(group.worker).post(message_url(message, "verbergen"))

    assert response.status_code == 302
    assert messages_of(response) == ["Het bericht is verborgen."]
    message.refresh_from_db()
    assert message.hidden_at is not None
    assert message.hidden_by_id == group.worker.pk
    assert MessageReport.objects.get().handled_at is not None
    for user in (group.fatima, group.henk):
        page = page_text(client_for(user).get(conversation_url(group.conversation)))
        assert HIDDEN in page
        assert "06-12345678" not in page
    assert "06-12345678" not in page_text(client_for(group.fatima).get("/berichten/zoeken/?q=leningen"))


def test_a_resident_cannot_hide_messages(group: Group) -> None:
    message = say(group.conversation, group.henk, "Hallo")
    before = messaging_state()

    response = client_for(group.fatima).post(message_url(message, "verbergen"))

    assert response.status_code == 403
    assert messaging_state() == before


def test_hiding_a_message_in_a_direct_conversation_is_refused(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)
    message = say(conversation, personas.resident, "Ik ben boos")
    before = messaging_state()

    response = client_for(personas.worker).post(message_url(message, "verbergen"))

    assert response.status_code == 302
    assert messages_of(response) == ["Alleen in een groepsgesprek kunnen berichten worden verborgen."]
    assert messaging_state() == before
    assert "Ik ben boos" in page_text(client_for(personas.resident).get(conversation_url(conversation)))


def test_the_members_page_of_a_direct_conversation_does_not_exist(personas: Personas) -> None:
    conversation = direct_conversation(personas.resident, personas.worker)

    assert client_for(personas.worker).get(members_url(conversation)).status_code == 404


# --- Refusals in the access log ---------------------------------------------------------


def refusals() -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(outcome="denied").order_by("id"))


def test_an_outsider_refused_a_group_is_logged_once_for_each_resident_in_it(group: Group, personas: Personas) -> None:
    before = AccessLogEntry.objects.count()

    response = client_for(personas.other_worker).get(conversation_url(group.conversation))

    assert response.status_code == 404
    logged = refusals()
    assert AccessLogEntry.objects.count() == before + 2
    assert {entry.subject_id for entry in logged} == {group.fatima.pk, group.henk.pk}
    for entry in logged:
        assert entry.actor == personas.other_worker
        assert (entry.object_type, entry.object_id) == ("conversation", str(group.conversation.public_id))
        assert (entry.action, entry.organisation_id) == ("view", personas.organisation.pk)


def test_a_refused_message_or_send_is_logged_once_per_request(group: Group, personas: Personas) -> None:
    message = say(group.conversation, group.worker, "Welkom")
    client = client_for(personas.other_worker)

    assert client.post(message_url(message, "verbergen")).status_code == 404
    after_hide = refusals()
    assert client.post(send_url(group.conversation), {"body": "Hallo", "client_key": "key-weg"}).status_code == 404

    assert len(after_hide) == 2  # one request, two residents: not twice through message → conversation
    assert len(refusals()) == 4
    assert {entry.action for entry in refusals()[2:]} == {"create"}


def test_a_resident_who_left_is_refused_and_logged_against_the_residents_still_in_it(group: Group) -> None:
    client = client_for(group.henk)
    client.post(remove_member_url(group.conversation, group.henk))

    assert client.get(conversation_url(group.conversation)).status_code == 404

    logged = refusals()
    assert [(entry.actor_id, entry.subject_id) for entry in logged] == [(group.henk.pk, group.fatima.pk)]


def test_a_worker_of_another_organisation_is_logged_in_the_groups_organisation(
    group: Group, personas: Personas
) -> None:
    assert client_for(personas.foreign_worker).get(conversation_url(group.conversation)).status_code == 404

    logged = refusals()
    assert len(logged) == 2
    assert {entry.organisation_id for entry in logged} == {personas.organisation.pk}
    assert {entry.actor_organisation_id for entry in logged} == {personas.foreign_organisation.pk}


def test_a_refusal_on_a_group_without_residents_is_logged_against_the_conversation(
    group: Group, personas: Personas
) -> None:
    for resident in (group.fatima, group.henk):
        client_for(resident).post(remove_member_url(group.conversation, resident))

    assert client_for(personas.other_worker).get(conversation_url(group.conversation)).status_code == 404

    [entry] = refusals()
    assert entry.subject is None
    assert (entry.object_type, entry.object_id) == ("conversation", str(group.conversation.public_id))
    assert entry.organisation_id == personas.organisation.pk


def test_a_trusted_person_never_reads_a_group_and_is_logged_for_each_resident_in_it(
    group: Group, personas: Personas
) -> None:
    # Even a grant with "messages" opens only the resident's own conversation.
    personas.resident.trusted_person_grants.update(scopes=["appointments", "messages"])
    assert client_for(personas.trusted_person).get(conversation_url(group.conversation)).status_code == 404

    logged = refusals()
    assert {entry.object_type for entry in logged} == {"conversation"}
    assert {entry.subject for entry in logged} == {group.fatima, group.henk}

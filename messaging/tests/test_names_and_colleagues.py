"""A resident chooses the name others see in groups; a worker lets a
colleague help (for example during leave)."""

from __future__ import annotations

from blend.services import channel_consent_set
from conftest import Personas, client_for
from messaging.models import Membership
from messaging.services import conversation_direct_open, conversation_group_create
from organisations.models import CaseloadAssignment


def _chat_on(personas: Personas) -> None:
    channel_consent_set(resident=personas.resident, channel="chat", is_given=True, recorded_by=personas.resident)


def test_a_resident_chooses_the_name_shown_in_groups(personas: Personas) -> None:
    _chat_on(personas)
    group = conversation_group_create(title="Training", created_by=personas.worker, residents=[personas.resident])

    response = client_for(personas.resident).post("/mijn/naam-in-groepen/", {"preferred_name": "Faat"})

    assert response.status_code == 302
    membership = Membership.objects.get(conversation=group, user=personas.resident)
    assert membership.display_name == "Faat"
    page = client_for(personas.worker).get(f"/berichten/{group.public_id}/deelnemers/").content.decode()
    assert "Faat" in page
    assert personas.resident.last_name not in page


def test_a_hostile_group_name_is_refused_and_nothing_changes(personas: Personas) -> None:
    response = client_for(personas.resident).post("/mijn/naam-in-groepen/", {"preferred_name": "<b>Faat</b>"})

    assert response.status_code == 200
    personas.resident.refresh_from_db()
    assert personas.resident.preferred_name == ""


def test_a_colleague_added_by_the_worker_sees_the_file_and_the_chat(personas: Personas) -> None:
    _chat_on(personas)
    conversation = conversation_direct_open(resident=personas.resident, opened_by=personas.worker)
    colleague = personas.other_worker
    assert client_for(colleague).get(f"/berichten/{conversation.public_id}/").status_code == 404

    response = client_for(personas.worker).post(
        f"/werk/inwoners/{personas.resident.public_id}/collega/", {"colleague-worker": str(colleague.public_id)}
    )

    assert response.status_code == 302
    assert CaseloadAssignment.objects.filter(resident=personas.resident, worker=colleague).exists()
    assert client_for(colleague).get(f"/berichten/{conversation.public_id}/").status_code == 200
    assert client_for(colleague).get(f"/werk/inwoners/{personas.resident.public_id}/dossier/").status_code == 200


def test_a_worker_cannot_add_a_colleague_for_someone_elses_resident(personas: Personas) -> None:
    response = client_for(personas.other_worker).post(
        f"/werk/inwoners/{personas.resident.public_id}/collega/",
        {"colleague-worker": str(personas.team_lead.public_id)},
    )

    assert response.status_code == 404
    assert not CaseloadAssignment.objects.filter(resident=personas.resident, worker=personas.team_lead).exists()


def test_a_colleague_of_another_organisation_cannot_be_added(personas: Personas) -> None:
    client_for(personas.worker).post(
        f"/werk/inwoners/{personas.resident.public_id}/collega/",
        {"colleague-worker": str(personas.foreign_worker.public_id)},
    )

    assert not CaseloadAssignment.objects.filter(worker=personas.foreign_worker, resident=personas.resident).exists()


def test_after_a_handover_the_old_worker_is_no_longer_a_member(personas: Personas) -> None:
    from casefiles.services import case_handover, case_open

    _chat_on(personas)
    conversation = conversation_direct_open(resident=personas.resident, opened_by=personas.worker)
    case = case_open(resident=personas.resident, opened_by=personas.worker)

    case_handover(
        case=case, from_worker=personas.worker, to_worker=personas.other_worker, handed_over_by=personas.worker
    )

    active = set(Membership.objects.active().filter(conversation=conversation).values_list("user_id", flat=True))
    assert personas.worker.pk not in active
    assert personas.resident.pk in active

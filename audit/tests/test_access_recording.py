"""Every read of resident data through the policy module leaves one entry in
the NEN 7513 access log: allowed reads, denied attempts and list views."""

from __future__ import annotations

import uuid

from audit.context import session_reference
from audit.models import AccessLogEntry
from conftest import Personas, client_for


def detail_url(resident_public_id: object) -> str:
    return f"/werk/inwoners/{resident_public_id}/"


def test_worker_reading_own_resident_writes_one_allowed_entry_with_who_what_and_where(personas: Personas) -> None:
    client = client_for(personas.worker)

    response = client.get(detail_url(personas.resident.public_id), REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert entry.actor == personas.worker
    assert entry.actor_name == "Sanne de Jong"
    assert entry.actor_role == "social_worker"
    assert entry.organisation == personas.organisation
    assert entry.subject == personas.resident
    assert entry.object_type == "resident"
    assert entry.object_id == str(personas.resident.public_id)
    assert entry.action == "view"
    assert entry.outcome == "allowed"
    assert entry.ip_address == "203.0.113.7"
    assert entry.session_ref == session_reference(client.session.session_key)
    assert len(entry.session_ref) == 32
    assert entry.session_ref != client.session.session_key  # a reference, never the key itself
    assert entry.request_path == detail_url(personas.resident.public_id)


def test_each_read_writes_its_own_entry(personas: Personas) -> None:
    client = client_for(personas.worker)

    client.get(detail_url(personas.resident.public_id))
    client.get(detail_url(personas.resident.public_id))

    assert AccessLogEntry.objects.filter(subject=personas.resident, action="view", outcome="allowed").count() == 2


def test_two_sessions_of_one_worker_get_different_session_references(personas: Personas) -> None:
    client_for(personas.worker).get(detail_url(personas.resident.public_id))
    client_for(personas.worker).get(detail_url(personas.resident.public_id))

    references = set(AccessLogEntry.objects.values_list("session_ref", flat=True))
    assert len(references) == 2
    assert "" not in references


def test_team_lead_reading_team_resident_is_logged_with_team_lead_role(personas: Personas) -> None:
    response = client_for(personas.team_lead).get(detail_url(personas.team_resident.public_id))

    assert response.status_code == 200
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.actor_role, entry.subject, entry.outcome) == (
        personas.team_lead,
        "team_lead",
        personas.team_resident,
        "allowed",
    )


def test_worker_of_another_caseload_gets_404_and_a_denied_entry(personas: Personas) -> None:
    client = client_for(personas.worker)

    response = client.get(detail_url(personas.other_resident.public_id), REMOTE_ADDR="198.51.100.23")

    assert response.status_code == 404
    assert personas.other_resident.last_name not in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert entry.actor == personas.worker
    assert entry.actor_role == "social_worker"
    assert entry.subject == personas.other_resident
    assert entry.organisation == personas.organisation
    assert entry.action == "view"
    assert entry.outcome == "denied"
    assert entry.ip_address == "198.51.100.23"
    assert entry.session_ref == session_reference(client.session.session_key)
    # Nothing was read: no allowed entry for anybody.
    assert not AccessLogEntry.objects.filter(outcome="allowed").exists()


def test_foreign_organisation_worker_gets_404_and_a_denied_entry_in_the_residents_organisation(
    personas: Personas,
) -> None:
    response = client_for(personas.foreign_worker).get(detail_url(personas.resident.public_id))

    assert response.status_code == 404
    assert personas.resident.last_name not in response.content.decode()
    entry = AccessLogEntry.objects.get()
    assert entry.actor == personas.foreign_worker
    assert entry.subject == personas.resident
    assert entry.outcome == "denied"
    # The attempt is about our resident, so our privacy officer must see it.
    assert entry.organisation == personas.organisation
    assert not AccessLogEntry.objects.filter(outcome="allowed").exists()


def test_unknown_resident_gives_404_and_no_entry(personas: Personas) -> None:
    response = client_for(personas.worker).get(detail_url(uuid.uuid4()))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_staff_member_public_id_gives_404_and_no_entry(personas: Personas) -> None:
    # Only residents are "resident data": guessing a colleague's id is not logged as a resident read.
    response = client_for(personas.worker).get(detail_url(personas.other_worker.public_id))

    assert response.status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_caseload_list_writes_one_list_entry_per_shown_resident(personas: Personas) -> None:
    # Noor (team lead) sees her own resident and the one of Peter, her team member.
    own_resident = personas.demo.residents[2]

    response = client_for(personas.team_lead).get("/werk/")

    assert response.status_code == 200
    entries = AccessLogEntry.objects.all()
    assert {entry.subject_id for entry in entries} == {own_resident.pk, personas.team_resident.pk}
    assert len(entries) == 2
    assert {entry.action for entry in entries} == {"list"}
    assert {entry.outcome for entry in entries} == {"allowed"}
    assert {entry.actor_id for entry in entries} == {personas.team_lead.pk}
    assert {entry.object_id for entry in entries} == {
        str(own_resident.public_id),
        str(personas.team_resident.public_id),
    }


def test_caseload_list_logs_only_the_residents_that_match_the_search(personas: Personas) -> None:
    response = client_for(personas.team_lead).get("/werk/", {"zoek": personas.team_resident.first_name})

    assert response.status_code == 200
    assert list(AccessLogEntry.objects.values_list("subject_id", "action")) == [(personas.team_resident.pk, "list")]


def test_empty_caseload_list_writes_no_entry(personas: Personas) -> None:
    response = client_for(personas.worker).get("/werk/", {"zoek": "niemand-heet-zo"})

    assert response.status_code == 200
    assert not AccessLogEntry.objects.exists()

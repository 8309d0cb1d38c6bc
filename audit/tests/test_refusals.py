"""Refusals are logged like reads: at the role gate (no resident concerned)
and on a conversation a trusted person may not open."""

from __future__ import annotations

import pytest
from django.http import Http404

from audit.models import AccessLogEntry
from audit.services import access_log_verify, chain_key_for
from audit.tests.test_privacy_officer_log import csv_rows
from conftest import Personas, client_for
from messaging.access import conversation_get_for_user
from messaging.tests.helpers import direct_conversation

ACCESS_LOG_URL = "/privacy/toegangslog/"


def test_a_refusal_at_the_role_gate_is_one_entry_without_a_resident(personas: Personas) -> None:
    client = client_for(personas.worker)

    response = client.get(ACCESS_LOG_URL, REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 403
    [entry] = AccessLogEntry.objects.all()
    assert entry.actor == personas.worker
    assert entry.subject is None
    assert (entry.object_type, entry.object_id) == ("permission", "view_access_log")
    assert (entry.action, entry.outcome) == ("view", "denied")
    assert entry.organisation_id == personas.organisation.pk
    assert entry.chain_key == chain_key_for(personas.organisation.pk)
    assert (entry.ip_address, entry.request_path) == ("203.0.113.9", ACCESS_LOG_URL)
    assert access_log_verify() == []


def test_a_refused_post_is_logged_as_a_change(personas: Personas) -> None:
    response = client_for(personas.resident).post("/werk/inwoners/uitnodigen/", {"first_name": "X"})

    assert response.status_code == 403
    [entry] = AccessLogEntry.objects.all()
    assert (entry.object_id, entry.action, entry.outcome) == ("invite_residents", "change", "denied")


def test_a_refusal_of_someone_without_an_organisation_goes_in_the_platform_chain(personas: Personas) -> None:
    assert client_for(personas.platform_admin).get(ACCESS_LOG_URL).status_code == 403

    [entry] = AccessLogEntry.objects.all()
    assert (entry.chain_key, entry.organisation_id, entry.subject) == ("platform", None, None)
    assert access_log_verify() == []


def test_signing_in_first_is_not_a_refusal(personas: Personas) -> None:
    assert client_for(None).get(ACCESS_LOG_URL).status_code == 302
    # Allowed: the privacy officer's own read of the log concerns no resident either.
    assert client_for(personas.privacy_officer).get(ACCESS_LOG_URL).status_code == 200

    assert not AccessLogEntry.objects.filter(outcome="denied").exists()
    assert client_for(personas.researcher).get(ACCESS_LOG_URL).status_code == 403
    assert AccessLogEntry.objects.filter(outcome="denied").count() == 1


def test_a_trusted_person_refused_a_direct_conversation_is_logged_against_the_resident(
    personas: Personas,
) -> None:
    # Over a socket a trusted person reaches the policy without the role gate.
    conversation = direct_conversation(personas.resident, personas.worker)
    before = AccessLogEntry.objects.count()

    with pytest.raises(Http404):
        conversation_get_for_user(user=personas.trusted_person, public_id=conversation.public_id)

    assert AccessLogEntry.objects.count() == before + 1
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert entry is not None
    assert (entry.actor, entry.subject, entry.outcome) == (personas.trusted_person, personas.resident, "denied")
    assert (entry.object_type, entry.object_id) == ("conversation", str(conversation.public_id))


def test_the_privacy_officer_sees_a_refusal_at_the_role_gate_in_page_and_export(personas: Personas) -> None:
    client_for(personas.worker).get(ACCESS_LOG_URL)
    officer = client_for(personas.privacy_officer)

    page = officer.get(ACCESS_LOG_URL).content.decode()
    rows = csv_rows(officer.get(ACCESS_LOG_URL + "export.csv"))

    assert "permission" in page
    refusal = next(row for row in rows[1:] if row[4] == "permission")
    assert (refusal[1], refusal[3], refusal[5], refusal[7]) == ("Sanne de Jong", "", "view_access_log", "denied")


@pytest.mark.parametrize(
    ("url", "gate"),
    [
        ("/agenda/koppeling/", "calendar"),
        ("/groepsbijeenkomsten/", "group_sessions"),
    ],
)
def test_every_role_gate_logs_its_refusal(personas: Personas, url: str, gate: str) -> None:
    """Gates other than ``require_permission`` (calendar, group sessions)
    use the same refusal, so they log it the same way."""
    assert client_for(personas.admin).get(url).status_code == 403

    [entry] = AccessLogEntry.objects.filter(outcome="denied")
    assert (entry.actor, entry.object_type, entry.object_id, entry.subject) == (
        personas.admin,
        "permission",
        gate,
        None,
    )


def test_the_calendar_feed_settings_refuse_a_trusted_person_with_a_logged_entry(personas: Personas) -> None:
    response = client_for(personas.trusted_person).get("/agenda/koppeling/")

    assert response.status_code == 403
    [entry] = AccessLogEntry.objects.filter(outcome="denied")
    assert (entry.object_id, entry.action) == ("calendar_feed", "view")

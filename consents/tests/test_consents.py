"""The consent register: every kind of consent writes a record with the
text version shown, scope, time and who gave it; the resident withdraws
from their privacy page with the owner's own effect; someone else's record
is a 404; the officer reads a resident's history (logged); the page costs
the same queries for 3 or 30 records; the earlier history becomes records."""

from __future__ import annotations

import importlib
from datetime import time as clock
from html import unescape

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AccessLogEntry
from blend.models import ChannelConsent
from blend.services import BlendError, channel_consent_set
from conftest import Personas, client_for
from consents.models import ConsentRecord
from consents.services import ConsentError, consent_give
from consents.texts import CONSENT_TEXTS, UNKNOWN_VERSION
from messaging.consultation import hour_add, visit_consent_to_follow_up, visit_consent_withdraw
from messaging.models import ConsultationVisit
from messaging.services import MessagingError, message_send
from messaging.tests.helpers import direct_conversation, new_key
from organisations.models import TrustedPersonGrant
from organisations.services import trusted_person_invite

Kind = ConsentRecord.Kind


def text_of(response: object) -> str:
    return unescape(response.content.decode())  # type: ignore[attr-defined]


def _withdraw_url(record: ConsentRecord) -> str:
    return f"/mijn/privacy/toestemming/{record.public_id}/intrekken/"


def _active(subject: User, kind: str) -> ConsentRecord:
    return ConsentRecord.objects.active().get(subject=subject, kind=kind)


# --- Every kind writes a record ------------------------------------------------------------


@pytest.mark.parametrize("channel", ["chat", "video", "elearning", "diary"])
def test_a_channel_consent_given_by_the_resident_is_recorded_with_its_text_version(
    personas: Personas, channel: str
) -> None:
    p = personas
    channel_consent_set(resident=p.resident, channel=channel, is_given=True, recorded_by=p.resident)
    record = _active(p.resident, f"blend.{channel}")
    assert record.scope == channel
    assert record.text_version == CONSENT_TEXTS[f"blend.{channel}"][0]
    assert record.text == str(CONSENT_TEXTS[f"blend.{channel}"][1])
    assert record.given_by == p.resident and record.method == ConsentRecord.Method.ONLINE
    assert record.given_at is not None and record.withdrawn_at is None


def test_a_consent_recorded_by_the_worker_in_the_plan_says_so(personas: Personas) -> None:
    p = personas
    channel_consent_set(resident=p.resident, channel="video", is_given=True, recorded_by=p.worker)
    record = _active(p.resident, Kind.VIDEO)
    assert record.given_by == p.worker and record.method == ConsentRecord.Method.CONVERSATION
    channel_consent_set(resident=p.resident, channel="video", is_given=False, recorded_by=p.worker)
    record.refresh_from_db()
    assert record.withdrawn_at is not None and record.withdrawn_by == p.worker


def test_a_trusted_person_grant_is_recorded_with_the_person_and_the_scopes(personas: Personas) -> None:
    p = personas
    grant = trusted_person_invite(
        resident=p.resident, first_name="Kees", last_name="Bakker", email="kees@example.org", scopes=["appointments"]
    )
    record = ConsentRecord.objects.active().get(kind=Kind.TRUSTED_PERSON, scope=str(grant.public_id))
    assert record.subject == p.resident and record.trusted_person == grant.trusted_person
    assert record.scope_items == ["appointments"]
    assert record.text_version == CONSENT_TEXTS[Kind.TRUSTED_PERSON][0]
    # More scopes later: a new consent, the old record withdrawn.
    trusted_person_invite(
        resident=p.resident,
        first_name="Kees",
        last_name="Bakker",
        email="kees@example.org",
        scopes=["appointments", "messages"],
    )
    records = ConsentRecord.objects.filter(kind=Kind.TRUSTED_PERSON, scope=str(grant.public_id)).order_by("pk")
    assert [r.scope_items for r in records] == [["appointments"], ["appointments", "messages"]]
    assert records[0].withdrawn_at is not None and records[1].withdrawn_at is None


def test_the_visitors_consent_to_keep_the_transcript_is_recorded_under_the_visit_and_can_be_withdrawn(
    personas: Personas,
) -> None:
    p = personas
    hour_add(
        organisation_id=p.organisation.pk,
        weekday=timezone.localtime().weekday(),
        starts_at=clock(0, 0),
        ends_at=clock(23, 59, 59),
        on_duty=[p.worker],
    )
    visitor = Client()
    visitor.post(f"/spreekuur/{p.organisation.consultation_code}/", {"name": "Ans"})
    visit = ConsultationVisit.objects.get()
    visit_consent_to_follow_up(visit=visit)
    visit_consent_to_follow_up(visit=visit)  # a second click records nothing new
    record = ConsentRecord.objects.get(kind=Kind.TRANSCRIPT)
    assert record.subject is None and record.visitor_key == str(visit.public_id)
    assert record.text_version == CONSENT_TEXTS[Kind.TRANSCRIPT][0] and record.given_by == visit.visitor
    # The visit page shows the same words, and the withdraw button.
    page = text_of(visitor.get("/spreekuur/bezoek/"))
    assert "Toestemming intrekken" in page
    assert visitor.post("/spreekuur/bezoek/toestemming/intrekken/").status_code == 302
    record.refresh_from_db()
    visit.refresh_from_db()
    assert record.withdrawn_at is not None and not visit.consented_to_follow_up
    visit_consent_withdraw(visit=visit)  # again: nothing more happens
    assert ConsentRecord.objects.filter(kind=Kind.TRANSCRIPT).count() == 1


def test_the_forms_show_the_registers_text_and_version(personas: Personas) -> None:
    p = personas
    page = text_of(client_for(p.resident).get("/mijn/samenwerken/"))
    assert str(CONSENT_TEXTS[Kind.CHAT][1]) in page and "tekst versie 2026-12" in page
    page = text_of(client_for(p.resident).get("/mijn/vertrouwenspersonen/nieuw/"))
    assert str(CONSENT_TEXTS[Kind.TRUSTED_PERSON][1]) in page


def test_a_worker_records_on_paper_only_with_the_documents_reference(personas: Personas) -> None:
    p = personas
    with pytest.raises(ConsentError):
        consent_give(subject=p.resident, kind=Kind.VIDEO, scope="video", given_by=p.worker, method="paper")
    record = consent_give(
        subject=p.resident,
        kind=Kind.VIDEO,
        scope="video",
        given_by=p.worker,
        method="paper",
        document_reference="TF-2026-014",
        reason="Inwoner heeft geen computer",
    )
    assert record.document_reference == "TF-2026-014"
    # A trusted person or a worker of another organisation cannot give it.
    for someone in (p.trusted_person, p.foreign_worker):
        with pytest.raises(ConsentError):
            consent_give(subject=p.resident, kind=Kind.CHAT, scope="chat", given_by=someone, method="conversation")
    assert not ConsentRecord.objects.filter(kind=Kind.CHAT).exists()


# --- Withdrawing from "Mijn privacy" ---------------------------------------------------------


def test_withdrawing_chat_on_the_privacy_page_refuses_the_next_message_at_once(personas: Personas) -> None:
    p = personas
    conversation = direct_conversation(p.resident, p.worker)
    record = _active(p.resident, Kind.CHAT)
    client = client_for(p.resident)
    page = text_of(client.get("/mijn/privacy/"))
    assert _withdraw_url(record) in page and "tekst versie 2026-12".capitalize() in page
    response = client.post(_withdraw_url(record))
    assert response.status_code == 302 and response["Location"] == "/mijn/privacy/"
    record.refresh_from_db()
    assert record.withdrawn_at is not None and record.withdrawn_by == p.resident
    # The same effect as switching chat off in the blend plan: its history row and the refusal.
    assert not ChannelConsent.objects.filter(resident=p.resident, channel="chat").first().is_given  # type: ignore[union-attr]
    with pytest.raises(MessagingError):
        message_send(conversation=conversation, author=p.worker, body="Hallo", client_key=new_key())
    assert "Ingetrokken op" in text_of(client.get("/mijn/privacy/"))
    # Once withdrawn, the button is gone and a second post changes nothing.
    client.post(_withdraw_url(record))
    assert ConsentRecord.objects.filter(subject=p.resident, kind=Kind.CHAT).count() == 1


def test_withdrawing_a_trusted_persons_access_on_the_privacy_page_revokes_the_grant(personas: Personas) -> None:
    p = personas
    grant = trusted_person_invite(
        resident=p.resident, first_name="Kees", last_name="Bakker", email="kees@example.org", scopes=["casefile"]
    )
    record = ConsentRecord.objects.active().get(kind=Kind.TRUSTED_PERSON, scope=str(grant.public_id))
    client = client_for(p.resident)
    assert "Kees Bakker" in text_of(client.get("/mijn/privacy/"))
    assert client.post(_withdraw_url(record)).status_code == 302
    grant.refresh_from_db()
    record.refresh_from_db()
    assert grant.revoked_at is not None and record.withdrawn_at is not None


def test_another_residents_consent_is_a_404_and_nothing_changes(personas: Personas) -> None:
    p = personas
    channel_consent_set(resident=p.resident, channel="diary", is_given=True, recorded_by=p.resident)
    record = _active(p.resident, Kind.DIARY_SHARING)
    for someone in (p.other_resident, p.foreign_resident):
        assert client_for(someone).post(_withdraw_url(record)).status_code == 404
        assert record.public_id.hex not in text_of(client_for(someone).get("/mijn/privacy/")).replace("-", "")
    assert client_for(p.trusted_person).post(_withdraw_url(record)).status_code == 404
    assert client_for(p.worker).post(_withdraw_url(record)).status_code == 403
    assert (
        client_for(p.resident)
        .post("/mijn/privacy/toestemming/00000000-0000-0000-0000-000000000000/intrekken/")
        .status_code
        == 404
    )
    record.refresh_from_db()
    assert record.withdrawn_at is None
    assert AccessLogEntry.objects.filter(
        actor=p.other_resident, object_type="consent_record", object_id=str(record.public_id), outcome="denied"
    ).exists()


def test_a_trusted_person_cannot_give_consent_for_the_resident(personas: Personas) -> None:
    p = personas
    with pytest.raises(BlendError):
        channel_consent_set(resident=p.resident, channel="chat", is_given=True, recorded_by=p.trusted_person)
    assert not ConsentRecord.objects.filter(kind=Kind.CHAT).exists()


def _privacy_page_queries(client: Client) -> int:
    client.get("/mijn/privacy/")  # the first request settles the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/mijn/privacy/").status_code == 200
    return len(queries)


def test_the_privacy_page_costs_the_same_queries_for_3_or_30_records(personas: Personas) -> None:
    p = personas
    client = client_for(p.resident)

    def records(pairs: int) -> None:
        """Consent given and withdrawn again, by the resident or the worker, channel after channel."""
        for i in range(pairs):
            channel = ["chat", "video", "elearning", "diary"][i % 4]
            recorded_by = p.resident if i % 2 else p.worker
            channel_consent_set(resident=p.resident, channel=channel, is_given=True, recorded_by=recorded_by)
            channel_consent_set(resident=p.resident, channel=channel, is_given=False, recorded_by=recorded_by)

    before = ConsentRecord.objects.filter(subject=p.resident).count()  # the demo's trusted person
    records(2)
    channel_consent_set(resident=p.resident, channel="chat", is_given=True, recorded_by=p.resident)
    trusted_person_invite(
        resident=p.resident, first_name="Kees", last_name="Bakker", email="kees@example.org", scopes=["casefile"]
    )
    assert ConsentRecord.objects.filter(subject=p.resident).count() - before == 4
    few = _privacy_page_queries(client)
    records(27)  # chat is on already: its first give records nothing
    assert ConsentRecord.objects.filter(subject=p.resident).count() - before == 30
    assert _privacy_page_queries(client) == few


# --- The privacy officer -------------------------------------------------------------------


def test_the_officer_reads_a_residents_consent_history_and_the_read_is_logged(personas: Personas) -> None:
    p = personas
    channel_consent_set(resident=p.resident, channel="chat", is_given=True, recorded_by=p.resident)
    channel_consent_set(resident=p.resident, channel="chat", is_given=False, recorded_by=p.resident)
    officer = client_for(p.privacy_officer)
    page = text_of(officer.get(f"/privacy/toestemmingen/?inwoner={p.resident.public_id}"))
    assert "Chat met uw sociaal werker" in page and "Ingetrokken op" in page and "Tekst versie 2026-12" in page
    assert AccessLogEntry.objects.filter(
        actor=p.privacy_officer, subject=p.resident, object_type="consent_record", action="view"
    ).exists()
    # A resident of another organisation: no history, a Dutch message on the chooser.
    page = text_of(officer.get(f"/privacy/toestemmingen/?inwoner={p.foreign_resident.public_id}"))
    assert "Kies een inwoner van uw eigen organisatie." in page
    assert 'id="consent-records"' not in page


# --- The records from before the register ----------------------------------------------------


def test_the_data_migration_makes_records_of_the_blend_history_and_active_grants(personas: Personas) -> None:
    p = personas
    migration = importlib.import_module("consents.migrations.0002_records_from_earlier_consents")
    ChannelConsent.objects.create(resident=p.resident, channel="chat", is_given=True, recorded_by=p.resident)
    ChannelConsent.objects.create(resident=p.resident, channel="chat", is_given=False, recorded_by=p.worker)
    ChannelConsent.objects.create(resident=p.resident, channel="video", is_given=True, recorded_by=p.worker)
    ConsentRecord.objects.all().delete()
    migration.records_create(django_apps, None)
    chat = ConsentRecord.objects.get(subject=p.resident, kind=Kind.CHAT)
    assert chat.text_version == UNKNOWN_VERSION and chat.withdrawn_by == p.worker and chat.withdrawn_at is not None
    video = ConsentRecord.objects.get(subject=p.resident, kind=Kind.VIDEO)
    assert video.is_active and video.method == ConsentRecord.Method.CONVERSATION
    active_grants = TrustedPersonGrant.objects.filter(revoked_at__isnull=True)
    assert active_grants.exists()
    assert ConsentRecord.objects.filter(kind=Kind.TRUSTED_PERSON).count() == active_grants.count()
    migration.records_remove(django_apps, None)
    assert not ConsentRecord.objects.exists()
    assert User.objects.filter(role=Role.RESIDENT).exists()


def test_a_worker_records_consent_signed_on_paper_in_the_blend_plan(personas: Personas) -> None:
    from casefiles.services import case_open

    p = personas
    case_open(resident=p.resident, opened_by=p.worker)
    client = client_for(p.worker)
    url = f"/werk/inwoners/{p.resident.public_id}/samenwerken/"
    form = {
        "case_channels": ["phone"],
        "consents": ["video"],
        "preferred_channel": "phone",
        "best_times": "",
        "review_date": "",
        "notes": "",
        "consent_document": "TF-2026-031",
        "consent_reason": "",
    }
    # A paper form without a reason: a Dutch message, nothing saved.
    page = text_of(client.post(url, form))
    assert "Schrijf kort waarom de toestemming op papier is gegeven." in page
    assert not ConsentRecord.objects.filter(subject=p.resident, kind=Kind.VIDEO).exists()
    assert not ChannelConsent.objects.filter(resident=p.resident, channel="video").exists()
    assert client.post(url, {**form, "consent_reason": "Geen computer thuis"}).status_code == 302
    record = _active(p.resident, Kind.VIDEO)
    assert record.method == ConsentRecord.Method.PAPER and record.given_by == p.worker
    assert record.document_reference == "TF-2026-031" and record.reason == "Geen computer thuis"
    assert "formulier TF-2026-031" in text_of(client_for(p.resident).get("/mijn/privacy/"))

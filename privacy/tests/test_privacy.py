"""The privacy officer's registers: AVG requests with their legal deadline
(calendar-correct, extended once), status and outcome with a history, the
resident filing a request in the app; the breach register with the 72-hour
deadline, affected residents by hand or from the access log, actions and
the officer's message to residents. Bad input is refused in plain Dutch and
nothing is stored; every change and refusal is in the access log."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
from django.utils import timezone

from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from conftest import Personas, client_for
from privacy.models import Breach, BreachAffected, BreachMessage, PrivacyRequest, PrivacyRequestEvent
from privacy.selectors import privacy_requests_due_count, privacy_requests_list, residents_accessed_by
from privacy.services import (
    BreachData,
    PrivacyError,
    RequestData,
    add_months,
    breach_affected_add,
    breach_message_send,
    breach_record,
    legal_deadline,
    privacy_request_extend,
    privacy_request_register,
    privacy_request_status_set,
)
from samenspraak.attention import attention_counts


def text_of(response: object) -> str:
    return unescape(response.content.decode())  # type: ignore[attr-defined]


def a_request(p: Personas, *, received_on: date | None = None, **overrides: object) -> PrivacyRequest:
    data = RequestData(kind="access", received_on=received_on or timezone.localdate(), resident=p.resident)
    for key, value in overrides.items():
        data = RequestData(**{**data.__dict__, key: value})
    return privacy_request_register(officer=p.privacy_officer, data=data)


def a_breach(p: Personas, *, hours_ago: int = 2) -> Breach:
    data = BreachData(
        discovered_at=timezone.now() - timedelta(hours=hours_ago),
        description="Een e-mail met een verslag ging naar de verkeerde ontvanger.",
        data_kinds="Naam en gespreksverslag",
    )
    return breach_record(officer=p.privacy_officer, data=data)


# --- Deadlines -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (date(2026, 1, 31), date(2026, 2, 28)),
        (date(2028, 1, 31), date(2028, 2, 29)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 15), date(2027, 1, 15)),
        (date(2026, 5, 1), date(2026, 6, 1)),
    ],
)
def test_legal_deadline_is_one_calendar_month(received: date, expected: date) -> None:
    assert legal_deadline(received) == expected


def test_add_months_across_years() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


# --- Requests ------------------------------------------------------------------------


def test_officer_registers_extends_and_closes_a_request(personas: Personas) -> None:
    p = personas
    received = timezone.localdate() - timedelta(days=3)
    item = a_request(p, received_on=received)
    assert item.deadline == legal_deadline(received) == item.due_on
    latest = add_months(item.deadline, 2)
    item = privacy_request_extend(
        request=item, officer=p.privacy_officer, until=latest, reason="Veel gegevens", told="Brief van vandaag"
    )
    assert item.status == "extended" and item.due_on == latest
    item = privacy_request_status_set(request=item, officer=p.privacy_officer, status="done", outcome="Inzage gegeven")
    assert item.status == "done" and item.closed_at is not None and item.handled_by == p.privacy_officer
    assert list(item.events.values_list("kind", flat=True)) == ["filed", "extended", "closed"]
    logged = AccessLogEntry.objects.filter(subject=p.resident, object_type="privacy_request", outcome="allowed")
    assert sorted(logged.values_list("action", flat=True)) == ["change", "change", "create"]
    # A closed request stays closed.
    with pytest.raises(PrivacyError, match="al afgesloten"):
        privacy_request_status_set(request=item, officer=p.privacy_officer, status="in_progress")


def test_extension_is_once_and_at_most_two_months(personas: Personas) -> None:
    p = personas
    item = a_request(p)
    too_late = add_months(item.deadline, 2) + timedelta(days=1)
    for until, message in (
        (item.deadline, "na de wettelijke termijn"),
        (item.received_on - timedelta(days=1), "na de wettelijke termijn"),
        (too_late, "hoogstens twee maanden"),
    ):
        with pytest.raises(PrivacyError, match=message):
            privacy_request_extend(request=item, officer=p.privacy_officer, until=until, reason="x", told="y")
    with pytest.raises(PrivacyError, match="waarom"):
        privacy_request_extend(
            request=item, officer=p.privacy_officer, until=too_late - timedelta(days=1), reason=" ", told="y"
        )
    item.refresh_from_db()
    assert item.extended_at is None and item.due_on == item.deadline
    privacy_request_extend(
        request=item, officer=p.privacy_officer, until=item.deadline + timedelta(days=10), reason="x", told="y"
    )
    with pytest.raises(PrivacyError, match="maar één keer"):
        privacy_request_extend(
            request=item, officer=p.privacy_officer, until=item.deadline + timedelta(days=20), reason="x", told="y"
        )
    item.refresh_from_db()
    assert item.due_on == item.deadline + timedelta(days=10)


def test_bad_requests_store_nothing(personas: Personas) -> None:
    p = personas
    tomorrow = timezone.localdate() + timedelta(days=1)
    bad = [
        (RequestData(kind="access", received_on=tomorrow, resident=p.resident), "toekomst"),
        (RequestData(kind="nonsense", received_on=timezone.localdate(), resident=p.resident), "soort"),
        (
            RequestData(kind="access", received_on=timezone.localdate(), resident=p.foreign_resident),
            "eigen organisatie",
        ),
        (RequestData(kind="access", received_on=timezone.localdate()), "naam"),
    ]
    for data, message in bad:
        with pytest.raises(PrivacyError, match=message):
            privacy_request_register(officer=p.privacy_officer, data=data)
    with pytest.raises(PrivacyError):
        privacy_request_register(
            officer=p.worker, data=RequestData(kind="access", received_on=timezone.localdate(), resident=p.resident)
        )
    assert not PrivacyRequest.objects.exists()
    assert not PrivacyRequestEvent.objects.exists()


def test_request_for_someone_without_an_account(personas: Personas) -> None:
    p = personas
    data = RequestData(
        kind="erasure",
        received_on=timezone.localdate(),
        requester_name="J. de Vries",
        requester_contact="Dorpsstraat 1",
    )
    item = privacy_request_register(officer=p.privacy_officer, data=data)
    assert item.resident is None and item.who == "J. de Vries"
    entry = AccessLogEntry.objects.get(object_type="privacy_request", object_id=str(item.public_id))
    assert entry.subject_id is None and entry.organisation_id == p.organisation.pk


def test_list_puts_overdue_first_with_days_left(personas: Personas) -> None:
    p = personas
    today = timezone.localdate()
    later = a_request(p, received_on=today - timedelta(days=2))
    overdue = a_request(p, received_on=add_months(today, -2))
    closed = a_request(p, received_on=today - timedelta(days=40))
    privacy_request_status_set(
        request=closed, officer=p.privacy_officer, status="refused", outcome="Wettelijke bewaarplicht"
    )
    rows = privacy_requests_list(officer=p.privacy_officer)
    assert [r.request.pk for r in rows] == [overdue.pk, later.pk, closed.pk]
    assert rows[0].is_overdue and rows[0].days_late == (today - overdue.due_on).days
    assert rows[1].days_left == (later.due_on - today).days and rows[2].days_left is None
    assert [r.request.pk for r in privacy_requests_list(officer=p.privacy_officer, status="open")] == [
        overdue.pk,
        later.pk,
    ]
    assert privacy_requests_list(officer=p.worker) == []


def test_attention_counter_counts_open_requests_due_within_a_week(
    personas: Personas, django_assert_num_queries: object
) -> None:
    p = personas
    today = timezone.localdate()
    a_request(p, received_on=today)  # a month left: not counted
    a_request(p, received_on=add_months(today, -1) + timedelta(days=3))  # due in 3 days
    a_request(p, received_on=add_months(today, -2))  # overdue
    closed = a_request(p, received_on=add_months(today, -2))
    privacy_request_status_set(request=closed, officer=p.privacy_officer, status="done", outcome="Klaar")
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert privacy_requests_due_count(organisation_id=p.organisation.pk) == 2
    assert attention_counts(p.privacy_officer)["privacy_requests"] == 2
    assert "privacy_requests" not in attention_counts(p.worker)
    assert "privacy_requests" not in attention_counts(p.resident)


def test_resident_files_a_request_in_the_app(personas: Personas) -> None:
    p = personas
    client = client_for(p.resident)
    page = client.get("/mijn/privacy/")
    assert page.status_code == 200 and "Een verzoek doen" in text_of(page)
    answer = client.post("/mijn/privacy/", {"kind": "access", "description": "Ik wil mijn dossier zien."}, follow=True)
    assert "Wij hebben uw verzoek ontvangen" in text_of(answer)
    item = PrivacyRequest.objects.get()
    assert item.resident == p.resident and item.filed_by == p.resident and item.status == "received"
    assert item.received_on == timezone.localdate() and item.handled_by is None
    assert "U krijgt uiterlijk" in text_of(answer)
    # In the officer's queue.
    queue = client_for(p.privacy_officer).get("/privacy/verzoeken/")
    assert p.resident.full_name in text_of(queue)
    # Empty or hostile input: a Dutch message, nothing stored.
    bad = client.post("/mijn/privacy/", {"kind": "access", "description": ""})
    assert "Schrijf kort op wat u wilt." in text_of(bad)
    bad = client.post("/mijn/privacy/", {"kind": "steal", "description": "x"})
    assert "Kies wat u wilt." in text_of(bad)
    assert PrivacyRequest.objects.count() == 1
    # The trusted person does not reach the resident's privacy page.
    assert client_for(p.trusted_person).get("/mijn/privacy/").status_code == 404


def test_officer_pages_refuse_others_and_log_it(personas: Personas) -> None:
    p = personas
    item = a_request(p)
    url = f"/privacy/verzoeken/{item.public_id}/"
    assert client_for(p.privacy_officer).get(url).status_code == 200
    assert AccessLogEntry.objects.filter(subject=p.resident, object_type="privacy_request", action="view").exists()
    assert client_for(p.worker).get(url).status_code == 403
    assert AccessLogEntry.objects.filter(actor=p.worker, object_type="permission", outcome="denied").exists()
    assert client_for(p.foreign_worker).post(f"{url}status/", {"status": "done", "outcome": "x"}).status_code == 403
    item.refresh_from_db()
    assert item.status == "received"


def test_officer_form_refuses_a_foreign_resident_and_logs_it(personas: Personas) -> None:
    p = personas
    client = client_for(p.privacy_officer)
    answer = client.post(
        "/privacy/verzoeken/nieuw/",
        {
            "kind": "access",
            "resident": str(p.foreign_resident.public_id),
            "received_on": timezone.localdate().isoformat(),
        },
    )
    assert "Kies een inwoner van uw eigen organisatie." in text_of(answer)
    assert not PrivacyRequest.objects.exists()
    assert AccessLogEntry.objects.filter(subject=p.foreign_resident, actor=p.privacy_officer, outcome="denied").exists()
    answer = client.post(
        "/privacy/verzoeken/nieuw/",
        {"kind": "access", "resident": "", "received_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
    )
    assert "toekomst" in text_of(answer) and not PrivacyRequest.objects.exists()


def test_extension_and_status_through_the_pages(personas: Personas) -> None:
    p = personas
    item = a_request(p)
    client = client_for(p.privacy_officer)
    base = f"/privacy/verzoeken/{item.public_id}/"
    answer = client.post(
        f"{base}verlengen/", {"until": (item.deadline + timedelta(days=90)).isoformat(), "reason": "x", "told": "y"}
    )
    assert answer.status_code == 200 and "hoogstens twee maanden" in text_of(answer)
    answer = client.post(f"{base}status/", {"status": "refused", "outcome": ""})
    assert "Schrijf de uitkomst op" in text_of(answer)
    item.refresh_from_db()
    assert item.status == "received" and item.extended_at is None
    assert client.post(f"{base}status/", {"status": "in_progress"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "in_progress"


# --- Breaches -------------------------------------------------------------------------


def test_breach_record_and_72_hour_countdown(personas: Personas) -> None:
    p = personas
    breach = a_breach(p, hours_ago=2)
    assert breach.ap_deadline == breach.discovered_at + timedelta(hours=72)
    page = client_for(p.privacy_officer).get(f"/privacy/datalekken/{breach.public_id}/")
    assert "Nog 69 uur en" in text_of(page) or "Nog 70 uur en" in text_of(page)
    late = a_breach(p, hours_ago=80)
    page = client_for(p.privacy_officer).get(f"/privacy/datalekken/{late.public_id}/")
    assert "De termijn van 72 uur is verstreken" in text_of(page)


def test_bad_breach_input_stores_nothing(personas: Personas) -> None:
    p = personas
    with pytest.raises(PrivacyError, match="toekomst"):
        breach_record(officer=p.privacy_officer, data=BreachData(timezone.now() + timedelta(hours=1), "x", "y"))
    with pytest.raises(PrivacyError, match="Beschrijf"):
        breach_record(officer=p.privacy_officer, data=BreachData(timezone.now(), " ", "y"))
    with pytest.raises(PrivacyError):
        breach_record(officer=p.worker, data=BreachData(timezone.now(), "x", "y"))
    assert not Breach.objects.exists()
    answer = client_for(p.privacy_officer).post("/privacy/datalekken/nieuw/", {"discovered_on": "", "description": ""})
    assert "Beschrijf wat er is gebeurd." in text_of(answer) and not Breach.objects.exists()


def test_authority_notification_or_reason(personas: Personas) -> None:
    p = personas
    breach = a_breach(p)
    url = f"/privacy/datalekken/{breach.public_id}/ap/"
    client = client_for(p.privacy_officer)
    answer = client.post(url, {})
    assert "waarom melden niet nodig is" in text_of(answer)
    earlier = timezone.localtime(breach.discovered_at - timedelta(hours=1))
    answer = client.post(url, {"notified_on": earlier.date().isoformat(), "notified_time": earlier.strftime("%H:%M")})
    assert "vóór het moment van ontdekken" in text_of(answer)
    breach.refresh_from_db()
    assert breach.ap_notified_at is None
    now = timezone.localtime()
    assert (
        client.post(
            url, {"notified_on": now.date().isoformat(), "notified_time": now.strftime("%H:%M"), "reference": "AP-123"}
        ).status_code
        == 302
    )
    breach.refresh_from_db()
    assert breach.ap_reference == "AP-123" and breach.ap_settled


def test_affected_residents_found_via_the_access_log(personas: Personas) -> None:
    p = personas
    breach = a_breach(p)
    start = timezone.now() - timedelta(minutes=5)
    access_log_record(
        actor=p.worker,
        accesses=[
            Access(p.resident, "casefile", str(p.resident.public_id), "view"),
            Access(p.other_resident, "casefile", str(p.other_resident.public_id), "view", "denied"),
        ],
    )
    access_log_record(actor=p.other_worker, accesses=[Access(p.other_resident, "casefile", "x", "view")])
    end = timezone.now() + timedelta(minutes=5)
    found = list(residents_accessed_by(officer=p.privacy_officer, actor=p.worker, start=start, end=end))
    assert found == [p.resident]
    assert not residents_accessed_by(
        officer=p.privacy_officer, actor=p.worker, start=end, end=end + timedelta(hours=1)
    ).exists()
    # Through the page: search, then add the ones found.
    client = client_for(p.privacy_officer)
    s, e = timezone.localtime(start), timezone.localtime(end)
    page = client.get(
        f"/privacy/datalekken/{breach.public_id}/",
        {
            "actor": str(p.worker.public_id),
            "start_on": s.date().isoformat(),
            "start_time": s.strftime("%H:%M"),
            "end_on": e.date().isoformat(),
            "end_time": e.strftime("%H:%M"),
        },
    )
    assert "1 inwoner gevonden" in text_of(page) and p.resident.full_name in text_of(page)
    answer = client.post(
        f"/privacy/datalekken/{breach.public_id}/betrokkenen/", {"residents": [str(p.resident.public_id)]}
    )
    assert answer.status_code == 302
    affected = BreachAffected.objects.get()
    assert affected.resident == p.resident and affected.found == "access_log"
    assert AccessLogEntry.objects.filter(subject=p.resident, object_type="breach", action="create").exists()


def test_foreign_resident_cannot_be_added_to_a_breach(personas: Personas) -> None:
    p = personas
    breach = a_breach(p)
    with pytest.raises(PrivacyError, match="eigen organisatie"):
        breach_affected_add(breach=breach, officer=p.privacy_officer, residents=[p.resident, p.foreign_resident])
    assert not BreachAffected.objects.exists()
    client = client_for(p.privacy_officer)
    url = f"/privacy/datalekken/{breach.public_id}/betrokkenen/"
    answer = client.post(url, {"resident": str(p.foreign_resident.public_id)})
    assert "Kies een inwoner van uw eigen organisatie." in text_of(answer)
    answer = client.post(
        url, {"residents": [str(p.resident.public_id), str(p.foreign_resident.public_id)]}, follow=True
    )
    assert "Kies alleen inwoners van uw eigen organisatie" in text_of(answer)
    assert not BreachAffected.objects.exists()
    assert (
        AccessLogEntry.objects.filter(subject=p.foreign_resident, outcome="denied", object_type="breach").count() >= 2
    )


def test_message_to_affected_residents_is_sent_once_and_recorded(
    personas: Personas, django_capture_on_commit_callbacks: object, mailoutbox: list
) -> None:
    p = personas
    breach = a_breach(p)
    breach_affected_add(breach=breach, officer=p.privacy_officer, residents=[p.resident, p.other_resident])
    with pytest.raises(PrivacyError, match="Schrijf het bericht"):
        breach_message_send(breach=breach, officer=p.privacy_officer, text="  ")
    text = "Beste inwoner, er is per ongeluk een verslag naar de verkeerde persoon gestuurd."
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        message = breach_message_send(breach=breach, officer=p.privacy_officer, text=text)
    assert set(message.recipients.values_list("resident_id", flat=True)) == {p.resident.pk, p.other_resident.pk}
    assert not BreachAffected.objects.filter(informed_at__isnull=True).exists()
    # The notification carries no content.
    for mail in mailoutbox:
        assert "verslag" not in mail.body and "verslag" not in mail.subject
    # The resident reads the officer's text in the app.
    page = client_for(p.resident).get("/mijn/privacy/")
    assert text in text_of(page)
    assert text not in text_of(client_for(p.foreign_resident).get("/mijn/privacy/"))
    with pytest.raises(PrivacyError, match="al geïnformeerd"):
        breach_message_send(breach=breach, officer=p.privacy_officer, text="Nog een keer")
    assert BreachMessage.objects.count() == 1
    assert AccessLogEntry.objects.filter(object_type="breach_message", action="create").count() == 2


def test_officer_of_another_organisation_gets_404(personas: Personas) -> None:
    from accounts.models import Role, User

    p = personas
    breach = a_breach(p)
    foreign_officer = User.objects.get(role=Role.PRIVACY_OFFICER, organisation=p.foreign_organisation)
    client = client_for(foreign_officer)
    assert client.get(f"/privacy/datalekken/{breach.public_id}/").status_code == 404
    assert client.post(f"/privacy/datalekken/{breach.public_id}/acties/", {"text": "x"}).status_code == 404
    assert not breach.actions.exists()
    assert AccessLogEntry.objects.filter(actor=foreign_officer, object_type="breach", outcome="denied").count() == 2
    assert p.resident.full_name not in text_of(client.get("/privacy/verzoeken/"))


def test_resident_privacy_page_lists_consents_and_grants(personas: Personas) -> None:
    from blend.services import channel_consent_set

    p = personas
    channel_consent_set(resident=p.resident, channel="diary", is_given=True, recorded_by=p.resident)
    channel_consent_set(resident=p.resident, channel="diary", is_given=False, recorded_by=p.resident)
    page = text_of(client_for(p.resident).get("/mijn/privacy/"))
    # The consent register: given and withdrawn, with the text version.
    assert "Ingetrokken op" in page and "Gegeven op" in page and "Tekst versie 2026-12" in page
    assert "Waar u toestemming voor gaf" in page and p.trusted_person.full_name in page
    assert "/mijn/samenwerken/" in page and "/mijn/vertrouwenspersonen/" in page


def _officer_page_queries(p: Personas, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(p.privacy_officer)
    client.get(url)  # the first request settles the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_request_list_and_breach_page_cost_the_same_queries_for_more_rows(personas: Personas) -> None:
    p = personas
    breach = a_breach(p)
    breach_affected_add(breach=breach, officer=p.privacy_officer, residents=[p.resident])
    a_request(p)
    few = _officer_page_queries(p, "/privacy/verzoeken/")
    few_breach = _officer_page_queries(p, f"/privacy/datalekken/{breach.public_id}/")
    for _ in range(20):
        a_request(p, received_on=timezone.localdate() - timedelta(days=3))
    breach_affected_add(breach=breach, officer=p.privacy_officer, residents=[p.other_resident, p.team_resident])
    assert _officer_page_queries(p, "/privacy/verzoeken/") == few
    assert _officer_page_queries(p, f"/privacy/datalekken/{breach.public_id}/") == few_breach

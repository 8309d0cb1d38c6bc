"""The privacy officer's retention pages: periods with the defaults shown and
a period below the law refused in plain Dutch; legal holds placed in two
steps and lifted with a reason; the destruction register as a page and a
formula-safe CSV; the dry run; "uitvoeren" on an erasure request. Another
organisation's hold or request answers 404 and nothing changes; page query
counts do not grow with the rows."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AccessLogEntry
from casefiles.models import Case
from conftest import Personas, client_for
from diary.models import DiaryEntry
from privacy.models import DestructionRecord, LegalHold, RetentionSettings
from privacy.retention import legal_hold_place
from privacy.services import RequestData, privacy_request_register
from privacy.tests.test_retention import closed_case, diary
from samenspraak.retention import record_classes


def text_of(response: object) -> str:
    return unescape(response.content.decode())  # type: ignore[attr-defined]


def foreign_officer(p: Personas) -> User:
    return User.objects.get(role=Role.PRIVACY_OFFICER, organisation=p.foreign_organisation)


def settings_form(**overrides: str) -> dict[str, str]:
    # Every registered class at its default (apps may add classes).
    data = {f"period_{record_class.code}": str(record_class.default) for record_class in record_classes()}
    data.update(overrides)
    return data


def test_the_settings_page_shows_the_defaults_and_the_legal_basis(personas: Personas) -> None:
    html = text_of(client_for(personas.privacy_officer).get("/privacy/bewaartermijnen/"))
    assert "15 jaar na het afsluiten van het dossier" in html
    assert "Wij geven jeugdhulp (Jeugdwet): dossiers 20 jaar bewaren" in html
    assert "NEN 7513: minstens 5 jaar" in html
    assert "30 dagen na het bezoek aan het spreekuur" in html
    # Every class can be destroyed now, the access log too.
    assert "Vernietigen kan het systeem nog niet" not in html


def test_a_period_below_the_legal_minimum_is_refused_with_a_clear_message(personas: Personas) -> None:
    client = client_for(personas.privacy_officer)
    response = client.post("/privacy/bewaartermijnen/", settings_form(period_case_file="10"))
    assert response.status_code == 200
    assert "mag niet korter zijn dan de wettelijke termijn van 15 jaar" in text_of(response)
    assert not RetentionSettings.objects.exists()

    response = client.post("/privacy/bewaartermijnen/", settings_form(period_diary="3", provides_youth_care="on"))
    assert "wettelijke termijn van 20 jaar" in text_of(response)
    assert not RetentionSettings.objects.exists()

    response = client.post("/privacy/bewaartermijnen/", settings_form(period_diary="3", period_case_file="20"))
    assert response.status_code == 302
    stored = RetentionSettings.objects.get(organisation=personas.organisation)
    assert stored.periods["diary"] == 3
    assert AccessLogEntry.objects.filter(object_type="retention_settings", action="change").count() == 1


def test_a_hold_is_placed_on_one_case_file_in_two_steps_and_lifted_with_a_reason(personas: Personas) -> None:
    p = personas
    now = timezone.now()
    case = closed_case(p.resident, p.worker, opened=now - timedelta(days=30), closed=now - timedelta(days=20))
    client = client_for(p.privacy_officer)
    html = text_of(client.get("/privacy/bewaarplicht/", {"inwoner": str(p.resident.public_id)}))
    assert "Dossier van" in html
    response = client.post(
        "/privacy/bewaarplicht/",
        {"inwoner": str(p.resident.public_id), "case": str(case.public_id), "reason": "Klacht bij de rechter"},
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.case_ref == str(case.public_id)
    assert "Klacht bij de rechter" in text_of(client.get("/privacy/bewaarplicht/"))

    response = client.post(f"/privacy/bewaarplicht/{hold.public_id}/opheffen/", {"reason": ""})
    hold.refresh_from_db()
    assert hold.is_active
    client.post(f"/privacy/bewaarplicht/{hold.public_id}/opheffen/", {"reason": "Klacht ingetrokken"})
    hold.refresh_from_db()
    assert not hold.is_active
    assert hold.lift_reason == "Klacht ingetrokken"


def test_a_case_of_another_resident_cannot_be_put_on_hold(personas: Personas) -> None:
    p = personas
    now = timezone.now()
    other = closed_case(p.other_resident, p.other_worker, opened=now - timedelta(days=30), closed=now)
    response = client_for(p.privacy_officer).post(
        "/privacy/bewaarplicht/",
        {"inwoner": str(p.resident.public_id), "case": str(other.public_id), "reason": "Klacht"},
    )
    assert response.status_code == 200
    assert "Kies een dossier van deze inwoner." in text_of(response)
    assert not LegalHold.objects.exists()


def test_another_organisations_hold_resident_and_request_answer_404_and_nothing_changes(personas: Personas) -> None:
    p = personas
    foreign = foreign_officer(p)
    hold = legal_hold_place(officer=foreign, resident=p.foreign_resident, reason="Rechtszaak")
    request = privacy_request_register(
        officer=foreign,
        data=RequestData(kind="erasure", received_on=timezone.localdate(), resident=p.foreign_resident),
    )
    diary(p.foreign_resident, at=timezone.now() - timedelta(days=1))
    client = client_for(p.privacy_officer)
    assert client.post(f"/privacy/bewaarplicht/{hold.public_id}/opheffen/", {"reason": "Weg"}).status_code == 404
    assert client.post(f"/privacy/verzoeken/{request.public_id}/uitvoeren/").status_code == 404
    response = client.post(
        "/privacy/bewaarplicht/", {"inwoner": str(p.foreign_resident.public_id), "reason": "Stiekem"}
    )
    assert response.status_code == 404
    hold.refresh_from_db()
    request.refresh_from_db()
    assert hold.is_active
    assert request.erasure_executed_at is None
    assert DiaryEntry.objects.filter(resident=p.foreign_resident).exists()
    assert LegalHold.objects.count() == 1
    denied = AccessLogEntry.objects.filter(outcome="denied", subject=p.foreign_resident)
    assert set(denied.values_list("object_type", flat=True)) == {"legal_hold", "privacy_request", "resident"}


def test_uitvoeren_carries_out_the_erasure_and_shows_the_reasons(personas: Personas) -> None:
    p = personas
    now = timezone.now()
    closed_case(p.resident, p.worker, opened=now - timedelta(days=400), closed=now - timedelta(days=300))
    diary(p.resident, at=now - timedelta(days=1))
    request = privacy_request_register(
        officer=p.privacy_officer,
        data=RequestData(kind="erasure", received_on=timezone.localdate(), resident=p.resident),
    )
    client = client_for(p.privacy_officer)
    assert "Verwijdering uitvoeren" in text_of(client.get(f"/privacy/verzoeken/{request.public_id}/"))
    response = client.post(f"/privacy/verzoeken/{request.public_id}/uitvoeren/", follow=True)
    html = text_of(response)
    assert "De verwijdering is uitgevoerd." in html
    assert "Vernietigd: Dagboek: 1." in html
    assert "wettelijke bewaartermijn tot" in html
    assert not DiaryEntry.objects.filter(resident=p.resident).exists()
    assert Case.objects.filter(resident=p.resident).exists()


def test_the_register_page_and_csv_list_every_destruction_formula_safe(personas: Personas) -> None:
    p = personas
    DestructionRecord.objects.create(
        organisation=p.organisation,
        record_class="diary",
        object_id="=HYPERLINK(1)",
        rule="Dagboek: 2 jaar na de laatste dag in het dagboek",
        trigger="purge",
        destroyed_at=timezone.now(),
    )
    DestructionRecord.objects.create(
        organisation=p.foreign_organisation,
        record_class="diary",
        object_id="van-elders",
        rule="x",
        trigger="purge",
        destroyed_at=timezone.now(),
    )
    client = client_for(p.privacy_officer)
    html = text_of(client.get("/privacy/vernietigd/"))
    assert "Dagboek: 2 jaar na de laatste dag in het dagboek" in html
    assert "van-elders" not in html
    response = client.get("/privacy/vernietigd/csv/")
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert "'=HYPERLINK(1)" in body
    assert "van-elders" not in body
    assert body.splitlines()[0].startswith("vernietigd_op,soort")
    assert AccessLogEntry.objects.filter(object_type="destruction_register", action="export").count() == 1


def test_the_dry_run_counts_what_would_go_and_what_a_hold_keeps(personas: Personas) -> None:
    p = personas
    long_ago = timezone.now() - timedelta(days=365 * 3)
    diary(p.resident, at=long_ago)
    diary(p.other_resident, at=long_ago)
    legal_hold_place(officer=p.privacy_officer, resident=p.other_resident, reason="Klacht")
    html = text_of(client_for(p.privacy_officer).get("/privacy/bewaartermijnen/proefrun/"))
    assert "Er wordt niets vernietigd op deze pagina." in html
    row = html.split('<th scope="row">Dagboek</th>')[1].split("</tr>")[0]
    assert "<td>1</td>\n    <td>1</td>" in row
    assert DiaryEntry.objects.filter(resident=p.resident).exists()


@pytest.mark.parametrize("url", ["/privacy/vernietigd/", "/privacy/bewaarplicht/"])
def test_register_and_hold_pages_take_the_same_queries_for_few_and_many_rows(personas: Personas, url: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    p = personas
    client = client_for(p.privacy_officer)
    residents = list(User.objects.filter(role=Role.RESIDENT, organisation=p.organisation))

    def add(count: int) -> None:
        for number in range(count):
            legal_hold_place(officer=p.privacy_officer, resident=residents[number % len(residents)], reason="Klacht")
            DestructionRecord.objects.create(
                organisation=p.organisation,
                record_class="diary",
                object_id=f"id-{number}",
                rule="Dagboek",
                trigger="purge",
                destroyed_at=timezone.now(),
            )

    add(1)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many)


def test_other_roles_are_stopped_at_the_role_gate(personas: Personas) -> None:
    for user in (personas.worker, personas.admin, personas.resident):
        assert client_for(user).get("/privacy/bewaartermijnen/").status_code == 403

"""The privacy officer (FG) reads and exports the access log of their own
organisation, and nobody else can."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from conftest import Personas, client_for

LOG_URL = "/privacy/toegangslog/"
EXPORT_URL = "/privacy/toegangslog/export.csv"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

CSV_HEADER = [
    "tijdstip",
    "gebruiker",
    "rol",
    "inwoner_id",
    "soort_gegevens",
    "object_id",
    "handeling",
    "uitkomst",
    "ip_adres",
    "sessie",
    "pagina",
    "volgnummer",
    "hash",
    "organisatie_gebruiker",
    "soort_gegevens_naam",
    "handeling_naam",
]


def view_resident(user: User, resident: User, **extra: str) -> None:
    client_for(user).get(f"/werk/inwoners/{resident.public_id}/", **extra)  # type: ignore[arg-type]


def shown_entries(response: Any) -> list[AccessLogEntry]:
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def csv_rows(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="toegangslog-')
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(body)))


def foreign_privacy_officer(personas: Personas) -> User:
    return User.objects.get(organisation=personas.foreign_organisation, role="privacy_officer")


@pytest.fixture
def mixed_log(personas: Personas) -> None:
    """Reads in both organisations, and a foreign attempt on our resident."""
    view_resident(personas.worker, personas.resident)  # ours, allowed
    view_resident(personas.other_worker, personas.other_resident)  # ours, allowed
    view_resident(personas.worker, personas.other_resident)  # ours, denied
    view_resident(personas.foreign_worker, personas.foreign_resident)  # foreign, allowed
    view_resident(personas.foreign_worker, personas.resident)  # about our resident, denied


# --- Scope ---------------------------------------------------------------------


def test_privacy_officer_sees_only_entries_of_own_organisation(personas: Personas, mixed_log: None) -> None:
    entries = shown_entries(client_for(personas.privacy_officer).get(LOG_URL))

    assert len(entries) == 4
    assert {entry.organisation_id for entry in entries} == {personas.organisation.pk}
    assert personas.foreign_resident.pk not in {entry.subject_id for entry in entries}


def test_privacy_officer_sees_the_foreign_attempt_on_own_resident_as_denied(
    personas: Personas, mixed_log: None
) -> None:
    response = client_for(personas.privacy_officer).get(LOG_URL)

    [attempt] = [entry for entry in shown_entries(response) if entry.actor_id == personas.foreign_worker.pk]
    assert (attempt.subject_id, attempt.outcome) == (personas.resident.pk, "denied")
    assert "geweigerd" in response.content.decode()


def test_foreign_privacy_officer_sees_only_the_foreign_organisations_entries(
    personas: Personas, mixed_log: None
) -> None:
    entries = shown_entries(client_for(foreign_privacy_officer(personas)).get(LOG_URL))

    assert [(entry.actor_id, entry.subject_id) for entry in entries] == [
        (personas.foreign_worker.pk, personas.foreign_resident.pk)
    ]


def test_export_holds_only_entries_of_own_organisation(personas: Personas, mixed_log: None) -> None:
    rows = csv_rows(client_for(personas.privacy_officer).get(EXPORT_URL))

    assert rows[0] == CSV_HEADER
    assert len(rows) == 1 + 4
    assert str(personas.foreign_resident.public_id) not in {row[3] for row in rows}


# --- Filters -------------------------------------------------------------------


def test_filter_by_resident_shows_only_entries_about_that_resident(personas: Personas, mixed_log: None) -> None:
    response = client_for(personas.privacy_officer).get(LOG_URL, {"subject": str(personas.resident.public_id)})

    entries = shown_entries(response)
    assert len(entries) == 2  # Sanne's read and the foreign attempt
    assert {entry.subject_id for entry in entries} == {personas.resident.pk}


def test_filter_by_user_shows_only_that_users_entries(personas: Personas, mixed_log: None) -> None:
    response = client_for(personas.privacy_officer).get(LOG_URL, {"actor": str(personas.worker.public_id)})

    entries = shown_entries(response)
    assert sorted((entry.subject_id, entry.outcome) for entry in entries) == sorted(
        [(personas.resident.pk, "allowed"), (personas.other_resident.pk, "denied")]
    )


def test_filter_by_resident_and_user_together(personas: Personas, mixed_log: None) -> None:
    response = client_for(personas.privacy_officer).get(
        LOG_URL, {"subject": str(personas.other_resident.public_id), "actor": str(personas.worker.public_id)}
    )

    assert [(entry.actor_id, entry.outcome) for entry in shown_entries(response)] == [(personas.worker.pk, "denied")]


def test_filter_by_period_counts_whole_days_in_dutch_time(personas: Personas) -> None:
    moments = {
        "before": datetime(2026, 3, 4, 23, 59, tzinfo=AMSTERDAM),
        "first_minute": datetime(2026, 3, 5, 0, 0, 30, tzinfo=AMSTERDAM),  # 4 March 23:00 in UTC
        "last_minute": datetime(2026, 3, 15, 23, 30, tzinfo=AMSTERDAM),
        "after": datetime(2026, 3, 16, 0, 30, tzinfo=AMSTERDAM),  # still 15 March in UTC
    }
    for moment in moments.values():
        with time_machine.travel(moment, tick=False):
            view_resident(personas.worker, personas.resident)

    response = client_for(personas.privacy_officer).get(LOG_URL, {"date_from": "2026-03-05", "date_to": "2026-03-15"})

    shown = sorted(entry.occurred_at for entry in shown_entries(response))
    assert shown == [moments["first_minute"], moments["last_minute"]]


def test_filter_on_one_day_shows_that_day(personas: Personas) -> None:
    with time_machine.travel(datetime(2026, 3, 5, 12, 0, tzinfo=AMSTERDAM), tick=False):
        view_resident(personas.worker, personas.resident)
    with time_machine.travel(datetime(2026, 3, 6, 12, 0, tzinfo=AMSTERDAM), tick=False):
        view_resident(personas.worker, personas.resident)

    response = client_for(personas.privacy_officer).get(LOG_URL, {"date_from": "2026-03-06", "date_to": "2026-03-06"})

    assert [timezone.localdate(entry.occurred_at) for entry in shown_entries(response)] == [date(2026, 3, 6)]


def test_export_uses_the_same_filters(personas: Personas, mixed_log: None) -> None:
    response = client_for(personas.privacy_officer).get(EXPORT_URL, {"actor": str(personas.worker.public_id)})

    rows = csv_rows(response)
    assert rows[0] == CSV_HEADER
    body = rows[1:]
    assert {row[1] for row in body} == {"Sanne de Jong"}
    assert sorted((row[3], row[7]) for row in body) == sorted(
        [(str(personas.resident.public_id), "allowed"), (str(personas.other_resident.public_id), "denied")]
    )


def test_export_row_holds_every_field_of_the_entry(personas: Personas) -> None:
    with time_machine.travel(datetime(2026, 3, 5, 14, 15, 16, tzinfo=AMSTERDAM), tick=False):
        view_resident(personas.worker, personas.resident, REMOTE_ADDR="203.0.113.9")
    entry = AccessLogEntry.objects.get()

    rows = csv_rows(client_for(personas.privacy_officer).get(EXPORT_URL))

    assert rows[1] == [
        "2026-03-05T14:15:16+01:00",
        "Sanne de Jong",
        "social_worker",
        str(personas.resident.public_id),
        "resident",
        str(personas.resident.public_id),
        "view",
        "allowed",
        "203.0.113.9",
        entry.session_ref,
        f"/werk/inwoners/{personas.resident.public_id}/",
        "1",
        entry.entry_hash,
        personas.organisation.name,
        "Gegevens van de inwoner",
        "bekeken",
    ]


def test_log_shows_that_a_user_of_another_organisation_tried(personas: Personas) -> None:
    view_resident(personas.foreign_worker, personas.resident)

    response = client_for(personas.privacy_officer).get(LOG_URL)

    entry = shown_entries(response)[0]
    assert entry.outcome == "denied"
    assert entry.actor_organisation_id == personas.foreign_organisation.pk
    assert f"<strong>{personas.foreign_organisation.name}</strong>" in response.content.decode()


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://evil.example")', "+31 6", "-1+1", "@SUM(A1)"])
def test_export_neutralises_spreadsheet_formulas_in_names(personas: Personas, formula: str) -> None:
    worker = personas.worker
    worker.first_name = formula
    worker.last_name = "Jong"
    worker.save(update_fields=["first_name", "last_name"])
    view_resident(worker, personas.resident)

    rows = csv_rows(client_for(personas.privacy_officer).get(EXPORT_URL))

    assert rows[1][1] == f"'{formula} Jong"


def test_export_without_entries_has_only_the_header(personas: Personas) -> None:
    assert csv_rows(client_for(personas.privacy_officer).get(EXPORT_URL)) == [CSV_HEADER]


# --- Bad input -------------------------------------------------------------------


def test_start_date_after_end_date_gives_a_dutch_error_and_no_rows(personas: Personas, mixed_log: None) -> None:
    response = client_for(personas.privacy_officer).get(LOG_URL, {"date_from": "2026-03-10", "date_to": "2026-03-01"})

    assert shown_entries(response) == []
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()
    assert response.context["form"].errors == {"date_to": ["De einddatum ligt vóór de begindatum."]}


@pytest.mark.parametrize(
    ("parameters", "field"),
    [
        ({"subject": "geen-uuid"}, "subject"),
        ({"subject": "12"}, "subject"),
        ({"actor": "00000000-0000-0000-0000-00000000000g"}, "actor"),
        ({"actor": "x\x00y"}, "actor"),
        ({"date_from": "2026-13-45"}, "date_from"),
        ({"date_to": "gisteren"}, "date_to"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "0001-01-01"}, "date_from"),
    ],
)
@pytest.mark.parametrize("url", [LOG_URL, EXPORT_URL])
def test_malformed_filter_gives_a_form_error_not_a_server_error(
    personas: Personas, mixed_log: None, parameters: dict[str, str], field: str, url: str
) -> None:
    response = client_for(personas.privacy_officer).get(url, parameters)

    if url == EXPORT_URL:
        assert csv_rows(response) == [CSV_HEADER]
    else:
        assert shown_entries(response) == []
        assert list(response.context["form"].errors) == [field]
        assert 'class="error-summary"' in response.content.decode()


@pytest.mark.parametrize("who", ["resident", "foreign_resident", "other_worker", "foreign_worker"])
def test_filter_on_someone_not_offered_gives_a_form_error(personas: Personas, mixed_log: None, who: str) -> None:
    # A resident is not a "user" choice, a worker not a "resident" choice, a
    # foreign person is neither: the officer can not search across organisations.
    person = getattr(personas, who)
    field = "actor" if person.role == "resident" else "subject"

    response = client_for(personas.privacy_officer).get(LOG_URL, {field: str(person.public_id)})

    assert shown_entries(response) == []
    assert list(response.context["form"].errors) == [field]


def test_unknown_page_number_shows_the_last_page(personas: Personas, mixed_log: None) -> None:
    response = client_for(personas.privacy_officer).get(LOG_URL, {"pagina": "99999999999999999999"})

    assert len(shown_entries(response)) == 4


def test_entries_are_shown_fifty_to_a_page_newest_first(personas: Personas) -> None:
    access_log_record(
        actor=personas.worker,
        accesses=[Access(personas.resident, "resident", str(personas.resident.public_id), "view")] * 60,
    )
    client = client_for(personas.privacy_officer)

    first = shown_entries(client.get(LOG_URL))
    second = shown_entries(client.get(LOG_URL, {"pagina": "2"}))

    assert [entry.sequence for entry in first] == list(range(60, 10, -1))
    assert [entry.sequence for entry in second] == list(range(10, 0, -1))


# --- Who may -----------------------------------------------------------------------


@pytest.mark.parametrize("url", [LOG_URL, EXPORT_URL])
@pytest.mark.parametrize(
    "role",
    [
        "resident",
        "trusted_person",
        "social_worker",
        "team_lead",
        "organisation_admin",
        "researcher",
        "platform_admin",
        "foreign_worker",
        "foreign_admin",
    ],
)
def test_other_signed_in_roles_get_403(personas: Personas, mixed_log: None, role: str, url: str) -> None:
    before = AccessLogEntry.objects.count()

    response = client_for(personas.by_role()[role]).get(url)

    assert response.status_code == 403
    assert "Toegangslog (NEN 7513)" not in response.content.decode()
    # The refusal itself is logged, once, and concerns no resident.
    assert AccessLogEntry.objects.count() == before + 1
    refusal = AccessLogEntry.objects.order_by("-id").first()
    assert refusal is not None
    assert (refusal.actor, refusal.subject, refusal.outcome) == (personas.by_role()[role], None, "denied")
    assert (refusal.object_type, refusal.object_id) == ("permission", "view_access_log")


@pytest.mark.parametrize("url", [LOG_URL, EXPORT_URL])
def test_anonymous_visitor_is_sent_to_sign_in(personas: Personas, mixed_log: None, url: str) -> None:
    before = AccessLogEntry.objects.count()

    response = client_for(None).get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert AccessLogEntry.objects.count() == before


@pytest.mark.parametrize("url", [LOG_URL, EXPORT_URL])
def test_privacy_officer_cannot_change_the_log_with_post(personas: Personas, mixed_log: None, url: str) -> None:
    before = list(AccessLogEntry.objects.values_list("id", "entry_hash"))

    response = client_for(personas.privacy_officer).post(url, {"subject": str(personas.resident.public_id)})

    assert response.status_code == 405
    assert list(AccessLogEntry.objects.values_list("id", "entry_hash")) == before


# --- Query count -------------------------------------------------------------------


def count_page_queries(personas: Personas, entries: int) -> int:
    access_log_record(
        actor=personas.worker,
        accesses=[Access(personas.resident, "resident", str(personas.resident.public_id), "view")] * entries,
    )
    client = client_for(personas.privacy_officer)
    client.get(LOG_URL)  # the first request settles the session (MFA check, last seen)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LOG_URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(entries, 50)
    return len(queries)


def test_access_log_page_query_count_does_not_grow_with_the_log(personas: Personas) -> None:
    with_ten = count_page_queries(personas, 10)
    with_five_hundred = count_page_queries(personas, 490)  # 500 in all

    assert with_ten == with_five_hundred
    # 1. session, 2. user, 3. the staff member's second factor, 4. count of
    # entries, 5. one page of entries with their residents and the actors'
    # organisations, 6. the organisation (branding in the page header),
    # 7. residents for the filter, 8. users for the filter, 9. the menu's
    # count of privacy requests due (privacy/attention.py).
    assert with_five_hundred == 9

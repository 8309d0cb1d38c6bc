"""The activity diary: the resident writes, changes and deletes their own
entries; bad input is refused in plain Dutch and nothing is stored; the
coach sees a shared week (never private entries) only while the resident
consents, every read logged; export is formula-safe; the week view costs
the same queries for 10 and 1,000 entries."""

from __future__ import annotations

import csv
import io
from datetime import date, time, timedelta
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from audit.models import AccessLogEntry
from blend.services import channel_consent_set
from casefiles.models import TimelineEvent
from conftest import Personas, client_for
from diary.models import DiaryEntry, DiaryWeekComment
from diary.selectors import diary_week, week_start_of
from diary.services import DiaryError, EntryData, diary_comment_add, diary_entry_add

ADD_URL = "/mijn/dagboek/nieuw/"
WEEK_URL = "/mijn/dagboek/"


def staff_url(resident: User) -> str:
    return f"/werk/inwoners/{resident.public_id}/dagboek/"


def form(**overrides: Any) -> dict[str, Any]:
    data = {
        "what": "Boodschappen doen",
        "day": timezone.localdate().isoformat(),
        "start_time": "10:00",
        "minutes": "45",
        "effort": "4",
        "relaxation": "2",
        "mood": "",
        "note": "",
        "client_key": "",
    }
    data.update(overrides)
    return data


def entry(resident: User, **overrides: Any) -> DiaryEntry:
    values: dict[str, Any] = {
        "what": "Wandelen",
        "day": timezone.localdate(),
        "start_time": time(9, 0),
        "minutes": 30,
        "effort": 2,
        "relaxation": 4,
    }
    values.update(overrides)
    return diary_entry_add(resident=resident, added_by=resident, data=EntryData(**values))


def share(resident: User, is_given: bool = True) -> None:
    channel_consent_set(resident=resident, channel="diary", is_given=is_given, recorded_by=resident)


def log_entries(**filters: Any) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(**filters))


# --- The resident writes --------------------------------------------------------------


def test_resident_adds_an_entry_and_sees_it_in_the_week(personas: Personas) -> None:
    client = client_for(personas.resident)
    response = client.post(ADD_URL, form(mood="4", note="Met de buurvrouw"))
    assert response.status_code == 302
    stored = DiaryEntry.objects.get(resident=personas.resident)
    assert (stored.what, stored.minutes, stored.effort, stored.relaxation, stored.mood) == (
        "Boodschappen doen",
        45,
        4,
        2,
        4,
    )
    page = unescape(client.get(response["Location"]).content.decode())
    assert "Opgeslagen: Boodschappen doen." in page
    assert "veel moeite" in page
    assert log_entries(object_type="diary_entry", action="create", subject=personas.resident)


def test_a_resend_with_the_same_client_key_stores_one_entry(personas: Personas) -> None:
    client = client_for(personas.resident)
    for _ in range(3):
        assert client.post(ADD_URL, form(client_key="k-123")).status_code == 302
    assert DiaryEntry.objects.filter(resident=personas.resident).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"effort": "6"}, "Kies bij inspanning een van de vijf keuzes."),
        ({"effort": "0"}, "Kies bij inspanning een van de vijf keuzes."),
        ({"relaxation": "-1"}, "Kies bij ontspanning een van de vijf keuzes."),
        ({"relaxation": ""}, "Kies bij ontspanning een van de vijf keuzes."),
        ({"mood": "9"}, "Kies bij stemming een van de vijf keuzes, of niets."),
        ({"minutes": "0"}, "Vul in hoe lang het duurde: minstens 1 minuut."),
        ({"minutes": "-30"}, "Vul in hoe lang het duurde: minstens 1 minuut."),
        ({"minutes": "1441"}, "Een activiteit duurt hoogstens 24 uur (1440 minuten)."),
        ({"minutes": "veel"}, "Vul een getal in, bijvoorbeeld 30."),
        ({"what": ""}, "Schrijf op wat u hebt gedaan."),
        ({"day": "2099-01-01"}, "Deze dag ligt te ver in de toekomst."),
        ({"day": "9999-12-31"}, "Kies een datum tussen"),
    ],
)
def test_bad_input_is_refused_in_dutch_and_nothing_is_stored(
    personas: Personas, overrides: dict[str, str], message: str
) -> None:
    response = client_for(personas.resident).post(ADD_URL, form(**overrides))
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not DiaryEntry.objects.exists()


def test_a_day_after_tomorrow_is_too_far_but_tomorrow_is_allowed(personas: Personas) -> None:
    client = client_for(personas.resident)
    today = timezone.localdate()
    assert client.post(ADD_URL, form(day=(today + timedelta(days=2)).isoformat())).status_code == 200
    assert client.post(ADD_URL, form(day=(today + timedelta(days=1)).isoformat())).status_code == 302
    assert DiaryEntry.objects.count() == 1


def test_the_service_refuses_what_the_form_would_refuse(personas: Personas) -> None:
    resident = personas.resident
    for bad in ({"effort": 7}, {"minutes": 0}, {"minutes": 2000}, {"day": timezone.localdate() + timedelta(days=5)}):
        with pytest.raises(DiaryError):
            entry(resident, **bad)
    with pytest.raises(DiaryError):
        diary_entry_add(
            resident=resident,
            added_by=personas.worker,
            data=EntryData("x", timezone.localdate(), None, 10, 3, 3),
        )
    assert not DiaryEntry.objects.exists()


def test_resident_changes_and_deletes_their_entry(personas: Personas) -> None:
    item = entry(personas.resident)
    client = client_for(personas.resident)
    url = f"/mijn/dagboek/{item.public_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, form(what="Fietsen", effort="3", relaxation="5")).status_code == 302
    item.refresh_from_db()
    assert (item.what, item.relaxation) == ("Fietsen", 5)
    assert client.post(url + "verwijderen/").status_code == 302
    assert not DiaryEntry.objects.exists()
    assert log_entries(object_type="diary_entry", action="delete")


def test_nobody_else_reaches_an_entry_and_the_attempt_is_logged(personas: Personas) -> None:
    item = entry(personas.resident)
    url = f"/mijn/dagboek/{item.public_id}/"
    share(personas.resident)
    for user in (personas.other_resident, personas.trusted_person):
        client = client_for(user)
        assert client.get(url).status_code == 404
        assert client.post(url, form(what="Gewijzigd")).status_code == 404
        assert client.post(url + "verwijderen/").status_code == 404
    # Staff have no resident area at all.
    assert client_for(personas.worker).get(url).status_code == 403
    item.refresh_from_db()
    assert item.what == "Wandelen"
    assert log_entries(
        object_type="diary_entry", outcome="denied", actor=personas.other_resident, subject=personas.resident
    )


# --- The week ----------------------------------------------------------------------------


def test_week_sums_per_day_and_compares_with_earlier_weeks(personas: Personas) -> None:
    resident = personas.resident
    monday = week_start_of(timezone.localdate()) - timedelta(days=7)
    entry(resident, day=monday, effort=5, relaxation=1)
    entry(resident, day=monday, effort=3, relaxation=2, is_private=True)
    entry(resident, day=monday + timedelta(days=2), effort=1, relaxation=5)
    entry(resident, day=monday - timedelta(days=7), effort=4, relaxation=4)
    entry(resident, day=monday - timedelta(days=29), effort=4, relaxation=4)  # five weeks back: not counted
    week = diary_week(resident=resident, week_start=monday, include_private=True)
    assert [(d.effort, d.relaxation) for d in week.days][:3] == [(8, 3), (0, 0), (1, 5)]
    assert (week.total.effort, week.total.relaxation, week.total.count) == (9, 8, 3)
    assert [(w.effort, w.relaxation) for w in week.earlier] == [(0, 0), (0, 0), (0, 0), (4, 4), (9, 8)]
    shared = diary_week(resident=resident, week_start=monday, include_private=False)
    assert (shared.total.effort, shared.total.relaxation, shared.total.count) == (6, 6, 2)


def test_week_page_has_chart_table_and_week_links(personas: Personas) -> None:
    entry(personas.resident, effort=4, relaxation=1)
    page = unescape(client_for(personas.resident).get(WEEK_URL).content.decode())
    assert '<svg viewBox="0 0 360 220" role="img"' in page
    assert "Punten voor inspanning en ontspanning per dag" in page
    assert "Vorige week" in page
    monday = week_start_of(timezone.localdate())
    older = unescape(
        client_for(personas.resident).get(f"{WEEK_URL}?week={monday - timedelta(days=7)}").content.decode()
    )
    assert "Volgende week" in older
    assert "Deze week" in older
    # A week that is no date falls back to this week.
    assert client_for(personas.resident).get(f"{WEEK_URL}?week=nonsense").status_code == 200


def _bulk(resident: User, count: int, monday: date) -> None:
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            resident=resident,
            what=f"Activiteit {n % 12}",
            day=monday - timedelta(days=n % 35),
            minutes=30,
            effort=1 + n % 5,
            relaxation=1 + (n * 3) % 5,
            is_private=n % 7 == 0,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("side", ["resident", "coach"])
def test_week_view_queries_are_the_same_for_10_and_1000_entries(personas: Personas, side: str) -> None:
    resident = personas.resident
    share(resident)
    monday = week_start_of(timezone.localdate()) + timedelta(days=6)
    user = resident if side == "resident" else personas.worker
    url = WEEK_URL if side == "resident" else staff_url(resident)
    client = client_for(user)
    counts = []
    for total in (10, 1000):
        DiaryEntry.objects.all().delete()
        _bulk(resident, total, monday)
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    print(f"diary week view ({side}): {counts[0]} queries for 10 and {counts[1]} for 1000 entries")


# --- The coach ---------------------------------------------------------------------------


def test_coach_sees_the_shared_week_without_private_entries_and_every_read_is_logged(personas: Personas) -> None:
    resident = personas.resident
    entry(resident, what="Zwemmen")
    entry(resident, what="Geheim bezoek", is_private=True)
    share(resident)
    client = client_for(personas.worker)
    before = AccessLogEntry.objects.filter(object_type="diary", action="view", actor=personas.worker).count()
    page = unescape(client.get(staff_url(resident)).content.decode())
    assert "Zwemmen" in page
    assert "Geheim bezoek" not in page
    client.get(staff_url(resident))
    after = AccessLogEntry.objects.filter(
        object_type="diary", action="view", actor=personas.worker, subject=resident, outcome="allowed"
    ).count()
    assert after == before + 2


def test_coach_without_consent_or_off_the_caseload_gets_404_and_a_logged_refusal(personas: Personas) -> None:
    resident = personas.resident
    entry(resident, what="Zwemmen")
    # No consent yet.
    assert client_for(personas.worker).get(staff_url(resident)).status_code == 404
    assert log_entries(object_type="diary", outcome="denied", actor=personas.worker, subject=resident)
    share(resident)
    assert client_for(personas.worker).get(staff_url(resident)).status_code == 200
    for outsider in (personas.other_worker, personas.foreign_worker):
        assert client_for(outsider).get(staff_url(resident)).status_code in (403, 404)
        assert log_entries(object_type__in=["diary", "permission"], outcome="denied", actor=outsider)
    # Withdrawn: the next request is refused.
    share(resident, is_given=False)
    assert client_for(personas.worker).get(staff_url(resident)).status_code == 404


def test_coach_comments_on_a_week_and_the_resident_reads_it(personas: Personas) -> None:
    resident = personas.resident
    share(resident)
    monday = week_start_of(timezone.localdate())
    response = client_for(personas.worker).post(
        staff_url(resident) + "opmerking/", {"text": "Mooi dat u elke dag wandelt!", "week": monday.isoformat()}
    )
    assert response.status_code == 302
    comment = DiaryWeekComment.objects.get()
    assert (comment.week_start, comment.author) == (monday, personas.worker)
    assert TimelineEvent.objects.filter(kind="diary.comment_added", resident=resident).exists()
    page = unescape(client_for(resident).get(WEEK_URL).content.decode())
    assert "Mooi dat u elke dag wandelt!" in page


def test_no_comment_without_consent_or_text(personas: Personas) -> None:
    resident = personas.resident
    url = staff_url(resident) + "opmerking/"
    assert client_for(personas.worker).post(url, {"text": "Hallo"}).status_code == 404
    share(resident)
    response = client_for(personas.worker).post(url, {"text": ""}, follow=True)
    assert "Schrijf eerst uw opmerking." in unescape(response.content.decode())
    share(resident, is_given=False)
    with pytest.raises(DiaryError):
        diary_comment_add(
            resident=resident, week_start=week_start_of(timezone.localdate()), author=personas.worker, text="x"
        )
    assert not DiaryWeekComment.objects.exists()


def test_skewed_balance_two_weeks_in_a_row_gives_the_coach_a_gentle_signal(personas: Personas) -> None:
    resident = personas.resident
    share(resident)
    monday = week_start_of(timezone.localdate())
    for day in (monday, monday - timedelta(days=7)):
        for _ in range(3):
            entry(resident, day=day, effort=5, relaxation=1)
    page = unescape(client_for(personas.worker).get(staff_url(resident)).content.decode())
    assert "Twee weken op rij" in page
    previous = unescape(
        client_for(personas.worker).get(f"{staff_url(resident)}?week={monday - timedelta(days=7)}").content.decode()
    )
    assert "Twee weken op rij" not in previous


# --- Export ---------------------------------------------------------------------------------


def test_export_is_a_formula_safe_csv_of_every_entry(personas: Personas) -> None:
    entry(personas.resident, what='=HYPERLINK("http://evil.example")', note="+31 6 kwijt")
    entry(personas.resident, what="@SUM(A1)", note="-1+1", is_private=True)
    response = client_for(personas.resident).get("/mijn/dagboek/dagboek.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert rows[0][:4] == ["dag", "begintijd", "minuten", "wat"]
    assert [row[3] for row in rows[1:]] == ['\'=HYPERLINK("http://evil.example")', "'@SUM(A1)"]
    assert [row[10] for row in rows[1:]] == ["'+31 6 kwijt", "'-1+1"]
    assert log_entries(action="export", subject=personas.resident)


def test_print_page_lists_every_entry(personas: Personas) -> None:
    entry(personas.resident, what="Koken")
    page = unescape(client_for(personas.resident).get("/mijn/dagboek/afdrukken/").content.decode())
    assert "Koken" in page


# --- Reminders ---------------------------------------------------------------------------


def test_resident_sets_a_daily_reminder_and_gets_it_once_a_day_without_content(personas: Personas) -> None:
    from datetime import datetime

    from django.core import mail

    from diary.reminders import diary_reminders_send

    resident = personas.resident
    resident.email = "fatima@example.invalid"
    resident.save(update_fields=["email"])
    entry(resident, what="Geheim dagboekwoord")
    client = client_for(resident)
    response = client.post("/mijn/dagboek/herinnering/", {"is_on": "on", "at": ""})
    assert "Kies hoe laat u de herinnering wilt krijgen." in unescape(response.content.decode())
    assert client.post("/mijn/dagboek/herinnering/", {"is_on": "on", "at": "19:30"}).status_code == 302
    day = timezone.localdate()
    tz = timezone.get_current_timezone()
    assert diary_reminders_send(now=datetime.combine(day, time(19, 0), tzinfo=tz)) == 0
    assert diary_reminders_send(now=datetime.combine(day, time(19, 45), tzinfo=tz)) == 1
    assert diary_reminders_send(now=datetime.combine(day, time(21, 0), tzinfo=tz)) == 0
    assert len(mail.outbox) == 1
    assert "Geheim dagboekwoord" not in mail.outbox[0].body
    assert "/mijn/dagboek/nieuw/" in mail.outbox[0].body
    assert client.post("/mijn/dagboek/herinnering/", {"at": "19:30"}).status_code == 302
    assert diary_reminders_send(now=datetime.combine(day + timedelta(days=1), time(20, 0), tzinfo=tz)) == 0


def test_demo_diary_is_shared_with_the_coach_without_the_private_entry(personas: Personas) -> None:
    from diary.demo import demo_diary_create

    demo_diary_create(resident=personas.resident, worker=personas.worker)
    page = unescape(client_for(personas.worker).get(staff_url(personas.resident)).content.decode())
    assert "Wandelen in het park" in page or "Uitrusten met muziek" in page or "Post sorteren" in page
    assert "Gesprek met mijn zus" not in page
    assert DiaryWeekComment.objects.filter(resident=personas.resident).count() == 1


def test_the_workers_day_names_residents_whose_shared_balance_is_skewed_two_weeks(personas: Personas) -> None:
    resident = personas.resident
    monday = week_start_of(timezone.localdate())
    for day in (monday, monday - timedelta(days=7)):
        for _ in range(3):
            entry(resident, day=day, effort=5, relaxation=1)
    heading = "Dagboek: twee weken meer inspanning dan ontspanning"
    # Not shared: no signal.
    assert heading not in unescape(client_for(personas.worker).get("/werk/vandaag/").content.decode())
    share(resident)
    page = unescape(client_for(personas.worker).get("/werk/vandaag/").content.decode())
    assert heading in page
    assert f"/werk/inwoners/{resident.public_id}/dagboek/" in page
    assert log_entries(actor=personas.worker, subject=resident, object_type="diary", action="list")
    # A colleague without the resident on their caseload sees nothing.
    assert heading not in unescape(client_for(personas.other_worker).get("/werk/vandaag/").content.decode())
    # Private entries do not count.
    DiaryEntry.objects.filter(day__gte=monday).update(is_private=True)
    assert heading not in unescape(client_for(personas.worker).get("/werk/vandaag/").content.decode())


# --- The organisation's rule for the signal -------------------------------------------------


def test_the_organisation_admin_tunes_the_signal_and_the_coach_follows(personas: Personas) -> None:
    from diary.selectors import balance_margin, default_balance_margin

    admin = client_for(personas.admin)
    assert balance_margin(personas.organisation.pk) == default_balance_margin()

    response = admin.post("/beheer/dagboek/", {"balance_margin": "12"})

    assert response.status_code == 302
    assert balance_margin(personas.organisation.pk) == 12
    # Another organisation keeps the default.
    assert balance_margin(personas.foreign_admin.organisation_id) == default_balance_margin()
    page = admin.get("/beheer/dagboek/").content.decode()
    assert "meer dan 12 punten" in page


@pytest.mark.parametrize("value", ["0", "101", "-3", "vijf", ""])
def test_a_bad_rule_is_refused_in_dutch_and_nothing_changes(personas: Personas, value: str) -> None:
    from diary.selectors import balance_margin, default_balance_margin

    response = client_for(personas.admin).post("/beheer/dagboek/", {"balance_margin": value})

    assert response.status_code == 200
    assert 'class="field-error' in response.content.decode() or "errorlist" in response.content.decode()
    assert balance_margin(personas.organisation.pk) == default_balance_margin()


def test_only_the_organisation_admin_sets_the_rule(personas: Personas) -> None:
    from diary.services import DiaryError, diary_rule_set

    with pytest.raises(DiaryError):
        diary_rule_set(organisation=personas.organisation, balance_margin=3, set_by=personas.worker)
    with pytest.raises(DiaryError):
        diary_rule_set(organisation=personas.organisation, balance_margin=3, set_by=personas.foreign_admin)

"""Calendar files and private feeds: RFC 5545 text written by hand, checked
by a strict parser; the same UID moves up in SEQUENCE with every change;
no topic and no resident's name in any event; feeds by secret address,
logged as reads of the residents shown."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from appointments import booking, feeds, ics
from appointments.models import Appointment, CalendarFeed
from appointments.tests.factories import agree_all_kinds
from audit.models import AccessLogEntry
from conftest import Personas, client_for

AMSTERDAM = timezone.get_default_timezone()
TOPIC = "Schulden bij de Belastingdienst"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=AMSTERDAM)
STARTS = datetime(2026, 12, 1, 10, 30, tzinfo=AMSTERDAM)


# --- A strict reader for what we write ------------------------------------------------


@dataclass
class Component:
    name: str
    properties: list[tuple[str, dict[str, str], str]] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def values(self, name: str) -> list[str]:
        return [value for prop, _params, value in self.properties if prop == name]

    def value(self, name: str) -> str:
        found = self.values(name)
        assert len(found) == 1, f"{self.name} has {len(found)} {name}"
        return found[0]

    def params(self, name: str) -> dict[str, str]:
        return next(params for prop, params, _value in self.properties if prop == name)

    @property
    def events(self) -> list[Component]:
        return [c for c in self.children if c.name == "VEVENT"]


def unescape(value: str) -> str:
    out, chars = [], iter(value)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        following = next(chars)
        assert following in "\\;,nN", f"bad escape \\{following}"
        out.append("\n" if following in "nN" else following)
    return "".join(out)


def _split_property(line: str) -> tuple[str, dict[str, str], str]:
    in_quotes = False
    for index, char in enumerate(line):
        if char == '"':
            in_quotes = not in_quotes
        elif char == ":" and not in_quotes:
            head, value = line[:index], line[index + 1 :]
            break
    else:
        raise AssertionError(f"no value in {line!r}")
    name, _sep, raw_params = head.partition(";")
    assert re.fullmatch(r"[A-Z][A-Z0-9-]*", name), f"bad property name {name!r}"
    params = {}
    # name=value or name="quoted value", separated by semicolons outside quotes.
    for match in re.finditer(r'([A-Z][A-Z0-9-]*)=("[^"]*"|[^";:,]*)(?:;|$)', raw_params):
        params[match.group(1)] = match.group(2)
    rebuilt = ";".join(f"{key}={param}" for key, param in params.items())
    assert rebuilt == raw_params, f"bad parameters {raw_params!r}"
    return name, params, value


def parse(text: str | bytes) -> Component:
    """Parse strictly: CRLF only, every physical line at most 75 octets,
    valid UTF-8, balanced BEGIN/END, one VCALENDAR."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    assert data.endswith(b"\r\n"), "must end with CRLF"
    physical = data[:-2].split(b"\r\n")
    for raw in physical:
        assert b"\n" not in raw and b"\r" not in raw, f"bare line break in {raw!r}"
        assert len(raw) <= 75, f"line of {len(raw)} octets: {raw!r}"
        raw.decode("utf-8")  # a multi-byte character split over two lines fails here
    logical: list[str] = []
    for raw in physical:
        line = raw.decode("utf-8")
        if line.startswith((" ", "\t")):
            assert logical, "continuation before the first line"
            logical[-1] += line[1:]
        else:
            logical.append(line)
    stack: list[Component] = []
    root: Component | None = None
    for line in logical:
        name, params, value = _split_property(line)
        if name == "BEGIN":
            component = Component(value)
            if stack:
                stack[-1].children.append(component)
            stack.append(component)
        elif name == "END":
            assert stack and stack[-1].name == value, f"END:{value} does not close {stack[-1].name if stack else None}"
            closed = stack.pop()
            if not stack:
                assert root is None, "more than one VCALENDAR"
                root = closed
        else:
            assert stack, f"{name} outside a component"
            stack[-1].properties.append((name, params, value))
    assert not stack, "unclosed component"
    assert root is not None and root.name == "VCALENDAR"
    assert root.value("VERSION") == "2.0"
    assert root.value("PRODID")
    assert root.value("CALSCALE") == "GREGORIAN"
    assert root.value("METHOD") in {"PUBLISH", "REQUEST", "CANCEL"}
    for event in root.events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY"):
            event.value(required)
        for stamp in ("DTSTAMP", "DTSTART", "DTEND"):
            assert re.fullmatch(r"\d{8}T\d{6}Z", event.value(stamp)), stamp
        assert event.value("STATUS") in {"CONFIRMED", "TENTATIVE", "CANCELLED"}
        assert event.value("SEQUENCE").isdigit()
    return root


def text_of(event: Component, name: str) -> str:
    return unescape(event.value(name))


# --- Fixtures and builders -----------------------------------------------------------


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def propose(
    worker: User,
    resident: User,
    *,
    kind: str = "video",
    starts_at: datetime = STARTS,
    location: object = None,
    confirm: bool = True,
) -> Appointment:
    agree_all_kinds(resident=resident, worker=worker)
    appointment = booking.appointment_propose(
        worker=worker,
        resident=resident,
        kind=kind,
        starts_at=starts_at,
        minutes=45,
        location=location,  # type: ignore[arg-type]
        topic=TOPIC,
    )
    return booking.appointment_confirm(appointment=appointment, by=resident) if confirm else appointment


def assert_nothing_sensitive(text: str, *people: User) -> None:
    unfolded = text.replace("\r\n ", "")
    assert TOPIC not in unfolded
    assert "Belastingdienst" not in unfolded
    for person in people:
        assert person.first_name not in unfolded
        assert person.last_name not in unfolded


# --- Low level ----------------------------------------------------------------------


def test_folding_keeps_lines_within_75_octets_and_never_splits_a_character() -> None:
    line = "SUMMARY:" + "Afspraak met Zorg én Welzijn 😀 " * 12
    folded = ics.fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    for index, piece in enumerate(pieces):
        raw = piece.encode("utf-8")
        assert len(raw) <= 75
        assert index == 0 or piece.startswith(" ")
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


def test_a_short_line_is_not_folded() -> None:
    assert ics.fold("VERSION:2.0") == "VERSION:2.0"
    exactly = "X" * 75
    assert ics.fold(exactly) == exactly


def test_text_values_are_escaped() -> None:
    assert ics.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert unescape(ics.escape_text("a,b;c\\d\ne")) == "a,b;c\\d\ne"


# --- One appointment ----------------------------------------------------------------


@override_settings(SITE_URL="https://samenspraak.example.nl")
def test_a_confirmed_appointment_is_a_request_without_topic_or_names(personas: Personas, frozen: None) -> None:
    appointment = propose(personas.worker, personas.resident)

    text = ics.appointment_calendar(appointment, audience=ics.Audience.RESIDENT, attendee_email="f@example.org")

    calendar = parse(text)
    assert calendar.value("METHOD") == "REQUEST"
    (event,) = calendar.events
    assert event.value("UID") == f"{appointment.public_id}@samenspraak.example.nl"
    assert event.value("SEQUENCE") == str(appointment.sequence) == "1"
    assert event.value("STATUS") == "CONFIRMED"
    assert event.value("DTSTART") == "20261201T093000Z"  # 10:30 in Amsterdam, winter time
    assert event.value("DTEND") == "20261201T101500Z"
    assert event.value("DTSTAMP") == "20261130T080000Z"
    assert text_of(event, "SUMMARY") == "Afspraak met Welzijn Rivierstad (beeldbellen)"
    assert text_of(event, "LOCATION") == "Beeldbellen"
    assert event.value("URL").startswith("https://samenspraak.example.nl/afspraken/")
    assert str(appointment.public_id) in event.value("URL")
    assert event.value("ATTENDEE") == "mailto:f@example.org"
    assert_nothing_sensitive(text, personas.resident, personas.worker)


def test_a_video_appointment_links_to_its_call_page(personas: Personas, frozen: None) -> None:
    appointment = propose(personas.worker, personas.resident, kind="video")
    event = parse(ics.appointment_calendar(appointment, audience=ics.Audience.RESIDENT)).events[0]
    expected = ics.absolute_url("appointments:call", appointment) or ics.absolute_url(
        "appointments:detail", appointment
    )
    assert event.value("URL") == expected


def test_moving_keeps_the_uid_and_raises_the_sequence(personas: Personas, frozen: None) -> None:
    appointment = propose(personas.worker, personas.resident)
    before = parse(ics.appointment_calendar(appointment, audience=ics.Audience.RESIDENT)).events[0]

    moved = booking.appointment_move(
        appointment=appointment, by=personas.worker, starts_at=STARTS + timedelta(days=1), minutes=60
    )
    after_calendar = parse(ics.appointment_calendar(moved, audience=ics.Audience.RESIDENT))
    after = after_calendar.events[0]

    assert after.value("UID") == before.value("UID")
    assert int(after.value("SEQUENCE")) > int(before.value("SEQUENCE"))
    assert after_calendar.value("METHOD") == "REQUEST"
    # The resident has to confirm the new time: tentative until then.
    assert after.value("STATUS") == "TENTATIVE"
    assert after.value("DTSTART") == "20261202T093000Z"
    assert after.value("DTEND") == "20261202T103000Z"


def test_cancelling_sends_cancel_with_a_higher_sequence(personas: Personas, frozen: None) -> None:
    appointment = propose(personas.worker, personas.resident)
    before = parse(ics.appointment_calendar(appointment, audience=ics.Audience.RESIDENT)).events[0]

    cancelled = booking.appointment_cancel(appointment=appointment, by=personas.worker, reason="Ziek thuis")
    text = ics.appointment_calendar(cancelled, audience=ics.Audience.RESIDENT)
    calendar = parse(text)
    event = calendar.events[0]

    assert calendar.value("METHOD") == "CANCEL"
    assert event.value("STATUS") == "CANCELLED"
    assert event.value("UID") == before.value("UID")
    assert int(event.value("SEQUENCE")) > int(before.value("SEQUENCE"))
    assert "Ziek" not in text  # the reason is not for calendars either


def test_face_to_face_names_the_address_and_folds_long_names_safely(personas: Personas, frozen: None) -> None:
    organisation = personas.organisation
    organisation.name = "Stichting Welzijn, Zorg; en Meer \\ Rivierstad \u2013 Wijkteams Zuid-Oost 😀 én Noord"
    organisation.save(update_fields=["name"])
    appointment = propose(personas.worker, personas.resident, kind="face_to_face", location=personas.demo.location)

    text = ics.appointment_calendar(appointment, audience=ics.Audience.RESIDENT)
    event = parse(text).events[0]

    assert text_of(event, "LOCATION") == "Buurthuis De Brug, Kerkstraat 12, 3011 AB Rivierstad"
    assert text_of(event, "SUMMARY") == f"Afspraak met {organisation.name} (gesprek op een locatie)"
    assert "ORGANIZER" in [name for name, _p, _v in event.properties]


def test_a_home_visit_reads_differently_for_resident_and_worker(personas: Personas, frozen: None) -> None:
    appointment = propose(personas.worker, personas.resident, kind="home_visit")

    for_resident = parse(ics.appointment_calendar(appointment, audience=ics.Audience.RESIDENT)).events[0]
    for_worker = parse(ics.appointment_calendar(appointment, audience=ics.Audience.WORKER)).events[0]

    assert text_of(for_resident, "LOCATION") == "Bij u thuis"
    assert text_of(for_worker, "LOCATION") == "Huisbezoek"
    assert text_of(for_worker, "SUMMARY") == "Afspraak (huisbezoek)"


# --- Download -----------------------------------------------------------------------------


def test_the_resident_downloads_an_appointment_and_the_read_is_logged(personas: Personas, frozen: None) -> None:
    appointment = propose(personas.worker, personas.resident, kind="phone")
    url = reverse("appointments:ics", kwargs={"public_id": appointment.public_id})
    logged_before = AccessLogEntry.objects.filter(object_id=str(appointment.public_id), action="view").count()

    response = client_for(personas.resident).get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = parse(response.content)
    assert text_of(calendar.events[0], "LOCATION") == "Telefoon"
    assert_nothing_sensitive(response.content.decode(), personas.resident, personas.worker)
    logged = AccessLogEntry.objects.filter(object_id=str(appointment.public_id), action="view")
    assert logged.count() == logged_before + 1
    assert logged.filter(actor=personas.resident, subject=personas.resident).exists()


def test_a_trusted_person_and_the_worker_download_but_another_worker_cannot(personas: Personas, frozen: None) -> None:
    appointment = propose(personas.worker, personas.resident, kind="home_visit")
    url = reverse("appointments:ics", kwargs={"public_id": appointment.public_id})

    trusted = client_for(personas.trusted_person).get(url)
    worker = client_for(personas.worker).get(url)
    other = client_for(personas.other_worker).get(url)

    assert trusted.status_code == 200
    assert worker.status_code == 200
    assert text_of(parse(worker.content).events[0], "LOCATION") == "Huisbezoek"
    assert other.status_code == 404
    assert AccessLogEntry.objects.filter(actor=personas.other_worker, outcome="denied").exists()


# --- Feeds: making and stopping ---------------------------------------------------------

SETTINGS_URL = "/agenda/koppeling/"


def test_a_resident_makes_a_feed_address_that_is_shown_once(personas: Personas) -> None:
    client = client_for(personas.resident)
    assert "niet gekoppeld" in client.get(SETTINGS_URL).content.decode()

    response = client.post(SETTINGS_URL, {"actie": "nieuw"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = re.search(r"/agenda/feed/([A-Za-z0-9_-]{43})\.ics", response.content.decode())
    assert match is not None
    token = match.group(1)
    feed = CalendarFeed.objects.get(user=personas.resident, revoked_at__isnull=True)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash
    again = client.get(SETTINGS_URL).content.decode()
    assert token not in again
    assert "Gekoppeld sinds" in again


def test_a_new_address_stops_the_old_one_and_stopping_stops_all(personas: Personas) -> None:
    first = feeds.calendar_feed_create(user=personas.resident).token
    second = feeds.calendar_feed_create(user=personas.resident).token
    anonymous = client_for(None)

    assert anonymous.get(reverse("appointments:feed", kwargs={"token": first})).status_code == 404
    assert anonymous.get(reverse("appointments:feed", kwargs={"token": second})).status_code == 200
    assert CalendarFeed.objects.filter(user=personas.resident, revoked_at__isnull=True).count() == 1

    response = client_for(personas.resident).post(SETTINGS_URL, {"actie": "stoppen"})

    assert response.status_code == 302
    assert anonymous.get(reverse("appointments:feed", kwargs={"token": second})).status_code == 404
    assert not CalendarFeed.objects.filter(user=personas.resident, revoked_at__isnull=True).exists()


def test_workers_may_link_a_calendar_but_trusted_persons_and_admins_may_not(personas: Personas) -> None:
    assert client_for(personas.worker).post(SETTINGS_URL, {"actie": "nieuw"}).status_code == 200
    assert client_for(personas.trusted_person).post(SETTINGS_URL, {"actie": "nieuw"}).status_code == 403
    assert client_for(personas.admin).post(SETTINGS_URL, {"actie": "nieuw"}).status_code == 403
    assert not CalendarFeed.objects.filter(user__in=[personas.trusted_person, personas.admin]).exists()


@pytest.mark.parametrize("token", ["kort", "A" * 43, "A" * 44, "!" * 43])
def test_a_wrong_or_malformed_token_is_not_found(personas: Personas, token: str) -> None:
    feeds.calendar_feed_create(user=personas.resident)
    assert client_for(None).get(f"/agenda/feed/{token}.ics").status_code == 404


# --- Feeds: what is in them --------------------------------------------------------------


def test_the_resident_feed_holds_own_appointments_in_the_window(personas: Personas) -> None:
    with time_machine.travel(NOW - timedelta(days=40), tick=False):
        long_ago = propose(personas.worker, personas.resident, starts_at=NOW - timedelta(days=39))
        booking.appointment_cancel(appointment=long_ago, by=personas.worker, reason="Ziek")
    with time_machine.travel(NOW, tick=False):
        confirmed = propose(personas.worker, personas.resident, kind="face_to_face", location=personas.demo.location)
        cancelled = propose(personas.worker, personas.resident, starts_at=STARTS + timedelta(days=2))
        booking.appointment_cancel(appointment=cancelled, by=personas.resident, reason="Kan niet")
        proposed = propose(personas.worker, personas.resident, starts_at=STARTS + timedelta(days=3), confirm=False)
        someone_else = propose(personas.other_worker, personas.other_resident)
        token = feeds.calendar_feed_create(user=personas.resident).token

        response = client_for(None).get(reverse("appointments:feed", kwargs={"token": token}))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    calendar = parse(response.content)
    assert calendar.value("METHOD") == "PUBLISH"
    by_uid = {event.value("UID").split("@")[0]: event for event in calendar.events}
    assert set(by_uid) == {str(confirmed.public_id), str(cancelled.public_id), str(proposed.public_id)}
    assert str(long_ago.public_id) not in by_uid
    assert str(someone_else.public_id) not in by_uid
    assert by_uid[str(cancelled.public_id)].value("STATUS") == "CANCELLED"
    assert by_uid[str(proposed.public_id)].value("STATUS") == "TENTATIVE"
    assert "ORGANIZER" not in response.content.decode()
    assert_nothing_sensitive(response.content.decode(), personas.resident, personas.worker)


def test_reading_a_feed_is_logged_once_per_resident_shown(personas: Personas) -> None:
    team_lead, own_resident, team_resident = personas.team_lead, personas.demo.residents[2], personas.team_resident
    with time_machine.travel(NOW, tick=False):
        propose(team_lead, own_resident, kind="home_visit")
        propose(team_lead, own_resident, kind="phone", starts_at=STARTS + timedelta(days=1))
        propose(team_lead, team_resident, kind="home_visit", starts_at=STARTS + timedelta(days=2))
        token = feeds.calendar_feed_create(user=team_lead).token

        response = client_for(None).get(reverse("appointments:feed", kwargs={"token": token}))

    calendar = parse(response.content)
    assert len(calendar.events) == 3
    assert {text_of(e, "SUMMARY") for e in calendar.events} == {"Afspraak (huisbezoek)", "Afspraak (telefoon)"}
    assert {text_of(e, "LOCATION") for e in calendar.events} == {"Huisbezoek", "Telefoon"}
    assert_nothing_sensitive(response.content.decode(), own_resident, team_resident)
    entries = AccessLogEntry.objects.filter(object_type="calendar_feed")
    assert entries.count() == 2
    assert {e.subject_id for e in entries} == {own_resident.pk, team_resident.pk}
    assert {e.actor_id for e in entries} == {team_lead.pk}
    assert {e.action for e in entries} == {"list"}


def test_last_use_is_noted_at_most_once_an_hour(personas: Personas) -> None:
    url = reverse("appointments:feed", kwargs={"token": feeds.calendar_feed_create(user=personas.resident).token})
    client = client_for(None)

    with time_machine.travel(NOW, tick=False):
        client.get(url)
    with time_machine.travel(NOW + timedelta(minutes=30), tick=False):
        client.get(url)
    first = CalendarFeed.objects.get(user=personas.resident).last_used_at
    with time_machine.travel(NOW + timedelta(minutes=61), tick=False):
        client.get(url)
    second = CalendarFeed.objects.get(user=personas.resident).last_used_at

    assert first == NOW
    assert second == NOW + timedelta(minutes=61)


def test_a_feed_of_a_deactivated_person_stops(personas: Personas) -> None:
    token = feeds.calendar_feed_create(user=personas.resident).token
    User.objects.filter(pk=personas.resident.pk).update(is_active=False)
    assert client_for(None).get(reverse("appointments:feed", kwargs={"token": token})).status_code == 404

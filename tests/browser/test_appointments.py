"""Booking appointments through the real pages.

The main test is the "Done when" of the booking issue: a resident books a
video call and a face-to-face conversation with the keyboard, the worker
confirms both in the agenda, and both get the appointments for their own
calendar (by mail and as a download), the same UID everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, ViewportSize, expect

from accounts.models import User
from appointments import services
from appointments.ics import utc_stamp
from appointments.models import Appointment, AppointmentKind, AppointmentStatus
from appointments.tests.factories import agree_all_kinds
from audit.models import AccessLogEntry
from conftest import Personas, run_queued_tasks
from tests.browser.helpers import check_page, sign_in_staff, sign_in_with_password, sign_out

PHONE: ViewportSize = {"width": 375, "height": 667}
RESIDENT_EMAIL = "fatima@example.invalid"
DETAIL_URL = re.compile(r"/afspraken/(?P<id>[0-9a-f-]{36})/$")

MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
# "Dinsdag 1 december 2026 om 10:30 uur": what a screen reader says for a slot.
SPOKEN_SLOT = re.compile(
    rf"^(Maandag|Dinsdag|Woensdag|Donderdag|Vrijdag) \d{{1,2}} ({MONTHS}) \d{{4}} om \d\d:\d\d uur$"
)


@pytest.fixture
def bookable(personas: Personas) -> Personas:
    """Sanne can be booked on weekday mornings, at the demo location or by
    video; Fatima agreed on every kind and has an e-mail address."""
    for weekday in range(5):
        services.availability_add(
            worker=personas.worker,
            weekday=weekday,
            starts_at=time(9),
            ends_at=time(12),
            kinds=[AppointmentKind.FACE_TO_FACE, AppointmentKind.VIDEO],
            location=personas.demo.location,
        )
    agree_all_kinds(resident=personas.resident, worker=personas.worker)
    User.objects.filter(pk=personas.resident.pk).update(email=RESIDENT_EMAIL)
    personas.resident.refresh_from_db()
    return personas


def _tab_to(page: Page, target: Locator, *, limit: int = 120) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("(element) => element === document.activeElement"):
            return
    pytest.fail(f"{limit} presses of Tab did not reach the slot button")


def _resident_books(page: Page, *, kind_label: str, name: str) -> tuple[Appointment, str]:
    """From "Afspraken": choose the kind, reach the first free time by
    keyboard, press it and confirm. Returns the appointment and the time
    as the button said it."""
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Afspraken", exact=True).click()
    page.wait_for_url("**/afspraken/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn afspraken")
    check_page(page, f"{name}-mine")
    page.get_by_role("link", name="Afspraak maken", exact=True).click()
    page.wait_for_url("**/afspraken/maken/")
    check_page(page, f"{name}-book")

    page.get_by_role("group", name="Soort afspraak").get_by_label(kind_label).check()
    page.get_by_role("button", name="Laat de vrije tijden zien").click()
    page.wait_for_url(re.compile(r"/afspraken/maken/\?soort="))
    expect(page.get_by_role("heading", level=2, name=re.compile(r"^2\. Kies een tijd"))).to_be_visible()
    check_page(page, f"{name}-book-slots")
    first_slot = page.get_by_role("button", name=SPOKEN_SLOT).first
    expect(first_slot).to_have_accessible_name(SPOKEN_SLOT)
    snapshot = re.fullmatch(r'- button "(?P<name>[^"]+)"', first_slot.aria_snapshot().strip())
    assert snapshot is not None, first_slot.aria_snapshot()
    spoken = snapshot["name"]
    # On screen the button shows only the time.
    expect(first_slot).to_have_text(re.compile(r"^\d\d:\d\d"))
    _tab_to(page, first_slot)
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/afspraken/maken/bevestigen/\?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Klopt dit?")
    expect(page.get_by_text(spoken, exact=True)).to_be_visible()
    check_page(page, f"{name}-book-confirm")
    page.get_by_role("button", name="Afspraak aanvragen").click()

    page.wait_for_url(DETAIL_URL)
    expect(page.get_by_text("Uw aanvraag is verstuurd.")).to_be_visible()
    expect(page.get_by_text("Wacht op bevestiging van de sociaal werker")).to_be_visible()
    check_page(page, f"{name}-detail")
    match = DETAIL_URL.search(page.url)
    assert match is not None
    return Appointment.objects.get(public_id=match["id"]), spoken


def _worker_confirms_in_the_agenda(page: Page, appointment: Appointment, *, name: str) -> None:
    """Open the week of the appointment in the agenda, then the appointment,
    and confirm it."""
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Agenda", exact=True).click()
    page.wait_for_url("**/werk/agenda/")
    page.get_by_label("Datum").fill(_local_day(appointment).isoformat())
    page.get_by_label("Weergave").select_option(label="Week")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(re.compile(r"/werk/agenda/\?.*weergave=week"))
    check_page(page, f"{name}-agenda-week")
    # The request is listed twice: under "Wacht op uw bevestiging" above the
    # grid, and dashed in the grid itself. The list comes first.
    links = page.locator(f'a[href="/afspraken/{appointment.public_id}/"]')
    expect(links).to_have_count(2)
    links.first.click()

    page.wait_for_url(f"**/afspraken/{appointment.public_id}/")
    check_page(page, f"{name}-detail")
    page.get_by_role("button", name="Afspraak bevestigen").click()
    page.wait_for_url(f"**/afspraken/{appointment.public_id}/")
    expect(page.get_by_text("De afspraak is bevestigd.")).to_be_visible()
    expect(page.get_by_text("Bevestigd", exact=True)).to_be_visible()
    check_page(page, f"{name}-detail-confirmed")


def _local_day(appointment: Appointment) -> date:
    return timezone.localtime(appointment.starts_at).date()


def _download_ics(page: Page, appointment: Appointment) -> str:
    """Download the calendar file from the appointment's page."""
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Zet in mijn agenda (.ics)").click()
    text = Path(download_info.value.path()).read_bytes().decode("utf-8")
    assert text.endswith("END:VCALENDAR\r\n"), "a calendar file ends its lines with CRLF (RFC 5545)"
    return text


def _assert_calendar_file(text: str, appointment: Appointment) -> None:
    """One VCALENDAR with the appointment's UID and start (lines unfolded)."""
    lines = re.sub(r"\r?\n[ \t]", "", text).splitlines()
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert any(re.fullmatch(rf"UID:{appointment.public_id}@[\w.-]+", line) for line in lines), lines
    assert f"DTSTART:{utc_stamp(appointment.starts_at)}" in lines


def _calendars_mailed_to(mailbox: list[EmailMessage], address: str) -> list[str]:
    """The text/calendar parts of every mail to ``address``."""
    calendars = []
    for message in mailbox:
        if address not in message.to:
            continue
        for part in message.message().walk():
            if part.get_content_type() == "text/calendar":
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                calendars.append(payload.decode("utf-8"))
    return calendars


def test_a_resident_books_video_and_face_to_face_and_both_sides_get_the_calendar_files(
    page: Page, site: str, bookable: Personas, mailoutbox: list[EmailMessage]
) -> None:
    resident, worker = bookable.resident, bookable.worker

    # The resident books a video call and a conversation at the location.
    sign_in_with_password(page, site, username=resident.username, name="appointments-resident")
    page.wait_for_url("**/mijn/")
    video, video_spoken = _resident_books(page, kind_label="Beeldbellen", name="appointments-video")
    face_to_face, face_to_face_spoken = _resident_books(
        page, kind_label="Gesprek op een locatie", name="appointments-face-to-face"
    )
    assert (video.kind, video.location) == (AppointmentKind.VIDEO, None)
    assert (face_to_face.kind, face_to_face.location) == (AppointmentKind.FACE_TO_FACE, bookable.demo.location)
    assert video.status == face_to_face.status == AppointmentStatus.AWAITING_WORKER
    assert video_spoken != face_to_face_spoken
    expect(page.get_by_text(bookable.demo.location.name)).to_be_visible()
    sign_out(page)

    # The worker confirms both from the agenda.
    sign_in_staff(page, site, username=worker.username, name="appointments-worker")
    for appointment in (video, face_to_face):
        _worker_confirms_in_the_agenda(page, appointment, name=f"appointments-worker-{appointment.kind}")
        appointment.refresh_from_db()
        assert (appointment.status, appointment.sequence) == (AppointmentStatus.CONFIRMED, 1)
        assert AccessLogEntry.objects.filter(
            actor=worker, object_id=str(appointment.public_id), action=AccessLogEntry.Action.CHANGE
        ).exists()
        _assert_calendar_file(_download_ics(page, appointment), appointment)
    sign_out(page)

    # The resident sees both confirmed and downloads them too.
    sign_in_with_password(page, site, username=resident.username, name="appointments-resident-again")
    page.wait_for_url("**/mijn/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Afspraken", exact=True).click()
    page.wait_for_url("**/afspraken/")
    upcoming = page.get_by_role("region", name="Komende afspraken")
    expect(upcoming.get_by_text("Bevestigd", exact=True)).to_have_count(2)
    check_page(page, "appointments-resident-mine-confirmed")
    for appointment in (video, face_to_face):
        upcoming.locator(f'a[href="/afspraken/{appointment.public_id}/"]').click()
        page.wait_for_url(f"**/afspraken/{appointment.public_id}/")
        check_page(page, f"appointments-resident-detail-{appointment.kind}")
        _assert_calendar_file(_download_ics(page, appointment), appointment)
        page.get_by_role("link", name="Naar al mijn afspraken").click()
        page.wait_for_url("**/afspraken/")

    # The confirmations went out by mail, each with the calendar file.
    run_queued_tasks()
    for address in (RESIDENT_EMAIL, worker.email):
        calendars = _calendars_mailed_to(mailoutbox, address)
        for appointment in (video, face_to_face):
            mailed = [text for text in calendars if f"UID:{appointment.public_id}@" in text]
            assert mailed, f"no calendar file for {appointment.kind} mailed to {address}"
            _assert_calendar_file(mailed[-1], appointment)


# --- The slot picker on a phone ------------------------------------------------------------------


@pytest.fixture
def phone_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(
        **browser_context_args, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_slot_picker_fits_a_phone(phone_page: Page, site: str, bookable: Personas) -> None:
    page = phone_page
    sign_in_with_password(page, site, username=bookable.resident.username, name="appointments-phone")
    page.wait_for_url("**/mijn/")

    page.goto(f"{site}/afspraken/maken/?soort=video")
    expect(page.get_by_role("button", name=SPOKEN_SLOT).first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the slot picker is {width}px wide on a {PHONE['width']}px screen"
    check_page(page, "appointments-phone-book-slots")

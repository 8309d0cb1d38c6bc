"""The worker's day ("Vandaag") in real browsers, against a real Daphne
server (pages and sockets, see ``tests/browser/test_chat.py``).

The worker keeps the day page open; a resident (their own browser) sends a
chat message and an appointment request, and an anonymous visitor joins the
consultation hour: the sections and the menu badges follow without a
reload. Every change is made through the server by the other browsers: the
test process' channel layer does not reach the server process. The worker
then confirms a request from the day page by keyboard; the section holding
the focus is not replaced while the worker is in it.

Without JavaScript the page is covered by ``pages/tests/test_today.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import time, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Locator, Page, ViewportSize, WebSocketRoute, expect

from appointments import booking, services
from appointments.models import Appointment, AppointmentStatus
from appointments.tests.factories import agree_all_kinds
from conftest import Personas
from messaging.consultation import hour_add
from tests.asgi_server import AsgiServer
from tests.browser.helpers import check_page, pass_totp_step, sign_in_with_password

NewContext = Callable[..., BrowserContext]
TODAY = "/werk/vandaag/"
MESSAGE = "Kunt u mij morgen terugbellen over de brief?"
SECOND_MESSAGE = "Of vrijdag, dat kan ook."
REQUEST_NOTE = "Liefst na de lunch."
PHONE: ViewportSize = {"width": 375, "height": 812}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
# Socket frame, coalescing (0.3 s) and the day page's fetch: well within this.
LIVE_MS = 10_000


@pytest.fixture
def day_site(personas: Personas) -> Iterator[str]:
    """A real ASGI server for this test; Sanne (the worker) can be booked
    and the resident has agreed to chat and video."""
    agree_all_kinds(resident=personas.resident, worker=personas.worker)
    server = AsgiServer()
    address = server.start()
    try:
        yield f"http://{address}"
    finally:
        server.stop()


def _page(new_context: NewContext, **context_args: Any) -> Page:
    page = new_context(**context_args).new_page()
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


def _awaiting_worker(personas: Personas) -> Appointment:
    """The resident booked a free time in three days: it waits for Sanne."""
    services.booking_rules_set(worker=personas.worker, buffer_minutes=0, max_per_day=8, slot_minutes=60)
    for weekday in range(7):
        services.availability_add(
            worker=personas.worker, weekday=weekday, starts_at=time(8), ends_at=time(18), kinds=["video"], location=None
        )
    day = timezone.localdate() + timedelta(days=3)
    appointment = booking.appointment_book(
        resident=personas.resident, worker=personas.worker, kind="video", starts=f"{day.isoformat()}T10:00"
    )
    assert appointment.status == AppointmentStatus.AWAITING_WORKER
    return appointment


def _worker_opens_the_day(page: Page, site: str, personas: Personas, *, name: str) -> None:
    """Staff sign-in lands on "Vandaag"."""
    sign_in_with_password(page, site, username=personas.worker.username, name=name)
    pass_totp_step(page, name=name, username=personas.worker.username)
    page.wait_for_url(f"**{TODAY}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag")


def _resident_signs_in(page: Page, site: str, personas: Personas, *, name: str) -> None:
    sign_in_with_password(page, site, username=personas.resident.username, name=name)
    page.wait_for_url("**/mijn/")


def _resident_sends_a_request(page: Page, site: str) -> None:
    """The request form, as the resident fills it in."""
    page.goto(f"{site}/afspraken/verzoek/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Afspraak aanvragen")
    page.get_by_role("group", name="Welke soort afspraak?").get_by_label("Beeldbellen", exact=True).check()
    page.get_by_label("Wilt u nog iets zeggen over wanneer het u uitkomt? (niet verplicht)").fill(REQUEST_NOTE)
    page.get_by_role("button", name="Verzoek versturen").click()
    page.wait_for_url("**/afspraken/")
    expect(page.get_by_text("Uw verzoek is verstuurd.", exact=False)).to_be_visible()


def _badge(page: Page, label: str) -> Locator:
    """The count on a menu link (hidden when 0)."""
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    return menu.get_by_role("link", name=re.compile(rf"^{label}\b")).locator("[data-attention-number]")


def _number(badge: Locator) -> int:
    return int(badge.text_content() or "0")


def _mark_loaded(page: Page) -> None:
    page.evaluate("window.__notReloaded = true")


def _assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__notReloaded === true"), "the day page was reloaded"


def test_the_day_shows_a_message_a_request_and_a_visitor_without_reload(
    new_context: NewContext, day_site: str, personas: Personas
) -> None:
    hour_add(
        organisation_id=personas.organisation.pk,
        weekday=timezone.localtime().weekday(),
        starts_at=time(0, 0),
        ends_at=time(23, 59, 59),
        on_duty=[personas.worker],
    )
    _awaiting_worker(personas)
    worker = _page(new_context, viewport=DESKTOP)
    resident = _page(new_context)
    visitor = _page(new_context)

    _worker_opens_the_day(worker, day_site, personas, name="day-worker")
    # axe on a phone too: sections stacked, the menu folded.
    worker.set_viewport_size(PHONE)
    check_page(worker, "day-worker-phone")
    worker.set_viewport_size(DESKTOP)
    check_page(worker, "day-worker-desktop")

    requests = worker.locator("#vandaag-verzoeken")
    conversations = worker.locator("#vandaag-gesprekken")
    queue = worker.locator("#vandaag-spreekuur")
    expect(queue.get_by_role("heading", level=2)).to_have_text("Chatspreekuur: u hebt dienst (0)")
    expect(queue).to_contain_text("Er wacht nu niemand.")
    expect(conversations.get_by_role("link", name=personas.resident.full_name)).to_have_count(0)
    expect(requests.get_by_text(REQUEST_NOTE)).to_have_count(0)
    today_badge = _badge(worker, "Vandaag")
    messages_badge = _badge(worker, "Berichten")
    queue_badge = _badge(worker, "Chatspreekuur")
    today_before = _number(today_badge)
    messages_before = _number(messages_badge)
    _mark_loaded(worker)
    requests.evaluate("(element) => { element.__kept = true; }")

    # (a) The resident writes to Sanne from their own browser.
    _resident_signs_in(resident, day_site, personas, name="day-resident")
    resident.get_by_role("link", name="Bericht aan mijn sociaal werker").click()
    resident.get_by_role("button", name="Gesprek beginnen").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Uw sociaal werker")
    resident.get_by_label("Uw bericht").fill(MESSAGE)
    resident.get_by_role("button", name="Versturen").click()
    expect(resident.locator("#chat .chat-message", has_text=MESSAGE)).to_be_visible()

    unread = conversations.locator("li", has=worker.get_by_role("link", name=personas.resident.full_name))
    expect(unread).to_contain_text("1 nieuw bericht", timeout=LIVE_MS)
    expect(messages_badge).to_have_text(str(messages_before + 1), timeout=LIVE_MS)
    expect(messages_badge.locator("xpath=..")).to_be_visible()
    # A second message in the same conversation: the counts stay the same,
    # the section follows all the same.
    resident.get_by_label("Uw bericht").fill(SECOND_MESSAGE)
    resident.get_by_role("button", name="Versturen").click()
    expect(unread).to_contain_text("2 nieuwe berichten", timeout=LIVE_MS)
    expect(messages_badge).to_have_text(str(messages_before + 1))
    # A section that did not change is left alone (its forms' fresh CSRF
    # tokens are no change).
    assert requests.evaluate("(element) => element.__kept === true"), "an unchanged section was replaced"

    # (b) ... and asks for an appointment.
    _resident_sends_a_request(resident, day_site)
    new_request = requests.locator("li", has_text=REQUEST_NOTE)
    expect(new_request).to_contain_text(f"{personas.resident.full_name} vraagt om een afspraak", timeout=LIVE_MS)
    expect(new_request.get_by_role("link", name=re.compile(r"^Tijd voorstellen"))).to_be_visible()
    expect(today_badge).to_have_text(str(today_before + 1), timeout=LIVE_MS)

    # (c) An anonymous visitor joins the consultation hour.
    visitor.goto(f"{day_site}/spreekuur/{personas.organisation.consultation_code}/")
    visitor.get_by_role("button", name="In de rij voor de chat").click()
    expect(visitor.get_by_text("U bent de eerste in de rij.")).to_be_visible()
    expect(queue.get_by_role("heading", level=2)).to_have_text("Chatspreekuur: u hebt dienst (1)", timeout=LIVE_MS)
    expect(queue).to_contain_text("Bezoeker wacht sinds")
    expect(queue_badge).to_have_text("1", timeout=LIVE_MS)

    expect(worker.locator("#day-status")).to_contain_text("Nieuwe informatie. Bijgewerkt om")
    _assert_not_reloaded(worker)
    check_page(worker, "day-worker-live")

    # A change between the page load and the socket's first counts still
    # reaches the sections: the day page opens while its socket cannot
    # connect, the resident writes again, then the socket gets through.
    blocked = True

    def aandacht(socket: WebSocketRoute) -> None:
        if blocked:
            socket.close()
        else:
            socket.connect_to_server()

    worker.route_web_socket(re.compile(r"/ws/aandacht/$"), aandacht)
    worker.reload()
    requests_heading = requests.get_by_role("heading", level=2)
    expect(requests_heading).to_have_text("Verzoeken die op u wachten (2)")
    _resident_sends_a_request(resident, day_site)
    expect(requests_heading).to_have_text("Verzoeken die op u wachten (2)")
    blocked = False
    expect(requests_heading).to_have_text("Verzoeken die op u wachten (3)", timeout=LIVE_MS)
    expect(today_badge).to_have_text(str(today_before + 2))


def test_the_worker_confirms_from_the_day_by_keyboard(
    new_context: NewContext, day_site: str, personas: Personas
) -> None:
    awaiting = _awaiting_worker(personas)
    worker = _page(new_context, viewport=DESKTOP)
    resident = _page(new_context)

    _worker_opens_the_day(worker, day_site, personas, name="day-confirm")
    requests = worker.locator("#vandaag-verzoeken")
    heading = requests.get_by_role("heading", level=2)
    expect(heading).to_have_text("Verzoeken die op u wachten (1)")
    confirm = requests.get_by_role(
        "button", name=re.compile(rf"^Bevestigen \W {re.escape(personas.resident.full_name)}")
    )
    today_badge = _badge(worker, "Vandaag")
    today_before = _number(today_badge)
    counts = worker.get_by_role("navigation", name="Wat op u wacht")
    expect(counts.get_by_role("link", name=re.compile(r"verzoek(en)? wacht"))).to_have_text("1 verzoek wacht")

    # Tab reaches the button, as a keyboard user goes.
    for _ in range(80):
        worker.keyboard.press("Tab")
        if confirm.evaluate("(element) => element === document.activeElement"):
            break
    else:
        pytest.fail("80 presses of Tab did not reach the confirm button")
    requests.evaluate("(element) => { element.__kept = true; }")

    # A new request arrives while the worker is in the requests section:
    # the counts follow, the section under the focus stays as it is.
    _resident_signs_in(resident, day_site, personas, name="day-confirm-resident")
    _resident_sends_a_request(resident, day_site)
    expect(counts.get_by_role("link", name=re.compile(r"verzoek(en)? wacht"))).to_have_text(
        "2 verzoeken wachten", timeout=LIVE_MS
    )
    expect(today_badge).to_have_text(str(today_before + 1), timeout=LIVE_MS)
    expect(heading).to_have_text("Verzoeken die op u wachten (1)")
    assert requests.evaluate("(element) => element.__kept === true"), "the section under the focus was replaced"
    assert confirm.evaluate("(element) => element === document.activeElement"), "the focus was lost"

    # Enter confirms and comes back to the day, the appointment gone from
    # the requests, the new request still there; the badge one lower.
    with worker.expect_navigation():
        worker.keyboard.press("Enter")
    worker.wait_for_url(f"**{TODAY}")
    check_page(worker, "day-confirm-after")
    expect(heading).to_have_text("Verzoeken die op u wachten (1)")
    expect(requests.get_by_role("button", name=re.compile(r"^Bevestigen"))).to_have_count(0)
    expect(requests.get_by_text(REQUEST_NOTE)).to_be_visible()
    expect(today_badge).to_have_text(str(today_before))
    awaiting.refresh_from_db()
    assert awaiting.status == AppointmentStatus.CONFIRMED

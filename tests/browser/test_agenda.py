"""The worker's agenda as a week grid, on a desktop screen and on a phone:
axe-core finds nothing serious, the days stand side by side (or one under
the other on a phone), an appointment that waits for confirmation looks
tentative, and the keyboard reaches every appointment in time order."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from appointments import booking
from appointments.models import Appointment, GroupSession
from appointments.sessions import group_session_plan
from appointments.tests.factories import agree_all_kinds
from conftest import Personas
from tests.asgi_server import session_cookie
from tests.browser.helpers import check_page

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 375, "height": 812}


@dataclass(frozen=True)
class Week:
    monday: date
    confirmed: Appointment
    tentative: Appointment
    session: GroupSession


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _plan_next_week(personas: Personas) -> Week:
    """Next week: a confirmed talk on Tuesday, a video call on Wednesday
    that waits for the resident, a group session on Thursday with a phone
    call during it, and a request without a time."""
    try:
        today = timezone.localdate()
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        agree_all_kinds(resident=personas.resident, worker=personas.worker)
        talk = booking.appointment_propose(
            worker=personas.worker,
            resident=personas.resident,
            kind="face_to_face",
            starts_at=_moment(monday + timedelta(days=1), 10),
            minutes=45,
            location=personas.demo.location,
        )
        booking.appointment_confirm(appointment=talk, by=personas.resident)
        call = booking.appointment_propose(
            worker=personas.worker,
            resident=personas.resident,
            kind="video",
            starts_at=_moment(monday + timedelta(days=2), 13, 30),
            minutes=60,
            location=None,
        )
        session = group_session_plan(
            host=personas.worker,
            title="Omgaan met geld",
            description="",
            kind=GroupSession.Kind.FACE_TO_FACE,
            location=personas.demo.location,
            starts_at=_moment(monday + timedelta(days=3), 10),
            minutes=90,
            capacity=8,
        )
        booking.appointment_propose(
            worker=personas.worker,
            resident=personas.resident,
            kind="phone",
            starts_at=_moment(monday + timedelta(days=3), 11),
            minutes=30,
            location=None,
        )
        booking.appointment_request_send(
            resident=personas.resident,
            worker=personas.worker,
            kinds=["phone"],
            weekdays=[0, 4],
            parts_of_day=["morning"],
            note="Na tienen graag",
        )
        return Week(monday=monday, confirmed=talk, tentative=call, session=session)
    finally:
        connections.close_all()


@pytest.fixture
def week(personas: Personas) -> Week:
    # In a thread of its own, away from Playwright's event loop: services
    # may publish real-time events (async_to_sync) on commit.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_plan_next_week, personas).result()


def _signed_in(browser: Browser, site: str, personas: Personas, viewport: ViewportSize) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam", viewport=viewport)
    context.set_default_timeout(10_000)
    name, value = session_cookie(personas.worker).split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": site}])
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser: Browser, site: str, personas: Personas) -> Iterator[Page]:
    yield from _signed_in(browser, site, personas, DESKTOP)


@pytest.fixture
def phone(browser: Browser, site: str, personas: Personas) -> Iterator[Page]:
    yield from _signed_in(browser, site, personas, PHONE)


def test_the_week_grid_on_a_desktop_screen(desktop: Page, site: str, week: Week) -> None:
    page = desktop
    page.goto(f"{site}/werk/agenda/")
    check_page(page, "agenda-week-this-week")
    expect(page.get_by_role("heading", name="Verzoeken om een afspraak (1)")).to_be_visible()

    page.get_by_role("link", name="Volgende week").click()
    page.wait_for_url(f"**/werk/agenda/?dag={week.monday.isoformat()}")
    check_page(page, "agenda-week-grid")

    monday = page.locator(f"#dag-{week.monday.isoformat()}").bounding_box()
    tuesday = page.locator(f"#dag-{(week.monday + timedelta(days=1)).isoformat()}").bounding_box()
    assert monday is not None and tuesday is not None
    assert tuesday["y"] == monday["y"] and tuesday["x"] > monday["x"], "the days stand side by side"

    talk = page.locator("li.agenda-entry", has=page.locator(f'a[href="/afspraken/{week.confirmed.public_id}/"]'))
    call = page.locator("li.agenda-entry", has=page.locator(f'a[href="/afspraken/{week.tentative.public_id}/"]'))
    expect(call).to_contain_text("Voorlopig")
    assert call.evaluate("el => getComputedStyle(el).borderTopStyle") == "dashed"
    assert talk.evaluate("el => getComputedStyle(el).borderTopStyle") == "solid"
    talk_box, call_box = talk.bounding_box(), call.bounding_box()
    assert talk_box is not None and call_box is not None
    # 10:00-10:45 against 13:30-14:30: the longer, later one stands lower and is taller.
    assert call_box["y"] > talk_box["y"] + talk_box["height"]
    assert call_box["height"] > talk_box["height"]

    thursday = page.locator(f'section[aria-labelledby="dag-{(week.monday + timedelta(days=3)).isoformat()}"]')
    entries = thursday.locator("li.agenda-entry")
    expect(entries).to_have_count(2)
    session_box, phone_box = entries.nth(0).bounding_box(), entries.nth(1).bounding_box()
    assert session_box is not None and phone_box is not None
    assert phone_box["x"] >= session_box["x"] + session_box["width"] - 1, "overlapping entries side by side"

    # The keyboard goes day by day, in time order: the talk, the call, the session, the phone call.
    links = page.locator(".agenda-week a")
    expect(links).to_have_count(4)
    links.first.focus()
    order = [links.first.get_attribute("href")]
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.getAttribute('href')"))
    assert order[:3] == [
        f"/afspraken/{week.confirmed.public_id}/",
        f"/afspraken/{week.tentative.public_id}/",
        f"/groepsbijeenkomsten/{week.session.public_id}/",
    ]
    assert order[3] is not None and order[3].startswith("/afspraken/")
    check_page(page, "agenda-week-grid-focus")


def test_the_week_becomes_a_list_of_days_on_a_phone(phone: Page, site: str, week: Week) -> None:
    page = phone
    page.goto(f"{site}/werk/agenda/?dag={week.monday.isoformat()}")
    check_page(page, "agenda-week-phone")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen"
    monday = page.locator(f"#dag-{week.monday.isoformat()}").bounding_box()
    tuesday = page.locator(f"#dag-{(week.monday + timedelta(days=1)).isoformat()}").bounding_box()
    assert monday is not None and tuesday is not None
    assert tuesday["y"] > monday["y"], "the days stand one under the other"
    expect(page.locator(f'section[aria-labelledby="dag-{week.monday.isoformat()}"]')).to_contain_text("Geen afspraken.")
    expect(page.locator(".agenda-hours")).to_be_hidden()

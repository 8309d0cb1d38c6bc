"""The activity diary on a phone: a resident logs five activities (the last
one while the connection is down: it waits on the device and is sent when
the connection is back) and sees the week chart; the coach sees the week
only after the resident switches the diary on, and loses it on the next
request after the resident switches it off. Every page is axe-checked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from audit.models import AccessLogEntry
from conftest import Personas
from diary.models import DiaryEntry
from tests.browser.helpers import check_page, goto, sign_in_staff, sign_in_with_password

PHONE: ViewportSize = {"width": 375, "height": 812}

ACTIVITIES = [
    ("Boodschappen doen", "45", "Veel moeite", "Een beetje ontspannend"),
    ("Wandelen in het park", "30", "Weinig moeite", "Heel ontspannend"),
    ("Formulier invullen", "60", "Heel veel moeite", "Helemaal niet ontspannend"),
    ("Koffie met de buurvrouw", "90", "Heel weinig moeite", "Ontspannend"),
    ("Stofzuigen", "20", "Gewone moeite", "Redelijk ontspannend"),
]


def _phone(browser: Browser, browser_context_args: dict[str, Any]) -> BrowserContext:
    return browser.new_context(
        **browser_context_args, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )


@pytest.fixture
def phone_context(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    context = _phone(browser, browser_context_args)
    yield context
    context.close()


@pytest.fixture
def coach_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    # The coach at their desk.
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 376)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className.baseVal + e.className)"
    )
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen: {wide}"


def _fill(page: Page, what: str, minutes: str, effort: str, relaxation: str) -> None:
    page.get_by_label("Wat hebt u gedaan?").fill(what)
    page.get_by_label("Hoe lang duurde het? (in minuten)").fill(minutes)
    page.get_by_role("group", name="Hoeveel moeite kostte het?").get_by_label(effort, exact=True).check()
    page.get_by_role("group", name="Hoe ontspannend was het?").get_by_label(relaxation, exact=True).check()


def _switch_diary(page: Page, site: str, *, on: bool, name: str) -> None:
    goto(page, f"{site}/mijn/samenwerken/", name)
    label = "Zet dagboek aan" if on else "Zet dagboek uit"
    with page.expect_navigation():
        page.get_by_role("button", name=label).click()
    check_page(page, f"{name}-done")


def test_resident_logs_five_activities_and_the_coach_sees_them_only_while_shared(
    phone_context: BrowserContext, coach_page: Page, site: str, personas: Personas
) -> None:
    page = phone_context.new_page()
    page.set_default_timeout(10_000)
    resident, worker = personas.resident, personas.worker
    sign_in_with_password(page, site, username=resident.username, name="diary-resident")
    page.wait_for_url("**/mijn/")

    menu = page.locator("details.menu")
    menu.get_by_text("Menu").tap()
    menu.get_by_role("link", name="Mijn dagboek").tap()
    page.wait_for_url("**/mijn/dagboek/")
    check_page(page, "diary-empty-week")

    for number, (what, minutes, effort, relaxation) in enumerate(ACTIVITIES[:4], start=1):
        page.get_by_role("link", name="Activiteit toevoegen").first.tap()
        page.wait_for_url("**/mijn/dagboek/nieuw/")
        if number == 1:
            check_page(page, "diary-add-form")
            _fits_the_screen(page)
        _fill(page, what, minutes, effort, relaxation)
        with page.expect_navigation():
            page.get_by_role("button", name="Opslaan").tap()
        expect(page.get_by_text(f"Opgeslagen: {what}.")).to_be_visible()
    assert DiaryEntry.objects.filter(resident=resident).count() == 4

    # The fifth without a connection: it stays on the phone and is sent
    # when the connection is back, without typing it again.
    page.get_by_role("link", name="Activiteit toevoegen").first.tap()
    page.wait_for_url("**/mijn/dagboek/nieuw/")
    # The resident's own list of frequent activities fills the field.
    page.get_by_role("button", name="Wandelen in het park").tap()
    expect(page.get_by_label("Wat hebt u gedaan?")).to_have_value("Wandelen in het park")
    _fill(page, *ACTIVITIES[4])
    phone_context.set_offline(True)
    page.get_by_role("button", name="Opslaan").tap()
    expect(page.get_by_role("status").filter(has_text="Er is nu geen verbinding")).to_be_visible()
    check_page(page, "diary-offline")
    assert DiaryEntry.objects.filter(resident=resident).count() == 4
    outbox = page.evaluate("JSON.parse(localStorage.getItem('samenspraak.diary.outbox'))")
    assert len(outbox) == 1
    phone_context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_role("status").filter(has_text="is nu opgeslagen")).to_be_visible()
    assert DiaryEntry.objects.filter(resident=resident).count() == 5
    assert page.evaluate("localStorage.getItem('samenspraak.diary.outbox')") == "[]"

    goto(page, f"{site}/mijn/dagboek/", "diary-week")
    _fits_the_screen(page)
    chart = page.get_by_role("img", name="Grafiek van inspanning en ontspanning per dag")
    expect(chart).to_be_visible()
    expect(page.locator("svg.diary-svg rect[fill^='url(']").first).to_be_attached()
    # Effort 4+2+5+1+3 = 15, relaxation 2+5+1+4+3 = 15 (all today).
    expect(page.get_by_text("Deze week samen: 15 punten inspanning en 15 punten ontspanning.")).to_be_visible()
    for what, *_ in ACTIVITIES:
        expect(page.get_by_role("strong").filter(has_text=what)).to_be_visible()

    # The coach: not shared yet, so the diary is not there (404, refusal logged).
    sign_in_staff(coach_page, site, username=worker.username, name="diary-coach")
    diary_url = f"{site}/werk/inwoners/{resident.public_id}/dagboek/"
    response = coach_page.goto(diary_url)
    assert response is not None and response.status == 404
    check_page(coach_page, "diary-coach-not-shared")
    assert AccessLogEntry.objects.filter(actor=worker, subject=resident, object_type="diary", outcome="denied").exists()

    _switch_diary(page, site, on=True, name="diary-resident-share")
    response = coach_page.goto(diary_url)
    assert response is not None and response.status == 200
    check_page(coach_page, "diary-coach-week")
    expect(coach_page.get_by_role("img", name="Grafiek van inspanning en ontspanning per dag")).to_be_visible()
    expect(coach_page.get_by_role("cell", name="Wandelen in het park")).to_be_visible()
    assert AccessLogEntry.objects.filter(actor=worker, subject=resident, object_type="diary", action="view").exists()

    _switch_diary(page, site, on=False, name="diary-resident-stop")
    response = coach_page.reload()
    assert response is not None and response.status == 404
    expect(coach_page.get_by_text("Wandelen in het park")).to_have_count(0)

"""Effect measurement in the browser: the worker scores a ZRM at their desk,
signs it off and shares it; the resident fills in the self-assessment on a
phone, skips one topic and ticks "Ik praat hier liever over in een
gesprek" at one; the worker then sees both lines in the radar chart and the
tick. Every page is axe-checked (screenshots in test-results)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from conftest import Personas
from outcomes.models import Measurement
from tests.browser.helpers import check_page, goto, sign_in_staff, sign_in_with_password, submit

PHONE: ViewportSize = {"width": 375, "height": 812}


@pytest.fixture
def phone_context(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    context = browser.new_context(
        **browser_context_args, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    yield context
    context.close()


@pytest.fixture
def desk_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen"


def test_worker_and_resident_fill_in_and_the_radar_shows_both_with_the_tick(
    phone_context: BrowserContext, desk_page: Page, site: str, personas: Personas
) -> None:
    resident, worker = personas.resident, personas.worker
    progress = f"{site}/werk/inwoners/{resident.public_id}/voortgang/"

    # The worker scores the ZRM: 2 everywhere, 3 for housing.
    sign_in_staff(desk_page, site, username=worker.username, name="outcomes-worker")
    goto(desk_page, progress, "outcomes-staff-empty")
    desk_page.get_by_role("link", name="Zelfredzaamheid-Matrix (ZRM 2017) invullen").click()
    desk_page.wait_for_url("**/meten/**")
    check_page(desk_page, "outcomes-zrm-form")
    groups = desk_page.locator("fieldset.outcomes-item")
    assert groups.count() == 13
    for index in range(13):
        choice = "3: beperkt zelfredzaam" if index == 3 else "2: niet zelfredzaam"
        groups.nth(index).get_by_label(choice, exact=True).check()
    submit(desk_page, desk_page.get_by_role("button", name="Opslaan als concept"), "outcomes-zrm-draft")
    expect(desk_page.get_by_text("De meting is opgeslagen als concept")).to_be_visible()
    submit(desk_page, desk_page.get_by_role("button", name="Meting aftekenen"), "outcomes-zrm-signed")
    submit(desk_page, desk_page.get_by_role("button", name="Delen met de inwoner"), "outcomes-zrm-shared")
    expect(desk_page.get_by_text("De inwoner ziet deze meting nu.")).to_be_visible()

    # The resident on a phone: 4 everywhere, skips "Politie en justitie",
    # and would rather talk about how they feel.
    page = phone_context.new_page()
    page.set_default_timeout(10_000)
    sign_in_with_password(page, site, username=resident.username, name="outcomes-resident")
    page.wait_for_url("**/mijn/")
    page.get_by_role("link", name="Hoe gaat het met mij? Vragenlijst en voortgang").tap()
    page.wait_for_url("**/mijn/voortgang/")
    check_page(page, "outcomes-resident-progress-before")
    page.get_by_role("link", name="Vragenlijst invullen").tap()
    page.wait_for_url("**/mijn/voortgang/invullen/")
    check_page(page, "outcomes-resident-form")
    _fits_the_screen(page)
    topics = page.locator("fieldset.outcomes-resident-item")
    assert topics.count() == 13
    for index in range(12):  # the 13th, "Politie en justitie", is skipped
        topics.nth(index).get_by_label("4: Het gaat goed", exact=True).check()
    feeling = page.get_by_role("group", name=re.compile("^Hoe u zich voelt"))
    feeling.get_by_label("Ik praat hier liever over in een gesprek").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Versturen").tap()
    check_page(page, "outcomes-resident-progress-after")
    expect(page.get_by_text("Uw antwoorden zijn opgeslagen")).to_be_visible()
    # The resident sees their own line and the worker's shared ZRM.
    assert page.locator("svg.outcomes-svg path").count() >= 12 + 13
    _fits_the_screen(page)

    own = Measurement.objects.get(resident=resident, scored_by=resident)
    ticked = own.scores.filter(face_to_face_preferred=True).select_related("item")
    assert [s.item.domain for s in ticked] == ["geestelijke_gezondheid"]
    assert own.scores.get(item__domain="justitie").value is None

    # The worker sees both lines and the tick.
    goto(desk_page, progress, "outcomes-staff-radar")
    expect(desk_page.get_by_role("heading", name="De inwoner praat hier liever over in een gesprek")).to_be_visible()
    expect(desk_page.locator(".outcomes-ticks").get_by_text("Geestelijke gezondheid")).to_be_visible()
    legend = desk_page.locator(".outcomes-legend li")
    expect(legend).to_have_count(2)
    expect(legend.nth(0)).to_contain_text("ZRM, intake")
    expect(legend.nth(1)).to_contain_text("Inwoner, intake")
    dashes = desk_page.locator("svg.outcomes-svg [stroke-dasharray]")
    assert dashes.count() >= 1  # the second line is dashed, not only another colour
    table = desk_page.locator("table.outcomes-changes")
    expect(table.get_by_role("row", name=re.compile("^Geestelijke gezondheid"))).to_contain_text("ja")
    desk_page.get_by_role("link", name="Gemiddelde verandering over al mijn inwoners").click()
    desk_page.wait_for_url("**/werk/voortgang/")
    check_page(desk_page, "outcomes-caseload")
    expect(desk_page.get_by_text("Nog geen inwoners met twee afgetekende ZRM-metingen.")).to_be_visible()

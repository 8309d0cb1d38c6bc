"""On a small phone the pages fit and the menu (a <details>) opens and works."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from conftest import Personas
from tests.browser.helpers import check_page, sign_in_with_password

PHONE: ViewportSize = {"width": 375, "height": 667}


@pytest.fixture
def phone_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(
        **browser_context_args, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"page is {width}px wide on a {PHONE['width']}px screen"


def test_resident_uses_menu_on_a_phone(phone_page: Page, site: str, personas: Personas) -> None:
    page = phone_page
    sign_in_with_password(page, site, username=personas.resident.username, name="phone-resident")
    page.wait_for_url("**/mijn/")
    _fits_the_screen(page)
    check_page(page, "phone-resident-home")

    menu = page.locator("details.menu")
    who_looked = menu.get_by_role("link", name="Wie keek mee")
    expect(who_looked).to_be_hidden()
    menu.get_by_text("Menu").tap()
    expect(menu).to_have_attribute("open", "")
    expect(who_looked).to_be_visible()
    check_page(page, "phone-resident-menu-open")

    box = who_looked.bounding_box()
    assert box is not None and box["height"] >= 44, "menu links are large enough to tap"
    who_looked.tap()
    page.wait_for_url("**/mijn/wie-keek-mee/")
    _fits_the_screen(page)
    check_page(page, "phone-resident-who-looked")


def test_login_page_fits_a_phone(phone_page: Page, site: str) -> None:
    page = phone_page
    page.goto(f"{site}/accounts/login/")
    _fits_the_screen(page)
    # The warning about fraudsters is the first thing on a small screen.
    expect(page.get_by_role("heading", name="Let op: oplichters")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Inloggen", exact=True)).to_be_visible()
    check_page(page, "phone-login")

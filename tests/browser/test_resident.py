"""A resident signs in and finds their own overview, on a laptop and on a phone."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from conftest import Personas
from tests.browser.helpers import check_page, sign_in_with_password

SAFETY_TEXT = "Uw sociaal werker vraagt nooit om uw DigiD-code"


def test_resident_signs_in_with_password_and_sees_own_overview(page: Page, site: str, personas: Personas) -> None:
    sign_in_with_password(page, site, username=personas.resident.username, name="resident")
    page.wait_for_url("**/mijn/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hallo {personas.resident.first_name}")
    expect(page.locator("footer .safety-line")).to_contain_text(SAFETY_TEXT)
    expect(page.get_by_role("heading", name="Uw sociaal werker")).to_be_visible()
    expect(page.get_by_text(personas.worker.full_name)).to_be_visible()
    check_page(page, "resident-home")

    # On a wide screen the menu is shown without opening it first.
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu.get_by_text("Menu", exact=True)).to_be_hidden()
    menu.get_by_role("link", name="Wie keek mee").click()
    page.wait_for_url("**/mijn/wie-keek-mee/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie heeft uw gegevens bekeken?")
    check_page(page, "resident-who-looked")

    menu.get_by_role("link", name="Vertrouwenspersonen").click()
    page.wait_for_url("**/mijn/vertrouwenspersonen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie mag met mij meekijken?")
    expect(page.get_by_text(personas.trusted_person.full_name)).to_be_visible()
    check_page(page, "resident-trusted-persons")


def test_login_page_warns_about_fraudsters(page: Page, site: str) -> None:
    page.goto(f"{site}/accounts/login/")
    notice = page.locator("main .safety-notice")
    expect(notice.get_by_role("heading", name="Let op: oplichters")).to_be_visible()
    expect(notice).to_contain_text(SAFETY_TEXT)
    expect(page.get_by_role("button", name="Inloggen met een passkey")).to_be_visible()
    check_page(page, "login-safety-notice")


def test_display_settings_switch_on_large_text(page: Page, site: str) -> None:
    page.goto(f"{site}/weergave/")
    check_page(page, "display-settings")
    html = page.locator("html")
    expect(html).not_to_contain_class("text-large")
    page.get_by_label("Grote letters").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw keuze voor de weergave is opgeslagen.")).to_be_visible()
    expect(html).to_contain_class("text-large")
    check_page(page, "display-settings-large-text")

    # The choice is kept in a cookie: it holds on the login page too.
    page.get_by_label("Sterk contrast (zwart op wit)").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(html).to_contain_class("high-contrast")
    check_page(page, "display-settings-high-contrast")
    page.goto(f"{site}/accounts/login/")
    expect(html).to_contain_class("text-large")
    expect(html).to_contain_class("high-contrast")
    check_page(page, "login-large-text-high-contrast")

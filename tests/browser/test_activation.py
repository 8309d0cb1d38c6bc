"""A resident without email makes an account with the code from a letter."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from accounts.models import Invitation
from accounts.services import resident_invite
from conftest import Personas
from tests.browser.helpers import check_page


def test_resident_activates_account_with_letter_code_typed_loosely(page: Page, site: str, personas: Personas) -> None:
    issued = resident_invite(
        invited_by=personas.worker,
        first_name="Jan",
        last_name="Pieters",
        email="",
        phone="",
        channel=Invitation.Channel.LETTER,
    )
    # People type what they see: lower case, and spaces instead of dashes.
    typed_code = issued.secret.lower().replace("-", " ")

    page.goto(f"{site}/accounts/login/")
    check_page(page, "activation-login")
    page.get_by_role("link", name="Ik heb een brief met een code gekregen").click()
    page.wait_for_url("**/activeren/")
    check_page(page, "activation-code")
    # A code that is too short is refused in plain words, before any lookup.
    page.get_by_label("Uw code").fill("abcd efgh")
    page.get_by_role("button", name="Verder").click()
    expect(page.get_by_role("alert")).to_contain_text("Deze code klopt niet.")
    check_page(page, "activation-code-error")
    page.get_by_label("Uw code").fill(typed_code)
    page.get_by_role("button", name="Verder").click()

    page.wait_for_url("**/activeren/account/")
    expect(page.get_by_text("Welkom Jan.")).to_be_visible()
    check_page(page, "activation-choose-credentials")
    page.get_by_label("Kies een gebruikersnaam").fill("jan.pieters")
    page.get_by_label("Kies een wachtwoord").fill("mijn fiets is blauw")
    page.get_by_label("Typ het wachtwoord nog een keer").fill("mijn fiets is blauw")
    page.get_by_role("button", name="Account maken").click()

    page.wait_for_url("**/mijn/")
    expect(page.get_by_text("Uw account is klaar. Welkom bij Samenspraak!")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hallo Jan")
    expect(page.get_by_text(personas.worker.full_name)).to_be_visible()
    check_page(page, "activation-resident-home")

    issued.invitation.refresh_from_db()
    assert issued.invitation.used_at is not None
    account = issued.invitation.user
    account.refresh_from_db()
    assert account.is_active
    assert account.username == "jan.pieters"

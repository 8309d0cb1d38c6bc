"""Consents in the browser: the resident switches chat on with the text
shown, finds it on 'Mijn privacy' with its text version and withdraws it
there (one click and a confirmation); the blend page then says chat is off.
The privacy officer reads the resident's consent history. Every page is
axe-checked (screenshots in test-results)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from blend.services import channel_consent_set
from conftest import Personas
from consents.models import ConsentRecord
from tests.browser.helpers import check_page, goto, sign_in_staff, sign_in_with_password, submit

pytestmark = pytest.mark.browser


@pytest.fixture
def officer_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_resident_withdraws_chat_on_the_privacy_page_and_the_officer_sees_it(
    page: Page, officer_page: Page, site: str, personas: Personas
) -> None:
    resident = personas.resident
    channel_consent_set(resident=resident, channel="video", is_given=True, recorded_by=personas.worker)

    sign_in_with_password(page, site, username=resident.username, name="consents-resident")
    goto(page, f"{site}/mijn/samenwerken/", "consents-blend")
    expect(page.get_by_text("Ik wil chatten met mijn sociaal werker.", exact=False)).to_be_visible()
    submit(page, page.get_by_role("button", name="Zet chat aan"), "consents-chat-on")

    goto(page, f"{site}/mijn/privacy/", "consents-privacy")
    active = page.locator("#consents-active")
    expect(active).to_contain_text("Chat met uw sociaal werker")
    expect(active).to_contain_text("Tekst versie 2026-12")
    expect(active).to_contain_text("in een gesprek, vastgelegd door de sociaal werker")
    page.get_by_text("Intrekken: chat met uw sociaal werker").click()
    check_page(page, "consents-confirm")
    submit(page, page.get_by_role("button", name="Ja, trek mijn toestemming in").first, "consents-withdrawn")
    expect(page.get_by_text("U hebt uw toestemming ingetrokken", exact=False)).to_be_visible()
    expect(active).not_to_contain_text("Chat met uw sociaal werker")
    assert ConsentRecord.objects.get(subject=resident, kind="blend.chat").withdrawn_at is not None

    goto(page, f"{site}/mijn/samenwerken/", "consents-blend-after")
    expect(page.get_by_role("button", name="Zet chat aan")).to_be_visible()

    sign_in_staff(officer_page, site, username=personas.privacy_officer.username, name="consents-officer")
    officer_page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Toestemmingen").click()
    officer_page.wait_for_url("**/privacy/toestemmingen/")
    check_page(officer_page, "consents-officer-choose")
    officer_page.get_by_role("combobox", name="Inwoner").select_option(label=resident.full_name)
    submit(officer_page, officer_page.get_by_role("button", name="Toestemmingen tonen"), "consents-officer-history")
    records = officer_page.locator("#consent-records")
    expect(records).to_contain_text("Ingetrokken op")
    expect(records).to_contain_text("Beeldbellen")

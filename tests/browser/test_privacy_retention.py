"""The privacy officer's retention pages in the browser: the periods (a case
file period below the Wmo's 15 years refused, then a shorter diary period
saved), the dry run, a legal hold placed and lifted, an erasure request
carried out with the reason the case file is kept, and the destruction
register that then lists what went. Every page is axe-checked (screenshots
in test-results)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import Personas
from privacy.models import DestructionRecord, LegalHold
from privacy.services import RequestData, privacy_request_register
from privacy.tests.test_retention import closed_case, diary
from tests.browser.helpers import check_page, goto, sign_in_staff, submit

pytestmark = pytest.mark.browser


def test_officer_sets_periods_places_a_hold_and_carries_out_an_erasure(
    page: Page, site: str, personas: Personas
) -> None:
    p = personas
    now = timezone.now()
    closed_case(p.resident, p.worker, opened=now - timedelta(days=400), closed=now - timedelta(days=300))
    diary(p.resident, at=now - timedelta(days=3))
    request = privacy_request_register(
        officer=p.privacy_officer,
        data=RequestData(kind="erasure", received_on=timezone.localdate(), resident=p.resident),
    )

    sign_in_staff(page, site, username=p.privacy_officer.username, name="retention-officer")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Bewaartermijnen").click()
    page.wait_for_url("**/privacy/bewaartermijnen/")
    check_page(page, "retention-settings")

    # Below the law: refused with the legal basis, nothing stored.
    page.get_by_label("Dossier (jaar)").fill("10")
    submit(page, page.get_by_role("button", name="Bewaartermijnen opslaan"), "retention-settings-refused")
    expect(page.get_by_text("mag niet korter zijn dan de wettelijke termijn van 15 jaar", exact=False)).to_be_visible()
    page.get_by_label("Dossier (jaar)").fill("15")
    page.get_by_label("Dagboek (jaar)").fill("3")
    submit(page, page.get_by_role("button", name="Bewaartermijnen opslaan"), "retention-settings-saved")
    expect(page.get_by_text("De bewaartermijnen zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_role("cell", name="3 jaar na de laatste dag in het dagboek")).to_be_visible()

    page.get_by_role("navigation", name="Bewaren en vernietigen").get_by_role("link", name="Proefrun").click()
    page.wait_for_url("**/proefrun/")
    check_page(page, "retention-preview")

    # A legal hold on the other resident, then lifted.
    page.get_by_role("navigation", name="Bewaren en vernietigen").get_by_role("link", name="Bewaarplicht").click()
    page.wait_for_url("**/privacy/bewaarplicht/")
    check_page(page, "retention-holds")
    page.get_by_label("Inwoner").select_option(label=p.other_resident.full_name)
    submit(page, page.get_by_role("button", name="Verder"), "retention-hold-step-two")
    page.get_by_label("Reden").fill("Klacht bij de geschillencommissie")
    submit(page, page.get_by_role("button", name="Bewaarplicht vastleggen"), "retention-hold-placed")
    expect(page.get_by_text("De bewaarplicht is vastgelegd.")).to_be_visible()
    page.get_by_label("Waarom wordt de bewaarplicht opgeheven?").fill("Klacht afgehandeld")
    submit(page, page.get_by_role("button", name="Opheffen"), "retention-hold-lifted")
    expect(page.get_by_text("De bewaarplicht is opgeheven.")).to_be_visible()
    assert LegalHold.objects.get().lift_reason == "Klacht afgehandeld"

    # The erasure request: carried out, the case file kept with its reason.
    goto(page, f"{site}/privacy/verzoeken/{request.public_id}/", "retention-erasure-request")
    submit(page, page.get_by_role("button", name="Uitvoeren"), "retention-erasure-done")
    expect(page.get_by_text("De verwijdering is uitgevoerd.", exact=False)).to_be_visible()
    expect(page.locator("#erasure-report")).to_contain_text("Vernietigd: Dagboek: 1.")
    expect(page.locator("#erasure-report")).to_contain_text("wettelijke bewaartermijn tot")

    goto(page, f"{site}/privacy/vernietigd/", "retention-register")
    expect(page.get_by_role("cell", name="verzoek tot verwijdering")).to_be_visible()
    assert DestructionRecord.objects.filter(request=request).count() == 1

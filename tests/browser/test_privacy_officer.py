"""The privacy officer in the browser: a resident files an access request
from 'Mijn privacy'; the officer finds it in the queue (with the menu's
count), extends the deadline once and closes it with an outcome; then
records a breach, finds the residents a worker's account reached via the
access log, adds them and sends them a message, which the resident reads on
their privacy page. Every page is axe-checked (screenshots in test-results)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from audit.services import Access, access_log_record
from conftest import Personas
from privacy.models import Breach, BreachAffected, PrivacyRequest
from privacy.services import add_months
from tests.browser.helpers import check_page, goto, sign_in_staff, sign_in_with_password, submit

pytestmark = pytest.mark.browser

MESSAGE = "Beste inwoner, een verslag over u is per ongeluk naar de verkeerde persoon gemaild. Wij hebben gevraagd het te verwijderen."


@pytest.fixture
def resident_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_officer_handles_a_request_and_a_breach(page: Page, resident_page: Page, site: str, personas: Personas) -> None:
    resident, officer, worker = personas.resident, personas.privacy_officer, personas.worker

    # The resident asks to see their data.
    sign_in_with_password(resident_page, site, username=resident.username, name="privacy-resident")
    goto(resident_page, f"{site}/mijn/privacy/", "privacy-resident-page")
    resident_page.get_by_label("Ik wil zien welke gegevens u van mij hebt").check()
    resident_page.get_by_label("Vertel kort wat u wilt").fill("Ik wil mijn dossier en mijn berichten zien.")
    submit(resident_page, resident_page.get_by_role("button", name="Verzoek versturen"), "privacy-resident-sent")
    expect(resident_page.get_by_text("Wij hebben uw verzoek ontvangen.", exact=False)).to_be_visible()
    expect(resident_page.locator("#my-requests")).to_contain_text("Inzage (art. 15)")

    # The officer: the queue, the request, an extension, closing it.
    sign_in_staff(page, site, username=officer.username, name="privacy-officer")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Privacyverzoeken").click()
    page.wait_for_url("**/privacy/verzoeken/")
    check_page(page, "privacy-requests")
    page.get_by_role("link", name=add_months(timezone.localdate(), 1).strftime("%-d-%-m-%Y")).click()
    page.wait_for_url("**/privacy/verzoeken/*/")
    check_page(page, "privacy-request")
    item = PrivacyRequest.objects.get()
    until = add_months(item.deadline, 2)
    page.get_by_label("Nieuwe uiterste datum").fill(until.isoformat())
    page.get_by_label("Reden van verlenging").fill("Het dossier is groot; wij hebben meer tijd nodig.")
    page.get_by_label("Hoe en wanneer is de aanvrager geïnformeerd?").fill("Vandaag gebeld en een brief gestuurd.")
    submit(page, page.get_by_role("button", name="Verlengen"), "privacy-request-extended")
    expect(page.get_by_text("De termijn is verlengd tot", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Termijn verlengen")).to_have_count(0)
    page.get_by_label("Nieuwe status").select_option(label="Afgehandeld")
    page.get_by_label("Uitkomst (bij weigeren: de reden)").fill("Inzage gegeven in een gesprek op kantoor.")
    submit(page, page.get_by_role("button", name="Status opslaan"), "privacy-request-done")
    expect(page.get_by_text("De status is nu: Afgehandeld.")).to_be_visible()
    item.refresh_from_db()
    assert item.status == "done" and item.due_on == until and item.extended_at is not None

    # A breach: the worker's account was misused this morning.
    start = timezone.localtime() - timedelta(minutes=30)
    access_log_record(actor=worker, accesses=[Access(resident, "casefile", str(resident.public_id), "view")])
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Datalekken").click()
    page.wait_for_url("**/privacy/datalekken/")
    check_page(page, "privacy-breaches")
    page.get_by_role("link", name="Datalek vastleggen").click()
    page.wait_for_url("**/privacy/datalekken/nieuw/")
    check_page(page, "privacy-breach-new")
    discovered = timezone.localtime() - timedelta(hours=1)
    page.get_by_label("Ontdekt op (datum)").fill(discovered.date().isoformat())
    page.get_by_label("Ontdekt om (tijd)").fill(discovered.strftime("%H:%M"))
    page.get_by_label("Wat is er gebeurd?").fill("Iemand gebruikte het account van een medewerker.")
    page.get_by_label("Om welke gegevens gaat het?").fill("Dossiers van inwoners")
    submit(page, page.get_by_role("button", name="Vastleggen"), "privacy-breach")
    expect(page.locator("#ap-status")).to_contain_text("Nog 70 uur")

    end = timezone.localtime() + timedelta(minutes=5)
    page.get_by_label("Wie (medewerker of account)").select_option(label=f"{worker.full_name} (sociaal werker)")
    page.get_by_label("Van (datum)").fill(start.date().isoformat())
    page.get_by_label("Van (tijd)").fill(start.strftime("%H:%M"))
    page.get_by_label("Tot en met (datum)").fill(end.date().isoformat())
    page.get_by_label("Tot en met (tijd)").fill(end.strftime("%H:%M"))
    submit(page, page.get_by_role("button", name="Zoeken"), "privacy-breach-found")
    expect(page.locator("#found")).to_contain_text(resident.full_name)
    submit(page, page.get_by_role("button", name="Aangevinkte inwoners toevoegen"), "privacy-breach-affected")
    expect(page.locator("#affected")).to_contain_text("gevonden in het toegangslog")

    page.get_by_label("Uw bericht aan de betrokken inwoners").fill(MESSAGE)
    submit(page, page.get_by_role("button", name="Bericht versturen"), "privacy-breach-sent")
    expect(page.get_by_text("Het bericht is verstuurd aan 1 inwoner(s).")).to_be_visible()
    affected = BreachAffected.objects.get(breach=Breach.objects.get())
    assert affected.resident == resident and affected.informed_at is not None

    # The resident reads it on their privacy page.
    goto(resident_page, f"{site}/mijn/privacy/", "privacy-resident-message")
    expect(resident_page.locator("#breach-message")).to_contain_text("per ongeluk naar de verkeerde persoon")

"""Preparing for debt counselling, through the real pages: the resident
opens the guide their worker gave, ticks items, writes a note, uploads a
PDF (and sees a disguised program refused, the tick kept) and says they
are ready; the worker sees what is ready and moves the PDF into the case
file with one click; the organisation admin edits the guide. Every page is
axe-checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from casefiles.models import Document
from casefiles.services import case_open
from casefiles.tests.files import pdf_bytes
from conftest import Personas
from preparation.demo import demo_guide_install
from preparation.models import Preparation, PreparationDocument, PreparationItem
from preparation.services import preparation_start
from tests.browser.helpers import check_page, sign_in_staff, sign_in_with_password, sign_out

FILE_LABEL = "Document of foto toevoegen (PDF, foto, Word of Excel; kleiner dan 10 MB; mag leeg blijven)"


@pytest.fixture(autouse=True)
def _private_storage_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Uploaded documents go to a temporary folder, not var/private."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


def test_resident_prepares_for_debt_counselling_and_the_worker_moves_the_pdf_into_the_case_file(
    page: Page, site: str, personas: Personas
) -> None:
    resident, worker = personas.resident, personas.worker
    guide = demo_guide_install(admin=personas.admin)
    preparation = preparation_start(guide=guide, resident=resident, started_by=worker)
    case = case_open(resident=resident, opened_by=worker)
    items = {item.title: item for item in guide.items.all()}

    # --- The resident ---------------------------------------------------------------
    sign_in_with_password(page, site, username=resident.username, name="preparation-resident")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Voorbereiden").click()
    page.wait_for_url("**/voorbereiden/")
    check_page(page, "preparation-resident-list")
    expect(page.get_by_text("0 van 7 klaar")).to_be_visible()
    page.get_by_role("link", name="Verder met voorbereiden").click()
    page.wait_for_url(f"**/voorbereiden/{preparation.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Voorbereiden op schuldhulpverlening")
    check_page(page, "preparation-resident-guide")

    income = page.locator(f"#item-{items['Inkomen'].public_id}")
    expect(income.get_by_text("Loonstrook", exact=False)).to_be_visible()  # the B1 explanation
    income.get_by_label("Dit heb ik klaar").check()
    income.get_by_label("Notitie (mag leeg blijven)").fill("Uitkering van de gemeente, brief van januari")
    income.get_by_label(FILE_LABEL).set_input_files(
        files=FilePayload(name="uitkering.pdf", mimeType="application/pdf", buffer=pdf_bytes("Uitkering januari"))
    )
    with page.expect_navigation():
        income.get_by_role("button", name="Opslaan bij Inkomen").click()
    expect(page.get_by_text("Opgeslagen, met het document, bij 'Inkomen'.")).to_be_visible()
    expect(page.get_by_role("heading", name="1 van 7 klaar")).to_be_visible()
    check_page(page, "preparation-resident-saved")

    fixed_costs = page.locator(f"#item-{items['Vaste lasten'].public_id}")
    fixed_costs.get_by_label("Dit heb ik klaar").check()
    with page.expect_navigation():
        fixed_costs.get_by_role("button", name="Opslaan bij Vaste lasten").click()
    expect(page.get_by_role("heading", name="2 van 7 klaar")).to_be_visible()

    # A program renamed to .pdf: refused in plain Dutch, the tick stays.
    letters = page.locator(f"#item-{items['Brieven van schuldeisers'].public_id}")
    letters.get_by_label("Dit heb ik klaar").check()
    letters.get_by_label(FILE_LABEL).set_input_files(
        files=FilePayload(name="brieven.pdf", mimeType="application/pdf", buffer=b"MZ\x90\x00 not a PDF at all")
    )
    with page.expect_navigation():
        letters.get_by_role("button", name="Opslaan bij Brieven van schuldeisers").click()
    expect(page.get_by_text("Uw vinkje en notitie zijn wel opgeslagen.")).to_be_visible()
    letters = page.locator(f"#item-{items['Brieven van schuldeisers'].public_id}")
    expect(letters.get_by_text("Dit soort bestand kan niet.").first).to_be_visible()
    expect(letters.get_by_label("Dit heb ik klaar")).to_be_checked()
    check_page(page, "preparation-resident-refused")
    assert PreparationItem.objects.filter(preparation=preparation, is_done=True).count() == 3
    assert PreparationDocument.objects.filter(preparation=preparation).count() == 1

    with page.expect_navigation():
        page.get_by_role("button", name="Ik ben klaar, laat het mijn sociaal werker weten").click()
    expect(page.get_by_text("Uw sociaal werker ziet dat u klaar bent")).to_be_visible()
    check_page(page, "preparation-resident-ready")
    assert Preparation.objects.get(pk=preparation.pk).is_ready
    sign_out(page, "preparation-resident-signed-out")

    # --- The worker --------------------------------------------------------------------
    sign_in_staff(page, site, username=worker.username, name="preparation-worker")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Voorbereidingen").click()
    page.wait_for_url("**/werk/voorbereiden/")
    check_page(page, "preparation-worker-overview")
    row = page.get_by_role("row").filter(has_text=resident.full_name)
    expect(row).to_contain_text("3 van 7")
    row.get_by_role("link", name="Voorbereiden op schuldhulpverlening").click()
    page.wait_for_url(f"**/werk/voorbereiden/{preparation.public_id}/")
    expect(page.get_by_role("heading", name="3 van 7 klaar")).to_be_visible()
    income_row = page.get_by_role("row").filter(has_text="Uitkering van de gemeente")
    expect(income_row.get_by_role("link", name="uitkering.pdf")).to_be_visible()
    check_page(page, "preparation-worker-detail")

    with page.expect_navigation():
        page.get_by_role("button", name="Alle documenten naar het dossier").click()
    expect(
        page.get_by_text("1 document staat nu in het dossier, gedeeld met de inwoner: uitkering.pdf.")
    ).to_be_visible()
    expect(page.get_by_text("Alle documenten staan in het dossier.")).to_be_visible()
    check_page(page, "preparation-worker-moved")
    document = Document.objects.get(case=case)
    assert document.title == "Inkomen: uitkering.pdf" and document.is_shared

    page.goto(f"{site}/werk/inwoners/{resident.public_id}/dossier/")
    expect(page.get_by_role("link", name="Inkomen: uitkering.pdf")).to_be_visible()
    page.get_by_role("link", name="Voorbereiden", exact=True).click()
    page.wait_for_url(f"**/werk/inwoners/{resident.public_id}/voorbereiden/")
    check_page(page, "preparation-worker-resident")
    sign_out(page, "preparation-worker-signed-out")

    # --- The organisation admin ----------------------------------------------------------
    sign_in_staff(page, site, username=personas.admin.username, name="preparation-admin")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Handleidingen voorbereiden").click()
    page.wait_for_url("**/beheer/voorbereiden/")
    check_page(page, "preparation-admin-list")
    page.get_by_role("link", name="Voorbereiden op schuldhulpverlening").click()
    page.wait_for_url(f"**/beheer/voorbereiden/{guide.public_id}/")
    check_page(page, "preparation-admin-editor")
    eighth = page.get_by_role("group", name="Onderdeel 8")
    eighth.get_by_label("Wat moet de inwoner voorbereiden?").fill("Zorgverzekering")
    eighth.get_by_label("Uitleg: wat is het en waarom is het nodig?").fill(
        "De polis van uw zorgverzekering. Daarop staat hoeveel u elke maand betaalt."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("De handleiding is opgeslagen.")).to_be_visible()
    check_page(page, "preparation-admin-saved")
    assert [item.title for item in guide.items.all()][-1] == "Zorgverzekering"

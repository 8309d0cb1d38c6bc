"""Staff sign in with a password and a TOTP code, then do their work."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from accounts.models import Role, User
from audit.models import AccessLogEntry
from conftest import Personas
from tests.browser.helpers import check_page, pass_totp_step, sign_in_staff, sign_in_with_password, sign_out

RESIDENT_DETAIL_URL = re.compile(r"/werk/inwoners/[0-9a-f-]{36}/$")


def test_worker_signs_in_with_totp_and_prints_a_letter_for_a_new_resident(
    page: Page, site: str, personas: Personas
) -> None:
    sign_in_with_password(page, site, username=personas.worker.username, name="worker")
    pass_totp_step(page, name="worker")
    page.wait_for_url("**/werk/vandaag/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vandaag")
    check_page(page, "worker-day")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn inwoners").click()
    page.wait_for_url("**/werk/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn inwoners")
    expect(page.locator("body")).to_have_class("area-staff")
    check_page(page, "worker-caseload")

    # The caseload opens the resident's dossier; the breadcrumb leads on to
    # the resident's own page (account and letters).
    page.get_by_role("link", name=personas.resident.full_name).click()
    page.wait_for_url(f"**/werk/inwoners/{personas.resident.public_id}/dossier/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier van {personas.resident.full_name}")
    check_page(page, "worker-dossier")
    page.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name=personas.resident.full_name).click()
    page.wait_for_url(f"**/werk/inwoners/{personas.resident.public_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(personas.resident.full_name)
    check_page(page, "worker-resident-detail")

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Inwoner uitnodigen").click()
    page.wait_for_url("**/werk/inwoners/uitnodigen/")
    check_page(page, "worker-invite-form")
    page.get_by_label("Voornaam").fill("Truus")
    page.get_by_label("Achternaam").fill("van Leeuwen")
    page.get_by_label("Als brief met een code (ook zonder e-mail)").check()
    page.get_by_role("button", name="Account klaarzetten").click()

    page.wait_for_url(RESIDENT_DETAIL_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Truus van Leeuwen")
    expect(page.get_by_text("Druk nu de brief af")).to_be_visible()
    expect(page.get_by_text("Uitgenodigd: nog geen account gemaakt")).to_be_visible()
    check_page(page, "worker-invited-resident")
    invited = User.objects.get(first_name="Truus", last_name="van Leeuwen")
    assert invited.role == Role.RESIDENT
    assert not invited.is_active

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Nieuwe brief afdrukken (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == "activatiebrief-samenspraak.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")


def test_admin_signs_in_with_totp_and_visits_the_management_pages(page: Page, site: str, personas: Personas) -> None:
    sign_in_staff(page, site, username=personas.admin.username, name="admin")
    page.wait_for_url("**/beheer/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Beheer van {personas.organisation.name}")
    check_page(page, "admin-home")

    pages = [
        ("/beheer/organisatie/", "Naam, logo en huiskleur", "admin-organisation"),
        ("/beheer/teams/", "Teams", "admin-teams"),
        ("/beheer/locaties/", "Locaties", "admin-locations"),
        ("/beheer/gebruikers/", "Gebruikers", "admin-users"),
    ]
    for path, heading, name in pages:
        page.goto(f"{site}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        check_page(page, name)
    expect(page.get_by_role("link", name=personas.worker.full_name)).to_be_visible()


def test_privacy_officer_sees_who_looked_at_resident_data(page: Page, site: str, personas: Personas) -> None:
    # A worker opening a resident's page writes an access log line.
    sign_in_staff(page, site, username=personas.worker.username, name="privacy-worker")
    page.wait_for_url("**/werk/vandaag/")
    page.goto(f"{site}/werk/")
    check_page(page, "privacy-worker-caseload")
    page.get_by_role("link", name=personas.resident.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier van {personas.resident.full_name}")
    check_page(page, "privacy-worker-dossier")
    assert AccessLogEntry.objects.filter(subject=personas.resident, actor=personas.worker).exists()
    sign_out(page)

    sign_in_staff(page, site, username=personas.privacy_officer.username, name="privacy-officer")
    page.wait_for_url("**/privacy/toegangslog/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegangslog (NEN 7513)")
    log = page.locator("table.data-table")
    expect(log.get_by_role("cell", name=personas.resident.full_name).first).to_be_visible()
    expect(log.get_by_role("cell", name=personas.worker.full_name).first).to_be_visible()
    check_page(page, "privacy-access-log")

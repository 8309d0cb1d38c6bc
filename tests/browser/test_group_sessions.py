"""A worker plans a group session; a resident finds it in the menu and
signs up with the keyboard only. axe-core checks every page on the way."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from appointments.models import GroupSession, GroupSessionSignup
from conftest import Personas
from tests.browser.helpers import check_page, sign_in_staff, sign_in_with_password, sign_out

TITLE = "Training omgaan met geld"


def test_worker_plans_a_session_and_a_resident_signs_up_by_keyboard(page: Page, site: str, personas: Personas) -> None:
    day = timezone.localdate() + timedelta(days=7)
    sign_in_staff(page, site, username=personas.worker.username, name="sessions-worker")
    page.goto(f"{site}/groepsbijeenkomsten/")
    check_page(page, "sessions-worker-empty")
    page.get_by_role("link", name="Bijeenkomst plannen").click()
    page.wait_for_url("**/groepsbijeenkomsten/nieuw/")
    check_page(page, "session-create")

    page.get_by_label("Titel").fill(TITLE)
    page.get_by_label("Beschrijving (niet verplicht)").fill("Wat doet u als de post zich opstapelt?")
    page.get_by_role("radio", name="Op een locatie").check()
    page.get_by_label("Locatie (voor een bijeenkomst op een locatie)").select_option(label=personas.demo.location.name)
    page.get_by_label("Datum").fill(day.isoformat())
    page.get_by_label("Begintijd").fill("19:30")
    page.get_by_label("Duur in minuten (15 tot 480)").fill("90")
    page.get_by_label("Aantal plaatsen (1 tot 100)").fill("8")
    page.get_by_role("button", name="Plannen").click()

    expect(page.get_by_text("De groepsbijeenkomst is gepland.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("0 van 8 plaatsen bezet")).to_be_visible()
    check_page(page, "session-detail-worker")
    session = GroupSession.objects.get()
    assert timezone.localtime(session.starts_at).strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 19:30"
    sign_out(page)

    sign_in_with_password(page, site, username=personas.resident.username, name="sessions-resident")
    page.wait_for_url("**/mijn/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Groepsbijeenkomsten").click()
    page.wait_for_url("**/groepsbijeenkomsten/")
    expect(page.get_by_text("Nog 8 plaatsen")).to_be_visible()
    check_page(page, "sessions-resident")
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/groepsbijeenkomsten/{session.public_id}/")
    check_page(page, "session-detail-resident")

    sign_up = page.get_by_role("button", name="Aanmelden")
    for _ in range(40):
        page.keyboard.press("Tab")
        if sign_up.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the button 'Aanmelden'")
    assert sign_up.evaluate("el => getComputedStyle(el).outlineStyle") != "none"
    page.keyboard.press("Enter")

    expect(page.get_by_text("U bent aangemeld. Tot dan!")).to_be_visible()
    expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    check_page(page, "session-detail-resident-signed-up")
    assert GroupSessionSignup.objects.get(session=session, cancelled_at__isnull=True).resident == personas.resident

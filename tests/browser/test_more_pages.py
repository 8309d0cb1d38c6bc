"""The pages of availability, closing days, the consultation hour, groups
and the name residents show in groups: axe-core on each, and the visitor's
pages on a phone."""

from __future__ import annotations

from datetime import time

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from blend.services import channel_consent_set
from conftest import Personas
from messaging.consultation import hour_add
from messaging.services import conversation_group_create
from tests.browser.helpers import check_page, sign_in_staff, sign_in_with_password, sign_out


def _open_consultation_hour(personas: Personas) -> None:
    hour_add(
        organisation_id=personas.organisation.pk,
        weekday=timezone.localtime().weekday(),
        starts_at=time(0, 0),
        ends_at=time(23, 59, 59),
        on_duty=[personas.worker],
    )


def test_worker_pages_for_availability_queue_and_groups(page: Page, site: str, personas: Personas) -> None:
    channel_consent_set(resident=personas.resident, channel="chat", is_given=True, recorded_by=personas.resident)
    group = conversation_group_create(title="Training", created_by=personas.worker, residents=[personas.resident])
    _open_consultation_hour(personas)
    sign_in_staff(page, site, username=personas.worker.username, name="more-worker")

    page.goto(f"{site}/werk/beschikbaarheid/")
    page.locator("#id_tijd-weekday").select_option(label="dinsdag")
    page.locator("#id_tijd-starts_at").fill("09:00")
    page.locator("#id_tijd-ends_at").fill("12:00")
    page.get_by_label("Telefoon", exact=True).check()
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    expect(page.get_by_text("Opgeslagen.")).to_be_visible()
    check_page(page, "availability")

    for path, name in [
        ("/werk/spreekuur/", "consultation-queue"),
        ("/berichten/", "inbox-worker"),
        ("/berichten/groep/nieuw/", "group-create"),
        (f"/berichten/{group.public_id}/deelnemers/", "group-members"),
        (f"/berichten/{group.public_id}/", "group-conversation"),
    ]:
        page.goto(f"{site}{path}")
        check_page(page, name)


def test_admin_pages_for_closing_days_and_consultation_hours(page: Page, site: str, personas: Personas) -> None:
    sign_in_staff(page, site, username=personas.admin.username, name="more-admin")
    for path, name in [("/beheer/sluitingsdagen/", "closing-days"), ("/beheer/spreekuur/", "consultation-hours")]:
        page.goto(f"{site}{path}")
        check_page(page, name)


def test_resident_chooses_a_group_name_and_sees_the_chat_explanation(page: Page, site: str, personas: Personas) -> None:
    sign_in_with_password(page, site, username=personas.resident.username, name="more-resident")
    page.goto(f"{site}/mijn/naam-in-groepen/")
    check_page(page, "preferred-name")
    page.get_by_label("Uw naam in groepsgesprekken").fill("Faat")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw naam voor groepsgesprekken is opgeslagen.")).to_be_visible()

    page.goto(f"{site}/mijn/chat/")  # chat is off: how to switch it on, or call or visit
    expect(page.get_by_text("Chat staat uit.")).to_be_visible()
    check_page(page, "resident-chat-off")
    sign_out(page)


def test_an_anonymous_visitor_joins_the_queue_on_a_phone(browser: Browser, site: str, personas: Personas) -> None:
    _open_consultation_hour(personas)
    context = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, locale="nl-NL")
    phone = context.new_page()
    try:
        phone.goto(f"{site}/spreekuur/{personas.organisation.consultation_code}/")
        check_page(phone, "visitor-start")
        phone.get_by_label("Hoe mogen we u noemen? (niet verplicht)").fill("Ans")
        phone.get_by_role("button", name="In de rij voor de chat").click()
        expect(phone.get_by_text("U chat als")).to_be_visible()
        expect(phone.locator(".queue-place")).to_contain_text("U bent de eerste in de rij.")
        check_page(phone, "visitor-queue")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
    finally:
        context.close()

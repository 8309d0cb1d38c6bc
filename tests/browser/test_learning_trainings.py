"""Blended trainings: the demo resident opens "Assertiviteit: voor jezelf
opkomen", sees what is next, the materials and the modules; a second
resident signs up through the page and signs off again. The host opens the
participants with their progress; an author makes a new training. Every
page is axe-checked."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from conftest import Personas
from learning.demo import demo_learning_create, demo_training_create
from learning.models import TrainingParticipant
from tests.browser.helpers import check_page, goto, sign_in_staff, sign_in_with_password, sign_out, submit


def _demo(personas: Personas) -> object:
    demo_learning_create(organisation=personas.organisation, author=personas.admin)
    return demo_training_create(
        organisation=personas.organisation, author=personas.admin, host=personas.worker, resident=personas.resident
    )


def test_resident_sees_what_is_next_and_another_signs_up_and_off(page: Page, site: str, personas: Personas) -> None:
    training = _demo(personas)
    sign_in_with_password(page, site, username=personas.resident.username, name="training-resident")
    goto(page, f"{site}/leren/trainingen/", "training-list")
    with page.expect_navigation():
        page.get_by_role("link", name="Assertiviteit: voor jezelf opkomen").click()
    check_page(page, "training-page-participant")
    expect(page.get_by_role("heading", name="Wat is de volgende stap?")).to_be_visible()
    expect(page.get_by_role("link", name="Nee zeggen in drie stappen")).to_be_visible()
    expect(page.get_by_text("9 stappen, nog niet begonnen")).to_be_visible()
    expect(page.get_by_role("link", name="Naar de groepschat van de training")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Nee zeggen in drie stappen").click()
    check_page(page, "training-article")
    sign_out(page, "training-resident-out")

    sign_in_with_password(page, site, username=personas.other_resident.username, name="training-other")
    goto(page, f"{site}/leren/training/{training.public_id}/", "training-page-visitor")  # type: ignore[attr-defined]
    expect(page.get_by_role("link", name="Nee zeggen in drie stappen")).to_have_count(0)
    submit(page, page.get_by_role("button", name="Aanmelden voor de training"), "training-signed-up")
    expect(page.get_by_text("U bent aangemeld voor de training")).to_be_visible()
    assert TrainingParticipant.objects.filter(resident=personas.other_resident, left_at=None).exists()
    submit(page, page.get_by_role("button", name="Afmelden voor de training"), "training-signed-off")
    assert not TrainingParticipant.objects.filter(resident=personas.other_resident, left_at=None).exists()


def test_host_and_author_pages_are_accessible(page: Page, site: str, personas: Personas) -> None:
    training = _demo(personas)
    sign_in_staff(page, site, username=personas.worker.username, name="training-host")
    goto(page, f"{site}/werk/trainingen/", "training-manage-list")
    with page.expect_navigation():
        page.get_by_role("link", name="Assertiviteit: voor jezelf opkomen").click()
    check_page(page, "training-manage")
    expect(page.get_by_role("rowheader", name=personas.resident.full_name)).to_be_visible()
    expect(page.get_by_role("cell", name="nog niet begonnen")).to_be_visible()
    sign_out(page, "training-host-out")

    sign_in_staff(page, site, username=personas.admin.username, name="training-author")
    goto(page, f"{site}/werk/trainingen/nieuw/", "training-new")
    page.get_by_label("Titel").fill("Solliciteren in een groep")
    page.get_by_label("Begeleider").select_option(label=personas.worker.full_name)
    page.get_by_label("Aantal plaatsen").fill("8")
    submit(page, page.get_by_role("button", name="Opslaan"), "training-new-saved")
    expect(page.get_by_role("heading", name="Solliciteren in een groep")).to_be_visible()
    goto(page, f"{site}/werk/trainingen/{training.public_id}/wijzigen/", "training-edit")  # type: ignore[attr-defined]

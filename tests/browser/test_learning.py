"""E-learning in small steps: a resident does half of "Hoe stem ik?",
signs out, and goes on in a fresh browser (another device) at the step
where they stopped, then finishes it; they search the library and read an
article with the read-aloud buttons. An author opens the authoring pages
and starts a new version. Every page is axe-checked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from casefiles.models import TimelineEvent
from conftest import Personas
from learning.demo import demo_learning_create
from learning.models import ModuleRun
from tests.browser.helpers import check_page, goto, sign_in_staff, sign_in_with_password, sign_out, submit


@pytest.fixture
def second_device(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    context = browser.new_context(**browser_context_args)
    yield context
    context.close()


def _next(page: Page, name: str) -> None:
    submit(page, page.get_by_role("button", name="Volgende stap"), name)


def _answer(page: Page, answer: str, name: str) -> None:
    page.get_by_label(answer).check()
    submit(page, page.get_by_role("button", name="Antwoord geven"), name)


def test_resident_pauses_hoe_stem_ik_and_finishes_it_on_another_device(
    page: Page, second_device: BrowserContext, site: str, personas: Personas
) -> None:
    module = demo_learning_create(
        organisation=personas.organisation, author=personas.admin, resident=personas.resident, worker=personas.worker
    )
    resident = personas.resident
    sign_in_with_password(page, site, username=resident.username, name="learning-resident")
    goto(page, f"{site}/leren/", "learning-home")
    expect(page.get_by_text("Klaargezet door uw werker")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Hoe stem ik?").click()
    check_page(page, "learning-module-start")
    submit(page, page.get_by_role("button", name="Beginnen"), "learning-step-1")
    expect(page.get_by_text("Stap 1 van 9")).to_be_visible()
    _next(page, "learning-step-2")
    _next(page, "learning-step-3")
    _next(page, "learning-step-4")
    # A wrong answer gets a kind word, not a grade.
    _answer(page, "Nee, dat mag niet", "learning-step-4-feedback")
    expect(page.get_by_role("status").filter(has_text="Bijna!")).to_be_visible()
    expect(page.get_by_text("3 jaar is dus goed")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Volgende stap").click()
    check_page(page, "learning-step-5")
    expect(page.get_by_text("Stap 5 van 9")).to_be_visible()
    sign_out(page, "learning-signed-out")
    assert ModuleRun.objects.get(resident=resident).steps_done == 4

    # Another device: no cookies, no local storage; the place comes from the server.
    other = second_device.new_page()
    other.set_default_timeout(10_000)
    sign_in_with_password(other, site, username=resident.username, name="learning-device-2")
    goto(other, f"{site}/leren/module/{module.public_id}/", "learning-resumed")
    expect(other.get_by_text("Stap 5 van 9")).to_be_visible()
    expect(other.get_by_role("heading", name="Naar het stembureau")).to_be_visible()
    _next(other, "learning-step-6")
    expect(other.get_by_role("img", name="Tekening van een stembiljet")).to_be_visible()
    _next(other, "learning-step-7")
    _answer(other, "Ik kleur één rood vakje helemaal rood", "learning-step-7-feedback")
    expect(other.get_by_text("Precies goed!")).to_be_visible()
    with other.expect_navigation():
        other.get_by_role("link", name="Volgende stap").click()
    _next(other, "learning-step-9")
    _answer(other, "Nee, hij heeft er al 2", "learning-step-9-feedback")
    with other.expect_navigation():
        other.get_by_role("link", name="Naar het einde").click()
    check_page(other, "learning-finished")
    expect(other.get_by_role("heading", name="U hebt deze module afgerond")).to_be_visible()
    run = ModuleRun.objects.get(resident=resident)
    assert run.finished_at is not None
    assert TimelineEvent.objects.filter(resident=resident, kind="learning.module_finished").exists()

    # The library: search, an article, read aloud with the browser's own voice.
    goto(other, f"{site}/leren/bibliotheek/", "learning-library")
    other.get_by_label("Zoeken in de bibliotheek").fill("rekeningen")
    submit(other, other.get_by_role("button", name="Zoeken"), "learning-library-search")
    expect(other.get_by_role("heading", name="1 artikel gevonden")).to_be_visible()
    with other.expect_navigation():
        other.get_by_role("link", name="Hulp bij post en rekeningen").click()
    check_page(other, "learning-article")
    errors: list[str] = []
    other.on("pageerror", lambda error: errors.append(str(error)))
    if other.evaluate("'speechSynthesis' in window"):
        read = other.get_by_role("button", name="Voorlezen")
        expect(read).to_be_visible()
        read.click()
        other.get_by_role("button", name="Stoppen").click(timeout=2_000, force=True)
        assert not errors, errors
    # A browser that cannot speak shows no read-aloud buttons at all.
    second_device.add_init_script("window.SpeechSynthesisUtterance = undefined;")
    mute = second_device.new_page()
    goto(mute, other.url, "learning-article-no-speech")
    expect(mute.get_by_role("button", name="Voorlezen")).to_be_hidden()


def test_author_pages_are_accessible_and_a_new_version_leaves_published_content_alone(
    page: Page, site: str, personas: Personas
) -> None:
    module = demo_learning_create(organisation=personas.organisation, author=personas.admin)
    sign_in_staff(page, site, username=personas.admin.username, name="learning-author")
    goto(page, f"{site}/beheer/leren/", "learning-author-home")
    with page.expect_navigation():
        page.get_by_role("link", name="Hoe stem ik?").click()
    check_page(page, "learning-author-module")
    submit(page, page.get_by_role("button", name="Nieuwe versie maken"), "learning-author-draft")
    expect(page.get_by_text("U werkt aan versie 2 (concept)")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Wijzig stap Vraag: hoe stemt u?").click()
    check_page(page, "learning-author-step-question")
    goto(page, f"{site}/beheer/leren/module/{module.public_id}/stap/nieuw/?soort=image", "learning-author-step-image")
    page.get_by_label("Titel van de stap").fill("Een plaatje zonder beschrijving")
    page.get_by_label("Afbeelding (PNG of JPEG)").set_input_files(
        {"name": "a.png", "mimeType": "image/png", "buffer": _png()}
    )
    submit(page, page.get_by_role("button", name="Opslaan"), "learning-author-image-refused")
    expect(page.get_by_text("Beschrijf wat er op de afbeelding staat")).to_be_visible()
    goto(page, f"{site}/beheer/leren/bibliotheek/nieuw/", "learning-author-article-new")
    page.locator("#id_title").fill("Proefartikel")
    page.locator("#id_body_markdown").fill("Een **vet** woord.")
    submit(page, page.get_by_role("button", name="Voorbeeld bekijken"), "learning-author-article-preview")
    expect(page.locator(".learning-preview strong")).to_have_text("vet")
    submit(page, page.get_by_role("button", name="Opslaan"), "learning-author-article-saved")
    expect(page.get_by_role("heading", name="Versies")).to_be_visible()
    module.refresh_from_db()
    assert module.published_version is not None
    assert module.published_version.number == 1


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), "#1f5fa8").save(out, format="PNG")
    return out.getvalue()

"""The case file (dossier) and the blend plan, through the real pages.

The main test is the "Done when" of the case-file issue: a worker builds a
case with goals, a blend plan, one shared and one internal note; the
resident reads their own file, sees only what is shared and asks for a
correction; the worker answers it; every read is in the access log.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, FilePayload, Locator, Page, ViewportSize, expect

from accounts.models import User
from audit.models import AccessLogEntry
from blend.models import BlendAgreement, Channel, ChannelConsent
from casefiles.models import CorrectionRequest, Document, Goal, Note
from conftest import Personas
from tests.browser.helpers import check_page, sign_in_staff, sign_in_with_password, sign_out

PHONE: ViewportSize = {"width": 375, "height": 667}
MIN_TAP_HEIGHT = 44

QUESTION = "Ik krijg mijn post niet meer op orde"
GOAL = "Elke week de post samen openmaken"
STEP = "Alle brieven in één map bewaren"
AGREEMENT = "Sanne belt elke maandagochtend even"
SHARED_NOTE = "We spraken over de brieven van de energieleverancier. Er zijn drie brieven."
INTERNAL_NOTE = "Intern: navragen bij collega schuldhulp of er al een beslag loopt."
CORRECTED_NOTE = "We spraken over de brieven van de energieleverancier. Er zijn twee brieven."
CORRECTION_TEXT = "Het waren twee brieven, niet drie."
ANSWER_TEXT = "U hebt gelijk. Ik heb het aangepast."
DOCUMENT_TITLE = "Verslag eerste gesprek"

# The smallest PDF the upload check accepts: a header, one empty page, %%EOF.
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)


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


def _region(page: Page, name: str) -> Locator:
    """A <section aria-labelledby> of the dossier, found by its heading."""
    return page.get_by_role("region", name=name, exact=True)


def _exactly(label: str) -> re.Pattern[str]:
    """A label with just this text (Django adds a colon to some labels)."""
    return re.compile(rf"^{re.escape(label)}:?$")


def _open(details_owner: Locator, summary: str) -> None:
    """Open a <details> by clicking its summary, as a person would."""
    details_owner.locator("summary", has_text=summary).click()


def _logged(actor: User, subject: User, object_type: str, **filters: Any) -> int:
    return AccessLogEntry.objects.filter(
        actor=actor,
        subject=subject,
        object_type=object_type,
        action=AccessLogEntry.Action.VIEW,
        outcome=AccessLogEntry.Outcome.ALLOWED,
        **filters,
    ).count()


# --- Worker: build the case ------------------------------------------------------------


def _worker_builds_the_case(page: Page, site: str, personas: Personas) -> None:
    resident = personas.resident
    sign_in_staff(page, site, username=personas.worker.username, name="casefile-worker")
    # Staff land on their day; the caseload is one step further.
    page.wait_for_url("**/werk/vandaag/")
    page.goto(f"{site}/werk/")
    check_page(page, "casefile-worker-caseload")

    page.get_by_role("link", name=resident.full_name).click()
    page.wait_for_url(f"**/werk/inwoners/{resident.public_id}/dossier/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dossier van {resident.full_name}")
    expect(page.get_by_role("heading", name="Geen lopend dossier")).to_be_visible()
    check_page(page, "casefile-worker-no-case")

    page.get_by_role("button", name="Dossier openen").click()
    expect(page.get_by_text("Het dossier is geopend.")).to_be_visible()
    expect(page.get_by_role("heading", name="Status: lopend")).to_be_visible()
    check_page(page, "casefile-worker-opened")

    # A support question, in the resident's own words.
    questions = _region(page, "Hulpvragen")
    _open(questions, "Hulpvraag toevoegen")
    questions.get_by_label("Hulpvraag, in de woorden van de inwoner").fill(QUESTION)
    questions.get_by_label("Toelichting (niet verplicht)").fill("Er liggen veel ongeopende brieven.")
    check_page(page, "casefile-worker-question-form")
    questions.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("De hulpvraag is toegevoegd.")).to_be_visible()
    expect(_region(page, "Hulpvragen").get_by_role("heading", name=QUESTION)).to_be_visible()

    # A goal for that question, then a step for the resident.
    goals = _region(page, "Doelen")
    _open(goals, "Doel toevoegen")
    goals.get_by_label(_exactly("Doel")).fill(GOAL)
    goals.get_by_label("Bij hulpvraag").select_option(label=QUESTION)
    goals.get_by_label("Streefdatum (niet verplicht)").fill((timezone.localdate() + timedelta(days=60)).isoformat())
    check_page(page, "casefile-worker-goal-form")
    goals.get_by_role("button", name="Doel toevoegen").click()
    expect(page.get_by_text("Het doel is toegevoegd.")).to_be_visible()

    goal_item = _region(page, "Doelen").locator(".item", has=page.get_by_role("heading", name=GOAL))
    _open(goal_item, "Stap toevoegen of status wijzigen")
    goal_item.get_by_label(_exactly("Stap")).fill(STEP)
    goal_item.get_by_label("Wie doet dit?").select_option(label="inwoner")
    check_page(page, "casefile-worker-step-form")
    goal_item.get_by_role("button", name="Stap toevoegen").click()
    expect(page.get_by_text("De stap is toegevoegd.")).to_be_visible()
    expect(_region(page, "Doelen").get_by_role("button", name=f"Afvinken: {STEP}")).to_be_visible()

    # An agreement.
    agreements = _region(page, "Gemaakte afspraken")
    _open(agreements, "Afspraak toevoegen")
    agreements.get_by_label(_exactly("Afspraak")).fill(AGREEMENT)
    agreements.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("De afspraak is toegevoegd.")).to_be_visible()

    # One note shared with the resident, one kept internal. With no notes
    # yet the form is open.
    notes = _region(page, "Notities")
    notes.get_by_label(_exactly("Notitie")).fill(SHARED_NOTE)
    visibility = notes.get_by_role("group", name="Wie mag deze notitie lezen?")
    visibility.get_by_label("Ook de inwoner (gedeeld)").check()
    check_page(page, "casefile-worker-note-form")
    notes.get_by_role("button", name="Notitie opslaan").click()
    expect(page.get_by_text("De notitie is opgeslagen en gedeeld met de inwoner.")).to_be_visible()

    notes = _region(page, "Notities")
    _open(notes, "Notitie schrijven")
    notes.get_by_label(_exactly("Notitie")).fill(INTERNAL_NOTE)
    notes.get_by_role("group", name="Wie mag deze notitie lezen?").get_by_label("Alleen medewerkers (intern)").check()
    notes.get_by_role("button", name="Notitie opslaan").click()
    expect(page.get_by_text("De interne notitie is opgeslagen. De inwoner ziet haar niet.")).to_be_visible()
    notes = _region(page, "Notities")
    expect(notes.locator("article", has_text=SHARED_NOTE).get_by_text("Gedeeld met inwoner")).to_be_visible()
    expect(notes.locator("article", has_text=INTERNAL_NOTE).get_by_text("Intern", exact=True)).to_be_visible()

    # A small PDF, shared with the resident.
    documents = _region(page, "Documenten")
    _open(documents, "Document toevoegen")
    documents.get_by_label("Naam van het document").fill(DOCUMENT_TITLE)
    documents.get_by_label("Bestand (PDF, foto, Word of Excel; kleiner dan 10 MB)").set_input_files(
        files=FilePayload(name="verslag.pdf", mimeType="application/pdf", buffer=PDF_BYTES)
    )
    documents.get_by_role("group", name="Wie mag dit document zien?").get_by_label("Ook de inwoner (gedeeld)").check()
    check_page(page, "casefile-worker-document-form")
    documents.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("Het document is toegevoegd.")).to_be_visible()
    expect(_region(page, "Documenten").get_by_role("link", name=DOCUMENT_TITLE)).to_be_visible()
    check_page(page, "casefile-worker-dossier")

    # The blend plan: video and chat besides face-to-face, consent for chat.
    page.get_by_role("link", name="Zo werken we samen").click()
    page.wait_for_url(f"**/werk/inwoners/{resident.public_id}/samenwerken/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Zo werken we samen: {resident.full_name}")
    check_page(page, "casefile-worker-blend")
    whole_case = page.get_by_role("group", name="Voor het hele traject, naast een gesprek op een locatie")
    whole_case.get_by_label("Beeldbellen").check()
    whole_case.get_by_label("Chat", exact=True).check()
    page.get_by_role("group", name="De inwoner geeft toestemming voor deze online manieren").get_by_label(
        "Chat", exact=True
    ).check()
    review_date = timezone.localdate() + timedelta(days=42)
    page.get_by_label("Samen opnieuw bekijken op").fill(review_date.isoformat())
    page.get_by_role("button", name="Plan opslaan").click()
    expect(page.get_by_text("Het plan is opgeslagen.")).to_be_visible()
    expect(whole_case.get_by_label("Beeldbellen")).to_be_checked()
    check_page(page, "casefile-worker-blend-saved")
    sign_out(page)


# --- Resident: read, download, ask for a correction ----------------------------------------


def _resident_reads_and_asks_for_a_correction(page: Page, site: str, personas: Personas) -> None:
    sign_in_with_password(page, site, username=personas.resident.username, name="casefile-resident")
    page.wait_for_url("**/mijn/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn dossier").click()
    page.wait_for_url("**/mijn/dossier/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn dossier")

    expect(page.get_by_text(SHARED_NOTE)).to_be_visible()
    expect(page.get_by_text(INTERNAL_NOTE)).to_have_count(0)
    assert INTERNAL_NOTE not in page.content()
    assert "Interne notitie" not in page.content()
    expect(_region(page, "Mijn doelen").get_by_role("heading", name=GOAL)).to_be_visible()
    expect(_region(page, "Mijn doelen").get_by_text(STEP)).to_be_visible()
    expect(_region(page, "Gemaakte afspraken").get_by_text(AGREEMENT)).to_be_visible()
    check_page(page, "casefile-resident-dossier")

    with page.expect_download() as download_info:
        _region(page, "Documenten").get_by_role("link", name=DOCUMENT_TITLE).click()
    assert Path(download_info.value.path()).read_bytes() == PDF_BYTES

    note = _region(page, "Notities van uw sociaal werker").locator("article", has_text=SHARED_NOTE)
    _open(note, "Reageren of om correctie vragen")
    check_page(page, "casefile-resident-note-actions")
    note.get_by_role("link", name="Klopt dit niet? Vraag om een correctie").click()
    page.wait_for_url(re.compile(r"/mijn/dossier/note/[0-9a-f-]{36}/correctie/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vraag om een correctie")
    expect(page.get_by_text(SHARED_NOTE)).to_be_visible()
    check_page(page, "casefile-resident-correction-form")
    page.get_by_label("Wat klopt er niet, en wat moet het zijn?").fill(CORRECTION_TEXT)
    page.get_by_role("button", name="Versturen").click()

    page.wait_for_url("**/mijn/dossier/")
    expect(page.get_by_text("Uw vraag om correctie is verstuurd.")).to_be_visible()
    note = _region(page, "Notities van uw sociaal werker").locator("article", has_text=SHARED_NOTE)
    expect(note.get_by_text(CORRECTION_TEXT)).to_be_visible()
    expect(note.get_by_text("Uw sociaal werker kijkt ernaar. U krijgt antwoord.")).to_be_visible()
    check_page(page, "casefile-resident-correction-sent")

    page.get_by_role("link", name="Zo werken we samen").click()
    page.wait_for_url("**/mijn/samenwerken/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Zo werken we samen")
    agreed = page.locator(".card", has=page.get_by_role("heading", name="Wat we hebben afgesproken"))
    expect(agreed.get_by_role("listitem").filter(has_text="Beeldbellen")).to_be_visible()
    expect(agreed.get_by_role("listitem").filter(has_text="Chat")).to_be_visible()
    expect(agreed.get_by_text("We bekijken dit samen opnieuw op")).to_be_visible()
    expect(page.get_by_text("Chat: aan")).to_be_visible()
    expect(page.get_by_text("Beeldbellen: uit")).to_be_visible()
    check_page(page, "casefile-resident-blend")
    sign_out(page)


# --- Worker: answer the correction ---------------------------------------------------------


def _worker_answers_the_correction(page: Page, site: str, personas: Personas) -> None:
    resident = personas.resident
    sign_in_staff(page, site, username=personas.worker.username, name="casefile-worker-again")
    # Staff land on their day; the caseload is one step further.
    page.wait_for_url("**/werk/vandaag/")
    page.goto(f"{site}/werk/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=resident.full_name))
    # Columns: name, review date, open corrections, new from resident, ...
    expect(row.get_by_role("cell").nth(2)).to_have_text("1")
    check_page(page, "casefile-worker-caseload-correction")

    row.get_by_role("link", name=resident.full_name).click()
    page.wait_for_url(f"**/werk/inwoners/{resident.public_id}/dossier/")
    waiting = _region(page, "1 vraag om correctie wacht op antwoord")
    expect(waiting).to_be_visible()
    check_page(page, "casefile-worker-dossier-correction")
    waiting.get_by_role("link", name=re.compile(CORRECTION_TEXT)).click()

    page.wait_for_url(re.compile(r"/werk/correcties/[0-9a-f-]{36}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vraag om correctie beantwoorden")
    expect(page.get_by_text(CORRECTION_TEXT)).to_be_visible()
    check_page(page, "casefile-worker-correction-answer")
    page.get_by_role("group", name="Besluit").get_by_label("Ik pas het aan").check()
    page.get_by_label("Antwoord aan de inwoner").fill(ANSWER_TEXT)
    corrected = page.get_by_label("Verbeterde tekst van de notitie (alleen bij aanpassen)")
    expect(corrected).to_have_value(SHARED_NOTE)
    corrected.fill(CORRECTED_NOTE)
    page.get_by_role("button", name="Antwoord opslaan").click()

    page.wait_for_url(f"**/werk/inwoners/{resident.public_id}/dossier/")
    expect(page.get_by_text("Uw antwoord is opgeslagen.")).to_be_visible()
    expect(page.get_by_text("vraag om correctie wacht op antwoord")).to_have_count(0)
    expect(_region(page, "Notities").get_by_text(CORRECTED_NOTE)).to_be_visible()
    check_page(page, "casefile-worker-correction-answered")
    sign_out(page)


def _resident_sees_the_answer(page: Page, site: str, personas: Personas) -> None:
    sign_in_with_password(page, site, username=personas.resident.username, name="casefile-resident-again")
    page.wait_for_url("**/mijn/")
    page.goto(f"{site}/mijn/dossier/")
    note = _region(page, "Notities van uw sociaal werker").locator("article", has_text=CORRECTED_NOTE)
    expect(note).to_be_visible()
    expect(note.get_by_text(CORRECTION_TEXT)).to_be_visible()
    expect(note.get_by_text(f"Aangepast: {ANSWER_TEXT}")).to_be_visible()
    expect(page.get_by_text(INTERNAL_NOTE)).to_have_count(0)
    check_page(page, "casefile-resident-answer")


def test_worker_and_resident_work_in_the_case_file_and_every_read_is_logged(
    page: Page, site: str, personas: Personas
) -> None:
    worker, resident = personas.worker, personas.resident
    _worker_builds_the_case(page, site, personas)

    shared_note = Note.objects.get(case__resident=resident, body=SHARED_NOTE)
    internal_note = Note.objects.get(case__resident=resident, body=INTERNAL_NOTE)
    assert shared_note.is_shared and not internal_note.is_shared
    goal = Goal.objects.get(case__resident=resident, title=GOAL)
    assert goal.question is not None and goal.question.title == QUESTION
    assert [a.description for a in goal.actions.all()] == [STEP]
    document = Document.objects.get(case__resident=resident, title=DOCUMENT_TITLE)
    assert document.is_shared and document.content_type == "application/pdf"
    plan_channels = set(
        BlendAgreement.objects.filter(plan__resident=resident, goal__isnull=True).values_list("channel", flat=True)
    )
    assert {Channel.VIDEO, Channel.CHAT} <= plan_channels
    assert resident.blend_plan.review_date is not None
    chat_consent = ChannelConsent.objects.filter(resident=resident, channel=Channel.CHAT).first()
    assert chat_consent is not None and chat_consent.is_given

    _resident_reads_and_asks_for_a_correction(page, site, personas)
    correction = CorrectionRequest.objects.get(item_public_id=shared_note.public_id)
    assert correction.status == CorrectionRequest.Status.OPEN
    assert correction.requested_by == resident

    _worker_answers_the_correction(page, site, personas)
    correction.refresh_from_db()
    shared_note.refresh_from_db()
    assert correction.status == CorrectionRequest.Status.ACCEPTED
    assert correction.answered_by == worker and correction.answer_text == ANSWER_TEXT
    assert shared_note.body == CORRECTED_NOTE

    _resident_sees_the_answer(page, site, personas)

    # Every read is in the access log, as allowed.
    assert _logged(worker, resident, "casefile") >= 2, "the worker opened the dossier twice"
    assert _logged(worker, resident, "blend_plan") >= 1
    assert _logged(worker, resident, "correctionrequest", object_id=str(correction.public_id)) >= 1
    assert _logged(resident, resident, "casefile") >= 2, "the resident opened their dossier twice"
    assert _logged(resident, resident, "document", object_id=str(document.public_id)) == 1
    assert _logged(resident, resident, "note", object_id=str(shared_note.public_id)) >= 1
    assert _logged(resident, resident, "blend_plan") >= 1
    # The resident never read the internal note, not even by a refused try.
    assert not AccessLogEntry.objects.filter(actor=resident, object_id=str(internal_note.public_id)).exists()
    assert not AccessLogEntry.objects.filter(actor=resident, outcome=AccessLogEntry.Outcome.DENIED).exists()


# --- The resident's pages on a phone, and by keyboard -----------------------------------------


@pytest.fixture
def resident_with_case_file(personas: Personas) -> Personas:
    """The demo case file (goals, notes, a document, a blend plan with chat
    consent), written through the services as ``make run`` does."""
    from casefiles.demo import demo_casefile_create

    demo_casefile_create(resident=personas.resident, worker=personas.worker)
    return personas


@pytest.fixture
def phone_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(
        **browser_context_args, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _fits_a_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def _small_tap_targets(page: Page) -> list[str]:
    """Visible links, buttons and summaries lower than 44px. (Content of a
    closed <details> is not visible.)"""
    return page.evaluate(
        """(minimum) => [...document.querySelectorAll('main a, main button, main summary, footer a, footer button')]
            .filter((el) => el.checkVisibility())
            .map((el) => [el, el.getBoundingClientRect()])
            .filter(([el, box]) => box.height > 0 && box.height < minimum)
            .map(([el, box]) => `${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 50)}" `
                + `is ${Math.round(box.height)}px high`)""",
        MIN_TAP_HEIGHT,
    )


def test_resident_pages_fit_a_phone(phone_page: Page, site: str, resident_with_case_file: Personas) -> None:
    page = phone_page
    personas = resident_with_case_file
    sign_in_with_password(page, site, username=personas.resident.username, name="casefile-phone")
    page.wait_for_url("**/mijn/")

    page.goto(f"{site}/mijn/dossier/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn dossier")
    expect(page.get_by_text("Intern: overleg met collega")).to_have_count(0)
    # Open the reactions of the shared note, so its controls are measured too.
    note = _region(page, "Notities van uw sociaal werker").locator("article").first
    note.locator("summary").tap()
    expect(note.get_by_role("link", name="Klopt dit niet? Vraag om een correctie")).to_be_visible()
    _fits_a_phone(page)
    assert _small_tap_targets(page) == []
    check_page(page, "casefile-phone-dossier")

    note.get_by_role("link", name="Klopt dit niet? Vraag om een correctie").tap()
    page.wait_for_url(re.compile(r"/mijn/dossier/note/[0-9a-f-]{36}/correctie/$"))
    _fits_a_phone(page)
    assert _small_tap_targets(page) == []
    check_page(page, "casefile-phone-correction-form")
    page.get_by_role("link", name="Terug naar mijn dossier").tap()
    page.wait_for_url("**/mijn/dossier/")

    page.get_by_role("link", name="Zo werken we samen").tap()
    page.wait_for_url("**/mijn/samenwerken/")
    expect(page.get_by_role("button", name="Zet chat uit")).to_be_visible()
    _fits_a_phone(page)
    assert _small_tap_targets(page) == []
    check_page(page, "casefile-phone-blend")


def test_resident_switches_chat_off_with_the_keyboard_only(
    page: Page, site: str, resident_with_case_file: Personas
) -> None:
    resident = resident_with_case_file.resident
    sign_in_with_password(page, site, username=resident.username, name="casefile-keyboard")
    page.wait_for_url("**/mijn/")
    page.goto(f"{site}/mijn/samenwerken/")
    expect(page.get_by_text("Chat: aan")).to_be_visible()
    check_page(page, "casefile-keyboard-blend")

    switch_off = page.get_by_role("button", name="Zet chat uit")
    for _ in range(40):
        page.keyboard.press("Tab")
        if switch_off.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the button 'Zet chat uit'")
    # The focus is visible: the outline of :focus-visible is drawn.
    outline = switch_off.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")

    page.wait_for_url("**/mijn/samenwerken/")
    expect(page.get_by_text("U hebt uw toestemming voor chat ingetrokken.")).to_be_visible()
    expect(page.get_by_text("Chat: uit")).to_be_visible()
    expect(page.get_by_role("button", name="Zet chat aan")).to_be_visible()
    check_page(page, "casefile-keyboard-chat-off")
    latest = ChannelConsent.objects.filter(resident=resident, channel=Channel.CHAT).first()
    assert latest is not None and not latest.is_given and latest.recorded_by == resident

"""The experience survey and "liever in een gesprek" in the browser: the
resident finds the survey as a calm card on their home page, answers the
three questions with big choices and gets a fixed thank-you; they mark a
goal "liever in een gesprek" on their file; the worker sees it on the day
page and the file; the organisation admin reads the results per channel
(table and bars, "te weinig antwoorden" below ten). Every page axe-checked."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from casefiles import services as casefile_services
from conftest import Personas
from feedback.models import Channel
from feedback.tests.test_feedback import answered, offered
from tests.browser.helpers import (
    SCREENSHOT_DIR,
    check_page,
    goto,
    sign_in_staff,
    sign_in_with_password,
    sign_out,
    submit,
)


def test_resident_answers_the_survey_and_marks_a_goal_and_staff_see_the_results(
    page: Page, site: str, personas: Personas
) -> None:
    answered(personas.other_resident, 10, channel=Channel.PHONE, remark="Fijn dat ik kon bellen")
    offered(personas.resident, now=timezone.now() - timedelta(hours=1), channel=Channel.VIDEO)
    case = casefile_services.case_open(resident=personas.resident, opened_by=personas.worker)
    casefile_services.goal_add(
        case=case, title="Schulden op orde", description="", question=None, target_date=None, added_by=personas.worker
    )

    sign_in_with_password(page, site, username=personas.resident.username, name="feedback-resident")
    expect(page.get_by_role("heading", name="Hoe was uw contact met ons?")).to_be_visible()
    page.get_by_role("link", name="Vragen beantwoorden").click()
    page.wait_for_url("**/mijn/ervaring/**")
    check_page(page, "feedback-survey")
    # A missing answer: a plain message, nothing saved.
    submit(page, page.get_by_role("button", name="Antwoorden versturen"), "feedback-survey-incomplete")
    expect(page.get_by_text("Kies bij vraag 1 hoe het contact was.").first).to_be_visible()
    page.get_by_label("Goed", exact=True).check()
    page.get_by_label("Ja", exact=True).check()
    page.get_by_label("3. Wilt u nog iets zeggen? (mag leeg blijven)").fill("Het beeld was soms weg.")
    submit(page, page.get_by_role("button", name="Antwoorden versturen"), "feedback-thanks")
    expect(page.get_by_role("heading", name="Uw antwoorden zijn bewaard")).to_be_visible()
    expect(page.get_by_text("U krijgt hier geen antwoord op.").first).to_be_visible()

    goto(page, f"{site}/mijn/dossier/", "feedback-resident-file")
    submit(
        page,
        page.get_by_role("button", name="Hierover praat ik liever in een gesprek: Schulden op orde"),
        "feedback-resident-file-marked",
    )
    expect(page.get_by_text("Uw sociaal werker ziet dat u hier liever in een gesprek over praat.")).to_be_visible()
    goto(page, f"{site}/mijn/ervaring/instellingen/", "feedback-preference")
    sign_out(page, "feedback-resident-signed-out")

    sign_in_staff(page, site, username=personas.worker.username, name="feedback-worker")
    goto(page, f"{site}/werk/vandaag/", "feedback-worker-day")
    expect(page.get_by_role("heading", name="Liever in een gesprek (1)")).to_be_visible()
    goto(page, f"{site}/werk/inwoners/{personas.resident.public_id}/dossier/", "feedback-worker-file")
    expect(page.locator(".talk-wish").first).to_be_visible()
    goto(page, f"{site}/werk/inwoners/{personas.resident.public_id}/samenwerken/", "feedback-worker-blend")
    expect(page.get_by_role("listitem").filter(has_text="Doel: Schulden op orde")).to_be_visible()
    sign_out(page, "feedback-worker-signed-out")

    sign_in_staff(page, site, username=personas.admin.username, name="feedback-admin")
    page.get_by_role("link", name="Ervaringen", exact=True).first.click()
    page.wait_for_url("**/ervaringen/")
    check_page(page, "feedback-results")
    expect(page.get_by_role("rowheader", name="Telefoon")).to_be_visible()
    expect(page.get_by_text("te weinig antwoorden").first).to_be_visible()
    expect(page.get_by_text("Fijn dat ik kon bellen").first).to_be_visible()
    expect(page.get_by_text("Het beeld was soms weg.")).to_have_count(0)
    page.locator("figure.feedback-chart").screenshot(path=str(SCREENSHOT_DIR / "feedback-chart-admin.png"))

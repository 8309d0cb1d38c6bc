"""The questionnaire builder in the browser: the organisation admin makes a
questionnaire with a scale, a choice and an open question and publishes
it; the resident fills it in on a phone with the "liever in een gesprek"
tick; the team lead looks at the team's distribution per domain (the
stacked-bar chart is saved as its own screenshot). Every page is
axe-checked (screenshots in test-results)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django.utils.text import slugify
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from accounts.models import Role, User
from conftest import Personas
from organisations.services import caseload_assign
from outcomes.models import InstrumentVersion, Measurement
from outcomes.services import ScoreInput, measurement_record, measurement_sign_off
from tests.browser.helpers import SCREENSHOT_DIR, check_page, goto, sign_in_staff, sign_in_with_password, submit

PHONE: ViewportSize = {"width": 375, "height": 812}


@pytest.fixture
def phone_context(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[BrowserContext]:
    context = browser.new_context(
        **browser_context_args, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2
    )
    yield context
    context.close()


@pytest.fixture
def desk_page(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _add_question(page: Page, *, label: str, kind: str, options: str = "", max_length: str = "") -> None:
    form = page.locator("form", has=page.get_by_role("heading", name="Vraag toevoegen"))
    form.get_by_label("Vraag (zoals de medewerker hem leest)").fill(label)
    form.get_by_label(kind).check()
    if options:
        form.get_by_label("Antwoorden (bij een schaal of keuze)").fill(options)
    if max_length:
        form.get_by_label("Hoeveel tekens mag een open antwoord hebben?").fill(max_length)
    submit(page, form.get_by_role("button", name="Vraag toevoegen"), f"outcomes-builder-question-{slugify(label)}")
    expect(page.get_by_text("De vraag is toegevoegd.")).to_be_visible()


def test_admin_builds_a_questionnaire_and_the_resident_fills_it_in(
    phone_context: BrowserContext, desk_page: Page, site: str, personas: Personas
) -> None:
    sign_in_staff(desk_page, site, username=personas.admin.username, name="outcomes-builder-admin")
    goto(desk_page, f"{site}/beheer/", "outcomes-builder-admin-home")
    desk_page.get_by_role("link", name="Vragenlijsten maken en beheren").click()
    desk_page.wait_for_url("**/beheer/vragenlijsten/")
    check_page(desk_page, "outcomes-builder-list")
    desk_page.get_by_label("Naam van de vragenlijst").fill("Tevredenheid over de hulp")
    desk_page.get_by_label("Allebei: de inwoner of de medewerker").check()
    desk_page.get_by_label("Hoeveel dagen blijft een meting geldig?").fill("90")
    submit(desk_page, desk_page.get_by_role("button", name="Vragenlijst maken"), "outcomes-builder-draft")
    expect(desk_page.get_by_role("heading", name="Tevredenheid over de hulp, versie 1")).to_be_visible()

    _add_question(
        desk_page,
        label="Hoe tevreden bent u?",
        kind="Schaal: een score met een woord bij elk punt",
        options="Niet tevreden\nGaat wel\nTevreden\nHeel tevreden",
    )
    _add_question(
        desk_page,
        label="Hoe vaak contact?",
        kind="Keuze: één antwoord uit een lijst",
        options="Te weinig\nGoed\nTe vaak",
    )
    _add_question(desk_page, label="Wat kan beter?", kind="Open antwoord: de invuller schrijft zelf", max_length="300")
    # A bad question: one answer only. Refused in plain Dutch.
    form = desk_page.locator("form", has=desk_page.get_by_role("heading", name="Vraag toevoegen"))
    form.get_by_label("Vraag (zoals de medewerker hem leest)").fill("Fout")
    form.get_by_label("Keuze: één antwoord uit een lijst").check()
    form.get_by_label("Antwoorden (bij een schaal of keuze)").fill("Alleen ja")
    submit(desk_page, form.get_by_role("button", name="Vraag toevoegen"), "outcomes-builder-refused")
    expect(desk_page.locator("#id_options_error")).to_have_text("Geef 2 tot 10 antwoorden, elk op een eigen regel.")
    submit(desk_page, desk_page.get_by_role("button", name="Publiceren"), "outcomes-builder-published")
    expect(desk_page.get_by_text("De vragenlijst is gepubliceerd.")).to_be_visible()

    # The resident on a phone: a tick at the choice, an open answer.
    page = phone_context.new_page()
    page.set_default_timeout(10_000)
    sign_in_with_password(page, site, username=personas.resident.username, name="outcomes-builder-resident")
    goto(page, f"{site}/mijn/voortgang/", "outcomes-builder-resident-progress")
    page.get_by_role("link", name="Tevredenheid over de hulp invullen").tap()
    page.wait_for_url("**/mijn/voortgang/vragenlijsten/**")
    check_page(page, "outcomes-builder-resident-form")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    questions = page.locator("fieldset.outcomes-resident-item")
    expect(questions).to_have_count(3)
    questions.nth(0).get_by_label("3: Tevreden", exact=True).check()
    questions.nth(1).get_by_label("Ik praat hier liever over in een gesprek").check()
    questions.nth(2).get_by_label("Uw antwoord").fill("Vaker 's avonds bellen.")
    with page.expect_navigation():
        page.get_by_role("button", name="Versturen").tap()
    check_page(page, "outcomes-builder-resident-sent")
    expect(page.get_by_text("Uw antwoorden zijn opgeslagen")).to_be_visible()

    measurement = Measurement.objects.get(version__instrument__name="Tevredenheid over de hulp")
    answers = {s.item.order: (s.value, s.text, s.face_to_face_preferred) for s in measurement.scores.all()}
    assert answers == {1: (3, "", False), 2: (None, "", True), 3: (None, "Vaker 's avonds bellen.", False)}


def _value(number: int, order: int, *, latest: bool) -> int:
    if not latest:
        return 1 + number % 2
    return 1 if number < 4 else 2 + (number + order) % 3


def _team_with_zrms(personas: Personas, count: int) -> None:
    version = InstrumentVersion.objects.get(instrument__code="zrm-2017", instrument__organisation=None)
    items = list(version.items.all())
    for number in range(count):
        resident = User.objects.create_user(
            username=f"verdeling-{number}",
            password=None,
            role=Role.RESIDENT,
            organisation=personas.organisation,
            first_name="Verdeling",
            last_name=str(number),
        )
        caseload_assign(resident=resident, worker=personas.team_worker, assigned_by=personas.admin)
        # The latest: ten each at 2, 3 and 4 (by domain), four at 1 (fewer than 10).
        for days_ago, latest in ((40, False), (0, True)):
            measurement = measurement_record(
                resident=resident,
                version=version,
                moment="intake",
                measured_on=timezone.localdate() - timedelta(days=days_ago),
                scored_by=personas.team_worker,
                scores={item.pk: ScoreInput(_value(number, item.order, latest=latest)) for item in items},
            )
            measurement_sign_off(measurement=measurement, signed_off_by=personas.team_worker)


def test_the_team_lead_sees_the_distribution_chart_with_its_table(
    desk_page: Page, site: str, personas: Personas
) -> None:
    _team_with_zrms(personas, 34)

    sign_in_staff(desk_page, site, username=personas.team_lead.username, name="outcomes-distribution-lead")
    goto(desk_page, f"{site}/werk/voortgang/", "outcomes-distribution")
    expect(desk_page.get_by_role("heading", name="Voortgang van de inwoners van mijn team")).to_be_visible()
    chart = desk_page.locator("figure.outcomes-distribution")
    expect(chart.get_by_role("img")).to_be_visible()
    chart.screenshot(path=str(SCREENSHOT_DIR / "outcomes-distribution-chart.png"))
    table = desk_page.locator("table.outcomes-distribution-table")
    expect(table.get_by_role("row")).to_have_count(14)
    expect(table).to_contain_text("minder dan 10")
    expect(desk_page.get_by_text("Verdeling 1", exact=True)).to_have_count(0)
    desk_page.get_by_role("link", name="Voortgang van de inwoners van de organisatie").click()
    desk_page.wait_for_url("**niveau=organisatie")
    check_page(desk_page, "outcomes-distribution-organisation")

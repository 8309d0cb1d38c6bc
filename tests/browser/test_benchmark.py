"""The benchmark in the browser: the organisation admin opens the
dashboard (own organisation against the group, bar charts with their
tables), chooses to be named, and the researcher opens the group view.
Every page is axe-checked; the charts are saved as screenshots in
test-results/screenshots (benchmark-chart-*.png)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from benchmark.tests.builders import personas_published
from conftest import Personas
from tests.browser.helpers import SCREENSHOT_DIR, check_page, goto, sign_in_staff, sign_out, submit


def test_admin_dashboard_and_researcher_view_pass_axe_and_show_the_charts(
    page: Page, site: str, personas: Personas
) -> None:
    personas_published(personas, size=12)

    sign_in_staff(page, site, username=personas.admin.username, name="benchmark-admin")
    page.get_by_role("link", name="Benchmark", exact=True).first.click()
    page.wait_for_url("**/benchmark/")
    check_page(page, "benchmark-admin-dashboard")
    expect(page.get_by_role("heading", name="Benchmark van het 2e kwartaal 2026")).to_be_visible()
    chart = page.locator("figure.benchmark-chart").first
    expect(chart).to_be_visible()
    chart.screenshot(path=str(SCREENSHOT_DIR / "benchmark-chart-admin.png"))
    expect(page.get_by_role("rowheader", name="Welzijn Rivierstad (uw organisatie)").first).to_be_visible()

    page.get_by_role("link", name="Kiezen of andere organisaties onze naam zien").click()
    page.wait_for_url("**/beheer/benchmark/")
    check_page(page, "benchmark-naming")
    page.get_by_label("Toon onze naam aan de andere organisaties in de benchmark").check()
    submit(page, page.get_by_role("button", name="Opslaan"), "benchmark-naming-saved")
    expect(page.get_by_text("De andere organisaties zien nu onze naam in de benchmark.")).to_be_visible()
    sign_out(page, "benchmark-admin-signed-out")

    sign_in_staff(page, site, username=personas.researcher.username, name="benchmark-researcher")
    goto(page, f"{site}/benchmark/", "benchmark-researcher-dashboard")
    expect(page.get_by_text("U ziet alleen groepscijfers")).to_be_visible()
    # The admin chose to be named: the researcher sees the name now.
    expect(page.get_by_role("rowheader", name="Welzijn Rivierstad", exact=True).first).to_be_visible()
    page.locator("figure.benchmark-chart").first.screenshot(path=str(SCREENSHOT_DIR / "benchmark-chart-researcher.png"))
    goto(page, f"{site}/benchmark/?kwartaal=2026Q7", "benchmark-researcher-unknown-quarter")
    expect(page.get_by_role("alert")).to_contain_text("Onbekend kwartaal")

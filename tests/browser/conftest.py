"""Browser tests: Playwright (sync API) driving Debian's Chromium against
pytest-django's live server, with axe-core checking every page we visit.

Playwright's sync API keeps an event loop running in the main thread, so
Django refuses ORM calls from the test body unless we say that is fine:
the test body and the live server thread never share a connection at the
same moment, so it is.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from conftest import Personas, build_personas
from organisations.demo import DEMO_PASSWORD, demo_totp_code

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# pytest-playwright empties test-results/ at the start of every pytest run;
# BROWSER_SCREENSHOT_DIR keeps the screenshots somewhere else when needed.
SCREENSHOT_DIR = Path(
    os.environ.get("BROWSER_SCREENSHOT_DIR") or Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
)
# axe impacts that fail a test; "minor" and "moderate" are reported by axe
# too, but a test fails on the ones that block people.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

_axe = Axe()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test (the root conftest sorts
    them last)."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    return {
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Our people use a Dutch browser in the Netherlands.
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@pytest.fixture
def personas(transactional_db: None) -> Personas:
    """The root personas, created in a transactional database so that the
    live server thread sees them (it does not share the test's transaction)."""
    return build_personas()


@pytest.fixture
def site(live_server: Any) -> str:
    return str(live_server.url)


@pytest.fixture
def page(page: Page) -> Page:
    # A slow CI machine should not turn a redirect chain into a flake, but a
    # missing element should still fail within seconds.
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


def check_page(page: Page, name: str) -> None:
    """Run axe-core on the current page and save a full-page screenshot.

    Fails on any violation with impact "serious" or "critical". Every page a
    test visits goes through here.
    """
    page.wait_for_load_state("load")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)
    results = _axe.run(page)
    violations = results.response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    for violation in violations:
        if violation not in blocking:
            # Shown with -s or on failure; worth fixing, not worth failing.
            print(f"axe note on {name}: {violation['id']} ({violation['impact']}): {violation['help']}")
    if blocking:
        lines = [f"axe found {len(blocking)} serious/critical problem(s) on {name} ({page.url}):"]
        for violation in blocking:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
            for node in violation["nodes"]:
                lines.append(f"    target: {', '.join(map(str, node['target']))}")
                lines.append(f"      html: {node['html'][:300]}")
                if node.get("failureSummary"):
                    lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
        message = "\n".join(lines)
        print(message)
        pytest.fail(message, pytrace=False)


def sign_in_with_password(page: Page, site: str, *, username: str, check_as: str | None = None) -> None:
    """Fill the sign-in form. With ``check_as`` the login page is checked too."""
    page.goto(f"{site}/accounts/login/")
    if check_as:
        check_page(page, check_as)
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()


def pass_totp_step(page: Page, *, check_as: str | None = None) -> None:
    """Answer allauth's second step with the demo TOTP code."""
    page.wait_for_url("**/accounts/2fa/authenticate/")
    if check_as:
        check_page(page, check_as)
    code_field = page.locator("input[name=code]")
    code_field.fill(demo_totp_code())
    code_field.press("Enter")


def sign_in_staff(page: Page, site: str, *, username: str) -> None:
    sign_in_with_password(page, site, username=username)
    pass_totp_step(page)
    expect(page.get_by_role("button", name="Uitloggen")).to_be_attached()


def sign_out(page: Page) -> None:
    menu = page.locator("details.menu")
    if menu.get_by_role("button", name="Uitloggen").is_hidden():
        menu.locator("summary").click()
    menu.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/accounts/login/**")

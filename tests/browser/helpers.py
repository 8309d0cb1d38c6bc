"""What every browser test does: check a page (axe-core and a screenshot),
open a page, submit a form, sign in, pass the TOTP step, sign out.

Every helper that lands on a new page checks it with ``check_page``: the
sign-in page, the page after signing in (``<name>-landing``), the TOTP
step and the sign-in page after signing out, so no page a test passes
through escapes axe.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from allauth.mfa import app_settings as mfa_settings
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from organisations.demo import DEMO_PASSWORD, demo_totp_code

# pytest-playwright empties test-results/ at the start of every pytest run;
# BROWSER_SCREENSHOT_DIR keeps the screenshots somewhere else when needed.
SCREENSHOT_DIR = Path(
    os.environ.get("BROWSER_SCREENSHOT_DIR") or Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
)
# axe reports four impacts; a test fails on the two that block people.
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

# axe-core as bundled by axe-playwright-python: injected from disk, no network.
_axe = Axe()


def check_page(page: Page, name: str) -> None:
    """Save a full-page screenshot as ``<name>.png`` and run axe-core on the
    current page. Fails on any violation with impact "serious" or "critical".

    Every page a test visits goes through here.
    """
    page.wait_for_load_state("load")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)
    violations = _axe.run(page).response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    for violation in violations:
        if violation not in blocking:
            # Shown with -s or on failure: worth fixing, not worth failing.
            print(f"axe note on {name}: {violation['id']} ({violation['impact']}): {violation['help']}")
    if not blocking:
        return
    lines = [f"axe found {len(blocking)} serious or critical problem(s) on {name} ({page.url}):"]
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


def goto(page: Page, url: str, name: str) -> None:
    """Open ``url`` and check the page as ``<name>``."""
    page.goto(url)
    check_page(page, name)


def submit(page: Page, button: Locator, name: str) -> None:
    """Click a button that sends a form and check the page that answers as
    ``<name>``."""
    with page.expect_navigation():
        button.click()
    check_page(page, name)


SIGN_IN_PATH = "/accounts/login/"
TOTP_PATH = "/accounts/2fa/authenticate/"


def _check_landing(page: Page, *, leaving: str, name: str) -> None:
    """After a sign-in step: wait until the browser has left ``leaving`` and
    check where it landed, unless that is the TOTP step (checked by
    ``pass_totp_step``)."""
    page.wait_for_url(lambda url: leaving not in url)
    if TOTP_PATH not in page.url:
        check_page(page, f"{name}-landing")


def sign_in_with_password(page: Page, site: str, *, username: str, name: str) -> None:
    """Open the login page (checked as ``<name>-login``), sign in with the
    demo password and check the page that follows (``<name>-landing``, or
    the TOTP step for staff)."""
    page.goto(f"{site}{SIGN_IN_PATH}")
    check_page(page, f"{name}-login")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    _check_landing(page, leaving=SIGN_IN_PATH, name=name)


# The last TOTP code each account used in this test: allauth refuses a code
# that the same account already used, so signing in twice within one period
# must wait. Emptied per test (conftest), like the cache that holds the codes.
used_totp_codes: dict[str, str] = {}


def pass_totp_step(page: Page, *, name: str, username: str = "") -> None:
    """Answer allauth's second step (checked as ``<name>-totp``) with the
    demo TOTP code and check the start page (``<name>-landing``). Give
    ``username`` when one test signs the same account in more than once."""
    page.wait_for_url(f"**{TOTP_PATH}")
    check_page(page, f"{name}-totp")
    # allauth accepts only the code of the current period (no tolerance):
    # a code typed just before the period ends would be refused.
    period = mfa_settings.TOTP_PERIOD
    remaining = period - time.time() % period
    if remaining < 3 or (username and used_totp_codes.get(username) == demo_totp_code()):
        time.sleep(remaining + 0.2)
    code = demo_totp_code()
    if username:
        used_totp_codes[username] = code
    code_field = page.get_by_label("Code")
    code_field.fill(code)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    _check_landing(page, leaving=TOTP_PATH, name=name)


def sign_in_staff(page: Page, site: str, *, username: str, name: str) -> None:
    """Password, then TOTP; ends signed in on the role's start page."""
    sign_in_with_password(page, site, username=username, name=name)
    pass_totp_step(page, name=name, username=username)
    expect(page.get_by_role("button", name="Uitloggen")).to_be_attached()


def sign_out(page: Page, name: str = "signed-out") -> None:
    """Sign out through the menu, opening it first on a small screen, and
    check the sign-in page it ends on (``<name>``)."""
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    sign_out_button = menu.get_by_role("button", name="Uitloggen")
    if sign_out_button.is_hidden():
        menu.get_by_text("Menu", exact=True).click()
    sign_out_button.click()
    page.wait_for_url(f"**{SIGN_IN_PATH}")
    check_page(page, name)

"""The installable app in a real Chromium: the service worker installs, the
site opens offline with the offline page, no personal page is ever kept,
and the manifest's icons load. The notifications page passes axe.

Switching push on is not driven here: headless Chromium has no push service
to subscribe at. The subscribe flow is tested over HTTP and against a push
service on loopback (notifications/tests/)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from conftest import Personas
from organisations.demo import DEMO_PASSWORD
from tests.browser.helpers import check_page, goto, sign_in_with_password

WAIT_FOR_CONTROL = """async () => {
  const registration = await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
  }
  return registration.active.state;
}"""

KEPT_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
  }
  return urls;
}"""


def test_the_site_opens_offline_with_the_offline_page_and_keeps_no_personal_page(
    page: Page, site: str, personas: Personas
) -> None:
    sign_in_with_password(page, site, username=personas.resident.username, name="pwa-resident")
    page.wait_for_url("**/mijn/")
    assert page.evaluate(WAIT_FOR_CONTROL) == "activated"
    # Pages visited with the worker in control go through it (network first).
    goto(page, f"{site}/meldingen/", "pwa-notifications")
    goto(page, f"{site}/beveiliging/", "pwa-security")

    page.context.set_offline(True)
    try:
        page.goto(f"{site}/mijn/")
        expect(page.get_by_role("heading", level=1)).to_have_text("U bent offline")
        check_page(page, "pwa-offline")
        assert personas.resident.first_name not in page.content()
        page.goto(f"{site}/meldingen/")
        expect(page.get_by_role("heading", level=1)).to_have_text("U bent offline")
    finally:
        page.context.set_offline(False)

    kept = page.evaluate(KEPT_URLS)
    assert "/offline/" in kept
    assert all(url == "/offline/" or url.startswith("/static/") for url in kept), kept


def test_the_manifest_is_valid_and_its_icons_load(page: Page, site: str) -> None:
    page.goto(f"{site}/accounts/login/")
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    response = page.request.get(f"{site}{href}")
    assert response.ok
    manifest: dict[str, Any] = response.json()
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    for icon in manifest["icons"]:
        image = page.request.get(f"{site}{icon['src']}")
        assert image.ok, icon
        assert image.headers["content-type"] == "image/png"
    touch_icon = page.locator('link[rel="apple-touch-icon"]').get_attribute("href")
    assert page.request.get(f"{site}{touch_icon}").ok


def test_the_notifications_page_offers_push_with_javascript(page: Page, site: str, personas: Personas) -> None:
    sign_in_with_password(page, site, username=personas.resident.username, name="notifications-resident")
    page.wait_for_url("**/mijn/")
    goto(page, f"{site}/meldingen/", "notifications-page")

    expect(page.get_by_role("button", name="Meldingen aanzetten op dit apparaat")).to_be_visible()
    expect(page.get_by_text("Hiervoor is JavaScript nodig")).to_be_hidden()
    page.get_by_role("group", name="Nieuwe berichten").get_by_label("E-mail").uncheck()
    page.get_by_label("Stil vanaf").fill("21:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw keuzes voor meldingen zijn opgeslagen.")).to_be_visible()
    check_page(page, "notifications-saved")
    expect(page.get_by_role("group", name="Nieuwe berichten").get_by_label("E-mail")).not_to_be_checked()
    expect(page.get_by_label("Stil vanaf")).to_have_value("21:00")


def test_the_notifications_page_without_javascript(new_context: Any, site: str, personas: Personas) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.set_default_timeout(10_000)
    # sign_in_with_password runs axe, which needs JavaScript: sign in by hand.
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Gebruikersnaam of e-mailadres").fill(personas.resident.username)
    page.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_url("**/mijn/")
    page.goto(f"{site}/meldingen/")

    expect(page.get_by_text("Hiervoor is JavaScript nodig")).to_be_visible()
    expect(page.get_by_role("button", name="Meldingen aanzetten op dit apparaat")).to_be_hidden()
    expect(page.get_by_role("group", name="Nieuwe berichten").get_by_label("E-mail")).to_be_checked()
    expect(page.get_by_role("button", name="Opslaan")).to_be_visible()
    # axe needs JavaScript in the page: the same page in a second context
    # with the cookies, the site's scripts blocked (the DOM a browser
    # without JavaScript gets).
    checker_context = new_context(storage_state=page.context.storage_state())
    checker_context.route("**/static/js/**", lambda route: route.abort())
    checker = checker_context.new_page()
    goto(checker, page.url, "notifications-nojs")

"""A resident links DigiD to their account and then signs in with it, in a
real browser against a real OpenID Connect provider (django-oauth-toolkit
in a second process, accounts/tests/oidc_provider/). Our pages on the way
are checked with axe; the provider's own pages are not ours."""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from playwright.sync_api import Page, expect

from accounts.models import ExternalIdentity
from accounts.tests.oidc_provider.harness import (
    PROVIDER_PASSWORD,
    Provider,
    configure_client,
    provider_process,
)
from conftest import Personas
from organisations.demo import DEMO_PASSWORD
from tests.browser.helpers import check_page, sign_in_with_password, sign_out

browser_oidc_provider = pytest.fixture(scope="session", name="browser_oidc_provider")(provider_process)


def sign_in_at_provider(page: Page, provider: Provider, username: str) -> None:
    page.wait_for_url(f"{provider.base_url}/login/**")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_resident_links_digid_and_signs_in_with_it(
    page: Page, site: str, personas: Personas, settings: LazySettings, browser_oidc_provider: Provider
) -> None:
    provider = configure_client(settings, browser_oidc_provider)
    resident = personas.resident
    sign_in_with_password(page, site, username=resident.username, name="oidc")
    page.goto(f"{site}/beveiliging/")
    check_page(page, "oidc-security")
    page.get_by_role("link", name="Koppel DigiD").click()
    page.wait_for_url("**/beveiliging/digid/")
    check_page(page, "oidc-link")
    page.get_by_role("button", name="Koppel DigiD").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    check_page(page, "oidc-reauthenticate")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Bevestigen").click()
    sign_in_at_provider(page, provider, "fatima")
    page.wait_for_url(f"{site}/beveiliging/digid/")
    expect(page.get_by_text("DigiD is gekoppeld")).to_be_visible()
    check_page(page, "oidc-linked")
    assert ExternalIdentity.objects.filter(user=resident).exists()

    sign_out(page, "oidc-signed-out")
    page.get_by_role("link", name="Inloggen met DigiD").click()
    # Still signed in at the provider: it sends the browser straight back.
    page.wait_for_url(lambda url: url.startswith(site) and "/accounts/login/" not in url and "/digid/" not in url)
    check_page(page, "oidc-signed-in")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_attached()

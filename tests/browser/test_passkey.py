"""A resident sets up a passkey and then signs in with it alone.

Chromium's virtual authenticator (DevTools Protocol) stands in for the
fingerprint reader of a phone: it answers WebAuthn requests as a platform
authenticator that keeps the key on the device and always verifies the user.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import CDPSession, Page, expect

from conftest import Personas
from organisations.demo import DEMO_PASSWORD
from tests.browser.helpers import check_page, sign_in_with_password, sign_out


@pytest.fixture
def authenticator(page: Page) -> Iterator[tuple[CDPSession, str]]:
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    added: dict[str, Any] = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    yield session, added["authenticatorId"]
    session.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": added["authenticatorId"]})
    session.detach()


def test_resident_registers_a_passkey_and_signs_in_with_it_alone(
    page: Page, site: str, personas: Personas, authenticator: tuple[CDPSession, str]
) -> None:
    session, authenticator_id = authenticator
    resident = personas.resident
    sign_in_with_password(page, site, username=resident.username, name="passkey")
    page.wait_for_url("**/mijn/")
    check_page(page, "passkey-resident-home")

    page.get_by_role("link", name="Passkey instellen").click()
    # allauth asks for the password again before any change to the sign-in
    # factors (MFA_REAUTHENTICATION_REQUIRED); signing in does not count.
    page.wait_for_url("**/accounts/reauthenticate/**")
    check_page(page, "passkey-reauthenticate")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_url("**/accounts/2fa/webauthn/add/**")
    check_page(page, "passkey-add")
    # Signing in with the passkey alone is what the resident came for.
    expect(page.get_by_label("Inloggen zonder wachtwoord")).to_be_checked()
    page.get_by_label("Naam van de passkey").fill("Mijn telefoon")
    page.get_by_role("button", name="Passkey maken").click()

    # The first strong factor also creates recovery codes; allauth shows them.
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    check_page(page, "passkey-recovery-codes")
    passkey = Authenticator.objects.get(user=resident, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().is_passwordless
    assert passkey.wrap().name == "Mijn telefoon"
    credentials = session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert len(credentials) == 1
    assert credentials[0]["isResidentCredential"]

    page.goto(f"{site}/mijn/")
    expect(page.get_by_role("heading", name="Makkelijker inloggen")).to_have_count(0)
    check_page(page, "passkey-resident-home-with-passkey")
    sign_out(page)
    check_page(page, "passkey-login-after-sign-out")

    # No username, no password: only the passkey button.
    expect(page.get_by_label("Gebruikersnaam of e-mailadres")).to_have_value("")
    page.get_by_role("button", name="Inloggen met een passkey").click()
    page.wait_for_url("**/mijn/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hallo {resident.first_name}")
    check_page(page, "passkey-signed-in")

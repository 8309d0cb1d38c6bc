"""Residents sign in with DigiD through an OpenID Connect provider.

The provider is real: django-oauth-toolkit with OIDC on, in a second process
on loopback with its own database and an RSA key made here
(``oidc_provider/``). Each provider user stands for one case: its ``sub``,
its assurance level (``acr``) and whether it sends a ``bsn`` claim. The
browser's part is played by Django's test client (our side, which keeps
the state, nonce and PKCE verifier in its session) and a ``requests``
session (the provider's side, with its own sign-in).
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit, urlunsplit

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import LazySettings
from django.db import connection
from django.test import Client

from accounts.models import ExternalIdentity, User
from accounts.oidc import SIGNED_IN_ACR_SESSION_KEY, subject_hash
from accounts.tests.oidc_provider.harness import (
    BSN,
    HIGH,
    PROVIDER_USERS,
    SUBSTANTIAL,
    Provider,
    configure_client,
    provider_process,
)
from conftest import Personas
from organisations.demo import DEMO_PASSWORD, demo_totp_code

# The session, the user, the link (3); the page's frame for a resident: the
# organisation, news seen, and the menu's counts (timeline, messages,
# appointments, conversations) (6).
LINK_PAGE_QUERIES = 9
NOT_LINKED = "Uw DigiD is nog niet gekoppeld aan een account."


oidc_provider = pytest.fixture(scope="session", name="oidc_provider")(provider_process)


@pytest.fixture
def digid(settings: LazySettings, oidc_provider: Provider) -> Provider:
    return configure_client(settings, oidc_provider)


def link(user: User, provider: Provider, username: str) -> ExternalIdentity:
    """A link as the "Koppel DigiD" page makes it (that flow is tested below)."""
    sub = PROVIDER_USERS[username][0]
    return ExternalIdentity.objects.create(
        user=user, issuer=provider.issuer, subject_hash=subject_hash(issuer=provider.issuer, subject=sub)
    )


def start(client: Client) -> str:
    response = client.get("/digid/inloggen/")
    assert response.status_code == 302
    return str(response["Location"])


def sign_in_with_digid(client: Client, provider: Provider, username: str) -> Any:
    callback = provider.authorize(start(client), username)
    return client.get(callback)


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def messages_of(client: Client, response: Any) -> str:
    page = client.get(response["Location"])
    return page.content.decode()


def with_query(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def start_linking(client: Client) -> str:
    """Press "Koppel DigiD", type the password again; returns the
    provider's authorization URL."""
    response = client.post("/beveiliging/digid/koppelen/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": DEMO_PASSWORD})
    while response.status_code == 302 and response["Location"].startswith("/"):
        response = client.get(response["Location"])
    assert response.status_code == 302, response.status_code
    return str(response["Location"])


def sign_in_with_password(client: Client, user: User) -> None:
    response = client.post("/accounts/login/", {"login": user.username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    if response["Location"] == "/accounts/2fa/authenticate/":
        response = client.post("/accounts/2fa/authenticate/", {"code": demo_totp_code()})
        assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


# --- Off unless configured -----------------------------------------------------------


def test_without_configuration_there_is_no_digid_button_and_no_digid_pages(personas: Personas) -> None:
    client = Client()
    assert "Inloggen met DigiD" not in client.get("/accounts/login/").content.decode()
    assert client.get("/digid/inloggen/").status_code == 404
    assert client.get("/digid/terug/?code=x&state=y").status_code == 404


def test_the_sign_in_page_offers_digid_when_configured(digid: Provider, personas: Personas) -> None:
    assert "Inloggen met DigiD" in Client().get("/accounts/login/").content.decode()


# --- Signing in ------------------------------------------------------------------


def test_linked_resident_signs_in_with_digid_and_the_session_counts_as_two_factor(
    digid: Provider, personas: Personas
) -> None:
    identity = link(personas.resident, digid, "fatima")
    client = Client()
    response = sign_in_with_digid(client, digid, "fatima")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(personas.resident.pk)
    assert client.session[SIGNED_IN_ACR_SESSION_KEY] == SUBSTANTIAL
    identity.refresh_from_db()
    assert identity.last_used_at is not None
    assert client.get("/").status_code in (200, 302)


@pytest.mark.parametrize(("next_url", "landing"), [("/beveiliging/", "/beveiliging/"), ("https://evil.example/", "/")])
def test_after_signing_in_the_resident_lands_on_the_page_they_asked_for_on_this_site(
    digid: Provider, personas: Personas, next_url: str, landing: str
) -> None:
    link(personas.resident, digid, "fatima")
    client = Client()
    login_page = client.get("/accounts/login/", {"next": next_url}).content.decode()
    assert f'href="/digid/inloggen/?next={quote(next_url, safe="/")}"' in login_page
    response = client.get("/digid/inloggen/", {"next": next_url})
    response = client.get(digid.authorize(str(response["Location"]), "fatima"))
    assert response["Location"] == landing


def test_the_request_to_the_provider_carries_state_nonce_pkce_and_the_required_level(
    digid: Provider, personas: Personas
) -> None:
    query = parse_qs(urlsplit(start(Client())).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert len(query["state"][0]) >= 32
    assert len(query["nonce"][0]) >= 32
    assert query["acr_values"] == [f"{SUBSTANTIAL} {HIGH}"]
    assert query["scope"] == ["openid"]


def test_a_higher_level_is_accepted(digid: Provider, personas: Personas) -> None:
    link(personas.resident, digid, "fatima-high-bsn")
    client = Client()
    sign_in_with_digid(client, digid, "fatima-high-bsn")
    assert signed_in_user_id(client) == str(personas.resident.pk)


@pytest.mark.parametrize("username", ["fatima-low", "fatima-no-acr"])
def test_a_lower_or_missing_level_is_refused_and_logged(
    digid: Provider, personas: Personas, username: str, caplog: pytest.LogCaptureFixture
) -> None:
    link(personas.resident, digid, username)
    client = Client()
    response = sign_in_with_digid(client, digid, username)
    assert response["Location"] == "/accounts/login/"
    assert signed_in_user_id(client) is None
    assert "het niveau van deze DigiD-inlog is te laag" in messages_of(client, response)
    assert any("assurance level" in record.getMessage() for record in caplog.records)


def test_an_unknown_sub_creates_no_account_and_says_how_to_link(digid: Provider, personas: Personas) -> None:
    users_before = User.objects.count()
    client = Client()
    response = sign_in_with_digid(client, digid, "stranger")
    assert signed_in_user_id(client) is None
    assert User.objects.count() == users_before
    assert NOT_LINKED in messages_of(client, response)


def test_staff_never_sign_in_with_digid(digid: Provider, personas: Personas) -> None:
    link(personas.worker, digid, "sanne")
    client = Client()
    response = sign_in_with_digid(client, digid, "sanne")
    assert signed_in_user_id(client) is None
    assert "Medewerkers loggen niet in met DigiD" in messages_of(client, response)


def test_a_trusted_person_signs_in_with_digid(digid: Provider, personas: Personas) -> None:
    link(personas.trusted_person, digid, "mantelzorger")
    client = Client()
    sign_in_with_digid(client, digid, "mantelzorger")
    assert signed_in_user_id(client) == str(personas.trusted_person.pk)
    # DigiD at the required level is their second factor: no TOTP needed.
    Authenticator.objects.filter(user=personas.trusted_person).delete()
    response = client.get("/")
    assert response.status_code in (200, 302)
    assert response.get("Location") != "/accounts/2fa/totp/activate/"
    assert client.get(response["Location"] if response.status_code == 302 else "/").status_code == 200


def test_a_blocked_account_does_not_sign_in(digid: Provider, personas: Personas) -> None:
    link(personas.resident, digid, "fatima")
    User.objects.filter(pk=personas.resident.pk).update(is_active=False)
    client = Client()
    sign_in_with_digid(client, digid, "fatima")
    assert signed_in_user_id(client) is None


# --- The protocol's checks, against the real provider -----------------------------------


def test_a_tampered_state_is_refused(digid: Provider, personas: Personas, caplog: pytest.LogCaptureFixture) -> None:
    link(personas.resident, digid, "fatima")
    client = Client()
    callback = digid.authorize(start(client), "fatima")
    response = client.get(with_query(callback, state="forged-state-0123456789abcdefghijkl"))
    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    assert "Inloggen met DigiD is niet gelukt" in messages_of(client, response)
    assert "state not found in session" in caplog.text


def test_a_callback_is_used_once(digid: Provider, personas: Personas, caplog: pytest.LogCaptureFixture) -> None:
    link(personas.resident, digid, "fatima")
    client = Client()
    callback = digid.authorize(start(client), "fatima")
    assert client.get(callback).status_code == 302
    assert signed_in_user_id(client) == str(personas.resident.pk)
    replayed = Client()
    start(replayed)  # a flow of its own, but not the state of this code
    replayed.get(callback)
    assert signed_in_user_id(replayed) is None
    assert "state not found in session" in caplog.text


def test_an_id_token_with_another_nonce_is_refused(
    digid: Provider, personas: Personas, caplog: pytest.LogCaptureFixture
) -> None:
    """Someone else's authorization (same state and PKCE challenge, another
    nonce) yields an ID token whose nonce is not the one in our session."""
    link(personas.resident, digid, "fatima")
    client = Client()
    authorization_url = with_query(start(client), nonce="nonce-of-another-flow-0123456789abcdef")
    response = client.get(digid.authorize(authorization_url, "fatima"))
    assert signed_in_user_id(client) is None
    assert "Inloggen met DigiD is niet gelukt" in messages_of(client, response)
    assert "JWT Nonce verification failed" in caplog.text


def test_the_pkce_verifier_is_sent_and_checked_by_the_provider(
    digid: Provider, personas: Personas, caplog: pytest.LogCaptureFixture
) -> None:
    """A code issued for another challenge cannot be redeemed with our
    verifier: the provider refuses the token request."""
    link(personas.resident, digid, "fatima")
    client = Client()
    other_challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    response = client.get(digid.authorize(with_query(start(client), code_challenge=other_challenge), "fatima"))
    assert signed_in_user_id(client) is None
    assert "Inloggen met DigiD is niet gelukt" in messages_of(client, response)
    assert "invalid_grant" in caplog.text
    # A new flow, with the challenge we sent, succeeds.
    sign_in_with_digid(client, digid, "fatima")
    assert signed_in_user_id(client) == str(personas.resident.pk)


@pytest.mark.parametrize("issuer_is_the_providers", [True, False])
def test_with_the_endpoints_configured_one_by_one_the_issuer_is_checked(
    digid: Provider,
    personas: Personas,
    settings: LazySettings,
    caplog: pytest.LogCaptureFixture,
    issuer_is_the_providers: bool,
) -> None:
    settings.OIDC_OP_DISCOVERY_URL = ""
    settings.OIDC_OP_ISSUER = digid.issuer if issuer_is_the_providers else "https://another-issuer.example"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{digid.base_url}/o/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{digid.base_url}/o/token/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{digid.base_url}/o/.well-known/jwks.json"
    link(personas.resident, digid, "fatima")
    client = Client()
    sign_in_with_digid(client, digid, "fatima")
    if issuer_is_the_providers:
        assert signed_in_user_id(client) == str(personas.resident.pk)
    else:
        assert signed_in_user_id(client) is None
        assert "ID token from another issuer" in caplog.text


def test_a_provider_error_answer_signs_nobody_in(digid: Provider, personas: Personas) -> None:
    client = Client()
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    response = client.get(f"/digid/terug/?error=access_denied&state={state}")
    assert response["Location"] == "/accounts/login/"
    assert signed_in_user_id(client) is None


def test_a_password_sign_in_never_reaches_the_provider(digid: Provider, personas: Personas) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/?code=x&state=y", {"login": personas.resident.username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(personas.resident.pk)
    assert SIGNED_IN_ACR_SESSION_KEY not in client.session


# --- Linking -------------------------------------------------------------------------


def test_resident_links_digid_after_the_password_and_then_signs_in_with_it(digid: Provider, personas: Personas) -> None:
    client = Client()
    sign_in_with_password(client, personas.resident)
    assert "Koppel DigiD" in client.get("/beveiliging/").content.decode()
    page = client.get("/beveiliging/digid/")
    assert page.status_code == 200
    callback = digid.authorize(start_linking(client), "fatima")
    response = client.get(callback)
    assert response["Location"] == "/beveiliging/digid/"
    assert "DigiD is gekoppeld" in messages_of(client, response)
    identity = ExternalIdentity.objects.get(user=personas.resident)
    assert identity.issuer == digid.issuer
    assert identity.subject_hash == subject_hash(issuer=digid.issuer, subject=PROVIDER_USERS["fatima"][0])
    assert PROVIDER_USERS["fatima"][0] not in identity.subject_hash

    client.post("/accounts/logout/")
    fresh = Client()
    sign_in_with_digid(fresh, digid, "fatima")
    assert signed_in_user_id(fresh) == str(personas.resident.pk)


def test_linking_asks_for_the_password_again_first(digid: Provider, personas: Personas) -> None:
    client = Client()
    sign_in_with_password(client, personas.resident)
    response = client.post("/beveiliging/digid/koppelen/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": "not the password"})
    assert response.status_code == 200
    assert "oidc_states" not in client.session
    assert not ExternalIdentity.objects.exists()


def test_a_digid_already_linked_to_another_account_is_not_linked_again(digid: Provider, personas: Personas) -> None:
    link(personas.other_resident, digid, "fatima")
    client = Client()
    sign_in_with_password(client, personas.resident)
    response = client.get(digid.authorize(start_linking(client), "fatima"))
    assert "al gekoppeld aan een ander account" in messages_of(client, response)
    assert not ExternalIdentity.objects.filter(user=personas.resident).exists()
    assert signed_in_user_id(client) == str(personas.resident.pk)


def test_linking_with_too_low_a_level_is_refused(digid: Provider, personas: Personas) -> None:
    client = Client()
    sign_in_with_password(client, personas.resident)
    client.get(digid.authorize(start_linking(client), "fatima-low"))
    assert not ExternalIdentity.objects.exists()


def test_staff_have_no_digid_link_page(digid: Provider, personas: Personas) -> None:
    client = Client()
    client.force_login(personas.worker, backend="allauth.account.auth_backends.AuthenticationBackend")
    assert client.get("/beveiliging/digid/").status_code == 404
    assert client.post("/beveiliging/digid/koppelen/").status_code == 404
    assert not ExternalIdentity.objects.exists()


def test_resident_unlinks_digid(digid: Provider, personas: Personas) -> None:
    link(personas.resident, digid, "fatima")
    client = Client()
    sign_in_with_password(client, personas.resident)
    client.post("/beveiliging/digid/ontkoppelen/")
    assert not ExternalIdentity.objects.exists()
    fresh = Client()
    sign_in_with_digid(fresh, digid, "fatima")
    assert signed_in_user_id(fresh) is None


# --- What is stored --------------------------------------------------------------------


def test_neither_the_bsn_nor_the_sub_is_stored_anywhere(digid: Provider, personas: Personas) -> None:
    """The provider sends a ``bsn`` claim; after linking and signing in,
    no table holds it, nor the provider's ``sub`` in clear text."""
    client = Client()
    sign_in_with_password(client, personas.resident)
    client.get(digid.authorize(start_linking(client), "fatima-high-bsn"))
    assert ExternalIdentity.objects.filter(user=personas.resident).exists()
    fresh = Client()
    sign_in_with_digid(fresh, digid, "fatima-high-bsn")
    assert signed_in_user_id(fresh) == str(personas.resident.pk)

    secrets = (BSN, PROVIDER_USERS["fatima-high-bsn"][0])
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                text = repr(row)
                for secret in secrets:
                    assert secret not in text, f"{secret} stored in {table}"


# --- Who reaches which page, configured --------------------------------------------------


def test_every_persona_on_the_digid_pages(digid: Provider, personas: Personas) -> None:
    for role, user in personas.by_role().items():
        client = Client()
        if user is not None:
            client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        page = client.get("/beveiliging/digid/")
        start_link = client.post("/beveiliging/digid/koppelen/")
        unlink = client.post("/beveiliging/digid/ontkoppelen/")
        sign_in = client.get("/digid/inloggen/")
        if user is None:
            for response in (page, start_link, unlink):
                assert response["Location"].startswith("/accounts/login/"), role
            assert sign_in["Location"].startswith(digid.base_url), role
        elif role in ("resident", "trusted_person"):
            assert page.status_code == 200, role
            assert start_link["Location"].startswith("/accounts/reauthenticate/"), role
            assert unlink["Location"] == "/beveiliging/digid/", role
            assert sign_in["Location"] == "/", role
        else:
            assert (page.status_code, start_link.status_code, unlink.status_code) == (404, 404, 404), role
            assert sign_in["Location"] == "/", role
        assert client.put("/beveiliging/digid/").status_code in (302, 404, 405), role
    assert not ExternalIdentity.objects.exists()


def test_the_content_security_policy_lets_forms_lead_to_the_provider() -> None:
    """ "Koppel DigiD" and the password asked again are forms whose answer
    redirects to the provider: Chromium blocks that unless form-action
    names the provider's origin (found by the browser test)."""
    code = "from django.conf import settings; print(settings.SECURE_CSP['form-action'])"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samenspraak.settings_test",
        "OIDC_OP_DISCOVERY_URL": "https://broker.example.nl:8443/realms/digid/.well-known/openid-configuration",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "https://broker.example.nl:8443" in result.stdout


def test_the_digid_page_takes_the_same_queries_linked_or_not(
    digid: Provider, personas: Personas, django_assert_num_queries: Any
) -> None:
    client = Client()
    client.force_login(personas.resident, backend="allauth.account.auth_backends.AuthenticationBackend")
    client.get("/beveiliging/digid/")  # the session's first-request writes
    with django_assert_num_queries(LINK_PAGE_QUERIES):
        assert client.get("/beveiliging/digid/").status_code == 200
    link(personas.resident, digid, "fatima")
    with django_assert_num_queries(LINK_PAGE_QUERIES):
        assert "gekoppeld aan DigiD sinds" in client.get("/beveiliging/digid/").content.decode()

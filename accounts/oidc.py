"""Residents sign in through an OpenID Connect provider (DigiD through a broker).

mozilla-django-oidc does the protocol: a one-use ``state`` kept in the
session, a ``nonce`` that must come back in the ID token, PKCE (S256), the
token's signature against the provider's published keys and its expiry.
On top of that, here:

- the provider's endpoints from its discovery document (cached an hour);
- the ID token's issuer and audience;
- the assurance level: the ``acr`` claim must be ``OIDC_REQUIRED_ACR`` or a
  higher level of the same scale, else the sign-in is refused and logged;
- the link to an account: a keyed hash of the pseudonymous ``sub`` in
  ``ExternalIdentity``. No other claim is read (a ``bsn`` claim, names and
  addresses are ignored), the userinfo endpoint is never called, and no
  account is ever created here;
- only residents and trusted persons; staff are refused.

A session signed in this way counts as two-factor: the required level
(eIDAS "substantial" or higher) is itself multi-factor. The level is kept in
the session under ``SIGNED_IN_ACR_SESSION_KEY``; ask
``session_counts_as_two_factor``.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.models import ExternalIdentity, User
from accounts.services import (
    EXTERNAL_SIGN_IN_ROLES,
    ExternalIdentityError,
    external_identity_link,
    external_identity_mark_used,
)

logger = logging.getLogger(__name__)

# The public id of the signed-in account that asked to link its DigiD; the
# next callback links instead of signing in.
LINK_SESSION_KEY = "oidc_link_for"
# The assurance level of a session signed in through the provider.
SIGNED_IN_ACR_SESSION_KEY = "oidc_signed_in_acr"
DISCOVERY_CACHE_SECONDS = 3600

# Assurance levels, lowest first. A required level accepts itself and the
# levels after it on its own scale.
ACR_SCALES: tuple[tuple[str, ...], ...] = (
    (
        "http://eidas.europa.eu/LoA/low",
        "http://eidas.europa.eu/LoA/substantial",
        "http://eidas.europa.eu/LoA/high",
    ),
    (
        "urn:etoegang:core:assurance-class:loa1",
        "urn:etoegang:core:assurance-class:loa2",
        "urn:etoegang:core:assurance-class:loa2plus",
        "urn:etoegang:core:assurance-class:loa3",
        "urn:etoegang:core:assurance-class:loa4",
    ),
    # DigiD's own levels (basis, midden, substantieel, hoog) as Logius names them.
    (
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI",
    ),
)


class SignInRefused(Exception):
    """The provider vouched for someone we do not let in this way; the
    message is plain Dutch for the person."""


def oidc_is_enabled() -> bool:
    return bool(
        settings.OIDC_RP_CLIENT_ID and (settings.OIDC_OP_DISCOVERY_URL or settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
    )


def accepted_acr_values(required: str) -> tuple[str, ...]:
    for scale in ACR_SCALES:
        if required in scale:
            return scale[scale.index(required) :]
    return (required,)


def subject_hash(*, issuer: str, subject: str) -> str:
    """What is stored of a provider's ``sub``: an HMAC, so that a ``sub``
    that is a BSN (some brokers send one) cannot be read back or guessed
    from the database alone."""
    secret = settings.OIDC_SUBJECT_HASH_KEY or settings.SECRET_KEY
    return salted_hmac("accounts.oidc.subject", f"{issuer}\n{subject}", secret=secret, algorithm="sha256").hexdigest()


def session_counts_as_two_factor(session: SessionBase) -> bool:
    """True for a session signed in through the provider at the required
    level (eIDAS substantial and higher are multi-factor)."""
    return bool(session.get(SIGNED_IN_ACR_SESSION_KEY))


@dataclass(frozen=True)
class ProviderConfiguration:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


def provider_configuration() -> ProviderConfiguration:
    """The provider's endpoints: from its discovery document when
    ``OIDC_OP_DISCOVERY_URL`` is set (fetched once an hour), else from the
    settings. Raises ``requests.RequestException``, ``KeyError`` or
    ``ValueError`` when the provider cannot be reached or answers nonsense.
    """
    url = settings.OIDC_OP_DISCOVERY_URL
    if not url:
        return ProviderConfiguration(
            issuer=settings.OIDC_OP_ISSUER,
            authorization_endpoint=settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
            token_endpoint=settings.OIDC_OP_TOKEN_ENDPOINT,
            jwks_uri=settings.OIDC_OP_JWKS_ENDPOINT,
        )
    cache_key = "oidc-discovery:" + hashlib.sha256(url.encode()).hexdigest()
    document: dict[str, Any] | None = cache.get(cache_key)
    if document is None:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        if not isinstance(document, dict):
            raise ValueError("discovery document is not an object")
        cache.set(cache_key, document, DISCOVERY_CACHE_SECONDS)
    return ProviderConfiguration(
        issuer=str(document["issuer"]),
        authorization_endpoint=str(document["authorization_endpoint"]),
        token_endpoint=str(document["token_endpoint"]),
        jwks_uri=str(document["jwks_uri"]),
    )


def not_linked_message() -> str:
    return _(
        "Uw DigiD is nog niet gekoppeld aan een account. Log één keer in met uw gebruikersnaam "
        "en koppel DigiD op de pagina Beveiliging."
    )


class ResidentOIDCBackend(OIDCAuthenticationBackend):
    """Answers only the callback view (which passes ``nonce``): a password
    sign-in never reaches the provider, even with ``code`` and ``state`` in
    its query string."""

    issuer = ""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:  # type: ignore[override]
        if request is None or "nonce" not in kwargs or not oidc_is_enabled():
            return None
        configuration = provider_configuration()
        self.OIDC_OP_TOKEN_ENDPOINT = configuration.token_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = configuration.jwks_uri
        self.issuer = configuration.issuer
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks signature, expiry and nonce; the issuer and
        the audience are checked here."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        if payload.get("iss") != self.issuer:
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        """``payload`` is the verified ID token. Only ``acr`` and ``sub`` are
        read; the userinfo endpoint is not called."""
        request = self.request
        acr = payload.get("acr")
        required = settings.OIDC_REQUIRED_ACR
        if acr not in accepted_acr_values(required):
            logger.warning("OIDC sign-in refused: assurance level %r, required %r", acr, required)
            raise SignInRefused(
                _(
                    "U bent niet ingelogd: het niveau van deze DigiD-inlog is te laag. "
                    "Log in met de DigiD app met identiteitscheck, of met uw gebruikersnaam en wachtwoord."
                )
            )
        subject = payload.get("sub")
        if not isinstance(subject, str) or not subject:
            raise SuspiciousOperation("ID token without sub")
        hashed = subject_hash(issuer=self.issuer, subject=subject)
        link_for = request.session.get(LINK_SESSION_KEY)
        if link_for:
            return self._link(request, link_for=str(link_for), hashed=hashed)
        identity = (
            ExternalIdentity.objects.select_related("user").filter(issuer=self.issuer, subject_hash=hashed).first()
        )
        if identity is None:
            logger.info("OIDC sign-in refused: no account linked")
            raise SignInRefused(not_linked_message())
        user = identity.user
        if user.role not in EXTERNAL_SIGN_IN_ROLES:
            logger.warning("OIDC sign-in refused: account %s has a staff role", user.public_id)
            raise SignInRefused(
                _("Medewerkers loggen niet in met DigiD. Log in met uw gebruikersnaam, wachtwoord en tweede stap.")
            )
        if not user.is_active:
            raise SignInRefused(_("Dit account is geblokkeerd. Neem contact op met uw sociaal werker."))
        external_identity_mark_used(identity=identity)
        request.session[SIGNED_IN_ACR_SESSION_KEY] = acr
        return user

    def _link(self, request: HttpRequest, *, link_for: str, hashed: str) -> User:
        user = request.user
        if not isinstance(user, User) or str(user.public_id) != link_for:
            raise SuspiciousOperation("link callback for another account")
        try:
            external_identity_link(user=user, issuer=self.issuer, subject_hash=hashed)
        except ExternalIdentityError as error:
            raise SignInRefused(str(error)) from error
        return user

    def get_user(self, user_id: Any) -> User | None:
        # Django's rule for a session's user (inactive accounts are out),
        # not the library's plain lookup.
        user: User | None = ModelBackend.get_user(self, user_id)  # type: ignore[assignment]
        return user

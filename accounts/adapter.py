from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from samenspraak import ratelimit

# Failed sign-ins of one account are counted over this window, and an
# address where the account signed in is remembered this long.
ACCOUNT_FAILURE_WINDOW_SECONDS = 15 * 60
KNOWN_ADDRESS_SECONDS = 90 * 24 * 3600


def _login_of(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email", credentials.get("username", ""))).lower()


class AccountAdapter(DefaultAccountAdapter):
    """Sign-in throttling that a stranger cannot turn against the owner
    (ASVS 6.3.1), counted in the shared store (docs/security/rate-limits.md):

    - allauth's ``login_failed`` "key" limit counts per account AND address,
      so guessing from one address stops that address only;
    - its "ip" limit counts per address over all accounts, set high enough
      for an office behind one NAT address;
    - failures of one account from all addresses together are counted too;
      beyond ``RATE_LIMIT_LOGIN_FAILED_ACCOUNT`` only addresses where the
      account signed in before may try, each still under its own limit.

    Everything is keyed on what was typed, whether or not such an account
    exists, so the answers are the same for unknown accounts.
    """

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts come only from an invitation (accounts.services).
        return False

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}|{get_ip(request)}"

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        super().pre_authenticate(request, **credentials)
        login = _login_of(credentials)
        under_attack = ratelimit.count(f"signin-failed-account:{login}") >= settings.RATE_LIMIT_LOGIN_FAILED_ACCOUNT
        if under_attack and not ratelimit.count(f"signin-known-address:{login}|{get_ip(request)}"):
            # This attempt is not checked, so it does not use up the address's tries.
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        user = super().authenticate(request, **credentials)
        if user is not None:
            ratelimit.hit(
                f"signin-known-address:{_login_of(credentials)}|{get_ip(request)}",
                limit=1,
                window_seconds=KNOWN_ADDRESS_SECONDS,
            )
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        ratelimit.hit(
            f"signin-failed-account:{_login_of(credentials)}",
            limit=settings.RATE_LIMIT_LOGIN_FAILED_ACCOUNT,
            window_seconds=ACCOUNT_FAILURE_WINDOW_SECONDS,
        )


class MFAAdapter(DefaultMFAAdapter):
    def get_public_key_credential_rp_entity(self) -> dict[str, Any]:
        entity = super().get_public_key_credential_rp_entity()
        entity["name"] = "Samenspraak"
        return entity

    def can_delete_authenticator(self, authenticator: Any) -> bool:
        """Staff and trusted persons may not remove their last second factor:
        MFA is mandatory for them."""
        from allauth.mfa.models import Authenticator

        from accounts.models import MFA_REQUIRED_ROLES

        user = authenticator.user
        if user.role not in MFA_REQUIRED_ROLES:
            return True
        strong = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exclude(pk=authenticator.pk)
        return strong.exists()

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Accounts come only from an invitation (accounts.services).
        return False


class MFAAdapter(DefaultMFAAdapter):
    def get_public_key_credential_rp_entity(self) -> dict[str, Any]:
        entity = super().get_public_key_credential_rp_entity()
        entity["name"] = "Samenspraak"
        return entity

    def can_delete_authenticator(self, authenticator: Any) -> bool:
        """Staff may not remove their last second factor: MFA is mandatory."""
        from allauth.mfa.models import Authenticator

        from accounts.models import STAFF_ROLES

        user = authenticator.user
        if user.role not in STAFF_ROLES:
            return True
        strong = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exclude(pk=authenticator.pk)
        return strong.exists()

"""Codes from an authenticator app: the current 30-second step and the one
before it, never a step ahead.

allauth's ``MFA_TOTP_TOLERANCE = 1`` accepts one step on either side of now.
The step before is needed (typing a code takes time, a phone's clock may
run a little behind); the step ahead only widens the window in which a
phished or shoulder-surfed code works. These forms (``MFA_FORMS`` in the
settings) refuse a code that is right only for the next step, before
allauth checks it, and count that attempt in allauth's rate limit like any
other wrong code.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.core.internal.cryptokit import normalize_user_code
from allauth.mfa import app_settings
from allauth.mfa.adapter import get_adapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.base.internal.flows import check_rate_limit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt


def totp_code_is_only_ahead(*, secret: str, code: str) -> bool:
    """True when ``code`` belongs to a later step than now, but not to the
    current or the previous one."""
    # The same clock and step arithmetic as allauth's own check.
    step = int(time.time()) // app_settings.TOTP_PERIOD
    typed = normalize_user_code(code)

    def code_at(counter: int) -> str:
        return format_hotp_value(hotp_value(secret, counter))

    if typed in {code_at(step), code_at(step - 1)}:
        return False
    return any(typed == code_at(step + ahead) for ahead in range(1, app_settings.TOTP_TOLERANCE + 1))


def _refuse(user: Any) -> None:
    # Counted like allauth counts a wrong code, so that early codes cannot be
    # tried without limit.
    check_rate_limit(user)
    raise get_adapter().validation_error("incorrect_code")


class _NoCodeAheadMixin:
    user: Any
    data: Any

    def _refuse_code_ahead(self) -> None:
        code = str(self.data.get("code", ""))
        for authenticator in Authenticator.objects.filter(user=self.user, type=Authenticator.Type.TOTP):
            if totp_code_is_only_ahead(secret=decrypt(authenticator.data["secret"]), code=code):
                _refuse(self.user)


class TotpAuthenticateForm(_NoCodeAheadMixin, AuthenticateForm):
    def clean_code(self) -> str:
        self._refuse_code_ahead()
        return str(super().clean_code())


class TotpReauthenticateForm(_NoCodeAheadMixin, ReauthenticateForm):
    def clean_code(self) -> str:
        self._refuse_code_ahead()
        return str(super().clean_code())


class TotpActivateForm(ActivateTOTPForm):
    def clean_code(self) -> str:
        if totp_code_is_only_ahead(secret=self.secret, code=str(self.data.get("code", ""))):
            _refuse(self.user)
        return str(super().clean_code())

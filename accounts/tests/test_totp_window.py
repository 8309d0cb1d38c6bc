"""A code from the authenticator app counts for the current 30-second step
and the one before it: real codes from the demo secret, with the clock
frozen in the middle of a step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client

from conftest import Personas
from organisations.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

NOW = datetime(2026, 12, 7, 9, 0, 15, tzinfo=UTC)  # 15 s into a step


def _code(offset_seconds: int) -> str:
    moment = NOW + timedelta(seconds=offset_seconds)
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(moment.timestamp()) // 30))


@pytest.mark.parametrize(
    ("offset_seconds", "is_accepted"),
    [(-60, False), (-30, True), (0, True), (30, False)],
    ids=["two-steps-back", "previous-step", "current-step", "next-step"],
)
def test_staff_sign_in_accepts_the_current_and_the_previous_code_only(
    personas: Personas, offset_seconds: int, is_accepted: bool
) -> None:
    client = Client()
    with time_machine.travel(NOW, tick=False):
        first = client.post("/accounts/login/", {"login": personas.worker.username, "password": DEMO_PASSWORD})
        assert first["Location"] == "/accounts/2fa/authenticate/"
        second = client.post("/accounts/2fa/authenticate/", {"code": _code(offset_seconds)})

    is_signed_in = client.session.get("_auth_user_id") == str(personas.worker.pk)
    assert is_signed_in is is_accepted
    assert second.status_code == (302 if is_accepted else 200)


def test_a_code_ahead_is_refused_when_a_staff_member_confirms_with_their_code(personas: Personas) -> None:
    """Reauthentication (before changing security settings) follows the same window."""
    client = Client()
    with time_machine.travel(NOW, tick=False):
        client.post("/accounts/login/", {"login": personas.worker.username, "password": DEMO_PASSWORD})
        client.post("/accounts/2fa/authenticate/", {"code": _code(0)})
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        ahead = client.post("/accounts/2fa/reauthenticate/", {"code": _code(5 * 60 + 30)})
        previous = client.post("/accounts/2fa/reauthenticate/", {"code": _code(5 * 60 - 30)})

    assert ahead.status_code == 200
    assert previous.status_code == 302

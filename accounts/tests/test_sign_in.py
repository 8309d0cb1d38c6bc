"""Signing in, and the rules that hold for every signed-in session: no open
signup, throttled guessing, no account enumeration, a second step for staff,
and sessions that end when nobody is using them."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import Role, User
from audit.models import AccessLogEntry
from conftest import Personas, client_for, run_queued_tasks
from organisations.demo import DEMO_PASSWORD, demo_totp_code

LOGIN_URL = "/accounts/login/"
TOTP_SETUP_URL = "/accounts/2fa/totp/activate/"


def without_csrf_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def staff_without_second_step(personas: Personas, *, role: str = Role.SOCIAL_WORKER) -> User:
    return User.objects.create_user(
        username="nieuwe.collega",
        password=DEMO_PASSWORD,
        first_name="Nina",
        last_name="Nieuw",
        role=role,
        organisation=personas.organisation,
    )


def sign_in_with_password_and_code(client: Client, user: User) -> None:
    """The real sign-in of a staff member: password, then the code from the app."""
    first = client.post(LOGIN_URL, {"login": user.username, "password": DEMO_PASSWORD})
    assert first.status_code == 302
    assert first["Location"] == "/accounts/2fa/authenticate/"
    second = client.post("/accounts/2fa/authenticate/", {"code": demo_totp_code()})
    assert second.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


# --- The sign-in page ------------------------------------------------------------


def test_sign_in_page_warns_that_the_worker_never_asks_for_a_digid_code(db: None) -> None:
    response = Client().get(LOGIN_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Let op: oplichters" in content
    assert "Uw sociaal werker vraagt nooit om uw DigiD-code, uw wachtwoord of uw bankgegevens." in content
    assert 'href="/activeren/"' in content


def test_resident_signs_in_with_username_and_password(personas: Personas) -> None:
    client = Client()

    response = client.post(LOGIN_URL, {"login": personas.resident.username, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(personas.resident.pk)


def test_staff_member_needs_the_code_from_the_app_after_the_password(personas: Personas) -> None:
    client = Client()

    response = client.post(LOGIN_URL, {"login": personas.worker.username, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user_id(client) is None


def test_staff_member_signs_in_with_password_and_code(personas: Personas) -> None:
    client = Client()

    sign_in_with_password_and_code(client, personas.worker)

    assert client.get("/werk/").status_code == 200


def test_signup_is_closed(db: None) -> None:
    users_before = User.objects.count()
    client = Client()

    page = client.get("/accounts/signup/")
    attempt = client.post("/accounts/signup/", {"username": "indringer", "password1": "een heel lang wachtwoord"})

    assert page.status_code == 200
    assert 'name="password1"' not in page.content.decode()
    assert attempt.status_code in (200, 302, 403)
    assert User.objects.count() == users_before
    assert not User.objects.filter(username="indringer").exists()
    assert signed_in_user_id(client) is None


def test_inactive_invited_account_cannot_sign_in(personas: Personas) -> None:
    personas.resident.is_active = False
    personas.resident.save(update_fields=["is_active"])
    client = Client()

    client.post(LOGIN_URL, {"login": personas.resident.username, "password": DEMO_PASSWORD})

    assert signed_in_user_id(client) is None


# --- Guessing passwords ------------------------------------------------------------


def test_failed_sign_ins_are_throttled_per_account(personas: Personas) -> None:
    client = Client()
    for _attempt in range(5):
        wrong = client.post(LOGIN_URL, {"login": personas.resident.username, "password": "fout wachtwoord"})
        assert wrong.status_code == 200

    # Even the right password is refused now, or throttling would tell the guesser nothing.
    response = client.post(LOGIN_URL, {"login": personas.resident.username, "password": DEMO_PASSWORD})

    assert response.status_code == 200
    assert "Er is te vaak een verkeerd wachtwoord getypt." in response.content.decode()
    assert signed_in_user_id(client) is None


def test_throttle_on_one_account_does_not_lock_out_another(personas: Personas) -> None:
    client = Client()
    for _attempt in range(6):
        client.post(LOGIN_URL, {"login": personas.resident.username, "password": "fout wachtwoord"})

    response = client.post(LOGIN_URL, {"login": personas.other_resident.username, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(personas.other_resident.pk)


def test_sign_in_works_again_after_the_throttle_period(personas: Personas) -> None:
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = Client()
        for _attempt in range(6):
            client.post(LOGIN_URL, {"login": personas.resident.username, "password": "fout wachtwoord"})
        traveller.shift(timedelta(minutes=16))

        response = client.post(LOGIN_URL, {"login": personas.resident.username, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(personas.resident.pk)


# --- Password reset ----------------------------------------------------------------


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(
    personas: Personas, transactional_db: None
) -> None:
    # Transactional: the mail goes out from a thread of its own, after the
    # answer (accounts/tests/test_password_reset_timing.py).
    known = Client().post("/accounts/password/reset/", {"email": personas.worker.email})
    unknown = Client().post("/accounts/password/reset/", {"email": "niemand@example.org"})
    run_queued_tasks()  # with REDIS_URL the mail waits in the queue
    for thread in threading.enumerate():
        if thread.name == "password-reset-mail":
            thread.join(timeout=30)

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/done/"
    # Only the real account gets a mail; the screen is the same for both.
    assert [address for message in mail.outbox for address in message.to] == [personas.worker.email]
    reset_mail = mail.outbox[0]
    assert "/accounts/password/reset/key/" in reset_mail.body


def test_password_reset_done_page_is_the_same_for_everyone(personas: Personas) -> None:
    known = Client().post("/accounts/password/reset/", {"email": personas.worker.email}, follow=True)
    unknown = Client().post("/accounts/password/reset/", {"email": "niemand@example.org"}, follow=True)

    assert known.status_code == unknown.status_code == 200
    assert without_csrf_token(known.content.decode()) == without_csrf_token(unknown.content.decode())


# --- A second step for staff --------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/werk/", "/beveiliging/", "/mijn/", "/beheer/", "/privacy/toegangslog/"])
def test_staff_without_a_second_step_are_sent_to_set_one_up_from_every_page(personas: Personas, path: str) -> None:
    staff = staff_without_second_step(personas)

    response = client_for(staff).get(path)

    assert response.status_code == 302
    assert response["Location"] == TOTP_SETUP_URL
    # Stopped before any view ran: nothing was read or written.
    assert not AccessLogEntry.objects.filter(actor=staff).exists()


@pytest.mark.parametrize("role", [Role.TEAM_LEAD, Role.ORGANISATION_ADMIN, Role.PRIVACY_OFFICER, Role.RESEARCHER])
def test_every_staff_role_must_set_up_a_second_step(personas: Personas, role: str) -> None:
    staff = staff_without_second_step(personas, role=role)

    response = client_for(staff).get("/")

    assert response.status_code == 302
    assert response["Location"] == TOTP_SETUP_URL


def test_staff_without_a_second_step_can_reach_the_setup_page_after_confirming_their_password(
    personas: Personas,
) -> None:
    staff = staff_without_second_step(personas)
    client = Client()
    client.post(LOGIN_URL, {"login": staff.username, "password": DEMO_PASSWORD})

    home = client.get("/")
    setup = client.get(TOTP_SETUP_URL)
    confirmed = client.post(setup["Location"], {"password": DEMO_PASSWORD})
    response = client.get(TOTP_SETUP_URL)

    assert home["Location"] == TOTP_SETUP_URL
    assert setup["Location"].startswith("/accounts/reauthenticate/")
    assert confirmed["Location"] == TOTP_SETUP_URL
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=staff).exists()


def test_a_trusted_person_must_set_up_a_second_step_before_seeing_anything(personas: Personas) -> None:
    """A trusted person sees someone else's data: their sign-in needs a
    second step, as staff's does (issue 15)."""
    trusted = personas.trusted_person
    Authenticator.objects.filter(user=trusted).delete()

    response = client_for(trusted).get(f"/naaste/{personas.resident.public_id}/afspraken/")

    assert response.status_code == 302
    assert response["Location"] == TOTP_SETUP_URL
    assert not AccessLogEntry.objects.filter(actor=trusted).exists()


def test_residents_do_not_need_a_second_step(personas: Personas) -> None:
    assert not Authenticator.objects.filter(user=personas.resident).exists()

    response = client_for(personas.resident).get("/mijn/")

    assert response.status_code == 200


def test_staff_cannot_delete_their_last_code_app(personas: Personas) -> None:
    client = Client()
    sign_in_with_password_and_code(client, personas.worker)
    client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 200
    assert "U kunt de tweede stap niet uitzetten." in response.content.decode()
    assert Authenticator.objects.filter(user=personas.worker, type=Authenticator.Type.TOTP).exists()


def test_staff_may_delete_the_code_app_when_a_passkey_remains(personas: Personas) -> None:
    totp = Authenticator.objects.get(user=personas.worker, type=Authenticator.Type.TOTP)
    adapter = get_mfa_adapter()
    assert not adapter.can_delete_authenticator(totp)

    Authenticator.objects.create(user=personas.worker, type=Authenticator.Type.WEBAUTHN, data={})

    assert adapter.can_delete_authenticator(totp)


def test_residents_may_delete_their_code_app(personas: Personas) -> None:
    totp = Authenticator.objects.create(user=personas.resident, type=Authenticator.Type.TOTP, data={})

    assert get_mfa_adapter().can_delete_authenticator(totp)


# --- Idle sessions -------------------------------------------------------------------


def test_staff_are_signed_out_after_fifteen_idle_minutes(personas: Personas) -> None:
    client = client_for(personas.worker)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert client.get("/werk/").status_code == 200
        traveller.shift(timedelta(minutes=14))
        assert client.get("/werk/").status_code == 200
        traveller.shift(timedelta(minutes=15, seconds=1))

        response = client.get("/werk/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/werk/"
    assert signed_in_user_id(client) is None


def test_activity_keeps_a_staff_session_alive(personas: Personas) -> None:
    client = client_for(personas.worker)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _step in range(4):
            assert client.get("/werk/").status_code == 200
            traveller.shift(timedelta(minutes=10))

        response = client.get("/werk/")

    assert response.status_code == 200


def test_residents_are_signed_out_after_thirty_idle_minutes_not_fifteen(personas: Personas) -> None:
    client = client_for(personas.resident)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert client.get("/mijn/").status_code == 200
        traveller.shift(timedelta(minutes=20))
        still_in = client.get("/mijn/")
        traveller.shift(timedelta(minutes=30, seconds=1))

        response = client.get("/mijn/")

    assert still_in.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/mijn/"
    assert signed_in_user_id(client) is None


def test_signed_out_after_idling_the_person_is_told_why(personas: Personas) -> None:
    client = client_for(personas.resident)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get("/mijn/")
        traveller.shift(timedelta(minutes=31))

        response = client.get("/mijn/", follow=True)

    assert "U was een tijd niet actief. Log opnieuw in." in response.content.decode()


# --- Password hashing ---------------------------------------------------------------


def test_passwords_are_hashed_with_argon2_in_the_real_settings() -> None:
    from samenspraak import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"

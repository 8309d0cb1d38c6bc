"""A resident activates their account: with the code from the letter, or
with the link from the email, then chooses a username and password."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.codes import CODE_ALPHABET
from accounts.models import Invitation, Role, User
from accounts.services import IssuedInvitation, resident_invite, staff_invite
from conftest import Personas

ACTIVATE_URL = "/activeren/"
CREDENTIALS_URL = "/activeren/account/"
GOOD_PASSWORD = "lange wandeling langs de rivier"


def invite_by_letter(personas: Personas) -> IssuedInvitation:
    return resident_invite(
        invited_by=personas.worker, first_name="Gerda", last_name="Zonneveld", email="", phone="", channel="letter"
    )


def invite_by_email(personas: Personas) -> IssuedInvitation:
    return resident_invite(
        invited_by=personas.worker,
        first_name="Gerda",
        last_name="Zonneveld",
        email="gerda@example.org",
        phone="",
        channel="email",
    )


def credentials(username: str = "gerda.z", password: str = GOOD_PASSWORD, again: str | None = None) -> dict[str, str]:
    return {"username": username, "password": password, "password_again": password if again is None else again}


def assert_not_activated(issued: IssuedInvitation) -> None:
    user = User.objects.get(pk=issued.invitation.user.pk)
    invitation = Invitation.objects.get(pk=issued.invitation.pk)
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.username.startswith("pending-")
    assert invitation.used_at is None
    assert invitation.is_usable


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def at_credentials_step(personas: Personas) -> tuple[Client, IssuedInvitation]:
    issued = invite_by_letter(personas)
    client = Client()
    response = client.post(ACTIVATE_URL, {"code": issued.secret})
    assert response.status_code == 302
    assert response["Location"] == CREDENTIALS_URL
    return client, issued


# --- Step 1: the code from the letter ----------------------------------------------


def test_activation_page_warns_never_to_share_the_code(db: None) -> None:
    response = Client().get(ACTIVATE_URL)

    assert response.status_code == 200
    assert "Uw sociaal werker vraagt nooit om uw code of uw DigiD-code." in response.content.decode()


def test_resident_activates_with_the_code_from_the_letter_and_is_signed_in(personas: Personas) -> None:
    issued = invite_by_letter(personas)
    client = Client()

    step_one = client.post(ACTIVATE_URL, {"code": issued.secret})
    form = client.get(CREDENTIALS_URL)
    step_two = client.post(CREDENTIALS_URL, credentials())

    assert step_one.status_code == 302
    assert "Welkom Gerda" in form.content.decode()
    assert step_two.status_code == 302
    assert step_two["Location"] == "/"
    user = User.objects.get(pk=issued.invitation.user.pk)
    assert user.is_active
    assert user.username == "gerda.z"
    assert user.check_password(GOOD_PASSWORD)
    assert Invitation.objects.get(pk=issued.invitation.pk).used_at is not None
    assert signed_in_user_id(client) == str(user.pk)
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/mijn/"


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param(lambda code: code.lower(), id="lowercase"),
        pytest.param(lambda code: code.replace("-", " "), id="spaces"),
        pytest.param(lambda code: "  " + code.replace("-", "").lower() + "  ", id="no-dashes-padded"),
        pytest.param(lambda code: " - ".join(code.split("-")).lower(), id="spaced-dashes"),
        pytest.param(lambda code: code.replace("-", "."), id="dots"),
    ],
)
def test_code_typed_loosely_is_still_accepted(personas: Personas, typed: object) -> None:
    issued = invite_by_letter(personas)

    response = Client().post(ACTIVATE_URL, {"code": typed(issued.secret)})  # type: ignore[operator]

    assert response.status_code == 302
    assert response["Location"] == CREDENTIALS_URL


def test_codes_never_contain_look_alike_characters(personas: Personas) -> None:
    # 0/O and 1/I/L are left out of the alphabet, so nobody has to guess
    # which of the two is printed.
    for character in "0O1IL":
        assert character not in CODE_ALPHABET
    codes = [invite_by_letter(personas).secret for _ in range(20)]
    for code in codes:
        assert not set(code) & set("0O1IL")


@pytest.mark.parametrize("look_alike", ["O", "0", "I", "1", "L"])
def test_code_with_a_look_alike_character_gets_a_clear_message(personas: Personas, look_alike: str) -> None:
    issued = invite_by_letter(personas)
    typed = look_alike + issued.secret[1:]

    response = Client().post(ACTIVATE_URL, {"code": typed})

    assert response.status_code == 200
    assert "Deze code klopt niet. Kijk goed of u alle tekens hebt overgetypt." in response.content.decode()
    assert_not_activated(issued)


def test_code_works_only_once(personas: Personas) -> None:
    issued = invite_by_letter(personas)
    first = Client()
    first.post(ACTIVATE_URL, {"code": issued.secret})
    first.post(CREDENTIALS_URL, credentials())

    second = Client()
    response = second.post(ACTIVATE_URL, {"code": issued.secret})

    assert response.status_code == 200
    assert "Deze code werkt niet. Misschien is hij al gebruikt of verlopen." in response.content.decode()
    assert signed_in_user_id(second) is None
    assert User.objects.get(pk=issued.invitation.user.pk).username == "gerda.z"


def test_second_browser_at_the_credentials_step_cannot_reuse_a_used_code(personas: Personas) -> None:
    issued = invite_by_letter(personas)
    first, second = Client(), Client()
    first.post(ACTIVATE_URL, {"code": issued.secret})
    second.post(ACTIVATE_URL, {"code": issued.secret})
    first.post(CREDENTIALS_URL, credentials())

    response = second.post(CREDENTIALS_URL, credentials(username="iemand.anders"))

    assert response.status_code == 404
    assert "Deze uitnodiging werkt niet (meer)" in response.content.decode()
    assert User.objects.get(pk=issued.invitation.user.pk).username == "gerda.z"
    assert signed_in_user_id(second) is None


def test_expired_code_does_not_work(personas: Personas) -> None:
    issued = invite_by_letter(personas)

    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = Client().post(ACTIVATE_URL, {"code": issued.secret})

    assert response.status_code == 200
    assert "Deze code werkt niet. Misschien is hij al gebruikt of verlopen." in response.content.decode()
    invitation = Invitation.objects.get(pk=issued.invitation.pk)
    assert invitation.used_at is None
    assert not User.objects.get(pk=issued.invitation.user.pk).is_active


def test_code_still_works_on_its_last_day(personas: Personas) -> None:
    issued = invite_by_letter(personas)

    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        response = Client().post(ACTIVATE_URL, {"code": issued.secret})

    assert response.status_code == 302


def test_code_expiring_between_the_two_steps_does_not_activate(personas: Personas) -> None:
    client, issued = at_credentials_step(personas)

    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = client.post(CREDENTIALS_URL, credentials())

    assert response.status_code == 404
    assert_not_activated(issued)


def test_an_email_token_typed_as_a_code_does_not_work(personas: Personas) -> None:
    issued = invite_by_email(personas)

    response = Client().post(ACTIVATE_URL, {"code": issued.secret})

    # A link token is longer than any code: the form says so, in Dutch.
    assert response.status_code == 200
    assert "Zorg dat deze waarde niet meer dan 40 tekens bevat" in response.content.decode()
    assert_not_activated(issued)


def test_guessing_codes_is_throttled_per_address(personas: Personas) -> None:
    issued = invite_by_letter(personas)
    client = Client()
    for _attempt in range(10):
        wrong = client.post(ACTIVATE_URL, {"code": "ABCD-EFGH-JKMN"})
        assert wrong.status_code == 200

    eleventh = client.post(ACTIVATE_URL, {"code": "ABCD-EFGH-JKMP"})
    # Even the right code waits now: otherwise throttling tells the guesser nothing.
    with_right_code = Client().post(ACTIVATE_URL, {"code": issued.secret})

    assert eleventh.status_code == 429
    assert "U hebt te vaak een verkeerde code geprobeerd. Wacht een kwartier" in eleventh.content.decode()
    assert with_right_code.status_code == 429
    assert "activation_invitation_id" not in with_right_code.wsgi_request.session
    assert_not_activated(issued)


def test_throttle_on_codes_ends_after_a_quarter_of_an_hour(personas: Personas) -> None:
    issued = invite_by_letter(personas)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _attempt in range(11):
            Client().post(ACTIVATE_URL, {"code": "ABCD-EFGH-JKMN"})
        traveller.shift(timedelta(minutes=16))

        response = Client().post(ACTIVATE_URL, {"code": issued.secret})

    assert response.status_code == 302


def test_signed_in_person_is_sent_home_from_the_activation_page(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.resident, backend="allauth.account.auth_backends.AuthenticationBackend")

    response = client.get(ACTIVATE_URL)

    assert response.status_code == 302
    assert response["Location"] == "/"


# --- Step 1: the link from the email ----------------------------------------------


def test_resident_activates_with_the_email_link(personas: Personas) -> None:
    issued = invite_by_email(personas)
    client = Client()

    link = client.get(f"/uitnodiging/{issued.secret}/")
    chosen = client.post(CREDENTIALS_URL, credentials())

    assert link.status_code == 302
    assert link["Location"] == CREDENTIALS_URL
    assert chosen.status_code == 302
    user = User.objects.get(pk=issued.invitation.user.pk)
    assert user.is_active
    assert user.username == "gerda.z"
    assert signed_in_user_id(client) == str(user.pk)


def test_email_link_works_only_once(personas: Personas) -> None:
    issued = invite_by_email(personas)
    first = Client()
    first.get(f"/uitnodiging/{issued.secret}/")
    first.post(CREDENTIALS_URL, credentials())

    response = Client().get(f"/uitnodiging/{issued.secret}/")

    assert response.status_code == 404
    assert "Deze uitnodiging werkt niet (meer)" in response.content.decode()


def test_unknown_or_letter_code_in_email_link_does_not_work(personas: Personas) -> None:
    letter = invite_by_letter(personas)

    unknown = Client().get("/uitnodiging/dit-is-geen-geldige-uitnodiging/")
    as_link = Client().get(f"/uitnodiging/{letter.secret}/")

    assert unknown.status_code == 404
    assert as_link.status_code == 404
    assert_not_activated(letter)


def test_expired_email_link_does_not_work(personas: Personas) -> None:
    issued = invite_by_email(personas)

    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = Client().get(f"/uitnodiging/{issued.secret}/")

    assert response.status_code == 404
    assert_not_activated(issued)


def test_guessing_email_links_is_throttled(personas: Personas) -> None:
    issued = invite_by_email(personas)
    client = Client()
    for attempt in range(10):
        assert client.get(f"/uitnodiging/geraden-{attempt}/").status_code == 404

    response = client.get(f"/uitnodiging/{issued.secret}/")

    assert response.status_code == 429
    assert "Er is te vaak geprobeerd. Wacht een kwartier" in response.content.decode()
    assert_not_activated(issued)


def test_credentials_step_without_an_invitation_shows_that_it_does_not_work(db: None) -> None:
    response = Client().post(CREDENTIALS_URL, credentials())

    assert response.status_code == 404
    assert "Deze uitnodiging werkt niet (meer)" in response.content.decode()


def test_invited_colleague_activates_and_must_set_up_a_second_step(personas: Personas) -> None:
    issued = staff_invite(
        invited_by=personas.admin,
        first_name="Karin",
        last_name="Vos",
        email="karin@example.org",
        role=Role.SOCIAL_WORKER,
        team_id=None,
    )
    client = Client()
    client.get(f"/uitnodiging/{issued.secret}/")
    client.post(CREDENTIALS_URL, credentials(username="karin.vos"))

    response = client.get("/werk/")

    assert User.objects.get(pk=issued.invitation.user.pk).is_active
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


# --- Step 2: choosing a username and password -------------------------------------


def test_passwords_that_differ_are_refused(personas: Personas) -> None:
    client, issued = at_credentials_step(personas)

    response = client.post(CREDENTIALS_URL, credentials(again="lange wandeling langs de rivier!"))

    assert response.status_code == 200
    assert "De twee wachtwoorden zijn niet gelijk." in response.content.decode()
    assert_not_activated(issued)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort123", "Dit wachtwoord is te kort"),
        ("wachtwoord", "Dit wachtwoord is te algemeen."),
        ("password123", "Dit wachtwoord is te algemeen."),
        ("4829175360", "Dit wachtwoord bevat alleen cijfers."),
        ("gerda.zonneveld", "Het wachtwoord lijkt te veel op"),
    ],
)
def test_weak_password_is_refused_with_a_dutch_reason(personas: Personas, password: str, message: str) -> None:
    client, issued = at_credentials_step(personas)

    response = client.post(CREDENTIALS_URL, credentials(username="gerda.zonneveld", password=password))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "This password" not in response.content.decode()
    assert_not_activated(issued)


@pytest.mark.parametrize("taken", ["sanne", "SANNE", "Sanne"])
def test_username_already_taken_is_refused(personas: Personas, taken: str) -> None:
    client, issued = at_credentials_step(personas)

    response = client.post(CREDENTIALS_URL, credentials(username=taken))

    assert response.status_code == 200
    assert "Deze gebruikersnaam is al bezet. Kies een andere." in response.content.decode()
    assert_not_activated(issued)
    assert User.objects.filter(username__iexact="sanne").count() == 1


HOSTILE_USERNAMES = {
    "very-long": ("a" * 5000, "niet meer dan 40 tekens"),
    "html": ("<b>gerda</b>", "Gebruik 3 tot 40 letters of cijfers"),
    "script": ("<script>alert(1)</script>", "Gebruik 3 tot 40 letters of cijfers"),
    "rtl-override": ("gerda\u202etxt.exe", "Gebruik 3 tot 40 letters of cijfers"),
    "zero-width": ("ger\u200bda", "Gebruik 3 tot 40 letters of cijfers"),
    "nul-byte": ("gerda\x00", "Null-tekens zijn niet toegestaan"),
    "sql": ("gerda' OR '1'='1", "Gebruik 3 tot 40 letters of cijfers"),
    "empty": ("", "Dit veld is verplicht"),
}


@pytest.mark.parametrize(("username", "message"), HOSTILE_USERNAMES.values(), ids=HOSTILE_USERNAMES.keys())
def test_hostile_username_gets_a_dutch_message_and_nothing_is_saved(
    personas: Personas, username: str, message: str
) -> None:
    client, issued = at_credentials_step(personas)

    response = client.post(CREDENTIALS_URL, credentials(username=username))

    assert response.status_code == 200
    content = response.content.decode()
    assert message in content
    assert "<script>alert(1)</script>" not in content
    assert "<b>gerda</b>" not in content
    assert_not_activated(issued)


HOSTILE_PASSWORDS = {
    "very-long": ("x" * 100_000, "niet meer dan 200 tekens"),
    "nul-byte": ("lange wandeling\x00langs de rivier", "Null-tekens zijn niet toegestaan"),
}


@pytest.mark.parametrize(("password", "message"), HOSTILE_PASSWORDS.values(), ids=HOSTILE_PASSWORDS.keys())
def test_hostile_password_gets_a_dutch_message_and_nothing_is_saved(
    personas: Personas, password: str, message: str
) -> None:
    client, issued = at_credentials_step(personas)

    response = client.post(CREDENTIALS_URL, credentials(password=password))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert_not_activated(issued)


@pytest.mark.parametrize(
    "code",
    ["x" * 10_000, "<script>alert(1)</script>", "ABCD\u202eEFGH-JKMN", "AB\u200bCD-EFGH-JKMN", "ABCD\x00EFGH"],
    ids=["very-long", "script", "rtl-override", "zero-width", "nul-byte"],
)
def test_hostile_code_gets_a_dutch_message_not_an_error(personas: Personas, code: str) -> None:
    issued = invite_by_letter(personas)

    response = Client().post(ACTIVATE_URL, {"code": code})

    assert response.status_code == 200
    content = response.content.decode()
    assert any(message in content for message in ("Deze code", "Null-tekens", "niet meer dan 40 tekens"))
    assert "<script>alert(1)</script>" not in content
    assert_not_activated(issued)

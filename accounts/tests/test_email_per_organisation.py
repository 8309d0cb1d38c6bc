"""An e-mail address is unique within an organisation, not across them, so
inviting someone never tells an organisation that an address is in use
elsewhere: the answer is the same as for an address nobody uses."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client

from accounts.models import Role, User
from conftest import Personas, client_for, run_queued_tasks
from organisations.demo import DEMO_PASSWORD
from organisations.models import TrustedPersonGrant

INVITE_URL = "/werk/inwoners/uitnodigen/"
TRUSTED_URL = "/mijn/vertrouwenspersonen/nieuw/"
ELSEWHERE = "gerda@example.org"
NOBODY = "nieuw@example.org"


def _used_elsewhere(personas: Personas) -> User:
    personas.foreign_resident.email = ELSEWHERE
    personas.foreign_resident.save(update_fields=["email"])
    return personas.foreign_resident


def _what_the_worker_sees(client: Client, email: str, first_name: str) -> tuple[int, str]:
    """The answer to the invitation form, and the page it leads to, with the
    parts that differ for any two invitations (name, id) taken out."""
    response = client.post(
        INVITE_URL,
        {"first_name": first_name, "last_name": "Zonneveld", "channel": "email", "email": email, "phone": ""},
    )
    page = client.get(response["Location"]).content.decode()
    page = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", page.replace(first_name, "<name>").replace(email, "<email>"))
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    page = re.sub(r"nonce-[^']+'|nonce=\"[^\"]+\"", "<nonce>", page)
    return response.status_code, page


def test_inviting_an_address_used_in_another_organisation_looks_like_a_new_address(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _used_elsewhere(personas)
    client = client_for(personas.worker)

    with django_capture_on_commit_callbacks(execute=True):
        fresh = _what_the_worker_sees(client, NOBODY, "Nina")
        elsewhere = _what_the_worker_sees(client, ELSEWHERE, "Gerda")
    run_queued_tasks()

    assert fresh[0] == elsewhere[0] == 302
    assert fresh[1] == elsewhere[1]
    assert "De uitnodiging is verstuurd per e-mail." in elsewhere[1]
    invited = User.objects.get(organisation=personas.organisation, email=ELSEWHERE)
    assert invited.role == Role.RESIDENT
    assert not invited.is_active
    assert sorted(address for message in mail.outbox for address in message.to) == [ELSEWHERE, NOBODY]


def test_a_resident_inviting_an_address_used_elsewhere_sees_the_same_as_for_a_new_one(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    _used_elsewhere(personas)
    client = client_for(personas.resident)
    form = {"first_name": "Karim", "last_name": "el Amrani", "scopes": ["appointments"], "understood": "on"}

    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post(TRUSTED_URL, {**form, "email": NOBODY})
        elsewhere = client.post(TRUSTED_URL, {**form, "email": ELSEWHERE})

    assert fresh.status_code == elsewhere.status_code == 302
    assert fresh["Location"] == elsewhere["Location"]
    person = User.objects.get(organisation=personas.organisation, email=ELSEWHERE)
    assert person.role == Role.TRUSTED_PERSON
    assert TrustedPersonGrant.objects.filter(resident=personas.resident, trusted_person=person).exists()
    assert User.objects.get(pk=personas.foreign_resident.pk).role == Role.RESIDENT  # untouched


def test_an_address_used_in_the_own_organisation_still_gets_a_clear_message(personas: Personas) -> None:
    users_before = User.objects.count()

    response = client_for(personas.worker).post(
        INVITE_URL,
        {
            "first_name": "Nina",
            "last_name": "Zonneveld",
            "channel": "email",
            "email": personas.other_worker.email.upper(),
            "phone": "",
        },
    )

    assert response.status_code == 200
    assert "Dit e-mailadres is al in gebruik" in response.content.decode()
    assert User.objects.count() == users_before


def test_the_database_refuses_one_address_twice_in_one_organisation(personas: Personas) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(
            username="dubbel",
            email=personas.worker.email.upper(),
            role=Role.RESIDENT,
            organisation=personas.organisation,
        )


def test_one_address_in_two_organisations_signs_in_to_the_account_whose_password_matches(
    personas: Personas,
) -> None:
    elsewhere = _used_elsewhere(personas)  # its password is the demo password
    here = User.objects.create_user(
        username="gerda.hier",
        email=ELSEWHERE,
        password="een heel ander wachtwoord",
        role=Role.RESIDENT,
        organisation=personas.organisation,
    )
    first, second = Client(), Client()

    first.post("/accounts/login/", {"login": ELSEWHERE, "password": DEMO_PASSWORD})
    second.post("/accounts/login/", {"login": ELSEWHERE, "password": "een heel ander wachtwoord"})

    assert first.session.get("_auth_user_id") == str(elsewhere.pk)
    assert second.session.get("_auth_user_id") == str(here.pk)

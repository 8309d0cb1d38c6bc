"""Inviting people: residents by letter or email, colleagues by email, and
printing a (new) activation letter."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from accounts.models import Invitation, Role, User
from accounts.services import invitation_find, invitation_renew, resident_invite
from audit.models import AccessLogEntry
from conftest import Personas, client_for, run_queued_tasks
from organisations.models import CaseloadAssignment

INVITE_URL = "/werk/inwoners/uitnodigen/"


def letter_url(resident: User) -> str:
    return f"/werk/inwoners/{resident.public_id}/brief/"


def invite_form(**overrides: str) -> dict[str, str]:
    data = {"first_name": "Gerda", "last_name": "Zonneveld", "channel": "letter", "email": "", "phone": ""}
    data.update(overrides)
    return data


def test_worker_invites_resident_by_letter_creates_inactive_account_on_own_caseload(personas: Personas) -> None:
    response = client_for(personas.worker).post(INVITE_URL, invite_form(phone="06 12345678"))

    resident = User.objects.get(last_name="Zonneveld")
    assert response.status_code == 302
    assert response["Location"] == f"/werk/inwoners/{resident.public_id}/"
    assert resident.role == Role.RESIDENT
    assert resident.organisation == personas.organisation
    assert not resident.is_active
    assert not resident.has_usable_password()
    assert list(CaseloadAssignment.objects.filter(resident=resident).values_list("worker", flat=True)) == [
        personas.worker.pk
    ]
    invitation = Invitation.objects.get(user=resident)
    assert invitation.channel == Invitation.Channel.LETTER
    assert invitation.invited_by == personas.worker
    assert invitation.is_usable
    assert mail.outbox == []
    assert AccessLogEntry.objects.filter(
        actor=personas.worker, subject=resident, action=AccessLogEntry.Action.CREATE
    ).exists()


def test_worker_invites_resident_by_email_sends_a_link_with_only_the_first_name(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.worker).post(
            INVITE_URL, invite_form(channel="email", email="gerda@example.org", phone="06 12345678")
        )
    run_queued_tasks()

    assert response.status_code == 302
    resident = User.objects.get(email="gerda@example.org")
    assert not resident.is_active
    assert CaseloadAssignment.objects.filter(resident=resident, worker=personas.worker).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["gerda@example.org"]
    body, subject = str(message.body), str(message.subject)
    text = subject + body
    assert "Gerda" in body
    link = re.search(r"http://127\.0\.0\.1:8000/uitnodiging/\?code=([A-Za-z0-9_-]+)\s", body)
    assert link is not None
    assert invitation_find(secret=link.group(1)) == Invitation.objects.get(user=resident)
    # Nothing else about the person or their support: a mailbox is not private.
    for sensitive in ("Zonneveld", "06 12345678", personas.worker.first_name, personas.worker.last_name):
        assert sensitive not in text


def test_invite_by_email_without_address_asks_for_one_and_creates_nothing(personas: Personas) -> None:
    users_before = User.objects.count()

    response = client_for(personas.worker).post(INVITE_URL, invite_form(channel="email"))

    assert response.status_code == 200
    assert "Vul een e-mailadres in, of kies voor een brief." in response.content.decode()
    assert User.objects.count() == users_before
    assert not Invitation.objects.exists()


def test_invite_with_an_email_address_already_in_use_is_refused_and_creates_nothing(personas: Personas) -> None:
    users_before = User.objects.count()

    response = client_for(personas.worker).post(
        INVITE_URL, invite_form(channel="email", email=personas.other_worker.email.upper())
    )

    assert response.status_code == 200
    assert "Dit e-mailadres is al in gebruik" in response.content.decode()
    assert User.objects.count() == users_before
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["resident", "trusted_person", "organisation_admin", "privacy_officer"])
def test_only_caseworkers_can_invite_residents(personas: Personas, role: str) -> None:
    users_before = User.objects.count()

    response = client_for(personas.by_role()[role]).post(INVITE_URL, invite_form())

    assert response.status_code == 403
    assert User.objects.count() == users_before
    assert not Invitation.objects.exists()


def test_admin_invites_a_colleague_by_email(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    team = personas.demo.teams[1]

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.admin).post(
            "/beheer/gebruikers/uitnodigen/",
            {
                "first_name": "Karin",
                "last_name": "Vos",
                "email": "karin@example.org",
                "role": Role.SOCIAL_WORKER,
                "team": str(team.public_id),
            },
        )
    run_queued_tasks()

    assert response.status_code == 302
    colleague = User.objects.get(email="karin@example.org")
    assert colleague.role == Role.SOCIAL_WORKER
    assert colleague.team == team
    assert colleague.organisation == personas.organisation
    assert not colleague.is_active
    invitation = Invitation.objects.get(user=colleague)
    assert invitation.channel == Invitation.Channel.EMAIL
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["karin@example.org"]
    assert "/uitnodiging/" in mail.outbox[0].body


def test_admin_cannot_invite_a_platform_admin(personas: Personas) -> None:
    users_before = User.objects.count()

    response = client_for(personas.admin).post(
        "/beheer/gebruikers/uitnodigen/",
        {"first_name": "Kees", "last_name": "Macht", "email": "kees@example.org", "role": Role.PLATFORM_ADMIN},
    )

    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert User.objects.count() == users_before
    assert not Invitation.objects.exists()


def test_worker_cannot_invite_colleagues(personas: Personas) -> None:
    users_before = User.objects.count()

    response = client_for(personas.worker).post(
        "/beheer/gebruikers/uitnodigen/",
        {"first_name": "Karin", "last_name": "Vos", "email": "karin@example.org", "role": Role.SOCIAL_WORKER},
    )

    assert response.status_code == 403
    assert User.objects.count() == users_before
    assert not Invitation.objects.exists()


# --- Letters --------------------------------------------------------------------


def invited_resident(personas: Personas, *, worker: User | None = None) -> tuple[User, str]:
    issued = resident_invite(
        invited_by=worker or personas.worker,
        first_name="Gerda",
        last_name="Zonneveld",
        email="",
        phone="",
        channel=Invitation.Channel.LETTER,
    )
    return issued.invitation.user, issued.secret


def test_printing_a_letter_returns_a_pdf_and_is_logged_as_print(personas: Personas) -> None:
    resident, _code = invited_resident(personas)

    response = client_for(personas.worker).post(letter_url(resident))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    # The file name ends up in download folders: no name in it.
    assert "Zonneveld" not in response["Content-Disposition"]
    assert AccessLogEntry.objects.filter(
        actor=personas.worker,
        subject=resident,
        action=AccessLogEntry.Action.PRINT,
        outcome=AccessLogEntry.Outcome.ALLOWED,
    ).exists()


def test_a_new_letter_revokes_the_old_code(personas: Personas) -> None:
    resident, old_code = invited_resident(personas)

    response = client_for(personas.worker).post(letter_url(resident))

    assert response.status_code == 200
    assert invitation_find(secret=old_code) is None
    assert Invitation.objects.usable().filter(user=resident).count() == 1
    activate = client_for(None).post("/activeren/", {"code": old_code})
    assert activate.status_code == 200
    assert "Deze code werkt niet" in activate.content.decode()


def test_renewing_a_letter_gives_a_new_code_that_works(personas: Personas) -> None:
    resident, old_code = invited_resident(personas)

    issued = invitation_renew(user=resident, renewed_by=personas.worker, channel=Invitation.Channel.LETTER)

    assert issued.secret != old_code
    assert invitation_find(secret=old_code) is None
    assert invitation_find(secret=issued.secret) == issued.invitation


def test_worker_cannot_print_a_letter_for_a_resident_on_another_caseload(personas: Personas) -> None:
    resident, code = invited_resident(personas, worker=personas.other_worker)
    invitations_before = list(Invitation.objects.values_list("pk", "revoked_at", "used_at"))

    response = client_for(personas.worker).post(letter_url(resident))

    assert response.status_code == 404
    assert list(Invitation.objects.values_list("pk", "revoked_at", "used_at")) == invitations_before
    assert invitation_find(secret=code) is not None
    assert AccessLogEntry.objects.filter(
        actor=personas.worker,
        subject=resident,
        action=AccessLogEntry.Action.PRINT,
        outcome=AccessLogEntry.Outcome.DENIED,
    ).exists()
    assert not AccessLogEntry.objects.filter(
        actor=personas.worker, subject=resident, outcome=AccessLogEntry.Outcome.ALLOWED
    ).exists()


def test_worker_of_another_organisation_cannot_print_a_letter(personas: Personas) -> None:
    resident, code = invited_resident(personas)

    response = client_for(personas.foreign_worker).post(letter_url(resident))

    assert response.status_code == 404
    assert invitation_find(secret=code) is not None
    assert Invitation.objects.filter(user=resident).count() == 1


def test_printing_a_letter_needs_a_post(personas: Personas) -> None:
    resident, code = invited_resident(personas)

    response = client_for(personas.worker).get(letter_url(resident))

    assert response.status_code == 405
    assert invitation_find(secret=code) is not None


def test_letter_for_an_active_resident_is_a_recovery_letter_that_keeps_the_account(personas: Personas) -> None:
    username = personas.resident.username

    response = client_for(personas.worker).post(letter_url(personas.resident))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    invitation = Invitation.objects.get(user=personas.resident)
    assert invitation.is_recovery
    personas.resident.refresh_from_db()
    assert personas.resident.is_active
    assert personas.resident.username == username

"""A trusted person sees only what a resident granted, and the resident can
take it back at any time."""

from __future__ import annotations

import pytest
from django.http import Http404

from accounts.models import User
from audit.models import AccessLogEntry
from conftest import Personas, client_for
from organisations.models import TrustedPersonGrant
from samenspraak.policy import resident_get_for_user


def the_grant(personas: Personas) -> TrustedPersonGrant:
    return TrustedPersonGrant.objects.get(resident=personas.resident, trusted_person=personas.trusted_person)


def revoke_url(grant: TrustedPersonGrant) -> str:
    return f"/mijn/vertrouwenspersonen/{grant.public_id}/intrekken/"


def grant_state(grant: TrustedPersonGrant) -> tuple[object, ...]:
    grant.refresh_from_db()
    return (grant.revoked_at, list(grant.scopes))


# --- What the trusted person sees ----------------------------------------------------


def test_trusted_person_sees_whom_they_support_and_what_was_granted(personas: Personas) -> None:
    response = client_for(personas.trusted_person).get("/mijn/")

    assert response.status_code == 200
    content = response.content.decode()
    assert f"<strong>{personas.resident.full_name}</strong>: agenda (afspraken met de sociaal werker)" in content
    assert personas.other_resident.full_name not in content
    assert personas.team_resident.full_name not in content


def test_trusted_person_reaches_the_granted_scope_only(personas: Personas) -> None:
    resident = resident_get_for_user(
        user=personas.trusted_person, public_id=personas.resident.public_id, scope="appointments"
    )

    assert resident == personas.resident
    for scope in ("casefile", "messages", None):
        with pytest.raises(Http404):
            resident_get_for_user(user=personas.trusted_person, public_id=personas.resident.public_id, scope=scope)


def test_trusted_person_refused_a_scope_is_logged_as_denied(personas: Personas) -> None:
    with pytest.raises(Http404):
        resident_get_for_user(user=personas.trusted_person, public_id=personas.resident.public_id, scope="casefile")

    entry = AccessLogEntry.objects.get(actor=personas.trusted_person)
    assert entry.subject == personas.resident
    assert entry.outcome == AccessLogEntry.Outcome.DENIED


@pytest.mark.parametrize("other", ["other_resident", "team_resident", "foreign_resident"])
def test_trusted_person_sees_nothing_of_residents_who_granted_nothing(personas: Personas, other: str) -> None:
    resident: User = getattr(personas, other)

    with pytest.raises(Http404):
        resident_get_for_user(user=personas.trusted_person, public_id=resident.public_id, scope="appointments")


@pytest.mark.parametrize(
    "path",
    ["/werk/", "/werk/inwoners/{resident}/", "/beheer/", "/privacy/toegangslog/", "/platform/"],
)
def test_trusted_person_cannot_open_staff_pages(personas: Personas, path: str) -> None:
    response = client_for(personas.trusted_person).get(path.format(resident=personas.resident.public_id))

    assert response.status_code == 403
    # Refused at the role gate: one refusal, concerning no resident, and no read.
    [entry] = AccessLogEntry.objects.filter(actor=personas.trusted_person)
    assert (entry.outcome, entry.object_type, entry.subject) == (AccessLogEntry.Outcome.DENIED, "permission", None)


def test_trusted_person_cannot_see_the_residents_other_trusted_persons(personas: Personas) -> None:
    response = client_for(personas.trusted_person).get("/mijn/vertrouwenspersonen/")

    assert response.status_code == 404
    assert personas.trusted_person.full_name not in response.content.decode()
    assert not AccessLogEntry.objects.filter(
        actor=personas.trusted_person, outcome=AccessLogEntry.Outcome.ALLOWED
    ).exists()


def test_after_revocation_the_trusted_person_sees_nothing(personas: Personas) -> None:
    client_for(personas.resident).post(revoke_url(the_grant(personas)))

    response = client_for(personas.trusted_person).get("/mijn/")

    assert "Niemand heeft u (nog) toestemming gegeven om mee te kijken." in response.content.decode()
    assert personas.resident.full_name not in response.content.decode()
    with pytest.raises(Http404):
        resident_get_for_user(user=personas.trusted_person, public_id=personas.resident.public_id, scope="appointments")


# --- The resident decides --------------------------------------------------------------


def test_resident_sees_who_may_look_along_and_what(personas: Personas) -> None:
    response = client_for(personas.resident).get("/mijn/vertrouwenspersonen/")

    assert response.status_code == 200
    content = response.content.decode()
    assert personas.trusted_person.full_name in content
    assert "Mag zien: agenda (afspraken met de sociaal werker)" in content
    assert revoke_url(the_grant(personas)) in content


def test_resident_revokes_a_grant(personas: Personas) -> None:
    grant = the_grant(personas)

    response = client_for(personas.resident).post(revoke_url(grant), follow=True)

    assert response.redirect_chain == [("/mijn/vertrouwenspersonen/", 302)]
    assert "De toestemming is ingetrokken. Deze persoon kan nu niets meer zien." in response.content.decode()
    assert "Er kijkt niemand met u mee." in response.content.decode()
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert AccessLogEntry.objects.filter(
        actor=personas.resident,
        subject=personas.resident,
        object_type="trusted_person_grant",
        object_id=str(grant.public_id),
        action=AccessLogEntry.Action.CHANGE,
    ).exists()


def test_revoking_twice_is_not_found_the_second_time(personas: Personas) -> None:
    grant = the_grant(personas)
    client = client_for(personas.resident)
    client.post(revoke_url(grant))
    revoked_at = grant_state(grant)

    response = client.post(revoke_url(grant))

    assert response.status_code == 404
    assert grant_state(grant) == revoked_at


@pytest.mark.parametrize("intruder", ["other_resident", "foreign_resident", "trusted_person"])
def test_nobody_else_can_revoke_a_residents_grant(personas: Personas, intruder: str) -> None:
    grant = the_grant(personas)
    before = grant_state(grant)

    response = client_for(getattr(personas, intruder)).post(revoke_url(grant))

    assert response.status_code == 404
    assert grant_state(grant) == before
    assert before[0] is None
    assert resident_get_for_user(
        user=personas.trusted_person, public_id=personas.resident.public_id, scope="appointments"
    )


@pytest.mark.parametrize("role", ["social_worker", "organisation_admin", "privacy_officer"])
def test_staff_cannot_revoke_a_residents_grant(personas: Personas, role: str) -> None:
    grant = the_grant(personas)
    before = grant_state(grant)

    response = client_for(personas.by_role()[role]).post(revoke_url(grant))

    assert response.status_code == 403
    assert grant_state(grant) == before


def test_revoking_needs_a_post(personas: Personas) -> None:
    grant = the_grant(personas)
    before = grant_state(grant)

    response = client_for(personas.resident).get(revoke_url(grant))

    assert response.status_code == 405
    assert grant_state(grant) == before


def test_revoking_needs_the_csrf_token(personas: Personas) -> None:
    from django.test import Client

    grant = the_grant(personas)
    before = grant_state(grant)
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.resident, backend="allauth.account.auth_backends.AuthenticationBackend")

    response = client.post(revoke_url(grant))

    assert response.status_code == 403
    assert grant_state(grant) == before

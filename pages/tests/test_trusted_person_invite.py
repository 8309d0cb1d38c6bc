"""A resident lets someone they trust look along (mantelzorger)."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail

from accounts.models import Invitation, Role, User
from conftest import Personas, client_for, run_queued_tasks
from organisations.models import TrustedPersonGrant

URL = "/mijn/vertrouwenspersonen/nieuw/"


def form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "first_name": "Karim",
        "last_name": "el Amrani",
        "email": "karim@example.invalid",
        "scopes": ["appointments", "messages"],
        "understood": "on",
    }
    data.update(overrides)
    return data


def test_resident_invites_a_new_trusted_person_who_gets_an_email(
    personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client_for(personas.resident).post(URL, form())
    run_queued_tasks()

    assert response.status_code == 302
    person = User.objects.get(email="karim@example.invalid")
    assert person.role == Role.TRUSTED_PERSON
    assert person.organisation_id == personas.organisation.pk
    assert not person.is_active
    grant = TrustedPersonGrant.objects.get(trusted_person=person)
    assert grant.resident_id == personas.resident.pk
    assert grant.scopes == ["appointments", "messages"]
    assert Invitation.objects.get(user=person).channel == Invitation.Channel.EMAIL
    assert len(mail.outbox) == 1
    assert "/uitnodiging/" in mail.outbox[0].body


def test_existing_trusted_person_of_the_organisation_gets_the_grant_at_once(personas: Personas) -> None:
    existing = personas.trusted_person
    existing.email = "marco@example.invalid"
    existing.save(update_fields=["email"])

    response = client_for(personas.other_resident).post(URL, form(email="MARCO@example.invalid", scopes=["casefile"]))

    assert response.status_code == 302
    grant = TrustedPersonGrant.objects.get(resident=personas.other_resident, revoked_at__isnull=True)
    assert grant.trusted_person_id == existing.pk
    assert grant.scopes == ["casefile"]
    assert not Invitation.objects.filter(user=existing).exists()


def test_a_staff_address_is_refused_without_saying_whose_it_is(personas: Personas) -> None:
    personas.worker.email = "sanne@example.invalid"
    personas.worker.save(update_fields=["email"])
    before = TrustedPersonGrant.objects.count()

    response = client_for(personas.resident).post(URL, form(email="sanne@example.invalid"))

    assert response.status_code == 200
    assert "kan niemand worden toegevoegd" in response.content.decode()
    assert TrustedPersonGrant.objects.count() == before


def test_choosing_nothing_to_share_is_refused_and_saves_nothing(personas: Personas) -> None:
    users_before = User.objects.count()
    response = client_for(personas.resident).post(URL, form(scopes=[]))

    assert response.status_code == 200
    assert "Kies minstens één ding" in response.content.decode()
    assert User.objects.count() == users_before


def test_an_unknown_scope_is_refused(personas: Personas) -> None:
    users_before = User.objects.count()
    response = client_for(personas.resident).post(URL, form(scopes=["everything"]))

    assert response.status_code == 200
    assert User.objects.count() == users_before


def test_the_resident_must_confirm_they_understand(personas: Personas) -> None:
    data = form()
    del data["understood"]
    users_before = User.objects.count()

    response = client_for(personas.resident).post(URL, data)

    assert response.status_code == 200
    assert "Zet een vinkje" in response.content.decode()
    assert User.objects.count() == users_before


def test_hostile_names_get_a_clear_message_and_save_nothing(personas: Personas) -> None:
    users_before = User.objects.count()
    for name in ["<script>alert(1)</script>", "Karim\u202e", "x" * 500, "Ka\u200brim"]:
        response = client_for(personas.resident).post(URL, form(first_name=name))
        assert response.status_code == 200
    assert User.objects.count() == users_before


def test_a_trusted_person_cannot_invite_others(personas: Personas) -> None:
    users_before = User.objects.count()
    response = client_for(personas.trusted_person).post(URL, form())

    assert response.status_code == 404
    assert User.objects.count() == users_before


def test_inviting_is_in_the_access_log(personas: Personas) -> None:
    from audit.models import AccessLogEntry

    client_for(personas.resident).post(URL, form())

    entry = AccessLogEntry.objects.filter(object_type="trusted_person_grant", action="create").get()
    assert entry.subject_id == personas.resident.pk
    assert entry.actor_id == personas.resident.pk


def test_access_ends_after_the_last_day_the_resident_chose(personas: Personas) -> None:
    """The grant holds up to and including its last day; the day after, the
    trusted person's next request is a 404, without anyone revoking it."""
    import time_machine
    from django.utils import timezone

    existing = personas.trusted_person
    existing.email = "marco@example.invalid"
    existing.save(update_fields=["email"])
    last_day = timezone.localdate() + timedelta(days=3)
    response = client_for(personas.resident).post(
        URL, form(email="marco@example.invalid", scopes=["appointments"], ends_on=last_day.isoformat())
    )
    assert response.status_code == 302
    assert TrustedPersonGrant.objects.get(resident=personas.resident, revoked_at__isnull=True).ends_on == last_day
    agenda = f"/naaste/{personas.resident.public_id}/afspraken/"
    listed = client_for(personas.resident).get("/mijn/vertrouwenspersonen/").content.decode()
    assert "Tot en met" in listed

    with time_machine.travel(timezone.localtime() + timedelta(days=3), tick=False):
        assert client_for(existing).get(agenda).status_code == 200
    with time_machine.travel(timezone.localtime() + timedelta(days=4), tick=False):
        assert client_for(existing).get(agenda).status_code == 404
        assert "Gestopt na" in client_for(personas.resident).get("/mijn/vertrouwenspersonen/").content.decode()


def test_a_last_day_in_the_past_is_refused_in_plain_dutch(personas: Personas) -> None:
    from django.utils import timezone

    yesterday = timezone.localdate() - timedelta(days=1)
    response = client_for(personas.resident).post(URL, form(ends_on=yesterday.isoformat()))

    assert response.status_code == 200
    assert "Kies vandaag of een dag later." in response.content.decode()
    assert not User.objects.filter(email="karim@example.invalid").exists()

"""The platform admin adds organisations and never sees resident data."""

from __future__ import annotations

from django.core import mail

from accounts.models import Invitation, Role, User
from conftest import Personas, client_for, run_queued_tasks
from organisations.models import Organisation

URL = "/platform/organisaties/nieuw/"


def form(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Welzijn Oost",
        "slug": "welzijn-oost",
        "admin_first_name": "Olga",
        "admin_last_name": "Oost",
        "admin_email": "olga@example.invalid",
    }
    data.update(overrides)
    return data


def test_platform_admin_adds_an_organisation_and_invites_its_first_admin(
    personas: Personas, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client_for(personas.platform_admin).post(URL, form())
    run_queued_tasks()

    assert response.status_code == 302
    organisation = Organisation.objects.get(slug="welzijn-oost")
    admin = User.objects.get(email="olga@example.invalid")
    assert admin.role == Role.ORGANISATION_ADMIN
    assert admin.organisation_id == organisation.pk
    assert not admin.is_active
    assert Invitation.objects.get(user=admin).organisation_id == organisation.pk
    assert len(mail.outbox) == 1


def test_a_slug_in_use_is_refused_and_nothing_is_created(personas: Personas) -> None:
    organisations_before = Organisation.objects.count()
    users_before = User.objects.count()

    response = client_for(personas.platform_admin).post(URL, form(slug=personas.organisation.slug))

    assert response.status_code == 200
    assert "al in gebruik" in response.content.decode()
    assert Organisation.objects.count() == organisations_before
    assert User.objects.count() == users_before


def test_an_admin_email_used_in_another_organisation_is_accepted(personas: Personas) -> None:
    """Addresses are unique per organisation (docs/security/hardening.md):
    the new organisation's admin may use an address known elsewhere."""
    personas.worker.email = "taken@example.invalid"
    personas.worker.save(update_fields=["email"])
    organisations_before = Organisation.objects.count()

    response = client_for(personas.platform_admin).post(URL, form(admin_email="taken@example.invalid"))

    assert response.status_code == 302
    assert Organisation.objects.count() == organisations_before + 1
    assert User.objects.filter(email="taken@example.invalid").count() == 2


def test_organisation_admins_cannot_add_organisations(personas: Personas) -> None:
    organisations_before = Organisation.objects.count()

    response = client_for(personas.admin).post(URL, form())

    assert response.status_code == 403
    assert Organisation.objects.count() == organisations_before


def test_platform_overview_shows_no_resident_names(personas: Personas) -> None:
    html = client_for(personas.platform_admin).get("/platform/").content.decode()

    assert personas.organisation.name in html
    assert personas.resident.last_name not in html

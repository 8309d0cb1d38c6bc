"""Staff keep at least one second factor, whichever way they try to remove it."""

from __future__ import annotations

from allauth.mfa.models import Authenticator

from conftest import Personas, client_for
from organisations.demo import DEMO_PASSWORD


def _passkey_for(user: object) -> Authenticator:
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": "Telefoon", "credential": {}}
    )


def _reauthenticated(client: object) -> None:
    """allauth asks for the password again before a factor is removed."""
    response = client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})  # type: ignore[attr-defined]
    assert response.status_code == 302


def test_staff_cannot_remove_their_only_passkey(personas: Personas) -> None:
    worker = personas.worker
    Authenticator.objects.filter(user=worker).delete()
    passkey = _passkey_for(worker)
    client = client_for(worker)
    _reauthenticated(client)

    response = client.post(f"/accounts/2fa/webauthn/keys/{passkey.pk}/remove/")

    assert response.status_code == 302
    assert Authenticator.objects.filter(pk=passkey.pk).exists()


def test_staff_can_remove_a_passkey_when_the_code_app_stays(personas: Personas) -> None:
    worker = personas.worker  # has TOTP from the demo data
    passkey = _passkey_for(worker)
    client = client_for(worker)
    _reauthenticated(client)

    response = client.post(f"/accounts/2fa/webauthn/keys/{passkey.pk}/remove/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=passkey.pk).exists()


def test_residents_may_remove_their_passkey(personas: Personas) -> None:
    passkey = _passkey_for(personas.resident)
    client = client_for(personas.resident)
    _reauthenticated(client)

    client.post(f"/accounts/2fa/webauthn/keys/{passkey.pk}/remove/")

    assert not Authenticator.objects.filter(pk=passkey.pk).exists()


def test_a_factor_removed_elsewhere_counts_at_once(personas: Personas) -> None:
    worker = personas.worker
    client = client_for(worker)
    assert client.get("/werk/").status_code == 200

    Authenticator.objects.filter(user=worker).delete()

    response = client.get("/werk/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/2fa/totp/activate/"

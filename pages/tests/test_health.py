"""``/health/``: 200 when every part the platform needs answers, 503 when one
does not, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from accounts.models import Role, User
from conftest import Personas

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_health_is_ok_when_everything_answers(db: None) -> None:
    response = Client().get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "channel_layer": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@override_settings(
    CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": UNREACHABLE_REDIS}}
)
def test_health_is_503_when_the_cache_is_unreachable() -> None:
    response = Client().get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error", "channel_layer": "ok"}


@pytest.mark.django_db
@override_settings(
    CHANNEL_LAYERS={
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [UNREACHABLE_REDIS]}}
    }
)
def test_health_is_503_when_the_channel_layer_is_unreachable() -> None:
    response = Client().get("/health/")

    assert response.status_code == 503
    assert response.json()["channel_layer"] == "error"
    assert response.json()["status"] == "error"


def test_health_needs_no_sign_in_and_reveals_nothing_else(db: None) -> None:
    response = Client().get("/health/")

    assert set(response.json()) == {"status", "database", "cache", "channel_layer"}


def test_health_is_reachable_for_staff_without_a_second_step(personas: Personas) -> None:
    staff = User.objects.create_user(
        username="nieuw", password="x", role=Role.SOCIAL_WORKER, organisation=personas.organisation
    )
    client = Client()
    client.force_login(staff, backend="allauth.account.auth_backends.AuthenticationBackend")

    response = client.get("/health/")

    assert response.status_code == 200

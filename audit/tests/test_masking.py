"""No secret from a URL reaches the access log: calendar feed tokens,
invitation tokens, password-reset and e-mail confirmation keys are masked
in ``request_path``, for pages and sockets alike."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
import time_machine
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from appointments import feeds
from appointments.tests.test_calendar import NOW, propose
from audit.context import AuditContext, audit_context_for_socket, current_audit_context, mask_path
from audit.middleware import AuditContextMiddleware
from audit.models import AccessLogEntry
from conftest import Personas, client_for

UUID = "6f1c1d3e-3b1a-4c1e-9f1a-1234567890ab"


def every_stored_value(entry: AccessLogEntry) -> str:
    return " ".join(str(value) for value in entry.hashed_fields().values()) + " " + entry.entry_hash


def test_a_feed_read_leaves_no_token_in_any_entry(personas: Personas) -> None:
    with time_machine.travel(NOW, tick=False):
        propose(personas.worker, personas.resident)
        token = feeds.calendar_feed_create(user=personas.resident).token
        before = set(AccessLogEntry.objects.values_list("id", flat=True))

        response = client_for(None).get(reverse("appointments:feed", kwargs={"token": token}))

    assert response.status_code == 200
    entries = AccessLogEntry.objects.exclude(id__in=before)
    assert entries.count() == 1
    assert entries.get().request_path == "/agenda/feed/***.ics"
    for entry in AccessLogEntry.objects.all():
        assert token not in every_stored_value(entry)
        assert token[:12] not in every_stored_value(entry)


@pytest.mark.parametrize(
    ("path", "masked"),
    [
        ("/uitnodiging/{token}/", "/uitnodiging/***/"),
        ("/uitnodiging/kort/", "/uitnodiging/***/"),  # short, but a token by its URL pattern
        ("/agenda/feed/{token}.ics", "/agenda/feed/***.ics"),
        ("/accounts/password/reset/key/1a-5x9-abcdef0123/", "/accounts/password/reset/key/***-***/"),
        ("/accounts/confirm-email/MQ:1tYx2a:abcDEF123/", "/accounts/confirm-email/***/"),
        ("/spreekuur/buurtteam-west/", "/spreekuur/***/"),
        # No URL pattern (a socket path, a route added later): random-looking segments still go.
        ("/ws/iets/{token}/", "/ws/iets/***/"),
        ("/elders/{token}", "/elders/***"),
        # Ids and words stay: they are what the log is for.
        (f"/werk/inwoners/{UUID}/", f"/werk/inwoners/{UUID}/"),
        (f"/ws/gesprekken/{UUID}/", f"/ws/gesprekken/{UUID}/"),
        ("/werk/inwoners/uitnodigen/", "/werk/inwoners/uitnodigen/"),
        ("/groepsbijeenkomsten/", "/groepsbijeenkomsten/"),
        ("/privacy/toegangslog/export.csv", "/privacy/toegangslog/export.csv"),
    ],
)
def test_secret_segments_are_masked_and_ids_kept(path: str, masked: str) -> None:
    assert mask_path(path.format(token=secrets.token_urlsafe(32))) == masked


def context_seen_by_view(path: str) -> AuditContext:
    seen: list[AuditContext] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(current_audit_context())
        return HttpResponse()

    request: Any = RequestFactory().get(path)
    request.session = type("Session", (), {"session_key": None})()
    AuditContextMiddleware(view)(request)
    return seen[0]


@pytest.mark.parametrize(
    "path",
    [
        "/uitnodiging/{token}/",
        "/agenda/feed/{token}.ics",
        "/accounts/password/reset/key/3-{token}/",
        "/accounts/confirm-email/{token}/",
    ],
)
def test_the_http_middleware_never_holds_a_secret_path(path: str) -> None:
    token = secrets.token_urlsafe(32)

    context = context_seen_by_view(path.format(token=token))

    assert "***" in context.request_path
    assert token not in context.request_path


def test_a_socket_path_is_masked_too() -> None:
    token = secrets.token_urlsafe(32)

    context = audit_context_for_socket({"type": "websocket", "path": f"/ws/koppeling/{token}/", "headers": []})

    assert context.request_path == "/ws/koppeling/***/"

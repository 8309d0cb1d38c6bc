"""Secrets in addresses stay out of logs: the invitation link carries its
token in the query string (which the access logs leave out, see
tests/test_servers.py) and the browser goes on to a clean address; the
calendar feed keeps its token in the path, so our own log lines mask it."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings

from accounts.services import resident_invite
from appointments.feeds import calendar_feed_create, calendar_feed_revoke
from conftest import Personas, run_queued_tasks
from samenspraak.log_redaction import redact

CREDENTIALS_URL = "/activeren/account/"


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the configured console handler (settings.LOGGING) writes."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    assert isinstance(handler, logging.StreamHandler)
    output = io.StringIO()
    previous = handler.setStream(output)
    try:
        yield output
    finally:
        handler.setStream(previous)


def _mailed_link(personas: Personas, on_commit: Callable[..., Any]) -> str:
    with on_commit(execute=True):
        resident_invite(
            invited_by=personas.worker,
            first_name="Gerda",
            last_name="Zonneveld",
            email="gerda@example.org",
            phone="",
            channel="email",
        )
    run_queued_tasks()
    found = re.search(r"http://127\.0\.0\.1:8000(/uitnodiging/\S*)", str(mail.outbox[-1].body))
    assert found is not None
    return found.group(1)


def test_the_invitation_link_carries_its_token_outside_the_path(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    link = _mailed_link(personas, django_capture_on_commit_callbacks)

    path, _, query = link.partition("?")
    assert path == "/uitnodiging/"
    assert re.fullmatch(r"code=[A-Za-z0-9_-]{20,}", query)


def test_the_invitation_link_leads_on_to_an_address_without_the_token(
    personas: Personas, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = Client()
    link = _mailed_link(personas, django_capture_on_commit_callbacks)

    opened = client.get(link)
    page = client.get(opened["Location"])

    assert opened.status_code == 302
    assert opened["Location"] == CREDENTIALS_URL
    assert page.status_code == 200
    assert "Gerda" in page.content.decode()


@override_settings(DEBUG=False)
def test_a_revoked_calendar_feed_token_is_not_written_to_the_log(personas: Personas, log_output: io.StringIO) -> None:
    token = calendar_feed_create(user=personas.worker).token
    calendar_feed_revoke(user=personas.worker)

    response = Client().get(f"/agenda/feed/{token}.ics")

    assert response.status_code == 404
    written = log_output.getvalue()
    assert "Not Found: /agenda/feed/[hidden].ics" in written
    assert token not in written


def test_an_old_style_invitation_link_is_not_written_to_the_log(personas: Personas, log_output: io.StringIO) -> None:
    response = Client().get("/uitnodiging/een-verlopen-geheime-code/")

    assert response.status_code == 404
    written = log_output.getvalue()
    assert "/uitnodiging/[hidden]/" in written
    assert "een-verlopen-geheime-code" not in written


@pytest.mark.parametrize(
    ("line", "written"),
    [
        ("Not Found: /agenda/feed/abc_DEF-123.ics", "Not Found: /agenda/feed/[hidden].ics"),
        ("Not Found: /uitnodiging/abc123/", "Not Found: /uitnodiging/[hidden]/"),
        ("GET /uitnodiging/?code=abc123 200", "GET /uitnodiging/?code=[hidden] 200"),
        ("/accounts/password/reset/key/1a-5x9-abcdef/", "/accounts/password/reset/key/[hidden]/"),
        # allauth's clean follow-up address holds no secret: left as it is.
        ("/accounts/password/reset/key/1a-set-password/", "/accounts/password/reset/key/1a-set-password/"),
        ("Not Found: /werk/inwoners/", "Not Found: /werk/inwoners/"),
    ],
)
def test_the_log_filter_hides_each_kind_of_secret(line: str, written: str) -> None:
    assert redact(line) == written

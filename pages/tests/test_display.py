"""Large text and high contrast, kept in a cookie so they also work before
signing in."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import Personas, client_for

DISPLAY_URL = "/weergave/"


def html_tag(content: str) -> str:
    start = content.index("<html")
    return content[start : content.index(">", start) + 1]


def test_choosing_large_text_sets_the_cookie_and_the_page_class(db: None) -> None:
    client = Client()

    response = client.post(DISPLAY_URL, {"large_text": "on"})
    page = client.get("/accounts/login/")

    assert response.status_code == 302
    cookie = response.cookies["weergave"]
    assert cookie.value == "groot"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
    assert "text-large" in html_tag(page.content.decode())
    assert "high-contrast" not in html_tag(page.content.decode())


def test_choosing_both_options(db: None) -> None:
    client = Client()

    client.post(DISPLAY_URL, {"large_text": "on", "high_contrast": "on"})
    page = client.get(DISPLAY_URL)

    tag = html_tag(page.content.decode())
    assert "text-large" in tag
    assert "high-contrast" in tag
    assert page.content.decode().count(" checked") == 2


def test_turning_options_off_again(db: None) -> None:
    # As a browser does it: with the CSRF token, and no box ticked.
    client = Client(enforce_csrf_checks=True)
    form = client.get(DISPLAY_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    client.post(DISPLAY_URL, {"csrfmiddlewaretoken": token.group(1), "large_text": "on"})

    response = client.post(DISPLAY_URL, {"csrfmiddlewaretoken": token.group(1)})
    page = client.get(DISPLAY_URL)

    assert response.cookies["weergave"].value == ""
    assert "text-large" not in html_tag(page.content.decode())


def test_display_settings_work_for_signed_in_residents(personas: Personas) -> None:
    client = client_for(personas.resident)
    client.post(DISPLAY_URL, {"high_contrast": "on"})

    page = client.get("/mijn/")

    assert "high-contrast" in html_tag(page.content.decode())


@pytest.mark.parametrize(
    "value",
    ['groot" onload="alert(1)', "groot.<script>", "evil", "groot.evil.contrast"],
)
def test_a_tampered_cookie_adds_only_known_classes(db: None, value: str) -> None:
    client = Client()
    client.cookies["weergave"] = value

    page = client.get(DISPLAY_URL)

    tag = html_tag(page.content.decode())
    assert "onload" not in tag
    assert "<script" not in tag
    assert "evil" not in tag


def test_going_back_to_the_page_the_person_came_from(db: None) -> None:
    response = Client().post(DISPLAY_URL, {"large_text": "on", "next": "/accounts/login/?next=/mijn/"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/mijn/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/",
        "///evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "https:evil.example",
        "javascript:alert(1)",
        " https://evil.example/",
        "http://testserver.evil.example/",
    ],
)
def test_next_pointing_elsewhere_is_refused(db: None, next_url: str) -> None:
    response = Client().post(DISPLAY_URL, {"large_text": "on", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == DISPLAY_URL
    # The choice is still saved.
    assert response.cookies["weergave"].value == "groot"


def test_display_page_shows_a_dutch_confirmation(db: None) -> None:
    response = Client().post(DISPLAY_URL, {"large_text": "on"}, follow=True)

    assert "Uw keuze voor de weergave is opgeslagen." in response.content.decode()

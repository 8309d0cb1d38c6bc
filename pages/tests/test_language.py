from __future__ import annotations

from django.test import Client


def test_pages_are_dutch_even_when_the_browser_asks_for_english(db: None) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/accounts/login/")

    html = response.content.decode()
    assert '<html lang="nl"' in html
    assert "Inloggen bij Samenspraak" in html
    assert response.headers["Content-Language"] == "nl"


def test_a_chosen_language_is_kept(db: None) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    response = client.get("/accounts/login/")

    assert '<html lang="en"' in response.content.decode()
    assert response.headers["Content-Language"] == "en"


def test_an_unknown_language_cookie_falls_back_to_dutch(db: None) -> None:
    client = Client()
    client.cookies["django_language"] = "xx"

    response = client.get("/accounts/login/")

    assert '<html lang="nl"' in response.content.decode()

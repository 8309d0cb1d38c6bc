"""Headers and page rules that hold on every page."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from conftest import Personas, client_for


def test_pages_send_a_strict_content_security_policy(personas: Personas) -> None:
    response = client_for(personas.resident).get("/mijn/")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy


def test_the_brand_colour_style_carries_the_csp_nonce(personas: Personas) -> None:
    response = client_for(personas.resident).get("/mijn/")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    assert nonce is not None
    assert f'<style nonce="{nonce.group(1)}">' in response.content.decode()


def test_pages_cannot_be_framed_or_sniffed() -> None:
    response = Client().get("/accounts/login/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_a_bad_host_header_gets_a_plain_error_page_not_a_server_error() -> None:
    response = Client(HTTP_HOST="evil.example").get("/accounts/login/")
    assert response.status_code == 400
    assert "begrijpen we niet" in response.content.decode()


@pytest.mark.parametrize("path", ["/werk/", "/werk/inwoners/{id}/"])
def test_page_titles_carry_no_personal_data(personas: Personas, path: str) -> None:
    response = client_for(personas.worker).get(path.format(id=personas.resident.public_id))
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert title is not None
    assert personas.resident.last_name not in title.group(1)
    assert personas.resident.first_name not in title.group(1)


def test_pages_load_nothing_from_other_sites(personas: Personas) -> None:
    html = client_for(personas.resident).get("/mijn/").content.decode()
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not url.startswith(("http://", "https://", "//")), url

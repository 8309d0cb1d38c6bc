"""The test provider for the DigiD tests: django-oauth-toolkit with OIDC on,
started once per test session in a second process on loopback (serve.py),
with its own SQLite file and an RSA key made for the run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import LazySettings
from django.utils.csp import CSP

SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"
HIGH = "http://eidas.europa.eu/LoA/high"
LOW = "http://eidas.europa.eu/LoA/low"
CLIENT_ID = "samenspraak-test"
CLIENT_SECRET = "test-client-secret-0123456789"
# The test client's host, and the browser tests' live server on any port
# (a loopback redirect URI, RFC 8252).
REDIRECT_URI = "http://testserver/digid/terug/"
LIVE_SERVER_REDIRECT_URI = "http://localhost/digid/terug/"
PROVIDER_PASSWORD = "provider-password-1"
BSN = "123456782"
# Provider users: username → (sub, acr, bsn).
PROVIDER_USERS = {
    "fatima": ("pseudo-fatima-7f3a", SUBSTANTIAL, ""),
    "fatima-low": ("pseudo-fatima-low-91c2", LOW, ""),
    "fatima-no-acr": ("pseudo-fatima-none-55d0", "", ""),
    "fatima-high-bsn": ("pseudo-fatima-bsn-0b1e", HIGH, BSN),
    "stranger": ("pseudo-stranger-e4e4", SUBSTANTIAL, ""),
    "sanne": ("pseudo-sanne-3c3c", SUBSTANTIAL, ""),
    "mantelzorger": ("pseudo-mantel-8d8d", SUBSTANTIAL, ""),
}


@dataclass(frozen=True)
class Provider:
    base_url: str

    @property
    def issuer(self) -> str:
        return f"{self.base_url}/o"

    @property
    def discovery_url(self) -> str:
        return f"{self.base_url}/o/.well-known/openid-configuration/"

    def authorize(self, authorization_url: str, username: str) -> str:
        """Sign in at the provider as ``username`` and return where it
        sends the browser back (our callback, with code and state)."""
        browser = requests.Session()
        response = browser.get(authorization_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:300]
        login_url = self.base_url + response.headers["Location"]
        page = browser.get(login_url, timeout=10)
        token = page.cookies.get("csrftoken") or browser.cookies["csrftoken"]
        next_url = parse_qs(urlsplit(login_url).query)["next"][0]
        response = browser.post(
            login_url,
            data={"username": username, "password": PROVIDER_PASSWORD, "csrfmiddlewaretoken": token, "next": next_url},
            headers={"Referer": login_url},
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text[:300]
        response = browser.get(self.base_url + response.headers["Location"], allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text[:300]
        callback = response.headers["Location"]
        assert callback.startswith(REDIRECT_URI), callback
        return callback


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def provider_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """The body of a session-scoped fixture: starts the provider, yields
    it, stops it."""
    folder = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = folder / "key.pem"
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    config = {
        "client": {
            "id": CLIENT_ID,
            "secret": CLIENT_SECRET,
            "redirect_uris": f"{REDIRECT_URI} {LIVE_SERVER_REDIRECT_URI}",
        },
        "users": [
            {"username": name, "password": PROVIDER_PASSWORD, "sub": sub, "acr": acr, "bsn": bsn}
            for name, (sub, acr, bsn) in PROVIDER_USERS.items()
        ],
    }
    config_file = folder / "config.json"
    config_file.write_text(json.dumps(config))
    port = _free_port()
    environment = {
        **os.environ,
        "OIDC_PROVIDER_DB": str(folder / "provider.sqlite3"),
        "OIDC_PROVIDER_RSA_KEY": str(key_file),
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "accounts.tests.oidc_provider.serve", str(port), str(config_file)],
        cwd=Path(__file__).resolve().parents[3],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if line.strip() != "ready":
            process.kill()
            raise RuntimeError(f"test provider did not start: {line} {process.stderr.read() if process.stderr else ''}")
        yield Provider(base_url=f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=10)


def configure_client(settings: LazySettings, provider: Provider) -> Provider:
    """Point our settings at the provider (the body of a function fixture)."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_DISCOVERY_URL = provider.discovery_url
    settings.OIDC_REQUIRED_ACR = SUBSTANTIAL
    # As settings.py derives it from the discovery URL.
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": [CSP.SELF, provider.base_url]}
    return provider

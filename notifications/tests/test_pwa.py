"""The installable app: manifest, service worker, offline page, VAPID key."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from PIL import Image

from conftest import Personas, client_for
from notifications import vapid
from notifications.tests.push_service import Browser, b64url
from organisations.services import organisation_update

MANIFEST_URL = reverse("notifications:manifest")
SW_URL = reverse("notifications:service_worker")
OFFLINE_URL = reverse("notifications:offline")


def test_the_manifest_for_a_visitor_is_samenspraak_in_its_own_colour(db: None) -> None:
    response = Client().get(MANIFEST_URL)

    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Samenspraak"
    assert (manifest["start_url"], manifest["display"], manifest["theme_color"]) == ("/", "standalone", "#1f5fa8")


def test_the_manifest_takes_the_organisations_name_and_brand_colour(personas: Personas) -> None:
    organisation_update(
        organisation=personas.organisation, name=personas.organisation.name, brand_colour="#7a1f5c", phone="", logo=None
    )

    manifest = json.loads(client_for(personas.resident).get(MANIFEST_URL).content)

    assert manifest["name"] == personas.organisation.name
    assert manifest["theme_color"] == manifest["background_color"] == "#7a1f5c"


def test_the_manifest_icons_exist_in_their_sizes(db: None) -> None:
    manifest = json.loads(Client().get(MANIFEST_URL).content)

    purposes = set()
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert Image.open(str(path)).size == (width, height)
        purposes.add(icon["purpose"])
    assert purposes == {"any", "maskable"}
    assert Image.open(str(finders.find("icons/apple-touch-icon.png"))).size == (180, 180)


def test_every_page_links_the_manifest_the_icon_and_the_worker(personas: Personas) -> None:
    page = client_for(personas.resident).get(reverse("pages:security")).content.decode()

    assert f'<link rel="manifest" href="{MANIFEST_URL}" crossorigin="use-credentials">' in page
    assert 'rel="apple-touch-icon"' in page
    assert '<meta name="theme-color" content="#1f5fa8">' in page
    assert "js/pwa.js" in page


def test_the_service_worker_is_served_from_the_root_and_never_kept(db: None) -> None:
    response = Client().get(SW_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    first_line = response.content.decode().splitlines()[0]
    config = json.loads(first_line.removeprefix("self.SAMENSPRAAK_SW = ").removesuffix(";"))
    assert config["offlineUrl"] == OFFLINE_URL
    # Only the offline page and static files are ever kept.
    assert all(url.startswith("/static/") for url in config["precache"])


def test_the_csp_allows_our_own_worker_and_manifest(db: None) -> None:
    policy = Client().get(OFFLINE_URL)["Content-Security-Policy"]

    assert "worker-src 'self'" in policy
    assert "manifest-src 'self'" in policy


def test_the_offline_page_holds_nothing_personal_even_when_signed_in(personas: Personas) -> None:
    response = client_for(personas.resident).get(OFFLINE_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert "U bent offline" in page
    for personal in (personas.resident.first_name, personas.organisation.name, "csrfmiddlewaretoken", "<form"):
        assert personal not in page


def test_a_vapid_key_is_generated_once_and_kept_private(settings: Any) -> None:
    public_key = vapid.vapid_public_key()
    vapid._vapid.cache_clear()

    assert vapid.vapid_public_key() == public_key
    mode = stat.S_IMODE(os.stat(settings.VAPID_KEY_FILE).st_mode)
    assert mode == 0o600


def test_a_configured_vapid_key_is_used_and_its_public_key_checked(settings: Any, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric import ec

    private_value = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    settings.VAPID_PRIVATE_KEY = b64url(private_value.to_bytes(32, "big"))
    public_key = vapid.vapid_public_key()
    assert not Path(settings.VAPID_KEY_FILE).exists()
    assert len(public_key) == 87  # 65 bytes, base64url

    settings.VAPID_PUBLIC_KEY = Browser().p256dh  # somebody else's key
    with pytest.raises(ImproperlyConfigured):
        vapid.vapid_public_key()

"""The server's VAPID key pair (RFC 8292): it signs every push request so a
push service knows the push comes from the server the browser subscribed to.

``VAPID_PRIVATE_KEY`` (raw base64url, DER or PEM) and ``VAPID_PUBLIC_KEY``
come from the environment. Without them a key is generated once into
``VAPID_KEY_FILE`` (``var/``), so ``make run`` works without configuration;
the file is kept, because a new key makes every subscription invalid.
"""

from __future__ import annotations

import base64
import functools
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from py_vapid import Vapid02


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _generated_key(path: Path) -> str:
    """Read the key file, or create it (mode 0600) if it is not there. Two
    processes starting at once: ``O_EXCL`` lets one write, the other reads."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    private_value = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    key = b64url(private_value.to_bytes(32, "big"))
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(key + "\n")
    return key


@functools.cache
def _vapid(private_key: str, key_file: str, public_key: str) -> tuple[Vapid02, str]:
    raw = private_key or _generated_key(Path(key_file))
    vapid = Vapid02.from_pem(raw.encode()) if "BEGIN" in raw else Vapid02.from_string(raw)
    derived = b64url(
        vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    if public_key and public_key.rstrip("=") != derived:
        raise ImproperlyConfigured("VAPID_PUBLIC_KEY does not belong to VAPID_PRIVATE_KEY.")
    return vapid, derived


def vapid_key() -> Vapid02:
    """The private key that signs push requests."""
    return _vapid(settings.VAPID_PRIVATE_KEY, settings.VAPID_KEY_FILE, settings.VAPID_PUBLIC_KEY)[0]


def vapid_public_key() -> str:
    """The public key a browser subscribes with (``applicationServerKey``):
    the uncompressed P-256 point, base64url without padding."""
    return _vapid(settings.VAPID_PRIVATE_KEY, settings.VAPID_KEY_FILE, settings.VAPID_PUBLIC_KEY)[1]

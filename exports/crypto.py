"""Exports at rest: Fernet (AES-128-CBC with HMAC-SHA256), one file per export.

The key is ``EXPORT_ENCRYPTION_KEY`` (a Fernet key, ``Fernet.generate_key()``)
or, without it, derived from ``SECRET_KEY`` with HKDF, so a copy of the
folder alone does not reveal a resident's data. The folder is
``EXPORT_DIR`` under ``var/``: outside static and media, never served by
the web server; a download goes through the access-checked view.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _fernet() -> Fernet:
    if settings.EXPORT_ENCRYPTION_KEY:
        return Fernet(settings.EXPORT_ENCRYPTION_KEY.encode())
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"samenspraak exports v1").derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def export_path(name: str) -> Path:
    return Path(settings.EXPORT_DIR) / f"{name}.zip.enc"


def encrypted_write(name: str, content: bytes) -> int:
    """Encrypt ``content`` and store it as ``name``; returns the stored size.
    Written to a temporary file first and renamed, so a reader never sees
    half a file."""
    path = export_path(name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = _fernet().encrypt(content)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(token)
    temporary.replace(path)
    return len(token)


def decrypted_read(name: str) -> bytes:
    return _fernet().decrypt(export_path(name).read_bytes())


def encrypted_delete(name: str) -> None:
    export_path(name).unlink(missing_ok=True)
    export_path(name).with_suffix(".tmp").unlink(missing_ok=True)

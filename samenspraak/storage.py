"""Where uploaded files live.

``private`` holds residents' documents: outside the web root, never served
directly, only through access-checked views. On one machine it is a folder
(``var/private``); set ``PRIVATE_STORAGE_S3_BUCKET`` (with the ``AWS_*``
variables or ``S3_ENDPOINT_URL`` for an S3-compatible service) to use S3.
"""

from __future__ import annotations

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    return storages["private"]

"""Where uploaded files live.

``private`` holds residents' documents: outside the web root, never served
directly, only through access-checked views. On one machine it is a folder
(``var/private``); set ``PRIVATE_STORAGE_S3_BUCKET`` (with ``S3_ENDPOINT_URL``
for an S3-compatible service, and ``AWS_ACCESS_KEY_ID`` /
``AWS_SECRET_ACCESS_KEY``) to use S3.
"""

from __future__ import annotations

from typing import Any

from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    """The configured private storage, looked up when first used, so a
    changed STORAGES setting (in tests) takes effect."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


private_storage_instance = _PrivateStorage()


def private_storage() -> Storage:
    return private_storage_instance  # type: ignore[return-value]


@receiver(setting_changed)
def _reset_private_storage(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        private_storage_instance._wrapped = empty  # type: ignore[assignment]

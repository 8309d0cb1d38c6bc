"""A resident's request to download all their own data (AVG art. 15 and 20).

The ZIP itself is not in the database: it is stored encrypted under
``EXPORT_DIR`` (``exports.crypto``), named by ``public_id``, and deleted
when ``expires_at`` has passed (``manage.py purge_exports``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DataExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("wordt gemaakt")
        READY = "ready", _("klaar om te downloaden")
        FAILED = "failed", _("mislukt")
        EXPIRED = "expired", _("verlopen en verwijderd")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    download_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # At most one export per resident in the making.
            models.UniqueConstraint(
                fields=["resident"],
                condition=Q(status__in=["queued", "running"]),
                name="exports_one_running_per_resident",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="exports_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"export {self.public_id} ({self.status})"

    @property
    def is_in_progress(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

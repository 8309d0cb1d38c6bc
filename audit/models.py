"""The NEN 7513 access log: who did what with whose data, append-only.

Entries form one hash chain per organisation: each entry's hash covers its
own fields and the previous entry's hash, so a changed, removed or inserted
row breaks the chain (``manage.py verify_access_log``). The application never
updates or deletes an entry, and database triggers refuse it too.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The access log is append-only.")

    def delete(self) -> NoReturn:  # type: ignore[override]
        raise PermissionError("The access log is append-only.")


class AccessLogChain(models.Model):
    """The head of one hash chain; locked while an entry is appended."""

    key = models.CharField(max_length=64, unique=True)
    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.key} @ {self.last_sequence}"


class AccessLogEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("bekeken")
        LIST = "list", _("in lijst getoond")
        CREATE = "create", _("aangemaakt")
        CHANGE = "change", _("gewijzigd")
        DELETE = "delete", _("verwijderd")
        EXPORT = "export", _("geëxporteerd")
        PRINT = "print", _("afgedrukt")

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", _("toegestaan")
        DENIED = "denied", _("geweigerd")

    chain_key = models.CharField(max_length=64)
    sequence = models.BigIntegerField()
    occurred_at = models.DateTimeField(db_index=True)
    # Who: kept as a link and as text, so the entry stays readable even if
    # the account is anonymised later.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False
    )
    actor_name = models.CharField(max_length=300, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    # The actor's own organisation: differs from ``organisation`` when
    # someone of another organisation tried to reach this one's data.
    actor_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False
    )
    # Whose data.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False
    )
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    ip_address = models.GenericIPAddressField(null=True)
    session_ref = models.CharField(max_length=64, blank=True)
    request_path = models.CharField(max_length=300, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain_key", "sequence"], name="access_log_sequence_unique"),
        ]
        indexes = [
            models.Index(fields=["subject", "occurred_at"]),
            models.Index(fields=["actor", "occurred_at"]),
            models.Index(fields=["organisation", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.chain_key}#{self.sequence} {self.action} {self.outcome}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The access log is append-only.")

    @property
    def actor_role_label(self) -> str:
        from accounts.models import Role

        return str(Role(self.actor_role).label) if self.actor_role in Role.values else self.actor_role

    @property
    def object_type_label(self) -> str:
        from audit.labels import object_type_label

        return object_type_label(self.object_type)

    def hashed_fields(self) -> dict[str, Any]:
        return {
            "chain_key": self.chain_key,
            "sequence": self.sequence,
            "occurred_at": self.occurred_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "actor_role": self.actor_role,
            "actor_organisation_id": self.actor_organisation_id,
            "organisation_id": self.organisation_id,
            "subject_id": self.subject_id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "action": self.action,
            "outcome": self.outcome,
            "ip_address": self.ip_address,
            "session_ref": self.session_ref,
            "request_path": self.request_path,
        }

    def compute_hash(self) -> str:
        payload = json.dumps(self.hashed_fields(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256((self.previous_hash + payload).encode()).hexdigest()


class AccessLogAnchor(models.Model):
    """Where a chain starts after the retention engine destroyed its oldest
    entries: entries 1 to ``sequence`` are gone, the last of them had hash
    ``hash``; ``count`` of them went in this cut (``rule`` says why, ``at``
    when). Signed like a checkpoint (``audit.checkpoints``) and appended to
    the checkpoint file too, so ``verify_access_log`` checks the chain from
    here and still finds entries deleted without a signed anchor. Written
    only by ``audit.services.access_log_truncate``; never changed."""

    chain_key = models.CharField(max_length=64)
    sequence = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    count = models.BigIntegerField()
    at = models.CharField(max_length=40)  # ISO time, exactly as signed
    rule = models.CharField(max_length=300)
    key_id = models.CharField(max_length=16)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["chain_key", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["chain_key", "sequence"], name="access_log_anchor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.chain_key} starts after {self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("An access-log anchor is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("An access-log anchor is never deleted.")

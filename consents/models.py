"""The consent register: every consent a resident (or an anonymous visitor)
gives, with the text version they read, when, for what (scope) and who gave
it; withdrawn records keep their row with the moment and who withdrew.

The register sits in the core (layer 0) so that every capability and the
tenancy layer can write to it without importing upwards; it knows nothing
of blend plans, grants or visits: the scope is a key the owner chooses
(a channel code, a grant's or a visit's public id)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentRecordQuerySet(models.QuerySet["ConsentRecord"]):
    def active(self) -> ConsentRecordQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class ConsentRecord(models.Model):
    class Kind(models.TextChoices):
        # The key of the text in ``consents.texts.CONSENT_TEXTS``.
        CHAT = "blend.chat", _("chat met uw sociaal werker")
        VIDEO = "blend.video", _("beeldbellen")
        ELEARNING = "blend.elearning", _("online leren (e-learning)")
        DIARY_SHARING = "blend.diary", _("uw dagboek delen met uw coach")
        TRANSCRIPT = "consultation.transcript", _("het gesprek in het chatspreekuur bewaren")
        TRUSTED_PERSON = "trusted_person.access", _("meekijken door iemand die u vertrouwt")

    class Method(models.TextChoices):
        ONLINE = "online", _("online, door uzelf")
        CONVERSATION = "conversation", _("in een gesprek, vastgelegd door de sociaal werker")
        PAPER = "paper", _("op papier, vastgelegd door de sociaal werker")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The resident; empty for an anonymous visitor, who is known by ``visitor_key``.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="consent_records"
    )
    visitor_key = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # What the consent covers, as the owner names it: a channel code, a grant's or a visit's public id.
    scope = models.CharField(max_length=64)
    # For a trusted person's access: who, and what they may see (the grant's scopes).
    trusted_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    scope_items = models.JSONField(default=list, blank=True)
    text_version = models.CharField(max_length=64)
    text = models.TextField(blank=True)
    given_at = models.DateTimeField()
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    # On paper: the document's number or name, and why a worker recorded it.
    document_reference = models.CharField(max_length=120, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-pk"]
        indexes = [
            models.Index(fields=["subject", "given_at"]),
            models.Index(fields=["kind", "scope"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind", "scope"],
                condition=models.Q(withdrawn_at__isnull=True, subject__isnull=False),
                name="one_active_consent_per_subject_kind_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent record {self.public_id}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def given_by_subject(self) -> bool:
        return self.given_by_id is not None and self.given_by_id == self.subject_id

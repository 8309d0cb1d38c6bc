"""Organisations (tenants), their teams and locations, and who supports whom.

Nothing crosses between organisations: every row that belongs to a tenant
carries the organisation, directly or through the resident it concerns.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

hex_colour_validator = RegexValidator(
    regex=r"^#[0-9a-fA-F]{6}$",
    message=_("Vul een kleur in als # met zes tekens, bijvoorbeeld #1f5fa8."),
)


def contrast_with_white(hex_colour: str) -> float:
    """WCAG contrast ratio of white text on ``#rrggbb``."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


class Organisation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(unique=True, max_length=60)
    brand_colour = models.CharField(_("huiskleur"), max_length=7, default="#1f5fa8", validators=[hex_colour_validator])
    # The logo is small, re-encoded on upload and not personal data, so it
    # lives in the database: no media storage is needed to show it.
    logo_png = models.BinaryField(blank=True, default=b"", editable=False)
    logo_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    default_note_is_shared = models.BooleanField(default=True)
    # The short code on the organisation's website that opens the chat
    # consultation hour for people who are not yet clients.
    consultation_code = models.SlugField(max_length=20, unique=True, null=True, blank=True)
    # Anonymous consultation-hour conversations are deleted after this many days.
    consultation_retention_days = models.PositiveIntegerField(default=30)
    # Appointments: residents may move or cancel online until this many hours
    # before the start; reminders go this many hours before.
    appointment_change_deadline_hours = models.PositiveSmallIntegerField(default=24)
    appointment_reminder_hours = models.PositiveSmallIntegerField(default=24)
    # Optional: video calls through the organisation's own Jitsi server
    # (for example https://meet.example.nl) instead of the built-in call.
    jitsi_base_url = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("naam"), max_length=120)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(_("naam"), max_length=120)
    street = models.CharField(_("straat en huisnummer"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$", _("Vul een postcode in zoals 1234 AB."))],
    )
    city = models.CharField(_("plaats"), max_length=120, blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="location_name_unique_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name


class CaseloadAssignment(models.Model):
    """A social worker supports a resident. A resident can have several."""

    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="worker_assignments")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="caseload_assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resident", "worker"], name="caseload_assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"Caseload assignment {self.pk}"


class TrustedPersonGrantQuerySet(models.QuerySet["TrustedPersonGrant"]):
    def in_force(self, today: date | None = None) -> TrustedPersonGrantQuerySet:
        """Grants not revoked and not past their last day."""
        return self.filter(in_force_q(today))


def in_force_q(today: date | None = None, prefix: str = "") -> models.Q:
    """The condition for a grant in force, also through a relation (``prefix``
    such as ``"trusted_person_grants__"``), so that one ``filter()`` call
    applies it to the same grant row."""
    day = today or timezone.localdate()
    return models.Q(**{f"{prefix}revoked_at__isnull": True}) & (
        models.Q(**{f"{prefix}ends_on__isnull": True}) | models.Q(**{f"{prefix}ends_on__gte": day})
    )


class TrustedPersonGrant(models.Model):
    """A resident lets a trusted person (mantelzorger) see part of their data,
    until they revoke it or until the last day they chose (``ends_on``)."""

    class Scope(models.TextChoices):
        APPOINTMENTS = "appointments", _("agenda (afspraken met de sociaal werker)")
        MESSAGES = "messages", _("berichten (meelezen en namens u schrijven)")
        CASEFILE = "casefile", _("dossier")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trusted_person_grants"
    )
    trusted_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants_received"
    )
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The last day of access, inclusive; empty: until revoked.
    ends_on = models.DateField(null=True, blank=True)

    objects = TrustedPersonGrantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "trusted_person"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_grant_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"Trusted-person grant {self.public_id}"

    def scope_labels(self) -> list[str]:
        labels = dict(self.Scope.choices)
        return [str(labels[s]) for s in self.scopes if s in labels]

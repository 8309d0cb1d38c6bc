"""People and how they get in: users with one role, and invitations."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenspraak.names import surname_sort_key


class Role(models.TextChoices):
    RESIDENT = "resident", _("inwoner")
    TRUSTED_PERSON = "trusted_person", _("vertrouwenspersoon")
    SOCIAL_WORKER = "social_worker", _("sociaal werker")
    TEAM_LEAD = "team_lead", _("teamleider")
    ORGANISATION_ADMIN = "organisation_admin", _("beheerder")
    PRIVACY_OFFICER = "privacy_officer", _("privacyfunctionaris")
    RESEARCHER = "researcher", _("onderzoeker")
    PLATFORM_ADMIN = "platform_admin", _("platformbeheerder")
    # Someone in the chat consultation hour who is not (yet) a client: no
    # sign-in, reached only through the visit's own signed cookie.
    VISITOR = "visitor", _("bezoeker van het spreekuur")


CLIENT_ROLES = frozenset({Role.RESIDENT, Role.TRUSTED_PERSON, Role.VISITOR})
STAFF_ROLES = frozenset(set(Role) - CLIENT_ROLES)
# Who must sign in with a second factor (TOTP or a passkey): staff, and
# trusted persons, who see someone else's data.
MFA_REQUIRED_ROLES = frozenset({*STAFF_ROLES, Role.TRUSTED_PERSON})
CASEWORK_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_LEAD})


class User(AbstractUser):
    """Everybody who signs in. One account has one role in one organisation.

    Only the platform admin has no organisation. ``email`` is optional:
    residents without email are invited with a printed activation letter.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mailadres"), blank=True)
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    team = models.ForeignKey(
        "organisations.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    # The first name a resident chooses to show to others in groups.
    preferred_name = models.CharField(_("roepnaam"), max_length=60, blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    # Residents only, optional: the year alone (not a date of birth) is
    # enough for the benchmark's age bands (data minimisation, AVG art. 5).
    birth_year = models.PositiveSmallIntegerField(_("geboortejaar"), null=True, blank=True)
    # The surname without its prefix ("de", "van der"), set on every save, so
    # that paginated lists sort the Dutch way in the database.
    sort_name = models.CharField(max_length=150, blank=True, editable=False)

    class Meta:
        ordering = ["sort_name", "first_name"]
        constraints = [
            # Unique within an organisation, not across them: one person may
            # have an account in two organisations with one address, and an
            # invitation never tells an organisation that an address is used
            # elsewhere (docs/security/hardening.md).
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=~models.Q(email=""),
                name="user_email_unique_per_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(role="platform_admin") | models.Q(organisation__isnull=False),
                name="user_has_organisation_unless_platform_admin",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_name = surname_sort_key(self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "last_name" in update_fields and "sort_name" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "sort_name"]
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_resident(self) -> bool:
        return self.role == Role.RESIDENT

    @property
    def is_trusted_person(self) -> bool:
        return self.role == Role.TRUSTED_PERSON


def display_name(user: User) -> str:
    """How allauth names a signed-in person in its messages."""
    return user.first_name or user.username


def hash_secret(secret: str) -> str:
    """Codes and tokens are stored only as a hash; they are random and long."""
    return hashlib.sha256(secret.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def usable(self) -> InvitationQuerySet:
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A one-time way in for an account that an organisation created.

    The account exists (inactive) from the moment of invitation, so that a
    worker sees the resident on the caseload as "invited". Only a hash of the
    code or link token is stored: a new letter means a new code.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        LETTER = "letter", _("brief")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.CASCADE)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # A recovery letter lets an active resident choose a new password.
    is_recovery = models.BooleanField(default=False)
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation {self.public_id} ({self.channel})"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ExternalIdentity(models.Model):
    """A resident's account linked to their sign-in at an OpenID Connect
    provider (DigiD through a broker; accounts/oidc.py, docs/oidc.md).

    Only a keyed hash of the provider's ``sub`` is stored, never the
    identifier itself: some brokers send the BSN as ``sub``. Claims such as
    ``bsn``, names or addresses are never read. One link per provider per
    account; a provider's identity belongs to one account.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.CharField(max_length=300)
    # HMAC-SHA256 of issuer and sub (accounts.oidc.subject_hash).
    subject_hash = models.CharField(max_length=64)
    linked_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("issuer", "subject_hash", name="external_identity_unique_subject"),
            models.UniqueConstraint("user", "issuer", name="external_identity_one_per_provider"),
        ]

    def __str__(self) -> str:
        return f"ExternalIdentity {self.pk} at {self.issuer}"

"""The privacy officer's registers: requests of residents under the AVG
(access, correction, erasure, objection, restriction, portability) with
their legal deadline, and data breaches (datalekken) with the 72-hour
notification deadline for the Autoriteit Persoonsgegevens, the residents
affected, the actions taken and the messages sent to residents.

Every change of a request also gets a row in ``PrivacyRequestEvent``: the
request's own history, next to the access-log entries for the resident."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The Autoriteit Persoonsgegevens must hear of a breach within 72 hours
# after it was discovered (AVG art. 33).
AP_DEADLINE = timedelta(hours=72)

OBJECT_TYPE_LABELS = {
    "privacy_request": _("Privacyverzoek (AVG)"),
    "breach": _("Datalek"),
    "breach_message": _("Bericht over een datalek"),
    "retention_settings": _("Bewaartermijnen"),
    "legal_hold": _("Bewaarplicht (legal hold)"),
    "destruction": _("Vernietigd na de bewaartermijn"),
    "destruction_register": _("Vernietigingsregister"),
}


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Inzage (art. 15)")
    CORRECTION = "correction", _("Correctie (art. 16)")
    ERASURE = "erasure", _("Verwijdering (art. 17)")
    RESTRICTION = "restriction", _("Beperking (art. 18)")
    PORTABILITY = "portability", _("Overdraagbaarheid (art. 20)")
    OBJECTION = "objection", _("Bezwaar (art. 21)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Ontvangen")
    IN_PROGRESS = "in_progress", _("In behandeling")
    EXTENDED = "extended", _("Verlengd")
    DONE = "done", _("Afgehandeld")
    REFUSED = "refused", _("Geweigerd")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS, RequestStatus.EXTENDED)
CLOSED_STATUSES = (RequestStatus.DONE, RequestStatus.REFUSED)


class PrivacyRequest(models.Model):
    """One request. ``deadline`` is one month after receipt; ``due_on`` is
    the deadline that holds now (later after the one extension)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="privacy_requests"
    )
    # For someone who has no account: name and how to reach them.
    requester_name = models.CharField(_("naam van de aanvrager"), max_length=200, blank=True)
    requester_contact = models.CharField(_("contactgegevens"), max_length=200, blank=True)
    kind = models.CharField(_("soort verzoek"), max_length=20, choices=RequestKind.choices)
    description = models.TextField(_("omschrijving"), max_length=2000, blank=True)
    received_on = models.DateField(_("ontvangen op"))
    deadline = models.DateField(_("wettelijke termijn"))
    due_on = models.DateField(_("uiterste datum"))
    extension_reason = models.TextField(_("reden van verlenging"), max_length=1000, blank=True)
    extension_told = models.TextField(_("hoe de aanvrager is geïnformeerd"), max_length=1000, blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED)
    outcome = models.TextField(_("uitkomst"), max_length=4000, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # An erasure request carried out by the retention engine: when, and what
    # was kept with the legal reason (plain text, shown to the officer).
    erasure_executed_at = models.DateTimeField(null=True, blank=True)
    erasure_report = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_extended(self) -> bool:
        return self.extended_at is not None

    @property
    def who(self) -> str:
        if self.resident is not None:
            return self.resident.full_name
        return self.requester_name


class PrivacyRequestEvent(models.Model):
    """The request's own history: who changed what, when."""

    class Kind(models.TextChoices):
        FILED = "filed", _("Ontvangen")
        STATUS = "status", _("Status gewijzigd")
        EXTENDED = "extended", _("Termijn verlengd")
        CLOSED = "closed", _("Afgesloten")

    request = models.ForeignKey(PrivacyRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class Breach(models.Model):
    """A data breach (datalek) in the register of the organisation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    discovered_at = models.DateTimeField(_("ontdekt op"))
    description = models.TextField(_("wat is er gebeurd"), max_length=4000)
    data_kinds = models.TextField(_("welke gegevens"), max_length=2000)
    cause = models.TextField(_("oorzaak"), max_length=2000, blank=True)
    measures = models.TextField(_("genomen maatregelen"), max_length=4000, blank=True)
    ap_notified_at = models.DateTimeField(_("gemeld bij de AP op"), null=True, blank=True)
    ap_reference = models.CharField(_("meldnummer van de AP"), max_length=100, blank=True)
    ap_not_needed_reason = models.TextField(_("waarom geen melding nodig is"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-discovered_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.discovered_at:%Y-%m-%d %H:%M}"

    @property
    def ap_deadline(self) -> datetime:
        return self.discovered_at + AP_DEADLINE

    @property
    def ap_settled(self) -> bool:
        return self.ap_notified_at is not None or bool(self.ap_not_needed_reason)


class BreachAffected(models.Model):
    """A resident whose data the breach concerns."""

    class Found(models.TextChoices):
        BY_HAND = "by_hand", _("met de hand toegevoegd")
        ACCESS_LOG = "access_log", _("gevonden in het toegangslog")

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="affected")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    found = models.CharField(max_length=20, choices=Found.choices)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    message = models.ForeignKey(
        "BreachMessage", on_delete=models.PROTECT, null=True, blank=True, related_name="recipients"
    )
    informed_at = models.DateTimeField(null=True, blank=True)
    channels_reached = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["resident__sort_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["breach", "resident"], name="privacy_breach_resident_once")]

    def __str__(self) -> str:
        return f"{self.breach_id}: {self.resident_id}"


class BreachAction(models.Model):
    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("wat is er gedaan"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class BreachMessage(models.Model):
    """A message to the affected residents, written by the officer. The
    residents read it on their privacy page; a notification only says that
    there is a message."""

    breach = models.ForeignKey(Breach, on_delete=models.CASCADE, related_name="messages")
    text = models.TextField(_("bericht aan de inwoners"), max_length=3000)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d %H:%M}"


# --- Retention ----------------------------------------------------------------------------


class RetentionSettings(models.Model):
    """An organisation's own retention periods, per record class code
    (``samenspraak/retention.py``), in the class's unit. A class without an
    entry keeps its default. ``provides_youth_care``: the organisation gives
    youth care, so the Jeugdwet's 20 years apply to case files."""

    organisation = models.OneToOneField("organisations.Organisation", on_delete=models.CASCADE, related_name="+")
    provides_youth_care = models.BooleanField(_("wij geven jeugdhulp (Jeugdwet)"), default=False)
    periods = models.JSONField(default=dict, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Retention of organisation {self.organisation_id}"


class LegalHold(models.Model):
    """Nothing of the resident (or, with ``case_ref``, of that one case) is
    destroyed while the hold is on: a complaint, a court case, an
    investigation. Placed and lifted by the privacy officer, with a reason."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The public id of one case of the resident; empty: everything of the resident.
    case_ref = models.CharField(max_length=64, blank=True)
    reason = models.TextField(_("reden"), max_length=2000)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(_("reden van opheffen"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "lifted_at"])]

    def __str__(self) -> str:
        return f"Hold {self.public_id}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class DestructionRecord(models.Model):
    """One destroyed unit: which class, which object (its public id), whose
    (the resident's public id as a reference, no name), when, by which rule
    and why (the scheduled purge or an erasure request). Holds no personal
    data beyond those references."""

    class Trigger(models.TextChoices):
        PURGE = "purge", _("bewaartermijn verstreken")
        ERASURE = "erasure", _("verzoek tot verwijdering")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="+")
    record_class = models.CharField(max_length=40)
    object_id = models.CharField(max_length=64)
    resident_ref = models.UUIDField(null=True, blank=True)
    rule = models.CharField(max_length=300)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    request = models.ForeignKey(PrivacyRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    destroyed_at = models.DateTimeField()

    class Meta:
        ordering = ["-destroyed_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "destroyed_at"])]

    def __str__(self) -> str:
        return f"{self.record_class} {self.object_id}"

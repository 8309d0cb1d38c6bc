"""Writes of the privacy officer's registers. Each service checks its rules
(plain Dutch messages, nothing stored when one is broken) and writes the
access-log entry (for the resident the request or breach concerns) in the
same transaction; a request's own history goes in ``PrivacyRequestEvent``.

Rules kept here:
- the legal deadline is one calendar month after receipt (31 January gives
  28 or 29 February), computed, never typed;
- a request is extended once, to at most two months after the legal
  deadline, with a reason and a note of how the requester was told;
- a closed request (done or refused) is not changed again, and closing
  needs an outcome;
- a breach and its affected residents belong to one organisation;
- a message to residents is written by the officer; the notification that
  goes with it says only that there is a message.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.services import Access, access_log_record
from privacy.models import (
    CLOSED_STATUSES,
    Breach,
    BreachAction,
    BreachAffected,
    BreachMessage,
    PrivacyRequest,
    PrivacyRequestEvent,
    RequestKind,
    RequestStatus,
)
from samenspraak.attention import attention_changed
from samenspraak.dates import is_workable_day
from samenspraak.notify import notify
from samenspraak.policy import Action, Outcome

EXTENSION_MONTHS_MAX = 2
TEXT_MAX = 2000
MESSAGE_MAX = 3000


class PrivacyError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later; a day the month lacks
    becomes the month's last day (31 January + 1 month = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def legal_deadline(received_on: date) -> date:
    """AVG art. 12(3): without undue delay and at the latest one month after receipt."""
    return add_months(received_on, 1)


def extension_latest(request: PrivacyRequest) -> date:
    return add_months(request.deadline, EXTENSION_MONTHS_MAX)


def officers_of(organisation_id: int) -> list[User]:
    return list(User.objects.filter(organisation_id=organisation_id, role=Role.PRIVACY_OFFICER, is_active=True))


def _subject_access(request: PrivacyRequest, action: str) -> Access:
    return Access(
        request.resident, "privacy_request", str(request.public_id), action, organisation_id=request.organisation_id
    )


def _text_check(value: str, *, limit: int, message: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise PrivacyError(message)
    return value


# --- Requests ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestData:
    kind: str
    received_on: date
    description: str = ""
    resident: User | None = None
    requester_name: str = ""
    requester_contact: str = ""


def _request_check(data: RequestData, *, organisation_id: int) -> None:
    if data.kind not in RequestKind.values:
        raise PrivacyError(_("Kies de soort verzoek."))
    if not is_workable_day(data.received_on):
        raise PrivacyError(_("Kies een ontvangstdatum tussen 1900 en 2100."))
    if data.received_on > timezone.localdate():
        raise PrivacyError(_("De ontvangstdatum ligt in de toekomst. Vul de dag in waarop het verzoek binnenkwam."))
    if data.resident is not None:
        if data.resident.role != Role.RESIDENT or data.resident.organisation_id != organisation_id:
            raise PrivacyError(_("Kies een inwoner van uw eigen organisatie."))
    elif not data.requester_name.strip():
        raise PrivacyError(_("Kies een inwoner, of vul de naam in van iemand die niet in het systeem staat."))
    _text_check(data.description, limit=TEXT_MAX, message=_("De omschrijving is te lang (hoogstens 2000 tekens)."))
    if len(data.requester_name) > 200 or len(data.requester_contact) > 200:
        raise PrivacyError(_("Naam en contactgegevens zijn elk hoogstens 200 tekens."))


@transaction.atomic
def privacy_request_register(*, officer: User, data: RequestData) -> PrivacyRequest:
    """The officer registers a request that came in (by letter, mail, at the
    desk, or for someone without an account)."""
    organisation_id = officer.organisation_id
    if officer.role != Role.PRIVACY_OFFICER or organisation_id is None:
        raise PrivacyError(_("Alleen de privacyfunctionaris registreert verzoeken."))
    _request_check(data, organisation_id=organisation_id)
    deadline = legal_deadline(data.received_on)
    request = PrivacyRequest.objects.create(
        organisation_id=organisation_id,
        resident=data.resident,
        requester_name="" if data.resident else data.requester_name.strip(),
        requester_contact="" if data.resident else data.requester_contact.strip(),
        kind=data.kind,
        description=data.description.strip(),
        received_on=data.received_on,
        deadline=deadline,
        due_on=deadline,
        filed_by=officer,
        handled_by=officer,
    )
    PrivacyRequestEvent.objects.create(
        request=request,
        kind=PrivacyRequestEvent.Kind.FILED,
        by=officer,
        text=_("Geregistreerd door de privacyfunctionaris."),
    )
    access_log_record(actor=officer, accesses=[_subject_access(request, Action.CREATE)])
    attention_changed(officers_of(organisation_id))
    return request


@transaction.atomic
def privacy_request_file_by_resident(*, resident: User, kind: str, description: str) -> PrivacyRequest:
    """The resident files a request in the app: it is received today and
    lands in the queue of the organisation's privacy officer."""
    if resident.role != Role.RESIDENT or resident.organisation_id is None:
        raise PrivacyError(_("Alleen een inwoner kan hier een verzoek doen."))
    data = RequestData(kind=kind, received_on=timezone.localdate(), description=description, resident=resident)
    _request_check(data, organisation_id=resident.organisation_id)
    if not data.description.strip():
        raise PrivacyError(_("Schrijf kort op wat u wilt."))
    deadline = legal_deadline(data.received_on)
    request = PrivacyRequest.objects.create(
        organisation_id=resident.organisation_id,
        resident=resident,
        kind=kind,
        description=data.description.strip(),
        received_on=data.received_on,
        deadline=deadline,
        due_on=deadline,
        filed_by=resident,
    )
    PrivacyRequestEvent.objects.create(
        request=request,
        kind=PrivacyRequestEvent.Kind.FILED,
        by=resident,
        text=_("Ingediend door de inwoner in de app."),
    )
    access_log_record(actor=resident, accesses=[_subject_access(request, Action.CREATE)])
    attention_changed(officers_of(resident.organisation_id))
    return request


def _locked_open(request: PrivacyRequest) -> PrivacyRequest:
    locked = PrivacyRequest.objects.select_for_update(of=("self",)).select_related("resident").get(pk=request.pk)
    if locked.status in CLOSED_STATUSES:
        raise PrivacyError(_("Dit verzoek is al afgesloten en kan niet meer worden gewijzigd."))
    return locked


def _officer_check(request: PrivacyRequest, officer: User) -> None:
    if officer.role != Role.PRIVACY_OFFICER or officer.organisation_id != request.organisation_id:
        raise PrivacyError(_("Alleen de privacyfunctionaris van de organisatie behandelt dit verzoek."))


@transaction.atomic
def privacy_request_extend(
    *, request: PrivacyRequest, officer: User, until: date, reason: str, told: str
) -> PrivacyRequest:
    """Extend once, to at most two months after the legal deadline
    (AVG art. 12(3)), with a reason and how the requester was told."""
    _officer_check(request, officer)
    locked = _locked_open(request)
    if locked.extended_at is not None:
        raise PrivacyError(_("De termijn is al een keer verlengd. Verlengen kan maar één keer."))
    if not is_workable_day(until) or until <= locked.deadline:
        raise PrivacyError(
            _("De nieuwe uiterste datum moet na de wettelijke termijn liggen (%(deadline)s).")
            % {"deadline": locked.deadline.strftime("%d-%m-%Y")}
        )
    if until > extension_latest(locked):
        raise PrivacyError(
            _("Verlengen kan met hoogstens twee maanden: uiterlijk tot %(latest)s.")
            % {"latest": extension_latest(locked).strftime("%d-%m-%Y")}
        )
    reason = _text_check(reason, limit=1000, message=_("De reden is te lang (hoogstens 1000 tekens)."))
    told = _text_check(told, limit=1000, message=_("De notitie is te lang (hoogstens 1000 tekens)."))
    if not reason:
        raise PrivacyError(_("Schrijf op waarom de termijn wordt verlengd."))
    if not told:
        raise PrivacyError(_("Noteer hoe en wanneer de aanvrager over de verlenging is geïnformeerd."))
    locked.due_on = until
    locked.extension_reason = reason
    locked.extension_told = told
    locked.extended_at = timezone.now()
    locked.status = RequestStatus.EXTENDED
    locked.handled_by = officer
    locked.save()
    PrivacyRequestEvent.objects.create(
        request=locked,
        kind=PrivacyRequestEvent.Kind.EXTENDED,
        by=officer,
        text=_("Verlengd tot %(until)s. Reden: %(reason)s. Aanvrager geïnformeerd: %(told)s")
        % {"until": until.strftime("%d-%m-%Y"), "reason": reason, "told": told},
    )
    access_log_record(actor=officer, accesses=[_subject_access(locked, Action.CHANGE)])
    attention_changed(officers_of(locked.organisation_id))
    return locked


@transaction.atomic
def privacy_request_status_set(
    *, request: PrivacyRequest, officer: User, status: str, outcome: str = ""
) -> PrivacyRequest:
    """Move the request on: in progress, done or refused (the last two close
    it and need an outcome). "Extended" is set by extending."""
    _officer_check(request, officer)
    locked = _locked_open(request)
    if status not in (RequestStatus.IN_PROGRESS, RequestStatus.DONE, RequestStatus.REFUSED):
        raise PrivacyError(_("Kies: in behandeling, afgehandeld of geweigerd."))
    outcome = _text_check(outcome, limit=4000, message=_("De uitkomst is te lang (hoogstens 4000 tekens)."))
    closing = status in CLOSED_STATUSES
    if closing and not outcome:
        raise PrivacyError(_("Schrijf de uitkomst op voordat u het verzoek afsluit (bij weigeren: de reden)."))
    if status == RequestStatus.IN_PROGRESS and locked.status == RequestStatus.EXTENDED:
        raise PrivacyError(_("Dit verzoek is verlengd en al in behandeling."))
    locked.status = status
    if outcome:
        locked.outcome = outcome
    locked.handled_by = officer
    if closing:
        locked.closed_at = timezone.now()
    locked.save()
    PrivacyRequestEvent.objects.create(
        request=locked,
        kind=PrivacyRequestEvent.Kind.CLOSED if closing else PrivacyRequestEvent.Kind.STATUS,
        by=officer,
        text=f"{locked.get_status_display()}{': ' + outcome if outcome else ''}",
    )
    access_log_record(actor=officer, accesses=[_subject_access(locked, Action.CHANGE)])
    attention_changed(officers_of(locked.organisation_id))
    return locked


# --- Breaches ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BreachData:
    discovered_at: datetime
    description: str
    data_kinds: str
    cause: str = ""
    measures: str = ""


def _breach_officer_check(breach: Breach | None, officer: User) -> None:
    if officer.role != Role.PRIVACY_OFFICER or officer.organisation_id is None:
        raise PrivacyError(_("Alleen de privacyfunctionaris houdt het register van datalekken bij."))
    if breach is not None and breach.organisation_id != officer.organisation_id:
        raise PrivacyError(_("Dit datalek hoort bij een andere organisatie."))


def _breach_access(breach: Breach, action: str, subject: User | None = None, object_type: str = "breach") -> Access:
    return Access(subject, object_type, str(breach.public_id), action, organisation_id=breach.organisation_id)


@transaction.atomic
def breach_record(*, officer: User, data: BreachData) -> Breach:
    _breach_officer_check(None, officer)
    if not is_workable_day(timezone.localtime(data.discovered_at).date()):
        raise PrivacyError(_("Kies een datum tussen 1900 en 2100."))
    if data.discovered_at > timezone.now():
        raise PrivacyError(_("Het moment van ontdekken ligt in de toekomst."))
    description = _text_check(
        data.description, limit=4000, message=_("De beschrijving is te lang (hoogstens 4000 tekens).")
    )
    data_kinds = _text_check(data.data_kinds, limit=2000, message=_("Dit veld is te lang (hoogstens 2000 tekens)."))
    if not description:
        raise PrivacyError(_("Beschrijf wat er is gebeurd."))
    if not data_kinds:
        raise PrivacyError(_("Schrijf op om welke gegevens het gaat."))
    assert officer.organisation_id is not None  # checked above
    breach = Breach.objects.create(
        organisation_id=officer.organisation_id,
        discovered_at=data.discovered_at,
        description=description,
        data_kinds=data_kinds,
        cause=_text_check(data.cause, limit=2000, message=_("De oorzaak is te lang (hoogstens 2000 tekens).")),
        measures=_text_check(
            data.measures, limit=4000, message=_("De maatregelen zijn te lang (hoogstens 4000 tekens).")
        ),
        recorded_by=officer,
    )
    access_log_record(actor=officer, accesses=[_breach_access(breach, Action.CREATE)])
    return breach


@transaction.atomic
def breach_authority_set(
    *, breach: Breach, officer: User, notified_at: datetime | None, reference: str = "", not_needed_reason: str = ""
) -> Breach:
    """Record the notification to the Autoriteit Persoonsgegevens (moment and
    reference), or why no notification is needed."""
    _breach_officer_check(breach, officer)
    reference = _text_check(reference, limit=100, message=_("Het meldnummer is te lang (hoogstens 100 tekens)."))
    reason = _text_check(not_needed_reason, limit=2000, message=_("De reden is te lang (hoogstens 2000 tekens)."))
    if notified_at is None and not reason:
        raise PrivacyError(_("Vul in wanneer het lek is gemeld bij de AP, of waarom melden niet nodig is."))
    if notified_at is not None and reason:
        raise PrivacyError(_("Vul óf het moment van melden in, óf de reden om niet te melden; niet allebei."))
    if notified_at is not None:
        if notified_at < breach.discovered_at:
            raise PrivacyError(_("Het moment van melden ligt vóór het moment van ontdekken."))
        if notified_at > timezone.now():
            raise PrivacyError(_("Het moment van melden ligt in de toekomst."))
    locked = Breach.objects.select_for_update().get(pk=breach.pk)
    locked.ap_notified_at = notified_at
    locked.ap_reference = reference if notified_at else ""
    locked.ap_not_needed_reason = reason
    locked.save()
    access_log_record(actor=officer, accesses=[_breach_access(locked, Action.CHANGE)])
    return locked


@transaction.atomic
def breach_affected_add(
    *, breach: Breach, officer: User, residents: Iterable[User], found: str = BreachAffected.Found.BY_HAND
) -> list[BreachAffected]:
    """Add residents to the breach (those already on it are skipped). A
    resident of another organisation refuses the whole addition."""
    _breach_officer_check(breach, officer)
    residents = list(residents)
    if not residents:
        raise PrivacyError(_("Kies minstens één inwoner."))
    for resident in residents:
        if resident.role != Role.RESIDENT or resident.organisation_id != breach.organisation_id:
            access_log_record(
                actor=officer,
                accesses=[Access(resident, "breach", str(breach.public_id), Action.CHANGE, Outcome.DENIED)],
            )
            raise PrivacyError(_("U kunt alleen inwoners van uw eigen organisatie aan een datalek koppelen."))
    already = set(BreachAffected.objects.filter(breach=breach).values_list("resident_id", flat=True))
    added = [
        BreachAffected.objects.create(breach=breach, resident=r, found=found, added_by=officer)
        for r in residents
        if r.pk not in already
    ]
    access_log_record(actor=officer, accesses=[_breach_access(breach, Action.CREATE, a.resident) for a in added])
    return added


@transaction.atomic
def breach_action_add(*, breach: Breach, officer: User, text: str) -> BreachAction:
    _breach_officer_check(breach, officer)
    text = _text_check(text, limit=2000, message=_("De beschrijving is te lang (hoogstens 2000 tekens)."))
    if not text:
        raise PrivacyError(_("Schrijf op wat er is gedaan."))
    action = BreachAction.objects.create(breach=breach, text=text, by=officer)
    access_log_record(actor=officer, accesses=[_breach_access(breach, Action.CHANGE)])
    return action


@transaction.atomic
def breach_message_send(*, breach: Breach, officer: User, text: str) -> BreachMessage:
    """Send the officer's message to every affected resident not informed
    yet. The residents read it on their privacy page; each gets a
    notification without content (after commit, one task per resident)."""
    _breach_officer_check(breach, officer)
    text = _text_check(text, limit=MESSAGE_MAX, message=_("Het bericht is te lang (hoogstens 3000 tekens)."))
    if not text:
        raise PrivacyError(_("Schrijf het bericht aan de inwoners."))
    to_inform = list(
        BreachAffected.objects.select_for_update(of=("self",))
        .filter(breach=breach, informed_at__isnull=True)
        .select_related("resident")
    )
    if not to_inform:
        raise PrivacyError(_("Alle betrokken inwoners zijn al geïnformeerd, of er zijn nog geen betrokken inwoners."))
    message = BreachMessage.objects.create(breach=breach, text=text, sent_by=officer)
    now = timezone.now()
    BreachAffected.objects.filter(pk__in=[a.pk for a in to_inform]).update(message=message, informed_at=now)
    access_log_record(
        actor=officer,
        accesses=[_breach_access(breach, Action.CREATE, a.resident, "breach_message") for a in to_inform],
    )
    for affected in to_inform:
        transaction.on_commit(partial(breach_message_notify.enqueue, affected_id=affected.pk))
    return message


@task
def breach_message_notify(*, affected_id: int) -> int:
    """Tell one resident that there is a message about their data: no
    content, no topic; they read it in the app. How many channels reached
    them is recorded on the resident's row."""
    affected = BreachAffected.objects.select_related("resident").filter(pk=affected_id).first()
    if affected is None or not affected.resident.is_active:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Er is een bericht voor u")
    reached = notify(
        user=affected.resident,
        subject=subject,
        template="privacy/notify/message.txt",
        short_template="privacy/notify/message_short.txt",
        context={"url": settings.SITE_URL.rstrip("/") + reverse("privacy:mine")},
    )
    BreachAffected.objects.filter(pk=affected.pk).update(channels_reached=reached)
    return reached

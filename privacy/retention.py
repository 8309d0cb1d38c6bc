"""The retention engine: how long each class of records is kept per
organisation, what is past its date, legal holds, the destruction register
and erasure requests.

The record classes are registered by the apps that store them
(``samenspraak/retention.py``); this module never imports their models. For
each organisation and class the engine asks "what is past date X" (one
query), leaves out what a legal hold covers, asks the class to destroy the
rest (bulk statements) and writes one ``DestructionRecord`` and one
access-log entry (``destruction``, action delete) per destroyed unit, all in
one transaction per organisation and class. The number of queries does not
grow with the number of rows (bulk inserts aside, which the database splits
into batches).

A class that cannot be destroyed yet (the access log) is counted and
reported, never touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Role, User
from audit.services import Access, access_log_record
from organisations.models import Organisation
from privacy.models import (
    OPEN_STATUSES,
    DestructionRecord,
    LegalHold,
    PrivacyRequest,
    PrivacyRequestEvent,
    RequestKind,
    RequestStatus,
    RetentionSettings,
)
from samenspraak.policy import Action
from samenspraak.retention import DueItem, RecordClass, record_class_get, record_classes

# Sanity limits for what an organisation may set.
YEARS_MAX = 100
DAYS_MAX = 3650


class RetentionError(Exception):
    """A rule was broken; the message is plain Dutch for the officer."""


# --- Periods ----------------------------------------------------------------------------


def years_before(moment: datetime, years: int) -> datetime:
    """The same moment ``years`` calendar years earlier (29 February becomes 28)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def years_after(moment: datetime, years: int) -> datetime:
    return years_before(moment, -years)


@dataclass(frozen=True)
class Period:
    """The period that holds for one class in one organisation."""

    record_class: RecordClass
    amount: int
    default: int
    legal_minimum: int
    legal_basis: Any

    @property
    def code(self) -> str:
        return self.record_class.code

    @property
    def is_default(self) -> bool:
        return self.amount == self.default

    @property
    def minimum(self) -> int:
        """What may be set: the legal minimum, and at least one unit."""
        return max(self.legal_minimum, 1)

    @property
    def maximum(self) -> int:
        return YEARS_MAX if self.record_class.unit == "years" else DAYS_MAX

    def amount_text(self, amount: int | None = None) -> str:
        amount = self.amount if amount is None else amount
        if self.record_class.unit == "years":
            return ngettext("%(count)s jaar", "%(count)s jaar", amount) % {"count": amount}
        return ngettext("%(count)s dag", "%(count)s dagen", amount) % {"count": amount}

    @property
    def is_destroyable(self) -> bool:
        return self.record_class.destroy is not None

    @property
    def default_text(self) -> str:
        return self.amount_text(self.default)

    @property
    def rule_text(self) -> str:
        """For the destruction register: "Dossier: 15 jaar na het afsluiten van het dossier"."""
        return f"{self.record_class.label}: {self.amount_text()} {self.record_class.rule}"

    def cutoff(self, now: datetime) -> datetime:
        """Units whose reference moment lies before this are past their date."""
        if self.record_class.unit == "years":
            return years_before(now, self.amount)
        return now - timedelta(days=self.amount)

    def legal_until(self, reference_at: datetime) -> datetime:
        """Until when the law keeps a unit with this reference moment."""
        if self.record_class.unit == "years":
            return years_after(reference_at, self.legal_minimum)
        return reference_at + timedelta(days=self.legal_minimum)


def _periods(settings: RetentionSettings | None) -> list[Period]:
    youth = settings is not None and settings.provides_youth_care
    chosen = settings.periods if settings is not None else {}
    periods = []
    for record_class in record_classes():
        default = record_class.default
        legal_minimum = record_class.legal_minimum
        if youth and record_class.youth_care_default is not None:
            default = record_class.youth_care_default
        if youth and record_class.youth_care_legal_minimum is not None:
            legal_minimum = record_class.youth_care_legal_minimum
        amount = chosen.get(record_class.code, default)
        if not isinstance(amount, int) or amount < max(legal_minimum, 1):
            amount = max(default, legal_minimum)  # a stored value below the law never applies
        basis = record_class.legal_basis
        if youth and record_class.youth_care_legal_basis is not None:
            basis = record_class.youth_care_legal_basis
        periods.append(Period(record_class, amount, default, legal_minimum, basis))
    return periods


def retention_settings_get(*, organisation_id: int) -> RetentionSettings | None:
    return RetentionSettings.objects.filter(organisation_id=organisation_id).first()


def retention_periods(*, organisation_id: int) -> list[Period]:
    """Every class's period for the organisation, its own or the default. One query."""
    return _periods(retention_settings_get(organisation_id=organisation_id))


@transaction.atomic
def retention_settings_set(*, officer: User, provides_youth_care: bool, periods: dict[str, int]) -> RetentionSettings:
    """The privacy officer sets the organisation's periods. A period below
    the legal minimum (with youth care: the Jeugdwet's) or below one unit is
    refused with the legal basis; nothing is stored then."""
    organisation_id = officer.organisation_id
    if officer.role != Role.PRIVACY_OFFICER or organisation_id is None:
        raise RetentionError(_("Alleen de privacyfunctionaris stelt de bewaartermijnen in."))
    settings, _created = RetentionSettings.objects.select_for_update().get_or_create(organisation_id=organisation_id)
    settings.provides_youth_care = provides_youth_care
    wanted: dict[str, int] = {}
    for period in _periods(settings):
        amount = periods.get(period.code, period.amount)
        if amount < period.legal_minimum:
            raise RetentionError(
                _(
                    "De bewaartermijn voor %(class)s mag niet korter zijn dan de wettelijke termijn "
                    "van %(minimum)s (%(basis)s)."
                )
                % {
                    "class": period.record_class.label,
                    "minimum": period.amount_text(period.legal_minimum),
                    "basis": period.legal_basis,
                }
            )
        if amount < 1:
            raise RetentionError(
                _("De bewaartermijn voor %(class)s moet minstens %(minimum)s zijn.")
                % {"class": period.record_class.label, "minimum": period.amount_text(1)}
            )
        if amount > period.maximum:
            raise RetentionError(
                _("De bewaartermijn voor %(class)s mag hoogstens %(maximum)s zijn.")
                % {"class": period.record_class.label, "maximum": period.amount_text(period.maximum)}
            )
        wanted[period.code] = amount
    settings.periods = wanted
    settings.changed_by = officer
    settings.save()
    organisation = Organisation.objects.get(pk=organisation_id)
    access_log_record(
        actor=officer,
        accesses=[
            Access(
                None, "retention_settings", str(organisation.public_id), Action.CHANGE, organisation_id=organisation_id
            )
        ],
    )
    return settings


# --- Legal holds ------------------------------------------------------------------------


def _hold_access(hold: LegalHold, action: str) -> Access:
    return Access(hold.resident, "legal_hold", str(hold.public_id), action, organisation_id=hold.organisation_id)


@transaction.atomic
def legal_hold_place(*, officer: User, resident: User, reason: str, case_ref: str = "") -> LegalHold:
    """Put a legal hold on everything of ``resident`` or, with ``case_ref``
    (the public id of one of the resident's cases), on that case."""
    if officer.role != Role.PRIVACY_OFFICER or officer.organisation_id is None:
        raise RetentionError(_("Alleen de privacyfunctionaris legt een bewaarplicht op."))
    if resident.role != Role.RESIDENT or resident.organisation_id != officer.organisation_id:
        raise RetentionError(_("Kies een inwoner van uw eigen organisatie."))
    reason = reason.strip()
    if not reason:
        raise RetentionError(_("Schrijf op waarom de gegevens bewaard moeten blijven."))
    if len(reason) > 2000:
        raise RetentionError(_("De reden is te lang (hoogstens 2000 tekens)."))
    hold = LegalHold.objects.create(
        organisation_id=officer.organisation_id, resident=resident, case_ref=case_ref, reason=reason, placed_by=officer
    )
    access_log_record(actor=officer, accesses=[_hold_access(hold, Action.CREATE)])
    return hold


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, officer: User, reason: str) -> LegalHold:
    if officer.role != Role.PRIVACY_OFFICER or officer.organisation_id != hold.organisation_id:
        raise RetentionError(_("Alleen de privacyfunctionaris van de organisatie heft een bewaarplicht op."))
    locked = LegalHold.objects.select_for_update().select_related("resident").get(pk=hold.pk)
    if locked.lifted_at is not None:
        raise RetentionError(_("Deze bewaarplicht is al opgeheven."))
    reason = reason.strip()
    if not reason:
        raise RetentionError(_("Schrijf op waarom de bewaarplicht wordt opgeheven."))
    if len(reason) > 2000:
        raise RetentionError(_("De reden is te lang (hoogstens 2000 tekens)."))
    locked.lifted_at = timezone.now()
    locked.lifted_by = officer
    locked.lift_reason = reason
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    access_log_record(actor=officer, accesses=[_hold_access(locked, Action.CHANGE)])
    return locked


@dataclass(frozen=True)
class Holds:
    residents: dict[int, str]  # resident id → reason
    cases: dict[str, str]  # case public id → reason

    def reason_for(self, item: DueItem) -> str | None:
        if item.resident_id is not None and item.resident_id in self.residents:
            return self.residents[item.resident_id]
        if item.case_ref and item.case_ref in self.cases:
            return self.cases[item.case_ref]
        return None


def holds_active(*, organisation_id: int) -> Holds:
    """The organisation's holds that are on. One query."""
    residents: dict[int, str] = {}
    cases: dict[str, str] = {}
    rows = LegalHold.objects.filter(organisation_id=organisation_id, lifted_at__isnull=True).values_list(
        "resident_id", "case_ref", "reason"
    )
    for resident_id, case_ref, reason in rows:
        if case_ref:
            cases[case_ref] = reason
        else:
            residents[resident_id] = reason
    return Holds(residents, cases)


# --- What is due (the dry run) ----------------------------------------------------------


@dataclass
class ClassPlan:
    period: Period
    due: list[DueItem] = field(default_factory=list)
    held: list[tuple[DueItem, str]] = field(default_factory=list)
    # A class that cannot be destroyed yet: how many rows are past their date.
    not_supported_count: int | None = None

    @property
    def is_supported(self) -> bool:
        return self.period.record_class.destroy is not None


def retention_plan(
    *, organisation_id: int, now: datetime | None = None, codes: Iterable[str] | None = None
) -> list[ClassPlan]:
    """What the next purge would destroy in the organisation, per class, and
    what a legal hold keeps. Destroys nothing. Two queries plus one per class."""
    now = now or timezone.now()
    wanted = set(codes) if codes is not None else None
    holds = holds_active(organisation_id=organisation_id)
    plans = []
    for period in retention_periods(organisation_id=organisation_id):
        if wanted is not None and period.code not in wanted:
            continue
        plan = ClassPlan(period)
        record_class = period.record_class
        if record_class.items is None or record_class.destroy is None:
            if record_class.pending_count is not None:
                plan.not_supported_count = record_class.pending_count(
                    organisation_id=organisation_id, before=period.cutoff(now)
                )
            plans.append(plan)
            continue
        for item in record_class.items(organisation_id=organisation_id, before=period.cutoff(now)):
            reason = holds.reason_for(item)
            if reason is None:
                plan.due.append(item)
            else:
                plan.held.append((item, reason))
        plans.append(plan)
    return plans


# --- Destroying -------------------------------------------------------------------------


def _destroy(
    *,
    organisation_id: int,
    period: Period,
    items: list[DueItem],
    trigger: str,
    actor: User | None,
    request: PrivacyRequest | None,
    now: datetime,
) -> int:
    """Destroy ``items`` of one class and write the register and the access
    log for each destroyed unit, in one transaction."""
    destroy = period.record_class.destroy
    if not items or destroy is None:
        return 0
    with transaction.atomic():
        destroyed = set(destroy(organisation_id=organisation_id, object_ids=[item.object_id for item in items]))
        done = [item for item in items if item.object_id in destroyed]
        if not period.record_class.resident_data:
            done = [replace(item, resident_id=None) for item in done]
        resident_ids = {item.resident_id for item in done if item.resident_id is not None}
        residents = {user.pk: user for user in User.objects.filter(pk__in=resident_ids)} if resident_ids else {}
        DestructionRecord.objects.bulk_create(
            [
                DestructionRecord(
                    organisation_id=organisation_id,
                    record_class=period.code,
                    object_id=item.object_id,
                    resident_ref=residents[item.resident_id].public_id if item.resident_id in residents else None,
                    rule=period.rule_text[:300],
                    trigger=trigger,
                    request=request,
                    destroyed_at=now,
                )
                for item in done
            ]
        )
        access_log_record(
            actor=actor,
            accesses=[
                Access(
                    residents.get(item.resident_id) if item.resident_id is not None else None,
                    "destruction",
                    item.object_id,
                    Action.DELETE,
                    organisation_id=organisation_id,
                )
                for item in done
            ],
        )
    return len(done)


@dataclass
class PurgeReport:
    destroyed: dict[str, int] = field(default_factory=dict)  # class code → units
    held: dict[str, int] = field(default_factory=dict)
    not_supported: dict[str, int] = field(default_factory=dict)

    @property
    def destroyed_total(self) -> int:
        return sum(self.destroyed.values())

    def add(self, counts: dict[str, int], code: str, amount: int) -> None:
        if amount:
            counts[code] = counts.get(code, 0) + amount


def retention_purge(
    *, now: datetime | None = None, organisation_ids: Iterable[int] | None = None, codes: Iterable[str] | None = None
) -> PurgeReport:
    """Destroy what is past its date in every organisation (or some), by
    each organisation's own periods; what a legal hold covers is kept and
    counted. ``codes`` limits the classes (``purge_consultation_transcripts``
    runs only the anonymous chats)."""
    now = now or timezone.now()
    report = PurgeReport()
    organisations = Organisation.objects.order_by("pk").values_list("pk", flat=True)
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=list(organisation_ids))
    wanted = list(codes) if codes is not None else None
    for organisation_id in organisations:
        for plan in retention_plan(organisation_id=organisation_id, now=now, codes=wanted):
            report.add(report.held, plan.period.code, len(plan.held))
            if plan.not_supported_count is not None:
                report.add(report.not_supported, plan.period.code, plan.not_supported_count)
            count = _destroy(
                organisation_id=organisation_id,
                period=plan.period,
                items=plan.due,
                trigger=DestructionRecord.Trigger.PURGE,
                actor=None,
                request=None,
                now=now,
            )
            report.add(report.destroyed, plan.period.code, count)
    return report


# --- Erasure requests -------------------------------------------------------------------


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d-%m-%Y")


@transaction.atomic
def erasure_execute(*, request: PrivacyRequest, officer: User, now: datetime | None = None) -> PrivacyRequest:
    """Carry out an erasure request (AVG art. 17) through the engine: every
    unit of the resident that no law and no legal hold keeps is destroyed
    now (registered with the request); what is kept is listed with its
    reason. The report is stored on the request and in its history; the
    officer then closes the request with an outcome."""
    now = now or timezone.now()
    if officer.role != Role.PRIVACY_OFFICER or officer.organisation_id != request.organisation_id:
        raise RetentionError(_("Alleen de privacyfunctionaris van de organisatie voert dit verzoek uit."))
    locked = PrivacyRequest.objects.select_for_update(of=("self",)).select_related("resident").get(pk=request.pk)
    if locked.kind != RequestKind.ERASURE:
        raise RetentionError(_("Alleen een verzoek tot verwijdering kan zo worden uitgevoerd."))
    if locked.status not in OPEN_STATUSES:
        raise RetentionError(_("Dit verzoek is al afgesloten en kan niet meer worden gewijzigd."))
    resident = locked.resident
    if resident is None:
        raise RetentionError(
            _("Dit verzoek is van iemand zonder account: er zijn geen gegevens in het systeem om te verwijderen.")
        )
    organisation_id = locked.organisation_id
    holds = holds_active(organisation_id=organisation_id)
    destroyed_lines: list[str] = []
    kept_lines: list[str] = []
    for period in retention_periods(organisation_id=organisation_id):
        record_class = period.record_class
        label = str(record_class.label)
        if not record_class.resident_data:
            kept_lines.append(
                _("%(class)s: wordt bewaard (%(basis)s); een verzoek tot verwijdering geldt er niet voor.")
                % {"class": label, "basis": period.legal_basis}
            )
            continue
        if record_class.items is None or record_class.destroy is None:
            kept_lines.append(
                _("%(class)s: wordt bewaard (%(basis)s); vernietigen kan het systeem nog niet.")
                % {"class": label, "basis": period.legal_basis}
            )
            continue
        to_destroy: list[DueItem] = []
        for item in record_class.items(organisation_id=organisation_id, before=None, resident_ids=[resident.pk]):
            hold_reason = holds.reason_for(item)
            if hold_reason is not None:
                kept_lines.append(
                    _("%(class)s: bewaard wegens een bewaarplicht (%(reason)s).")
                    % {"class": label, "reason": hold_reason}
                )
            elif period.legal_minimum and item.reference_at is None:
                kept_lines.append(
                    _("%(class)s: bewaard, want het loopt nog; na afsluiten geldt %(minimum)s (%(basis)s).")
                    % {
                        "class": label,
                        "minimum": period.amount_text(period.legal_minimum),
                        "basis": period.legal_basis,
                    }
                )
            elif period.legal_minimum and item.reference_at is not None and period.legal_until(item.reference_at) > now:
                kept_lines.append(
                    _("%(class)s (afgesloten op %(closed)s): wettelijke bewaartermijn tot %(until)s (%(basis)s).")
                    % {
                        "class": label,
                        "closed": _day(item.reference_at),
                        "until": _day(period.legal_until(item.reference_at)),
                        "basis": period.legal_basis,
                    }
                )
            else:
                to_destroy.append(item)
        count = _destroy(
            organisation_id=organisation_id,
            period=period,
            items=to_destroy,
            trigger=DestructionRecord.Trigger.ERASURE,
            actor=officer,
            request=locked,
            now=now,
        )
        if count:
            destroyed_lines.append(f"{label}: {count}")
    lines = [
        _("Vernietigd: %(what)s.") % {"what": "; ".join(destroyed_lines)}
        if destroyed_lines
        else _("Er was niets dat vernietigd mocht worden.")
    ]
    if kept_lines:
        lines.append(_("Bewaard:"))
        lines.extend(f"- {line}" for line in kept_lines)
    report = "\n".join(lines)
    locked.erasure_executed_at = now
    locked.erasure_report = report
    if locked.status == RequestStatus.RECEIVED:
        locked.status = RequestStatus.IN_PROGRESS
    locked.handled_by = officer
    locked.save(update_fields=["erasure_executed_at", "erasure_report", "status", "handled_by"])
    PrivacyRequestEvent.objects.create(
        request=locked,
        kind=PrivacyRequestEvent.Kind.STATUS,
        by=officer,
        text=_("Verwijdering uitgevoerd. %(report)s") % {"report": report},
    )
    access_log_record(
        actor=officer,
        accesses=[
            Access(resident, "privacy_request", str(locked.public_id), Action.DELETE, organisation_id=organisation_id)
        ],
    )
    return locked


def record_class_label(code: str) -> str:
    record_class = record_class_get(code)
    return str(record_class.label) if record_class is not None else code

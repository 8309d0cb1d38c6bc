"""Writes for effect measurement. Each service checks its rules first (plain
Dutch messages, nothing stored when one is broken), then makes the change,
the access-log entry and, where the resident's file should show it, the
timeline event, in one transaction.

Rules kept here:
- the instrument says who fills it in: a worker's instrument (ZRM, ladder)
  by casework staff of the resident's organisation (the caller reached the
  resident through ``outcomes.access``), the self-assessment by the
  resident themself;
- every value is a point of the version's own scale; a resident may skip
  an item, a worker may leave one open in a draft but not sign it off;
- a measurement's day lies within the workable years and not in the future;
- a signed-off measurement is locked: every change is refused, and the
  refusal is logged (outside the refused transaction, so it stays);
- the first measurement on a version freezes it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CASEWORK_ROLES, Role, User
from audit.services import Access, access_log_record
from casefiles.selectors import case_current
from casefiles.timeline import timeline_event_add
from outcomes.models import IndicatorText, Instrument, InstrumentVersion, Item, Measurement, Moment, Score
from samenspraak.dates import is_workable_day
from samenspraak.forms import has_hidden_characters
from samenspraak.policy import Action, Outcome

NOTE_MAX = 500
INDICATOR_MAX = 1000
INDICATOR_ROWS_MAX = 500


class OutcomeError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


class MeasurementLocked(OutcomeError):
    """A change to a signed-off measurement."""


@dataclass(frozen=True)
class ScoreInput:
    value: int | None
    face_to_face_preferred: bool = False
    note: str = ""


def _filler_check(version: InstrumentVersion, resident: User, by: User) -> None:
    instrument = version.instrument
    if instrument.organisation_id is not None and instrument.organisation_id != resident.organisation_id:
        raise OutcomeError(_("Deze vragenlijst hoort bij een andere organisatie."))
    if version.published_at is None:
        raise OutcomeError(_("Deze versie van de vragenlijst is nog niet gepubliceerd."))
    if resident.role != Role.RESIDENT:
        raise OutcomeError(_("Alleen een inwoner kan gemeten worden."))
    if instrument.filled_by == Instrument.FilledBy.RESIDENT:
        if by.pk != resident.pk:
            raise OutcomeError(_("Deze vragenlijst vult de inwoner zelf in."))
    elif by.role not in CASEWORK_ROLES or by.organisation_id != resident.organisation_id:
        raise OutcomeError(_("Deze meting vult de medewerker van de inwoner in."))


def _scores_check(version: InstrumentVersion, scores: Mapping[int, ScoreInput], *, by_resident: bool) -> list[Item]:
    """The version's items, after checking every given score against them."""
    items = list(version.items.all())
    allowed = {point.value for point in version.scale_points.all()}
    known = {item.pk for item in items}
    if set(scores) - known:
        raise OutcomeError(_("Er is een antwoord op een vraag die niet in deze vragenlijst staat."))
    for item in items:
        score = scores.get(item.pk)
        if score is None:
            continue
        if score.value is not None and (not isinstance(score.value, int) or score.value not in allowed):
            raise OutcomeError(
                _("Bij '%(item)s' past alleen een score van %(low)s tot en met %(high)s.")
                % {"item": item.label, "low": min(allowed), "high": max(allowed)}
            )
        if len(score.note) > NOTE_MAX:
            raise OutcomeError(
                _("De toelichting bij '%(item)s' mag hoogstens %(max)s tekens lang zijn.")
                % {"item": item.label, "max": NOTE_MAX}
            )
        if score.face_to_face_preferred and not by_resident:
            raise OutcomeError(_("Alleen de inwoner kiest 'liever in een gesprek'."))
    if not any(score.value is not None for score in scores.values()):
        raise OutcomeError(_("Kies bij minstens één onderwerp een antwoord."))
    return items


def _day_check(day: date) -> None:
    if not is_workable_day(day):
        raise OutcomeError(_("Kies een datum tussen 1900 en 2100."))
    if day > timezone.localdate():
        raise OutcomeError(_("De datum van de meting ligt in de toekomst. Kies vandaag of een dag ervoor."))


def _moment_check(moment: str) -> None:
    if moment not in Moment.values:
        raise OutcomeError(_("Kies het moment van de meting: intake, evaluatie, afsluiting of tussendoor."))


def _timeline(measurement: Measurement, *, kind: str, actor: User, is_shared: bool) -> None:
    timeline_event_add(
        resident=measurement.resident,
        kind=kind,
        summary=measurement.version.instrument.name,
        params={"instrument": measurement.version.instrument.name, "moment": measurement.moment},
        actor=actor,
        is_shared=is_shared,
        object_type="measurement",
        object_public_id=measurement.public_id,
    )


def _access(measurement: Measurement, action: str, outcome: str = Outcome.ALLOWED) -> Access:
    return Access(measurement.resident, "measurement", str(measurement.public_id), action, outcome)


@transaction.atomic
def measurement_record(
    *,
    resident: User,
    version: InstrumentVersion,
    moment: str,
    measured_on: date,
    scored_by: User,
    scores: Mapping[int, ScoreInput],
) -> Measurement:
    """A new measurement of ``resident`` on ``version``, with its scores.

    A worker's measurement starts as a draft (sign it off with
    ``measurement_sign_off``); the resident's own self-assessment is sent
    in, so it is signed off at once and on their timeline. The version is
    frozen. Logged as a create."""
    _filler_check(version, resident, scored_by)
    _moment_check(moment)
    _day_check(measured_on)
    by_resident = version.instrument.filled_by == Instrument.FilledBy.RESIDENT
    items = _scores_check(version, scores, by_resident=by_resident)
    case = case_current(resident=resident)
    measurement = Measurement.objects.create(
        resident=resident,
        case=case,
        version=version,
        moment=moment,
        measured_on=measured_on,
        scored_by=scored_by,
        status=Measurement.Status.SIGNED_OFF if by_resident else Measurement.Status.DRAFT,
        signed_off_at=timezone.now() if by_resident else None,
    )
    Score.objects.bulk_create(_score_rows(measurement, items, scores))
    if not version.is_frozen:
        InstrumentVersion.objects.filter(pk=version.pk).update(is_frozen=True)
        version.is_frozen = True
    access_log_record(actor=scored_by, accesses=[_access(measurement, Action.CREATE)])
    if by_resident:
        _timeline(measurement, kind="outcomes.measured", actor=scored_by, is_shared=True)
    return measurement


def _score_rows(measurement: Measurement, items: list[Item], scores: Mapping[int, ScoreInput]) -> list[Score]:
    rows = []
    for item in items:
        score = scores.get(item.pk, ScoreInput(None))
        rows.append(
            Score(
                measurement=measurement,
                item=item,
                value=score.value,
                face_to_face_preferred=score.face_to_face_preferred,
                note=score.note.strip(),
            )
        )
    return rows


def _refuse_locked(measurement: Measurement, by: User, action: str) -> None:
    """Log the attempt on a locked measurement (in its own transaction, so
    the refusal stays) and raise."""
    with transaction.atomic():
        access_log_record(actor=by, accesses=[_access(measurement, action, Outcome.DENIED)])
    raise MeasurementLocked(
        _(
            "Deze meting is afgetekend en kan niet meer worden gewijzigd. "
            "Is er iets veranderd? Maak dan een nieuwe meting."
        )
    )


def _casework_check(measurement: Measurement, by: User) -> None:
    if by.role not in CASEWORK_ROLES or by.organisation_id != measurement.resident.organisation_id:
        raise OutcomeError(_("Alleen de medewerker van de inwoner kan deze meting wijzigen."))


def measurement_change(
    *,
    measurement: Measurement,
    changed_by: User,
    moment: str,
    measured_on: date,
    scores: Mapping[int, ScoreInput],
) -> Measurement:
    """Change a draft: its moment, day and scores (all items rewritten).
    A signed-off measurement is refused (``MeasurementLocked``), logged."""
    if measurement.is_locked:
        _refuse_locked(measurement, changed_by, Action.CHANGE)
    with transaction.atomic():
        locked = Measurement.objects.select_for_update().select_related("version__instrument").get(pk=measurement.pk)
        if not locked.is_locked:
            _casework_check(locked, changed_by)
            _moment_check(moment)
            _day_check(measured_on)
            items = _scores_check(locked.version, scores, by_resident=False)
            locked.moment = moment
            locked.measured_on = measured_on
            locked.save(update_fields=["moment", "measured_on", "updated_at"])
            Score.objects.filter(measurement=locked).delete()
            Score.objects.bulk_create(_score_rows(locked, items, scores))
            access_log_record(actor=changed_by, accesses=[_access(locked, Action.CHANGE)])
            return locked
    # Signed off by someone else in the meantime.
    _refuse_locked(measurement, changed_by, Action.CHANGE)
    raise AssertionError("unreachable")


def measurement_sign_off(*, measurement: Measurement, signed_off_by: User) -> Measurement:
    """Lock a draft. Every item must have a score. The resident's timeline
    gets an internal line (the resident sees the result once it is shared)."""
    if measurement.is_locked:
        _refuse_locked(measurement, signed_off_by, Action.CHANGE)
    with transaction.atomic():
        locked = Measurement.objects.select_for_update().select_related("version__instrument").get(pk=measurement.pk)
        if not locked.is_locked:
            _casework_check(locked, signed_off_by)
            if locked.scores.filter(value__isnull=True).exists():
                raise OutcomeError(_("Vul eerst bij elk domein een score in. Daarna kunt u de meting aftekenen."))
            locked.status = Measurement.Status.SIGNED_OFF
            locked.signed_off_at = timezone.now()
            locked.save(update_fields=["status", "signed_off_at", "updated_at"])
            access_log_record(actor=signed_off_by, accesses=[_access(locked, Action.CHANGE)])
            _timeline(locked, kind="outcomes.measured", actor=signed_off_by, is_shared=False)
            return locked
    _refuse_locked(measurement, signed_off_by, Action.CHANGE)
    raise AssertionError("unreachable")


@transaction.atomic
def measurement_share(*, measurement: Measurement, shared_by: User, is_shared: bool) -> Measurement:
    """Let the resident see a signed-off worker's measurement (or stop)."""
    locked = Measurement.objects.select_for_update().select_related("version__instrument").get(pk=measurement.pk)
    _casework_check(locked, shared_by)
    if not locked.is_locked:
        raise OutcomeError(_("Deel een meting pas als die is afgetekend."))
    if locked.version.instrument.filled_by == Instrument.FilledBy.RESIDENT:
        raise OutcomeError(_("De inwoner ziet wat hij of zij zelf invulde al."))
    if locked.is_shared == is_shared:
        return locked
    locked.is_shared = is_shared
    locked.save(update_fields=["is_shared", "updated_at"])
    access_log_record(actor=shared_by, accesses=[_access(locked, Action.CHANGE)])
    if is_shared:
        _timeline(locked, kind="outcomes.shared", actor=shared_by, is_shared=True)
    return locked


def _indicator_rows(content: str) -> list[list[str]]:
    first_line = content.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    rows = [row for row in csv.reader(io.StringIO(content), delimiter=delimiter) if any(cell.strip() for cell in row)]
    if not rows or [cell.strip().lower() for cell in rows[0][:3]] != ["domein", "score", "indicator"]:
        raise OutcomeError(_("De eerste regel moet de kolomnamen hebben: domein, score, indicator."))
    if len(rows) - 1 > INDICATOR_ROWS_MAX:
        raise OutcomeError(_("Het bestand heeft te veel regels (hoogstens %(max)s).") % {"max": INDICATOR_ROWS_MAX})
    return rows[1:]


@transaction.atomic
def indicator_texts_import(*, organisation_id: int, version: InstrumentVersion, content: str, imported_by: User) -> int:
    """Replace the organisation's indicator texts for a matrix version with
    those in ``content`` (CSV: domein, score, indicator; ``;`` or ``,``).
    Every line is checked first; one bad line refuses the whole file with
    its line number, and nothing changes. Returns the number of texts."""
    if imported_by.role != Role.ORGANISATION_ADMIN or imported_by.organisation_id != organisation_id:
        raise OutcomeError(_("Alleen de beheerder van de organisatie kan indicatoren inlezen."))
    if version.instrument.kind != Instrument.Kind.MATRIX:
        raise OutcomeError(_("Indicatoren horen alleen bij een matrix, zoals de ZRM."))
    items: dict[str, Item] = {}
    for each in version.items.all():
        items[each.domain.lower()] = each
        items[each.label.lower()] = each
    allowed = {point.value for point in version.scale_points.all()}
    texts: dict[tuple[int, int], IndicatorText] = {}
    for number, row in enumerate(_indicator_rows(content), start=2):
        cells = [cell.strip() for cell in row] + ["", "", ""]
        domain, score, text = cells[0], cells[1], cells[2]
        item = items.get(domain.lower())
        if item is None:
            raise OutcomeError(
                _("Regel %(line)s: het domein '%(domain)s' kennen we niet.") % {"line": number, "domain": domain[:60]}
            )
        if not score.isdigit() or int(score) not in allowed:
            raise OutcomeError(
                _("Regel %(line)s: de score moet een getal van %(low)s tot en met %(high)s zijn.")
                % {"line": number, "low": min(allowed), "high": max(allowed)}
            )
        if not text:
            raise OutcomeError(_("Regel %(line)s: de indicator is leeg.") % {"line": number})
        if len(text) > INDICATOR_MAX or has_hidden_characters(text) or "<" in text or ">" in text:
            raise OutcomeError(
                _("Regel %(line)s: de indicator is te lang of bevat tekens die niet mogen.") % {"line": number}
            )
        texts[(item.pk, int(score))] = IndicatorText(
            organisation_id=organisation_id, item=item, value=int(score), text=text
        )
    IndicatorText.objects.filter(organisation_id=organisation_id, item__version=version).delete()
    IndicatorText.objects.bulk_create(texts.values())
    access_log_record(
        actor=imported_by, accesses=[Access(None, "indicator_texts", str(version.public_id), Action.CHANGE)]
    )
    return len(texts)

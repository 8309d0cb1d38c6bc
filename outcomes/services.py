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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import CASEWORK_ROLES, Role, User
from audit.services import Access, access_log_record
from casefiles.selectors import case_current, goals_active
from casefiles.timeline import timeline_event_add
from outcomes.models import (
    TEXT_MAX,
    VALUE_MAX,
    IndicatorText,
    Instrument,
    InstrumentVersion,
    Item,
    ItemOption,
    Measurement,
    Moment,
    Score,
)
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
    text: str = ""


def _filler_check(version: InstrumentVersion, resident: User, by: User) -> None:
    instrument = version.instrument
    if instrument.organisation_id is not None and instrument.organisation_id != resident.organisation_id:
        raise OutcomeError(_("Deze vragenlijst hoort bij een andere organisatie."))
    if version.published_at is None:
        raise OutcomeError(_("Deze versie van de vragenlijst is nog niet gepubliceerd."))
    if resident.role != Role.RESIDENT:
        raise OutcomeError(_("Alleen een inwoner kan gemeten worden."))
    if instrument.filled_by == Instrument.FilledBy.BOTH and by.pk == resident.pk:
        return
    if instrument.filled_by == Instrument.FilledBy.RESIDENT:
        if by.pk != resident.pk:
            raise OutcomeError(_("Deze vragenlijst vult de inwoner zelf in."))
    elif by.role not in CASEWORK_ROLES or by.organisation_id != resident.organisation_id:
        raise OutcomeError(_("Deze meting vult de medewerker van de inwoner in."))


def _allowed_values(item: Item, version_points: set[int]) -> set[int]:
    own = {option.value for option in item.options.all()}
    return own or version_points


def _score_check(item: Item, score: ScoreInput, version_points: set[int]) -> None:
    if item.answer_type == Item.AnswerType.TEXT:
        limit = item.max_length or TEXT_MAX
        if score.value is not None:
            raise OutcomeError(_("Bij '%(item)s' hoort een antwoord in woorden.") % {"item": item.label})
        if len(score.text) > limit:
            raise OutcomeError(
                _("Uw antwoord bij '%(item)s' is te lang. Gebruik hoogstens %(max)s tekens.")
                % {"item": item.label, "max": limit}
            )
        if has_hidden_characters(score.text, multiline=True):
            raise OutcomeError(
                _("Uw antwoord bij '%(item)s' bevat onzichtbare of speciale tekens. Typ het opnieuw.")
                % {"item": item.label}
            )
        return
    allowed = _allowed_values(item, version_points)
    if score.text:
        raise OutcomeError(_("Bij '%(item)s' kiest u een antwoord uit de lijst.") % {"item": item.label})
    if score.value is None or (isinstance(score.value, int) and score.value in allowed):
        return
    if item.answer_type == Item.AnswerType.CHOICE:
        raise OutcomeError(_("Kies bij '%(item)s' een van de antwoorden die er staan.") % {"item": item.label})
    raise OutcomeError(
        _("Bij '%(item)s' past alleen een score van %(low)s tot en met %(high)s.")
        % {"item": item.label, "low": min(allowed), "high": max(allowed)}
    )


def _scores_check(version: InstrumentVersion, scores: Mapping[int, ScoreInput], *, by_resident: bool) -> list[Item]:
    """The version's items, after checking every given score against them:
    a scale value among the item's (or the version's) points, a choice
    among the item's options, an open answer within the item's length."""
    items = list(version.items.prefetch_related("options"))
    version_points = {point.value for point in version.scale_points.all()}
    known = {item.pk for item in items}
    if set(scores) - known:
        raise OutcomeError(_("Er is een antwoord op een vraag die niet in deze vragenlijst staat."))
    for item in items:
        score = scores.get(item.pk)
        if score is None:
            continue
        _score_check(item, score, version_points)
        if len(score.note) > NOTE_MAX:
            raise OutcomeError(
                _("De toelichting bij '%(item)s' mag hoogstens %(max)s tekens lang zijn.")
                % {"item": item.label, "max": NOTE_MAX}
            )
        if score.face_to_face_preferred and not by_resident:
            raise OutcomeError(_("Alleen de inwoner kiest 'liever in een gesprek'."))
    if not any(score.value is not None or score.text.strip() for score in scores.values()):
        raise OutcomeError(_("Kies bij minstens één onderwerp een antwoord."))
    return items


def _goals_check(case: Any, goal_ids: Sequence[str]) -> list[Any]:
    """The goals of the resident's current case named by ``goal_ids``
    (public ids); a goal of another case or resident is refused."""
    if not goal_ids:
        return []
    goals = {str(goal.public_id): goal for goal in goals_active(case=case)}
    if any(str(goal_id) not in goals for goal_id in goal_ids):
        raise OutcomeError(_("Kies alleen doelen uit het dossier van de inwoner waar u nu aan werkt."))
    return [goals[str(goal_id)] for goal_id in dict.fromkeys(goal_ids)]


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
    goal_ids: Sequence[str] = (),
) -> Measurement:
    """A new measurement of ``resident`` on ``version``, with its scores
    and the goals of the current case it is about (the worker's choice).

    A worker's measurement starts as a draft (sign it off with
    ``measurement_sign_off``); what the resident fills in themself is sent
    in, so it is signed off at once and on their timeline. The version is
    frozen. Logged as a create."""
    _filler_check(version, resident, scored_by)
    _moment_check(moment)
    _day_check(measured_on)
    by_resident = scored_by.pk == resident.pk
    items = _scores_check(version, scores, by_resident=by_resident)
    case = case_current(resident=resident)
    goals = _goals_check(case, goal_ids)
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
    if goals:
        measurement.goals.set(goals)
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
                text=score.text.strip(),
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
    goal_ids: Sequence[str] | None = None,
) -> Measurement:
    """Change a draft: its moment, day, scores (all items rewritten) and,
    when given, its goals.
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
            goals = None if goal_ids is None else _goals_check(case_current(resident=locked.resident), goal_ids)
            locked.moment = moment
            locked.measured_on = measured_on
            locked.save(update_fields=["moment", "measured_on", "updated_at"])
            Score.objects.filter(measurement=locked).delete()
            Score.objects.bulk_create(_score_rows(locked, items, scores))
            if goals is not None:
                locked.goals.set(goals)
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
            # An open question may stay empty; every scale and choice needs an answer.
            if locked.scores.filter(value__isnull=True).exclude(item__answer_type=Item.AnswerType.TEXT).exists():
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
    if locked.scored_by_id == locked.resident_id:
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


# --- The questionnaire builder (the organisation admin) ------------------------------

NAME_MAX = 120
LABEL_MAX = 200
WORDING_MAX = 300
OPTION_MAX = 120
OPTIONS_MAX = VALUE_MAX
VALIDITY_MAX = 3650


@dataclass(frozen=True)
class ItemInput:
    label: str
    answer_type: str
    resident_wording: str = ""
    options: tuple[str, ...] = ()
    max_length: int | None = None


def _admin_check(organisation_id: int | None, by: User) -> None:
    if by.role != Role.ORGANISATION_ADMIN or organisation_id is None or by.organisation_id != organisation_id:
        raise OutcomeError(_("Alleen de beheerder van de organisatie kan haar vragenlijsten maken en wijzigen."))


def _text_check(value: str, *, label: str, limit: int, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise OutcomeError(_("Vul %(field)s in.") % {"field": label})
    if len(value) > limit:
        raise OutcomeError(_("%(field)s mag hoogstens %(max)s tekens lang zijn.") % {"field": label, "max": limit})
    if has_hidden_characters(value) or "<" in value or ">" in value:
        raise OutcomeError(_("%(field)s bevat tekens die niet mogen, zoals < of >.") % {"field": label})
    return value


def _instrument_access(instrument: Instrument) -> Access:
    return Access(None, "instrument", str(instrument.public_id), Action.CHANGE)


@transaction.atomic
def questionnaire_create(
    *, organisation_id: int, name: str, filled_by: str, validity_days: int | None, description: str, created_by: User
) -> Instrument:
    """A new questionnaire of the organisation, with an empty draft version 1."""
    _admin_check(organisation_id, created_by)
    name = _text_check(name, label=_("de naam"), limit=NAME_MAX)
    description = _text_check(description, label=_("de uitleg"), limit=2000, required=False)
    if filled_by not in Instrument.FilledBy.values:
        raise OutcomeError(_("Kies wie de vragenlijst invult: de inwoner, de medewerker of allebei."))
    if validity_days is not None and not 1 <= validity_days <= VALIDITY_MAX:
        raise OutcomeError(_("Een meting blijft 1 tot %(max)s dagen geldig.") % {"max": VALIDITY_MAX})
    base = slugify(name)[:30] or "vragenlijst"
    taken = set(Instrument.objects.filter(organisation_id=organisation_id).values_list("code", flat=True))
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    instrument = Instrument.objects.create(
        organisation_id=organisation_id,
        code=code,
        name=name,
        kind=Instrument.Kind.QUESTIONNAIRE,
        filled_by=filled_by,
        validity_days=validity_days,
        description=description,
    )
    InstrumentVersion.objects.create(instrument=instrument, number=1)
    access_log_record(actor=created_by, accesses=[_instrument_access(instrument)])
    return instrument


def _editable(version: InstrumentVersion, by: User) -> InstrumentVersion:
    """The version, locked for the change, after checking it may change:
    the organisation's own and not yet used."""
    _admin_check(version.instrument.organisation_id, by)
    locked = InstrumentVersion.objects.select_for_update().select_related("instrument").get(pk=version.pk)
    if locked.is_frozen:
        raise OutcomeError(
            _("Deze versie is al gebruikt voor een meting en ligt vast. Maak een nieuwe versie om iets te veranderen.")
        )
    return locked


def _item_check(data: ItemInput) -> tuple[str, str, list[str], int | None]:
    label = _text_check(data.label, label=_("de vraag"), limit=LABEL_MAX)
    wording = _text_check(data.resident_wording, label=_("de vraag voor de inwoner"), limit=WORDING_MAX, required=False)
    if data.answer_type not in Item.AnswerType.values:
        raise OutcomeError(_("Kies het soort antwoord: een schaal, een keuze of een open antwoord."))
    options = [option.strip() for option in data.options if option.strip()]
    if data.answer_type == Item.AnswerType.TEXT:
        if data.max_length is None or not 1 <= data.max_length <= TEXT_MAX:
            raise OutcomeError(_("Kies hoe lang een open antwoord mag zijn: 1 tot %(max)s tekens.") % {"max": TEXT_MAX})
        return label, wording, [], data.max_length
    if not 2 <= len(options) <= OPTIONS_MAX:
        raise OutcomeError(_("Geef 2 tot %(max)s antwoorden, elk op een eigen regel.") % {"max": OPTIONS_MAX})
    if len({option.lower() for option in options}) != len(options):
        raise OutcomeError(_("Elk antwoord mag maar één keer voorkomen."))
    for option in options:
        _text_check(option, label=_("een antwoord"), limit=OPTION_MAX)
    return label, wording, options, None


def _options_write(item: Item, options: list[str]) -> None:
    ItemOption.objects.filter(item=item).delete()
    ItemOption.objects.bulk_create(
        ItemOption(item=item, value=value, label=label) for value, label in enumerate(options, start=1)
    )


@transaction.atomic
def questionnaire_item_save(
    *, version: InstrumentVersion, data: ItemInput, saved_by: User, order: int | None = None
) -> Item:
    """Add a question at the end (``order`` None) or change the question at
    ``order``. A scale's points and a choice's options are numbered from 1
    in the order given."""
    locked = _editable(version, saved_by)
    label, wording, options, max_length = _item_check(data)
    if order is None:
        last = locked.items.order_by("-order").values_list("order", flat=True).first() or 0
        item = Item.objects.create(
            version=locked,
            order=last + 1,
            domain=f"vraag-{_domain_number(locked)}",
            label=label,
            resident_wording=wording,
            answer_type=data.answer_type,
            max_length=max_length,
        )
    else:
        item = locked.items.filter(order=order).first()  # type: ignore[assignment]
        if item is None:
            raise OutcomeError(_("Deze vraag bestaat niet (meer)."))
        item.label, item.resident_wording = label, wording
        item.answer_type, item.max_length = data.answer_type, max_length
        item.save(update_fields=["label", "resident_wording", "answer_type", "max_length"])
    _options_write(item, options)
    access_log_record(actor=saved_by, accesses=[_instrument_access(locked.instrument)])
    return item


def _domain_number(version: InstrumentVersion) -> str:
    """A domain code for a new question, unique within the version."""
    taken = set(version.items.values_list("domain", flat=True))
    number = len(taken) + 1
    while f"vraag-{number}" in taken:
        number += 1
    return str(number)


@transaction.atomic
def questionnaire_item_delete(*, version: InstrumentVersion, order: int, deleted_by: User) -> None:
    """Remove a question; the ones after it move up."""
    locked = _editable(version, deleted_by)
    deleted, _rows = Item.objects.filter(version=locked, order=order).delete()
    if not deleted:
        raise OutcomeError(_("Deze vraag bestaat niet (meer)."))
    for item in locked.items.filter(order__gt=order).order_by("order"):
        Item.objects.filter(pk=item.pk).update(order=item.order - 1)
    access_log_record(actor=deleted_by, accesses=[_instrument_access(locked.instrument)])


@transaction.atomic
def questionnaire_item_move(*, version: InstrumentVersion, order: int, up: bool, moved_by: User) -> None:
    """Swap a question with the one above (``up``) or below it."""
    locked = _editable(version, moved_by)
    other_order = order - 1 if up else order + 1
    item = locked.items.filter(order=order).first()
    other = locked.items.filter(order=other_order).first()
    if item is None or other is None:
        raise OutcomeError(_("Deze vraag kan niet verder omhoog of omlaag."))
    # Through a free number: the order is unique within the version.
    Item.objects.filter(pk=item.pk).update(order=0)
    Item.objects.filter(pk=other.pk).update(order=order)
    Item.objects.filter(pk=item.pk).update(order=other_order)
    access_log_record(actor=moved_by, accesses=[_instrument_access(locked.instrument)])


@transaction.atomic
def questionnaire_version_publish(*, version: InstrumentVersion, published_by: User) -> InstrumentVersion:
    """Make a draft the version residents and workers fill in. It needs at
    least one question; a scale or choice needs two answers (kept by the
    item check). Once a measurement uses it, it is frozen."""
    locked = _editable(version, published_by)
    if locked.published_at is not None:
        raise OutcomeError(_("Deze versie is al gepubliceerd."))
    if not locked.items.exists():
        raise OutcomeError(_("Voeg eerst minstens één vraag toe. Daarna kunt u publiceren."))
    locked.published_at = timezone.now()
    locked.save(update_fields=["published_at"])
    access_log_record(actor=published_by, accesses=[_instrument_access(locked.instrument)])
    return locked


@transaction.atomic
def questionnaire_version_new(*, instrument: Instrument, created_by: User) -> InstrumentVersion:
    """A new draft version copying the newest one (its questions and
    answers), to change what a used version asks. An open draft is
    returned as it is."""
    _admin_check(instrument.organisation_id, created_by)
    Instrument.objects.select_for_update().filter(pk=instrument.pk).first()
    newest = InstrumentVersion.objects.filter(instrument=instrument).order_by("-number").first()
    if newest is not None and newest.published_at is None:
        return newest
    version = InstrumentVersion.objects.create(instrument=instrument, number=(newest.number if newest else 0) + 1)
    if newest is not None:
        for item in newest.items.prefetch_related("options"):
            copy = Item.objects.create(
                version=version,
                order=item.order,
                domain=item.domain,
                label=item.label,
                resident_wording=item.resident_wording,
                answer_type=item.answer_type,
                max_length=item.max_length,
            )
            ItemOption.objects.bulk_create(
                ItemOption(item=copy, value=option.value, label=option.label) for option in item.options.all()
            )
    access_log_record(actor=created_by, accesses=[_instrument_access(instrument)])
    return version

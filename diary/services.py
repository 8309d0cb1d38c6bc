"""Writes for the activity diary. Each service checks its rules (plain Dutch
messages, nothing stored when one is broken) and writes the access-log
entry, and where someone else should hear of it the timeline event, in the
same transaction.

Rules kept here:
- only the resident writes, changes and deletes their own entries;
- scores are 1 to 5, an activity lasts 1 minute to 24 hours, and its day
  lies at most one day ahead (a late evening across midnight) and within
  the platform's workable years;
- a resend of the same form (same ``client_key``) stores nothing new;
- a coach comments only on a diary the resident shares with them (the
  caller reached the resident through ``diary.access``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import CASEWORK_ROLES, Role, User
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from casefiles.timeline import timeline_event_add
from diary.access import diary_is_shared
from diary.models import MINUTES_MAX, SCORE_MAX, SCORE_MIN, DiaryEntry, DiaryReminder, DiaryRule, DiaryWeekComment
from organisations.models import Organisation
from samenspraak.dates import is_workable_day

Action = AccessLogEntry.Action

WHAT_MAX = 120
NOTE_MAX = 500
COMMENT_MAX = 500
# The organisation's signal rule, in points of a week (effort minus relaxation).
RULE_MARGIN_MIN = 1
RULE_MARGIN_MAX = 100
# A day ahead is allowed: someone fills in the evening before midnight
# what they will do first thing, or their phone's clock runs ahead.
DAYS_AHEAD_MAX = 1


class DiaryError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


@dataclass(frozen=True)
class EntryData:
    what: str
    day: date
    start_time: time | None
    minutes: int
    effort: int
    relaxation: int
    mood: int | None = None
    note: str = ""
    is_private: bool = False


def diary_entry_check(data: EntryData) -> None:
    """Raise ``DiaryError`` with the first broken rule (the form runs the
    same checks per field, so a person sees them next to the field)."""
    if not data.what.strip():
        raise DiaryError(_("Schrijf op wat u hebt gedaan."))
    if len(data.what) > WHAT_MAX:
        raise DiaryError(_("Schrijf wat u deed in hoogstens %(max)s tekens.") % {"max": WHAT_MAX})
    if len(data.note) > NOTE_MAX:
        raise DiaryError(_("De notitie mag hoogstens %(max)s tekens lang zijn.") % {"max": NOTE_MAX})
    for score, message in (
        (data.effort, gettext_lazy("Kies bij inspanning een van de vijf keuzes.")),
        (data.relaxation, gettext_lazy("Kies bij ontspanning een van de vijf keuzes.")),
    ):
        if not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX:
            raise DiaryError(str(message))
    if data.mood is not None and not SCORE_MIN <= data.mood <= SCORE_MAX:
        raise DiaryError(_("Kies bij stemming een van de vijf keuzes, of niets."))
    minutes_check(data.minutes)
    day_check(data.day)


def minutes_check(minutes: int) -> None:
    if minutes < 1:
        raise DiaryError(_("Vul in hoe lang het duurde: minstens 1 minuut."))
    if minutes > MINUTES_MAX:
        raise DiaryError(_("Een activiteit duurt hoogstens 24 uur (1440 minuten)."))


def day_check(day: date) -> None:
    if not is_workable_day(day):
        raise DiaryError(_("Kies een dag tussen 1900 en 2100."))
    if day > timezone.localdate() + timedelta(days=DAYS_AHEAD_MAX):
        raise DiaryError(_("Deze dag ligt te ver in de toekomst. Vul in wat u al gedaan hebt, of morgen doet."))


def _resident_check(resident: User, by: User) -> None:
    if resident.role != Role.RESIDENT or by.pk != resident.pk:
        raise DiaryError(_("Alleen de inwoner zelf schrijft in het dagboek."))


@transaction.atomic
def diary_entry_add(*, resident: User, added_by: User, data: EntryData, client_key: str = "") -> DiaryEntry:
    """Store one activity. With a ``client_key`` the page sent before, the
    stored entry is returned and nothing is added (a resend after a lost
    connection). Logged as a create by the resident."""
    _resident_check(resident, added_by)
    diary_entry_check(data)
    client_key = client_key[:64]
    if client_key:
        existing = DiaryEntry.objects.filter(resident=resident, client_key=client_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            entry = DiaryEntry.objects.create(resident=resident, client_key=client_key, **data.__dict__)
    except IntegrityError:
        # The same resend arrived twice at once: the other one stored it.
        return DiaryEntry.objects.get(resident=resident, client_key=client_key)
    access_log_record(actor=added_by, accesses=[Access(resident, "diary_entry", str(entry.public_id), Action.CREATE)])
    return entry


@transaction.atomic
def diary_entry_change(*, entry: DiaryEntry, changed_by: User, data: EntryData) -> DiaryEntry:
    _resident_check(entry.resident, changed_by)
    diary_entry_check(data)
    locked = DiaryEntry.objects.select_for_update().get(pk=entry.pk)
    for name, value in data.__dict__.items():
        setattr(locked, name, value)
    locked.save()
    access_log_record(
        actor=changed_by, accesses=[Access(entry.resident, "diary_entry", str(entry.public_id), Action.CHANGE)]
    )
    return locked


@transaction.atomic
def diary_entry_delete(*, entry: DiaryEntry, deleted_by: User) -> None:
    _resident_check(entry.resident, deleted_by)
    DiaryEntry.objects.filter(pk=entry.pk).delete()
    access_log_record(
        actor=deleted_by, accesses=[Access(entry.resident, "diary_entry", str(entry.public_id), Action.DELETE)]
    )


@transaction.atomic
def diary_comment_add(*, resident: User, week_start: date, author: User, text: str) -> DiaryWeekComment:
    """A coach's short word about one week. The diary must be shared now
    (checked again here, inside the transaction)."""
    text = text.strip()
    if author.role not in CASEWORK_ROLES or author.organisation_id != resident.organisation_id:
        raise DiaryError(_("Alleen de coach van de inwoner kan een opmerking geven."))
    if not diary_is_shared(resident=resident):
        raise DiaryError(_("De inwoner deelt het dagboek niet (meer). Uw opmerking is niet opgeslagen."))
    if not text:
        raise DiaryError(_("Schrijf eerst uw opmerking."))
    if len(text) > COMMENT_MAX:
        raise DiaryError(_("Een opmerking is hoogstens %(max)s tekens lang.") % {"max": COMMENT_MAX})
    if week_start.weekday() != 0 or not is_workable_day(week_start):
        raise DiaryError(_("Deze week bestaat niet."))
    comment = DiaryWeekComment.objects.create(resident=resident, week_start=week_start, author=author, text=text)
    access_log_record(actor=author, accesses=[Access(resident, "diary_comment", str(comment.public_id), Action.CREATE)])
    timeline_event_add(
        resident=resident,
        kind="diary.comment_added",
        summary=_("Opmerking bij het dagboek"),
        params={"week_start": week_start.isoformat()},
        actor=author,
        is_shared=True,
        object_type="diary_comment",
        object_public_id=comment.public_id,
    )
    return comment


@transaction.atomic
def diary_reminder_set(*, resident: User, set_by: User, is_on: bool, at: time | None) -> DiaryReminder:
    """Switch the daily reminder on (at ``at``) or off."""
    _resident_check(resident, set_by)
    if is_on and at is None:
        raise DiaryError(_("Kies hoe laat u de herinnering wilt krijgen."))
    reminder, _created = DiaryReminder.objects.select_for_update().get_or_create(
        resident=resident, defaults={"at": at or time(20, 0)}
    )
    reminder.is_on = is_on
    if at is not None:
        reminder.at = at
    reminder.save()
    access_log_record(actor=set_by, accesses=[Access(resident, "diary_reminder", "", Action.CHANGE)])
    return reminder


@transaction.atomic
def diary_rule_set(*, organisation: Organisation, balance_margin: int, set_by: User) -> DiaryRule:
    """The organisation admin tunes when the coach's signal shows."""
    if set_by.role != Role.ORGANISATION_ADMIN or set_by.organisation_id != organisation.pk:
        raise DiaryError(_("Alleen de beheerder van de organisatie kan deze regel instellen."))
    if not RULE_MARGIN_MIN <= balance_margin <= RULE_MARGIN_MAX:
        raise DiaryError(
            _("Kies een aantal punten van %(min)s tot en met %(max)s.")
            % {"min": RULE_MARGIN_MIN, "max": RULE_MARGIN_MAX}
        )
    rule, _created = DiaryRule.objects.update_or_create(
        organisation=organisation, defaults={"balance_margin": balance_margin, "updated_by": set_by}
    )
    return rule

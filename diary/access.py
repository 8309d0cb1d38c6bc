"""Who may reach a diary: the diary's getters, built on the policy core.

The resident reaches their own entries. A coach (a worker who has the
resident on their caseload, or their team lead) reaches the weekly view
only while the resident's latest word on the blend plan's channel
"dagboek" is yes; withdrawing it ends access on the next request. Every
read by a coach is logged; a refusal of an existing resident is logged as
denied. Missing and forbidden both answer ``Http404``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from accounts.models import CASEWORK_ROLES, Role, User
from audit.services import Access, access_log_record
from blend.selectors import resident_consents_to
from diary.models import DiaryEntry
from samenspraak.policy import READ_ACTIONS, Action, Outcome, parse_public_id, residents_for_casework

# The blend plan's online channel (``blend.models.Channel.DIARY``).
DIARY_CHANNEL = "diary"


def diary_is_shared(*, resident: User) -> bool:
    return resident_consents_to(resident=resident, channel=DIARY_CHANNEL)


def diary_entry_get_for_user(*, user: User, public_id: Any, action: str = Action.VIEW) -> DiaryEntry:
    """One of the resident's own entries. Nobody else reaches an entry (a
    coach sees the weekly view, never an entry's own page); an attempt on
    someone else's entry is logged as denied."""
    entry = DiaryEntry.objects.select_related("resident").filter(public_id=parse_public_id(public_id)).first()
    if entry is None:
        raise Http404
    if entry.resident_id != user.pk:
        access_log_record(
            actor=user,
            accesses=[Access(entry.resident, "diary_entry", str(entry.public_id), action, Outcome.DENIED)],
        )
        raise Http404
    if action in READ_ACTIONS:
        access_log_record(actor=user, accesses=[Access(entry.resident, "diary_entry", str(entry.public_id), action)])
    return entry


def diary_resident_get_for_coach(*, user: User, public_id: Any, action: str = Action.VIEW) -> User:
    """The resident ``public_id`` whose diary ``user`` may see now: on their
    caseload (``residents_for_casework``) and shared by the resident. A read
    is logged; a refusal of an existing resident is logged as denied (also
    when the only reason is that the resident does not share the diary)."""
    resident_id = parse_public_id(public_id)
    resident = None
    if user.role in CASEWORK_ROLES:
        resident = residents_for_casework(user).filter(public_id=resident_id).first()
    if resident is not None and not diary_is_shared(resident=resident):
        resident = None
    if resident is None:
        existing = User.objects.filter(public_id=resident_id, role=Role.RESIDENT).first()
        if existing is not None:
            access_log_record(
                actor=user, accesses=[Access(existing, "diary", str(resident_id), action, Outcome.DENIED)]
            )
        raise Http404
    if action in READ_ACTIONS:
        access_log_record(actor=user, accesses=[Access(resident, "diary", str(resident.public_id), action)])
    return resident

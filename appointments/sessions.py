"""Writes for group sessions: a worker plans, changes and cancels a meeting
for a group (a training, at a location or online); residents of the same
organisation sign up and off; the host records who came.

Places are counted under a row lock on the session (``select_for_update``),
so two residents who take the last place at the same moment run one after
the other and the second hears that the session is full. On SQLite every
write transaction starts IMMEDIATE, which serialises them the same way.

Every change to a resident's sign-up is written to the access log (object
type ``group_session_signup``) and to the resident's timeline in the same
transaction. Residents are told about a change or a cancellation after the
commit, and the notification never says what the session is about.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Collection
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import CASEWORK_ROLES, Role, User
from appointments.booking import MAX_PROPOSAL_DAYS, spoken_moment
from appointments.models import GroupSession, GroupSessionSignup
from appointments.timeline_kinds import session_params
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from casefiles.timeline import timeline_event_add
from organisations.models import Location, Organisation
from samenspraak.notify import notify
from samenspraak.sockets import group_sockets_recheck

Action = AccessLogEntry.Action
Kind = GroupSession.Kind

SIGNUP_OBJECT_TYPE = "group_session_signup"
MIN_MINUTES, MAX_MINUTES = 15, 480
MIN_CAPACITY, MAX_CAPACITY = 1, 100
# The video room opens this long before the start.
ROOM_OPENS_BEFORE = timedelta(minutes=15)
# Online sessions with at most this many places meet in the built-in video
# room (``appointments.group_calls``); larger ones need the organisation's
# Jitsi server.
BUILT_IN_VIDEO_PLACES = 6


class GroupSessionError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


# --- Rules ------------------------------------------------------------------------


def may_manage(user: User, session: GroupSession) -> bool:
    """The host, or the team lead of the host's team, may change, cancel and
    see the sign-ups of a session. ``session.host`` should be loaded."""
    if user.organisation_id != session.organisation_id:
        return False
    if user.pk == session.host_id:
        return True
    if user.role != Role.TEAM_LEAD or user.team_id is None:
        return False
    return user.team_id == session.host.team_id


def room_is_open(session: GroupSession, now: datetime | None = None) -> bool:
    """The video link is shown from 15 minutes before the start to the end."""
    now = now or timezone.now()
    if session.kind != Kind.ONLINE or session.cancelled_at is not None:
        return False
    return session.starts_at - ROOM_OPENS_BEFORE <= now < session.ends_at


def room_url(session: GroupSession, organisation: Organisation) -> str:
    """The Jitsi address of the session, or "" when the organisation has no
    video server (any more)."""
    if not organisation.jitsi_base_url or not session.video_room:
        return ""
    return f"{organisation.jitsi_base_url.rstrip('/')}/{session.video_room}"


def group_call_group(session: GroupSession) -> str:
    """The channel-layer group of every open socket of the session's
    built-in video room (``appointments.group_calls``)."""
    return f"groupcall.{session.public_id.hex}"


def group_call_sockets_recheck(session: GroupSession) -> None:
    """The session or a sign-up changed: after commit the open sockets of its
    video room check again and close when the room is no longer theirs or
    no longer open."""
    group_sockets_recheck(group_call_group(session))


def _organisation_of_host(user: User) -> Organisation:
    organisation = user.organisation
    if user.role not in CASEWORK_ROLES or organisation is None or not user.is_active:
        raise GroupSessionError(_("Alleen sociaal werkers en teamleiders plannen groepsbijeenkomsten."))
    return organisation


def _require_manager(user: User, session: GroupSession) -> None:
    if not may_manage(user, session):
        raise GroupSessionError(
            _("Alleen wie de groepsbijeenkomst leidt, of diens teamleider, kan deze groepsbijeenkomst wijzigen.")
        )


def _require_time(starts_at: datetime, minutes: int) -> datetime:
    """The end of a session that starts at ``starts_at`` and lasts ``minutes``."""
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise GroupSessionError(
            _("Kies een duur van %(min)s tot %(max)s minuten.") % {"min": MIN_MINUTES, "max": MAX_MINUTES}
        )
    if starts_at <= timezone.now():
        raise GroupSessionError(_("Deze tijd is al voorbij. Kies een tijd in de toekomst."))
    if starts_at > timezone.now() + timedelta(days=MAX_PROPOSAL_DAYS):
        raise GroupSessionError(_("Deze datum ligt te ver vooruit. Kies een datum binnen een jaar."))
    return starts_at + timedelta(minutes=minutes)


def _require_capacity(capacity: int) -> None:
    if not MIN_CAPACITY <= capacity <= MAX_CAPACITY:
        raise GroupSessionError(_("Kies %(min)s tot %(max)s plaatsen.") % {"min": MIN_CAPACITY, "max": MAX_CAPACITY})


def _place_for(*, organisation: Organisation, kind: str, location: Location | None, capacity: int) -> Location | None:
    """The location of a face-to-face session; online sessions with more
    places than the built-in video room holds need the organisation's own
    video server."""
    if kind == Kind.FACE_TO_FACE:
        if location is None:
            raise GroupSessionError(_("Kies een locatie voor een bijeenkomst op een locatie."))
        if location.organisation_id != organisation.pk or not location.is_active:
            raise GroupSessionError(_("Kies een locatie van uw eigen organisatie."))
        return location
    if kind == Kind.ONLINE:
        if not organisation.jitsi_base_url and capacity > BUILT_IN_VIDEO_PLACES:
            raise GroupSessionError(
                _(
                    "Online groepsbijeenkomsten met meer dan %(count)s plaatsen kunnen alleen als uw organisatie "
                    "een eigen videoserver heeft. Die is nog niet ingesteld. Kies hoogstens %(count)s plaatsen, "
                    "kies een locatie, of vraag de beheerder om de videoserver in te stellen."
                )
                % {"count": BUILT_IN_VIDEO_PLACES}
            )
        return None
    raise GroupSessionError(_("Kies of de bijeenkomst op een locatie is of online."))


def _locked(session: GroupSession) -> GroupSession:
    """The session again, its row locked until the transaction ends (only
    the session's row: never the host's or the location's)."""
    return (
        GroupSession.objects.select_for_update(of=("self",))
        .select_related("host", "organisation", "location")
        .get(pk=session.pk)
    )


def _active_signups(session: GroupSession) -> list[GroupSessionSignup]:
    return list(
        GroupSessionSignup.objects.filter(session=session, cancelled_at__isnull=True).select_related("resident")
    )


def _describe(session: GroupSession) -> str:
    return _("%(title)s op %(moment)s") % {"title": session.title, "moment": spoken_moment(session.starts_at)}


def _log(actor: User, signups: Collection[GroupSessionSignup], action: str) -> None:
    access_log_record(
        actor=actor,
        accesses=[Access(s.resident, SIGNUP_OBJECT_TYPE, str(s.public_id), action) for s in signups],
    )


def _timeline(
    signup: GroupSessionSignup,
    session: GroupSession,
    *,
    kind: str,
    summary: str,
    actor: User,
    is_shared: bool = True,
    params: dict[str, Any] | None = None,
) -> None:
    timeline_event_add(
        resident=signup.resident,
        kind=f"appointments.{kind}",
        summary=summary,
        params={**session_params(session), **(params or {})},
        actor=actor,
        is_shared=is_shared,
        object_type="group_session",
        object_public_id=session.public_id,
    )


def _tell_later(signups: Collection[GroupSessionSignup]) -> None:
    """After the commit, one notification task per resident."""
    for resident_id in sorted({s.resident_id for s in signups}):
        transaction.on_commit(partial(group_session_change_notify.enqueue, resident_id=resident_id))


# --- Staff: plan, change, cancel ------------------------------------------------------


@transaction.atomic
def group_session_plan(
    *,
    host: User,
    title: str,
    description: str,
    kind: str,
    location: Location | None,
    starts_at: datetime,
    minutes: int,
    capacity: int,
) -> GroupSession:
    """Plan a session in the future, hosted by ``host`` for the residents of
    their organisation. Face-to-face needs an active location of the own
    organisation; online needs the organisation's Jitsi server."""
    organisation = _organisation_of_host(host)
    title = title.strip()
    if not title:
        raise GroupSessionError(_("Geef de groepsbijeenkomst een titel."))
    if len(title) > 120 or len(description) > 2000:
        raise GroupSessionError(_("De titel of de beschrijving is te lang."))
    location = _place_for(organisation=organisation, kind=kind, location=location, capacity=capacity)
    ends_at = _require_time(starts_at, minutes)
    _require_capacity(capacity)
    return GroupSession.objects.create(
        organisation=organisation,
        host=host,
        title=title,
        description=description.strip(),
        kind=kind,
        location=location,
        starts_at=starts_at,
        ends_at=ends_at,
        capacity=capacity,
        video_room=secrets.token_urlsafe(24) if kind == Kind.ONLINE else "",
    )


@transaction.atomic
def group_session_change(
    *,
    session: GroupSession,
    by: User,
    starts_at: datetime,
    minutes: int,
    location: Location | None,
    capacity: int,
) -> GroupSession:
    """A new time, place or number of places, before the start. Never fewer
    places than residents signed up (counted under the session's lock).
    Signed-up residents are told when the time or place changes."""
    session = _locked(session)
    _require_manager(by, session)
    if session.cancelled_at is not None:
        raise GroupSessionError(_("Deze groepsbijeenkomst is afgezegd."))
    if session.starts_at <= timezone.now():
        raise GroupSessionError(_("Deze groepsbijeenkomst is al begonnen en kan niet meer worden gewijzigd."))
    location = _place_for(organisation=session.organisation, kind=session.kind, location=location, capacity=capacity)
    ends_at = _require_time(starts_at, minutes)
    _require_capacity(capacity)
    signups = _active_signups(session)
    if capacity < len(signups):
        raise GroupSessionError(
            _("Er zijn al %(count)s inwoners aangemeld. Kies minstens %(count)s plaatsen.") % {"count": len(signups)}
        )
    moved = (starts_at, ends_at, location) != (session.starts_at, session.ends_at, session.location)
    session.starts_at, session.ends_at, session.location = starts_at, ends_at, location
    session.capacity = capacity
    session.sequence += 1
    session.save(update_fields=["starts_at", "ends_at", "location", "capacity", "sequence"])
    if moved:
        group_call_sockets_recheck(session)
    if moved and signups:
        _log(by, signups, Action.CHANGE)
        for signup in signups:
            _timeline(
                signup,
                session,
                kind="session_changed",
                summary=_("Groepsbijeenkomst gewijzigd: %s") % _describe(session),
                actor=by,
            )
        _tell_later(signups)
    return session


@transaction.atomic
def group_session_cancel(*, session: GroupSession, by: User, reason: str) -> GroupSession:
    """The host or their team lead cancels; every signed-up resident is told
    (without the title or the reason) and their timeline says so."""
    session = _locked(session)
    _require_manager(by, session)
    reason = reason.strip()
    if not reason:
        raise GroupSessionError(_("Schrijf kort waarom de groepsbijeenkomst niet doorgaat."))
    if session.cancelled_at is not None:
        raise GroupSessionError(_("Deze groepsbijeenkomst is al afgezegd."))
    if session.ends_at <= timezone.now():
        raise GroupSessionError(_("Deze groepsbijeenkomst is al voorbij."))
    session.cancelled_at = timezone.now()
    session.cancel_reason = reason[:300]
    session.sequence += 1
    session.save(update_fields=["cancelled_at", "cancel_reason", "sequence"])
    group_call_sockets_recheck(session)
    signups = _active_signups(session)
    if signups:
        _log(by, signups, Action.CHANGE)
        for signup in signups:
            _timeline(
                signup,
                session,
                kind="session_cancelled",
                summary=_("Groepsbijeenkomst afgezegd door de organisatie: %s") % _describe(session),
                actor=by,
            )
        _tell_later(signups)
    return session


# --- Residents: sign up and off --------------------------------------------------------


@transaction.atomic
def session_sign_up(*, session: GroupSession, resident: User) -> GroupSessionSignup:
    """Take a place. The session's row is locked before the places are
    counted, so the last place goes to exactly one resident."""
    if resident.role != Role.RESIDENT or not resident.is_active:
        raise GroupSessionError(_("Alleen inwoners melden zich aan voor een groepsbijeenkomst."))
    if resident.organisation_id != session.organisation_id:
        raise GroupSessionError(_("Deze groepsbijeenkomst is niet van uw organisatie."))
    session = _locked(session)
    if session.cancelled_at is not None:
        raise GroupSessionError(_("Deze groepsbijeenkomst gaat niet door."))
    if session.starts_at <= timezone.now():
        raise GroupSessionError(_("Deze groepsbijeenkomst is al begonnen. Aanmelden kan niet meer."))
    active = GroupSessionSignup.objects.filter(session=session, cancelled_at__isnull=True)
    if active.filter(resident=resident).exists():
        raise GroupSessionError(_("U bent al aangemeld voor deze groepsbijeenkomst."))
    if active.count() >= session.capacity:
        raise GroupSessionError(_("Deze groepsbijeenkomst is vol. Er zijn geen plaatsen meer."))
    try:
        with transaction.atomic():
            signup = GroupSessionSignup.objects.create(session=session, resident=resident)
    except IntegrityError:
        # The unique constraint backs up the check above.
        raise GroupSessionError(_("U bent al aangemeld voor deze groepsbijeenkomst.")) from None
    _log(resident, [signup], Action.CREATE)
    _timeline(
        signup,
        session,
        kind="session_signed_up",
        summary=_("Aangemeld voor groepsbijeenkomst: %s") % _describe(session),
        actor=resident,
    )
    return signup


@transaction.atomic
def session_sign_off(*, signup: GroupSessionSignup, by: User) -> GroupSessionSignup:
    """The resident gives their place back, before the start."""
    if by.pk != signup.resident_id:
        raise GroupSessionError(_("Alleen de inwoner zelf kan zich afmelden."))
    session = _locked(signup.session)
    signup = GroupSessionSignup.objects.select_related("resident").get(pk=signup.pk)
    if signup.cancelled_at is not None:
        raise GroupSessionError(_("U bent al afgemeld voor deze groepsbijeenkomst."))
    if session.cancelled_at is not None:
        raise GroupSessionError(_("Deze groepsbijeenkomst gaat niet door. U hoeft zich niet af te melden."))
    if session.starts_at <= timezone.now():
        raise GroupSessionError(_("Deze groepsbijeenkomst is al begonnen. Afmelden kan niet meer."))
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["cancelled_at"])
    group_call_sockets_recheck(session)
    _log(by, [signup], Action.CHANGE)
    _timeline(
        signup,
        session,
        kind="session_signed_off",
        summary=_("Afgemeld voor groepsbijeenkomst: %s") % _describe(session),
        actor=by,
    )
    return signup


# --- Host: who came ---------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *, session: GroupSession, by: User, attended_ids: Collection[uuid.UUID | str]
) -> list[GroupSessionSignup]:
    """From the start on, the host marks who came: the sign-ups in
    ``attended_ids`` (public ids) were there, the other active ones were not.
    Only changed sign-ups are logged and put on the (internal) timeline."""
    session = _locked(session)
    if by.pk != session.host_id:
        raise GroupSessionError(_("Alleen wie de groepsbijeenkomst leidt, legt vast wie er was."))
    if session.cancelled_at is not None:
        raise GroupSessionError(_("Deze groepsbijeenkomst is afgezegd."))
    if session.starts_at > timezone.now():
        raise GroupSessionError(_("Wie er was, legt u vast vanaf het begin van de groepsbijeenkomst."))
    signups = _active_signups(session)
    present = {str(value) for value in attended_ids}
    if not present <= {str(s.public_id) for s in signups}:
        raise GroupSessionError(_("Kies alleen inwoners uit de lijst van aanmeldingen."))
    changed = []
    for signup in signups:
        attended = str(signup.public_id) in present
        if signup.attended is not attended:
            signup.attended = attended
            changed.append(signup)
    GroupSessionSignup.objects.bulk_update(changed, ["attended"])
    if changed:
        _log(by, changed, Action.CHANGE)
    for signup in changed:
        summary = _("Aanwezig bij groepsbijeenkomst: %s") if signup.attended else _("Niet gekomen: %s")
        # Like a missed appointment, a note for the workers only.
        _timeline(
            signup,
            session,
            kind="session_attendance",
            summary=summary % _describe(session),
            actor=by,
            is_shared=False,
            params={"attended": bool(signup.attended)},
        )
    return signups


# --- Telling residents --------------------------------------------------------------------


@task
def group_session_change_notify(*, resident_id: int) -> int:
    """Tell one resident that a session they signed up for changed or was
    cancelled: no title, no time, no reason; they read it in the app. One
    task per resident, so a retry after a failed send reaches only the one
    who was missed. Sent at once, also in the evening: a cancellation cannot
    wait a night."""
    resident = User.objects.filter(pk=resident_id, is_active=True).first()
    if resident is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Er is iets veranderd in een groepsbijeenkomst")
    return notify(
        user=resident,
        subject=subject,
        template="appointments/email/session_changed.txt",
        short_template="appointments/email/session_changed_short.txt",
        event="appointments",
    )

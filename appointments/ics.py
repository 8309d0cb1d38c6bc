"""Calendar files (RFC 5545), written by hand: one appointment for a mail or
a download, or a person's appointments for a subscribed feed.

What is in an event: when, what kind, where, and a link to the appointment
page. Never the topic and never a resident's name: calendar apps show
events on lock screens, in shared work calendars and in synced clouds.

The UID is the appointment's ``public_id`` and SEQUENCE its ``sequence``,
so a move (higher SEQUENCE) replaces the event in every calendar and a
cancellation (METHOD:CANCEL, STATUS:CANCELLED) removes or strikes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import CASEWORK_ROLES, User
from appointments.models import Appointment, AppointmentKind, AppointmentStatus

PRODID = "-//Samenspraak//Afspraken//NL"
MAX_LINE_OCTETS = 75
CRLF = "\r\n"


class Method(StrEnum):
    PUBLISH = "PUBLISH"
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


class Audience(StrEnum):
    """Whose calendar the event lands in: the words differ ("bij u thuis")."""

    RESIDENT = "resident"
    WORKER = "worker"


# --- Low level: values and lines -------------------------------------------------


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def utc_stamp(moment: datetime) -> str:
    """``20261201T093000Z``: a DATE-TIME in UTC."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (RFC 5545 3.1);
    a continuation starts with one space. A multi-byte UTF-8 character is
    never split."""
    if len(line.encode("utf-8")) <= MAX_LINE_OCTETS:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append("".join(current))
            current, size = [], 0
            limit = MAX_LINE_OCTETS - 1  # room for the leading space
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return (CRLF + " ").join(pieces)


def _calendar(method: Method, events: Iterable[list[str]], *, extra: Iterable[str] = ()) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        *extra,
    ]
    for event in events:
        lines.extend(event)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


# --- What an event says ------------------------------------------------------------


def site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def event_uid(appointment: Appointment) -> str:
    return f"{appointment.public_id}@{site_host()}"


def absolute_url(name: str, appointment: Appointment) -> str | None:
    try:
        return settings.SITE_URL + reverse(name, kwargs={"public_id": appointment.public_id})
    except NoReverseMatch:
        return None


def appointment_page_url(appointment: Appointment) -> str:
    """The appointment's page; for a video call the call page itself (after
    signing in, the person lands straight there)."""
    candidates = ["appointments:detail"]
    if appointment.kind == AppointmentKind.VIDEO:
        candidates.insert(0, "appointments:call")
    for name in candidates:
        url = absolute_url(name, appointment)
        if url:
            return url
    return settings.SITE_URL + "/"


def location_text(appointment: Appointment, audience: Audience) -> str:
    """Where, in words for a calendar's location field."""
    kind = appointment.kind
    if kind == AppointmentKind.FACE_TO_FACE and appointment.location is not None:
        place = appointment.location
        postcode_city = " ".join(part for part in (place.postcode, place.city) if part)
        return ", ".join(part for part in (place.name, place.street, postcode_city) if part)
    if kind == AppointmentKind.HOME_VISIT:
        return _("Bij u thuis") if audience == Audience.RESIDENT else _("Huisbezoek")
    if kind == AppointmentKind.PHONE:
        return _("Telefoon")
    if kind == AppointmentKind.VIDEO:
        return _("Beeldbellen")
    if kind == AppointmentKind.CHAT:
        return _("Chat in Samenspraak")
    return str(appointment.get_kind_display())


def summary_text(appointment: Appointment, audience: Audience) -> str:
    """A title without anything sensitive: the organisation and the kind."""
    kind = appointment.get_kind_display()
    if audience == Audience.WORKER:
        return _("Afspraak (%(kind)s)") % {"kind": kind}
    return _("Afspraak met %(organisation)s (%(kind)s)") % {"organisation": appointment.organisation.name, "kind": kind}


def event_status(appointment: Appointment) -> str:
    if appointment.status == AppointmentStatus.CANCELLED:
        return "CANCELLED"
    if appointment.status in (AppointmentStatus.AWAITING_RESIDENT, AppointmentStatus.AWAITING_WORKER):
        return "TENTATIVE"
    return "CONFIRMED"


def _organizer_address() -> str:
    """The bare address of DEFAULT_FROM_EMAIL (``Name <address>``)."""
    sender = settings.DEFAULT_FROM_EMAIL
    if "<" in sender and sender.endswith(">"):
        sender = sender.rsplit("<", 1)[1][:-1]
    return sender.strip()


def vevent(
    appointment: Appointment,
    *,
    audience: Audience,
    stamp: datetime,
    method: Method,
    attendee_email: str = "",
) -> list[str]:
    """The lines of one VEVENT (unfolded). An invitation (REQUEST or CANCEL)
    names the organisation as ORGANIZER and, when known, the recipient as
    ATTENDEE, as RFC 5546 asks; a feed does not."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event_uid(appointment)}",
        f"SEQUENCE:{appointment.sequence}",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"DTSTART:{utc_stamp(appointment.starts_at)}",
        f"DTEND:{utc_stamp(appointment.ends_at)}",
        f"STATUS:{event_status(appointment)}",
        f"SUMMARY:{escape_text(summary_text(appointment, audience))}",
        f"LOCATION:{escape_text(location_text(appointment, audience))}",
        f"URL:{appointment_page_url(appointment)}",
        "CLASS:PRIVATE",
        "TRANSP:OPAQUE" if appointment.holds_time else "TRANSP:TRANSPARENT",
    ]
    if appointment.created_at:
        lines.append(f"CREATED:{utc_stamp(appointment.created_at)}")
    if appointment.updated_at:
        lines.append(f"LAST-MODIFIED:{utc_stamp(appointment.updated_at)}")
    if method != Method.PUBLISH:
        # A parameter value is a quoted string, not TEXT: no escaping, no quotes.
        name = "".join(c for c in appointment.organisation.name if c.isprintable()).replace('"', "'")
        lines.append(f'ORGANIZER;CN="{name}":mailto:{_organizer_address()}')
        if attendee_email:
            lines.append(f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{attendee_email}")
    lines.append("END:VEVENT")
    return lines


# --- Whole calendars ----------------------------------------------------------------


def method_for(appointment: Appointment) -> Method:
    return Method.CANCEL if appointment.status == AppointmentStatus.CANCELLED else Method.REQUEST


def appointment_calendar(
    appointment: Appointment,
    *,
    audience: Audience,
    attendee_email: str = "",
    now: datetime | None = None,
) -> str:
    """One appointment: METHOD:REQUEST while it holds its time (or took
    place), METHOD:CANCEL once cancelled."""
    method = method_for(appointment)
    with translation.override(settings.LANGUAGE_CODE):
        event = vevent(
            appointment,
            audience=audience,
            stamp=now or timezone.now(),
            method=method,
            attendee_email=attendee_email,
        )
    return _calendar(method, [event])


def feed_calendar(appointments: Iterable[tuple[Appointment, Audience]], *, now: datetime | None = None) -> str:
    """A subscribed feed (METHOD:PUBLISH): calendar apps fetch it again
    about every hour."""
    stamp = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        name = _("Afspraken in Samenspraak")
        events = [vevent(a, audience=audience, stamp=stamp, method=Method.PUBLISH) for a, audience in appointments]
    extra = [
        f"X-WR-CALNAME:{escape_text(name)}",
        f"NAME:{escape_text(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ]
    return _calendar(Method.PUBLISH, events, extra=extra)


def audience_of(user: User) -> Audience:
    """Workers read an event as workers; residents and trusted persons as
    the resident's calendar."""
    return Audience.WORKER if user.role in CASEWORK_ROLES else Audience.RESIDENT

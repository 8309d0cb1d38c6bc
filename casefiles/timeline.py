"""The one way every capability adds to a resident's timeline, and how an
event is told to the person who reads it.

Other apps call ``timeline_event_add`` (from their services, inside their
transaction) instead of writing to this app's tables. An event stores a
``kind`` and ``params``: plain values (ids, titles, dates, yes/no), never
message content or anything else the resident did not share. The sentence
is made when someone reads it, for that reader and in their language: the
resident reads "U hebt een afspraak gemaakt", a worker reads "Fatima el
Amrani heeft een afspraak gemaakt". Each app registers its kinds in its
``AppConfig.ready`` (``timeline_kind_register``). The stored ``summary``
stays as the text for rows whose kind is no longer known or whose params
are missing (rows written before params existed).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

from accounts.models import CLIENT_ROLES, User
from casefiles.models import Case, TimelineEvent
from samenspraak.attention import attention_changed

PLAIN = (str, int, float, bool, type(None))
# Keys of ``params`` that hold a person's primary key; the person is looked
# up when the event is read (one query for a whole list), so a changed
# name shows as it is now.
PERSON_SUFFIX = "_user_id"

Render = Callable[[TimelineEvent, "User | None"], str]
Link = Callable[[TimelineEvent, "User | None"], str]


@dataclass(frozen=True)
class TimelineKind:
    """``render(event, viewer)`` gives the sentence for ``viewer``;
    ``link(event, viewer)`` a url to the object for that viewer, or "".
    ``required`` are the params the sentence needs (missing: the summary is
    shown). ``news`` says whether a resident hears about it on their home
    page when someone else did it."""

    kind: str
    render: Render
    link: Link | None = None
    required: tuple[str, ...] = ()
    news: bool = False


_kinds: dict[str, TimelineKind] = {}


def timeline_kind_register(
    kind: str,
    render: Render,
    *,
    link: Link | None = None,
    required: Iterable[str] = (),
    news: bool = False,
) -> None:
    _kinds[kind] = TimelineKind(kind=kind, render=render, link=link, required=tuple(required), news=news)


def timeline_kinds() -> dict[str, TimelineKind]:
    return dict(_kinds)


def timeline_news_kinds() -> list[str]:
    return sorted(kind for kind, entry in _kinds.items() if entry.news)


# --- Writing -----------------------------------------------------------------------------


def _params_check(params: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, Promise):
            value = str(value)
        if isinstance(value, uuid.UUID):
            value = str(value)
        if not isinstance(key, str) or not isinstance(value, PLAIN):
            raise TypeError(f"Timeline params hold plain values only, not {key!r}: {type(value).__name__}")
        clean[key] = value[:300] if isinstance(value, str) else value
    return clean


def timeline_event_add(
    *,
    resident: User,
    kind: str,
    summary: str,
    actor: User | None,
    is_shared: bool,
    params: Mapping[str, Any] | None = None,
    object_type: str = "",
    object_public_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
) -> TimelineEvent:
    """Record that something happened for ``resident``.

    ``kind`` is namespaced by the app (``"casefiles.note_added"``,
    ``"appointments.booked"``) and registered with a renderer; ``params``
    are what the renderer needs; ``summary`` is the fallback text.
    ``is_shared`` says whether the resident sees the event in their own
    view; a shared event by someone else may be news for them.
    """
    case = Case.objects.current().filter(resident=resident).first()
    event = TimelineEvent.objects.create(
        resident=resident,
        case=case,
        occurred_at=occurred_at or timezone.now(),
        kind=kind,
        summary=str(summary)[:300],
        params=_params_check(params or {}),
        actor=actor,
        is_shared=is_shared,
        object_type=object_type,
        object_public_id=object_public_id,
    )
    if is_shared and (actor is None or actor.pk != resident.pk):
        attention_changed([resident])
    return event


def timeline_event_exists_since(*, resident: User, kind: str, since: datetime) -> bool:
    """Whether the resident's timeline has an event of ``kind`` since ``since``
    (a capability that writes one line a day asks this first)."""
    return TimelineEvent.objects.filter(resident=resident, kind=kind, occurred_at__gte=since).exists()


def timeline_events_of_kind_between(*, kind: str, starts: datetime, ends: datetime) -> list[dict[str, Any]]:
    """Events of ``kind`` in ``[starts, ends)`` of every resident, as rows of
    ``resident_id``, ``object_public_id`` and ``occurred_at`` (one query): a
    capability that follows another's events (the experience survey after a
    finished module) reads them here instead of importing that app."""
    return [
        dict(row)
        for row in TimelineEvent.objects.filter(kind=kind, occurred_at__gte=starts, occurred_at__lt=ends)
        .order_by("occurred_at", "pk")
        .values("resident_id", "object_public_id", "occurred_at")
    ]


def timeline_events_hide(*, resident: User, object_type: str, object_public_id: uuid.UUID) -> int:
    """Take the events about one object out of the resident's own view (for
    an item that became internal: its params may hold its title). Returns
    how many events were hidden."""
    return TimelineEvent.objects.filter(
        resident=resident, object_type=object_type, object_public_id=object_public_id, is_shared=True
    ).update(is_shared=False)


# --- Reading ----------------------------------------------------------------------------


def timeline_events_render(events: Iterable[TimelineEvent], *, viewer: User | None) -> list[TimelineEvent]:
    """Give each event its ``text`` and ``link`` for ``viewer`` (in the
    active language). Load the events with ``select_related("actor")``;
    people named in params are fetched in one query for the whole list."""
    events = list(events)
    person_ids = {
        value
        for event in events
        for key, value in (event.params or {}).items()
        if key.endswith(PERSON_SUFFIX) and isinstance(value, int)
    }
    people = {person.pk: person for person in User.objects.filter(pk__in=person_ids)} if person_ids else {}
    for event in events:
        event.people = people  # type: ignore[attr-defined]
        event.text, event.link = timeline_event_text(event, viewer=viewer)  # type: ignore[attr-defined]
    return events


def timeline_event_text(event: TimelineEvent, *, viewer: User | None) -> tuple[str, str]:
    """The sentence and link for one event (the summary for unknown kinds)."""
    entry = _kinds.get(event.kind)
    params = event.params or {}
    if entry is None or any(key not in params for key in entry.required):
        return _fallback(event), ""
    try:
        text = entry.render(event, viewer)
    except (KeyError, ValueError, TypeError):
        return _fallback(event), ""
    link = entry.link(event, viewer) if entry.link is not None else ""
    return text, link or ""


def _fallback(event: TimelineEvent) -> str:
    """The stored summary, with who did it when that was someone else."""
    if event.actor_id is not None and event.actor_id != event.resident_id and actor_name(event):
        return f"{event.summary} — {actor_name(event)}"
    return event.summary


# --- Helpers for renderers ----------------------------------------------------------------


def viewer_is_actor(event: TimelineEvent, viewer: User | None) -> bool:
    return viewer is not None and event.actor_id is not None and event.actor_id == viewer.pk


def viewer_is_resident(event: TimelineEvent, viewer: User | None) -> bool:
    return viewer is not None and viewer.pk == event.resident_id


def viewer_is_staff(viewer: User | None) -> bool:
    return viewer is not None and viewer.role not in CLIENT_ROLES


def actor_name(event: TimelineEvent) -> str:
    actor = event.actor
    return actor.full_name or actor.username if actor is not None else ""


def person_name(event: TimelineEvent, key: str) -> str:
    """The name of the person whose id is ``params[key]`` ("" when gone)."""
    people: dict[int, User] = getattr(event, "people", {})
    person = people.get(event.params.get(key)) if event.params else None
    return person.full_name if person is not None else ""


def by_actor(
    you: str | Promise,
    named: str | Promise,
    nobody: str | Promise,
    *,
    to_you: str | Promise | None = None,
    values: Callable[[TimelineEvent], dict[str, Any]] | None = None,
) -> Render:
    """A renderer with the actor as subject: ``you`` when the viewer did it
    ("U hebt ..."), ``to_you`` when someone did it to the resident who reads
    it ("Sanne heeft uw ..."), ``named`` with ``%(name)s`` otherwise
    ("Fatima heeft ..."), ``nobody`` when no person did it. Texts are
    gettext_lazy strings, formatted with the params (plus ``values(event)``)
    when read, so in the reader's language."""

    def render(event: TimelineEvent, viewer: User | None) -> str:
        data: dict[str, Any] = {**(event.params or {}), **(values(event) if values else {})}
        if viewer_is_actor(event, viewer):
            return str(you) % data
        name = actor_name(event)
        if not name:
            return str(nobody) % data
        text = to_you if to_you is not None and viewer_is_resident(event, viewer) else named
        return str(text) % {**data, "name": name}

    return render


def fixed(text: str | Promise) -> Render:
    """The same sentence for everyone (no person in it)."""

    def render(event: TimelineEvent, viewer: User | None) -> str:
        return str(text) % (event.params or {}) if event.params else str(text)

    return render


def yes_no(key: str, yes: Render, no: Render) -> Render:
    def render(event: TimelineEvent, viewer: User | None) -> str:
        return yes(event, viewer) if event.params.get(key) else no(event, viewer)

    return render


# --- News for the resident ------------------------------------------------------------


def _news(resident: User, since: datetime) -> Any:
    """Shared events of a news kind since ``since`` that someone else did
    (a resident's own booking is no news to them)."""
    return (
        TimelineEvent.objects.filter(
            resident=resident, is_shared=True, occurred_at__gt=since, kind__in=timeline_news_kinds()
        )
        .exclude(actor=resident)
        .order_by("-occurred_at", "-pk")
    )


def timeline_news(*, resident: User, since: datetime, limit: int = 20) -> list[TimelineEvent]:
    """The newest news events since ``since``, told to the resident, each
    with its ``text`` and ``link`` (two queries at most)."""
    return timeline_events_render(_news(resident, since).select_related("actor")[:limit], viewer=resident)


def timeline_news_count(*, resident: User, since: datetime) -> int:
    return int(_news(resident, since).count())

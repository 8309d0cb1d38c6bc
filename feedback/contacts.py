"""Where contacts come from: each kind of contact the survey may ask about,
read from the capability that owns it through its selectors (no other
app's models, no upward import). A source is registered with
``contact_source_register``; ``feedback`` registers the three it knows in
its ``AppConfig.ready``:

- an appointment that was held: confirmed, and its end time has passed
  (``appointments.selectors.appointments_held_between``; there is no
  separate "held" state, a no-show or cancellation is not confirmed);
- a consultation-hour chat of a signed-in resident that was closed
  (``messaging.selectors.consultation_chats_closed_between``);
- a finished module: the learning app's timeline event
  ``learning.module_finished`` (``casefiles.timeline``).

Another capability can add its own source the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from feedback.models import Channel, ContactKind


@dataclass(frozen=True)
class Contact:
    kind: str
    public_id: uuid.UUID
    resident_id: int
    organisation_id: int | None
    channel: str
    at: datetime


Source = Callable[[datetime, datetime], list[Contact]]
_sources: dict[str, Source] = {}

# The appointment kinds as the survey's channels.
APPOINTMENT_CHANNELS = {
    "face_to_face": Channel.FACE_TO_FACE,
    "home_visit": Channel.FACE_TO_FACE,
    "phone": Channel.PHONE,
    "video": Channel.VIDEO,
    "chat": Channel.CHAT,
}


def contact_source_register(name: str, source: Source) -> None:
    _sources[name] = source


def contacts_between(*, starts: datetime, ends: datetime) -> list[Contact]:
    """Every registered source's contacts in ``[starts, ends)``, with the
    organisation filled in for sources that do not know it (one query)."""
    contacts = [contact for source in _sources.values() for contact in source(starts, ends)]
    unknown = {contact.resident_id for contact in contacts if contact.organisation_id is None}
    if not unknown:
        return contacts
    from accounts.models import User

    organisations = dict(User.objects.filter(pk__in=unknown).values_list("pk", "organisation_id"))
    return [
        contact
        if contact.organisation_id is not None
        else Contact(
            contact.kind,
            contact.public_id,
            contact.resident_id,
            organisations.get(contact.resident_id),
            contact.channel,
            contact.at,
        )
        for contact in contacts
        if contact.organisation_id is not None or organisations.get(contact.resident_id) is not None
    ]


def appointments_held(starts: datetime, ends: datetime) -> list[Contact]:
    from appointments.selectors import appointments_held_between

    return [
        Contact(
            ContactKind.APPOINTMENT,
            row["public_id"],
            row["resident_id"],
            row["organisation_id"],
            APPOINTMENT_CHANNELS.get(row["kind"], Channel.FACE_TO_FACE),
            row["ends_at"],
        )
        for row in appointments_held_between(starts=starts, ends=ends)
    ]


def consultation_chats_closed(starts: datetime, ends: datetime) -> list[Contact]:
    from messaging.selectors import consultation_chats_closed_between

    return [
        Contact(
            ContactKind.CONSULTATION,
            row["public_id"],
            row["visitor_id"],
            row["organisation_id"],
            Channel.CHAT,
            row["closed_at"],
        )
        for row in consultation_chats_closed_between(starts=starts, ends=ends)
    ]


MODULE_FINISHED = "learning.module_finished"


def modules_finished(starts: datetime, ends: datetime) -> list[Contact]:
    from casefiles.timeline import timeline_events_of_kind_between

    return [
        Contact(
            ContactKind.MODULE, row["object_public_id"], row["resident_id"], None, Channel.ELEARNING, row["occurred_at"]
        )
        for row in timeline_events_of_kind_between(kind=MODULE_FINISHED, starts=starts, ends=ends)
        if row["object_public_id"] is not None
    ]


def register() -> None:
    contact_source_register("appointments", appointments_held)
    contact_source_register("consultation", consultation_chats_closed)
    contact_source_register("learning", modules_finished)

"""The one way every capability adds to a resident's timeline.

Other apps call ``timeline_event_add`` (from their services, inside their
transaction) instead of writing to this app's tables. A summary is short and
never holds message content or anything else the resident did not share.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.utils import timezone

from accounts.models import User
from casefiles.models import Case, TimelineEvent


def timeline_event_add(
    *,
    resident: User,
    kind: str,
    summary: str,
    actor: User | None,
    is_shared: bool,
    object_type: str = "",
    object_public_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
) -> TimelineEvent:
    """Record that something happened for ``resident``.

    ``kind`` is namespaced by the app (``"casefiles.note_added"``,
    ``"appointments.booked"``); ``is_shared`` says whether the resident sees
    the event in their own view.
    """
    case = Case.objects.current().filter(resident=resident).first()
    return TimelineEvent.objects.create(
        resident=resident,
        case=case,
        occurred_at=occurred_at or timezone.now(),
        kind=kind,
        summary=summary[:300],
        actor=actor,
        is_shared=is_shared,
        object_type=object_type,
        object_public_id=object_public_id,
    )


def timeline_event_exists_since(*, resident: User, kind: str, since: datetime) -> bool:
    """Whether the resident's timeline has an event of ``kind`` since ``since``
    (a capability that writes one line a day asks this first)."""
    return TimelineEvent.objects.filter(resident=resident, kind=kind, occurred_at__gte=since).exists()


def timeline_events_hide(*, resident: User, object_type: str, object_public_id: uuid.UUID) -> int:
    """Take the events about one object out of the resident's own view (for
    an item that became internal: a summary may hold its title). Returns how
    many events were hidden."""
    return TimelineEvent.objects.filter(
        resident=resident, object_type=object_type, object_public_id=object_public_id, is_shared=True
    ).update(is_shared=False)

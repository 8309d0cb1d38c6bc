"""Changes that other capabilities must follow, through explicit hooks.

The lower layers (the core: accounts, the access log; tenancy: organisations,
caseloads, grants) make changes that capabilities above them must follow: a
handover ends the old worker's chat memberships and moves coming
appointments; a blocked account closes open sockets. The lower layer must
not import the capabilities, so the service that makes the change calls
``hook_call(EVENT, ...)`` and each app registers its handler in its
``AppConfig.ready`` with ``hook_register``.

Why not Django's model signals: they fire inside ``save`` for every save,
hide who listens and in which order, and cannot say "a handover happened"
(only "a row changed"). Here each event is named, its arguments are
keywords, and handlers run in a defined order (``order``, then name).

Handlers run inside the transaction of the change, so the change and
everything that follows from it commit or roll back together (a handover
never commits without its appointments moved). A handler that must act only
after commit (a notice to open sockets, a mail) uses ``transaction.on_commit``
itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The events, with the keyword arguments each handler receives.
CASELOAD_CHANGED = "caseload_changed"
"""resident, gained (workers who may now see the resident), lost (workers who
may no longer), by (who made the change), handover (a (from, to) pair of
workers when one takes over from the other, else None)."""
GRANT_REVOKED = "grant_revoked"
"""grant (the TrustedPersonGrant, already revoked), by."""
ACCOUNT_CHANGED = "account_changed"
"""account (after the change: blocked, role, team), by."""
RESIDENT_NAME_CHANGED = "resident_name_changed"
"""resident (with the new preferred name)."""
RESIDENT_INVITED = "resident_invited"
"""resident (the new, not yet active account), invited_by (the worker)."""
CONSENT_WITHDRAWN = "consent_withdrawn"
"""record (the ``consents.ConsentRecord``, already withdrawn), by."""

EVENTS = frozenset(
    {CASELOAD_CHANGED, GRANT_REVOKED, ACCOUNT_CHANGED, RESIDENT_NAME_CHANGED, RESIDENT_INVITED, CONSENT_WITHDRAWN}
)


@dataclass(frozen=True)
class Handler:
    event: str
    order: int
    name: str
    function: Callable[..., None]


_handlers: dict[str, list[Handler]] = {event: [] for event in EVENTS}


def hook_register(event: str, function: Callable[..., None], *, order: int) -> None:
    """Register ``function`` for ``event``; lower ``order`` runs first.
    Registering the same function twice (a second ``ready``) is a no-op."""
    if event not in EVENTS:
        raise ValueError(f"Unknown hook event {event!r}")
    name = f"{function.__module__}.{function.__qualname__}"
    if any(handler.name == name for handler in _handlers[event]):
        return
    _handlers[event].append(Handler(event=event, order=order, name=name, function=function))
    _handlers[event].sort(key=lambda handler: (handler.order, handler.name))


def hook_handlers(event: str) -> list[Handler]:
    """The handlers of ``event`` in the order they run."""
    if event not in EVENTS:
        raise ValueError(f"Unknown hook event {event!r}")
    return list(_handlers[event])


def hook_call(event: str, **arguments: Any) -> None:
    """Run every handler of ``event`` with ``arguments``, in order. Call it
    inside the transaction of the change."""
    for handler in hook_handlers(event):
        handler.function(**arguments)

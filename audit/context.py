"""Who is asking, for the access log, without passing the request around.

The middleware fills this per request; a socket consumer or a management
command sets it with ``audit_context(...)``. Services read it when they
write an access-log entry.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AuditContext:
    ip_address: str | None = None
    session_ref: str = ""
    request_path: str = ""


_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)
_EMPTY = AuditContext()


def current_audit_context() -> AuditContext:
    return _current.get() or _EMPTY


def session_reference(session_key: str | None) -> str:
    """A stable reference to the session that does not reveal the key."""
    if not session_key:
        return ""
    return hashlib.sha256(session_key.encode()).hexdigest()[:32]


@contextlib.contextmanager
def audit_context(context: AuditContext) -> Iterator[None]:
    token = _current.set(context)
    try:
        yield
    finally:
        _current.reset(token)


def audit_context_for_socket(scope: dict[str, Any]) -> AuditContext:
    """The audit context of a WebSocket connection (an ASGI ``scope``), built
    the same way as for an HTTP request. Every socket consumer uses this."""
    client = scope.get("client") or (None, None)
    session = scope.get("session")
    return AuditContext(
        ip_address=client[0],
        session_ref=session_reference(getattr(session, "session_key", None)),
        request_path=str(scope.get("path", ""))[:300],
    )

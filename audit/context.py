"""Who is asking, for the access log, without passing the request around.

The middleware fills this per request; a socket consumer or a management
command sets it with ``audit_context(...)``. Services read it when they
write an access-log entry.

Every ``AuditContext`` masks secrets in its ``request_path`` when it is
made, so no constructor (middleware, socket, command) can store a calendar
feed token, an invitation token or a password-reset key in the log.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from allauth.core.internal.httpkit import get_client_ip
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import Resolver404, resolve

MASK = "***"
PATH_MAX_LENGTH = 300

# URL parameters whose value is a key to something (a feed, an invitation,
# a password reset, a consultation-hour entrance): never written down.
SECRET_KWARG = re.compile(r"token|secret|key|code|uidb|signature|password", re.IGNORECASE)
# A segment that looks like a random key even where no URL pattern says so
# (socket paths, a route added later): long, URL-safe, and mixing at least
# two of lower case, upper case and digits. Words and slugs ("uitnodiging-
# mailen", "groepsbijeenkomsten") are one class only; UUIDs are ids, not keys.
RANDOM_SEGMENT = re.compile(r"[A-Za-z0-9_\-:.=~]{20,}")
RANDOM_SEGMENT_MIN_CLASSES = 2


def _looks_random(segment: str) -> bool:
    stem = segment.rsplit(".", 1)[0] if "." in segment[-6:] else segment
    if not RANDOM_SEGMENT.fullmatch(stem):
        return False
    try:
        uuid.UUID(stem)
    except ValueError:
        pass
    else:
        return False
    classes = sum(bool(re.search(pattern, stem)) for pattern in ("[a-z]", "[A-Z]", "[0-9]"))
    return classes >= RANDOM_SEGMENT_MIN_CLASSES


def _stem_masked(segment: str) -> str:
    """``abc…xyz.ics`` → ``***.ics``: the file extension says what was asked."""
    if "." in segment[-6:]:
        stem, extension = segment.rsplit(".", 1)
        if stem:
            return f"{MASK}.{extension}"
    return MASK


def mask_path(path: str) -> str:
    """``path`` with every secret segment replaced by ``***``.

    Two rules: the URL pattern the path resolves to names its secret
    parameters (``token``, ``key``, ``code``, …), and any segment that looks
    like a random key is masked even when no pattern matches.
    """
    if not path:
        return path
    segments = path.split("/")
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is not None:
        for name, value in match.kwargs.items():
            if not SECRET_KWARG.search(name) or not isinstance(value, str) or not value:
                continue
            # Values appear in URL order after the literal route text: the
            # last segment holding the value is the parameter itself.
            for index in range(len(segments) - 1, -1, -1):
                if value in segments[index]:
                    segments[index] = segments[index].replace(value, MASK)
                    break
    segments = [_stem_masked(segment) if _looks_random(segment) else segment for segment in segments]
    return "/".join(segments)


@dataclass(frozen=True)
class AuditContext:
    ip_address: str | None = None
    session_ref: str = ""
    request_path: str = ""

    def __post_init__(self) -> None:
        # Masked before it is cut to length: a cut-off token still matches
        # its URL pattern only when whole.
        object.__setattr__(self, "request_path", mask_path(self.request_path)[:PATH_MAX_LENGTH])


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


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, the same way the sign-in rate limits see it:
    REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies of our own the
    address they appended to X-Forwarded-For (never one the client sent).
    Pages (the middleware) and sockets both use this."""
    try:
        return get_client_ip(request)
    except ImproperlyConfigured:
        return request.META.get("REMOTE_ADDR") or None


def socket_client_ip(scope: dict[str, Any]) -> str | None:
    """The client's address of an ASGI connection by the same rule as for an
    HTTP request (``client_ip``): the socket peer, or behind
    ``TRUSTED_PROXY_COUNT`` proxies of our own the address the nearest
    trusted proxy appended to X-Forwarded-For (never one the client sent).

    The scope's headers are handed to the very function the HTTP side uses,
    so the two can never drift apart.
    """
    request = HttpRequest()
    client = scope.get("client") or (None, None)
    if client[0]:
        request.META["REMOTE_ADDR"] = client[0]
    for raw_name, raw_value in scope.get("headers") or ():
        name = raw_name.decode("latin-1")
        if "_" in name:
            # As Django's ASGIRequest: "X_Forwarded_For" must not pass for
            # the header a proxy sets.
            continue
        name = name.upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        key = name if name in {"CONTENT_TYPE", "CONTENT_LENGTH"} else f"HTTP_{name}"
        # Repeated headers are joined the way ASGIRequest joins them.
        request.META[key] = f"{request.META[key]},{value}" if key in request.META else value
    return client_ip(request)


def audit_context_for_socket(scope: dict[str, Any]) -> AuditContext:
    """The audit context of a WebSocket connection (an ASGI ``scope``), built
    the same way as for an HTTP request. Every socket consumer uses this."""
    session = scope.get("session")
    return AuditContext(
        ip_address=socket_client_ip(scope),
        session_ref=session_reference(getattr(session, "session_key", None)),
        request_path=str(scope.get("path", "")),
    )

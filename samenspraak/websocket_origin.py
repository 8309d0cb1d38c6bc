"""The Origin check for WebSocket connections.

Browsers send cookies with a WebSocket handshake from any page, so without
this check another site could open a socket in a signed-in person's name
(cross-site WebSocket hijacking). Channels' ``AllowedHostsOriginValidator``
compares only the host name: ``http://samenspraak.example`` (plain HTTP, a
network attacker's page) or ``https://samenspraak.example:8443`` (another
service on the same host) would pass. This validator accepts an origin only
when scheme, host and port all equal those of an origin we serve:

- ``SITE_URL``;
- each of ``CSRF_TRUSTED_ORIGINS`` (``DJANGO_CSRF_TRUSTED_ORIGINS``), which
  carry scheme and port as well; a wildcard there (``https://*.example``) is
  not used for sockets: list each origin;
- ``WEBSOCKET_EXTRA_ORIGINS`` (for the test server, whose port is chosen
  when it starts);
- with ``DEBUG``: ``http://127.0.0.1:8000`` and ``http://localhost:8000``.

A handshake without an Origin header, with ``Origin: null`` (sandboxed
frames, local files) or with more than one Origin header is refused.
Settings are read per handshake, so a changed setting holds at once.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings

DEFAULT_PORTS = {"http": 80, "https": 443}
DEBUG_ORIGINS = ("http://127.0.0.1:8000", "http://localhost:8000")


def origin_normalise(origin: str) -> tuple[str, str, int] | None:
    """``(scheme, host, port)`` with the default port filled in, or None for
    anything that is not a plain http(s) origin (no path, user or query)."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.username is not None or parts.password is not None:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    return scheme, parts.hostname.lower(), port if port is not None else DEFAULT_PORTS[scheme]


def allowed_origins() -> set[tuple[str, str, int]]:
    candidates = [settings.SITE_URL, *settings.CSRF_TRUSTED_ORIGINS]
    candidates += list(getattr(settings, "WEBSOCKET_EXTRA_ORIGINS", []))
    if settings.DEBUG:
        candidates += DEBUG_ORIGINS
    # A CSRF wildcard origin ("https://*.example") normalises to a host with
    # a "*": it can never equal a real origin, so it is ignored here.
    return {normalised for candidate in candidates if (normalised := origin_normalise(candidate)) is not None}


def origin_is_allowed(headers: list[tuple[bytes, bytes]]) -> bool:
    values = [value for name, value in headers if name.lower() == b"origin"]
    if len(values) != 1:
        return False
    try:
        origin = values[0].decode("ascii")
    except UnicodeDecodeError:
        return False
    normalised = origin_normalise(origin)
    return normalised is not None and normalised in allowed_origins()


class WebSocketOriginValidator:
    """ASGI middleware for the ``websocket`` protocol: refuses the handshake
    (HTTP 403) unless the Origin is one of ours."""

    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] != "websocket":
            raise ValueError("WebSocketOriginValidator only guards WebSocket connections.")
        if origin_is_allowed(scope.get("headers", [])):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.context import AuditContext, audit_context, session_reference


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR is what the proxy (or the client) connected from; the proxy
    # in production is configured to set it, we do not trust X-Forwarded-For.
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = AuditContext(
            ip_address=client_ip(request),
            session_ref=session_reference(request.session.session_key),
            request_path=request.path[:300],
        )
        with audit_context(context):
            return self.get_response(request)

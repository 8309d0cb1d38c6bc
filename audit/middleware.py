from __future__ import annotations

from collections.abc import Callable

from allauth.core.internal.httpkit import get_client_ip
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

from audit.context import AuditContext, audit_context, session_reference


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, the same way the sign-in rate limits see it:
    REMOTE_ADDR, or behind ``TRUSTED_PROXY_COUNT`` proxies of our own the
    address they appended to X-Forwarded-For (never one the client sent)."""
    try:
        return get_client_ip(request)
    except ImproperlyConfigured:
        return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        context = AuditContext(
            ip_address=client_ip(request),
            session_ref=session_reference(request.session.session_key),
            request_path=request.path,  # masked and cut to length by AuditContext
        )
        with audit_context(context):
            return self.get_response(request)

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.context import AuditContext, audit_context, client_ip, session_reference


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

"""gunicorn settings for the page workers (WSGI). gunicorn reads this file
from the working directory; ``gunicorn -c gunicorn.conf.py`` names it.

Bind address and worker count come from the command line or from
``GUNICORN_CMD_ARGS`` (README, "Production"). This file holds what the
application needs whatever the deployment:

- no ``Server`` header: it names the server software and its version to
  anyone who asks (docs/security/hardening.md);
- an access log without query strings and without the Referer: invitation
  links carried their token in the URL, and a query string or a previous
  page's address may still carry a secret. The path is logged, the query
  never.
"""

from __future__ import annotations

from typing import Any

from gunicorn.http import wsgi

# "%(U)s" is the path without the query string ("%(r)s" would be the whole
# request line). No "%(f)s" (Referer): it holds the previous page's full
# address. The user agent stays: it helps to tell people's devices apart
# when something goes wrong.
accesslog = "-"  # to standard output, where the service manager collects it
access_log_format = '%(h)s - - %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)ss "%(a)s"'

_default_headers = wsgi.Response.default_headers


def _headers_without_server(self: Any) -> list[str]:
    """gunicorn has no setting for its ``Server`` header (it always sends
    ``Server: gunicorn``), so the one method that writes it is wrapped."""
    headers: list[str] = _default_headers(self)
    return [header for header in headers if not header.lower().startswith("server:")]


wsgi.Response.default_headers = _headers_without_server  # type: ignore[method-assign]

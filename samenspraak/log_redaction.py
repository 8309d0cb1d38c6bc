"""Secrets that travel in URLs never reach our own log lines.

Some addresses carry a secret: the private calendar feed
(``/agenda/feed/<token>.ics``, used as a plain URL by calendar programs, so
the token must stay in it), invitation links sent before the token moved to
the query string (``/uitnodiging/<token>/``) and allauth's password-reset
links (``/accounts/password/reset/key/<uid>-<key>/``). Django logs the path
of every 4xx and 5xx answer ("Not Found: /agenda/feed/….ics"), so an
expired feed token would otherwise be written to the log. This filter,
attached to the log handlers in the settings, replaces those secrets before
a record is written, whatever logger produced it. Query strings are not
logged by Django; ``code=`` and ``token=`` values are masked anyway, for
messages that include a full URL.
"""

from __future__ import annotations

import logging
import re

HIDDEN = "[hidden]"

PATTERNS = [
    (re.compile(r"(/agenda/feed/)[^/\s?#\"']+?(\.ics)"), rf"\g<1>{HIDDEN}\g<2>"),
    (re.compile(r"(/uitnodiging/)[^/\s?#\"']+(/)"), rf"\g<1>{HIDDEN}\g<2>"),
    (re.compile(r"(/password/reset/key/)(?!\w+-set-password/)[^/\s?#\"']+(/)"), rf"\g<1>{HIDDEN}\g<2>"),
    (re.compile(r"([?&](?:code|token)=)[^&\s#\"']+"), rf"\g<1>{HIDDEN}"),
]


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Rewrites the record's message with the secrets replaced; never drops
    a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True

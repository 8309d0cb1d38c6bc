"""A password reset answers as fast for a known address as for an unknown
one: the mail goes out after the answer. Measured against a real (slow)
SMTP server on a local port, through Django's SMTP backend."""

from __future__ import annotations

import socketserver
import statistics
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from conftest import Personas, build_personas, run_queued_tasks

# Long enough that a mail sent inside the request would show clearly.
SMTP_DELAY_SECONDS = 0.5
ROUNDS = 9
# Generous: the two answers differ by one database query at most, the mail
# server alone would add SMTP_DELAY_SECONDS.
ALLOWED_DIFFERENCE_SECONDS = 0.2
RESET_URL = "/accounts/password/reset/"


class SlowSmtpServer(socketserver.ThreadingTCPServer):
    """Just enough SMTP for Django's backend; waits before accepting each mail."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), SlowSmtpHandler)
        self.messages: list[tuple[list[str], str]] = []
        self.lock = threading.Lock()

    def received_for(self, address: str) -> list[str]:
        with self.lock:
            return [body for recipients, body in self.messages if address in recipients]


class SlowSmtpHandler(socketserver.StreamRequestHandler):
    server: SlowSmtpServer

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        recipients: list[str] = []
        self.reply("220 slow-smtp ready")
        while line := self.rfile.readline().decode().strip():
            command = line.split(" ", 1)[0].upper()
            if command == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif command == "RCPT":
                recipients.append(line.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 go on")
                lines = []
                while (data := self.rfile.readline().decode()).rstrip("\r\n") != ".":
                    lines.append(data)
                time.sleep(SMTP_DELAY_SECONDS)
                with self.server.lock:
                    self.server.messages.append((recipients, "".join(lines)))
                self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:  # EHLO, HELO, RSET, NOOP
                self.reply("250 OK")


@pytest.fixture
def smtp_server() -> Iterator[SlowSmtpServer]:
    server = SlowSmtpServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
        }
    }
    try:
        with override_settings(MAILERS=mailers):
            yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def committed_personas(transactional_db: None) -> Personas:
    # Committed, so that the mail thread (its own database connection) sees them.
    return build_personas()


def _wait_for_mail_threads() -> None:
    for thread in threading.enumerate():
        if thread.name == "password-reset-mail":
            thread.join(timeout=30)


def _wait_until(condition: Any, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _timed_reset(email: str) -> float:
    cache.clear()  # the reset limit per address (3 an hour) is not under test here
    client = Client()
    started = time.perf_counter()
    response = client.post(RESET_URL, {"email": email})
    elapsed = time.perf_counter() - started
    # With REDIS_URL the mail waits in a queue in the same Redis database
    # that the next cache.clear() empties: run it now, outside the timing.
    run_queued_tasks()
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/done/"
    return elapsed


def test_known_and_unknown_addresses_take_the_same_time(
    committed_personas: Personas, smtp_server: SlowSmtpServer
) -> None:
    known_address = committed_personas.worker.email
    _timed_reset("opwarmen@example.org")  # first request: imports, templates
    known, unknown = [], []
    for _round in range(ROUNDS):
        known.append(_timed_reset(known_address))
        unknown.append(_timed_reset("niemand@example.org"))
    _wait_until(lambda: len(smtp_server.received_for(known_address)) == ROUNDS)
    _wait_for_mail_threads()

    difference = abs(statistics.median(known) - statistics.median(unknown))
    print(
        f"median known {statistics.median(known) * 1000:.1f} ms, "
        f"unknown {statistics.median(unknown) * 1000:.1f} ms, difference {difference * 1000:.1f} ms"
    )
    assert difference < ALLOWED_DIFFERENCE_SECONDS
    assert smtp_server.received_for("niemand@example.org") == []


def test_the_reset_mail_still_arrives_with_a_link_to_the_site(
    committed_personas: Personas, smtp_server: SlowSmtpServer
) -> None:
    address = committed_personas.worker.email

    _timed_reset(address)
    _timed_reset("niemand@example.org")
    _wait_until(lambda: smtp_server.received_for(address))
    _wait_for_mail_threads()

    [body] = smtp_server.received_for(address)
    # The link is built from SITE_URL, not from the Host header of the request.
    assert "http://127.0.0.1:8000/accounts/password/reset/key/" in body.replace("=\r\n", "").replace("=\n", "")
    assert committed_personas.worker.username in body
    assert smtp_server.received_for("niemand@example.org") == []

"""The production servers as the operator starts them (the commands in
docs/security/hardening.md): real gunicorn and daphne processes on free
ports, real HTTP requests. No ``Server`` header, HSTS as configured, and an
access log that holds no query string."""

from __future__ import annotations

import http.client
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
HARDENING_DOC = REPOSITORY / "docs" / "security" / "hardening.md"
BIN = Path(sys.executable).parent
SECRET = "geheim-token-1234567890"


def _documented_command(program: str) -> list[str]:
    """The production command line for ``program`` from the hardening doc,
    with its port replaced later."""
    for line in HARDENING_DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{program} "):
            return shlex.split(line.split("#", 1)[0])
    raise AssertionError(f"no {program} command in {HARDENING_DOC.name}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _with_port(command: list[str], port: int) -> list[str]:
    result = []
    for argument in command:
        argument = re.sub(r"^127\.0\.0\.1:\d+$", f"127.0.0.1:{port}", argument)
        result.append(argument)
    if "-p" in result:
        result[result.index("-p") + 1] = str(port)
    if "-w" in result:  # one worker is enough to answer, and starts faster
        result[result.index("-w") + 1] = "1"
    return result


@contextmanager
def _server(program: str, tmp_path: Path, **environment: str) -> Iterator[tuple[int, Path]]:
    port = _free_port()
    command = _with_port(_documented_command(program), port)
    command[0] = str(BIN / program)
    log = tmp_path / f"{program}.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samenspraak.settings",
        "DJANGO_SECRET_KEY": "test-only-secret-key-for-the-server-tests",
        "DJANGO_DEBUG": "0",
        "SQLITE_PATH": str(tmp_path / "unused.sqlite3"),
        # Each test server its own: the default control socket is one path per user.
        "GUNICORN_CMD_ARGS": "--no-control-socket",
        **environment,
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            command, cwd=REPOSITORY, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise AssertionError(log.read_text()) from None
                    time.sleep(0.2)
            yield port, log
        finally:
            process.terminate()
            process.wait(timeout=15)


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _wait_for(log: Path, text: str) -> str:
    deadline = time.monotonic() + 10
    while text not in (content := log.read_text()):
        if time.monotonic() > deadline:
            raise AssertionError(content)
        time.sleep(0.1)
    return content


@pytest.mark.parametrize("program", ["gunicorn", "daphne"])
def test_the_servers_do_not_name_themselves(tmp_path: Path, program: str) -> None:
    with _server(program, tmp_path) as (port, _log):
        response = _get(port, "/accounts/login/")
    assert response.status == 200
    assert response.getheader("Server") is None
    assert response.getheader("X-Frame-Options") == "DENY"  # it is our application answering


def test_gunicorn_access_log_has_the_path_but_no_query_string_or_referer(tmp_path: Path) -> None:
    with _server("gunicorn", tmp_path) as (port, log):
        _get(port, f"/uitnodiging/?code={SECRET}", {"Referer": f"http://127.0.0.1/uitnodiging/?code={SECRET}x"})
        content = _wait_for(log, '"GET /uitnodiging/ HTTP/1.1"')
    assert SECRET not in content


def test_hsts_carries_subdomains_and_preload_when_configured(tmp_path: Path) -> None:
    hsts = {"SECURE_HSTS_SECONDS": "31536000", "BEHIND_PROXY": "1"}
    with _server("gunicorn", tmp_path, **hsts) as (port, _log):
        plain = _get(port, "/accounts/login/", {"X-Forwarded-Proto": "https"})
    options = {"SECURE_HSTS_INCLUDE_SUBDOMAINS": "1", "SECURE_HSTS_PRELOAD": "1"}
    with _server("gunicorn", tmp_path, **hsts, **options) as (port, _log):
        full = _get(port, "/accounts/login/", {"X-Forwarded-Proto": "https"})
    assert plain.getheader("Strict-Transport-Security") == "max-age=31536000"
    assert full.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"

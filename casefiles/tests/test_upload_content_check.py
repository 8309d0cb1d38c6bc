"""The upload check against a generated corpus of hostile files: PDFs with
scripts and actions however they are hidden, office files with macros,
embedded objects or outside links, zip bombs that lie about their size,
OpenDocument macros; and the virus scanner (a real clamd) for what only a
scanner can tell, including a clamd that cannot be reached."""

from __future__ import annotations

import os
import socket
import threading
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from casefiles.tests.files import pdf_bytes, upload
from casefiles.tests.hostile.corpus import (
    BENIGN,
    EMBEDDED,
    HOSTILE,
    UNPACKED_TOO_BIG,
    VIRUS,
    docx,
    eicar,
    hostile_file,
)
from casefiles.uploads import UploadRefused, clamav_scan, upload_check

UNAVAILABLE = "We kunnen het bestand nu niet controleren, probeer het later opnieuw."
CHECKED_HERE = sorted(name for name, hostile in HOSTILE.items() if not hostile.needs_clamd)
SCANNER_ONLY = sorted(name for name, hostile in HOSTILE.items() if hostile.needs_clamd)


@pytest.fixture
def without_clamd(settings: Any) -> None:
    settings.CLAMAV_SOCKET = ""


@pytest.fixture
def clamd(settings: Any) -> str:
    """The real clamd that CI starts (scripts/start-clamd-for-tests)."""
    address = os.environ.get("CLAMAV_SOCKET", "")
    if not address:
        pytest.skip("no clamd here: CLAMAV_SOCKET is unset (CI always starts one)")
    settings.CLAMAV_SOCKET = address
    return address


def refusal(content: bytes) -> str:
    with pytest.raises(UploadRefused) as refused:
        upload_check(upload("bestand", content))
    return str(refused.value)


# --- Refused by the content check itself -------------------------------------------


@pytest.mark.usefixtures("without_clamd")
@pytest.mark.parametrize("name", CHECKED_HERE)
def test_a_hostile_file_is_refused_with_a_plain_message(name: str) -> None:
    assert refusal(hostile_file(name)).startswith(HOSTILE[name].message)


@pytest.mark.usefixtures("without_clamd")
@pytest.mark.parametrize("name", sorted(BENIGN))
def test_an_ordinary_file_is_accepted(name: str) -> None:
    build, content_type = BENIGN[name]
    content = build()

    checked = upload_check(upload("bestand", content))

    assert checked.content_type == content_type
    if content_type != "image/png":  # images are re-encoded, the rest is stored as sent
        assert checked.content == content


@pytest.mark.usefixtures("without_clamd")
def test_limits_on_unpacking_come_from_the_settings(settings: Any) -> None:
    content = docx(extra={f"word/media/m{number}.xml": "<a/>" for number in range(5)})
    assert upload_check(upload("brief.docx", content))

    settings.UPLOAD_MAX_MEMBERS = 5
    assert refusal(content).startswith(UNPACKED_TOO_BIG)
    settings.UPLOAD_MAX_MEMBERS = 1000
    settings.UPLOAD_MAX_MEMBER_BYTES = 200
    assert refusal(content).startswith(UNPACKED_TOO_BIG)
    settings.UPLOAD_MAX_MEMBER_BYTES = 10_000
    settings.UPLOAD_MAX_UNZIPPED_BYTES = 800
    assert refusal(content).startswith(UNPACKED_TOO_BIG)


@pytest.mark.usefixtures("without_clamd")
def test_a_word_file_with_a_file_inside_is_refused_whatever_its_part_is_called() -> None:
    for name in ("word/media/image9.jpeg", "customXml/item9.xml", "docProps/thumbnail.emf", "x"):
        assert refusal(docx(extra={name: hostile_file("docx-vbaproject-bin")})).startswith(EMBEDDED), name


SEEDS = [
    *(hostile_file(name) for name in CHECKED_HERE if not name.startswith("zip-bomb")),
    *(build() for build, _kind in BENIGN.values()),
]


@pytest.mark.usefixtures("without_clamd")
@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    seed=st.sampled_from(SEEDS),
    position=st.floats(min_value=0, max_value=1, exclude_max=True),
    replacement=st.binary(min_size=1, max_size=16),
    cut=st.booleans(),
)
def test_a_damaged_file_is_refused_or_accepted_but_never_breaks_the_check(
    seed: bytes, position: float, replacement: bytes, cut: bool
) -> None:
    """Whatever the bytes, the check answers with a message: no crash that
    would show an error page or, worse, store the file unchecked."""
    at = int(position * len(seed))
    content = seed[:at] + replacement + (b"" if cut else seed[at + len(replacement) :])

    try:
        upload_check(upload("bestand", content))
    except UploadRefused as refused:
        assert str(refused)


# --- The virus scanner (a real clamd) ----------------------------------------------


@pytest.mark.usefixtures("without_clamd")
@pytest.mark.parametrize("name", SCANNER_ONLY)
def test_a_file_that_only_a_virus_scanner_can_tell_passes_the_content_check(name: str) -> None:
    # Which is why clamd is there: these are ordinary files but for EICAR.
    assert upload_check(upload("bestand", hostile_file(name)))


@pytest.mark.usefixtures("clamd")
@pytest.mark.parametrize("name", SCANNER_ONLY)
def test_clamd_refuses_a_file_with_a_virus(name: str) -> None:
    assert refusal(hostile_file(name)) == "In dit bestand is een virus gevonden. Het bestand is niet opgeslagen."


@pytest.mark.usefixtures("clamd")
def test_clamd_gets_the_whole_file_in_chunks() -> None:
    # Several INSTREAM chunks; the virus is in the last one.
    content = pdf_bytes() + b"%" + b"x" * (1024 * 1024) + b"\n" + eicar() + b"\n%%EOF\n"

    assert refusal(content).startswith(VIRUS)
    assert clamav_scan(content) == "Samenspraak.Test.EICAR.UNOFFICIAL"


@pytest.mark.usefixtures("clamd")
@pytest.mark.parametrize("name", sorted(BENIGN))
def test_clamd_passes_an_ordinary_file(name: str) -> None:
    build, content_type = BENIGN[name]

    assert upload_check(upload("bestand", build())).content_type == content_type


@pytest.mark.usefixtures("clamd")
def test_clamd_is_also_reached_over_tcp(settings: Any, clamd: str) -> None:
    with tcp_relay_to(clamd) as port:
        settings.CLAMAV_SOCKET = f"tcp://127.0.0.1:{port}"

        assert refusal(hostile_file("eicar-in-docx-part")).startswith(VIRUS)


def test_a_clamd_that_is_configured_but_not_there_refuses_the_upload(settings: Any, tmp_path: Any) -> None:
    for address in (str(tmp_path / "geen-clamd.sock"), f"tcp://127.0.0.1:{closed_port()}"):
        settings.CLAMAV_SOCKET = address

        assert refusal(pdf_bytes()) == UNAVAILABLE, address


def test_a_clamd_that_does_not_answer_in_time_refuses_the_upload(settings: Any) -> None:
    with listening_server(reply=None) as port:
        settings.CLAMAV_SOCKET = f"tcp://127.0.0.1:{port}"
        settings.CLAMAV_TIMEOUT_SECONDS = 1
        started = time.monotonic()

        assert refusal(pdf_bytes()) == UNAVAILABLE
        assert time.monotonic() - started < 5


def test_a_clamd_that_answers_with_an_error_refuses_the_upload(settings: Any) -> None:
    # What clamd says when a file is over its StreamMaxLength.
    with listening_server(reply=b"INSTREAM size limit exceeded. ERROR\0") as port:
        settings.CLAMAV_SOCKET = f"tcp://127.0.0.1:{port}"

        assert refusal(pdf_bytes()) == UNAVAILABLE


# --- Small real servers ------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class listening_server:
    """A TCP server on loopback that reads what it gets and then answers
    ``reply``, or never answers (``None``)."""

    def __init__(self, *, reply: bytes | None) -> None:
        self.reply = reply
        self.server = socket.create_server(("127.0.0.1", 0))
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self.server.settimeout(5)
        try:
            connection, _address = self.server.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(0.2)
            while not self.stop.is_set():
                try:
                    data = connection.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not data or data.endswith(b"\0\0\0\0"):
                    break
            if self.reply is not None:
                connection.sendall(self.reply)
            else:
                self.stop.wait(10)

    def __enter__(self) -> int:
        self.thread.start()
        return int(self.server.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.server.close()
        self.thread.join(timeout=5)


class tcp_relay_to:
    """Relay one TCP connection on loopback to clamd's unix socket."""

    def __init__(self, unix_path: str) -> None:
        self.unix_path = unix_path
        self.server = socket.create_server(("127.0.0.1", 0))
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        self.server.settimeout(5)
        try:
            client, _address = self.server.accept()
        except OSError:
            return
        with client, socket.socket(socket.AF_UNIX) as upstream:
            upstream.connect(self.unix_path)
            pump = threading.Thread(target=self._pump, args=(upstream, client), daemon=True)
            pump.start()
            self._pump(client, upstream)
            pump.join(timeout=10)

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
            target.shutdown(socket.SHUT_WR)
        except OSError:
            return

    def __enter__(self) -> int:
        self.thread.start()
        return int(self.server.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        self.server.close()
        self.thread.join(timeout=10)

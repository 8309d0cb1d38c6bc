"""Generated hostile frames on both socket protocols: never a crash.

Hypothesis writes frames — valid JSON of every shape (known frame types
with wrong field types, lists where strings belong, huge numbers, deep
nesting), raw text, and frames just over the size limits — and sends them
over one real socket to a real Daphne server. The server must answer each
with at most an error frame and keep the socket open: never close code 1011
(an exception in the consumer), never a dropped connection. At the end the
socket still does real work.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from appointments.consumers import MAX_FRAME_CHARACTERS as CALL_FRAME_LIMIT
from appointments.tests.factories import confirmed_appointment, online_group_session
from conftest import Personas
from messaging.consumers import MAX_FRAME_CHARACTERS as CHAT_FRAME_LIMIT
from messaging.tests.helpers import direct_conversation
from tests.asgi_server import AsgiServer, session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # The WebSocket client masks frames with random bytes while Hypothesis
    # generates; that is not randomness inside a strategy.
    pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning"),
]

# Per protocol; with the form tests this makes well over 10,000 generated
# inputs per CI run.
EXAMPLES = 2_000
NO_LIMITS = {"MESSAGE_RATE_LIMIT": 10_000_000, "CALL_SIGNAL_RATE_LIMIT": 10_000_000}

CHAT_TYPES = ["send", "sync", "read"]
CALL_TYPES = ["description", "candidate", "media-state", "hangup"]
GROUP_CALL_TYPES = ["description", "candidate", "media-state", "hand", "chat"]
FIELDS = ["type", "client_key", "body", "after", "sequence", "description", "candidate", "sdp", "sdpMid",
          "sdpMLineIndex", "usernameFragment", "audio", "video"]  # fmt: skip
GROUP_CALL_FIELDS = [*FIELDS, "to", "raised", "text"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=40),
    st.sampled_from(["", "0", "offer", "answer", "\x00", "\u202e", "💬"]),
    st.integers(min_value=3990, max_value=4010).map(lambda n: "x" * n),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=8)), children, max_size=5),
    ),
    max_leaves=12,
)


def _frames(types: list[str], limit: int, fields: list[str] = FIELDS) -> st.SearchStrategy[str]:
    typed = st.fixed_dictionaries(
        {"type": st.one_of(st.sampled_from(types), json_values)},
        optional={name: json_values for name in fields if name != "type"},
    ).map(json.dumps)
    nested = st.integers(min_value=1, max_value=100_000).map(lambda depth: "[" * depth + "]" * depth)
    nested_objects = st.integers(min_value=1, max_value=50_000).map(lambda depth: '{"a":' * depth + "1" + "}" * depth)
    oversized = st.sampled_from([limit - 1, limit, limit + 1]).map(
        lambda size: json.dumps({"type": types[0], "body": "x" * size})
    )
    return st.one_of(typed, json_values.map(json.dumps), st.text(max_size=200), nested, nested_objects, oversized)


def _drain(socket: ClientConnection) -> list[dict[str, Any]]:
    """Whatever the server answered so far; fails when it closed the socket."""
    answers: list[dict[str, Any]] = []
    while True:
        try:
            raw = socket.recv(timeout=0.002)
        except TimeoutError:
            return answers
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
            pytest.fail(f"the server closed the socket (code {code})")
        answers.append(json.loads(raw))


def _check(answers: list[dict[str, Any]], allowed: set[str]) -> None:
    for answer in answers:
        assert answer["type"] in allowed, answer
        if answer["type"] == "error":
            assert answer["message"], answer


def _socket_on_a_server(path: str, cookie: str) -> Iterator[ClientConnection]:
    """One signed-in socket on a real server of its own (rate limits off)."""
    server = AsgiServer(**NO_LIMITS)
    address = server.start()
    try:
        with connect(
            f"ws://{address}{path}",
            additional_headers={"Cookie": cookie, "Origin": f"http://{address}"},
            max_size=2**24,
        ) as socket:
            assert json.loads(socket.recv(timeout=5))["type"] == "hello"
            yield socket
    finally:
        server.stop()


@pytest.fixture
def chat(personas: Personas) -> Iterator[ClientConnection]:
    conversation = direct_conversation(personas.resident, personas.worker)
    yield from _socket_on_a_server(f"/ws/gesprekken/{conversation.public_id}/", session_cookie(personas.resident))


@pytest.fixture
def call(personas: Personas) -> Iterator[ClientConnection]:
    appointment = confirmed_appointment(resident=personas.resident, worker=personas.worker)
    yield from _socket_on_a_server(f"/ws/beeldbellen/{appointment.public_id}/", session_cookie(personas.resident))


@pytest.fixture
def group_call(personas: Personas) -> Iterator[ClientConnection]:
    session = online_group_session(host=personas.worker, residents=[personas.resident])
    yield from _socket_on_a_server(f"/ws/groepsbellen/{session.public_id}/", session_cookie(personas.resident))


HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_the_chat_socket_survives_generated_frames(chat: ClientConnection) -> None:
    sent = 0

    @HYPOTHESIS
    @given(frame=_frames(CHAT_TYPES, CHAT_FRAME_LIMIT))
    def send_one(frame: str) -> None:
        nonlocal sent
        chat.send(frame)
        sent += 1
        _check(_drain(chat), {"error", "ack", "messages", "message", "read", "update"})

    send_one()
    # Still a working socket: a real message is stored and acknowledged.
    chat.send(json.dumps({"type": "send", "client_key": "after-the-storm", "body": "Nog steeds hier"}))
    answers: list[dict[str, Any]] = []
    while not any(a.get("type") == "ack" and a.get("client_key") == "after-the-storm" for a in answers):
        answers.append(json.loads(chat.recv(timeout=10)))
    assert sent >= EXAMPLES


def test_the_call_socket_survives_generated_frames(call: ClientConnection) -> None:
    sent = 0

    @HYPOTHESIS
    @given(frame=_frames(CALL_TYPES, CALL_FRAME_LIMIT))
    def send_one(frame: str) -> None:
        nonlocal sent
        call.send(frame)
        sent += 1
        _check(_drain(call), {"error"})

    send_one()
    call.send("not json")
    assert json.loads(call.recv(timeout=10))["type"] == "error"
    assert sent >= EXAMPLES


def test_the_group_call_socket_survives_generated_frames(group_call: ClientConnection) -> None:
    sent = 0

    @HYPOTHESIS
    @given(frame=_frames(GROUP_CALL_TYPES, CALL_FRAME_LIMIT, GROUP_CALL_FIELDS))
    def send_one(frame: str) -> None:
        nonlocal sent
        group_call.send(frame)
        sent += 1
        _check(_drain(group_call), {"error"})

    send_one()
    group_call.send("not json")
    assert json.loads(group_call.recv(timeout=10))["type"] == "error"
    assert sent >= EXAMPLES

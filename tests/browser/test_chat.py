"""A resident and their worker chat in two real browsers, in real time.

pytest-django's live server speaks WSGI only, so these tests run against
a real Daphne ASGI server in a child process (``tests/asgi_server.py``):
it serves the pages and the WebSockets, with the real channel layer
(in memory, or Redis with ``REDIS_URL``). The child reads the same test
database, so the tests use a transactional database (the ``personas``
fixture of the browser conftest) and everything they set up is committed.

Each person has a browser context of their own: separate cookies, like two
people on two devices.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from blend.services import channel_consent_set
from conftest import Personas
from messaging.models import Conversation, Message
from messaging.services import conversation_direct_open
from organisations.demo import DEMO_PASSWORD
from tests.asgi_server import AsgiServer
from tests.browser.helpers import check_page, pass_totp_step, sign_in_with_password, sign_out

CONNECTED = "Verbonden: nieuwe berichten verschijnen vanzelf."
OFFLINE = "Geen live verbinding. De pagina kijkt elke paar seconden of er iets nieuw is."
LINK_WARNING = "Let op: dit bericht bevat een link. Klik alleen als u zeker weet van wie hij komt."
# A worker is not told to keep their own DigiD code to themselves.
STAFF_CODE_WARNING = "Let op: in dit bericht staat iets over een code, wachtwoord of bankgegevens."
CONVERSATION_URL = re.compile(r"/berichten/[0-9a-f-]{36}/(#.*)?$")
# chat.js polls every 5 seconds when the socket is down; allow a few rounds.
POLL_WAIT_MS = 20_000

NewContext = Callable[..., BrowserContext]


@pytest.fixture
def chat_site(personas: Personas) -> Iterator[str]:
    """A real ASGI server (pages and WebSockets) for this test only."""
    server = AsgiServer()
    address = server.start()
    try:
        yield f"http://{address}"
    finally:
        server.stop()


def _chat_on(personas: Personas) -> None:
    """Chat is possible only when the resident has said yes to it."""
    channel_consent_set(resident=personas.resident, channel="chat", is_given=True, recorded_by=personas.resident)


def _page(new_context: NewContext, **context_args: Any) -> Page:
    page = new_context(**context_args).new_page()
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


def _resident_opens_chat(page: Page, site: str, personas: Personas, *, name: str) -> None:
    """Sign in with a password and follow the button on the start page."""
    sign_in_with_password(page, site, username=personas.resident.username, name=name)
    page.wait_for_url("**/mijn/")
    page.get_by_role("link", name="Bericht aan mijn sociaal werker").click()
    page.wait_for_url(CONVERSATION_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw sociaal werker")


def _worker_opens_chat(page: Page, site: str, personas: Personas, *, name: str) -> None:
    """Password and TOTP, then the resident's dossier and its "Chat" button."""
    sign_in_with_password(page, site, username=personas.worker.username, name=name)
    pass_totp_step(page, name=name, username=personas.worker.username)
    page.wait_for_url("**/werk/**")  # the staff home (Vandaag)
    page.goto(f"{site}/werk/inwoners/{personas.resident.public_id}/dossier/")
    page.get_by_role("button", name="Chat", exact=True).click()
    page.wait_for_url(CONVERSATION_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(personas.resident.full_name)


def _send(page: Page, text: str) -> None:
    page.get_by_label("Uw bericht").fill(text)
    page.get_by_role("button", name="Versturen").click()


def _message(page: Page, text: str) -> Any:
    return page.locator("#chat .chat-message", has_text=text)


def _mark_loaded(page: Page) -> None:
    """A flag that only this loaded document has: if the page reloads or
    navigates, the flag is gone."""
    page.evaluate("window.__notReloaded = true")


def _assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"


def _stored(personas: Personas) -> list[tuple[str, int]]:
    conversation = Conversation.objects.get(kind=Conversation.Kind.DIRECT, resident=personas.resident)
    return list(Message.objects.filter(conversation=conversation).order_by("sequence").values_list("body", "author_id"))


def test_resident_and_worker_chat_in_real_time(new_context: NewContext, chat_site: str, personas: Personas) -> None:
    worker = _page(new_context)
    resident = _page(new_context)

    # Without the resident's yes there is no chat: the worker is told so.
    sign_in_with_password(worker, chat_site, username=personas.worker.username, name="chat-worker")
    pass_totp_step(worker, name="chat-worker", username=personas.worker.username)
    worker.wait_for_url("**/werk/**")  # the staff home (Vandaag)
    worker.goto(f"{chat_site}/werk/inwoners/{personas.resident.public_id}/dossier/")
    worker.get_by_role("button", name="Chat", exact=True).click()
    expect(worker.get_by_text("Chat staat uit.")).to_be_visible()
    assert not Conversation.objects.filter(resident=personas.resident).exists()

    _chat_on(personas)
    worker.get_by_role("button", name="Chat", exact=True).click()
    worker.wait_for_url(CONVERSATION_URL)
    expect(worker.get_by_role("heading", level=1)).to_have_text(personas.resident.full_name)
    expect(worker.locator("#laatste")).to_have_text(CONNECTED)

    _resident_opens_chat(resident, chat_site, personas, name="chat-resident")
    assert resident.url.split("#")[0] == worker.url.split("#")[0], "not the same conversation"
    expect(resident.locator("#laatste")).to_have_text(CONNECTED)
    expect(resident.get_by_text("Nog geen berichten. Schrijf het eerste bericht.")).to_be_visible()
    _mark_loaded(resident)
    _mark_loaded(worker)

    question = "Hallo Sanne, mag ik morgen om 10 uur langskomen?"
    _send(resident, question)
    expect(_message(worker, question)).to_be_visible()  # no reload: it arrives over the socket
    expect(_message(resident, question)).to_be_visible()
    expect(resident.get_by_label("Uw bericht")).to_have_value("")

    answer = "Goedemorgen! Ja, 10 uur is goed. Tot morgen."
    _send(worker, answer)
    expect(_message(resident, answer)).to_be_visible()
    expect(_message(worker, answer)).to_be_visible()

    _assert_not_reloaded(resident)
    _assert_not_reloaded(worker)
    # A human behind every answer: each message shows who wrote it.
    for page in (resident, worker):
        expect(_message(page, question).locator(".chat-meta strong")).to_have_text(personas.resident.full_name)
        expect(_message(page, answer).locator(".chat-meta strong")).to_have_text(personas.worker.full_name)
        expect(page.locator("#chat .chat-message")).to_have_count(2)
    expect(_message(resident, question)).to_have_class(re.compile(r"\bmine\b"))
    expect(_message(worker, answer)).to_have_class(re.compile(r"\bmine\b"))
    check_page(resident, "chat-resident-conversation")
    check_page(worker, "chat-worker-conversation")

    # Stored once each, in order, by the right person.
    assert _stored(personas) == [(question, personas.resident.pk), (answer, personas.worker.pk)]

    expect(resident.locator("#chat .chat-warning")).to_have_count(0)

    # After a reload the server renders the same two messages, with names
    # and times written the same way as chat.js wrote them.
    live_times = resident.locator("#chat .chat-meta time").all_inner_texts()
    resident.reload()
    expect(resident.locator("#chat .chat-message")).to_have_count(2)
    expect(_message(resident, answer).locator(".chat-meta strong")).to_have_text(personas.worker.full_name)
    assert resident.locator("#chat .chat-meta time").all_inner_texts() == live_times
    expect(resident.locator("#laatste")).to_have_text(CONNECTED)
    assert _stored(personas) == [(question, personas.resident.pk), (answer, personas.worker.pk)]


def test_a_link_or_digid_in_a_message_warns_the_other_person(
    new_context: NewContext, chat_site: str, personas: Personas
) -> None:
    _chat_on(personas)
    worker = _page(new_context)
    resident = _page(new_context)
    _worker_opens_chat(worker, chat_site, personas, name="chat-warning-worker")
    _resident_opens_chat(resident, chat_site, personas, name="chat-warning-resident")
    expect(worker.locator("#laatste")).to_have_text(CONNECTED)
    expect(resident.locator("#laatste")).to_have_text(CONNECTED)

    with_code = "Moet ik mijn DigiD-code aan u geven?"
    _send(resident, with_code)
    expect(_message(worker, with_code)).to_be_visible()
    with_link = "Kijk eens op https://www.voorbeeld.nl/afspraak voor de tijden."
    _send(worker, with_link)
    expect(_message(resident, with_link)).to_be_visible()

    def assert_warnings() -> None:
        expect(_message(worker, with_code).locator(".chat-warning")).to_contain_text(STAFF_CODE_WARNING)
        expect(_message(resident, with_link).locator(".chat-warning")).to_have_text(LINK_WARNING)
        # The writer does not get a warning about their own message.
        expect(_message(resident, with_code).locator(".chat-warning")).to_have_count(0)
        expect(_message(worker, with_link).locator(".chat-warning")).to_have_count(0)

    # Shown at once on a message that arrives live (chat.js) ...
    assert_warnings()
    check_page(worker, "chat-warning-worker-live")
    # ... and made by the server when the page loads.
    worker.reload()
    resident.reload()
    assert_warnings()
    check_page(worker, "chat-warning-worker-conversation")
    check_page(resident, "chat-warning-resident-conversation")


def _check_page_as_without_javascript(new_context: NewContext, page: Page, name: str) -> None:
    """check_page for a page open in a context without JavaScript.

    axe runs inside the page and needs JavaScript (in a context without it
    axe.run never finishes), so the same address is opened in a second
    context with the same cookies, where chat.js, the only script of the
    site, is blocked: that gives the DOM a browser without JavaScript gets.
    """
    checker_context = new_context(storage_state=page.context.storage_state())
    checker_context.route("**/static/js/**", lambda route: route.abort())
    checker = checker_context.new_page()
    checker.goto(page.url)
    check_page(checker, name)
    checker_context.close()


def test_without_javascript_the_resident_sends_with_the_plain_form(
    new_context: NewContext, chat_site: str, personas: Personas
) -> None:
    _chat_on(personas)
    resident = _page(new_context, java_script_enabled=False)
    # sign_in_with_password runs axe on the login page, which cannot run
    # here; the login page is checked by the other tests.
    resident.goto(f"{chat_site}/accounts/login/")
    resident.get_by_label("Gebruikersnaam of e-mailadres").fill(personas.resident.username)
    resident.get_by_label("Wachtwoord", exact=True).fill(DEMO_PASSWORD)
    resident.get_by_role("button", name="Inloggen", exact=True).click()
    resident.wait_for_url("**/mijn/")
    resident.get_by_role("link", name="Bericht aan mijn sociaal werker").click()
    resident.wait_for_url("**/mijn/chat/")
    _check_page_as_without_javascript(new_context, resident, "chat-nojs-start")
    resident.get_by_role("button", name="Gesprek beginnen").click()
    resident.wait_for_url(CONVERSATION_URL)
    # No script: no live status, just the form.
    expect(resident.locator("#laatste")).to_have_text("")

    text = "Ik heb geen JavaScript aan staan. Komt dit bericht toch aan?"
    _send(resident, text)
    resident.wait_for_url(CONVERSATION_URL)  # a plain post and a new page
    expect(_message(resident, text)).to_be_visible()
    expect(_message(resident, text).locator(".chat-meta strong")).to_have_text(personas.resident.full_name)
    expect(resident.get_by_label("Uw bericht")).to_have_value("")
    assert _stored(personas) == [(text, personas.resident.pk)]
    _check_page_as_without_javascript(new_context, resident, "chat-nojs-conversation")

    # An empty message is refused with a clear message, and nothing is stored.
    _send(resident, "   ")
    resident.wait_for_url(CONVERSATION_URL)
    expect(resident.get_by_text("Uw bericht is leeg. Typ eerst iets.")).to_be_visible()
    assert _stored(personas) == [(text, personas.resident.pk)]


def test_without_a_socket_the_page_polls_and_posts(new_context: NewContext, chat_site: str, personas: Personas) -> None:
    _chat_on(personas)
    # The resident's network lets no WebSocket through. page.route() does
    # not see WebSockets, and removing window.WebSocket would make chat.js
    # step aside for the plain form (test above). Pointing the socket at a
    # closed port does not work either: the site's CSP (connect-src 'self')
    # blocks that address before any connection is tried. So Playwright's
    # route_web_socket takes every socket of this context and closes it at
    # once, before it opens, each time chat.js tries again: the page sees a
    # socket that cannot connect and must poll and send by fetch.
    resident_context = new_context()
    resident_context.route_web_socket(re.compile(r"/ws/"), lambda socket: socket.close(code=1011, reason="blocked"))
    resident = resident_context.new_page()
    resident.set_default_timeout(10_000)
    resident.set_default_navigation_timeout(15_000)
    worker = _page(new_context)

    _worker_opens_chat(worker, chat_site, personas, name="chat-offline-worker")
    expect(worker.locator("#laatste")).to_have_text(CONNECTED)
    _resident_opens_chat(resident, chat_site, personas, name="chat-offline-resident")
    expect(resident.locator("#laatste")).to_have_text(OFFLINE)
    _mark_loaded(resident)

    # Sent by a form post through fetch; the worker's socket still hears it.
    question = "Mijn internet doet raar. Ziet u dit bericht?"
    with resident.expect_response(lambda r: r.url.endswith("/sturen/") and r.request.method == "POST") as sent:
        _send(resident, question)
    assert sent.value.status == 200 and sent.value.json()["type"] == "ack"
    expect(_message(resident, question)).to_be_visible()
    expect(_message(worker, question)).to_be_visible()
    expect(_message(worker, question).locator(".chat-meta strong")).to_have_text(personas.resident.full_name)

    # The answer reaches the resident by polling.
    answer = "Ja, ik zie het. Uw bericht is aangekomen."
    with resident.expect_response(lambda r: "/sinds/?na=" in r.url, timeout=POLL_WAIT_MS):  # it polls
        _send(worker, answer)
    expect(_message(resident, answer)).to_be_visible(timeout=POLL_WAIT_MS)
    expect(_message(resident, answer).locator(".chat-meta strong")).to_have_text(personas.worker.full_name)
    expect(resident.locator("#laatste")).to_have_text(OFFLINE)
    _assert_not_reloaded(resident)
    check_page(resident, "chat-offline-resident-conversation")

    assert _stored(personas) == [(question, personas.resident.pk), (answer, personas.worker.pk)]


ENDED = "De live verbinding is gestopt: u bent uitgelogd of hebt geen toegang meer tot dit gesprek."


def test_signing_out_in_another_tab_stops_the_chat_and_says_so(
    new_context: NewContext, chat_site: str, personas: Personas
) -> None:
    _chat_on(personas)
    conversation_direct_open(resident=personas.resident, opened_by=personas.worker)
    context = new_context()
    chat = context.new_page()
    chat.set_default_timeout(10_000)
    _resident_opens_chat(chat, chat_site, personas, name="chat-ended-resident")
    expect(chat.locator("#laatste")).to_have_text(CONNECTED)
    _mark_loaded(chat)

    # The same person, the same browser, another tab: sign out there.
    other_tab = context.new_page()
    other_tab.goto(f"{chat_site}/mijn/")
    sign_out(other_tab, "chat-ended-signed-out")

    # The chat tab hears it at once, says so in words, offers a reload and
    # does not keep trying (no polling, no reconnect).
    expect(chat.get_by_role("alert")).to_contain_text("U hebt geen toegang meer tot dit gesprek, of u bent uitgelogd.")
    expect(chat.locator("#laatste")).to_have_text(ENDED)
    expect(chat.get_by_role("link", name="Pagina opnieuw laden")).to_be_visible()
    _assert_not_reloaded(chat)
    check_page(chat, "chat-ended")
    chat.get_by_role("link", name="Pagina opnieuw laden").click()
    chat.wait_for_url("**/accounts/login/**")

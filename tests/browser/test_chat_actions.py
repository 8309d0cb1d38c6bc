"""A message that arrives over the socket comes with the same actions as
after a reload: the author's own message can be changed (within the edit
window) and deleted, and "read by" appears under it when the other person
reads it, all without a reload."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import BrowserContext, expect

from conftest import Personas
from messaging.models import Message
from tests.browser.helpers import check_page, sign_in_staff
from tests.browser.test_chat import (
    CONNECTED,
    CONVERSATION_URL,
    _chat_on,
    _message,
    _page,
    _resident_opens_chat,
    _send,
    chat_site,
)

__all__ = ["chat_site"]

NewContext = Callable[..., BrowserContext]


def test_live_messages_carry_their_actions_and_read_receipts(
    new_context: NewContext, chat_site: str, personas: Personas
) -> None:
    _chat_on(personas)
    worker = _page(new_context)
    resident = _page(new_context)
    sign_in_staff(worker, chat_site, username=personas.worker.username, name="actions-worker")
    # The case file links to the chat; the chat links back to the case file.
    worker.goto(f"{chat_site}/werk/inwoners/{personas.resident.public_id}/dossier/")
    worker.get_by_role("button", name="Chat", exact=True).click()
    worker.wait_for_url(CONVERSATION_URL)
    expect(worker.get_by_role("link", name=f"Dossier van {personas.resident.full_name}")).to_be_visible()
    _resident_opens_chat(resident, chat_site, personas, name="actions-resident")
    for page in (worker, resident):
        expect(page.locator("#laatste")).to_have_text(CONNECTED)
        page.evaluate("window.__notReloaded = true")

    question = "Kan ik mijn afspraak van dinsdag verzetten?"
    _send(resident, question)
    mine = _message(resident, question)
    # The resident's own message: change and delete, at once.
    expect(mine.get_by_role("link", name="Wijzigen")).to_be_visible()
    expect(mine.get_by_role("button", name="Verwijderen")).to_be_visible()
    # The worker reads it (the page is open and visible): the resident sees so.
    arrived = _message(worker, question)
    expect(arrived).to_be_visible()
    expect(arrived.get_by_role("link", name="Wijzigen")).to_have_count(0)
    expect(arrived.get_by_role("button", name="Verwijderen")).to_have_count(0)
    expect(mine.locator(".chat-read")).to_have_text(f"Gelezen door {personas.worker.full_name}")

    answer = "Ja hoor, dat kan. Welke dag past beter?"
    _send(worker, answer)
    own = _message(worker, answer)
    expect(own.get_by_role("link", name="Wijzigen")).to_be_visible()
    expect(_message(resident, answer)).to_be_visible()
    expect(_message(resident, answer).get_by_role("link", name="Wijzigen")).to_have_count(0)
    expect(own.locator(".chat-read")).to_have_text(f"Gelezen door {personas.resident.full_name}")
    for page in (worker, resident):
        assert page.evaluate("window.__notReloaded === true"), "the page was reloaded"
    check_page(worker, "actions-worker-live")
    check_page(resident, "actions-resident-live")

    # The actions of a live message work: the link opens this message.
    stored = Message.objects.get(body=answer)
    expect(own.get_by_role("link", name="Wijzigen")).to_have_attribute(
        "href", f"/berichten/bericht/{stored.public_id}/wijzigen/"
    )
    # Deleting the live message: the other person sees it go at once.
    mine.get_by_role("button", name="Verwijderen").click()
    resident.wait_for_url(re.compile(r"/berichten/[0-9a-f-]{36}/$"))
    expect(_message(worker, "Dit bericht is verwijderd.")).to_be_visible()
    expect(resident.get_by_text("Uw bericht is verwijderd.")).to_be_visible()
    assert Message.objects.get(body=question).deleted_at is not None

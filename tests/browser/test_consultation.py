"""The chat consultation hour in two real browsers: a visitor without an
account and the worker on duty, against a real Daphne server (pages and
sockets, see ``tests/browser/test_chat.py``).

The worker's queue shows a new visitor and their question without a
reload; after the worker closes the chat, the visitor keeps reading the
answer, can save or print it, and ends on the next steps."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import time

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from conftest import Personas
from messaging.consultation import hour_add
from messaging.models import ConsultationVisit
from tests.asgi_server import AsgiServer
from tests.browser.helpers import check_page, sign_in_staff

NewContext = Callable[..., BrowserContext]
QUESTION = "Ik krijg een brief van de <belasting> en snap hem niet"
ANSWER = "Bel ons morgen om 10 uur, dan kijken we samen naar de brief."
CONVERSATION_URL = re.compile(r"/berichten/[0-9a-f-]{36}/(#.*)?$")


@pytest.fixture
def consultation_site(personas: Personas) -> Iterator[str]:
    """The consultation hour is open all day today, Sanne on duty."""
    hour_add(
        organisation_id=personas.organisation.pk,
        weekday=timezone.localtime().weekday(),
        starts_at=time(0, 0),
        ends_at=time(23, 59, 59),
        on_duty=[personas.worker],
    )
    server = AsgiServer()
    address = server.start()
    try:
        yield f"http://{address}"
    finally:
        server.stop()


def _page(new_context: NewContext) -> Page:
    page = new_context().new_page()
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(15_000)
    return page


def test_the_visitor_keeps_the_answer_after_the_worker_closes(
    new_context: NewContext, consultation_site: str, personas: Personas
) -> None:
    worker = _page(new_context)
    visitor = _page(new_context)

    # The worker on duty opens the queue: nobody yet.
    sign_in_staff(worker, consultation_site, username=personas.worker.username, name="consultation-worker")
    worker.goto(f"{consultation_site}/werk/spreekuur/")
    expect(worker.get_by_role("heading", name="0 bezoekers wachten")).to_be_visible()
    worker.evaluate("window.__notReloaded = true")

    # A visitor finds the consultation hour from the sign-in page.
    visitor.goto(f"{consultation_site}/accounts/login/")
    visitor.get_by_role("link", name="Geen account? Stel uw vraag in het chatspreekuur").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Chatspreekuur")
    check_page(visitor, "consultation-index")
    visitor.get_by_role("link", name=f"Chatspreekuur van {personas.organisation.name}").click()
    visitor.get_by_label("Hoe mogen we u noemen? (niet verplicht)").fill("Ans")
    visitor.get_by_role("button", name="In de rij voor de chat").click()
    expect(visitor.get_by_text("U bent de eerste in de rij.")).to_be_visible()
    visitor.get_by_label("Uw bericht").fill(QUESTION)
    visitor.get_by_role("button", name="Versturen").click()
    expect(visitor.locator("#chat .chat-message", has_text=QUESTION)).to_be_visible()

    # The worker's queue shows Ans and her question, escaped, without a reload.
    expect(worker.get_by_role("heading", name="1 bezoeker wacht")).to_be_visible()
    expect(worker.locator("#wachtrij .queue-question")).to_contain_text(QUESTION)
    assert worker.evaluate("window.__notReloaded === true"), "the queue page was reloaded"
    check_page(worker, "consultation-queue-live")

    worker.get_by_role("button", name="Ans helpen").click()
    worker.wait_for_url(CONVERSATION_URL)
    expect(worker.get_by_role("heading", level=1)).to_have_text("Chatspreekuur: Ans")
    expect(worker.get_by_text(QUESTION).first).to_be_visible()
    check_page(worker, "consultation-worker-chat")
    worker.get_by_label("Uw bericht").fill(ANSWER)
    worker.get_by_role("button", name="Versturen").click()
    expect(visitor.locator("#chat .chat-message", has_text=ANSWER)).to_be_visible()

    # The worker closes from inside the chat; the visitor's page turns
    # read-only by itself and keeps the whole conversation.
    worker.get_by_role("button", name="Gesprek sluiten").click()
    worker.wait_for_url("**/werk/spreekuur/")
    expect(visitor.get_by_text("De medewerker heeft het gesprek gesloten.")).to_be_visible()
    expect(visitor.locator(".chat-message", has_text=QUESTION)).to_be_visible()
    expect(visitor.locator(".chat-message", has_text=ANSWER)).to_be_visible()
    expect(visitor.get_by_label("Uw bericht")).to_have_count(0)
    expect(visitor.get_by_role("button", name="Afdrukken")).to_be_visible()
    check_page(visitor, "consultation-closed")

    # Printing shows only the conversation.
    visitor.emulate_media(media="print")
    expect(visitor.locator(".site-header")).to_be_hidden()
    expect(visitor.get_by_role("button", name="Afdrukken")).to_be_hidden()
    expect(visitor.locator(".chat-message", has_text=ANSWER)).to_be_visible()
    visitor.emulate_media(media="screen")

    # Saving gives a file with the answer in it.
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="Opslaan als tekstbestand").click()
    saved = download_info.value.path().read_text(encoding="utf-8")
    assert ANSWER in saved
    assert QUESTION in saved

    # Done: the next steps, with phone, locations and hours.
    visitor.get_by_role("button", name="Klaar: naar wat ik nu kan doen").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Hoe nu verder?")
    expect(visitor.get_by_role("link", name=personas.organisation.phone)).to_be_visible()
    expect(visitor.get_by_text(personas.demo.location.name)).to_be_visible()
    check_page(visitor, "consultation-next-steps")
    visitor.goto(f"{consultation_site}/spreekuur/bezoek/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Het gesprek is gestopt")
    assert ConsultationVisit.objects.get().status == ConsultationVisit.Status.CLOSED

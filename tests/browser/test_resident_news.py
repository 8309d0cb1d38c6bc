"""A resident without e-mail hears what is new on their home page: after
the worker sends a message, confirms an appointment, answers a correction
request, shares a document and adds a step, the resident's overview lists
each with one link; after the visit the news count is zero."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from playwright.sync_api import Page, expect

from blend.selectors import resident_has_no_email
from conftest import Personas
from pages.news import news_count
from pages.tests.news_scenario import expected_news, worker_acts
from samenspraak.attention import attention_counts
from tests.browser.helpers import check_page, goto, sign_in_with_password


def _worker_acts(personas: Personas) -> None:
    try:
        worker_acts(personas)
    finally:
        connection.close()


def test_a_resident_without_email_sees_each_kind_of_news_on_the_home_page(
    page: Page, site: str, personas: Personas
) -> None:
    personas.resident.email = ""
    personas.resident.save(update_fields=["email"])
    sign_in_with_password(page, site, username=personas.resident.username, name="news-resident")
    page.wait_for_url("**/mijn/")
    news = page.get_by_role("region", name="Nieuw sinds uw vorige bezoek")
    expect(news).to_contain_text("Er is niets nieuws sinds uw vorige bezoek.")

    # The worker's actions, in a thread of their own: the services tell open
    # pages after commit, which cannot run inside Playwright's event loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_worker_acts, personas).result()
    assert resident_has_no_email(resident=personas.resident)
    assert news_count(personas.resident) == 9

    goto(page, f"{site}/mijn/", "news-resident-home")
    for text in expected_news(personas):
        expect(news.get_by_role("link", name=text)).to_be_visible()
    expect(news.get_by_role("listitem")).to_have_count(9)
    assert news_count(personas.resident) == 0
    assert attention_counts(personas.resident)["news"] == 0

    # Each item leads to its object: the message to the chat.
    news.get_by_role("link", name="U hebt 1 nieuw bericht van uw sociaal werker").click()
    page.wait_for_url("**/berichten/*/")
    expect(page.get_by_text("Tot dinsdag!")).to_be_visible()
    check_page(page, "news-resident-chat")

    # Back on the overview within the same visit the news is still there,
    # except the message: it has been read now.
    goto(page, f"{site}/mijn/", "news-resident-home-again")
    expect(news.get_by_role("listitem")).to_have_count(8)
    expect(news.get_by_role("link", name="nieuw bericht")).to_have_count(0)
    expect(news.get_by_role("link", name=expected_news(personas)[-1])).to_be_visible()
    assert news_count(personas.resident) == 0

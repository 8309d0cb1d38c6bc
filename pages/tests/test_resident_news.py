"""The resident's home page lists what is new since their last visit, with
one link each, and the menu counts it ("news"): the main channel for a
resident without e-mail. Opening the page marks the news seen after showing
it; a reload in the same visit still shows it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casefiles import services as casefile_services
from casefiles.timeline import timeline_event_add
from conftest import Personas, client_for
from messaging.models import Conversation
from pages.models import NewsSeen
from pages.news import news_count
from pages.tests.news_scenario import expected_news, worker_acts
from samenspraak.attention import attention_counts

pytestmark = pytest.mark.django_db

HOME = "/mijn/"


def news_section(client: Client) -> str:
    html = client.get(HOME).content.decode()
    start = html.index('id="news-title"')
    return html[start : html.index("</section>", start)]


def test_the_resident_sees_each_kind_of_news_with_one_link_and_the_count_goes_to_zero(personas: Personas) -> None:
    worker_acts(personas)
    client = client_for(personas.resident)
    assert news_count(personas.resident) == 9
    assert attention_counts(personas.resident)["news"] == 9

    section = news_section(client)

    for text in expected_news(personas):
        assert text in section
    assert section.count("<li>") == section.count("<a href=") == 9
    conversation = Conversation.objects.get(resident=personas.resident)
    chat = reverse("messaging:conversation", args=[conversation.public_id])
    assert f'<a href="{chat}">U hebt 1 nieuw bericht' in section
    assert f'<a href="{reverse("casefiles:resident_casefile")}">' in section
    # What the resident did themself is no news to them.
    assert "gevraagd om iets te verbeteren" not in section
    assert "aangevraagd" not in section
    assert news_count(personas.resident) == 0
    # A reload within the same visit still shows the same news.
    assert news_section(client) == section


def test_the_next_visit_shows_only_what_is_new_since(personas: Personas) -> None:
    case = worker_acts(personas)
    client_for(personas.resident).get(HOME)
    casefile_services.agreement_add(case=case, text="We bellen elke week.", added_by=personas.worker)

    assert news_count(personas.resident) == 1
    section = news_section(client_for(personas.resident))  # a new session: a new visit

    assert f"{personas.worker.full_name} heeft een nieuwe afspraak opgeschreven" in section
    assert "document" not in section
    assert section.count("<li>") == 1


def test_nothing_new_says_so(personas: Personas) -> None:
    NewsSeen.objects.create(user=personas.resident, seen_at=timezone.now())
    assert "Er is niets nieuws sinds uw vorige bezoek." in news_section(client_for(personas.resident))


def test_internal_events_never_are_news(personas: Personas) -> None:
    case = casefile_services.case_open(resident=personas.resident, opened_by=personas.worker)
    casefile_services.note_add(case=case, body="Intern.", is_shared=False, author=personas.worker)
    section = news_section(client_for(personas.resident))
    assert "notitie" not in section
    assert "uw dossier geopend" in section


def test_staff_and_trusted_persons_have_no_news_count(personas: Personas) -> None:
    assert news_count(personas.worker) is None
    assert news_count(personas.trusted_person) is None
    assert "news" not in attention_counts(personas.worker)


def _events(personas: Personas, count: int) -> None:
    start = timezone.now() - timedelta(days=1)
    for n in range(count):
        timeline_event_add(
            resident=personas.resident,
            kind="casefiles.goal_added" if n % 2 else "casefiles.handover",
            summary="Doel",
            params={"title": f"Doel {n}"} if n % 2 else {"worker_user_id": personas.other_worker.pk},
            actor=personas.worker,
            is_shared=True,
            occurred_at=start + timedelta(minutes=n),
        )


@pytest.mark.parametrize("events", [3, 60])
def test_the_count_takes_three_queries_whatever_the_news(
    personas: Personas, events: int, django_assert_num_queries: object
) -> None:
    _events(personas, events)
    # 1 the mark, 2 the timeline's news, 3 conversations with unread messages.
    with django_assert_num_queries(3):  # type: ignore[operator]
        assert news_count(personas.resident) == events


def _home_queries(personas: Personas) -> list[str]:
    NewsSeen.objects.all().delete()  # everything is news again
    client = client_for(personas.resident)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(HOME)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_the_home_page_needs_the_same_queries_for_3_and_for_60_news_events(personas: Personas) -> None:
    _home_queries(personas)  # the access log's chain and the like exist from here on
    _events(personas, 3)
    small = _home_queries(personas)
    _events(personas, 57)
    large = _home_queries(personas)

    assert len(small) == len(large), "\n".join(large)
    # The news list (actors joined), the people named in params (one query
    # for the list), the unread messages; the menu's count: the timeline and
    # the messages again.
    assert sum("casefiles_timelineevent" in sql for sql in large) == 2
    assert sum("messaging_message" in sql for sql in large) >= 2

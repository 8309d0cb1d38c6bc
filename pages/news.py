"""The resident's news: what is new since their last visit, composed from
the case file's timeline (shared events done by someone else) and messaging
(unread messages), each item a short B1 sentence with one link.

Seeing: opening the home page shows the news, then marks it seen. The menu
count ("news", samenspraak/attention.py) is what came after that mark; the
page keeps showing what was new at the session's first look, so a reload
in the same visit does not empty the list. This is the main channel for a
resident without e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.sessions.backends.base import SessionBase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from accounts.models import Role, User
from casefiles.timeline import timeline_news, timeline_news_count
from messaging.selectors import unread_since, unread_since_count
from pages.models import NewsSeen
from samenspraak.attention import AttentionCounter, attention_changed, attention_counter_register

# Someone who never opened the home page hears about the last few weeks.
FIRST_VISIT_DAYS = 30
SESSION_KEY = "news_since"
LIMIT = 20


@dataclass(frozen=True)
class NewsItem:
    text: str
    link: str
    at: datetime


def _seen_at(user: User) -> datetime:
    seen = NewsSeen.objects.filter(user=user).values_list("seen_at", flat=True).first()
    return seen or timezone.now() - timedelta(days=FIRST_VISIT_DAYS)


def news_items(*, resident: User, since: datetime) -> list[NewsItem]:
    """Everything new since ``since``, newest first (three queries at most)."""
    items = [
        NewsItem(text=str(event.text), link=str(event.link), at=event.occurred_at)  # type: ignore[attr-defined]
        for event in timeline_news(resident=resident, since=since, limit=LIMIT)
    ]
    for row in unread_since(user=resident, since=since):
        count = row["count"]
        if row["conversation__kind"] == "direct":
            text = ngettext(
                "U hebt %(count)s nieuw bericht van uw sociaal werker",
                "U hebt %(count)s nieuwe berichten van uw sociaal werker",
                count,
            )
        else:
            text = ngettext(
                "U hebt %(count)s nieuw bericht in de groep %(title)s",
                "U hebt %(count)s nieuwe berichten in de groep %(title)s",
                count,
            )
        link = reverse("messaging:conversation", args=[row["conversation__public_id"]])
        items.append(
            NewsItem(text=text % {"count": count, "title": row["conversation__title"]}, link=link, at=row["latest"])
        )
    return sorted(items, key=lambda item: item.at, reverse=True)[:LIMIT]


def news_count(user: User) -> int | None:
    """The menu badge: news items since the resident last saw them (three
    queries, whatever the amount); None for anyone but a resident."""
    if user.role != Role.RESIDENT:
        return None
    since = _seen_at(user)
    return timeline_news_count(resident=user, since=since) + unread_since_count(user=user, since=since)


def news_visit(*, resident: User, session: SessionBase) -> list[NewsItem]:
    """The news for the home page, then marked seen. Within one session the
    list stays what it was at the first look (plus anything newer)."""
    now = timezone.now()
    stored = session.get(SESSION_KEY)
    since = datetime.fromisoformat(stored) if isinstance(stored, str) else _seen_at(resident)
    items = news_items(resident=resident, since=since)
    session[SESSION_KEY] = since.isoformat()
    NewsSeen.objects.update_or_create(user=resident, defaults={"seen_at": now})
    # Other open pages drop the badge too.
    attention_changed([resident])
    return items


def register() -> None:
    attention_counter_register(AttentionCounter("news", news_count, "pages:resident_home", 10))

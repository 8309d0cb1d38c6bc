"""How an offered survey reads on the resident's timeline and in their news
(registered in ``FeedbackConfig.ready``; see ``casefiles/timeline.py``).
The news item is the survey's only announcement besides the card on the
home page: it counts in the menu's "nieuw" like any news, never a push. The
event holds the channel only, never an answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from casefiles.timeline import timeline_kind_register, viewer_is_resident
from feedback.models import Channel

if TYPE_CHECKING:
    from accounts.models import User
    from casefiles.models import TimelineEvent

SURVEY_OFFERED = "feedback.survey_offered"


def _channel(event: TimelineEvent) -> str:
    code = (event.params or {}).get("channel", "")
    return str(Channel(code).label) if code in Channel.values else ""


def _render(event: TimelineEvent, viewer: User | None) -> str:
    if viewer_is_resident(event, viewer):
        return _("Wij hebben drie korte vragen over uw contact (%(channel)s). Invullen mag, het hoeft niet.") % {
            "channel": _channel(event)
        }
    return _("Vragen over een contact aangeboden (%(channel)s)") % {"channel": _channel(event)}


def _link(event: TimelineEvent, viewer: User | None) -> str:
    if viewer_is_resident(event, viewer) and event.object_public_id is not None:
        return reverse("feedback:survey", args=[event.object_public_id])
    return ""


def register() -> None:
    timeline_kind_register(SURVEY_OFFERED, _render, link=_link, required=("channel",), news=True)

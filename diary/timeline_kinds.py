"""How the diary's events read on the resident's timeline, per reader
(registered in ``DiaryConfig.ready``; see ``casefiles/timeline.py``). A
comment event stores only the week it is about, never the comment."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from casefiles.timeline import by_actor, timeline_kind_register, viewer_is_resident

if TYPE_CHECKING:
    from accounts.models import User
    from casefiles.models import TimelineEvent


def _week(event: TimelineEvent) -> dict[str, Any]:
    return {"week": date_format(date.fromisoformat(event.params["week_start"]), "j F Y")}


def _link(event: TimelineEvent, viewer: User | None) -> str:
    week = event.params.get("week_start", "") if event.params else ""
    # Staff open the diary from the resident's page (its access is checked
    # against consent on every read).
    return f"{reverse('diary:week')}?week={week}" if viewer_is_resident(event, viewer) else ""


def register() -> None:
    timeline_kind_register(
        "diary.comment_added",
        by_actor(
            gettext_lazy("U hebt een opmerking gegeven bij het dagboek (week van %(week)s)"),
            gettext_lazy("%(name)s heeft een opmerking gegeven bij het dagboek (week van %(week)s)"),
            gettext_lazy("Opmerking bij het dagboek (week van %(week)s)"),
            to_you=gettext_lazy("%(name)s heeft iets geschreven bij uw dagboek (week van %(week)s)"),
            values=_week,
        ),
        link=_link,
        required=("week_start",),
        news=True,
    )

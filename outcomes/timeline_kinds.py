"""How effect measurements read on the resident's timeline, per reader
(registered in ``OutcomesConfig.ready``; see ``casefiles/timeline.py``).
An event stores the instrument's name and the moment, never a score."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from casefiles.timeline import by_actor, timeline_kind_register, viewer_is_resident

if TYPE_CHECKING:
    from accounts.models import User
    from casefiles.models import TimelineEvent


def _moment(event: TimelineEvent) -> dict[str, Any]:
    from outcomes.models import Moment

    code = event.params.get("moment", "") if event.params else ""
    return {"moment": str(Moment(code).label) if code in Moment.values else code}


def _link(event: TimelineEvent, viewer: User | None) -> str:
    # Staff open the progress page from the resident's page (a link here
    # would cost a query per event for the resident's public id).
    return reverse("outcomes:resident_progress") if viewer_is_resident(event, viewer) else ""


def register() -> None:
    timeline_kind_register(
        "outcomes.measured",
        by_actor(
            gettext_lazy("U hebt %(instrument)s ingevuld (%(moment)s)"),
            gettext_lazy("%(name)s heeft %(instrument)s ingevuld (%(moment)s)"),
            gettext_lazy("%(instrument)s ingevuld (%(moment)s)"),
            values=_moment,
        ),
        link=_link,
        required=("instrument", "moment"),
    )
    timeline_kind_register(
        "outcomes.shared",
        by_actor(
            gettext_lazy("U hebt %(instrument)s (%(moment)s) gedeeld met de inwoner"),
            gettext_lazy("%(name)s heeft %(instrument)s (%(moment)s) gedeeld met de inwoner"),
            gettext_lazy("%(instrument)s (%(moment)s) gedeeld met de inwoner"),
            to_you=gettext_lazy("%(name)s laat u de uitkomst van %(instrument)s (%(moment)s) zien"),
            values=_moment,
        ),
        link=_link,
        required=("instrument", "moment"),
        news=True,
    )

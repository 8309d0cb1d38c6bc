"""How the blend plan's events read on the resident's timeline, per reader
(registered in ``BlendConfig.ready``; see ``casefiles/timeline.py``).
Consent events store the channel's code; its name is shown in the
reader's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blend.models import Channel
from casefiles.timeline import by_actor, timeline_kind_register, viewer_is_resident

if TYPE_CHECKING:
    from accounts.models import User
    from casefiles.models import TimelineEvent


def _link(event: TimelineEvent, viewer: User | None) -> str:
    if viewer_is_resident(event, viewer):
        return reverse("blend:resident_blend")
    return ""


def _consent(*, is_given: bool) -> Any:
    def render(event: TimelineEvent, viewer: User | None) -> str:
        values = {"channel": Channel(event.params["channel"]).label}
        by_resident = event.actor_id == event.resident_id
        if viewer_is_resident(event, viewer):
            if by_resident:
                text = (
                    _("U gaf toestemming voor %(channel)s")
                    if is_given
                    else _("U trok uw toestemming voor %(channel)s in")
                )
            elif is_given:
                text = _("In het gesprek gaf u toestemming voor %(channel)s (vastgelegd door uw sociaal werker)")
            else:
                text = _("In het gesprek trok u uw toestemming voor %(channel)s in (vastgelegd door uw sociaal werker)")
            return text % values
        name = event.actor.full_name if event.actor is not None else ""
        if by_resident:
            text = (
                _("%(name)s gaf toestemming voor %(channel)s")
                if is_given
                else _("%(name)s trok de toestemming voor %(channel)s in")
            )
        elif viewer is not None and event.actor_id == viewer.pk:
            text = (
                _("In het gesprek gaf de inwoner toestemming voor %(channel)s (door u vastgelegd)")
                if is_given
                else _("In het gesprek trok de inwoner de toestemming voor %(channel)s in (door u vastgelegd)")
            )
        else:
            text = (
                _("In het gesprek gaf de inwoner toestemming voor %(channel)s (vastgelegd door %(name)s)")
                if is_given
                else _("In het gesprek trok de inwoner de toestemming voor %(channel)s in (vastgelegd door %(name)s)")
            )
        return text % {**values, "name": name}

    return render


def register() -> None:
    timeline_kind_register(
        "blend.plan_saved",
        by_actor(
            gettext_lazy("U hebt de afspraken over hoe we samenwerken bijgewerkt"),
            gettext_lazy("%(name)s heeft de afspraken over hoe we samenwerken bijgewerkt"),
            gettext_lazy("Afspraken over hoe we samenwerken bijgewerkt"),
        ),
        link=_link,
        news=True,
    )
    timeline_kind_register("blend.consent_given", _consent(is_given=True), link=_link, required=("channel",))
    timeline_kind_register("blend.consent_withdrawn", _consent(is_given=False), link=_link, required=("channel",))

"""How the preparation guides' events read on the resident's timeline, per
reader (registered in ``PreparationConfig.ready``; see
``casefiles/timeline.py``). Events store the guide's title, the
preparation's id and, for a move, the documents' titles; never notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy

from casefiles.timeline import by_actor, timeline_kind_register, viewer_is_resident, viewer_is_staff

if TYPE_CHECKING:
    from accounts.models import User
    from casefiles.models import TimelineEvent


def _link(event: TimelineEvent, viewer: User | None) -> str:
    preparation = event.params.get("preparation", "") if event.params else ""
    if not preparation:
        return ""
    if viewer_is_resident(event, viewer):
        return reverse("preparation:detail", args=[preparation])
    if viewer_is_staff(viewer):
        return reverse("preparation:staff_detail", args=[preparation])
    return ""


def register() -> None:
    timeline_kind_register(
        "preparation.given",
        by_actor(
            gettext_lazy("U hebt de handleiding '%(title)s' gegeven"),
            gettext_lazy("%(name)s heeft de handleiding '%(title)s' gegeven"),
            gettext_lazy("Handleiding gegeven: %(title)s"),
            to_you=gettext_lazy("%(name)s heeft u de handleiding '%(title)s' gegeven. U vindt hem bij Voorbereiden"),
        ),
        link=_link,
        required=("title",),
        news=True,
    )
    timeline_kind_register(
        "preparation.ready",
        by_actor(
            gettext_lazy("U bent klaar met de voorbereiding '%(title)s'"),
            gettext_lazy("%(name)s is klaar met de voorbereiding '%(title)s'"),
            gettext_lazy("Voorbereiding klaar: %(title)s"),
        ),
        link=_link,
        required=("title",),
    )
    timeline_kind_register(
        "preparation.documents_moved",
        by_actor(
            gettext_lazy("U hebt documenten uit de voorbereiding '%(title)s' in het dossier gezet: %(documents)s"),
            gettext_lazy(
                "%(name)s heeft documenten uit de voorbereiding '%(title)s' in het dossier gezet: %(documents)s"
            ),
            gettext_lazy("Documenten uit de voorbereiding '%(title)s' in het dossier gezet: %(documents)s"),
            to_you=gettext_lazy(
                "%(name)s heeft uw documenten uit de voorbereiding '%(title)s' in uw dossier gezet: %(documents)s"
            ),
        ),
        link=_link,
        required=("title", "documents"),
        news=True,
    )

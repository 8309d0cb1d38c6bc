"""How chat events read on the resident's timeline, per reader (registered
in ``MessagingConfig.ready``; see ``casefiles/timeline.py``). Never what was
said: only that there was contact."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casefiles.timeline import by_actor, fixed, timeline_kind_register, viewer_is_resident

if TYPE_CHECKING:
    from accounts.models import User
    from casefiles.models import TimelineEvent


def _link(event: TimelineEvent, viewer: User | None) -> str:
    if viewer_is_resident(event, viewer):
        return reverse("messaging:resident_chat")
    if viewer is not None and event.object_public_id is not None:
        return reverse("messaging:conversation", args=[event.object_public_id])
    return ""


def register() -> None:
    timeline_kind_register(
        "messaging.conversation_opened",
        by_actor(
            _("U hebt een chatgesprek gestart"),
            _("%(name)s heeft een chatgesprek gestart"),
            _("Chatgesprek gestart"),
            to_you=_("%(name)s heeft een chatgesprek met u gestart"),
        ),
        link=_link,
    )
    timeline_kind_register("messaging.activity", fixed(_("Contact via chat")), link=_link)

"""How learning's events read on the resident's timeline, per reader
(registered in ``LearningConfig.ready``; see ``casefiles/timeline.py``).
The event stores the module's title only, never the answers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from casefiles.timeline import by_actor, timeline_kind_register


def register() -> None:
    timeline_kind_register(
        "learning.module_finished",
        by_actor(
            gettext_lazy('U hebt de module "%(title)s" afgerond'),
            gettext_lazy('%(name)s heeft de module "%(title)s" afgerond'),
            gettext_lazy('Module "%(title)s" afgerond'),
        ),
        required=("title",),
    )
    timeline_kind_register(
        "learning.training_joined",
        by_actor(
            gettext_lazy('U hebt zich aangemeld voor de training "%(title)s"'),
            gettext_lazy('Aangemeld voor de training "%(title)s" (door %(name)s)'),
            gettext_lazy('Aangemeld voor de training "%(title)s"'),
            to_you=gettext_lazy('%(name)s heeft u aangemeld voor de training "%(title)s"'),
        ),
        required=("title",),
    )

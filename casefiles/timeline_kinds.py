"""How the case file's own timeline events read, per reader (registered in
``CasefilesConfig.ready``). See ``casefiles/timeline.py``."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from casefiles.models import TimelineEvent
from casefiles.timeline import by_actor, fixed, person_name, timeline_kind_register, viewer_is_actor, viewer_is_resident


def resident_casefile_link(event: TimelineEvent, viewer: User | None) -> str:
    """The resident reads it in their own file; staff are on the file already."""
    return reverse("casefiles:resident_casefile") if viewer_is_resident(event, viewer) else ""


def _handover_worker(event: TimelineEvent) -> dict[str, Any]:
    worker = person_name(event, "worker_user_id")
    if not worker:
        raise KeyError("worker_user_id")
    return {"worker": worker}


def _handover(event: TimelineEvent, viewer: User | None) -> str:
    if viewer_is_resident(event, viewer) and not viewer_is_actor(event, viewer):
        return str(_("Uw sociaal werker is nu %(name)s")) % {"name": _handover_worker(event)["worker"]}
    return by_actor(
        _("U hebt het dossier overgedragen aan %(worker)s"),
        _("%(name)s heeft het dossier overgedragen aan %(worker)s"),
        _("Het dossier is overgedragen aan %(worker)s"),
        values=_handover_worker,
    )(event, viewer)


def _shared_or_not(shared: Any, not_shared: Any) -> Any:
    def render(event: TimelineEvent, viewer: User | None) -> str:
        return (shared if event.params.get("shared") else not_shared)(event, viewer)

    return render


def _internal_or_shared(shared: Any, internal: Any) -> Any:
    """A note written as internal says so (params ``shared`` false); old
    rows without it read as shared."""

    def render(event: TimelineEvent, viewer: User | None) -> str:
        return (internal if event.params.get("shared") is False else shared)(event, viewer)

    return render


def register() -> None:
    link = resident_casefile_link
    kinds: list[tuple[str, Any, tuple[str, ...], bool]] = [
        (
            "casefiles.case_opened",
            by_actor(
                _("U hebt het dossier geopend"),
                _("%(name)s heeft het dossier geopend"),
                _("Dossier geopend"),
                to_you=_("%(name)s heeft uw dossier geopend"),
            ),
            (),
            True,
        ),
        (
            "casefiles.case_open",
            by_actor(
                _("U hebt het dossier weer geopend"),
                _("%(name)s heeft het dossier weer geopend"),
                _("Dossier weer geopend"),
                to_you=_("%(name)s heeft uw dossier weer geopend"),
            ),
            (),
            True,
        ),
        (
            "casefiles.case_paused",
            by_actor(
                _("U hebt het dossier gepauzeerd"),
                _("%(name)s heeft het dossier gepauzeerd"),
                _("Dossier gepauzeerd"),
                to_you=_("%(name)s heeft uw dossier gepauzeerd"),
            ),
            (),
            True,
        ),
        (
            "casefiles.case_closed",
            by_actor(
                _("U hebt het dossier afgesloten"),
                _("%(name)s heeft het dossier afgesloten"),
                _("Dossier afgesloten"),
                to_you=_("%(name)s heeft uw dossier afgesloten"),
            ),
            (),
            True,
        ),
        (
            "casefiles.question_added",
            by_actor(
                _("U hebt een hulpvraag toegevoegd: %(title)s"),
                _("%(name)s heeft een hulpvraag toegevoegd: %(title)s"),
                _("Hulpvraag toegevoegd: %(title)s"),
            ),
            ("title",),
            True,
        ),
        (
            "casefiles.goal_added",
            by_actor(
                _("U hebt een doel toegevoegd: %(title)s"),
                _("%(name)s heeft een doel toegevoegd: %(title)s"),
                _("Doel toegevoegd: %(title)s"),
            ),
            ("title",),
            True,
        ),
        ("casefiles.goal_achieved", fixed(_("Doel gehaald: %(title)s")), ("title",), True),
        (
            "casefiles.step_added",
            by_actor(
                _("U hebt een stap toegevoegd bij het doel: %(goal)s"),
                _("%(name)s heeft een stap toegevoegd bij het doel: %(goal)s"),
                _("Nieuwe stap bij het doel: %(goal)s"),
            ),
            ("goal",),
            True,
        ),
        (
            "casefiles.agreement_added",
            by_actor(
                _("U hebt een nieuwe afspraak opgeschreven"),
                _("%(name)s heeft een nieuwe afspraak opgeschreven"),
                _("Nieuwe afspraak gemaakt"),
            ),
            (),
            True,
        ),
        (
            "casefiles.note_added",
            _internal_or_shared(
                by_actor(
                    _("U hebt een notitie geschreven"),
                    _("%(name)s heeft een notitie geschreven"),
                    _("Notitie geschreven"),
                ),
                by_actor(
                    _("U hebt een interne notitie geschreven"),
                    _("%(name)s heeft een interne notitie geschreven"),
                    _("Interne notitie geschreven"),
                ),
            ),
            (),
            True,
        ),
        (
            "casefiles.note_visibility",
            _shared_or_not(
                by_actor(
                    _("U hebt de notitie gedeeld met de inwoner"),
                    _("%(name)s heeft de notitie gedeeld met de inwoner"),
                    _("Gedeeld met de inwoner"),
                ),
                by_actor(
                    _("U hebt de notitie niet meer gedeeld met de inwoner"),
                    _("%(name)s heeft de notitie niet meer gedeeld met de inwoner"),
                    _("Niet meer gedeeld met de inwoner"),
                ),
            ),
            ("shared",),
            False,
        ),
        (
            "casefiles.document_visibility",
            _shared_or_not(
                by_actor(
                    _("U hebt het document gedeeld met de inwoner"),
                    _("%(name)s heeft het document gedeeld met de inwoner"),
                    _("Gedeeld met de inwoner"),
                ),
                by_actor(
                    _("U hebt het document niet meer gedeeld met de inwoner"),
                    _("%(name)s heeft het document niet meer gedeeld met de inwoner"),
                    _("Niet meer gedeeld met de inwoner"),
                ),
            ),
            ("shared",),
            False,
        ),
        (
            "casefiles.document_shared",
            by_actor(
                _("U hebt een document gedeeld: %(title)s"),
                _("%(name)s heeft een document gedeeld met de inwoner: %(title)s"),
                _("Document gedeeld: %(title)s"),
                to_you=_("%(name)s heeft een document met u gedeeld: %(title)s"),
            ),
            ("title",),
            True,
        ),
        (
            "casefiles.document_added",
            by_actor(
                _("U hebt een document toegevoegd: %(title)s"),
                _("%(name)s heeft een document toegevoegd: %(title)s"),
                _("Document toegevoegd: %(title)s"),
            ),
            ("title",),
            True,
        ),
        (
            "casefiles.comment_added",
            by_actor(_("U hebt gereageerd"), _("%(name)s heeft gereageerd"), _("Reactie van de inwoner")),
            (),
            False,
        ),
        (
            "casefiles.correction_requested",
            by_actor(
                _("U hebt gevraagd om iets te verbeteren"),
                _("%(name)s heeft gevraagd om iets te verbeteren"),
                _("Vraag om correctie gestuurd"),
            ),
            (),
            False,
        ),
        (
            "casefiles.correction_answered",
            by_actor(
                _("U hebt een vraag om correctie beantwoord"),
                _("%(name)s heeft de vraag om correctie beantwoord"),
                _("Vraag om correctie beantwoord"),
                to_you=_("%(name)s heeft uw vraag om correctie beantwoord"),
            ),
            (),
            True,
        ),
        ("casefiles.handover", _handover, ("worker_user_id",), True),
    ]
    for kind, render, required, news in kinds:
        timeline_kind_register(kind, render, link=link, required=required, news=news)

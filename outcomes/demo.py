"""Measurements for the demo resident, for ``make run``: a ZRM at intake
(two months ago, shared with the resident) and at review (last week, about
the case's first goal), the resident's own self-assessment at intake with
one face-to-face tick, and the organisation's own questionnaire
("Tevredenheid over de hulp", built by the admin) filled in by the resident
with a tick and an open answer."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import Role, User
from casefiles.selectors import case_current, goals_active
from outcomes.selectors import instrument_versions_current
from outcomes.services import (
    ItemInput,
    ScoreInput,
    measurement_record,
    measurement_share,
    measurement_sign_off,
    questionnaire_create,
    questionnaire_item_save,
    questionnaire_version_publish,
)

ZRM_INTAKE = [1, 3, 2, 3, 3, 2, 3, 4, 5, 3, 2, 2, 5]
ZRM_REVIEW = [3, 3, 3, 3, 3, 3, 3, 4, 5, 4, 3, 3, 5]
SELF_INTAKE = [1, 2, 2, 4, 3, 2, 3, None, 5, 3, 2, 2, None]


def demo_outcomes_create(*, resident: User, worker: User) -> None:
    versions = {v.instrument.code: v for v in instrument_versions_current(organisation_id=resident.organisation_id)}
    zrm, own = versions["zrm-2017"], versions["zelfinschatting"]
    today = timezone.localdate()
    goals = [str(goal.public_id) for goal in goals_active(case=case_current(resident=resident))[:1]]
    for values, moment, days_ago, is_shared in (
        (ZRM_INTAKE, "intake", 60, True),
        (ZRM_REVIEW, "review", 7, False),
    ):
        items = list(zrm.items.all())
        measurement = measurement_record(
            resident=resident,
            version=zrm,
            moment=moment,
            measured_on=today - timedelta(days=days_ago),
            scored_by=worker,
            scores={item.pk: ScoreInput(value) for item, value in zip(items, values, strict=True)},
            goal_ids=goals if moment == "review" else (),
        )
        measurement = measurement_sign_off(measurement=measurement, signed_off_by=worker)
        if is_shared:
            measurement_share(measurement=measurement, shared_by=worker, is_shared=True)
    items = list(own.items.all())
    measurement_record(
        resident=resident,
        version=own,
        moment="intake",
        measured_on=today - timedelta(days=58),
        scored_by=resident,
        scores={
            item.pk: ScoreInput(value, face_to_face_preferred=item.domain == "huiselijke_relaties")
            for item, value in zip(items, SELF_INTAKE, strict=True)
        },
    )
    _demo_questionnaire(resident=resident)


def _demo_questionnaire(*, resident: User) -> None:
    if resident.organisation_id is None:
        return
    admin = User.objects.filter(organisation_id=resident.organisation_id, role=Role.ORGANISATION_ADMIN).first()
    if admin is None:
        return
    instrument = questionnaire_create(
        organisation_id=resident.organisation_id,
        name="Tevredenheid over de hulp",
        filled_by="both",
        validity_days=90,
        description="Vijf korte vragen over de hulp. Het kost een paar minuten.",
        created_by=admin,
    )
    version = instrument.versions.get()
    for data in (
        ItemInput(
            "Tevredenheid over de hulp",
            "scale",
            "Hoe tevreden bent u over de hulp?",
            ("Helemaal niet tevreden", "Niet zo tevreden", "Tevreden", "Heel tevreden"),
        ),
        ItemInput("Contact", "choice", "Hoe vaak hebben we contact?", ("Te weinig", "Precies goed", "Te vaak")),
        ItemInput(
            "Manier van contact",
            "choice",
            "Hoe praat u het liefst met ons?",
            ("Op kantoor", "Bij u thuis", "Beeldbellen", "Chat"),
        ),
        ItemInput("Wat gaat goed?", "text", "Wat gaat er goed?", (), 500),
        ItemInput("Wat kan beter?", "text", "Wat kan er beter?", (), 500),
    ):
        questionnaire_item_save(version=version, data=data, saved_by=admin)
    version = questionnaire_version_publish(version=version, published_by=admin)
    items = {item.order: item for item in version.items.all()}
    measurement_record(
        resident=resident,
        version=version,
        moment="intake",
        measured_on=timezone.localdate() - timedelta(days=30),
        scored_by=resident,
        scores={
            items[1].pk: ScoreInput(3),
            items[2].pk: ScoreInput(1, face_to_face_preferred=True),
            items[3].pk: ScoreInput(3),
            items[4].pk: ScoreInput(None, text="Sanne luistert goed en belt terug als ze dat zegt."),
        },
    )

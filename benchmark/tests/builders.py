"""Organisations with residents and a quarter's worth of activity, built
straight in the database (fast enough for 3 x 30 residents), so the
benchmark has something real to aggregate. Every resident ``i`` gets:

- a case opened in the quarter (closed again for every third resident);
- an online channel (chat) in the blend plan for every even ``i``;
- one face-to-face appointment (a no-show for every fifth resident) and,
  for every even ``i``, a phone appointment too;
- two messages in the conversation with the worker;
- one consultation-hour chat picked up after ``i % 7 + 1`` minutes;
- two signed-off ZRMs: every domain scored 2, then 3 (a change of +1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import F

from accounts.models import Role, User
from appointments.models import Appointment, AppointmentStatus
from benchmark.quarters import Quarter
from benchmark.services import benchmark_compute
from blend.models import BlendAgreement, BlendPlan, ChannelConsent
from casefiles.models import Case
from messaging.models import ConsultationVisit, Conversation, Message
from organisations.demo import DemoOrganisation, demo_organisation_create
from organisations.models import Organisation
from outcomes.models import Measurement, Score
from outcomes.selectors import instrument_versions_current

if TYPE_CHECKING:
    from conftest import Personas


@dataclass
class Built:
    organisation: Organisation
    demo: DemoOrganisation
    residents: list[User]


def residents_add(*, organisation: Organisation, count: int, prefix: str) -> list[User]:
    return User.objects.bulk_create(
        User(
            username=f"{prefix}-inwoner-{index}",
            first_name="Inwoner",
            last_name=f"{prefix} {index}",
            sort_name=f"{prefix} {index}",
            role=Role.RESIDENT,
            organisation=organisation,
        )
        for index in range(count)
    )


def activity_add(*, demo: DemoOrganisation, residents: list[User], moment: datetime) -> None:
    """The quarter's activity of ``residents`` (see the module), around ``moment``."""
    organisation = demo.organisation
    worker = demo.workers[0]
    cases = Case.objects.bulk_create(
        Case(resident=resident, organisation=organisation, opened_by=worker) for resident in residents
    )
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(opened_at=moment)
    closed = [c.pk for index, c in enumerate(cases) if index % 3 == 2]
    Case.objects.filter(pk__in=closed).update(status=Case.Status.CLOSED, closed_at=moment + timedelta(days=20))
    plans = BlendPlan.objects.bulk_create(BlendPlan(resident=resident) for resident in residents)
    BlendAgreement.objects.bulk_create(
        BlendAgreement(plan=plan, channel="chat") for index, plan in enumerate(plans) if index % 2 == 0
    )
    ChannelConsent.objects.bulk_create(
        ChannelConsent(resident=resident, channel="chat", is_given=True, recorded_by=worker)
        for index, resident in enumerate(residents)
        if index % 2 == 0
    )
    appointments = []
    for index, resident in enumerate(residents):
        # Spread over the four workers, an hour apart: no worker is booked twice.
        host = demo.workers[index % len(demo.workers)]
        start = moment + timedelta(days=1, hours=index // len(demo.workers))
        status = AppointmentStatus.NO_SHOW if index % 5 == 0 else AppointmentStatus.CONFIRMED
        appointments.append(
            Appointment(
                organisation=organisation,
                worker=host,
                resident=resident,
                kind="face_to_face",
                location=demo.location,
                starts_at=start,
                ends_at=start + timedelta(minutes=45),
                status=status,
                created_by=worker,
            )
        )
        if index % 2 == 0:
            start = moment + timedelta(days=30, hours=index // len(demo.workers))
            appointments.append(
                Appointment(
                    organisation=organisation,
                    worker=host,
                    resident=resident,
                    kind="phone",
                    starts_at=start,
                    ends_at=start + timedelta(minutes=30),
                    status=AppointmentStatus.CONFIRMED,
                    created_by=worker,
                )
            )
    Appointment.objects.bulk_create(appointments)
    conversations = Conversation.objects.bulk_create(
        Conversation(organisation=organisation, kind=Conversation.Kind.DIRECT, resident=resident, created_by=worker)
        for resident in residents
    )
    messages = Message.objects.bulk_create(
        Message(
            conversation=conversation,
            sequence=sequence,
            author=resident,
            author_name="Inwoner",
            body="Hallo",
            client_key=f"{conversation.pk}-{sequence}",
        )
        for conversation, resident in zip(conversations, residents, strict=True)
        for sequence in (1, 2)
    )
    Message.objects.filter(pk__in=[m.pk for m in messages]).update(created_at=moment)
    visits = ConsultationVisit.objects.bulk_create(
        ConsultationVisit(organisation=organisation, visitor=resident, status=ConsultationVisit.Status.CLOSED)
        for resident in residents
    )
    for minutes in range(1, 8):
        ConsultationVisit.objects.filter(
            pk__in=[visit.pk for index, visit in enumerate(visits) if index % 7 + 1 == minutes]
        ).update(created_at=moment, picked_up_at=moment + timedelta(minutes=minutes))
    version = next(
        v for v in instrument_versions_current(organisation_id=organisation.pk) if v.instrument.code == "zrm-2017"
    )
    items = list(version.items.all())
    measurements = Measurement.objects.bulk_create(
        Measurement(
            resident=resident,
            version=version,
            moment=moment_name,
            measured_on=day,
            scored_by=worker,
            status=Measurement.Status.SIGNED_OFF,
            signed_off_at=moment,
        )
        for resident in residents
        for moment_name, day in (("intake", moment.date()), ("review", moment.date() + timedelta(days=40)))
    )
    Score.objects.bulk_create(
        Score(measurement=measurement, item=item, value=2 if measurement.moment == "intake" else 3)
        for measurement in measurements
        for item in items
    )
    Conversation.objects.filter(pk__in=[c.pk for c in conversations]).update(last_sequence=F("last_sequence") + 2)


def organisation_build(*, slug: str, residents: int, moment: datetime) -> Built:
    demo = demo_organisation_create(slug=slug, name=f"Welzijn {slug.title()}", resident_count=0)
    people = residents_add(organisation=demo.organisation, count=residents, prefix=slug)
    activity_add(demo=demo, residents=people, moment=moment)
    return Built(demo.organisation, demo, people)


QUARTER_MOMENT = datetime.fromisoformat("2026-04-10T10:00:00+02:00")
AFTER_QUARTER = datetime.fromisoformat("2026-07-15T10:00:00+02:00")
FIRST_DAY = date(2026, 4, 1)


def personas_published(personas: Personas, *, size: int = 12) -> None:
    """The personas' two organisations and a third, each with ``size``
    active residents, published for 2026Q2."""
    third = demo_organisation_create(slug="derde", name="Welzijn Derde", resident_count=0)
    for demo in (personas.demo, third):
        people = residents_add(organisation=demo.organisation, count=size, prefix=demo.organisation.slug)
        activity_add(demo=demo, residents=people, moment=QUARTER_MOMENT)
    foreign_people = residents_add(organisation=personas.foreign_organisation, count=size, prefix="elders")
    foreign = DemoOrganisation(
        organisation=personas.foreign_organisation,
        teams=[],
        location=personas.demo.location,
        workers=[personas.foreign_worker],
        residents=foreign_people,
        admin=personas.foreign_admin,
        privacy_officer=personas.foreign_admin,
        researcher=personas.foreign_admin,
        trusted_person=personas.foreign_admin,
    )
    activity_add(demo=foreign, residents=foreign_people, moment=QUARTER_MOMENT)
    benchmark_compute(quarter=Quarter(2026, 2), now=AFTER_QUARTER)

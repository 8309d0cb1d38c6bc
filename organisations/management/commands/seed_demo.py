from __future__ import annotations

from datetime import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Role, User
from appointments.demo import demo_appointments_create
from benchmark.demo import demo_benchmark_create
from casefiles.demo import demo_casefile_create
from diary.demo import demo_diary_create
from feedback.demo import demo_feedback_create
from learning.demo import demo_learning_create, demo_training_create
from messaging.consultation import hour_add
from organisations.demo import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_organisation_create,
    platform_admin_create,
)
from organisations.models import Organisation
from outcomes.demo import demo_outcomes_create
from preparation.demo import demo_preparation_create
from privacy.demo import demo_privacy_create

# The demo accounts share a password and a TOTP secret that the README
# publishes: on a production database they would be open doors.
REFUSAL = (
    "seed_demo makes staff accounts with the password and TOTP secret published in the README. "
    "It runs only with DJANGO_DEBUG=1 (as `make run` sets it) or with --i-know-this-is-not-production."
)


class Command(BaseCommand):
    help = "Create the demo organisations (once) and print the demo logins. Development only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            dest="not_production",
            help="Run without DEBUG, for example on a test or demo server. Never on real data.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or options["not_production"]):
            raise CommandError(REFUSAL)
        if not Organisation.objects.filter(slug="rivierstad").exists():
            demo = demo_organisation_create()
            demo_casefile_create(resident=demo.residents[0], worker=demo.workers[0])
            demo_appointments_create(demo)
            demo_diary_create(resident=demo.residents[0], worker=demo.workers[0])
            demo_outcomes_create(resident=demo.residents[0], worker=demo.workers[0])
            demo_preparation_create(admin=demo.admin, resident=demo.residents[0], worker=demo.workers[0])
            demo_privacy_create(officer=demo.privacy_officer, held=demo.residents[1], erasing=demo.residents[2])
            demo_learning_create(
                organisation=demo.organisation, author=demo.admin, resident=demo.residents[0], worker=demo.workers[0]
            )
            demo_training_create(
                organisation=demo.organisation, author=demo.admin, host=demo.workers[0], resident=demo.residents[0]
            )
            demo_feedback_create(residents=demo.residents)
            # The demo's chat consultation hour is open every day from 8 to 22.
            for weekday in range(7):
                hour_add(
                    organisation_id=demo.organisation.pk,
                    weekday=weekday,
                    starts_at=time(8, 0),
                    ends_at=time(22, 0),
                    on_duty=demo.workers[:2],
                )
            demo_organisation_create(slug="noorderhaven", name="Welzijn Noorderhaven", resident_count=3)
            # The last ended quarter and the running one (mostly suppressed: few residents).
            demo_benchmark_create()
            if not User.objects.filter(role=Role.PLATFORM_ADMIN).exists():
                platform_admin_create()
            self.stdout.write(self.style.SUCCESS("Demo organisations created."))
        rows = [
            ("inwoner", "fatima", "wachtwoord (daarna kunt u een passkey instellen)"),
            ("vertrouwenspersoon", "mantelzorger", "wachtwoord + code"),
            ("sociaal werker", "sanne", "wachtwoord + code"),
            ("teamleider", "noor", "wachtwoord + code"),
            ("beheerder", "beheer", "wachtwoord + code"),
            ("privacyfunctionaris", "privacy", "wachtwoord + code"),
            ("onderzoeker", "onderzoek", "wachtwoord + code"),
            ("platformbeheerder", "platform", "wachtwoord + code"),
            ("andere organisatie", "noorderhaven-sanne", "wachtwoord + code"),
        ]
        self.stdout.write("")
        self.stdout.write("Samenspraak demo — http://127.0.0.1:8000")
        self.stdout.write("Chatspreekuur zonder account: http://127.0.0.1:8000/spreekuur/rivierstad/")
        self.stdout.write(f"Wachtwoord voor alle demo-accounts: {DEMO_PASSWORD}")
        self.stdout.write(
            "Medewerkers en vertrouwenspersoon: code-app met geheim "
            + DEMO_TOTP_SECRET
            + ", of `make totp` voor de code van nu."
        )
        for role, username, how in rows:
            self.stdout.write(f"  {role:<22} {username:<22} {how}")
        self.stdout.write("")

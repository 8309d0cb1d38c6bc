"""A realistic demo organisation, for ``make run`` and for tests.

Fake Dutch names, two teams, a location, four workers, twenty residents,
an admin, a privacy officer, a researcher, a trusted person, a platform
admin, and a second, small organisation to show that nothing crosses over.
All demo accounts share one password; staff get a TOTP secret that
``manage.py demo_totp`` turns into the current code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.models import MFA_REQUIRED_ROLES, Role, User
from consents.services import consent_give
from organisations.models import CaseloadAssignment, Location, Organisation, Team, TrustedPersonGrant
from organisations.services import TRUSTED_PERSON_CONSENT

DEMO_PASSWORD = "samen-demo-2026"  # noqa: S105 - demo data only, printed on purpose
# One fixed base32 secret for all demo staff, so a newcomer can add it to an
# authenticator app once. Never used outside demo data.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

RESIDENT_NAMES = [
    ("Fatima", "el Amrani"),
    ("Henk", "de Vries"),
    ("Ria", "Bakker"),
    ("Mehmet", "Yilmaz"),
    ("Anneke", "Visser"),
    ("Kees", "Smit"),
    ("Priya", "Ramdin"),
    ("Gerrit", "Mulder"),
    ("Joke", "de Boer"),
    ("Sandra", "Meijer"),
    ("Ahmed", "Bouzid"),
    ("Willem", "van Dijk"),
    ("Marja", "Hendriks"),
    ("Dewi", "Soerjadi"),
    ("Tonny", "Brouwer"),
    ("Ineke", "de Graaf"),
    ("Youssef", "Haddou"),
    ("Corrie", "van den Berg"),
    ("Bram", "Jansen"),
    ("Lotte", "Kramer"),
]


@dataclass
class DemoOrganisation:
    organisation: Organisation
    teams: list[Team]
    location: Location
    workers: list[User]
    residents: list[User]
    admin: User
    privacy_officer: User
    researcher: User
    trusted_person: User


def demo_totp_code() -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))


@cache
def _demo_password_hash() -> str:
    # Hashing is slow on purpose (Argon2); every demo account has the same
    # password, so it is hashed once.
    return make_password(DEMO_PASSWORD)


def _user(
    *,
    username: str,
    first: str,
    last: str,
    role: str,
    organisation: Organisation | None,
    team: Team | None = None,
    email: str = "",
) -> User:
    user = User(
        username=username,
        first_name=first,
        last_name=last,
        role=role,
        organisation=organisation,
        team=team,
        email=email,
        is_active=True,
    )
    user.password = _demo_password_hash()
    user.save()
    if role in MFA_REQUIRED_ROLES:
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


@transaction.atomic
def demo_organisation_create(
    *, slug: str = "rivierstad", name: str = "Welzijn Rivierstad", resident_count: int = 20
) -> DemoOrganisation:
    """Create the demo organisation. Usernames are prefixed by ``slug`` unless
    it is the default, so several demo organisations can live side by side."""
    prefix = "" if slug == "rivierstad" else f"{slug}-"
    organisation = Organisation.objects.create(name=name, slug=slug, phone="010 123 45 67", consultation_code=slug)
    teams = [
        Team.objects.create(organisation=organisation, name="Team Centrum"),
        Team.objects.create(organisation=organisation, name="Team Noord"),
    ]
    location = Location.objects.create(
        organisation=organisation,
        name="Buurthuis De Brug",
        street="Kerkstraat 12",
        postcode="3011 AB",
        city="Rivierstad",
        phone="010 123 45 68",
    )
    workers = [
        _user(
            username=f"{prefix}sanne",
            first="Sanne",
            last="de Jong",
            role=Role.SOCIAL_WORKER,
            organisation=organisation,
            team=teams[0],
            email=f"{prefix}sanne@demo.samenspraak.invalid",
        ),
        _user(
            username=f"{prefix}ruben",
            first="Ruben",
            last="Koster",
            role=Role.SOCIAL_WORKER,
            organisation=organisation,
            team=teams[0],
            email=f"{prefix}ruben@demo.samenspraak.invalid",
        ),
        _user(
            username=f"{prefix}noor",
            first="Noor",
            last="Hamdi",
            role=Role.TEAM_LEAD,
            organisation=organisation,
            team=teams[1],
            email=f"{prefix}noor@demo.samenspraak.invalid",
        ),
        _user(
            username=f"{prefix}peter",
            first="Peter",
            last="Verbeek",
            role=Role.SOCIAL_WORKER,
            organisation=organisation,
            team=teams[1],
            email=f"{prefix}peter@demo.samenspraak.invalid",
        ),
    ]
    residents: list[User] = []
    for index in range(resident_count):
        first, last = RESIDENT_NAMES[index % len(RESIDENT_NAMES)]
        number = "" if index < len(RESIDENT_NAMES) else str(index // len(RESIDENT_NAMES))
        resident = _user(
            username=f"{prefix}{first.lower()}{number}",
            first=first,
            last=last,
            role=Role.RESIDENT,
            organisation=organisation,
        )
        residents.append(resident)
    CaseloadAssignment.objects.bulk_create(
        CaseloadAssignment(resident=resident, worker=workers[index % len(workers)])
        for index, resident in enumerate(residents)
    )
    admin = _user(
        username=f"{prefix}beheer",
        first="Bert",
        last="Beheer",
        role=Role.ORGANISATION_ADMIN,
        organisation=organisation,
        email=f"{prefix}beheer@demo.samenspraak.invalid",
    )
    privacy_officer = _user(
        username=f"{prefix}privacy",
        first="Paula",
        last="Privé",
        role=Role.PRIVACY_OFFICER,
        organisation=organisation,
        email=f"{prefix}privacy@demo.samenspraak.invalid",
    )
    researcher = _user(
        username=f"{prefix}onderzoek",
        first="Olaf",
        last="Onderzoek",
        role=Role.RESEARCHER,
        organisation=organisation,
        email=f"{prefix}onderzoek@demo.samenspraak.invalid",
    )
    trusted_person = _user(
        username=f"{prefix}mantelzorger",
        first="Marco",
        last="el Amrani",
        role=Role.TRUSTED_PERSON,
        organisation=organisation,
    )
    if residents:
        grant = TrustedPersonGrant.objects.create(
            resident=residents[0], trusted_person=trusted_person, scopes=[TrustedPersonGrant.Scope.APPOINTMENTS]
        )
        # The resident's consent, in the register as if given on the invitation page.
        consent_give(
            subject=residents[0],
            kind=TRUSTED_PERSON_CONSENT,
            scope=str(grant.public_id),
            given_by=residents[0],
            trusted_person=trusted_person,
            scope_items=grant.scopes,
        )
    return DemoOrganisation(
        organisation=organisation,
        teams=teams,
        location=location,
        workers=workers,
        residents=residents,
        admin=admin,
        privacy_officer=privacy_officer,
        researcher=researcher,
        trusted_person=trusted_person,
    )


def platform_admin_create(*, username: str = "platform") -> User:
    return _user(username=username, first="Pim", last="Platform", role=Role.PLATFORM_ADMIN, organisation=None)

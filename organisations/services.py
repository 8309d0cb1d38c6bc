"""Writes for organisations: settings, branding, teams, locations, accounts,
caseload assignments and trusted-person grants."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts.models import CASEWORK_ROLES, STAFF_ROLES, Role, User
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from consents.services import Method as ConsentMethod
from consents.services import consent_give, consent_withdraw, consent_withdraw_handler_register
from organisations.models import CaseloadAssignment, Location, Organisation, Team, TrustedPersonGrant
from samenspraak.hooks import ACCOUNT_CHANGED, CASELOAD_CHANGED, GRANT_REVOKED, hook_call

Action = AccessLogEntry.Action

# The consent register's kind for a trusted person's access.
TRUSTED_PERSON_CONSENT = "trusted_person.access"

LOGO_MAX_BYTES = 1_000_000
LOGO_MAX_SIDE = 600


class OrganisationError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


def logo_reencode(data: bytes) -> bytes:
    """Decode an uploaded image and encode it again as a small PNG.

    The content decides, not the file name; re-encoding drops metadata
    (location, camera) and anything hidden after the image data.
    """
    if len(data) > LOGO_MAX_BYTES:
        raise OrganisationError(_("Het logo is te groot. Kies een bestand kleiner dan 1 MB."))
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in {"PNG", "JPEG", "GIF", "WEBP"}:
                raise OrganisationError(_("Dit bestand is geen afbeelding. Kies een PNG- of JPG-bestand."))
            if image.width * image.height > 40_000_000:
                raise OrganisationError(_("Deze afbeelding is te groot. Kies een kleinere."))
            image.load()
            image.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            clean = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise OrganisationError(_("Dit bestand is geen afbeelding. Kies een PNG- of JPG-bestand.")) from error
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, name: str, brand_colour: str, phone: str, logo: bytes | None
) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.name = name
    organisation.brand_colour = brand_colour.lower()
    organisation.phone = phone
    fields = ["name", "brand_colour", "phone"]
    if logo is not None:
        organisation.logo_png = logo_reencode(logo)
        organisation.logo_updated_at = timezone.now()
        fields += ["logo_png", "logo_updated_at"]
    organisation.full_clean()
    organisation.save(update_fields=fields)
    return organisation


@transaction.atomic
def organisation_appointment_settings_update(
    *, organisation: Organisation, change_deadline_hours: int, reminder_hours: int, jitsi_base_url: str
) -> Organisation:
    """Appointment rules for new bookings and reminders; ``jitsi_base_url``
    (https, or empty for the built-in call) for video calls from now on."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    organisation.appointment_change_deadline_hours = change_deadline_hours
    organisation.appointment_reminder_hours = reminder_hours
    organisation.jitsi_base_url = jitsi_base_url
    organisation.full_clean()
    organisation.save(
        update_fields=["appointment_change_deadline_hours", "appointment_reminder_hours", "jitsi_base_url"]
    )
    return organisation


def _unique_name_error(
    model: type[Team] | type[Location], *, organisation: Organisation, name: str, exclude_pk: int | None
) -> None:
    clash = model.objects.filter(organisation=organisation, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise OrganisationError(_("Deze naam bestaat al. Kies een andere naam."))


@transaction.atomic
def team_create(*, organisation: Organisation, name: str) -> Team:
    _unique_name_error(Team, organisation=organisation, name=name, exclude_pk=None)
    return Team.objects.create(organisation=organisation, name=name)


@transaction.atomic
def team_rename(*, team: Team, name: str) -> Team:
    _unique_name_error(Team, organisation=team.organisation, name=name, exclude_pk=team.pk)
    team.name = name
    team.save(update_fields=["name"])
    return team


@transaction.atomic
def location_save(*, organisation: Organisation, location: Location | None, data: dict[str, Any]) -> Location:
    """Create a location (``location=None``) or update one."""
    _unique_name_error(
        Location, organisation=organisation, name=data["name"], exclude_pk=location.pk if location else None
    )
    if location is None:
        location = Location(organisation=organisation)
    for field in ("name", "street", "postcode", "city", "phone", "is_active"):
        setattr(location, field, data[field])
    location.postcode = location.postcode.upper()
    location.save()
    return location


@transaction.atomic
def user_update_by_admin(
    *,
    admin: User,
    account: User,
    first_name: str,
    last_name: str,
    role: str,
    team: Team | None,
    is_active: bool,
    birth_year: int | None = None,
) -> User:
    """An organisation admin changes a colleague's or resident's account.
    ``birth_year`` (optional) is kept for residents only; staff have none.

    Residents stay residents and staff stay staff: changing between the two
    would move case data to a different kind of account.
    """
    account = User.objects.select_for_update().get(pk=account.pk)
    if account.pk == admin.pk and (not is_active or role != account.role):
        raise OrganisationError(_("U kunt uw eigen rol niet wijzigen en uzelf niet blokkeren."))
    if (account.role in STAFF_ROLES) != (role in STAFF_ROLES) or role == Role.PLATFORM_ADMIN:
        raise OrganisationError(_("Deze rol past niet bij dit account."))
    if team is not None and team.organisation_id != admin.organisation_id:
        raise OrganisationError(_("Kies een team van uw eigen organisatie."))
    account.first_name = first_name
    account.last_name = last_name
    account.role = role
    account.team = team
    # An inactive, never-activated account stays inactive until its invitation is used.
    if account.has_usable_password():
        account.is_active = is_active
    account.birth_year = birth_year if account.role == Role.RESIDENT else None
    account.save(update_fields=["first_name", "last_name", "role", "team", "is_active", "birth_year"])
    # Blocked, another role or team: what follows access (open sockets)
    # follows this too.
    hook_call(ACCOUNT_CHANGED, account=account, by=admin)
    if account.role == Role.RESIDENT:
        access_log_record(actor=admin, accesses=[Access(account, "account", str(account.public_id), Action.CHANGE)])
    return account


@transaction.atomic
def caseload_assign(*, resident: User, worker: User, assigned_by: User) -> CaseloadAssignment:
    if resident.role != Role.RESIDENT or worker.role not in CASEWORK_ROLES:
        raise OrganisationError(_("Alleen een sociaal werker kan een inwoner begeleiden."))
    if resident.organisation_id != worker.organisation_id:
        raise OrganisationError(_("Deze medewerker hoort niet bij uw organisatie."))
    assignment, created = CaseloadAssignment.objects.get_or_create(resident=resident, worker=worker)
    if created:
        hook_call(CASELOAD_CHANGED, resident=resident, gained=[worker], lost=[], by=assigned_by, handover=None)
    access_log_record(
        actor=assigned_by, accesses=[Access(resident, "caseload_assignment", str(worker.public_id), Action.CREATE)]
    )
    return assignment


def caseload_follow_invitation(*, resident: User, invited_by: User) -> None:
    """Hook (RESIDENT_INVITED): a resident invited by a worker is on that
    worker's caseload from the start (the invitation logs the access)."""
    CaseloadAssignment.objects.create(resident=resident, worker=invited_by)


@transaction.atomic
def caseload_unassign(*, resident: User, worker: User, unassigned_by: User) -> None:
    assignments = CaseloadAssignment.objects.select_for_update().filter(resident=resident)
    if not assignments.filter(worker=worker).exists():
        raise OrganisationError(_("Deze sociaal werker is niet aan deze inwoner gekoppeld."))
    if assignments.count() <= 1:
        raise OrganisationError(_("Een inwoner houdt altijd minstens één sociaal werker."))
    assignments.filter(worker=worker).delete()
    hook_call(CASELOAD_CHANGED, resident=resident, gained=[], lost=[worker], by=unassigned_by, handover=None)
    access_log_record(
        actor=unassigned_by, accesses=[Access(resident, "caseload_assignment", str(worker.public_id), Action.DELETE)]
    )


def _grant_withdraw_from_register(record: Any, withdrawn_by: User) -> None:
    """Withdrawing a trusted person's access from the resident's privacy
    page is revoking the grant (registered in ``OrganisationsConfig.ready``)."""
    grant = TrustedPersonGrant.objects.filter(
        resident_id=record.subject_id, public_id=record.scope, revoked_at__isnull=True
    ).first()
    if grant is None:  # the grant already ended: only the record was left open
        consent_withdraw(
            subject=record.subject, kind=TRUSTED_PERSON_CONSENT, scope=record.scope, withdrawn_by=withdrawn_by
        )
        return
    trusted_person_grant_revoke(grant=grant, revoked_by=withdrawn_by)


def consent_handlers_register() -> None:
    consent_withdraw_handler_register(TRUSTED_PERSON_CONSENT, _grant_withdraw_from_register)


@transaction.atomic
def trusted_person_grant_revoke(*, grant: TrustedPersonGrant, revoked_by: User) -> None:
    grant = TrustedPersonGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        hook_call(GRANT_REVOKED, grant=grant, by=revoked_by)
        consent_withdraw(
            subject=grant.resident, kind=TRUSTED_PERSON_CONSENT, scope=str(grant.public_id), withdrawn_by=revoked_by
        )
    access_log_record(
        actor=revoked_by, accesses=[Access(grant.resident, "trusted_person_grant", str(grant.public_id), Action.CHANGE)]
    )


@transaction.atomic
def trusted_person_invite(
    *,
    resident: User,
    first_name: str,
    last_name: str,
    email: str,
    scopes: list[str],
    ends_on: date | None = None,
    recorded_by: User | None = None,
    document_reference: str = "",
) -> TrustedPersonGrant:
    """The resident lets someone they trust see part of their data.

    A new person gets an invitation by email; a trusted person who already
    has an account in the same organisation gets the grant at once. An
    address used in another organisation is treated as new (addresses are
    unique per organisation), so the answer never tells that it exists
    elsewhere. Only an address of someone else in the same organisation
    (staff, another resident) is refused.

    ``recorded_by``: a worker registers the trusted person for a resident
    who cannot do it digitally; the resident's consent is then recorded as
    given on paper, with ``document_reference`` (the signed form in the
    case file), and the worker is the one in the access log.
    """
    from accounts.services import InvitationError, account_create_pending, invitation_issue

    allowed = {choice.value for choice in TrustedPersonGrant.Scope}
    if resident.role != Role.RESIDENT:
        raise OrganisationError(_("Alleen een inwoner kan iemand laten meekijken."))
    if not scopes or not set(scopes) <= allowed:
        raise OrganisationError(_("Kies wat deze persoon mag zien."))
    assert resident.organisation_id is not None
    existing = User.objects.filter(organisation_id=resident.organisation_id, email__iexact=email).first()
    if existing is not None:
        if existing.role != Role.TRUSTED_PERSON:
            raise OrganisationError(
                _("Met dit e-mailadres kan niemand worden toegevoegd. Vraag uw sociaal werker om hulp.")
            )
        person = existing
    else:
        try:
            person = account_create_pending(
                organisation_id=resident.organisation_id,
                role=Role.TRUSTED_PERSON,
                first_name=first_name,
                last_name=last_name,
                email=email,
            )
        except InvitationError as error:
            raise OrganisationError(str(error)) from error
        invitation_issue(user=person, invited_by=recorded_by or resident, channel="email")
    grant = (
        TrustedPersonGrant.objects.select_for_update()
        .filter(resident=resident, trusted_person=person, revoked_at__isnull=True)
        .first()
    )
    if ends_on is not None and ends_on < timezone.localdate():
        raise OrganisationError(_("Kies vandaag of een dag later."))
    if grant is None:
        grant = TrustedPersonGrant.objects.create(
            resident=resident, trusted_person=person, scopes=sorted(set(scopes)), ends_on=ends_on
        )
    else:
        narrowed = set(grant.scopes) - set(scopes) or (
            ends_on is not None and (grant.ends_on is None or ends_on < grant.ends_on)
        )
        grant.scopes = sorted(set(scopes))
        grant.ends_on = ends_on
        grant.save(update_fields=["scopes", "ends_on"])
        if narrowed:  # less access: what follows a revocation follows this too
            hook_call(GRANT_REVOKED, grant=grant, by=recorded_by or resident)
    # The consent register: who may look along, with what, and the text the resident read.
    consent_give(
        subject=resident,
        kind=TRUSTED_PERSON_CONSENT,
        scope=str(grant.public_id),
        given_by=recorded_by or resident,
        method=ConsentMethod.PAPER if recorded_by is not None else ConsentMethod.ONLINE,
        document_reference=document_reference,
        trusted_person=person,
        scope_items=grant.scopes,
    )
    access_log_record(
        actor=recorded_by or resident,
        accesses=[Access(resident, "trusted_person_grant", str(grant.public_id), Action.CREATE)],
    )
    return grant


@transaction.atomic
def organisation_create(
    *, created_by: User, name: str, slug: str, admin_first_name: str, admin_last_name: str, admin_email: str
) -> Organisation:
    """The platform admin adds an organisation and invites its first admin."""
    from accounts.services import InvitationError, account_create_pending, invitation_issue

    if created_by.role != Role.PLATFORM_ADMIN:
        raise OrganisationError(_("Alleen de platformbeheerder kan organisaties toevoegen."))
    if Organisation.objects.filter(slug__iexact=slug).exists():
        raise OrganisationError(_("Deze korte naam is al in gebruik. Kies een andere."))
    organisation = Organisation.objects.create(name=name, slug=slug.lower())
    try:
        admin = account_create_pending(
            organisation_id=organisation.pk,
            role=Role.ORGANISATION_ADMIN,
            first_name=admin_first_name,
            last_name=admin_last_name,
            email=admin_email,
        )
    except InvitationError as error:
        raise OrganisationError(str(error)) from error
    invitation_issue(user=admin, invited_by=created_by, channel="email")
    return organisation

"""Writes for accounts: inviting, activating, renewing a letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.codes import new_activation_code, new_link_token
from accounts.models import CASEWORK_ROLES, STAFF_ROLES, ExternalIdentity, Invitation, Role, User, hash_secret
from accounts.tasks import invitation_email_send
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from samenspraak.hooks import RESIDENT_INVITED, RESIDENT_NAME_CHANGED, hook_call

Action = AccessLogEntry.Action


class InvitationError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    # The code or token in clear text: only here, never stored.
    secret: str


def account_create_pending(
    *,
    organisation_id: int,
    role: str,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
    team_id: int | None = None,
    birth_year: int | None = None,
) -> User:
    """An account that exists but cannot sign in until its invitation is used.

    An e-mail address is unique within the organisation only: an address
    that belongs to an account of another organisation is accepted like a
    new one, so inviting never tells whether an address is used elsewhere.
    Only a duplicate within the inviter's own organisation gets a message.
    """
    if not _email_is_free(email, organisation_id=organisation_id):
        raise InvitationError(_("Dit e-mailadres is al in gebruik. Kies een brief of een ander e-mailadres."))
    account = User(
        username=f"pending-{new_link_token()[:20]}",
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        birth_year=birth_year,
        role=role,
        organisation_id=organisation_id,
        team_id=team_id,
        is_active=False,
    )
    account.set_unusable_password()
    account.save()
    return account


def invitation_issue(*, user: User, invited_by: User, channel: str) -> IssuedInvitation:
    """Issue the one valid invitation for ``user``; call inside a transaction.
    For an active account it is a recovery: the code sets a new password."""
    # Any earlier, unused way in stops working: there is one valid letter.
    Invitation.objects.usable().filter(user=user).update(revoked_at=timezone.now())
    secret = new_link_token() if channel == Invitation.Channel.EMAIL else new_activation_code()
    assert user.organisation_id is not None, "only organisation accounts are invited"
    invitation = Invitation.objects.create(
        user=user,
        organisation_id=user.organisation_id,
        invited_by=invited_by,
        channel=channel,
        is_recovery=user.is_active,
        secret_hash=hash_secret(secret),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    if channel == Invitation.Channel.EMAIL:
        user_id = user.pk
        transaction.on_commit(lambda: invitation_email_send.enqueue(user_id=user_id, token=secret))
    return IssuedInvitation(invitation=invitation, secret=secret)


def _email_is_free(email: str, *, organisation_id: int) -> bool:
    """Free within this organisation; other organisations are not asked."""
    return not email or not User.objects.filter(organisation_id=organisation_id, email__iexact=email).exists()


@transaction.atomic
def resident_invite(
    *,
    invited_by: User,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    channel: str,
    birth_year: int | None = None,
) -> IssuedInvitation:
    """Create a resident's (inactive) account on the inviter's caseload and
    issue an invitation by email or as a code for a printed letter."""
    if invited_by.role not in CASEWORK_ROLES:
        raise InvitationError(_("Alleen een sociaal werker kan een inwoner uitnodigen."))
    if channel == Invitation.Channel.EMAIL and not email:
        raise InvitationError(_("Vul een e-mailadres in, of kies voor een brief."))
    assert invited_by.organisation_id is not None
    resident = account_create_pending(
        organisation_id=invited_by.organisation_id,
        role=Role.RESIDENT,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        birth_year=birth_year,
    )
    # The resident lands on the inviter's caseload (tenancy follows the hook).
    hook_call(RESIDENT_INVITED, resident=resident, invited_by=invited_by)
    issued = invitation_issue(user=resident, invited_by=invited_by, channel=channel)
    access_log_record(actor=invited_by, accesses=[Access(resident, "account", str(resident.public_id), Action.CREATE)])
    return issued


@transaction.atomic
def staff_invite(
    *,
    invited_by: User,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    team_id: int | None,
) -> IssuedInvitation:
    """An organisation admin invites a colleague by email."""
    if invited_by.role != Role.ORGANISATION_ADMIN:
        raise InvitationError(_("Alleen een beheerder kan medewerkers uitnodigen."))
    if role not in STAFF_ROLES or role == Role.PLATFORM_ADMIN:
        raise InvitationError(_("Kies een rol voor een medewerker."))
    if not email:
        raise InvitationError(_("Vul een e-mailadres in."))
    assert invited_by.organisation_id is not None
    colleague = account_create_pending(
        organisation_id=invited_by.organisation_id,
        role=role,
        first_name=first_name,
        last_name=last_name,
        email=email,
        team_id=team_id,
    )
    return invitation_issue(user=colleague, invited_by=invited_by, channel=Invitation.Channel.EMAIL)


@transaction.atomic
def invitation_renew(*, user: User, renewed_by: User, channel: str) -> IssuedInvitation:
    """A new letter (or email) for an account that is not active yet, or a
    recovery letter for a resident who cannot sign in any more (forgotten
    password, no email address). The earlier code stops working at once.
    With a recovery letter the resident keeps their username and chooses a
    new password; their other sessions end because the password changes."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.is_active and (channel != Invitation.Channel.LETTER or locked.role != Role.RESIDENT):
        raise InvitationError(_("Dit account is al geactiveerd."))
    if not locked.is_active and locked.has_usable_password():
        raise InvitationError(_("Dit account is geblokkeerd door de beheerder. Er kan geen brief voor worden gemaakt."))
    if channel == Invitation.Channel.EMAIL and not locked.email:
        raise InvitationError(_("Er is geen e-mailadres bekend. Kies een brief."))
    issued = invitation_issue(user=locked, invited_by=renewed_by, channel=channel)
    if locked.role == Role.RESIDENT:
        action = Action.PRINT if channel == Invitation.Channel.LETTER else Action.CHANGE
        access_log_record(
            actor=renewed_by, accesses=[Access(locked, "invitation", str(issued.invitation.public_id), action)]
        )
    return issued


def invitation_find(*, secret: str) -> Invitation | None:
    """The usable invitation for a code or link token, or None."""
    if not secret:
        return None
    return (
        Invitation.objects.usable()
        .select_related("user", "organisation")
        .filter(secret_hash=hash_secret(secret))
        .first()
    )


def username_is_free(username: str) -> bool:
    return not User.objects.filter(username__iexact=username).exists()


@transaction.atomic
def invitation_accept(*, invitation_id: int, username: str | None, password: str) -> User:
    """Activate the invited account with the chosen username and password
    (``username=None``: a recovery, the account keeps its username).

    The invitation row is locked, so a code used twice at the same moment
    activates the account once; the second attempt gets a clear message.
    """
    invitation = Invitation.objects.select_for_update().select_related("user").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_usable:
        raise InvitationError(_("Deze code is al gebruikt of verlopen. Vraag uw sociaal werker om een nieuwe."))
    user = invitation.user
    if invitation.is_recovery:
        if not user.is_active:
            raise InvitationError(_("Dit account is geblokkeerd. Neem contact op met uw sociaal werker."))
    elif username is None or not username_is_free(username):
        raise InvitationError(_("Deze gebruikersnaam is al bezet. Kies een andere."))
    else:
        user.username = username
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["username", "password", "is_active"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    if user.role == Role.RESIDENT:
        access_log_record(actor=user, accesses=[Access(user, "account", str(user.public_id), Action.CHANGE)])
    return user


@transaction.atomic
def preferred_name_set(*, user: User, name: str) -> User:
    """The first name a resident shows to others in groups; their group
    memberships show it at once."""
    if user.role != Role.RESIDENT:
        raise InvitationError(_("Alleen inwoners kiezen een naam voor groepen."))
    user.preferred_name = name.strip()
    user.save(update_fields=["preferred_name"])
    hook_call(RESIDENT_NAME_CHANGED, resident=user)
    return user


class ExternalIdentityError(Exception):
    """A link to a sign-in provider was refused; the message is plain Dutch."""


# Who may sign in through an OpenID Connect provider (accounts/oidc.py).
EXTERNAL_SIGN_IN_ROLES = frozenset({Role.RESIDENT, Role.TRUSTED_PERSON})


def _log_account_change(user: User) -> None:
    if user.role == Role.RESIDENT:
        access_log_record(actor=user, accesses=[Access(user, "account", str(user.public_id), Action.CHANGE)])


@transaction.atomic
def external_identity_link(*, user: User, issuer: str, subject_hash: str) -> ExternalIdentity:
    """Link ``user`` to their identity at ``issuer`` (only the hash of the
    provider's ``sub``, accounts.oidc.subject_hash). Logged as a change of
    the resident's account. The unique constraints decide when two links
    race: the loser gets the message, nothing is half-saved.
    """
    if user.role not in EXTERNAL_SIGN_IN_ROLES:
        raise ExternalIdentityError(_("Alleen inwoners en vertrouwenspersonen kunnen inloggen met DigiD."))
    if ExternalIdentity.objects.filter(issuer=issuer, subject_hash=subject_hash).exclude(user=user).exists():
        raise ExternalIdentityError(
            _("Deze DigiD is al gekoppeld aan een ander account. Neem contact op met uw sociaal werker.")
        )
    if ExternalIdentity.objects.filter(user=user, issuer=issuer).exists():
        raise ExternalIdentityError(_("Uw account is al gekoppeld aan DigiD. Ontkoppel eerst de oude koppeling."))
    try:
        with transaction.atomic():
            identity = ExternalIdentity.objects.create(user=user, issuer=issuer, subject_hash=subject_hash)
    except IntegrityError as error:
        raise ExternalIdentityError(_("Het koppelen is niet gelukt. Probeer het opnieuw.")) from error
    _log_account_change(user)
    return identity


@transaction.atomic
def external_identity_unlink(*, user: User) -> int:
    """Remove every provider link of ``user``; returns how many there were."""
    deleted, _by_model = ExternalIdentity.objects.filter(user=user).delete()
    if deleted:
        _log_account_change(user)
    return deleted


def external_identity_mark_used(*, identity: ExternalIdentity) -> None:
    """Remember when the link was last used to sign in (one UPDATE)."""
    ExternalIdentity.objects.filter(pk=identity.pk).update(last_used_at=timezone.now())

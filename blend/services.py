"""Writes for the blend plan. Face-to-face can never be switched off."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CASEWORK_ROLES, Role, User
from audit.models import AccessLogEntry
from audit.services import Access, access_log_record
from blend.models import (
    ALWAYS_OFFERED,
    ONLINE_CHANNELS,
    BlendAgreement,
    BlendPlan,
    Channel,
    ChannelConsent,
    ChannelUsage,
)
from blend.selectors import resident_consents_to
from casefiles.timeline import timeline_event_add
from consents.models import ConsentRecord
from consents.services import ConsentError, consent_give, consent_withdraw, consent_withdraw_handler_register

if TYPE_CHECKING:
    from casefiles.models import Goal

Action = AccessLogEntry.Action


class BlendError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


@transaction.atomic
def blend_plan_save(
    *,
    resident: User,
    saved_by: User,
    review_date: date | None,
    best_times: str,
    preferred_channel: str,
    needs_large_text: bool,
    needs_read_aloud: bool,
    has_no_email: bool,
    needs_help_of_relative: bool,
    notes: str,
    case_channels: set[str],
    goal_channels: dict[Goal, set[str]],
    consent_changes: dict[str, bool],
    consent_document: str = "",
    consent_reason: str = "",
) -> BlendPlan:
    """Save the whole plan as agreed in the conversation, with the changes in
    consent the resident asked for (recorded by the worker). Only changes are
    recorded, so a page that was open for a while cannot undo what the
    resident switched in the meantime. Face-to-face is added to the
    whole-case channels whatever was sent. With ``consent_document`` the
    consents given were signed on paper (the register keeps the reference
    and ``consent_reason``); otherwise the resident said so in the conversation."""
    if saved_by.role not in CASEWORK_ROLES:
        raise BlendError(_("Alleen een sociaal werker kan het plan opslaan."))
    if resident.role != Role.RESIDENT or resident.organisation_id != saved_by.organisation_id:
        raise BlendError(_("Voor deze persoon kan geen plan worden gemaakt."))
    if review_date is not None and review_date < timezone.localdate():
        raise BlendError(
            _("De datum om het plan samen te bekijken ligt in het verleden. Kies een datum vanaf vandaag.")
        )
    known = set(Channel.values)
    if not case_channels <= known or any(not channels <= known for channels in goal_channels.values()):
        raise BlendError(_("Kies alleen manieren van werken uit de lijst."))
    for goal in goal_channels:
        if goal.case.resident_id != resident.pk:
            raise BlendError(_("Dit doel hoort niet bij deze inwoner."))
    plan, _created = BlendPlan.objects.select_for_update().get_or_create(resident=resident)
    plan.review_date = review_date
    plan.best_times = best_times
    plan.preferred_channel = preferred_channel
    plan.needs_large_text = needs_large_text
    plan.needs_read_aloud = needs_read_aloud
    plan.has_no_email = has_no_email
    plan.needs_help_of_relative = needs_help_of_relative
    plan.notes = notes
    plan.updated_by = saved_by
    plan.save()
    BlendAgreement.objects.filter(plan=plan).delete()
    rows = [BlendAgreement(plan=plan, goal=None, channel=c) for c in sorted(case_channels | {ALWAYS_OFFERED.value})]
    rows += [
        BlendAgreement(plan=plan, goal=goal, channel=c)
        for goal, channels in goal_channels.items()
        for c in sorted(channels)
    ]
    BlendAgreement.objects.bulk_create(rows)
    if not set(consent_changes) <= ONLINE_CHANNELS:
        raise BlendError(_("Toestemming gaat alleen over online manieren van werken."))
    for channel, is_given in sorted(consent_changes.items()):
        channel_consent_set(
            resident=resident,
            channel=channel,
            is_given=is_given,
            recorded_by=saved_by,
            document_reference=consent_document,
            reason=consent_reason,
        )
    if preferred_channel in ONLINE_CHANNELS and not resident_consents_to(resident=resident, channel=preferred_channel):
        raise BlendError(
            _("De liefste manier van contact is online, maar daar heeft de inwoner geen toestemming voor gegeven.")
        )
    access_log_record(actor=saved_by, accesses=[Access(resident, "blend_plan", str(resident.public_id), Action.CHANGE)])
    timeline_event_add(
        resident=resident,
        kind="blend.plan_saved",
        summary=_("Afspraken over hoe we samenwerken bijgewerkt"),
        actor=saved_by,
        is_shared=True,
        object_type="blend_plan",
    )
    return plan


@transaction.atomic
def channel_consent_set(
    *,
    resident: User,
    channel: str,
    is_given: bool,
    recorded_by: User,
    document_reference: str = "",
    reason: str = "",
) -> ChannelConsent | None:
    """Record the resident's yes or no for one online channel. The resident
    does this themselves, or a worker records what the resident said (in the
    conversation, or on paper: ``document_reference`` and ``reason``).
    Returns None when nothing changed."""
    if channel not in ONLINE_CHANNELS:
        raise BlendError(_("Voor deze manier van werken is geen toestemming nodig."))
    if recorded_by.pk != resident.pk and recorded_by.role not in CASEWORK_ROLES:
        raise BlendError(_("Alleen de inwoner of de sociaal werker kan toestemming vastleggen."))
    if resident.role != Role.RESIDENT:
        raise BlendError(_("Alleen een inwoner geeft toestemming."))
    latest = ChannelConsent.objects.select_for_update().filter(resident=resident, channel=channel).first()
    current = latest.is_given if latest is not None else False
    if current == is_given:
        return None
    consent = ChannelConsent.objects.create(
        resident=resident, channel=channel, is_given=is_given, recorded_by=recorded_by
    )
    # The consent register keeps the text version, the scope and who gave it.
    kind = consent_kind_of(channel)
    if is_given:
        if recorded_by.pk == resident.pk:
            method = ConsentRecord.Method.ONLINE
        elif document_reference.strip():
            if not reason.strip():
                raise BlendError(_("Schrijf kort waarom de toestemming op papier is gegeven."))
            method = ConsentRecord.Method.PAPER
        else:
            method = ConsentRecord.Method.CONVERSATION
        try:
            consent_give(
                subject=resident,
                kind=kind,
                scope=channel,
                given_by=recorded_by,
                method=method,
                document_reference=document_reference if method == ConsentRecord.Method.PAPER else "",
                reason=reason if method == ConsentRecord.Method.PAPER else "",
            )
        except ConsentError as error:
            raise BlendError(str(error)) from error
    else:
        consent_withdraw(subject=resident, kind=kind, scope=channel, withdrawn_by=recorded_by)
    access_log_record(actor=recorded_by, accesses=[Access(resident, "channel_consent", channel, Action.CHANGE)])
    label = Channel(channel).label
    timeline_event_add(
        resident=resident,
        kind="blend.consent_given" if is_given else "blend.consent_withdrawn",
        summary=_consent_summary(is_given=is_given, by_resident=recorded_by.pk == resident.pk) % {"channel": label},
        params={"channel": channel},
        actor=recorded_by,
        is_shared=True,
        object_type="channel_consent",
    )
    return consent


def consent_kind_of(channel: str) -> str:
    """The register's kind of an online channel: ``blend.<channel>``."""
    return f"blend.{channel}"


def _withdraw_from_register(record: ConsentRecord, withdrawn_by: User) -> None:
    assert record.subject is not None
    channel_consent_set(resident=record.subject, channel=record.scope, is_given=False, recorded_by=withdrawn_by)


def consent_handlers_register() -> None:
    """Withdrawing a channel's consent from the resident's privacy page is
    withdrawing it here (called from ``BlendConfig.ready``)."""
    for channel in sorted(ONLINE_CHANNELS):
        consent_withdraw_handler_register(consent_kind_of(channel), _withdraw_from_register)


def _consent_summary(*, is_given: bool, by_resident: bool) -> str:
    if by_resident:
        return _("U gaf toestemming voor %(channel)s") if is_given else _("U trok uw toestemming voor %(channel)s in")
    if is_given:
        return _("In het gesprek gaf u toestemming voor %(channel)s (vastgelegd door uw sociaal werker)")
    return _("In het gesprek trok u uw toestemming voor %(channel)s in (vastgelegd door uw sociaal werker)")


def blend_channel_used(*, resident: User, channel: str) -> None:
    """Other capabilities call this when a resident uses a channel (a chat
    sent, a video call held), so the plan shows what is really used."""
    now = timezone.now()
    updated = ChannelUsage.objects.filter(resident=resident, channel=channel).update(
        last_used_at=now, times_used=F("times_used") + 1
    )
    if not updated:
        ChannelUsage.objects.get_or_create(resident=resident, channel=channel, defaults={"last_used_at": now})

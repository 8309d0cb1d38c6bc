"""Writes to the consent register: ``consent_give`` and ``consent_withdraw``.

The owner of a consent (the blend plan for the channels and the diary, the
consultation hour for the transcript, the tenancy layer for a trusted
person's grant) calls them inside its own transaction, so the consent and
its record commit or roll back together. The owner logs the change in the
access log and writes the timeline; the register only keeps the record.

Withdrawing from the resident's privacy page goes back through the owner
(``consent_withdraw_through_owner``): each owner registers how it withdraws
a kind (``consent_withdraw_handler_register`` in its ``AppConfig.ready``),
so withdrawing there has exactly the effect of withdrawing in its own place.
After a withdrawal the capabilities that must follow it (open chat sockets)
hear of it through the ``CONSENT_WITHDRAWN`` hook.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CASEWORK_ROLES, User
from consents.models import ConsentRecord, ConsentRecordQuerySet
from consents.texts import consent_text, consent_text_version
from samenspraak.hooks import CONSENT_WITHDRAWN, hook_call

Kind = ConsentRecord.Kind
Method = ConsentRecord.Method

WithdrawHandler = Callable[[ConsentRecord, User], None]
_withdraw_handlers: dict[str, WithdrawHandler] = {}


class ConsentError(Exception):
    """A rule was broken; the message is plain Dutch for the person."""


def consent_withdraw_handler_register(kind: str, handler: WithdrawHandler) -> None:
    """The owner of ``kind`` says how a record of it is withdrawn: a
    function (record, withdrawn_by) that calls the owner's own service."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown consent kind {kind!r}")
    _withdraw_handlers[kind] = handler


def _method_check(*, subject: User | None, given_by: User, method: str, document_reference: str) -> None:
    if subject is not None and given_by.pk == subject.pk:
        if method != Method.ONLINE:
            raise ConsentError(_("Wie zelf toestemming geeft, doet dat online."))
        return
    if subject is None:
        return  # an anonymous visitor gives consent online, from their own visit
    if given_by.role not in CASEWORK_ROLES or given_by.organisation_id != subject.organisation_id:
        raise ConsentError(_("Alleen de inwoner of een sociaal werker kan toestemming vastleggen."))
    if method not in {Method.CONVERSATION, Method.PAPER}:
        raise ConsentError(_("Zeg hoe de inwoner toestemming gaf: in een gesprek of op papier."))
    if method == Method.PAPER and not document_reference.strip():
        raise ConsentError(_("Vul het nummer of de naam van het papieren formulier in."))


@transaction.atomic
def consent_give(
    *,
    subject: User | None,
    kind: str,
    scope: str,
    given_by: User,
    method: str = Method.ONLINE,
    visitor_key: str = "",
    trusted_person: User | None = None,
    scope_items: list[str] | None = None,
    document_reference: str = "",
    reason: str = "",
) -> ConsentRecord:
    """Record that ``subject`` (or the anonymous visitor ``visitor_key``)
    gave consent of ``kind`` for ``scope``, with the current text and its
    version. Given by the resident themself (online), or recorded by a
    worker of their organisation (in a conversation, or on paper with the
    document's reference). An active record for the same kind and scope is
    withdrawn first (a changed grant is a new consent); the active record
    is locked while that happens."""
    if kind not in Kind.values:
        raise ConsentError(_("Voor deze toestemming is geen tekst bekend."))
    if subject is None and not visitor_key:
        raise ConsentError(_("Van wie is deze toestemming?"))
    _method_check(subject=subject, given_by=given_by, method=method, document_reference=document_reference)
    now = timezone.now()
    _active(subject=subject, visitor_key=visitor_key, kind=kind, scope=scope).update(
        withdrawn_at=now, withdrawn_by=given_by
    )
    return ConsentRecord.objects.create(
        subject=subject,
        visitor_key=visitor_key,
        kind=kind,
        scope=scope,
        trusted_person=trusted_person,
        scope_items=sorted(scope_items or []),
        text_version=consent_text_version(kind),
        text=consent_text(kind),
        given_at=now,
        given_by=given_by,
        method=method,
        document_reference=document_reference.strip(),
        reason=reason.strip(),
    )


@transaction.atomic
def consent_withdraw(
    *, subject: User | None, kind: str, scope: str, withdrawn_by: User, visitor_key: str = ""
) -> list[ConsentRecord]:
    """Stamp the active record(s) of ``kind`` for ``scope`` as withdrawn now
    and tell the capabilities that follow (hook ``CONSENT_WITHDRAWN``).
    Returns the records withdrawn (none when nothing was active)."""
    records = list(_active(subject=subject, visitor_key=visitor_key, kind=kind, scope=scope).select_for_update())
    now = timezone.now()
    for record in records:
        record.withdrawn_at = now
        record.withdrawn_by = withdrawn_by
        record.save(update_fields=["withdrawn_at", "withdrawn_by"])
        hook_call(CONSENT_WITHDRAWN, record=record, by=withdrawn_by)
    return records


@transaction.atomic
def consent_withdraw_through_owner(*, record: ConsentRecord, withdrawn_by: User) -> None:
    """Withdraw ``record`` from the register's side (the resident's privacy
    page): the owner's own service does it, with everything that follows
    from it there (timeline, access log, closing sockets)."""
    if record.withdrawn_at is not None:
        raise ConsentError(_("Deze toestemming is al ingetrokken."))
    handler = _withdraw_handlers.get(record.kind)
    if handler is None:
        raise ConsentError(_("Deze toestemming kunt u hier niet intrekken. Vraag uw sociaal werker."))
    handler(record, withdrawn_by)


def _active(*, subject: User | None, visitor_key: str, kind: str, scope: str) -> ConsentRecordQuerySet:
    rows = ConsentRecord.objects.active().filter(kind=kind, scope=scope)
    if subject is not None:
        return rows.filter(subject=subject)
    return rows.filter(subject__isnull=True, visitor_key=visitor_key)

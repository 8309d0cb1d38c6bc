"""Records for the consents given before the register existed: the blend
plan's history per online channel (each give opens a record, the next
withdraw closes it) and the trusted-person grants still active. Their text
version is unknown: the words shown then were not kept."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import migrations

UNKNOWN_VERSION = "onbekend (van vóór het register)"


def records_create(apps: Any, schema_editor: Any) -> None:
    ChannelConsent = apps.get_model("blend", "ChannelConsent")
    TrustedPersonGrant = apps.get_model("organisations", "TrustedPersonGrant")
    ConsentRecord = apps.get_model("consents", "ConsentRecord")
    open_records: dict[tuple[int, str], Any] = {}
    rows = ChannelConsent.objects.select_related("recorded_by").order_by("resident_id", "channel", "recorded_at", "pk")
    for row in rows.iterator():
        key = (row.resident_id, row.channel)
        current = open_records.get(key)
        if row.is_given and current is None:
            open_records[key] = ConsentRecord.objects.create(
                public_id=uuid.uuid4(),
                subject_id=row.resident_id,
                kind=f"blend.{row.channel}",
                scope=row.channel,
                text_version=UNKNOWN_VERSION,
                given_at=row.recorded_at,
                given_by_id=row.recorded_by_id,
                method="online" if row.recorded_by_id == row.resident_id else "conversation",
            )
        elif not row.is_given and current is not None:
            current.withdrawn_at = row.recorded_at
            current.withdrawn_by_id = row.recorded_by_id
            current.save(update_fields=["withdrawn_at", "withdrawn_by"])
            del open_records[key]
    for grant in TrustedPersonGrant.objects.filter(revoked_at__isnull=True).iterator():
        ConsentRecord.objects.create(
            public_id=uuid.uuid4(),
            subject_id=grant.resident_id,
            kind="trusted_person.access",
            scope=str(grant.public_id),
            trusted_person_id=grant.trusted_person_id,
            scope_items=sorted(grant.scopes or []),
            text_version=UNKNOWN_VERSION,
            given_at=grant.created_at,
            given_by_id=grant.resident_id,
            method="online",
        )


def records_remove(apps: Any, schema_editor: Any) -> None:
    apps.get_model("consents", "ConsentRecord").objects.filter(text_version=UNKNOWN_VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consents", "0001_initial"),
        ("blend", "0002_initial"),
        ("organisations", "0003_organisation_appointment_change_deadline_hours_and_more"),
    ]

    operations = [migrations.RunPython(records_create, records_remove)]

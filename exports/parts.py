"""The parts of a resident's export, one per kind of data.

A part is built by a function ``build(resident) -> ExportPart``: rows for
JSON and CSV (the same rows, one table per part) and files (the uploads
themselves). ``export_part_register`` adds a part; exports registers the
parts of today's capabilities from ``ExportsConfig.ready``, each read
through that capability's selectors (exports imports no other app's
models), and a new capability may register its own part from its own
``AppConfig.ready``.

What goes in: what the resident provided (messages, diary, bookings,
questionnaires, uploads, comments and correction requests), their account
details, and the case-file notes shared with them. Internal notes only
when ``EXPORT_INCLUDE_INTERNAL_NOTES`` is on (by default off: the
organisation's policy).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from accounts.models import User

Row = dict[str, Any]


@dataclass
class ExportPart:
    """``rows`` go to ``<name>.json`` and ``<name>.csv``; ``files`` (path in
    the ZIP, bytes) go into the ZIP as they are."""

    rows: list[Row] = field(default_factory=list)
    files: list[tuple[str, bytes]] = field(default_factory=list)


@dataclass(frozen=True)
class PartKind:
    name: str
    title: str | Promise
    purpose: str | Promise
    build: Callable[[User], ExportPart]
    order: int = 50


_parts: dict[str, PartKind] = {}


def export_part_register(
    name: str, build: Callable[[User], ExportPart], *, title: str | Promise, purpose: str | Promise, order: int = 50
) -> None:
    """Add a part (call from ``AppConfig.ready``). ``title`` and ``purpose``
    say in plain Dutch what it is and why the organisation holds it."""
    _parts[name] = PartKind(name=name, title=title, purpose=purpose, build=build, order=order)


def export_parts() -> list[PartKind]:
    return sorted(_parts.values(), key=lambda part: (part.order, part.name))


def plain(value: Any) -> Any:
    """A value as JSON can hold it: local ISO times, text for the rest."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return value


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.username


def export_file_name(number: int, name: str) -> str:
    """A safe, numbered name for a file in the ZIP."""
    return f"{number:04d}-{get_valid_filename(name) or 'bestand'}"


# --- The parts of today's capabilities ----------------------------------------------


def account_part(resident: User) -> ExportPart:
    organisation = resident.organisation
    return ExportPart(
        rows=[
            {
                "gebruikersnaam": resident.username,
                "voornaam": resident.first_name,
                "achternaam": resident.last_name,
                "roepnaam": resident.preferred_name,
                "e-mailadres": resident.email,
                "telefoonnummer": resident.phone,
                "geboortejaar": resident.birth_year or "",
                "organisatie": organisation.name if organisation else "",
                "account_sinds": plain(resident.date_joined),
            }
        ]
    )


def messages_part(resident: User) -> ExportPart:
    from messaging.selectors import messages_written_by

    part = ExportPart()
    for number, message in enumerate(messages_written_by(author=resident).iterator(chunk_size=2000), start=1):
        attachment = ""
        if message.attachment:
            attachment = (
                f"bestanden/berichten/{export_file_name(number, (message.attachment.name or '').rsplit('/', 1)[-1])}"
            )
            with message.attachment.open("rb") as handle:
                part.files.append((attachment, handle.read()))
        part.rows.append(
            {
                "gesprek": message.conversation.title or str(message.conversation.get_kind_display()),
                "verstuurd_op": plain(message.created_at),
                "gewijzigd_op": plain(message.edited_at),
                "tekst": message.body,
                "bijlage": attachment,
            }
        )
    return part


def diary_part(resident: User) -> ExportPart:
    from diary.selectors import diary_entries_all

    return ExportPart(
        rows=[
            {
                "dag": plain(entry.day),
                "begintijd": plain(entry.start_time),
                "wat": entry.what,
                "minuten": entry.minutes,
                "inspanning": entry.effort,
                "ontspanning": entry.relaxation,
                "stemming": entry.mood,
                "notitie": entry.note,
                "alleen_voor_mij": entry.is_private,
            }
            for entry in diary_entries_all(resident=resident)
        ]
    )


def appointments_part(resident: User) -> ExportPart:
    from appointments.selectors import appointments_all_of_resident

    return ExportPart(
        rows=[
            {
                "begint": plain(appointment.starts_at),
                "eindigt": plain(appointment.ends_at),
                "soort": str(appointment.get_kind_display()),
                "status": str(appointment.get_status_display()),
                "onderwerp": appointment.topic,
                "sociaal_werker": _name(appointment.worker),
                "locatie": appointment.location.name if appointment.location else "",
                "reden_afzegging": appointment.cancel_reason,
            }
            for appointment in appointments_all_of_resident(resident=resident)
        ]
    )


def measurements_part(resident: User) -> ExportPart:
    from outcomes.selectors import measurements_of

    rows = []
    for measurement in measurements_of(resident=resident, for_resident=True):
        for score in measurement.scores.all():
            rows.append(
                {
                    "vragenlijst": measurement.version.instrument.name,
                    "versie": measurement.version.number,
                    "ingevuld_op": plain(measurement.measured_on),
                    "ingevuld_door": _name(measurement.scored_by),
                    "onderwerp": score.item.resident_wording or score.item.label,
                    "score": score.value,
                    "liever_in_een_gesprek": score.face_to_face_preferred,
                    "toelichting": score.note,
                }
            )
    return ExportPart(rows=rows)


def comments_part(resident: User) -> ExportPart:
    from casefiles.selectors import resident_comments_by

    return ExportPart(
        rows=[
            {"geschreven_op": plain(comment.created_at), "over": comment.item_kind, "reactie": comment.body}
            for comment in resident_comments_by(resident=resident)
        ]
    )


def corrections_part(resident: User) -> ExportPart:
    from casefiles.selectors import correction_requests_by

    return ExportPart(
        rows=[
            {
                "gevraagd_op": plain(correction.created_at),
                "over": correction.item_kind,
                "verzoek": correction.request_text,
                "status": str(correction.get_status_display()),
                "antwoord": correction.answer_text,
                "beantwoord_op": plain(correction.answered_at),
            }
            for correction in correction_requests_by(resident=resident)
        ]
    )


def documents_part(resident: User) -> ExportPart:
    from casefiles.selectors import documents_uploaded_by

    part = ExportPart()
    for number, document in enumerate(documents_uploaded_by(resident=resident), start=1):
        path = f"bestanden/documenten/{export_file_name(number, document.original_name)}"
        with document.file.open("rb") as handle:
            part.files.append((path, handle.read()))
        part.rows.append(
            {
                "titel": document.title,
                "bestandsnaam": document.original_name,
                "soort_bestand": document.content_type,
                "grootte_bytes": document.size,
                "geupload_op": plain(document.created_at),
                "bestand_in_zip": path,
            }
        )
    return part


def notes_part(resident: User) -> ExportPart:
    from casefiles.selectors import notes_of_resident

    include_internal = settings.EXPORT_INCLUDE_INTERNAL_NOTES
    return ExportPart(
        rows=[
            {
                "geschreven_op": plain(note.created_at),
                "door": _name(note.author),
                "gedeeld_met_u": note.is_shared,
                "tekst": note.body,
            }
            for note in notes_of_resident(resident=resident, include_internal=include_internal)
        ]
    )


def consents_part(resident: User) -> ExportPart:
    """Every consent of the register (``consents``), with the text version
    and the words the resident agreed to, given and withdrawn."""
    from consents.selectors import consent_records_of

    rows = []
    for record in consent_records_of(subject=resident).order_by("given_at", "pk"):
        rows.append(
            {
                "toestemming_voor": str(record.get_kind_display()),
                "wie_mag_meekijken": _name(record.trusted_person) if record.trusted_person_id else "",
                "wat": ", ".join(record.scope_items) if record.scope_items else record.scope,
                "tekstversie": record.text_version,
                "tekst": record.text,
                "gegeven_op": plain(record.given_at),
                "gegeven_door": _name(record.given_by),
                "hoe": str(record.get_method_display()),
                "formulier": record.document_reference,
                "ingetrokken_op": plain(record.withdrawn_at),
                "ingetrokken_door": _name(record.withdrawn_by) if record.withdrawn_at else "",
            }
        )
    return ExportPart(rows=rows)


# The parts this app builds itself: (name, builder, title, why we hold it).
# Other capabilities register their own parts with ``export_part_register``.
BUILTIN_PARTS: tuple[tuple[str, Callable[[User], ExportPart], Promise, Promise], ...] = (
    ("account", account_part, _("Uw account"), _("Om u te laten inloggen en contact met u op te nemen.")),
    ("berichten", messages_part, _("Berichten die u schreef"), _("Om met uw sociaal werker te praten via de chat.")),
    (
        "dagboek",
        diary_part,
        _("Uw dagboek"),
        _("Om uw activiteiten bij te houden, en te delen met uw coach als u dat wilt."),
    ),
    ("afspraken", appointments_part, _("Uw afspraken"), _("Om afspraken met u te maken en u eraan te herinneren.")),
    (
        "vragenlijsten",
        measurements_part,
        _("Vragenlijsten en metingen"),
        _("Om samen te zien hoe het met u gaat en wat de hulp oplevert."),
    ),
    (
        "reacties",
        comments_part,
        _("Uw reacties in het dossier"),
        _("Omdat u mag reageren op wat er in uw dossier staat."),
    ),
    (
        "correctieverzoeken",
        corrections_part,
        _("Uw correctieverzoeken"),
        _("Omdat u mag vragen om iets in uw dossier te verbeteren."),
    ),
    (
        "documenten",
        documents_part,
        _("Documenten die u uploadde"),
        _("Om uw hulpvraag te kunnen regelen, bijvoorbeeld een brief of een formulier."),
    ),
    (
        "notities",
        notes_part,
        _("Notities in uw dossier"),
        _("Om bij te houden wat er met u besproken en afgesproken is."),
    ),
    (
        "toestemmingen",
        consents_part,
        _("Waar u toestemming voor gaf"),
        _("Om te weten waarmee u instemde, met welke tekst, en wanneer u het introk."),
    ),
)


def register_builtin_parts() -> None:
    for position, (name, builder, title, purpose) in enumerate(BUILTIN_PARTS, start=1):
        export_part_register(name, builder, order=position * 10, title=title, purpose=purpose)

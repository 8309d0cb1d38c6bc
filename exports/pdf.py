"""The readable part of the export: a PDF in plain Dutch (B1) that says
what the organisation holds about the resident and why, what is in the
ZIP, who looked at their file (the access log), and what the resident can
do next."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

# More than this many lines of the access log go in the JSON only.
WHO_LOOKED_IN_PDF = 500


@dataclass(frozen=True)
class PartSummary:
    title: str
    purpose: str
    count: int
    file_name: str


@dataclass(frozen=True)
class LookedRow:
    occurred_at: datetime
    actor: str
    role: str
    what: str
    action: str


def _moment(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i")


def export_pdf(
    *,
    resident_name: str,
    organisation_name: str,
    made_at: datetime,
    parts: Iterable[PartSummary],
    looked: list[LookedRow],
    includes_internal_notes: bool,
) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=_("Uw gegevens bij %(organisation)s") % {"organisation": organisation_name},
        author=organisation_name,
        lang="nl",
    )
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=12, leading=17)
    heading = ParagraphStyle("heading", parent=styles["Heading2"], fontSize=15, leading=19, spaceBefore=10)
    title = ParagraphStyle("title", parent=styles["Title"], fontSize=20, leading=24, alignment=0)

    def text(value: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(value), style)

    story = [
        text(_("Uw gegevens bij %(organisation)s") % {"organisation": organisation_name}, title),
        text(_("Voor: %(name)s") % {"name": resident_name}),
        text(_("Gemaakt op: %(moment)s") % {"moment": _moment(made_at)}),
        Spacer(1, 6 * mm),
        text(
            _(
                "U vroeg om al uw gegevens. Dat is uw recht (AVG, artikel 15 en 20). "
                "In deze map vindt u deze brief en uw gegevens in bestanden die een computer kan lezen."
            )
        ),
        text(_("Welke gegevens wij van u bewaren, en waarom"), heading),
    ]
    for part in parts:
        story.append(
            text(
                _("%(title)s: %(count)s. %(purpose)s (bestand: %(file)s)")
                % {"title": part.title, "count": part.count, "purpose": part.purpose, "file": part.file_name}
            )
        )
    if includes_internal_notes:
        story.append(text(_("Ook de interne notities van uw sociaal werker staan erin.")))
    else:
        story.append(
            text(
                _(
                    "Interne notities van uw sociaal werker staan er niet in. "
                    "Wilt u die toch zien? Vraag het aan uw sociaal werker of de privacy-functionaris."
                )
            )
        )

    story.append(text(_("Wie keek in uw dossier"), heading))
    if not looked:
        story.append(text(_("Niemand van de organisatie heeft uw gegevens bekeken.")))
    for row in looked[:WHO_LOOKED_IN_PDF]:
        story.append(
            text(
                _("%(moment)s: %(actor)s (%(role)s), %(what)s, %(action)s.")
                % {
                    "moment": _moment(row.occurred_at),
                    "actor": row.actor,
                    "role": row.role,
                    "what": row.what,
                    "action": row.action,
                }
            )
        )
    if len(looked) > WHO_LOOKED_IN_PDF:
        story.append(
            text(
                _("Dit zijn de laatste %(count)s keer. De volledige lijst staat in wie-keek-mee.csv.")
                % {"count": WHO_LOOKED_IN_PDF}
            )
        )

    story += [
        text(_("Wat er in deze map zit"), heading),
        text(_("gegevens.json: al uw gegevens in één bestand, voor een computer.")),
        text(_("Een CSV-bestand per onderdeel: te openen in een rekenprogramma.")),
        text(_("De map bestanden: de bestanden die u zelf uploadde.")),
        text(_("Wat kunt u nu doen?"), heading),
        text(
            _(
                "Klopt er iets niet? Dan mag u vragen om het te verbeteren of te verwijderen. "
                "Vraag het aan uw sociaal werker of de privacy-functionaris van %(organisation)s."
            )
            % {"organisation": organisation_name}
        ),
        text(_("Bewaar deze map op een veilige plek. Er staan persoonlijke gegevens in.")),
    ]
    document.build(story)
    return buffer.getvalue()

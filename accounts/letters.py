"""The activation letter: a printable PDF for residents without email."""

from __future__ import annotations

import io
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas


def activation_letter_pdf(
    *,
    organisation_name: str,
    organisation_phone: str,
    brand_colour: str,
    resident_name: str,
    worker_name: str,
    code: str,
    activation_url: str,
    expires_at: datetime,
    is_recovery: bool = False,
    username: str = "",
) -> bytes:
    """Render the letter. Plain Dutch (B1), large type, one code, one QR code.

    The QR code holds only the address of the activation page, never the
    code itself: a photo of the QR code alone does not open the account.
    """
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(_("Uw activatiebrief voor Samenspraak"))
    pdf.setAuthor(organisation_name)
    width, height = A4
    left = 25 * mm
    y = height - 30 * mm

    pdf.setFillColor(HexColor(brand_colour))
    pdf.rect(0, height - 12 * mm, width, 12 * mm, stroke=0, fill=1)
    pdf.setFillColor(HexColor("#111111"))

    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(left, y, organisation_name)
    y -= 16 * mm
    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawString(left, y, _("Uw persoonlijke code voor Samenspraak"))
    y -= 12 * mm

    pdf.setFont("Helvetica", 13)
    lines = [
        _("Beste %(name)s,") % {"name": resident_name},
        "",
        _("Met Samenspraak kunt u online contact houden met uw sociaal werker."),
        _("Online is een extra keuze. U kunt altijd ook langskomen of bellen."),
        "",
    ]
    if is_recovery:
        lines += [
            _("U krijgt deze brief omdat u niet meer kon inloggen."),
            _("Uw gebruikersnaam is: %(username)s") % {"username": username},
            _("Zo kiest u een nieuw wachtwoord:"),
            _("1. Ga naar %(url)s of scan de QR-code.") % {"url": activation_url},
            _("2. Typ de code hieronder over."),
            _("3. Kies een nieuw wachtwoord."),
        ]
    else:
        lines += [
            _("Zo maakt u uw account:"),
            _("1. Ga naar %(url)s of scan de QR-code.") % {"url": activation_url},
            _("2. Typ de code hieronder over."),
            _("3. Kies een gebruikersnaam en een wachtwoord."),
        ]
    for line in lines:
        pdf.drawString(left, y, line)
        y -= 7 * mm

    y -= 6 * mm
    pdf.setStrokeColor(HexColor("#111111"))
    pdf.setLineWidth(1.5)
    pdf.roundRect(left, y - 20 * mm, 110 * mm, 24 * mm, 3 * mm, stroke=1, fill=0)
    pdf.setFont("Helvetica", 11)
    pdf.drawString(left + 5 * mm, y - 2 * mm, _("Uw code:"))
    pdf.setFont("Courier-Bold", 24)
    pdf.drawString(left + 5 * mm, y - 14 * mm, code)

    qr = QrCodeWidget(activation_url, barLevel="M")
    x0, y0, x1, y1 = qr.getBounds()
    size = 40 * mm
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, left + 120 * mm, y - 28 * mm)

    y -= 38 * mm
    pdf.setFont("Helvetica", 13)
    expiry = formats.date_format(timezone.localtime(expires_at), "j F Y")
    for line in [
        _("De code werkt één keer en tot en met %(date)s.") % {"date": expiry},
        _("Is de code verlopen? Vraag uw sociaal werker om een nieuwe brief."),
        "",
    ]:
        pdf.drawString(left, y, line)
        y -= 7 * mm

    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawString(left, y, _("Let op: geef deze code aan niemand."))
    y -= 7 * mm
    pdf.setFont("Helvetica", 13)
    for line in [
        _("Uw sociaal werker vraagt nooit om uw code of wachtwoord,"),
        _("en ook nooit om uw DigiD-code of bankgegevens."),
        _("Vraagt iemand daarom? Bel dan uw sociaal werker."),
        "",
        _("Uw sociaal werker: %(worker)s") % {"worker": worker_name},
    ]:
        pdf.drawString(left, y, line)
        y -= 7 * mm
    if organisation_phone:
        pdf.drawString(left, y, _("Telefoon: %(phone)s") % {"phone": organisation_phone})

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()

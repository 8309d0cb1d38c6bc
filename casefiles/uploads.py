"""Checking an uploaded file by what it contains, not by its name.

Accepted: PDF (without scripts), PNG/JPEG images (re-encoded, which drops
location and camera metadata), Word/Excel/PowerPoint (OOXML, without
macros) and OpenDocument text/spreadsheets. Anything else, anything
disguised (a script renamed .pdf) and anything too large is refused with a
plain Dutch message before it is stored.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError


class UploadRefused(Exception):
    """The message is plain Dutch for the person who uploaded."""


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    extension: str
    sha256: str


OOXML_KINDS = {
    "word/document.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/workbook.xml": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/presentation.xml": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
ODF_KINDS = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# Active content in a PDF: scripts, launching programs, embedded files.
PDF_ACTIVE_CONTENT = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia)\b")
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000


def _too_big_message() -> str:
    megabytes = settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
    return _("Dit bestand is te groot. Kies een bestand kleiner dan %(mb)s MB.") % {"mb": megabytes}


def _wrong_kind_message() -> str:
    return _(
        "Dit soort bestand kan niet. Kies een PDF, een foto (JPG of PNG) of een Word-, Excel- of OpenDocument-bestand."
    )


def _check_pdf(data: bytes) -> CheckedUpload:
    if b"%%EOF" not in data[-2048:]:
        raise UploadRefused(_("Deze PDF is niet compleet of beschadigd. Probeer het bestand opnieuw op te slaan."))
    if PDF_ACTIVE_CONTENT.search(data):
        raise UploadRefused(
            _("Deze PDF bevat een script of een ingebouwd bestand. Dat kan niet, om veiligheidsredenen.")
        )
    return CheckedUpload(data, "application/pdf", "pdf", hashlib.sha256(data).hexdigest())


def _check_image(data: bytes) -> CheckedUpload:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in {"PNG", "JPEG"}:
                raise UploadRefused(_wrong_kind_message())
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise UploadRefused(_("Deze foto is te groot. Kies een kleinere."))
            image.load()
            upright = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if image.format == "JPEG":
                upright.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
                content_type, extension = "image/jpeg", "jpg"
            else:
                upright.save(out, format="PNG", optimize=True)
                content_type, extension = "image/png", "png"
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise UploadRefused(_("Deze foto is beschadigd of geen echte foto.")) from error
    content = out.getvalue()
    return CheckedUpload(content, content_type, extension, hashlib.sha256(content).hexdigest())


def _check_zip_document(data: bytes) -> CheckedUpload:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
                raise UploadRefused(_wrong_kind_message())
            names = {info.filename for info in infos}
            if any(name.lower().endswith(("vbaproject.bin", ".bin")) for name in names):
                raise UploadRefused(_("Dit bestand bevat macro's. Sla het op zonder macro's en probeer het opnieuw."))
            if "[Content_Types].xml" in names:
                for marker, (content_type, extension) in OOXML_KINDS.items():
                    if marker in names:
                        return CheckedUpload(data, content_type, extension, hashlib.sha256(data).hexdigest())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF_KINDS:
                    return CheckedUpload(data, mimetype, ODF_KINDS[mimetype], hashlib.sha256(data).hexdigest())
    except zipfile.BadZipFile as error:
        raise UploadRefused(_wrong_kind_message()) from error
    raise UploadRefused(_wrong_kind_message())


def upload_check(upload: UploadedFile) -> CheckedUpload:
    """Read and check ``upload``; raise ``UploadRefused`` with a message."""
    if upload.size is None or upload.size == 0:
        raise UploadRefused(_("Dit bestand is leeg. Kies een ander bestand."))
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise UploadRefused(_too_big_message())
    data = upload.read(settings.DOCUMENT_MAX_BYTES + 1)
    if len(data) > settings.DOCUMENT_MAX_BYTES:
        raise UploadRefused(_too_big_message())
    if data.startswith(b"%PDF-"):
        return _check_pdf(data)
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        return _check_image(data)
    if data.startswith(b"PK\x03\x04"):
        return _check_zip_document(data)
    raise UploadRefused(_wrong_kind_message())

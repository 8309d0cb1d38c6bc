"""Real files for upload tests, built in memory: a PDF made by reportlab,
photos made by Pillow (with location metadata), Word files zipped by hand."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin
from reportlab.pdfgen import canvas

CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>Brief van de woningcorporatie</w:t></w:r></w:p></w:body></w:document>"
)
# Where the photo was taken: the kind of metadata that must not be kept.
GPS_LATITUDE = (52.0, 22.0, 30.0)


def pdf_bytes(text: str = "Brief van de gemeente") -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, text)
    page.showPage()
    page.save()
    return out.getvalue()


def pdf_with_javascript() -> bytes:
    """A PDF that runs a script when opened."""
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"4 0 obj<</S/JavaScript/JS(app.alert('hallo'))>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def jpeg_with_location(*, size: tuple[int, int] = (32, 16), orientation: int = 1) -> bytes:
    """A photo with camera make, GPS position and an orientation tag."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Telefoonmerk"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (4.0, 53.0, 0.0)
    out = io.BytesIO()
    Image.new("RGB", size, "#c03030").save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_with_text() -> bytes:
    """A PNG with a text chunk holding an address."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Kerkstraat 12, Rivierstad")
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "#1f5fa8").save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def zip_of(files: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx_bytes() -> bytes:
    return zip_of({"[Content_Types].xml": CONTENT_TYPES_XML, "word/document.xml": DOCUMENT_XML})


def docx_with_macros() -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": CONTENT_TYPES_XML,
            "word/document.xml": DOCUMENT_XML,
            "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro",
        }
    )


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)

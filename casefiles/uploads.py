"""Checking an uploaded file by what it contains, not by its name.

Accepted: PDF (without scripts, actions that run by themselves, embedded
files or forms that send data), PNG/JPEG images (re-encoded, which drops
location and camera metadata), Word/Excel/PowerPoint (OOXML, without
macros, embedded objects or links to outside content) and OpenDocument
text/spreadsheets (without macros or embedded objects). Anything else,
anything disguised (a script renamed .pdf) and anything too large, also once
unpacked, is refused with a plain Dutch message before it is stored. When
``CLAMAV_SOCKET`` is set, every accepted file is scanned by clamd as well.
What is refused and why: docs/security/uploads.md.
"""

from __future__ import annotations

import copy
import hashlib
import io
import logging
import re
import socket
import struct
import time
import xml.etree.ElementTree as ElementTree
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import urlsplit

import pikepdf
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)


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
MAX_IMAGE_PIXELS = 40_000_000

# --- PDF ------------------------------------------------------------------------------

# Keys that only exist to carry scripts, embedded files, rich media or XFA
# forms (whose own scripts we cannot check). Names are compared after the
# parser decoded them, so /J#61vaScript is /JavaScript here.
PDF_FORBIDDEN_KEYS = frozenset(
    {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/RichMediaContent", "/RichMediaSettings", "/XFA"}
)
PDF_FORBIDDEN_TYPES = frozenset({"/EmbeddedFile", "/RichMediaExecute", "/Sound", "/Movie"})
PDF_FORBIDDEN_SUBTYPES = frozenset({"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"})
# Action types (/S of an action dictionary) that run scripts, start
# programs, open or fetch other files, send form data or play media. The
# harmless ones are left out: GoTo (a page in the same file), Thread, Trans,
# SetOCGState (show a layer) and Named (viewer commands such as next page).
# URI is refused too, except as the click target of a link annotation.
PDF_FORBIDDEN_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/URI",
        "/SubmitForm",
        "/ResetForm",
        "/ImportData",
        "/GoToR",
        "/GoToE",
        "/GoToDp",
        "/Rendition",
        "/Sound",
        "/Movie",
        "/Hide",
        "/RichMediaExecute",
        "/GoTo3DView",
    }
)
SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Belt and braces for objects the parser does not see (left in the file but
# not in its cross-reference table; another reader may still find them):
# names in the bytes outside streams, with #xx escapes decoded.
PDF_RAW_FORBIDDEN_NAMES = frozenset(
    {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA", b"SubmitForm"}
)
PDF_STREAM_BODY = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
PDF_NAME_TOKEN = re.compile(rb"/([^\s/\[\]<>(){}%]+)")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# About 25 microseconds per object: bounds the check to a few seconds.
MAX_PDF_OBJECTS = 200_000
# Deeper than any real PDF nests dictionaries and arrays.
MAX_PDF_NESTING = 200

# --- Zip-based office files -------------------------------------------------------------

# Magic numbers of archives, compound (OLE) files and programs. A part of
# an office file that starts with one of these is a file inside the file.
NESTED_MAGIC = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"PK\x07\x08",
    b"\xd0\xcf\x11\xe0",  # OLE compound file: old Office, vbaProject.bin, oleObject.bin
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",  # zstd
    b"MSCF",  # cabinet
    b"MZ",  # Windows program
    b"\x7fELF",
    b"%PDF-",
)
# Content types (lower case, substrings) of macros, ActiveX controls and
# embedded OLE objects. Embedded packages (a workbook in a letter) have
# ordinary content types; their relationship type, their folder and their
# zip magic give them away.
OOXML_FORBIDDEN_CONTENT_TYPES = (
    "vbaproject",
    "vbadata",
    "macroenabled",
    "macrosheet",
    "activex",
    "oleobject",
    "ms-excel.addin",
    "keymapcustomizations",
    "attachedtoolbars",
)
OOXML_MACRO_CONTENT_TYPES = ("vbaproject", "vbadata", "macroenabled", "macrosheet", "keymapcustomizations")
# Relationship types (the last part of the type URI, lower case) that
# point at macros, embedded objects, controls or imported foreign content.
OOXML_FORBIDDEN_RELATIONSHIPS = frozenset(
    {
        "vbaproject",
        "oleobject",
        "package",
        "control",
        "activexcontrolbinary",
        "afchunk",
        "attachedtemplate",
        "subdocument",
        "frame",
        "wordvbadata",
        "keymapcustomizations",
        "attachedtoolbars",
    }
)
# Word fields that fetch or run something when the document is opened or
# updated: DDE starts a program, INCLUDE*/IMPORT/LINK load outside files.
# A field starts at a "begin" marker; its instruction may be split over
# several runs ("DD", "EAUTO"), so the pieces up to the next field are joined.
WORD_FIELD_PIECE = re.compile(
    rb"<(?:\w+:)?fldChar\b[^>]*fldCharType=\"begin\""
    rb"|<(?:\w+:)?instrText\b[^>]*>([^<]*)</(?:\w+:)?instrText>"
    rb"|<(?:\w+:)?fldSimple\b[^>]*\binstr=\"([^\"]*)\""
)
WORD_FORBIDDEN_FIELDS = frozenset({"DDE", "DDEAUTO", "INCLUDETEXT", "INCLUDEPICTURE", "IMPORT", "LINK"})
ODF_SCRIPT_MARKERS = (b"vnd.sun.star.script:", b"<script:event-listener", b'="macro:')
# OpenDocument elements that load content from outside the file when it is
# opened (images, linked sections and sheets, frames) or run a plug-in.
ODF_OUTSIDE_CONTENT = re.compile(
    rb"<(?:draw:(?:image|object|fill-image)|text:section-source|table:table-source|office:dde-source)\b[^>]*"
    rb"xlink:href=\"(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|\\\\)"
    rb"|<(?:draw:(?:object-ole|plugin|applet|floating-frame)|text:dde-connection-decl|table:dde-link)\b"
    # A text link is kept only to the web, to mail or within the document,
    # as in Office files (a link to a Windows share leaks the password hash).
    rb"|<(?:text|draw):a\b[^>]*xlink:href=\"(?!https?://|mailto:|#)"
)
CHUNK = 64 * 1024

# --- ClamAV -----------------------------------------------------------------------------

CLAMD_CHUNK = 256 * 1024
CLAMD_MAX_REPLY = 4096


def _too_big_message() -> str:
    megabytes = settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
    return _("Dit bestand is te groot. Kies een bestand kleiner dan %(mb)s MB.") % {"mb": megabytes}


def _wrong_kind_message() -> str:
    return _(
        "Dit soort bestand kan niet. Kies een PDF, een foto (JPG of PNG) of een Word-, Excel- of OpenDocument-bestand."
    )


def _pdf_active_message() -> str:
    return _(
        "Deze PDF bevat een script of een ingebouwd bestand. Dat kan niet, om veiligheidsredenen. "
        "Maak een nieuwe PDF met 'Afdrukken als PDF' en probeer het opnieuw."
    )


def _broken_pdf_message() -> str:
    return _("Deze PDF is niet compleet of beschadigd. Probeer het bestand opnieuw op te slaan.")


def _password_message() -> str:
    return _("Dit bestand is beveiligd met een wachtwoord. Sla het op zonder wachtwoord en probeer het opnieuw.")


def _macros_message() -> str:
    return _("Dit bestand bevat macro's. Sla het op zonder macro's en probeer het opnieuw.")


def _embedded_message() -> str:
    return _(
        "Dit bestand bevat een ingebouwd bestand, een programma of een verwijzing naar iets buiten het bestand. "
        "Dat kan niet, om veiligheidsredenen."
    )


def _unpacked_too_big_message() -> str:
    return _("Dit bestand is uitgepakt te groot of bestaat uit te veel delen. Kies een kleiner bestand.")


def _virus_message() -> str:
    return _("In dit bestand is een virus gevonden. Het bestand is niet opgeslagen.")


def _scanner_unavailable_message() -> str:
    return _("We kunnen het bestand nu niet controleren, probeer het later opnieuw.")


def _checked(content: bytes, content_type: str, extension: str) -> CheckedUpload:
    return CheckedUpload(content, content_type, extension, hashlib.sha256(content).hexdigest())


# --- PDF ------------------------------------------------------------------------------


def _check_pdf(data: bytes) -> CheckedUpload:
    if b"%%EOF" not in data[-2048:]:
        raise UploadRefused(_broken_pdf_message())
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise UploadRefused(_password_message())
            _check_pdf_objects(pdf)
    except pikepdf.PasswordError as error:
        raise UploadRefused(_password_message()) from error
    # RuntimeError: qpdf's own (QpdfRuntimeError, a pages tree it cannot
    # flatten) and a recursion too deep.
    except (pikepdf.PdfError, RuntimeError, ValueError) as error:
        raise UploadRefused(_broken_pdf_message()) from error
    _check_pdf_raw_names(data)
    return _checked(data, "application/pdf", "pdf")


def _name(value: object) -> str | None:
    """The decoded name, or None when ``value`` is not a PDF name."""
    if isinstance(value, pikepdf.Name):
        return str(value)
    return None


def _dictionary_of(obj: pikepdf.Object) -> pikepdf.Object | None:
    if isinstance(obj, pikepdf.Dictionary):
        return obj
    if isinstance(obj, pikepdf.Stream):
        return obj.stream_dict
    return None


def _is_safe_uri_action(action: pikepdf.Object) -> bool:
    """A single web or mail link, nothing chained after it."""
    if not isinstance(action, pikepdf.Dictionary):
        return False
    if _name(action.get("/S")) != "/URI" or "/Next" in action:
        return False
    target = action.get("/URI")
    if not isinstance(target, pikepdf.String):
        return False
    return urlsplit(bytes(target).decode("latin-1").strip()).scheme.lower() in SAFE_LINK_SCHEMES


def _check_pdf_objects(pdf: pikepdf.Pdf) -> None:
    """Walk every object the parser knows (object streams opened, names
    decoded), and refuse active content wherever it is: catalog, pages,
    annotations, form fields, outlines and name trees are all objects here.

    A web or mail link (/URI) is kept only as the click action of a link
    annotation; as an opening action, an automatic action or anywhere else
    it is refused like any other action.
    """
    uri_actions: set[tuple[int, int]] = set()
    click_links: set[tuple[int, int]] = set()
    objects = list(pdf.objects)
    if len(objects) > MAX_PDF_OBJECTS:
        raise UploadRefused(_unpacked_too_big_message())
    for obj in [*objects, pdf.trailer]:
        stack: list[tuple[pikepdf.Object, int]] = [(obj, 0)]
        while stack:
            current, depth = stack.pop()
            if depth > MAX_PDF_NESTING:
                raise UploadRefused(_broken_pdf_message())
            dictionary = _dictionary_of(current)
            if dictionary is not None:
                # One call into the parser per dictionary; lookups are then Python's.
                entries = dict(dictionary.items())
                skip = _check_pdf_dictionary(entries, uri_actions, click_links, current)
                values = [child for key, child in entries.items() if key != skip]
            elif isinstance(current, pikepdf.Array):
                values = list(current)
            else:
                values = []
            # Indirect objects are walked from pdf.objects themselves.
            stack.extend((child, depth + 1) for child in values if _is_direct_container(child))
    if uri_actions - click_links:
        raise UploadRefused(_pdf_active_message())


def _is_direct_container(value: pikepdf.Object) -> bool:
    return isinstance(value, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream) and not value.is_indirect


def _check_pdf_dictionary(
    entries: dict[str, pikepdf.Object],
    uri_actions: set[tuple[int, int]],
    click_links: set[tuple[int, int]],
    owner: pikepdf.Object,
) -> str | None:
    """Refuse a dictionary with active content. Returns the key whose value
    was checked here already (a link's safe click action), to skip it."""
    if not PDF_FORBIDDEN_KEYS.isdisjoint(entries):
        raise UploadRefused(_pdf_active_message())
    kind = _name(entries.get("/Type"))
    subtype = _name(entries.get("/Subtype"))
    if kind in PDF_FORBIDDEN_TYPES or subtype in PDF_FORBIDDEN_SUBTYPES:
        raise UploadRefused(_pdf_active_message())
    additional = entries.get("/AA")
    if additional is not None and (not isinstance(additional, pikepdf.Dictionary) or len(additional.keys()) > 0):
        raise UploadRefused(_pdf_active_message())
    opening = entries.get("/OpenAction")
    if isinstance(opening, pikepdf.Dictionary) and _name(opening.get("/S")) != "/GoTo":
        raise UploadRefused(_pdf_active_message())
    action = _name(entries.get("/S"))
    if action in PDF_FORBIDDEN_ACTIONS and kind in (None, "/Action"):
        if action != "/URI":
            raise UploadRefused(_pdf_active_message())
        if not owner.is_indirect or owner.objgen == (0, 0):
            raise UploadRefused(_pdf_active_message())
        uri_actions.add(owner.objgen)
    # A link annotation: its action runs only when the reader clicks it.
    if subtype == "/Link" and kind in (None, "/Annot") and "/A" in entries:
        click = entries["/A"]
        if isinstance(click, pikepdf.Dictionary) and _is_safe_uri_action(click):
            if click.is_indirect:
                click_links.add(click.objgen)
            return "/A"
    return None


def _check_pdf_raw_names(data: bytes) -> None:
    outside_streams = PDF_STREAM_BODY.sub(b" ", data)
    for match in PDF_NAME_TOKEN.finditer(outside_streams):
        name = PDF_NAME_ESCAPE.sub(lambda escape: bytes([int(escape.group(1), 16)]), match.group(1))
        if name in PDF_RAW_FORBIDDEN_NAMES:
            raise UploadRefused(_pdf_active_message())


# --- Images ---------------------------------------------------------------------------


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
    # SyntaxError: how Pillow reports a PNG whose chunks are out of step.
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise UploadRefused(_("Deze foto is beschadigd of geen echte foto.")) from error
    return _checked(out.getvalue(), content_type, extension)


# --- Zip-based office files -------------------------------------------------------------


def _read_members(archive: zipfile.ZipFile) -> dict[str, bytes]:
    """Every member, decompressed while counting: the sizes the archive
    declares are never trusted (a zip bomb lies about them)."""
    infos = archive.infolist()
    if len(infos) > settings.UPLOAD_MAX_MEMBERS:
        raise UploadRefused(_unpacked_too_big_message())
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        # Two parts with one name: which one a reader uses is anyone's guess.
        raise UploadRefused(_wrong_kind_message())
    budget = settings.UPLOAD_MAX_UNZIPPED_BYTES
    members: dict[str, bytes] = {}
    for info in infos:
        if info.flag_bits & 0x1:
            raise UploadRefused(_password_message())
        if info.is_dir():
            continue
        # Read as if the member could be any size, so that decompression
        # stops at the end of its data or at our budget, not at the size it
        # declares; a declared size that differs from the real one is a lie.
        unbounded = copy.copy(info)
        unbounded.file_size = settings.UPLOAD_MAX_UNZIPPED_BYTES + 1
        parts: list[bytes] = []
        size = 0
        with archive.open(unbounded) as member:
            while chunk := member.read(CHUNK):
                size += len(chunk)
                budget -= len(chunk)
                if size > settings.UPLOAD_MAX_MEMBER_BYTES or budget < 0:
                    raise UploadRefused(_unpacked_too_big_message())
                parts.append(chunk)
        if size != info.file_size:
            raise UploadRefused(_wrong_kind_message())
        members[info.filename] = b"".join(parts)
    return members


def _parse_xml(content: bytes) -> ElementTree.Element:
    """Parse a small XML part of an office file. Office parts never carry a
    document type declaration, so one is refused outright (no entity tricks);
    expat itself also limits entity expansion."""
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise UploadRefused(_wrong_kind_message())
    try:
        return ElementTree.fromstring(content)  # noqa: S314 - DTDs refused above
    except ElementTree.ParseError as error:
        raise UploadRefused(_wrong_kind_message()) from error


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _check_nested(members: dict[str, bytes]) -> None:
    for name, content in members.items():
        if "vbaproject" in name.lower():
            raise UploadRefused(_macros_message())
        if content.startswith(NESTED_MAGIC):
            raise UploadRefused(_embedded_message())


def _check_ooxml(members: dict[str, bytes]) -> None:
    types = _parse_xml(members["[Content_Types].xml"])
    for element in types.iter():
        content_type = element.get("ContentType", "").lower()
        if any(marker in content_type for marker in OOXML_MACRO_CONTENT_TYPES):
            raise UploadRefused(_macros_message())
        if any(marker in content_type for marker in OOXML_FORBIDDEN_CONTENT_TYPES):
            raise UploadRefused(_embedded_message())
    for name, content in members.items():
        lowered = name.lower()
        # Embedded files, ActiveX controls and links to other workbooks.
        if "/embeddings/" in f"/{lowered}" or "activex/" in lowered or lowered.startswith("xl/externallinks/"):
            raise UploadRefused(_embedded_message())
        if lowered.endswith(".rels"):
            _check_relationships(content)
        elif lowered.startswith("word/") and lowered.endswith(".xml"):
            _check_word_fields(content)
        elif lowered.startswith("ppt/") and lowered.endswith(".xml"):
            # Action settings on a shape: "run program", "run macro", "OLE verb".
            if b"ppaction://macro" in content:
                raise UploadRefused(_macros_message())
            if b"ppaction://program" in content or b"ppaction://ole" in content:
                raise UploadRefused(_embedded_message())


def _check_relationships(content: bytes) -> None:
    """Refuse relationships to macros or embedded objects, and any target
    outside the file, except a plain web or mail hyperlink (clicked by the
    reader, shown with its address)."""
    for relationship in _parse_xml(content).iter():
        if _local(relationship.tag) != "Relationship":
            continue
        kind = relationship.get("Type", "").rstrip("/").rsplit("/", 1)[-1].lower()
        if kind in {"vbaproject", "wordvbadata", "keymapcustomizations"}:
            raise UploadRefused(_macros_message())
        if kind in OOXML_FORBIDDEN_RELATIONSHIPS:
            raise UploadRefused(_embedded_message())
        if relationship.get("TargetMode", "").lower() == "external":
            target = relationship.get("Target", "").strip()
            is_web_link = urlsplit(target).scheme.lower() in SAFE_LINK_SCHEMES
            if kind != "hyperlink" or not is_web_link:
                raise UploadRefused(_embedded_message())


def _check_word_fields(content: bytes) -> None:
    instructions: list[str] = []
    for match in WORD_FIELD_PIECE.finditer(content):
        if match.group(2) is not None:
            instructions.append(match.group(2).decode("utf-8", "replace"))
            instructions.append("")
        elif match.group(1) is not None:
            if not instructions:
                instructions.append("")
            instructions[-1] += match.group(1).decode("utf-8", "replace")
        else:
            instructions.append("")
    for instruction in instructions:
        words = instruction.split()
        if words and words[0].upper() in WORD_FORBIDDEN_FIELDS:
            raise UploadRefused(_embedded_message())


def _check_odf(members: dict[str, bytes]) -> None:
    for name in members:
        if name.startswith(("Basic/", "Scripts/")):
            raise UploadRefused(_macros_message())
        if name.startswith(("Object ", "ObjectReplacements/")):
            raise UploadRefused(_embedded_message())
    manifest = members.get("META-INF/manifest.xml")
    if manifest is None:
        raise UploadRefused(_wrong_kind_message())
    for entry in _parse_xml(manifest).iter():
        tag = _local(entry.tag)
        if tag == "encryption-data":
            raise UploadRefused(_password_message())
        if tag != "file-entry":
            continue
        attributes = {_local(key): value for key, value in entry.attrib.items()}
        path = attributes.get("full-path", "")
        media_type = attributes.get("media-type", "").lower()
        if "script" in media_type or "basic" in media_type or path.startswith(("Basic/", "Scripts/")):
            raise UploadRefused(_macros_message())
        if path != "/" and ("opendocument" in media_type or "oleobject" in media_type):
            raise UploadRefused(_embedded_message())
    for name, content in members.items():
        if name.endswith(".xml") and any(marker in content for marker in ODF_SCRIPT_MARKERS):
            raise UploadRefused(_macros_message())
        if name.endswith(".xml") and ODF_OUTSIDE_CONTENT.search(content):
            raise UploadRefused(_embedded_message())


def _check_zip_document(data: bytes) -> CheckedUpload:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = _read_members(archive)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        struct.error,
        ValueError,
        NotImplementedError,
        EOFError,
        OSError,
    ) as error:
        # Also a member that does not match its checksum (sizes that lie)
        # or a compression method we do not know.
        raise UploadRefused(_wrong_kind_message()) from error
    _check_nested(members)
    if "[Content_Types].xml" in members:
        for marker, (content_type, extension) in OOXML_KINDS.items():
            if marker in members:
                _check_ooxml(members)
                return _checked(data, content_type, extension)
    if "mimetype" in members:
        mimetype = members["mimetype"].decode("ascii", "replace").strip()
        if mimetype in ODF_KINDS:
            _check_odf(members)
            return _checked(data, mimetype, ODF_KINDS[mimetype])
    raise UploadRefused(_wrong_kind_message())


# --- ClamAV -----------------------------------------------------------------------------


def _clamd_connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("tcp://"):
        parts = urlsplit(address)
        if not parts.hostname or not parts.port:
            raise OSError(f"CLAMAV_SOCKET has no host and port: {address}")
        return socket.create_connection((parts.hostname, parts.port), timeout=timeout)
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(timeout)
        connection.connect(address)
    except OSError:
        connection.close()
        raise
    return connection


def clamav_scan(content: bytes) -> str | None:
    """Stream ``content`` to clamd (INSTREAM) and return the name of what it
    found, or None when clean. Raises ``OSError`` when clamd cannot be
    reached or does not answer within ``CLAMAV_TIMEOUT_SECONDS`` (for the
    whole scan, not per read)."""
    deadline = time.monotonic() + settings.CLAMAV_TIMEOUT_SECONDS

    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("clamd did not answer in time")
        return left

    with _clamd_connect(settings.CLAMAV_SOCKET, remaining()) as connection:
        connection.settimeout(remaining())
        connection.sendall(b"zINSTREAM\0")
        for start in range(0, len(content), CLAMD_CHUNK):
            chunk = content[start : start + CLAMD_CHUNK]
            connection.settimeout(remaining())
            connection.sendall(struct.pack("!I", len(chunk)) + chunk)
        connection.settimeout(remaining())
        connection.sendall(struct.pack("!I", 0))
        reply = b""
        while not reply.endswith(b"\0") and len(reply) < CLAMD_MAX_REPLY:
            connection.settimeout(remaining())
            piece = connection.recv(CLAMD_MAX_REPLY)
            if not piece:
                break
            reply += piece
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer == "stream: OK":
        return None
    if answer.startswith("stream: ") and answer.endswith(" FOUND"):
        return answer.removeprefix("stream: ").removesuffix(" FOUND")
    # "... ERROR" (size limit, clamd overloaded) or a cut-off answer.
    raise OSError(f"clamd answered {answer[:200]!r}")


def _scan(checked: CheckedUpload) -> CheckedUpload:
    if not settings.CLAMAV_SOCKET:
        return checked
    try:
        found = clamav_scan(checked.content)
    except OSError as error:
        logger.warning("Upload refused: virus scanner unavailable (%s)", error)
        raise UploadRefused(_scanner_unavailable_message()) from error
    if found is not None:
        logger.warning("Upload refused: clamd found %s in a file with sha256 %s", found, checked.sha256)
        raise UploadRefused(_virus_message())
    return checked


def upload_check(upload: UploadedFile) -> CheckedUpload:
    """Read and check ``upload``; raise ``UploadRefused`` with a message.

    The bytes returned are the bytes to store; with ``CLAMAV_SOCKET`` set,
    clamd has scanned exactly those bytes.
    """
    if upload.size is None or upload.size == 0:
        raise UploadRefused(_("Dit bestand is leeg. Kies een ander bestand."))
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        raise UploadRefused(_too_big_message())
    data = upload.read(settings.DOCUMENT_MAX_BYTES + 1)
    if len(data) > settings.DOCUMENT_MAX_BYTES:
        raise UploadRefused(_too_big_message())
    if data.startswith(b"%PDF-"):
        return _scan(_check_pdf(data))
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        return _scan(_check_image(data))
    if data.startswith(b"PK\x03\x04"):
        return _scan(_check_zip_document(data))
    raise UploadRefused(_wrong_kind_message())

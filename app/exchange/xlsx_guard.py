"""The pre-read guard (导入前检查) every workbook reader runs before python-calamine sees the file.

calamine allocates a sheet's whole grid (max row × max column cells) at once: a 5 KB file with one
cell at XFD1048576 asks for 512 GiB and aborts the process; it also reads every shared string
and never questions a part's size. So before calamine opens a file, `inspect` checks — with the
standard library, streaming, in bounded memory — what the file is and what reading it would cost,
and refuses it with a Chinese message naming the sheet and the limit (a `UserInputError`:
nothing is written). `open_workbook` is the one entry every reader uses: inspect, then calamine.
A streaming reader (the registry import) splits `inspect` in two: `inspect_workbook` (everything
calamine reads when it opens the file) before opening, then `check_sheet` for each sheet before
calamine parses that sheet — the next sheet is checked while calamine parses the current one.

Rules, in order:
- Content, not the extension, tells the kind: an OLE2 compound file (D0 CF 11 E0) holding
  `EncryptionInfo`/`EncryptedPackage` streams is a password-protected .xlsx, one holding
  `Workbook`/`Book` a legacy .xls; a zip (PK 03 04) is read as .xlsx; anything else is not a workbook.
- The zip: at most MAX_ENTRIES entries, no encrypted entry, each part's declared uncompressed
  size ≤ MAX_PART_BYTES, all of them ≤ MAX_TOTAL_BYTES, and no large part compressed more than
  MAX_RATIO times (a zip bomb). Parts are read through `zipfile`, which stops at the declared
  size and checks the CRC, so a part that lies about its size is refused as damaged.
- Every XML part calamine reads (workbook, relationships, styles, shared strings, the sheets
  asked for) is streamed: any DOCTYPE/ENTITY declaration is refused (entity expansion, 'billion
  laughs'); no text longer than MAX_TEXT_CHARACTERS (Excel's own cell limit); at most
  MAX_SHARED_STRINGS shared strings.
- Each sheet asked for: its declared `<dimension ref>` and its real extent (the furthest cell
  holding a value) within MAX_COLUMNS × MAX_ROWS, the grid calamine would allocate within
  MAX_GRID_CELLS, and — past SPARSE_GRID_FLOOR cells — at least 1 in SPARSE_RATIO of the grid
  holding a value (a stray cell far away makes calamine allocate everything in between).
  The scan counts tags with C-speed byte searches when every cell names its position first
  (`<c r="…"`: Excel, WPS, openpyxl, xlsxwriter); otherwise — other writers, comments, CDATA —
  an expat pass computes the same numbers (slower, same bounds).
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from app.errors import UserInputError

# ---- limits ------------------------------------------------------------------------------------
# Measured on the district demo workbook (`fpledger demo --size district` + `export-workbook`:
# 150,000 women, 616,000 rows over 6 sheets, 36.7 MB on disk): the largest part is the 育龄妇女
# sheet, 156 MB uncompressed, 150,000 rows × 28 columns; total 316 MB; compression ratios 2–10.
MAX_ROWS = 1_048_576
"""Rows a sheet may reach: Excel's own maximum (≈ 3× a 300,000-women 育龄妇女 sheet)."""
MAX_COLUMNS = 100
"""Columns a sheet may reach (column CV): our widest sheet, 育龄妇女, has 28 columns; room for
a clerk's own extra columns (ignored with a warning)."""
MAX_GRID_CELLS = 16_000_000
"""Rows × columns of a sheet's extent — what calamine allocates (~32 bytes a cell): ≈ 2× a
300,000-women 育龄妇女 sheet (8.4 million), 3.8× the district demo's."""
SPARSE_GRID_FLOOR = 1_000_000
"""Grids up to this many cells are never refused for being mostly empty (~30 MB in calamine)."""
SPARSE_RATIO = 20
"""Past SPARSE_GRID_FLOOR, at least one cell in this many must hold a value (our sheets: 1 in 1.6)."""
MAX_TEXT_CHARACTERS = 32_767
"""The longest text one cell may hold — Excel's own limit."""
MAX_SHARED_STRINGS = 5_000_000
"""Entries of the shared-string table (a 300,000-women workbook written by Excel: ~1.5 million)."""
MAX_PART_BYTES = 1_000_000_000
"""Declared uncompressed size of one part (≈ 3× a 300,000-women 育龄妇女 sheet, 312 MB)."""
MAX_TOTAL_BYTES = 2_000_000_000
"""Declared uncompressed size of all parts together (≈ 3× a 300,000-women workbook)."""
MAX_META_PART_BYTES = 64_000_000
"""workbook.xml, relationships, styles, content types: a few KB normally, a few MB at most."""
MAX_RATIO = 100
"""Largest compression ratio of a part above RATIO_FLOOR bytes (our parts: 2–10; a zip bomb: ~1,000)."""
RATIO_FLOOR = 1_000_000
MAX_ENTRIES = 10_000
"""Entries in the zip (ours: 14; images and charts add a few each)."""

_CHUNK = 1 << 20
MAX_RUN_BYTES = 8 * MAX_TEXT_CHARACTERS + (1 << 16)
"""Bytes without a '<' after which a text is too long whatever its characters (8 per character
covers UTF-8 and numeric character references)."""
MAX_STRING_XML_BYTES = 1 << 20
"""XML bytes of one shared string (`<si>`, rich-text runs included) after which it is refused:
32,767 characters with their formatting take a few hundred KB at most."""
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Inspection:
    """What the guard learnt: the workbook's sheet names in order, and which sheets are empty.
    After `inspect_workbook` (the sheets not scanned yet): `pending` — the part of each sheet
    to be read, by its name as written, for `check_sheet`; `declared_rows` — the last row its
    `<dimension>` declares (0 when it declares none), an estimate for progress."""

    sheet_names: list[str] = field(default_factory=list)
    empty: set[str] = field(default_factory=set)
    pending: dict[str, str] = field(default_factory=dict)
    declared_rows: dict[str, int] = field(default_factory=dict)


def _refuse(message: str) -> UserInputError:
    return UserInputError(message + "未导入任何数据。")


def _n(number: int) -> str:
    return f"{number:,}"


def column_letters(index: int) -> str:
    """1 → A, 28 → AB, 16384 → XFD."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: bytes | str) -> int:
    number = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.upper().decode("ascii", "replace"):
        if not "A" <= ch <= "Z":
            return -1
        number = number * 26 + ord(ch) - 64
    return number


# ---- file kind ---------------------------------------------------------------------------------
def check_file_kind(path: Path) -> None:
    """Refuse what is not an .xlsx workbook, told by content, with a message a clerk understands."""
    if not path.exists():
        raise UserInputError(f"文件“{path}”不存在。")
    if path.is_dir():
        raise UserInputError(f"“{path}”是一个文件夹，不是 Excel 工作簿。")
    with open(path, "rb") as handle:
        head = handle.read(8)
        if head == _OLE_MAGIC:
            names = _ole_stream_names(handle)
            if names is None:
                raise UserInputError(f"“{path.name}”是旧版 Excel 97-2003 (.xls) 文件或设置了打开密码的工作簿，无法读取；"
                                     "请在 Excel/WPS 中取消密码并“另存为” Excel 工作簿 (.xlsx) 后再导入。")
            lowered = {n.lower() for n in names}
            if {"encryptioninfo", "encryptedpackage"} & lowered:
                raise UserInputError(f"“{path.name}”设置了打开密码（已加密），无法读取；"
                                     "请在 Excel/WPS 中取消密码后再导入。")
            if {"workbook", "book"} & lowered:
                raise UserInputError(f"“{path.name}”是旧版 Excel 97-2003 (.xls) 文件；请在 Excel/WPS 中“另存为”"
                                     " Excel 工作簿 (.xlsx) 后再导入。")
            raise UserInputError(f"“{path.name}”是 Office 文档，但不是 Excel 工作簿 (.xlsx)。")
    if not head.startswith(b"PK\x03\x04"):
        raise UserInputError(f"“{path.name}”不是 Excel 工作簿 (.xlsx)。")


def _ole_stream_names(handle) -> list[str] | None:
    """The names in an OLE2 compound file's directory (enough to tell .xls from an encrypted
    .xlsx), or None when the directory cannot be read. Reads the header, the FAT sectors it
    lists and the directory chain; bounded (at most 4,096 directory sectors)."""
    try:
        handle.seek(0)
        header = handle.read(512)
        if len(header) < 512:
            return None
        shift = struct.unpack_from("<H", header, 0x1E)[0]
        if shift not in (9, 12):
            return None
        size = 1 << shift
        first_dir = struct.unpack_from("<I", header, 0x30)[0]
        fat_sectors = [s for s in struct.unpack_from("<109I", header, 0x4C) if s < 0xFFFFFFFA]

        def sector(number: int) -> bytes:
            handle.seek(512 + number * size if size == 512 else size * (number + 1))
            return handle.read(size)

        fat: list[int] = []
        for number in fat_sectors[:1024]:
            data = sector(number)
            fat.extend(struct.unpack(f"<{len(data) // 4}I", data[: len(data) // 4 * 4]))
        names: list[str] = []
        current, seen = first_dir, set[int]()
        while current < 0xFFFFFFFA and current not in seen and len(seen) < 4096:
            seen.add(current)
            data = sector(current)
            for offset in range(0, len(data) - 127, 128):
                length = struct.unpack_from("<H", data, offset + 0x40)[0]
                if 2 <= length <= 64:
                    names.append(data[offset: offset + length - 2].decode("utf-16-le", "replace"))
            current = fat[current] if current < len(fat) else 0xFFFFFFFE
        return names or None
    except (OSError, struct.error, ValueError):
        return None


# ---- the zip -----------------------------------------------------------------------------------
def inspect(path: Path, names: Collection[str] | None = None) -> Inspection:
    """Check `path` before calamine reads it; `names` — the sheets that will be read (compared
    stripped, as the readers do), None for all. Raises UserInputError; returns what it learnt.
    The same as `inspect_workbook` followed by `check_sheet` for every sheet to be read."""
    path = Path(path)
    check_file_kind(path)
    with _opened(path) as archive:
        inspection = _inspect_zip(path.name, archive, names)
        for name in list(inspection.pending):
            _check_sheet(path.name, archive, inspection, name)
    return inspection


def inspect_workbook(path: Path, names: Collection[str] | None = None) -> Inspection:
    """Every check of `inspect` but the scans of the sheets to be read: the file's kind, the
    zip, the workbook, relationships, styles and shared strings. Each sheet must then pass
    `check_sheet` before calamine reads it (a streaming reader checks sheet k+1 while calamine
    parses sheet k)."""
    path = Path(path)
    check_file_kind(path)
    with _opened(path) as archive:
        return _inspect_zip(path.name, archive, names)


def check_sheet(path: Path, inspection: Inspection, name: str, archive: zipfile.ZipFile | None = None) -> None:
    """Scan one sheet `inspect_workbook` left pending (`name` as written in the workbook):
    its extent, grid, texts and declarations; raises UserInputError. `archive`: the file
    already opened (a caller scanning several sheets), else it is opened here."""
    path = Path(path)
    if archive is not None:
        with _translated(path):
            _check_sheet(path.name, archive, inspection, name)
        return
    with _opened(path) as opened:
        _check_sheet(path.name, opened, inspection, name)


def open_archive(path: Path) -> zipfile.ZipFile:
    """The file as a zip for `check_sheet` (the caller closes it); errors as `inspect` words them."""
    with _translated(Path(path)):
        return zipfile.ZipFile(path)


@contextmanager
def _opened(path: Path) -> Iterator[zipfile.ZipFile]:
    with _translated(path), zipfile.ZipFile(path) as archive:
        yield archive


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    """Reading errors of the zip as the clerk's messages."""
    try:
        yield
    except (zipfile.BadZipFile, zlib.error):
        raise _refuse(f"“{path.name}”已损坏（不是完整的 .xlsx 压缩包，可能没有下载或复制完整）；") from None
    except (EOFError, zipfile.LargeZipFile, NotImplementedError, RuntimeError):
        raise _refuse(f"“{path.name}”已损坏或使用了不支持的压缩方式；") from None
    except OSError as exc:
        if isinstance(exc, PermissionError):
            raise UserInputError(f"没有权限读取“{path.name}”（文件可能正被其他程序打开）。") from None
        raise _refuse(f"“{path.name}”无法读取（文件损坏或磁盘出错）；") from None


def _inspect_zip(file_name: str, archive: zipfile.ZipFile, names: Collection[str] | None) -> Inspection:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise _refuse(f"“{file_name}”包含 {_n(len(entries))} 个部件，超过上限 {_n(MAX_ENTRIES)} 个；")
    total = 0
    for info in entries:
        if info.flag_bits & 0x1:
            raise UserInputError(f"“{file_name}”设置了密码（已加密），无法读取；请在 Excel/WPS 中取消密码后再导入。")
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            raise _refuse(f"“{file_name}”中的部件 {info.filename} 解压后有 {_n(info.file_size)} 字节，"
                          f"超过上限 {_n(MAX_PART_BYTES)} 字节；")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _refuse(f"“{file_name}”中的部件 {info.filename} 压缩了 {info.file_size // max(info.compress_size, 1)} 倍"
                          f"（上限 {MAX_RATIO} 倍），像是“压缩炸弹”；")
    if total > MAX_TOTAL_BYTES:
        raise _refuse(f"“{file_name}”解压后共 {_n(total)} 字节，超过上限 {_n(MAX_TOTAL_BYTES)} 字节；")
    by_name = {info.filename: info for info in entries}
    workbook_part = _workbook_part(archive, by_name)
    if workbook_part is None:
        raise UserInputError(f"“{file_name}”不是 Excel 工作簿 (.xlsx)（压缩包中没有 workbook.xml）。")
    if workbook_part.endswith(".bin"):
        raise UserInputError(f"“{file_name}”是 Excel 二进制工作簿 (.xlsb)；请在 Excel 中“另存为” Excel 工作簿 (.xlsx) 后再导入。")
    sheets = _sheet_parts(archive, by_name, workbook_part, file_name)
    inspection = Inspection([name for name, _ in sheets])
    read = [(name, part) for name, part in sheets if names is None or name.strip() in names]
    read_parts = {part for _, part in read}
    for info in entries:  # every other XML part calamine may parse: size and declarations
        lowered = info.filename.lower()
        if info.filename in read_parts or not lowered.endswith((".xml", ".rels")):
            continue
        if lowered.startswith("xl/worksheets/") or lowered.startswith("xl/chartsheets/"):
            if _head_is_empty(archive, info):
                inspection.empty.update(n for n, p in sheets if p == info.filename)
            continue
        if lowered.endswith("sharedstrings.xml"):
            _scan_text_part(archive, info, "共享字符串表", shared_strings=True)
        elif lowered.startswith(("xl/", "[content_types]", "_rels/")) and "/media/" not in lowered:
            if info.file_size > MAX_META_PART_BYTES:
                raise _refuse(f"“{file_name}”中的部件 {info.filename} 有 {_n(info.file_size)} 字节，"
                              f"超过上限 {_n(MAX_META_PART_BYTES)} 字节；")
            _scan_text_part(archive, info, f"部件 {info.filename} ")
    for name, part in read:
        if part not in by_name:
            raise _refuse(f"“{file_name}”已损坏：找不到工作表“{name.strip()}”的内容；")
        inspection.pending[name] = part
        inspection.declared_rows[name] = _declared_rows(archive, by_name[part])
    return inspection


def _declared_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """The last row a sheet's `<dimension>` declares (in its first 4 KB), 0 when none; a part
    that cannot be read here is left to its scan to refuse."""
    try:
        with archive.open(info) as stream:
            declared = _dimension(stream.read(1 << 12))
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError):
        return 0
    return declared[0] if declared else 0


def _check_sheet(file_name: str, archive: zipfile.ZipFile, inspection: Inspection, name: str) -> None:
    part = inspection.pending[name]
    extent = _scan_sheet(archive, archive.getinfo(part), name.strip())
    if extent.empty:
        inspection.empty.add(name)
    del inspection.pending[name]


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> bytes:
    if info.file_size > MAX_META_PART_BYTES:
        raise _refuse(f"{what}有 {_n(info.file_size)} 字节，超过上限 {_n(MAX_META_PART_BYTES)} 字节；")
    data = archive.read(info.filename)
    if re.search(rb"<!\s*(?:DOCTYPE|ENTITY)", data):
        raise _refuse(f"{what}含有 XML 实体声明，可能是恶意构造的文件；")
    return data


def _parse(data: bytes, what: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise _refuse(f"{what}已损坏（XML 格式错误）；") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _relationships(archive, by_name, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, resolved target) of a part's relationships."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in by_name:
        return {}
    root = _parse(_read_small(archive, by_name[rels_name], f"部件 {rels_name} "), f"部件 {rels_name} ")
    out = {}
    for rel in root:
        target = rel.get("Target") or ""
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id") or ""] = (rel.get("Type") or "", resolved)
    return out


def _workbook_part(archive, by_name) -> str | None:
    for kind, target in _relationships(archive, by_name, "").values():
        if kind.endswith("/officeDocument") and target in by_name:
            return target
    return "xl/workbook.xml" if "xl/workbook.xml" in by_name else None


def _sheet_parts(archive, by_name, workbook_part: str, file_name: str) -> list[tuple[str, str]]:
    """(sheet name, part name) in workbook order."""
    root = _parse(_read_small(archive, by_name[workbook_part], f"“{file_name}”的 workbook.xml "),
                  f"“{file_name}”的 workbook.xml ")
    rels = _relationships(archive, by_name, workbook_part)
    out = []
    for element in root.iter():
        if _local(element.tag) != "sheet":
            continue
        rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
        target = rels.get(rel_id, ("", ""))[1]
        if target not in by_name:  # tolerate a different case, as Windows tools write it
            target = next((n for n in by_name if n.lower() == target.lower()), target)
        out.append((element.get("name") or "", target))
    return out


def _head_is_empty(archive, info) -> bool:
    """Whether an unread sheet has no rows at all (its first 64 KB show an empty sheetData)."""
    with archive.open(info) as stream:
        head = stream.read(1 << 16)
    return re.search(rb"<(?:\w+:)?sheetData\s*/>|<(?:\w+:)?sheetData\s*>\s*</(?:\w+:)?sheetData>", head) is not None


# ---- streaming scans ---------------------------------------------------------------------------
@dataclass
class _Extent:
    max_row: int = 0
    max_column: int = 0
    cells: int = 0  # cells holding a value (or at least not self-closing)

    @property
    def empty(self) -> bool:
        return self.cells == 0


def _chunks(archive, info) -> Iterator[bytes]:
    """The part in pieces that each end just before a '<' (so no tag and no text is cut), the
    remainder carried into the next piece. A stretch of more than MAX_RUN_BYTES bytes without
    a '<' is refused (too long a text)."""
    carry = b""
    with archive.open(info) as stream:
        while True:
            block = stream.read(_CHUNK)
            if not block:
                if carry:
                    yield carry
                return
            data = carry + block
            cut = data.rfind(b"<")
            if cut <= 0:
                carry = data
                if len(carry) > MAX_RUN_BYTES:
                    raise _TooLong()
                continue
            carry = data[cut:]
            yield data[:cut]


class _TooLong(Exception):
    """A text longer than MAX_TEXT_CHARACTERS."""


class _Unusual(Exception):
    """The fast scan cannot vouch for this part (comments, CDATA, cells without a leading r=): use expat."""


_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)")
_LONG_RUN = re.compile(rb">[^<]{%d}" % (MAX_TEXT_CHARACTERS + 1))
_ENTITY_REF = re.compile(rb"&(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z]+);")


_BLOCK = (MAX_TEXT_CHARACTERS + 1) // 2
"""A stretch of MAX_TEXT_CHARACTERS + 1 bytes without a '<' contains a whole aligned block of this size."""


def _check_long_text(data: bytes) -> None:
    """Refuse a text run of more than MAX_TEXT_CHARACTERS characters (runs longer in bytes are
    decoded and their entities counted as one character each). When every aligned _BLOCK of
    the piece holds a '<' (C-speed finds), no run is long enough and the search is skipped."""
    find = data.find
    if all(find(b"<", k, k + _BLOCK) >= 0 for k in range(0, len(data) - _BLOCK + 1, _BLOCK)):
        return
    for match in _LONG_RUN.finditer(data):
        end = data.find(b"<", match.start())
        run = data[match.start() + 1: end if end >= 0 else len(data)]
        characters = len(_ENTITY_REF.sub(b"&", run).decode("utf-8", "replace"))
        if characters > MAX_TEXT_CHARACTERS:
            raise _TooLong()


def _too_long(what: str) -> UserInputError:
    return _refuse(f"{what}中有单元格的内容超过 {_n(MAX_TEXT_CHARACTERS)} 个字符（Excel 单元格的上限）；")


def _declarations(what: str) -> UserInputError:
    return _refuse(f"{what}含有 XML 实体声明，可能是恶意构造的文件；")


def _damaged(what: str) -> UserInputError:
    return _refuse(f"{what}已损坏（XML 内容不完整或格式错误）；")


_STRING_START = re.compile(rb"<(?:\w+:)?si[\s>/]")


def _scan_text_part(archive, info, what: str, shared_strings: bool = False) -> None:
    """Stream a part: no declarations, no over-long text; for the shared strings at most
    MAX_SHARED_STRINGS entries, none longer than MAX_STRING_XML_BYTES of XML."""
    try:
        try:
            count, open_since = 0, 0  # bytes since the last <si> began, carried across pieces
            for data in _chunks(archive, info):
                if b"<!" in data:
                    if _DECLARATION.search(data):
                        raise _declarations(what)
                    raise _Unusual()
                _check_long_text(data)
                if shared_strings:
                    last = -open_since
                    for match in _STRING_START.finditer(data):
                        if match.start() - last > MAX_STRING_XML_BYTES:
                            raise _TooLong()
                        last = match.start()
                        count += 1
                    open_since = len(data) - last
                    if open_since > MAX_STRING_XML_BYTES:
                        raise _TooLong()
                    if count > MAX_SHARED_STRINGS:
                        raise _refuse(f"{what}有超过 {_n(MAX_SHARED_STRINGS)} 个字符串，超过上限；")
        except _Unusual:
            _expat_scan(archive, info, what, shared_strings=shared_strings)
    except _TooLong:
        raise _too_long(what) from None
    except zipfile.BadZipFile:
        raise _damaged(what) from None


def _dimension(data: bytes) -> tuple[int, int] | None:
    """(last row, last column) of a declared `<dimension ref="A1:T500">`, if any."""
    match = re.search(rb"<(?:\w+:)?dimension\s[^>]*?ref\s*=\s*[\"']([^\"']*)[\"']", data)
    if not match:
        return None
    last = match.group(1).split(b":")[-1].replace(b"$", b"")
    found = re.fullmatch(rb"([A-Za-z]{1,8})(\d{1,12})", last)
    if not found:
        return None
    return int(found.group(2)), _column_number(found.group(1))


def _limits_message(sheet: str, what: str, row: int, column: int) -> UserInputError:
    return _refuse(f"工作表“{sheet}”{what} {column_letters(column)}{row}（{_n(column)} 列、{_n(row)} 行），"
                   f"超过上限（最多 {MAX_COLUMNS} 列、{_n(MAX_ROWS)} 行）；")


def _check_extent(sheet: str, extent: _Extent, final: bool) -> None:
    if extent.max_row > MAX_ROWS or extent.max_column > MAX_COLUMNS:
        raise _limits_message(sheet, "的内容延伸到", extent.max_row, extent.max_column)
    grid = extent.max_row * extent.max_column
    if grid > MAX_GRID_CELLS:
        raise _refuse(f"工作表“{sheet}”的范围 A1:{column_letters(extent.max_column)}{extent.max_row} 共 {_n(grid)} 个单元格，"
                      f"超过上限 {_n(MAX_GRID_CELLS)} 个；请分成几个文件导入；")
    if final and grid > SPARSE_GRID_FLOOR and extent.cells * SPARSE_RATIO < grid:
        raise _refuse(f"工作表“{sheet}”的范围 A1:{column_letters(extent.max_column)}{extent.max_row} 几乎全是空单元格"
                      f"（{_n(grid)} 个中只有 {_n(extent.cells)} 个有内容），多半是远处的单元格误填了内容；"
                      "请删除多余的行和列后再导入；")


def _greater_than(number: int) -> bytes:
    """A regex matching the decimal integers above `number` (leading zeros allowed)."""
    digits = str(number)
    options = [rb"[1-9]\d{%d,}" % len(digits)]
    for i, d in enumerate(digits):
        if d != "9":
            rest = len(digits) - i - 1
            options.append(digits[:i].encode() + (b"[%d-9]" % (int(d) + 1)) + (rb"\d{%d}" % rest if rest else b""))
    return b"0*(?:" + b"|".join(options) + b")"


def _letters_beyond(column: int) -> bytes:
    """A regex matching the column letters beyond `column` (upper or lower case)."""
    letters = column_letters(column) if column else ""
    options = [rb"[A-Za-z]{%d,}" % (len(letters) + 1)]
    for i, ch in enumerate(letters):
        if ch != "Z":
            rest = len(letters) - i - 1
            after = chr(ord(ch) + 1)
            prefix = "".join(f"[{c}{c.lower()}]" for c in letters[:i]).encode()
            options.append(prefix + f"[{after}-Z{after.lower()}-z]".encode() + (rb"[A-Za-z]{%d}" % rest if rest else b""))
    return b"(?:" + b"|".join(options) + b")"


_PATTERNS: dict[tuple, re.Pattern] = {}


def _odd_cell(prefix: bytes, row: int, column: int) -> re.Pattern:
    """One search for any cell the fast scan cannot place within (row, column): a cell tag
    without a well-formed r= first, or a cell holding a value (not self-closing) beyond the
    row or the column."""
    key = (prefix, row, column)
    if key not in _PATTERNS:
        if len(_PATTERNS) > 256:
            _PATTERNS.clear()
        c = b"<" + re.escape(prefix) + b"c"
        _PATTERNS[key] = re.compile(
            c + rb'(?:[>/\t\n\r]| (?!r="[A-Za-z]+\d+")| r="(?:' + _letters_beyond(column) + rb"[A-Za-z]*\d+|[A-Za-z]+"
            + _greater_than(row) + rb')"[^>]*(?<!/)>)')
    return _PATTERNS[key]


_CELL_REF = re.compile(rb'r="([A-Za-z]+)(\d+)"')


def _scan_sheet(archive, info, sheet: str) -> _Extent:
    what = f"工作表“{sheet}”"
    try:
        try:
            return _fast_scan(archive, info, sheet)
        except _Unusual:
            return _expat_scan(archive, info, what, sheet=sheet)
    except _TooLong:
        raise _too_long(what) from None
    except zipfile.BadZipFile:
        raise _damaged(what) from None


def _fast_scan(archive, info, sheet: str) -> _Extent:
    """The byte scan. Per piece: the last cell's position is taken as the extent so far, and one
    search (`_odd_cell`) looks for anything beyond it or unusual; a cell beyond it (rows out of
    order) makes that piece's cells be read one by one; anything unusual hands the part to expat."""
    what = f"工作表“{sheet}”"
    extent = _Extent()
    prefix = None
    for data in _chunks(archive, info):
        if b"<!" in data:
            if _DECLARATION.search(data):
                raise _declarations(what)
            raise _Unusual()
        if prefix is None:
            root = re.search(rb"<(?:([A-Za-z_][\w.-]*):)?worksheet[\s>/]", data)
            if root is None:
                raise _Unusual()
            prefix = (root.group(1) + b":") if root.group(1) else b""
            cell, rich = b"<" + prefix + b'c r="', re.compile(b"<" + re.escape(prefix) + rb"r[\s>]")
            declared = _dimension(data)
            if declared and (declared[0] > MAX_ROWS or declared[1] > MAX_COLUMNS):
                raise _limits_message(sheet, "声明的范围延伸到", *declared)
        if rich.search(data):  # an inline rich-text string: its runs are joined into one text
            raise _Unusual()
        last = data.rfind(cell)
        if last >= 0:
            found = _CELL_REF.match(data, last + len(cell) - 3)
            if found:
                extent.max_row = max(extent.max_row, int(found.group(2)))
                extent.max_column = max(extent.max_column, _column_number(found.group(1)))
            extent.cells += data.count(cell)
        odd = _odd_cell(prefix, extent.max_row, extent.max_column).search(data)
        if odd:
            if not data.startswith(cell, odd.start()) or not _CELL_REF.match(data, odd.start() + len(cell) - 3):
                raise _Unusual()
            _place_each(data, cell, extent)
            if _odd_cell(prefix, extent.max_row, extent.max_column).search(data):
                raise _Unusual()
        _check_extent(sheet, extent, final=False)
        _check_long_text(data)
    if prefix is None:
        raise _Unusual()
    _check_extent(sheet, extent, final=True)
    return extent


def _place_each(data: bytes, cell: bytes, extent: _Extent) -> None:
    """The extent of every valued cell of a piece, one by one (rows out of order)."""
    valued = re.compile(re.escape(cell) + rb'([A-Za-z]+)(\d+)"[^>]*(?<!/)>')
    for letters, digits in set(valued.findall(data)):
        extent.max_row = max(extent.max_row, int(digits))
        extent.max_column = max(extent.max_column, _column_number(letters))


def _expat_scan(archive, info, what: str, sheet: str | None = None, shared_strings: bool = False) -> _Extent:
    """The same checks with expat, for parts the byte scan cannot vouch for. Cells are placed as
    calamine places them: by their r= when given, else one column right of the previous cell
    (rows likewise); every cell counts, with or without a value. The text of a string (`<si>`,
    `<is>`) is all its runs together, as calamine joins them."""
    extent = _Extent()
    state = {"row": 0, "column": 0, "text": 0, "strings": 0, "string": 0}
    parser = expat.ParserCreate()

    def refuse_declaration(*_args) -> None:
        raise _declarations(what)

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1]
        if local in ("si", "is"):
            state["string"] = 1
        if not state["string"]:
            state["text"] = 0
        if sheet is not None and local == "row":
            r = attributes.get("r")
            state["row"] = int(r) if r and r.isdigit() else state["row"] + 1
            state["column"] = 0
        elif sheet is not None and local == "c":
            ref = attributes.get("r")
            if ref:
                found = re.fullmatch(r"([A-Za-z]+)(\d+)", ref.replace("$", ""))
                if not found:
                    raise _refuse(f"{what}中的单元格位置“{ref[:20]}”无效，文件已损坏；")
                state["row"], state["column"] = int(found.group(2)), _column_number(found.group(1))
            else:
                state["column"] += 1
            extent.cells += 1
            extent.max_row = max(extent.max_row, state["row"])
            extent.max_column = max(extent.max_column, state["column"])
            if extent.cells % 4096 == 0:
                _check_extent(sheet, extent, final=False)
        elif sheet is not None and local == "dimension":
            declared = _dimension(f'<dimension ref="{attributes.get("ref", "")}"/>'.encode())
            if declared and (declared[0] > MAX_ROWS or declared[1] > MAX_COLUMNS):
                raise _limits_message(sheet, "声明的范围延伸到", *declared)
        elif shared_strings and local == "si":
            state["strings"] += 1
            if state["strings"] > MAX_SHARED_STRINGS:
                raise _refuse(f"{what}有超过 {_n(MAX_SHARED_STRINGS)} 个字符串，超过上限；")

    def text(data: str) -> None:
        state["text"] += len(data)
        if state["text"] > MAX_TEXT_CHARACTERS:
            raise _TooLong()

    def end(name: str) -> None:
        if name.rsplit(":", 1)[-1] in ("si", "is"):
            state["string"] = 0
        if not state["string"]:
            state["text"] = 0

    parser.StartDoctypeDeclHandler = refuse_declaration
    parser.EntityDeclHandler = refuse_declaration
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        with archive.open(info) as stream:
            while block := stream.read(_CHUNK):
                parser.Parse(block, False)
            parser.Parse(b"", True)
    except expat.ExpatError:
        raise _damaged(what) from None
    if sheet is not None and extent.max_row:
        _check_extent(sheet, extent, final=True)
    return extent


# ---- the one way in ----------------------------------------------------------------------------
def open_workbook(path: Path, names: Collection[str] | None = None, inspection: Inspection | None = None):
    """Inspect `path` (see `inspect`; skipped when the caller passes the `inspection` it ran
    with the same `names`), then open it with calamine; returns (workbook, inspection). Only
    the sheets in `names` (stripped names; None: all) have been vouched for — read no other.
    The file's kind is told by content, so an .xlsx named .xls still opens. With an
    `inspection` from `inspect_workbook`, a sheet still in its `pending` must pass
    `check_sheet` before it is read."""
    from python_calamine import CalamineWorkbook

    path = Path(path)
    inspection = inspection or inspect(path, names)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            workbook = CalamineWorkbook.from_path(str(path))
        else:
            with open(path, "rb") as handle:
                workbook = CalamineWorkbook.from_filelike(handle)
    except Exception:  # noqa: BLE001 - calamine raises its own types, with English text
        raise _refuse(f"“{path.name}”无法作为 Excel 工作簿打开（文件已损坏）；") from None
    return workbook, inspection

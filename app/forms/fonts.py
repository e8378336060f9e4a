"""The CJK TrueType font for PDFs: find it on the system, register it with reportlab, and
tell callers which characters it cannot draw.

Rules:
- Only TrueType outlines ('glyf') can be embedded by reportlab (as a subset of the glyphs
  used). OpenType fonts with CFF outlines (Noto CJK / Source Han, sfnt version 'OTTO') are
  refused with a reason, never half-used.
- Search order: the path in the environment variable `FPLEDGER_CJK_FONT` (optionally
  `path#index` for a collection), fonts bundled in `resources/fonts/` (none are shipped yet:
  the program does not bundle a font whose licence it has not checked), then the system fonts:
  Windows SimSun (宋体), SimHei (黑体), Microsoft YaHei (微软雅黑); Linux/macOS WQY Micro Hei,
  WQY Zen Hei, AR PL UMing/UKai. The first usable one wins.
- `missing_glyphs(text)` returns the characters of `text` the font has no glyph for (a rare name
  character such as 䶮 in a font without CJK Extension A). Renderers must report them, never
  drop them silently: a missing glyph would print as an empty box or nothing at all.
- No font at all raises `FontUnavailable` with a Chinese message that says what to install.
- Excel cells are not drawn by us: they name `EXCEL_FONT_NAME` (宋体), the font every Chinese
  Windows office has, whatever font the PDF embeds.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from app.errors import LedgerError

PDF_FONT_NAME = "FPLedgerCJK"
EXCEL_FONT_NAME = "宋体"
ENV_OVERRIDE = "FPLEDGER_CJK_FONT"


class FontUnavailable(LedgerError):
    """No usable CJK TrueType font was found (or the one named is not usable)."""


@dataclass(frozen=True)
class FontCandidate:
    path: Path
    subfont_index: int = 0
    label: str = ""


@dataclass(frozen=True)
class CjkFont:
    """A registered font: `name` is what reportlab styles use."""

    name: str
    path: Path
    subfont_index: int
    label: str
    codepoints: frozenset[int]

    def has(self, char: str) -> bool:
        return ord(char) in self.codepoints


def _windows_fonts_dir() -> Path:
    return Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"


def system_candidates() -> list[FontCandidate]:
    """Known CJK TrueType fonts of this platform, most suitable for official forms first."""
    if sys.platform.startswith("win"):
        fonts = _windows_fonts_dir()
        return [
            FontCandidate(fonts / "simsun.ttc", 0, "宋体 SimSun"),
            FontCandidate(fonts / "simsun.ttf", 0, "宋体 SimSun"),
            FontCandidate(fonts / "simhei.ttf", 0, "黑体 SimHei"),
            FontCandidate(fonts / "msyh.ttc", 0, "微软雅黑 Microsoft YaHei"),
            FontCandidate(fonts / "msyh.ttf", 0, "微软雅黑 Microsoft YaHei"),
        ]
    roots = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
             Path.home() / ".local/share/fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    names = [
        ("truetype/wqy/wqy-microhei.ttc", 0, "文泉驿微米黑 WQY Micro Hei"),
        ("truetype/wqy/wqy-zenhei.ttc", 0, "文泉驿正黑 WQY Zen Hei"),
        ("truetype/arphic/uming.ttc", 0, "AR PL UMing"),
        ("truetype/arphic/ukai.ttc", 0, "AR PL UKai"),
        ("wqy-microhei/wqy-microhei.ttc", 0, "文泉驿微米黑 WQY Micro Hei"),
        ("wqy-zenhei/wqy-zenhei.ttc", 0, "文泉驿正黑 WQY Zen Hei"),
        ("Songti.ttc", 0, "宋体 Songti"),
    ]
    return [FontCandidate(root / name, index, label) for root in roots for name, index, label in names]


def bundled_candidates() -> list[FontCandidate]:
    """TrueType fonts placed in resources/fonts/ (sorted by name)."""
    from app.paths import resources_dir

    folder = resources_dir() / "fonts"
    if not folder.is_dir():
        return []
    return [FontCandidate(p, 0, p.stem) for p in sorted(folder.iterdir())
            if p.suffix.lower() in {".ttf", ".ttc"}]


def candidates() -> list[FontCandidate]:
    """Every place to look, in order (see the module rules)."""
    found: list[FontCandidate] = []
    override = os.environ.get(ENV_OVERRIDE, "").strip()
    if override:
        path, _, index = override.partition("#")
        found.append(FontCandidate(Path(path), int(index) if index.isdigit() else 0, "FPLEDGER_CJK_FONT"))
    return found + bundled_candidates() + system_candidates()


def outline_kind(path: Path, subfont_index: int = 0) -> str:
    """'truetype', 'cff' or 'unknown', read from the sfnt header (inside a .ttc collection too)."""
    with open(path, "rb") as handle:
        head = handle.read(12)
        if head[:4] == b"ttcf":
            count = struct.unpack(">I", head[8:12])[0]
            if subfont_index >= count:
                return "unknown"
            handle.seek(12 + 4 * subfont_index)
            offset = struct.unpack(">I", handle.read(4))[0]
            handle.seek(offset)
            head = handle.read(4)
    tag = head[:4]
    if tag == b"OTTO":
        return "cff"
    if tag in {b"\x00\x01\x00\x00", b"true"}:
        return "truetype"
    return "unknown"


def check_candidate(candidate: FontCandidate) -> str | None:
    """None when the font can be embedded; otherwise the Chinese reason it cannot."""
    if not candidate.path.is_file():
        return f"字体文件不存在：{candidate.path}"
    try:
        kind = outline_kind(candidate.path, candidate.subfont_index)
    except OSError as exc:
        return f"无法读取字体文件 {candidate.path}：{exc}"
    if kind == "cff":
        return (f"字体 {candidate.path.name} 是 CFF（PostScript 轮廓）OpenType 字体，"
                "PDF 无法嵌入这种字体（如思源黑体/Noto CJK）；请改用 TrueType 字体，如宋体、黑体或文泉驿微米黑")
    if kind != "truetype":
        return f"{candidate.path.name} 不是可识别的 TrueType 字体文件"
    return None


def _load(candidate: FontCandidate) -> CjkFont:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    reason = check_candidate(candidate)
    if reason:
        raise FontUnavailable(reason)
    try:
        font = TTFont(PDF_FONT_NAME, str(candidate.path), subfontIndex=candidate.subfont_index)
    except (TTFError, OSError) as exc:
        raise FontUnavailable(f"字体 {candidate.path.name} 无法使用：{exc}") from exc
    codepoints = frozenset(font.face.charToGlyph)
    if not any(0x4E00 <= cp <= 0x9FFF for cp in codepoints):
        raise FontUnavailable(f"字体 {candidate.path.name} 不含中文字形")
    pdfmetrics.registerFont(font)
    return CjkFont(PDF_FONT_NAME, candidate.path, candidate.subfont_index,
                   candidate.label or candidate.path.stem, codepoints)


_lock = threading.Lock()
_font: CjkFont | None = None


def find_font(search: Iterable[FontCandidate] | None = None) -> CjkFont:
    """Load the first usable candidate (default: `candidates()`), or raise FontUnavailable.

    Reasons for rejected candidates that exist (e.g. a CFF font named by the override) are
    part of the message, so the clerk learns why the font they installed was not taken.
    """
    reasons: list[str] = []
    for candidate in (candidates() if search is None else search):
        if not candidate.path.is_file():
            continue
        try:
            return _load(candidate)
        except FontUnavailable as exc:
            reasons.append(str(exc))
    hint = ("在 Windows 上请确认系统装有宋体（simsun.ttc）、黑体（simhei.ttf）或微软雅黑（msyh.ttc）；"
            "在 Linux 上请安装文泉驿微米黑（fonts-wqy-microhei）或文鼎 AR PL 字体；"
            f"也可以用环境变量 {ENV_OVERRIDE} 指定一个 TrueType 中文字体文件。")
    detail = ("（" + "；".join(reasons) + "）") if reasons else ""
    raise FontUnavailable(f"找不到可嵌入 PDF 的中文 TrueType 字体，无法生成 PDF{detail}。{hint}")


def cjk_font() -> CjkFont:
    """The process-wide font, found and registered once (thread-safe)."""
    global _font
    with _lock:
        if _font is None:
            _font = find_font()
        return _font


def _needs_glyph(char: str) -> bool:
    if char.isspace():
        return False
    return unicodedata.category(char) not in {"Cc", "Cf", "Zl", "Zp"}


def missing_glyphs(text: str, font: CjkFont | None = None) -> set[str]:
    """The characters of `text` the PDF font cannot draw (spaces and control characters aside)."""
    font = font or cjk_font()
    return {ch for ch in text if _needs_glyph(ch) and not font.has(ch)}

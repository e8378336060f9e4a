"""The export package for the district (报表导出): a period's forms as .xlsx and .pdf plus
`manifest.json`, copied safely to a USB stick.

Rules:
- Files: one .xlsx and one .pdf PER FORM, named `<期别>_<nn>_<表名>.xlsx/.pdf` (nn keeps the
  forms' order in a file list). Choice: the district files each 报表 separately and prints
  them one by one, so a clerk expects one file per form rather than one combined workbook.
  `extra_files` (name → bytes, e.g. the analysis draft) are added as they are; a name may have
  one folder part (`dhis2/dataValueSets.json`), listed in the manifest with its `/`.
- Everything is first built in a LOCAL temporary folder; only complete files are copied.
- Copying to `out_dir`: an old `manifest.json` there is removed first; each file is written as
  `name.part`, flushed and fsync'ed, read back and its SHA-256 compared, then renamed to its
  final name (app.atomic, the folder fsync'ed after each rename); `manifest.json` comes LAST. A folder without manifest.json is visibly incomplete,
  and a file with its final name is always complete. (The read-back goes through the operating
  system; on Linux the cached pages are dropped first so the bytes come from the stick.)
- On any OSError (stick full, pulled out, write-protected) or a cancel, the .part file and the
  files this export already finished are removed (best effort — a pulled stick cannot be
  cleaned, but what is left there is only `.part` files and no manifest) and UserInputError
  is raised with a Chinese message saying so. Nothing is audited then.
- On success one audit entry `导出报表` records the folder and every file's SHA-256.
- `manifest.json`: format, ledger id, office, period, unit, created-at (local time with UTC
  offset), app version, and for each file its name, size in bytes, SHA-256, and form; with a
  `status` also closed / source / warning (a recomputed closed period says so here too).
- The period's package (forms + figures.json from one PeriodFigures) is put together by
  app/exchange/period_package.py; this module only renders and copies.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import __version__
from app.atomic import fsync_file, staged
from app.errors import UserInputError
from app.forms.model import Form
from app.forms.pdf import write_pdf
from app.forms.xlsx import write_xlsx

if TYPE_CHECKING:
    from app.ledger import Ledger

MANIFEST = "manifest.json"
PART = ".part"
CHUNK = 1024 * 1024
FORMAT = "fpledger-export/1"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')

Progress = Callable[[int, int, str], bool | None]
DONE_MESSAGE = "导出完成并已逐个校验，可以安全拔出U盘。"


class ExportCancelled(UserInputError):
    """The user cancelled; nothing complete-looking was left in the folder."""


def safe_name(text: str) -> str:
    """A file name valid on FAT/NTFS: forbidden characters replaced, no trailing dot/space."""
    return _UNSAFE.sub("_", text).strip().rstrip(". ") or "报表"


def file_stem(period_code: str, index: int, form: Form) -> str:
    return safe_name(f"{period_code}_{index:02d}_{form.title}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_chunk(stream: Any, block: bytes) -> None:
    """One write to the target; the single place where a full or pulled stick shows up."""
    stream.write(block)


def _drop_cache(fd: int) -> None:
    if hasattr(os, "posix_fadvise"):
        try:
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        except OSError:
            pass  # only an optimisation of the read-back


def copy_verified(source: Path, target: Path, expected_sha256: str) -> None:
    """Copy `source` to `target` via `target.part`: write, flush, fsync, re-read, compare, rename
    (app.atomic.staged under this fixed name, which the cleanup rule knows; the rename and the
    folder are fsync'ed there).

    Raises OSError on a write/read failure and on a mismatch (EIO); the .part file is removed
    then (best effort — the caller's cleanup tries again, it knows every file of the package).
    """
    def read_back(part: Path) -> None:
        fsync_file(part)
        with open(part, "rb") as stream:
            _drop_cache(stream.fileno())  # so the read-back comes from the stick
        if sha256_of(part) != expected_sha256:
            raise OSError(errno.EIO, f"{target.name} 写入U盘后校验不一致")

    # staged creates the .part owner-only (0600) before any byte is written; "wb" keeps the mode
    # (the files close before the block ends and staged renames)
    with (staged(target, check=read_back, temp=target.with_name(target.name + PART)) as part,
          open(source, "rb") as src, open(part, "wb") as dst):
        for block in iter(lambda: src.read(CHUNK), b""):
            _write_chunk(dst, block)


def _failure_message(exc: OSError, leftovers: list[Path]) -> str:
    if exc.errno in {errno.ENOSPC, errno.EDQUOT}:
        cause = "U盘空间不足"
    elif exc.errno in {errno.EROFS, errno.EACCES, errno.EPERM}:
        cause = "U盘无法写入（可能有写保护）"
    else:
        cause = "U盘已拔出或无法写入"
    if leftovers:
        names = "、".join(p.name for p in leftovers)
        return (f"{cause}，导出未完成。目标文件夹中没有 {MANIFEST}，但可能留下未完成的文件：{names}；"
                f"请重新插入U盘，删除这些文件后再导出。（{exc.strerror or exc}）")
    return f"{cause}，导出未完成，目标文件夹中没有留下不完整的文件。（{exc.strerror or exc}）"


def _cleanup(paths: list[Path]) -> list[Path]:
    """Remove what this export wrote; returns what could not be removed."""
    left: list[Path] = []
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            left.append(path)
    return left


def build_files(ledger: Ledger, period_code: str, forms: Sequence[Form], folder: Path,
                extra_files: dict[str, bytes] | None, tick: Callable[[str], None]) -> tuple[list[dict[str, Any]], list[str]]:
    """Render every file into the local `folder`; returns (file entries, warnings)."""
    entries: list[dict[str, Any]] = []
    warnings: list[str] = []
    for index, form in enumerate(forms, start=1):
        stem = file_stem(period_code, index, form)
        for suffix in (".xlsx", ".pdf"):
            path = folder / (stem + suffix)
            tick(f"生成 {path.name}")
            if suffix == ".xlsx":
                write_xlsx([form], path)
            else:
                warnings.extend(write_pdf([form], path))
            entries.append({"name": path.name, "form": form.form_id, "title": form.title})
    for name, data in (extra_files or {}).items():
        clean = "/".join(safe_name(part) for part in name.split("/"))   # one subfolder level: dhis2/…
        if clean == MANIFEST or any(e["name"] == clean for e in entries):
            raise UserInputError(f"附加文件名与报表文件重名：{name}")
        tick(f"生成 {clean}")
        (folder / clean).parent.mkdir(parents=True, exist_ok=True)
        (folder / clean).write_bytes(data)
        entries.append({"name": clean, "form": None, "title": None})
    for entry in entries:
        path = folder / entry["name"]
        entry["size"] = path.stat().st_size
        entry["sha256"] = sha256_of(path)
    return entries, warnings


def manifest_document(ledger: Ledger, period_code: str, unit_code: str | None,
                      entries: list[dict[str, Any]], warnings: list[str],
                      status: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "ledger_id": ledger.ledger_id,
        "office": ledger.office_name,
        "period": period_code,
        "unit": unit_code,
        "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "app_version": __version__,
        "files": [{"name": e["name"], "size": e["size"], "sha256": e["sha256"], "form": e["form"],
                   "title": e["title"]} for e in entries],
        "warnings": warnings,
        "audit_head": ledger.audit_head(),  # an anchor for `fpledger audit-verify --anchor`
    } | (status or {})


def write_package(ledger: Ledger, period_code: str, forms: Sequence[Form], out_dir: str | os.PathLike[str],
                  progress: Progress | None = None, extra_files: dict[str, bytes] | None = None,
                  unit_code: str | None = None, status: dict[str, Any] | None = None,
                  notes: list[str] | None = None) -> dict[str, Any]:
    """Build the period's package locally and copy it to `out_dir` safely (see the module rules).

    `progress(done, total, text)` is called along the way; returning False cancels. `status`
    (closed, source, warning of app.exchange.period_package) is recorded in the manifest.
    Returns {"out_dir", "files": [...manifest entries], "manifest", "warnings", "bytes", "message"}.
    """
    ledger.require("export_forms")
    if not forms:
        raise UserInputError("没有可导出的报表")
    target_dir = Path(out_dir)
    total_steps = 2 * len(forms) + len(extra_files or {}) + 2 * len(forms) + len(extra_files or {}) + 1
    step = 0

    def tick(text: str) -> None:
        nonlocal step
        if progress is not None and progress(step, total_steps, text) is False:
            raise ExportCancelled("导出已取消，目标文件夹中没有留下不完整的文件。")
        step += 1

    with tempfile.TemporaryDirectory(prefix="fpledger-export-") as local:
        local_dir = Path(local)
        entries, warnings = build_files(ledger, period_code, forms, local_dir, extra_files, tick)
        warnings = [*warnings, *(notes or [])]
        document = manifest_document(ledger, period_code, unit_code, entries, warnings, status)
        manifest_bytes = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        (local_dir / MANIFEST).write_bytes(manifest_bytes)
        needed = sum(e["size"] for e in entries) + len(manifest_bytes)

        try:
            target_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserInputError(f"无法在 {target_dir} 建立文件夹：{exc.strerror or exc}") from exc
        free = shutil.disk_usage(target_dir).free
        if free < needed:
            raise UserInputError(f"U盘空间不足：导出需要 {needed / 1024:.0f} KB，{target_dir} 只剩 "
                                 f"{free / 1024:.0f} KB。没有写入任何文件。")

        written: list[Path] = []
        try:
            (target_dir / MANIFEST).unlink(missing_ok=True)
            for entry in [*entries, {"name": MANIFEST, "sha256": hashlib.sha256(manifest_bytes).hexdigest()}]:
                final = target_dir / entry["name"]
                final.parent.mkdir(parents=True, exist_ok=True)
                tick(f"复制并校验 {entry['name']}")
                written += [final.with_name(final.name + PART), final]
                copy_verified(local_dir / entry["name"], final, entry["sha256"])
        except OSError as exc:
            leftovers = _cleanup(written)
            raise UserInputError(_failure_message(exc, leftovers)) from exc
        except ExportCancelled:
            _cleanup(written)
            raise

    if progress is not None:
        progress(total_steps, total_steps, DONE_MESSAGE)
    ledger.audit("导出报表", "period", period_code,
                 after={"folder": str(target_dir), "unit": unit_code, **(status or {}),
                        "files": {e["name"]: e["sha256"] for e in entries},
                        "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest()})
    return {"out_dir": str(target_dir), "files": document["files"], "manifest": str(target_dir / MANIFEST),
            "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(), "warnings": warnings,
            "bytes": needed, "message": DONE_MESSAGE}


# ---- removable drives for the folder picker ----------------------------------------------------
REMOVABLE_FS = {"vfat", "exfat", "ntfs", "ntfs3", "fuseblk", "msdos"}
REMOVABLE_ROOTS = ("/media/", "/run/media/", "/mnt/")


def _unescape_mount(path: str) -> str:
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), path)


def removable_drives_linux(mounts_text: str) -> list[Path]:
    """Mount points from /proc/mounts text that look like USB sticks (see REMOVABLE_*)."""
    out: list[Path] = []
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point, fs_type = _unescape_mount(fields[1]), fields[2]
        if fs_type in REMOVABLE_FS and mount_point.startswith(REMOVABLE_ROOTS):
            out.append(Path(mount_point))
    return out


def removable_drives() -> list[Path]:
    """Removable drives to offer first in the export folder picker (empty when none/unknown)."""
    if sys.platform.startswith("win"):
        import ctypes
        import string

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        mask = kernel32.GetLogicalDrives()
        drives = []
        for i, letter in enumerate(string.ascii_uppercase):
            root = f"{letter}:\\"
            if mask & (1 << i) and kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)) == 2:  # DRIVE_REMOVABLE
                drives.append(Path(root))
        return drives
    try:
        return removable_drives_linux(Path("/proc/mounts").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return []

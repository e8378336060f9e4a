"""Atomic file writes: the one way the program puts a file in place (写文件).

Rules:
- A file is written under a temporary name in its own folder — unique (`tempfile.mkstemp`:
  `.~<name>.<random>.tmp`, created with mode 0600 and narrowed again by
  `app.private_files.restrict`), so two writers never share one, and nothing is written
  under the final name until the file is complete.
- When the content is written: the optional `check` reads the temporary file and raises to
  refuse it (a PDF without its `%PDF-` header, a workbook with the wrong row count, a copy
  whose SHA-256 differs); then the file is fsync'ed, renamed over the target (`os.replace`,
  atomic on one volume) and the folder fsync'ed (POSIX; a file system that refuses a folder
  fsync is left at that), so after a crash the target is the old file or the new one, never
  a piece.
- On any failure (or a cancel raised by the writer) the temporary file is removed (best
  effort: a pulled USB stick cannot be cleaned) and the target is left as it was.
- `staged(target)` is the form for writers that need the temporary path (openpyxl, reportlab,
  SQLite's backup); `write_atomic(target, data)` writes bytes or text, or calls a writer with
  the path. `commit(temp, target)` is the last step alone, for a writer that names its own
  temporary file (the export package's `.part`, which its cleanup rule must know).
- Appending to a log (app/audit_anchors.py) is not a replace and does not come here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from app.errors import UserInputError
from app.private_files import restrict

Check = Callable[[Path], object]


def fsync_file(path: str | os.PathLike[str]) -> None:
    """Flush a written file to the disk (opened for writing: Windows flushes only such handles)."""
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Make a rename in `folder` durable (POSIX); Windows has no directory handles to sync."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems (vfat on some kernels) refuse; the file's fsync already ran
    finally:
        os.close(fd)


def commit(temp: Path, target: Path, check: Check | None = None) -> None:
    """The last step of every atomic write: check, fsync the file, rename, fsync the folder."""
    if check is not None:
        check(temp)
    fsync_file(temp)
    os.replace(temp, target)
    fsync_dir(target.parent)


def begins_with(magic: bytes, target: Path) -> Check:
    """A `check`: the written file begins with `magic` (`%PDF-`, `PK` for a workbook), else it is
    refused with a Chinese message naming the target."""
    def check(temp: Path) -> None:
        with open(temp, "rb") as stream:
            if stream.read(len(magic)) != magic:
                raise UserInputError(f"生成的文件“{target.name}”不完整，未保存。")
    return check


def _discard(temp: Path) -> None:
    try:
        temp.unlink(missing_ok=True)
    except OSError:
        pass  # the medium is gone; what is left has only the temporary name


@contextmanager
def staged(target: str | os.PathLike[str], check: Check | None = None,
           temp: Path | None = None) -> Iterator[Path]:
    """Yield a temporary path beside `target`; when the block ends normally the file written
    there replaces `target` (`commit`). `temp` names the temporary file instead of a unique
    one (it is created owner-only, emptied if it exists)."""
    target = Path(target)
    if temp is None:
        handle, name = tempfile.mkstemp(prefix=f".~{target.stem[:40]}.", suffix=f"{target.suffix}.tmp",
                                        dir=target.parent)
        os.close(handle)
        temp = Path(name)
    else:
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600))
    try:
        restrict(temp)
        yield temp
        commit(temp, target, check)
    except BaseException:
        _discard(temp)
        raise


def write_atomic(target: str | os.PathLike[str], data: bytes | str | Callable[[Path], object],
                 check: Check | None = None, encoding: str = "utf-8") -> Path:
    """Write `data` (bytes, text in `encoding`, or a writer called with the temporary path) to
    `target` atomically (module rules); returns the target."""
    target = Path(target)
    with staged(target, check) as temp:
        if isinstance(data, bytes):
            temp.write_bytes(data)
        elif isinstance(data, str):
            temp.write_text(data, encoding=encoding)
        else:
            data(temp)
    return target

"""Chinese wording of the operating system's and SQLite's errors (操作系统/数据库错误的中文说明).

Rule: every message a clerk sees is Chinese first; the OS or SQLite text follows in
parentheses at most, for whoever has to look it up (`无法写入“E:\\台帐.xlsx”：没有权限（[Errno 13]
Permission denied）`). An OSError the program raised itself with a Chinese message (no errno)
is shown as it is.
"""

from __future__ import annotations

import errno
import sqlite3

_OS_REASONS = {
    errno.ENOENT: "找不到该文件或文件夹",
    errno.EACCES: "没有权限（文件可能是只读的，或正被其他程序打开）",
    errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘是只读的（U 盘写保护？）",
    errno.EEXIST: "同名文件已存在",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EBUSY: "文件正被其他程序使用",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.EINVAL: "文件名或路径无效",
    errno.EIO: "读写磁盘出错（U 盘是否已拔出？）",
}
_WINDOWS_REASONS = {32: "文件正被其他程序使用（请先在 Excel 中关闭它）", 33: "文件的一部分被其他程序锁定",
                    112: "磁盘空间不足", 1224: "文件正被其他程序使用"}
_SQLITE_REASONS = (
    ("database or disk is full", "磁盘空间不足，台帐无法写入"),
    ("disk i/o error", "读写台帐文件时磁盘出错"),
    ("database is locked", "台帐正被其他程序使用，请稍后再试"),
    ("malformed", "台帐文件已损坏（请从备份恢复）"),
    ("file is not a database", "不是台帐文件，或文件已损坏"),
    ("readonly", "台帐文件是只读的，无法写入"),
    ("unable to open", "无法打开台帐文件"),
)


def _os_text(exc: OSError) -> str:
    parts = [f"[Errno {exc.errno}]" if exc.errno is not None else "", exc.strerror or ""]
    return " ".join(p for p in parts if p)


def describe_os(exc: OSError) -> str:
    """`文件操作失败：“NAME”：REASON（OS text）`; a Chinese OSError of our own as it is."""
    if exc.errno is None and exc.strerror is None:
        return str(exc) or "文件操作失败"
    reason = _WINDOWS_REASONS.get(getattr(exc, "winerror", None) or -1) or _OS_REASONS.get(exc.errno or -1)
    name = f"“{exc.filename}”" if exc.filename else ""
    shown = f"：{name}" if name else ""
    return f"文件操作失败{shown}：{reason or '系统拒绝了该操作'}（{_os_text(exc)}）"


def describe_database(exc: sqlite3.Error) -> str:
    """`台帐数据库出错：REASON（SQLite text）`."""
    text = str(exc)
    reason = next((r for key, r in _SQLITE_REASONS if key in text.lower()), "数据库操作失败")
    return f"台帐数据库出错：{reason}（SQLite：{text}）"


def describe(exc: BaseException) -> str:
    """Any failure the clerk must be told about, Chinese first."""
    if isinstance(exc, OSError):
        return describe_os(exc)
    if isinstance(exc, sqlite3.Error):
        return describe_database(exc)
    return f"程序内部错误，操作未完成（{type(exc).__name__}: {exc}）"

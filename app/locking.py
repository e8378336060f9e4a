"""One writer per ledger: an OS-level lock on `<ledger>.lock` plus who holds it.

The lock file holds a JSON line naming the computer, the user, the process and the time.
The OS lock (flock on POSIX, msvcrt.locking on Windows) is released by the OS when the
holding process dies, so a lock file left by a crash is reclaimed at once: the stale JSON is
simply overwritten. Network paths are refused before any lock is tried, because SQLite and
byte-range locks are unreliable on SMB/NFS.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from app.errors import LedgerLocked, NetworkPathRefused

# Windows locks the range it guards against reads too, so the holder JSON is written at the
# start of the file and the lock is taken on one byte far beyond it.
_LOCK_OFFSET = 1 << 20
_RECORD_SIZE = 4096
_NETWORK_FS_TYPES = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "fuse.sshfs",
                     "sshfs", "9p", "afs", "ncpfs", "fuse.gvfsd-fuse", "davfs", "fuse.davfs2"}


@dataclass(frozen=True)
class Holder:
    computer: str
    user: str
    pid: int
    since: str

    def describe(self) -> str:
        return f"计算机 {self.computer} 上的用户 {self.user}（进程 {self.pid}，自 {self.since} 起）"


def current_holder_info() -> Holder:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - getuser raises several types when no name is set
        user = "未知用户"
    return Holder(socket.gethostname(), user, os.getpid(), datetime.now().isoformat(timespec="seconds"))


def mount_fs_type(path: Path, mounts_text: str | None = None) -> str | None:
    """The file-system type of the mount holding `path` (Linux `/proc/mounts`), or None."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    best, best_type = "", None
    target = str(path)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        prefix = mount_point.rstrip("/") + "/"
        if (target == mount_point or target.startswith(prefix) or mount_point == "/") and len(mount_point) > len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def network_reason(path: str | Path, mounts_text: str | None = None) -> str | None:
    """Why `path` is on a network drive, or None when it is local.

    UNC paths (`\\\\server\\share`, `//server/share`) are refused on every system; on Windows the
    drive type comes from GetDriveTypeW (DRIVE_REMOTE = 4, mapped network drives); on Linux
    from the file-system type of the mount.
    """
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return f"“{text}”是网络共享路径（UNC）"
    if sys.platform == "win32":  # (os.name "nt"; the form mypy reads)
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0]
        if drive:
            kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")
            if kind == 4:
                return f"驱动器 {drive} 是映射的网络驱动器"
        return None
    resolved = Path(text).resolve()
    fs_type = mount_fs_type(resolved, mounts_text)
    if fs_type and fs_type.lower() in _NETWORK_FS_TYPES:
        return f"“{resolved}”位于网络文件系统（{fs_type}）上"
    return None


def refuse_network_path(path: str | Path) -> None:
    reason = network_reason(path)
    if reason:
        raise NetworkPathRefused(
            f"{reason}。台帐文件不能放在网络驱动器上：多人同时写入会损坏数据。"
            "请把台帐复制到本机硬盘（如 D:\\计生台帐）后再打开。"
        )


class LedgerLock:
    """Held for as long as a Ledger is open; `release()` is idempotent."""

    def __init__(self, ledger_path: Path) -> None:
        self.path = Path(str(ledger_path) + ".lock")
        self._handle: BinaryIO | None = None

    def acquire(self) -> None:
        # Read-write without O_APPEND (append mode would write the record at the end, not at 0).
        handle = os.fdopen(os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600), "r+b")
        try:
            _os_lock(handle)
        except OSError:
            handle.seek(0)
            raw = handle.read(_RECORD_SIZE)
            handle.close()
            raise LedgerLocked(
                f"台帐“{self.path.with_suffix('')}”正被另一个程序使用：{_describe_holder(raw)}。"
                "请先关闭那边的程序再试。"
            ) from None
        holder = current_holder_info()
        # Overwrite in place, padded to a fixed size, instead of truncating: Windows may refuse
        # to change the size of a file while a byte-range lock lies beyond its end.
        record = json.dumps(holder.__dict__, ensure_ascii=False).encode("utf-8")
        handle.seek(0)
        handle.write(record.ljust(_RECORD_SIZE, b" "))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            _os_unlock(self._handle)  # the stale holder record is harmless: it is read only
        finally:                      # when the lock is held, and the next holder overwrites it
            self._handle.close()
            self._handle = None


def _describe_holder(raw: bytes) -> str:
    try:
        return Holder(**json.loads(raw.decode("utf-8"))).describe()
    except (ValueError, TypeError):
        return "另一个程序"


if sys.platform == "win32":
    import msvcrt

    def _os_lock(handle) -> None:
        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _os_unlock(handle) -> None:
        handle.seek(_LOCK_OFFSET)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _os_lock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _os_unlock(handle) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

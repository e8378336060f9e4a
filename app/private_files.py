"""Files the program creates hold personal data (身份证号, 生育情况), so only their owner may read them.

Rules:
- On POSIX a ledger, its `-wal`/`-shm`, its lock file, every backup and every export is
  created with mode 0600 (`create_private`, or `restrict` on a temporary file before it is
  renamed into place); the backup folder with 0700.
- SQLite creates a database's `-wal` and `-shm` with the database file's own permissions, so a
  ledger created 0600 keeps its side files 0600. Opening an existing ledger narrows it (and its
  side files) to 0600 when it is wider.
- The program's entry points (`fpledger`, `fpledger-gui`) set the umask to 077 (`owner_only_umask`),
  so files written by code that does not call these helpers (logs, printed rosters, forms)
  are owner-only too.
- On Windows nothing is set: `os.chmod` only toggles the read-only flag and there is no
  portable ACL call in the standard library. The ledger lives under the user's profile
  (`%APPDATA%\\FPLedger`), whose ACL grants the user, SYSTEM and Administrators only, and new
  files there inherit it; a ledger or export kept elsewhere inherits that folder's ACL.
"""

from __future__ import annotations

import os
from pathlib import Path

OWNER_ONLY = 0o600
OWNER_ONLY_DIR = 0o700
POSIX = os.name != "nt"


def owner_only_umask() -> None:
    """Make every file this process creates from now on owner-only (POSIX)."""
    if POSIX:
        os.umask(0o077)


def restrict(path: str | os.PathLike[str]) -> None:
    """Narrow an existing file to 0600 (POSIX; a missing file, or one on a file system that
    has no modes, is left as it is)."""
    if not POSIX:
        return
    try:
        mode = os.stat(path).st_mode & 0o777
        if mode & 0o077:
            os.chmod(path, mode & 0o700 | 0o600)
    except FileNotFoundError:
        pass
    except PermissionError:  # a file system without POSIX modes (a vfat USB stick)
        pass


def create_private(path: str | os.PathLike[str]) -> None:
    """Create `path` empty with mode 0600 if it does not exist (and narrow it if it does)."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    os.close(os.open(path, flags, OWNER_ONLY))
    restrict(path)


def private_dir(path: Path) -> Path:
    """Create the folder (and its parents) with mode 0700 when it is missing; returns it."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY_DIR if POSIX else 0o777)
    return path

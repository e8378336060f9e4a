"""Where the program's files and the user's data live.

Rules:
- Frozen (PyInstaller) builds read `data/` and `resources/` from the bundle; a source checkout
  reads them from the project root.
- The user's ledger lives in the per-user data folder (`%APPDATA%\\FPLedger` on Windows,
  `$XDG_DATA_HOME/FPLedger` or `~/.local/share/FPLedger` elsewhere) unless a file named
  `portable` lies beside the executable: then everything lives in `userdata` beside it, so
  the program runs from a USB stick. `FPLEDGER_HOME` overrides both (tests, shared set-ups).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app import APP_NAME

LEDGER_FILE_NAME = "ledger.db"


def bundle_root() -> Path:
    """Folder holding `data/` and `resources/`."""
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Read-only program data: code lists, templates, form definitions."""
    return bundle_root() / "data"


def resources_dir() -> Path:
    return bundle_root() / "resources"


def executable_dir() -> Path:
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return bundle_root()


def is_portable() -> bool:
    return (executable_dir() / "portable").exists()


def user_data_dir() -> Path:
    """The folder of the user's ledger, backups and settings; created on demand."""
    override = os.environ.get("FPLEDGER_HOME")
    if override:
        folder = Path(override)
    elif is_portable():
        folder = executable_dir() / "userdata"
    elif os.name == "nt":
        folder = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / APP_NAME
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        folder = Path(base) / APP_NAME
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_ledger_path() -> Path:
    return user_data_dir() / LEDGER_FILE_NAME


def backup_dir_for(ledger_path: Path) -> Path:
    """Backups sit beside the ledger in `<stem>-备份/` so they travel with it."""
    return ledger_path.parent / f"{ledger_path.stem}-备份"

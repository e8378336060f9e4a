"""The desktop's remembered habits (界面设置): window size, splitters, column widths, the last user
name and the last folders, in one INI file beside the user's data.

Rules (ARCHITECTURE: settings are plain typed values through a QSettings wrapper, never pickles):
- The file is `<user data folder>/界面设置.ini` (QSettings IniFormat), so portable mode keeps it
  on the USB stick and tests (FPLEDGER_HOME) never touch the user's real settings.
  `FPLEDGER_UI_SETTINGS` names another file (tests that reopen "the same settings file").
- Values are str, int, list[int] or QByteArray (Qt's own saveGeometry/saveState blobs, stored
  as `@ByteArray(...)` text). A value of the wrong type reads as the default, never an error.
- Nothing here touches the ledger: these are the clerk's desk habits, not data (no audit).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from app.paths import user_data_dir

FILE_NAME = "界面设置.ini"
EXPORT_FOLDER = "folders/export"
LAST_USER = "login/lastUser"


def settings_path() -> Path:
    override = os.environ.get("FPLEDGER_UI_SETTINGS")
    return Path(override) if override else user_data_dir() / FILE_NAME


_cache: dict[Path, QSettings] = {}


def store() -> QSettings:
    """The QSettings of the current settings file (one object per file, reused)."""
    path = settings_path()
    found = _cache.get(path)
    if found is None:
        found = _cache[path] = QSettings(str(path), QSettings.Format.IniFormat)
    return found


def sync() -> None:
    """Write pending values to disk (the window calls it when it closes; tests before reopening)."""
    for one in _cache.values():
        one.sync()


def forget_cached() -> None:
    """Drop the cached QSettings objects (after sync), so the next read comes from the file."""
    sync()
    _cache.clear()


def get_str(key: str, default: str = "") -> str:
    value = store().value(key, default)
    return value if isinstance(value, str) else default


def set_str(key: str, value: str) -> None:
    store().setValue(key, str(value))


def get_ints(key: str) -> list[int]:
    """A list of integers stored as "120,80,44" (empty list when missing or malformed)."""
    text = get_str(key)
    try:
        return [int(part) for part in text.split(",")] if text else []
    except ValueError:
        return []


def set_ints(key: str, values: list[int]) -> None:
    set_str(key, ",".join(str(int(v)) for v in values))


def get_bytes(key: str) -> QByteArray | None:
    value = store().value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def set_bytes(key: str, value: QByteArray) -> None:
    store().setValue(key, QByteArray(value))


def remove(key: str) -> None:
    store().remove(key)


# ---- the named habits ------------------------------------------------------------------------

def last_folder(default: str = "") -> str:
    """The folder of the last export/print/save (the file dialogs open there); `default` when it
    is unset or no longer exists (a USB stick that was taken out)."""
    folder = get_str(EXPORT_FOLDER)
    if folder and Path(folder).is_dir():
        return folder
    return default


def remember_folder(path: str | os.PathLike[str]) -> None:
    """Remember the folder of a chosen file (or the chosen folder itself)."""
    chosen = Path(path)
    folder = chosen if chosen.is_dir() else chosen.parent
    if str(folder):
        set_str(EXPORT_FOLDER, str(folder))


def in_last_folder(file_name: str) -> str:
    """A suggested save path: the file name inside the last folder (or just the name)."""
    folder = last_folder()
    return str(Path(folder) / file_name) if folder else file_name


def last_user() -> str:
    return get_str(LAST_USER)


def remember_user(username: str) -> None:
    set_str(LAST_USER, username.strip())

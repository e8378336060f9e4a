"""The desktop program: `python -m ui.main [--db PATH]`, installed as `fpledger-gui`.

Start-up: QApplication → Chinese translators (ours and Qt's qtbase_zh_CN) → open the user's
ledger (app.paths.default_ledger_path(), or `--db PATH`), with the first-start dialog when it
does not exist → login → the main window. Failures are Chinese message boxes (ui.session).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from app import APP_NAME, APP_TITLE, __version__
from app.ledger import Ledger
from app.paths import default_ledger_path
from app.private_files import owner_only_umask
from ui.i18n import install_translators
from ui.main_window import MainWindow
from ui.session import open_and_sign_in


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fpledger-gui", description="计生台帐")
    parser.add_argument("--db", type=Path, default=None, help="台帐文件路径（默认：本用户的台帐）")
    parser.add_argument("--version", action="version", version=f"fpledger-gui {__version__}")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with names set and the Chinese translations installed."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    app._fpledger_translators = install_translators(app)  # kept alive with the application
    return app


def show_main_window(ledger: Ledger) -> MainWindow:
    """The main window for a signed-in ledger, shown maximised-ish at a laptop's size."""
    window = MainWindow(ledger, ledger.user)
    if not window.restore_geometry():  # the size and place the clerk left it at, else a laptop's
        window.resize(1366, 768)
    window.show()
    return window


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    args = parse_args(argv[1:])
    owner_only_umask()  # every file written from here on is the user's only (app.private_files)
    app = make_application(argv)
    path = Path(args.db).resolve() if args.db else default_ledger_path()
    ledger = open_and_sign_in(path)
    if ledger is None:
        return 1
    window = show_main_window(ledger)
    try:
        return app.exec()
    finally:
        window.close_ledger()


if __name__ == "__main__":
    sys.exit(main())

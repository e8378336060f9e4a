"""Screenshots for the user guide, taken from the real program: `python build_scripts/help_screenshots.py`.

Offscreen, in a temporary data folder: runs the first-run wizard (its unit page and its last
page), builds a township demo ledger (app.demo, seed 1) with its administrator, opens the main
window at 1366×768 and grabs each tab into resources/help/images/<tab objectName>.png; the
reports tab is computed for the last finished month first. Writes nothing outside the temporary
folder but the PNGs. Run it after the tabs change, then look at the images and commit them.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
WORK = Path(tempfile.mkdtemp(prefix="fpledger-help-"))
os.environ["FPLEDGER_HOME"] = str(WORK / "home")

OUT = ROOT / "resources" / "help" / "images"
SIZE = (1366, 768)


def settle(app, seconds: float = 0.5, until=None) -> None:
    """Let background tasks finish and the widgets repaint (until `until()` or the time is up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if until is not None and until():
            break
        time.sleep(0.02)
    app.processEvents()


def wizard_shots(app) -> list[Path]:
    from PySide6.QtWidgets import QWizard

    from ui.dialogs.first_run_wizard import FirstRunWizard

    wizard = FirstRunWizard(WORK / "向导" / "ledger.db", actor="gui:help")
    wizard.resize(860, 620)
    wizard.show()
    wizard.office_page.office.setText("仙庾镇计生办")
    settle(app, 0.2)
    shots = [OUT / "wizard_office.png"]
    wizard.grab().save(str(shots[-1]))
    wizard.button(QWizard.WizardButton.NextButton).click()
    page = wizard.units_page
    for row, (code, name, kind, parent) in enumerate([
            ("430211", "荷塘区", "区县", ""), ("430211101", "仙庾镇", "乡镇", "430211"),
            ("430211101201", "仙庾村", "村", "430211101"), ("430211101001", "新塘社区", "社区", "430211101")]):
        if row >= page.table.rowCount():
            page.add_row()
        page.table.item(row, 0).setText(code)
        page.table.item(row, 1).setText(name)
        page.table.cellWidget(row, 2).setCurrentText(kind)
        page.table.item(row, 3).setText(parent)
    settle(app, 0.2)
    shots.append(OUT / "wizard_units.png")
    wizard.grab().save(str(shots[-1]))
    wizard.button(QWizard.WizardButton.NextButton).click()
    admin = wizard.admin_page
    admin.display_name.setText("王主任")
    admin.password.setText("help-2026")
    admin.confirm.setText("help-2026")
    wizard.button(QWizard.WizardButton.NextButton).click()
    wizard.button(QWizard.WizardButton.CommitButton).click()
    settle(app, 0.2)
    shots.append(OUT / "wizard_done.png")
    wizard.grab().save(str(shots[-1]))
    wizard.accept()
    wizard.ledger.close()
    return shots


def demo_ledger():
    from app import accounts, demo
    from app.ledger import Ledger

    ledger = Ledger.create(WORK / "示例台帐.db", "荷塘区仙庾镇计生办", 10, actor="gui:help")
    with ledger.write("创建用户", "user", "admin", after={"username": "admin", "role": accounts.ADMIN}):
        ledger.user = accounts.create_user(ledger.db, "admin", "王主任", accounts.ADMIN, "help-2026")
    demo.generate(ledger, "township", seed=1)
    return ledger


def last_month() -> str:
    today = date.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year}-{month:02d}"


def tab_shots(app, ledger) -> list[Path]:
    from ui.main import show_main_window

    window = show_main_window(ledger)
    window.resize(*SIZE)
    settle(app, 1.0)
    shots = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        tab = window.tabs.widget(index)
        settle(app, 1.0)
        prepare = PREPARE.get(tab.objectName())
        if prepare is not None:
            prepare(app, tab)
        shots.append(OUT / f"{tab.objectName()}.png")
        window.grab().save(str(shots[-1]))
    window.tabs.setCurrentIndex(0)
    from ui.help_viewer import show_help_for_current_tab

    viewer = show_help_for_current_tab(window)
    viewer.resize(*SIZE)
    settle(app, 0.5)
    shots.append(OUT / "help_viewer.png")
    viewer.grab().save(str(shots[-1]))
    viewer.close()
    window.close_ledger()
    window.hide()
    return shots


def _prepare_reports(app, tab) -> None:
    """Compute the last finished month so the preview shows real figures."""
    tab = getattr(tab, "content", None) or tab  # ui.main_window.LazyTab holds the built tab
    tab.set_period(last_month())
    settle(app, 60.0, until=lambda: tab.task is not None and tab.task.done)
    settle(app, 1.0)


PREPARE = {"reportsTab": _prepare_reports}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    from ui.main import make_application

    app = make_application([sys.argv[0]])
    shots = wizard_shots(app)
    shots += tab_shots(app, demo_ledger())
    for shot in shots:
        print(shot.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())

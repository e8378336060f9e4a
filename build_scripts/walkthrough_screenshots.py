"""The clerk's walkthrough in pictures: `python build_scripts/walkthrough_screenshots.py`.

Offscreen (or under `xvfb-run -s "-screen 0 1366x768x24"`), in a temporary data folder: a township
demo ledger (build_scripts/help_screenshots.demo_ledger), the main window at 1366×768, every tab
and every page of the tabs' inner tab bars, a few check results recorded in the pregnancy-check
roster (so the entry panel and the card's 孕检 section show data), the card editor's sections and
entry dialogs, the 设置 dialogs, an import-error table, 关于 and the help for each tab. Writes
tests/screenshots/walkthrough_*.png (git-ignored) and prints their names: look at each one.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "build_scripts"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import help_screenshots as hs  # noqa: E402 - sets FPLEDGER_HOME to a temporary folder first

OUT = ROOT / "tests" / "screenshots"


def shot(widget, name: str) -> None:
    path = OUT / f"walkthrough_{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT), flush=True)


def tabs_and_pages(app, window) -> None:
    from PySide6.QtWidgets import QTabWidget

    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        hs.settle(app, 1.5)
        holder = window.tabs.widget(index)
        name = holder.objectName()
        prepare = hs.PREPARE.get(name)
        if prepare is not None:
            prepare(app, holder)
        shot(window, f"{index + 1}_{name}")
        for inner in holder.findChildren(QTabWidget):
            for page in range(inner.count()):
                inner.setCurrentIndex(page)
                hs.settle(app, 0.8)
                shot(window, f"{index + 1}_{name}_{inner.objectName() or 'tabs'}_{page}")
            inner.setCurrentIndex(0)


def roster_with_results(app, window, ledger) -> int:
    """Record two results in the last finished quarter; returns the woman found pregnant."""
    from app.roster import due, results, rounds
    from app.roster.results import CheckResult

    window.tabs.setCurrentIndex(1)
    tab = window.tabs.widget(1).ensure_built()
    codes = [tab.round_combo.itemText(i) for i in range(tab.round_combo.count())]
    code = next((c for c in codes if rounds.resolve(ledger, c).end < date.today()), codes[-1])
    rnd = rounds.resolve(ledger, code)
    first, second = due.due_list(ledger, rnd)[:2]
    results.record(ledger, code, first.woman_id, CheckResult(
        "已查", check_date=rnd.start, place="镇卫生院", pregnancy="已孕", pregnancy_weeks=9))
    results.record(ledger, code, second.woman_id, CheckResult("未查", followup_action="电话通知"))
    tab.load_round(code)
    hs.settle(app, 1.0)
    tab.select_woman(first.woman_id)
    hs.settle(app, 0.5)
    shot(window, "roster_entry_selected")
    from ui.roster.bulk_dialog import BulkCheckedDialog

    dialog = BulkCheckedDialog(due.due_list(ledger, rnd)[:40], [], window)
    dialog.show()
    hs.settle(app, 0.3)
    shot(dialog, "roster_bulk_dialog")
    dialog.close()
    return first.woman_id


def card_editor(app, window, ledger, woman_id: int) -> None:
    from ui.dialogs.card_sections import ChildDialog, ExitDialog, MeasureDialog, ProcedureDialog

    registry_tab = window.tabs.widget(0).ensure_built()
    editor = registry_tab.editor_for(woman_id)
    editor.show()
    for index in range(editor.tabs.count()):
        editor.tabs.setCurrentIndex(index)
        hs.settle(app, 0.2)
        shot(editor, f"card_{index}")
    for dialog in (ChildDialog(ledger, woman_id, parent=editor), MeasureDialog(ledger, woman_id, editor),
                   ProcedureDialog(ledger, woman_id, editor), ExitDialog(ledger, woman_id, "某某", editor)):
        dialog.show()
        hs.settle(app, 0.2)
        shot(dialog, f"card_{type(dialog).__name__}")
        dialog.close()
    editor.close()
    new = registry_tab.editor_for(None)
    new.show()
    hs.settle(app, 0.2)
    shot(new, "card_new")
    new.close()


def shell_dialogs(app, window, ledger) -> None:
    from app.exchange.workbook import ImportIssue
    from ui.dialogs.import_dialog import ImportErrorsDialog
    from ui.dialogs.password_dialog import PasswordDialog
    from ui.dialogs.rules_settings_dialog import RulesSettingsDialog
    from ui.dialogs.stat_year_dialog import StatYearDialog
    from ui.dialogs.units_dialog import UnitsDialog
    from ui.dialogs.users_dialog import UsersDialog
    from ui.help_viewer import show_help_for_current_tab

    errors = [ImportIssue("育龄妇女", 5, "证件号码", "校验位错误"),
              ImportIssue("子女", 12, "母亲证件号码", "台帐和本工作簿里都找不到这名母亲"),
              ImportIssue("节育措施", 3, None, "这一行是空的")]
    for name, dialog in (("units", UnitsDialog(ledger, window)), ("users", UsersDialog(ledger, window)),
                         ("rules", RulesSettingsDialog(ledger, window)),
                         ("statyear", StatYearDialog(ledger, window)),
                         ("password", PasswordDialog(ledger, ledger.user, parent=window)),
                         ("import_errors", ImportErrorsDialog(Path("村里报来的.xlsx"), errors, window))):
        dialog.show()
        hs.settle(app, 0.3)
        shot(dialog, f"dialog_{name}")
        dialog.close()
    window.show_about()
    hs.settle(app, 0.3)
    shot(window.last_dialog, "about")
    window.last_dialog.close()
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        hs.settle(app, 0.3)
        viewer = show_help_for_current_tab(window)
        viewer.resize(*hs.SIZE)
        hs.settle(app, 0.3)
        shot(viewer, f"help_{index + 1}")
        viewer.close()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    from ui.main import make_application, show_main_window

    app = make_application([sys.argv[0]])
    ledger = hs.demo_ledger()
    window = show_main_window(ledger)
    window.resize(*hs.SIZE)
    hs.settle(app, 1.0)
    tabs_and_pages(app, window)
    woman_id = roster_with_results(app, window, ledger)
    card_editor(app, window, ledger, woman_id)
    shell_dialogs(app, window, ledger)
    window.close_ledger()
    window.hide()
    return 0


if __name__ == "__main__":
    sys.exit(main())

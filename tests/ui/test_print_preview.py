"""打印: the roster, the forms and the attendance posting open Qt's print preview with the export's
own PDF pages; printing them (QPrinter to a PDF file) gives back the same text and page count."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import QFileDialog, QLabel, QToolBar

from app.accounts import STAFF, User
from app.forms.pdf_pages import read_pages
from app.roster import printing, rounds
from tests.builders import measure, unit, woman
from tests.ui.shell_helpers import chinese, recorded  # noqa: F401 - fixtures
from ui import print_preview
from ui.roster_tab import RosterTab

ROUND = "2026Q2"


@pytest.fixture
def town(ledger):
    unit(ledger, "430201", "仙庾镇", "乡镇")
    unit(ledger, "430201001", "桃花村", "村", parent="430201")
    unit(ledger, "430201002", "杏花社区", "社区", parent="430201")
    for i in range(45):
        wid = woman(ledger, f"王{'丽芳秀英桂兰'[i % 6]}{i}", "430201001" if i % 4 else "430201002",
                    husband=f"李{'国建军'[i % 3]}")
        measure(ledger, wid, ("宫内节育器", "避孕套", "未避孕")[i % 3], "2020-01-01")
    return ledger


@pytest.fixture
def shown(monkeypatch):
    """The preview dialogs that would have been executed modally."""
    dialogs = []
    monkeypatch.setattr(print_preview, "run_dialog", dialogs.append)
    return dialogs


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_pdf_pages_are_read_at_the_positions_pdftotext_sees(town, tmp_path):
    rnd = rounds.resolve(town, ROUND)
    village = printing.village_rosters(town, rnd)[0]
    path = tmp_path / "roster.pdf"
    printing.write_pdf(path, town.office_name, rnd, village)
    page = read_pages(path)[0]
    title = next(t for t in page.texts if "查环查孕名册" in t.text)
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True).stdout
    word = next(line for line in bbox.splitlines() if "<word" in line and f">{village.unit.name}<" in line)
    x_min = float(word.split('xMin="')[1].split('"')[0])
    assert abs(title.x - x_min) < 1.0 and title.size == 15
    assert len(page.lines) > 20 and page.fills          # the grid and the grey header row
    assert any(t.text == "证件号码" for t in page.texts)


def test_roster_print_previews_every_village_and_writes_no_files(qtbot, town, chinese, shown, recorded,  # noqa: F811
                                                               tmp_path, monkeypatch):
    tab = RosterTab(town, User(1, "clerk", "张专干", STAFF))
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    tab.load_round(ROUND)
    monkeypatch.setattr(tab, "ask_folder", lambda title: pytest.fail("printing asks for no folder"))
    tab.print_rosters()
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    dialog = shown[0]
    widget = dialog.findChild(QPrintPreviewWidget)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    widget.updatePreview()
    villages = printing.village_rosters(town, rounds.resolve(town, ROUND))
    assert len(villages) == 2
    assert widget.pageCount() == len(dialog.pages) >= 2
    assert dialog.windowTitle() == "打印预览 — 孕检名册 2026Q2"
    dialog.grab().save("/tmp/h10_print_preview.png")

    printed = print_preview.print_to_pdf(dialog.pages, tmp_path / "printed.pdf")
    assert len(PdfReader(str(printed)).pages) == len(dialog.pages)
    text = "".join(pdf_text(printed).split())          # Qt's PDF spaces runs its own way
    for village in villages:
        assert f"{village.unit.name}2026年第二季度查环查孕名册" in text   # each village on its own page
    assert "4302**********" in text and "第1页共1页" in text
    assert not list(tmp_path.glob("*孕检名册*"))
    dialog.close()


def test_forms_print_the_export_pdf_pages(qtbot, chinese, shown, tmp_path):  # noqa: F811
    from app.forms.model import Column, Form
    from app.forms.pdf import write_pdf

    form = Form("monthly", "计划生育月报表", [Column("单位", "unit", "text", 14),
                                              Column("出生", children=[Column("男", "boys"), Column("女", "girls")])],
                [{"unit": "桃花村", "boys": 3, "girls": 4}, {"unit": "杏花社区", "boys": 1, "girls": 2}],
                period_label="2026年3月", filler="仙庾镇")
    parent = QLabel()
    qtbot.addWidget(parent)
    task = print_preview.print_forms(parent, [form], form.title)
    qtbot.waitUntil(lambda: bool(shown) and task.done, timeout=30_000)
    dialog = shown[0]
    assert dialog.pages[0].landscape
    printed = print_preview.print_to_pdf(dialog.pages, tmp_path / "printed.pdf")
    exported = tmp_path / "exported.pdf"
    write_pdf([form], exported)
    words = lambda path: "".join(pdf_text(path).split())  # noqa: E731
    assert words(printed) == words(exported)     # the paper says what the exported PDF says
    page = PdfReader(str(printed)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)   # landscape paper


def test_reports_tab_print_button_previews_the_computed_forms(qtbot, chinese, shown, monkeypatch):  # noqa: F811
    from ui.reports_tab import ReportsTab

    tab = ReportsTab.__new__(ReportsTab)
    calls = []
    monkeypatch.setattr(print_preview, "print_forms", lambda parent, forms, title: calls.append((forms, title)))
    tab.forms, tab.computed_for = ["form"], ("2026H1", None)
    tab._current_ready = lambda: True
    ReportsTab.print_forms(tab)
    assert calls == [(["form"], "2026H1")]


def test_attendance_posting_prints_the_form_on_screen(qtbot, ledger, chinese, shown, recorded):  # noqa: F811
    from app.accounts import DIRECTOR
    from app.attendance import calendar
    from app.attendance import staff as staff_mod
    from tests.attendance_builders import add_person, punch
    from tests.builders import as_setup_admin
    from ui.attendance_tab import AttendanceTab

    person, user = add_person(ledger, "001", "王建国", "局领导", staff_mod.DIRECTOR, DIRECTOR)
    with as_setup_admin(ledger):
        calendar.seed_year(ledger, 2026)
    punch(ledger, person, "2026-03-02 07:55", "2026-03-02 14:25")
    ledger.user = user
    tab = AttendanceTab(ledger, user, None)
    qtbot.addWidget(tab)
    tab.clock = lambda: datetime.fromisoformat("2026-04-02 09:00")
    tab.set_month("2026-03")
    tab.refresh()
    task = tab.posting.print_posting()
    qtbot.waitUntil(lambda: bool(shown) and task.done, timeout=30_000)
    texts = " ".join(t.text for page in shown[0].pages for t in page.texts)
    assert "考勤情况公布表" in texts and "王建国" in texts


def test_file_dialog_labels_read_chinese(qtbot, chinese):  # noqa: F811
    dialog = QFileDialog(None, "x")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels
    assert not any(text.isascii() and any(ch.isalpha() for ch in text) for text in labels), labels


def test_print_preview_toolbar_reads_chinese(qtbot, chinese):  # noqa: F811
    dialog = print_preview.preview_dialog(None, [], "x")
    qtbot.addWidget(dialog)
    tips = [a.toolTip() or a.text() for bar in dialog.findChildren(QToolBar) for a in bar.actions()
            if not a.isSeparator()]
    assert tips and not any(tip.isascii() for tip in tips if tip), tips

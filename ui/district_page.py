"""汇总 page of a district office's reports tab (DOMAIN.md §10): the townships' packages in, the
district's forms out.

The clerk adds the USB stick or folders holding the townships' export packages; every package is
verified at once (app.district.consolidate.inspect, nothing written) and the table shows each
township of the tree: 已收到 / 未收到 / 校验失败 (with what failed) / 重报 (with the figures that
changed since the package received before). 汇总 consolidates (refused while a package fails;
townships without a package are asked about), records the received packages, and shows the
district's four forms in the same preview as the period's own forms and the district's
half-year analysis draft (one row per township). 导出到U盘 writes the district's package like
the period export (forms, figures.json, DHIS2 file, manifest) behind a progress dialog.
Everything is decided in app/ (permissions, audit, transactions); this page only shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.district import consolidate as district
from app.errors import LedgerError
from app.ledger import Ledger
from ui import messages
from ui.i18n import t
from ui.table_habits import install as install_table_habits
from ui.tasks import run_with_progress
from ui.widgets.form_preview import FormPreview

_COLOURS = {district.RECEIVED: "#1b5e20", district.MISSING: "#8a6d00", district.FAILED: "#b00020",
            district.RESUBMITTED: "#0d47a1"}


def _export(progress, ledger: Ledger, result: district.Consolidation, folder: str) -> dict:
    with ledger.worker() as view:
        return district.write_forms(view, result, folder, progress=progress)


def _details(row: dict) -> str:
    if row["status"] == district.FAILED:
        return "；".join(row["problems"])
    parts = []
    if row["status"] == district.RESUBMITTED:
        changes = row.get("differences") or []
        parts.append(t("Changed: {changes}").format(changes="；".join(
            f"{d['figure']} {d['before']} → {d['after']}" for d in changes[:8]) + ("…" if len(changes) > 8 else ""))
            if changes else t("Resubmitted; no figure changed"))
    elif row.get("same_as_recorded"):
        parts.append(t("The same package was received before"))
    parts += row.get("warnings") or []
    return "；".join(parts)


class DistrictPage(QWidget):
    """The 汇总 page; `period_code()` gives the period on the reports tab, `choose_folder()` the
    export target (the reports tab's folder picker, removable drives first)."""

    def __init__(self, ledger: Ledger, period_code: Callable[[], str | None],
                 choose_folder: Callable[[], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("districtPage")
        self.ledger = ledger
        self.period_code = period_code
        self.choose_export_folder = choose_folder
        self.folders: list[Path] = []
        self.survey: district.Survey | None = None
        self.result: district.Consolidation | None = None
        self.export_task = None
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.add_button = QPushButton(t("Add USB stick or folder…"), objectName="addPackagesButton")
        self.add_button.clicked.connect(self.pick_folder)
        self.clear_button = QPushButton(t("Clear the list"), objectName="clearPackagesButton")
        self.clear_button.clicked.connect(self.clear)
        self.consolidate_button = QPushButton(t("Consolidate"), objectName="consolidateButton")
        self.consolidate_button.clicked.connect(self.consolidate)
        self.export_button = QPushButton(t("Export the district's forms to USB stick…"),
                                         objectName="exportDistrictButton")
        self.export_button.clicked.connect(self.export)
        for button in (self.add_button, self.clear_button, self.consolidate_button, self.export_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.summary = QLabel(objectName="districtSummary", wordWrap=True)
        layout.addWidget(self.summary)

        splitter = QSplitter(Qt.Orientation.Vertical)
        self.table = QTableWidget(0, 4, objectName="townshipTable")
        self.table.setHorizontalHeaderLabels([t("Township"), t("Status"), t("Folder"), t("Remarks")])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        install_table_habits(self.table)
        splitter.addWidget(self.table)
        self.tabs = QTabWidget(objectName="districtForms")
        self.previews: list[FormPreview] = []
        self.draft = QPlainTextEdit(objectName="districtDraft")
        splitter.addWidget(self.tabs)
        splitter.setSizes([220, 480])
        layout.addWidget(splitter, 1)
        self._update_buttons()

    # ---- folders -------------------------------------------------------------------------------------
    def pick_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, t("Choose the USB stick or folder holding the packages"))
        if folder:
            self.add_folders([folder])

    def add_folders(self, roots: list[str | Path]) -> None:
        """Add every package folder found in `roots` (a stick: each package folder on it)."""
        found = []
        for root in roots:
            found += district.package_folders(root) or [Path(root)]
        for folder in found:
            if folder not in self.folders:
                self.folders.append(folder)
        self.inspect()

    def clear(self) -> None:
        self.folders, self.survey, self.result = [], None, None
        self.table.setRowCount(0)
        self.tabs.clear()
        self.previews = []
        self.summary.clear()
        self._update_buttons()

    # ---- verify, consolidate, export -------------------------------------------------------------------
    def inspect(self) -> None:
        period = self.period_code()
        if not period:
            return
        try:
            self.survey = district.inspect(self.ledger, period, self.folders)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self.result = None
        self._show_rows(self.survey.rows())
        failed = sum(1 for i in self.survey.inspections if not i.ok)
        self.summary.setText(t("{period}: {ok} packages verified, {failed} failed, {missing} townships without a "
                               "package.").format(period=self.survey.period.code,
                                                  ok=len(self.survey.inspections) - failed, failed=failed,
                                                  missing=len(self.survey.missing)))
        self._update_buttons()

    def _show_rows(self, rows: list[dict]) -> None:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [f"{row.get('name') or ''}（{row.get('unit') or '?'}）", row["status"], row.get("folder") or "",
                     _details(row)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 1:
                    item.setForeground(QColor(_COLOURS.get(row["status"], "#000000")))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

    def consolidate(self) -> None:
        if self.survey is None or not self.survey.inspections:
            messages.warning(self, t("Add the townships' packages first."))
            return
        if self.survey.missing and not messages.confirm(self, t(
                "{n} townships have handed in no package: {names}. Consolidate without them?").format(
                n=len(self.survey.missing), names="、".join(u.name for u in self.survey.missing))):
            return
        try:
            self.result = district.consolidate(self.ledger, self.survey.period.code, self.folders,
                                               allow_missing=True)
        except LedgerError as exc:
            messages.error(self, str(exc))
            return
        self._show_rows(self.result.survey.rows())
        self.tabs.clear()
        self.previews = []
        for form in self.result.package.forms:
            preview = FormPreview()
            preview.setObjectName(f"district_{form.form_id}")
            preview.set_form(form)
            self.previews.append(preview)
            self.tabs.addTab(preview, form.title)
        self.draft.setPlainText(self.result.draft)
        self.tabs.addTab(self.draft, t("Analysis draft"))
        r = self.result.report
        text = t("Consolidated {period}: births {births}, birth rate {rate}‰, sex ratio {ratio}.").format(
            period=self.result.period.code, births=r["births"], rate=r["birth_rate_permille"], ratio=r["sex_ratio"])
        if self.result.warnings:
            text += "\n" + "\n".join(self.result.warnings)
        self.summary.setText(text)
        self._update_buttons()

    def export(self) -> None:
        if self.result is None:
            messages.warning(self, t("Consolidate first."))
            return
        folder = self.choose_export_folder()
        if not folder:
            return

        def done(written: dict) -> None:
            messages.info(self, written["message"] + "\n" + t("Folder: {folder}").format(folder=written["out_dir"]))

        self.export_task = run_with_progress(self, t("Exporting forms"), _export, self.ledger, self.result, folder,
                                             on_success=done, on_error=lambda exc: messages.error(self, str(exc)))

    def _update_buttons(self) -> None:
        user = self.ledger.user
        may = user is None or user.may("consolidate")
        self.add_button.setEnabled(may)
        ready = may and self.survey is not None and bool(self.survey.inspections) and self.survey.ok
        self.consolidate_button.setEnabled(ready)
        self.export_button.setEnabled(self.result is not None)
        self.clear_button.setEnabled(bool(self.folders))

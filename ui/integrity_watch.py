"""The weekly full integrity check (app.integrity) while the desktop program is idle, and its text.

Rules:
- Any key press, mouse press or wheel turn in the application restarts an idle timer of
  app.integrity.IDLE_SECONDS. When it fires and the ledger's last full check is older than a
  week (app.integrity.due), the check runs as a ui.tasks.Task on its own worker connection
  (parented to the window, so closing the window stops it first).
- The check gives way to the user: input while it runs interrupts it (nothing is recorded) and
  the idle timer starts again, so a check never slows the clerk's next action.
- The outcome refreshes the status bar; a failed check also says so in a warning that names
  what SQLite found and points to 恢复 (restore from a backup).
- `status_text` / `about_text` word the latest outcome for the status bar and 关于.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from app import integrity
from ui import messages
from ui.i18n import t
from ui.tasks import Task

_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel}


def status_text(outcome: integrity.Outcome | None) -> str:
    if outcome is None:
        return t("Integrity check: not yet")
    when = f"{outcome.at:%Y-%m-%d}"
    return (t("Integrity check: passed {when}") if outcome.ok
            else t("Integrity check: FAILED {when}")).format(when=when)


def about_text(outcome: integrity.Outcome | None) -> str:
    if outcome is None:
        return t("Full integrity check: not run yet (it runs when a backup is made, and weekly when idle)")
    when = f"{outcome.at:%Y-%m-%d %H:%M}"
    if outcome.ok:
        return t("Full integrity check: passed on {when}").format(when=when)
    return t("Full integrity check: FAILED on {when} ({findings})").format(when=when, findings=outcome.result)


class IdleIntegrityCheck(QObject):
    """Installed by the main window; `window` provides `ledger` and `_update_status()`."""

    def __init__(self, window, idle_ms: int | None = None) -> None:
        super().__init__(window)
        self._window = window
        self.task: Task | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(integrity.IDLE_SECONDS * 1000 if idle_ms is None else idle_ms)
        self._timer.timeout.connect(self._on_idle)
        QApplication.instance().installEventFilter(self)
        self._timer.start()

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _INPUT:
            if self.task is not None:
                self.task.cancel()
            self._timer.start()
        return False

    def _on_idle(self) -> None:
        if self.task is not None or getattr(self._window, "_closed", False):
            return
        ledger = self._window.ledger
        if not integrity.due(ledger.db):
            return
        def work(progress) -> integrity.Outcome:
            with ledger.worker() as view:
                return integrity.run(view, should_stop=lambda: not progress(0, 1, ""))

        task = Task(work, parent=self._window)
        task.succeeded.connect(self._checked)
        task.failed.connect(self._stopped)
        task.finished.connect(self._finished)
        self.task = task
        task.start()

    def _checked(self, outcome: integrity.Outcome) -> None:
        self._window._update_status()
        if not outcome.ok:
            messages.warning(self._window, t(
                "The full integrity check of the ledger FAILED: {findings}\n\nThe ledger file is damaged. "
                "Restore the newest good backup (文件 › 恢复) as soon as possible.").format(findings=outcome.result))

    def _stopped(self, exc: BaseException) -> None:
        if not isinstance(exc, integrity.CheckStopped):
            self._window._update_status()

    def _finished(self) -> None:
        self.task = None
        self._timer.start()

    def stop(self) -> None:
        QApplication.instance().removeEventFilter(self)
        self._timer.stop()

"""Background work off the GUI thread: progress, cancel, result or error through signals.

Rules:
- `Task(fn, *args)` runs `fn(progress, *args)` on a QThread once `start()` is called. The
  worker must not touch widgets nor use the GUI thread's SQLite connection: open your own
  inside `fn` with `with ledger.worker() as view:` (or `ledger.reader()` for reads only),
  which closes it on leaving and never touches the single-writer lock.
- `progress(done, total, text) -> bool` is the callback handed to `fn`; it returns False once
  the user pressed cancel, and `fn` should then stop (raise its own "cancelled" error). It is
  cheap to call per row: signals are throttled to one every PROGRESS_INTERVAL seconds, plus
  the final one.
- Exactly one of `succeeded(result)` / `failed(exception)` is emitted, in the GUI thread; then
  `finished()`. Exceptions are delivered as values: the worker never lets one escape.
- `run_with_progress(parent, title, fn, ...)` adds a QProgressDialog whose cancel button
  cancels the task; the task owns it, and the result callbacks run after it has closed (so a
  finished task never touches a deleted dialog); keep the returned Task alive until `finished`.
- `drop()` cancels and discards whatever has not been delivered yet: no `progressed`,
  `succeeded` or `failed` reaches its receivers afterwards (`finished` still comes). The main
  window drops, and waits for, every Task under it before it closes or replaces its ledger, so
  a result never lands on a closed ledger. Parent your Task to your widget to get this.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.i18n import t

PROGRESS_INTERVAL = 0.05

ProgressCallback = Callable[[int, int, str], bool]


class _Runner(QThread):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run_in_worker()


class Task(QObject):
    """One piece of background work; see the module docstring for the contract."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()
    # emitted by the worker; re-emitted publicly in the GUI thread unless dropped
    _worker_progress = Signal(int, int, str)
    _worker_result = Signal(object)
    _worker_error = Signal(object)

    def __init__(self, fn: Callable[..., Any], *args: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._args = args
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self._runner = _Runner(self)
        self._runner.finished.connect(self._on_thread_finished)
        self._worker_progress.connect(self._deliver_progress)
        self._worker_result.connect(self._deliver_result)
        self._worker_error.connect(self._deliver_error)
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False
        self.dropped = False

    def start(self) -> None:
        self._runner.start()

    def cancel(self) -> None:
        self._cancel.set()

    def drop(self) -> None:
        """Cancel, and deliver nothing more to the receivers (see the module docstring)."""
        self.dropped = True
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def wait(self, msecs: int = 60_000) -> bool:
        """Block until the thread ends (tests, shutdown). Signals still arrive via the event loop."""
        return self._runner.wait(msecs)

    def _progress(self, done: int, total: int, text: str = "") -> bool:
        now = time.monotonic()
        if done >= total or now - self._last_emit >= PROGRESS_INTERVAL:
            self._last_emit = now
            self._worker_progress.emit(done, total, text)
        return not self._cancel.is_set()

    def _run_in_worker(self) -> None:
        try:
            result = self._fn(self._progress, *self._args)
        except Exception as exc:  # noqa: BLE001 - delivered to the GUI thread as a value
            self._worker_error.emit(exc)
        else:
            self._worker_result.emit(result)

    def _deliver_progress(self, done: int, total: int, text: str) -> None:
        if not self.dropped:
            self.progressed.emit(done, total, text)

    def _deliver_result(self, result: Any) -> None:
        self.result = result
        if not self.dropped:
            self.succeeded.emit(result)

    def _deliver_error(self, exc: BaseException) -> None:
        self.error = exc
        if not self.dropped:
            self.failed.emit(exc)

    def _on_thread_finished(self) -> None:
        self.done = True
        self.finished.emit()


PROGRESS_SHOW_AFTER_MS = 300


class _ProgressOwner(QObject):
    """The one owner of a task's progress dialog (parented to the task, so it lives as long).

    Rules, because `QProgressDialog.setValue` on a modal dialog runs the event loop itself:
    - a progress update writes the label first and calls `setValue` LAST, so nothing touches the
      dialog after the events it processed (which may have finished the task and closed it);
    - updates are dropped once the dialog is closed, and while another update is on the stack;
    - `on_success` / `on_error` run only after the dialog is closed (on `finished`, so a caller
      that sees `task.done` has had its callback); a dropped task calls neither.
    """

    def __init__(self, task: Task, dialog: QProgressDialog, title: str,
                 on_success: Callable[[Any], None] | None,
                 on_error: Callable[[BaseException], None] | None) -> None:
        super().__init__(task)
        self.task = task
        self.dialog: QProgressDialog | None = dialog
        self.title = title
        self.on_success = on_success
        self.on_error = on_error
        self._updating = False
        task.progressed.connect(self.show_progress)
        task.finished.connect(self.finish)
        dialog.canceled.connect(self.cancel)

    def show_progress(self, done: int, total: int, text: str) -> None:
        dialog = self.dialog
        if dialog is None or self._updating:
            return
        self._updating = True
        try:
            if text:
                dialog.setLabelText(f"{self.title}\n{text}")
            dialog.setMaximum(max(total, 1))
            dialog.setValue(min(done, max(total, 1)))   # may run the event loop: nothing after it
        finally:
            self._updating = False

    def cancel(self) -> None:
        if self.dialog is None or self.task.done:
            return     # QProgressDialog also emits canceled when it is closed
        self.task.cancel()
        self.dialog.setLabelText(t("Cancelling…"))

    def finish(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()
        self._deliver()

    def _deliver(self) -> None:
        task = self.task
        if task.dropped:
            return
        if task.error is not None:
            if self.on_error:
                self.on_error(task.error)
        elif self.on_success:
            self.on_success(task.result)


def run_with_progress(parent: QWidget | None, title: str, fn: Callable[..., Any], *args: Any,
                      on_success: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None) -> Task:
    """Start `fn` in the background behind a modal progress dialog with a cancel button.

    The dialog belongs to the task (see `_ProgressOwner`): `on_success(result)` or
    `on_error(exception)` is called once the dialog has closed; `task.done` is already True then.
    """
    task = Task(fn, *args, parent=parent)
    dialog = QProgressDialog(title, t("Cancel"), 0, 0, parent)
    dialog.setObjectName("taskProgress")
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(PROGRESS_SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    task.progress_owner = _ProgressOwner(task, dialog, title, on_success, on_error)
    task.start()
    return task

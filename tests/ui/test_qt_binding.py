"""Guard against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call of a method that
returns nothing (QLabel.setText, QTableWidgetItem.setText, …); after some tens of thousands
of such calls the program aborts with "none_dealloc". setup.cfg therefore pins 6.11.x; this
test fails if a broken binding is installed again.
"""

import gc
import sys

from PySide6.QtWidgets import QLabel, QTableWidgetItem


def test_calls_returning_nothing_keep_none_alive(qapp):
    label, item = QLabel(), QTableWidgetItem("x")
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("计生台帐")
        item.setText("育龄妇女")
    gc.collect()
    assert sys.getrefcount(None) - before > -100

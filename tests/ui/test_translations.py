"""The UI is Chinese: every t() string under ui/ has a translation, and Qt's own buttons too."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox

from tests.ui.shell_helpers import chinese  # noqa: F401 - fixture
from ui.i18n import install_translators, missing


def test_every_ui_string_has_a_chinese_translation():
    untranslated = missing()
    assert untranslated == {}, "untranslated t() strings: " + "; ".join(
        f"{source!r} ({', '.join(where)})" for source, where in untranslated.items())


def test_qt_own_buttons_read_chinese(qtbot, chinese):  # noqa: F811
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Ok).text() == "确定"
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"


def test_qtbase_and_our_translations_load(qapp):
    loaded = install_translators(qapp)
    try:
        files = [translator.filePath() for translator in loaded]
        assert any("qtbase_zh_CN" in name for name in files)
        assert any(name.endswith("shell_zh_CN.qm") for name in files)
        assert QCoreApplication.translate("fpledger", "&File") == "文件(&F)"
    finally:
        for translator in loaded:
            qapp.removeTranslator(translator)

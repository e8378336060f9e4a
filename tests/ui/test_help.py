"""The user guide: 帮助 › 使用说明 opens it; F1 opens the section of the tab in front; its files are whole."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from app.paths import backup_dir_for
from tests.ui.shell_helpers import admin_ledger, chinese  # noqa: F401 - fixtures
from ui.help_viewer import SECTIONS, TAB_SECTIONS, HelpViewer, help_dir, section_for_tab
from ui.main_window import TABS, MainWindow


@pytest.fixture
def window(qtbot, admin_ledger, chinese):  # noqa: F811
    win = MainWindow(admin_ledger, admin_ledger.user)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_every_section_file_exists_with_its_title():
    for file_name, title in SECTIONS:
        html = (help_dir() / file_name).read_text(encoding="utf-8")
        assert f"<h1>{title}" in html, file_name


def test_every_image_and_link_of_the_guide_exists():
    images = 0
    for page in sorted(help_dir().glob("*.html")):
        html = page.read_text(encoding="utf-8")
        for src in re.findall(r'<img[^>]*src="([^"]+)"', html):
            images += 1
            assert (help_dir() / src).is_file(), f"{page.name}: missing image {src}"
        for href in re.findall(r'href="([^"#]+)', html):
            assert (help_dir() / href).is_file(), f"{page.name}: broken link {href}"
    assert images >= 5


def test_every_tab_has_its_own_section():
    assert {spec.object_name for spec in TABS} == set(TAB_SECTIONS)
    assert set(TAB_SECTIONS.values()) <= {name for name, _ in SECTIONS}
    assert section_for_tab("somethingElse") == "overview.html"


@pytest.mark.parametrize("index, section", [(i, TAB_SECTIONS[spec.object_name]) for i, spec in enumerate(TABS)])
def test_f1_opens_the_section_of_the_current_tab(window, qtbot, index, section, screenshots_dir):
    window.tabs.setCurrentIndex(index)
    window.activateWindow()
    qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_F1)
    viewer = window.findChild(HelpViewer, "helpViewer")
    assert viewer is not None and viewer.isVisible()
    assert viewer.current_section == section
    title = dict(SECTIONS)[section]
    assert viewer.contents.currentItem().text() == title
    assert viewer.browser.toPlainText().startswith(title)
    if index == 0:
        viewer.resize(1366, 768)
        viewer.grab().save(str(screenshots_dir / "help_viewer_registry.png"))
    viewer.close()


def test_the_help_menu_opens_the_guide_and_the_contents_switch_sections(window, qtbot, screenshots_dir):
    action = window.actions_by_name["helpAction"]
    assert action.text() == "使用说明(&U)"
    assert action.shortcut().toString() == "F1"
    window.tabs.setCurrentIndex(4)
    action.trigger()
    viewer = window.findChild(HelpViewer, "helpViewer")
    assert viewer.current_section == "reports.html"
    row = [name for name, _ in SECTIONS].index("data.html")
    viewer.contents.setCurrentRow(row)
    assert viewer.current_section == "data.html"
    assert "便携模式" in viewer.browser.toPlainText() and "userdata" in viewer.browser.toPlainText()
    viewer.resize(1366, 768)
    viewer.grab().save(str(screenshots_dir / "help_viewer_data.png"))
    viewer.browser.setSource(viewer.browser.source().resolved("overview.html"))  # a link inside the guide
    assert viewer.contents.currentItem().text() == "总览与每月工作流程"
    assert "逻辑校核" in viewer.browser.toPlainText() and "关账" in viewer.browser.toPlainText()


def test_about_names_the_backup_folder_and_portable_mode(window, admin_ledger):  # noqa: F811
    text = window.about_text()
    assert f"备份文件夹：{backup_dir_for(admin_ledger.path)}" in text
    assert "portable" in text and "userdata" in text

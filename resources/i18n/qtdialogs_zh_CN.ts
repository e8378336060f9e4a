<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!--
  Qt's own dialog labels that the qtbase_zh_CN.qm shipped with PySide6 6.11 lacks: Qt 6 added
  accelerators to these labels ("&Look in:" instead of "Look in:"), and the shipped catalogue
  still only knows the old sources, so the non-native file dialog showed "Look in:" / "Files
  of type:" in English. Contexts are the Qt classes whose .ui forms use the strings; the
  wording follows qtbase_zh_CN's translation of the old source. Loaded after qtbase_zh_CN
  (ui.i18n.install_translators), so these win. tests/ui/test_translations.py scans Qt's file
  and print dialogs for English labels.
-->
<TS version="2.1" language="zh_CN">
<context>
    <name>QFileDialog</name>
    <message><source>&amp;Look in:</source><translation>查找范围(&amp;L)：</translation></message>
    <message><source>Files of &amp;type:</source><translation>文件类型(&amp;T)：</translation></message>
</context>
<context>
    <name>QPageSetupWidget</name>
    <message><source>Page &amp;order:</source><translation>页面顺序(&amp;O)：</translation></message>
    <message><source>Pages &amp;per sheet:</source><translation>每张页数(&amp;P)：</translation></message>
</context>
<context>
    <name>QPrintSettingsOutput</name>
    <message><source>Page &amp;Set:</source><translation>页面组(&amp;S)：</translation></message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>fpledger</name>
    <message><source>Copy with headers</source><translation>复制（含表头）</translation></message>
    <message><source>Open card</source><translation>打开卡片</translation></message>
    <message><source>Export selected…</source><translation>导出所选…</translation></message>
    <message><source>Selected rows</source><translation>所选行</translation></message>
    <message><source>Export selected rows</source><translation>导出所选行</translation></message>
    <message><source>Select the rows to export first.</source><translation>请先选中要导出的行。</translation></message>
    <message><source>The file could not be written: {error}</source><translation>文件无法写入：{error}</translation></message>
    <message><source>{n} rows exported to {path}</source><translation>已导出 {n} 行：{path}</translation></message>
    <message><source>Print…</source><translation>打印…</translation></message>
    <message><source>Save roster files…</source><translation>保存名册文件…</translation></message>
    <message><source>Pregnancy-check rosters {code}</source><translation>孕检名册 {code}</translation></message>
    <message><source>Print preview — {title}</source><translation>打印预览 — {title}</translation></message>
    <message><source>There is nothing to print.</source><translation>没有可打印的内容。</translation></message>
    <message><source>Preparing the print preview</source><translation>正在准备打印预览</translation></message>
</context>
</TS>

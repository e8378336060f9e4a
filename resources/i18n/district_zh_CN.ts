<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>fpledger</name>
    <message><source>Consolidation</source><translation>汇总</translation></message>
    <message><source>Changed: {changes}</source><translation>变化：{changes}</translation></message>
    <message><source>Resubmitted; no figure changed</source><translation>重报，数字无变化</translation></message>
    <message><source>The same package was received before</source><translation>与已收到的数据包相同</translation></message>
    <message><source>Add USB stick or folder…</source><translation>添加U盘或文件夹…</translation></message>
    <message><source>Clear the list</source><translation>清空列表</translation></message>
    <message><source>Consolidate</source><translation>汇总</translation></message>
    <message><source>Export the district's forms to USB stick…</source><translation>导出区县报表到U盘…</translation></message>
    <message><source>Township</source><translation>乡镇（街道）</translation></message>
    <message><source>Folder</source><translation>文件夹</translation></message>
    <message><source>Choose the USB stick or folder holding the packages</source><translation>选择存放各乡镇数据包的U盘或文件夹</translation></message>
    <message><source>{period}: {ok} packages verified, {failed} failed, {missing} townships without a package.</source><translation>{period}：{ok} 个数据包校验通过，{failed} 个未通过，{missing} 个乡镇（街道）未交数据包。</translation></message>
    <message><source>Add the townships' packages first.</source><translation>请先添加各乡镇（街道）的数据包。</translation></message>
    <message><source>{n} townships have handed in no package: {names}. Consolidate without them?</source><translation>有 {n} 个乡镇（街道）未交数据包：{names}。不含它们先行汇总吗？</translation></message>
    <message><source>Consolidated {period}: births {births}, birth rate {rate}‰, sex ratio {ratio}.</source><translation>{period} 已汇总：出生 {births} 人，出生率 {rate}‰，出生性别比 {ratio}。</translation></message>
    <message><source>Consolidate first.</source><translation>请先汇总。</translation></message>
    <message><source>Office level</source><translation>办公室级别</translation></message>
    <message><source>Township / sub-district office (乡镇/街道)</source><translation>乡镇/街道</translation></message>
    <message><source>District / county office (区/县): consolidates the townships' packages</source><translation>区/县（汇总各乡镇、街道的数据包）</translation></message>
</context>
</TS>

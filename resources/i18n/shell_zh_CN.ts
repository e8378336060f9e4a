<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>fpledger</name>
    <message><source>Registry of women</source><translation>育龄妇女台帐</translation></message>
    <message><source>Pregnancy-check roster</source><translation>孕检名册</translation></message>
    <message><source>Sampling reconciliation</source><translation>抽样核对</translation></message>
    <message><source>Staff attendance</source><translation>考勤</translation></message>
    <message><source>Statistical reports</source><translation>统计报表</translation></message>
    <message><source>The registry of women of childbearing age (cards, children, contraception, procedures, logic checks) is being built and will appear here.</source><translation>育龄妇女台帐（卡片、子女、节育措施、手术、逻辑校核）正在开发中，完成后在此显示。</translation></message>
    <message><source>The pregnancy-check rounds (due lists, results, rates, printed rosters) are being built and will appear here.</source><translation>孕检/三查名册（应查名单、检查结果、查环查孕率、打印名册）正在开发中，完成后在此显示。</translation></message>
    <message><source>Matching the district&apos;s sampling survey against the ledger is being built and will appear here.</source><translation>抽样调查与台帐核对功能正在开发中，完成后在此显示。</translation></message>
    <message><source>Staff attendance (roll calls, leave approval, monthly posting) is being built and will appear here.</source><translation>考勤及请销假（签到、请假审批、每月张榜）正在开发中，完成后在此显示。</translation></message>
    <message><source>The standard monthly, half-year and annual forms and their export are being built and will appear here.</source><translation>月报、半年报、年报等标准报表及导出功能正在开发中，完成后在此显示。</translation></message>
</context>
</TS>

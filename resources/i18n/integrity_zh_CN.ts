<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>fpledger</name>
    <message><source>Integrity check: not yet</source><translation>完整性检查：尚未进行</translation></message>
    <message><source>Integrity check: passed {when}</source><translation>完整性检查：{when} 通过</translation></message>
    <message><source>Integrity check: FAILED {when}</source><translation>完整性检查：{when} 未通过</translation></message>
    <message><source>Full integrity check: not run yet (it runs when a backup is made, and weekly when idle)</source><translation>完整性检查：尚未进行（每次备份时检查，程序空闲时每周检查一次）</translation></message>
    <message><source>Full integrity check: passed on {when}</source><translation>完整性检查：{when} 通过</translation></message>
    <message><source>Full integrity check: FAILED on {when} ({findings})</source><translation>完整性检查：{when} 未通过（{findings}）</translation></message>
    <message><source>The full integrity check of the ledger FAILED: {findings}

The ledger file is damaged. Restore the newest good backup (文件 › 恢复) as soon as possible.</source><translation>台帐完整性检查未通过：{findings}

台帐文件已损坏。请尽快用“文件 › 恢复”恢复最近一份完好的备份。</translation></message>
</context>
</TS>

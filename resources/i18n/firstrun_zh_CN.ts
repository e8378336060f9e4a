<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>fpledger</name>
    <message><source>none yet</source><translation>暂不建立</translation></message>
    <message><source>Unit tree</source><translation>单位设置</translation></message>
    <message><source>The district, the towns and streets, and their villages and communities. You can also build or change the tree later under Settings › Units.</source><translation>区县、乡镇和街道，以及下属的村、社区。以后也可以在“设置 › 单位管理”中建立或修改。</translation></message>
    <message><source>Type the units in</source><translation>手工录入单位</translation></message>
    <message><source>Import the 单位 sheet of a standard workbook</source><translation>从标准导入工作簿的“单位”工作表导入</translation></message>
    <message><source>Not now (empty tree; demo data can then be loaded)</source><translation>暂不建立（单位为空，此时可以载入示例数据）</translation></message>
    <message><source>Add a row</source><translation>添加一行</translation></message>
    <message><source>Delete the selected rows</source><translation>删除选中的行</translation></message>
    <message><source>Parent code: the code of the unit above (empty for the top unit).</source><translation>上级代码：上一级单位的代码（最上级单位留空）。</translation></message>
    <message><source>The workbook (.xlsx) with a 单位 sheet</source><translation>含“单位”工作表的工作簿（.xlsx）</translation></message>
    <message><source>Browse…</source><translation>浏览…</translation></message>
    <message><source>The 单位 sheet has no rows.</source><translation>“单位”工作表中没有数据行。</translation></message>
    <message><source>Type at least one unit, or choose “Not now”.</source><translation>请至少录入一个单位，或选择“暂不建立”。</translation></message>
    <message><source>Choose the workbook to import.</source><translation>请选择要导入的工作簿。</translation></message>
    <message><source>{n} units typed in</source><translation>手工录入 {n} 个单位</translation></message>
    <message><source>{n} units from the 单位 sheet of {file}</source><translation>从“{file}”的“单位”工作表导入 {n} 个单位</translation></message>
    <message><source>Row {row}, code: required</source><translation>第 {row} 行 代码：必填</translation></message>
    <message><source>Row {row}, name: required</source><translation>第 {row} 行 名称：必填</translation></message>
    <message><source>Row {row}, type: choose one of {kinds}</source><translation>第 {row} 行 类型：应为 {kinds} 之一</translation></message>
    <message><source>Row {row}, parent: a unit cannot be its own parent</source><translation>第 {row} 行 上级代码：不能是单位自己</translation></message>
    <message><source>Row {row}, parent: no row has the code {code}</source><translation>第 {row} 行 上级代码：表中没有代码为“{code}”的单位</translation></message>
    <message><source>Row {row}, code: {code} repeats row {first}</source><translation>第 {row} 行 代码：“{code}”与第 {first} 行重复</translation></message>
    <message><source>Rows {rows}, parent: the parents form a loop</source><translation>第 {rows} 行 上级代码：上级关系形成了循环</translation></message>
    <message><source>The statistical year is the calendar year: 1 January to 31 December.</source><translation>统计年度即日历年：1月1日至12月31日。</translation></message>
    <message><source>The statistical year runs from {start}/1 to {end}/{day} of the following year.</source><translation>统计年度：每年{start}月1日至次年{end}月{day}日。</translation></message>
    <message><source>Office and statistical year</source><translation>单位名称与统计年度</translation></message>
    <message><source>Family-planning statistics run from 1 October to 30 September of the following year (统计年度), so the default is 10. Choose 1 if your district counts calendar years. The setting can be changed later under Settings › Statistical year.</source><translation>计划生育统计按统计年度计算：10月1日至次年9月30日，所以默认为 10。如果本区县按日历年统计，请选 1。以后可在“设置 › 统计年度”中修改。</translation></message>
    <message><source>Administrator account</source><translation>管理员账户</translation></message>
    <message><source>The administrator manages units, user accounts and backups. Other staff get their own accounts later under Settings › Users.</source><translation>管理员负责单位、用户账户和备份。其他工作人员的账户以后在“设置 › 用户管理”中建立。</translation></message>
    <message><source>Keep the password safe: it is stored only as a one-way hash and nobody can read it back. If it is forgotten, another administrator can reset it.</source><translation>请妥善保管密码：台帐只保存不可逆的密码摘要，任何人都无法读出密码。忘记密码时，可由另一位管理员重设。</translation></message>
    <message><source>Create the ledger</source><translation>创建台帐</translation></message>
    <message><source>Check the summary, then press “Create the ledger”. Nothing has been written yet.</source><translation>请核对以下内容，然后按“创建台帐”。到目前为止还没有写入任何文件。</translation></message>
    <message><source>Load demo data (one township, about 15,000 invented women) to try the program</source><translation>载入示例数据（一个乡镇，约 15,000 名虚构的育龄妇女），用来试用本程序</translation></message>
    <message><source>The ledger is ready</source><translation>台帐已建立</translation></message>
    <message><source>Stop loading demo data</source><translation>停止载入示例数据</translation></message>
    <message><source>Loading demo data…</source><translation>正在载入示例数据…</translation></message>
    <message><source>Your data is kept here:

Ledger file: {ledger}
Backup folder: {backups}
Data folder: {data}

The program backs the ledger up into the backup folder at the first start of each day and before imports and upgrades; File › Back up to a file copies it onto a USB stick.

{portable}</source><translation>您的数据保存在以下位置：

台帐文件：{ledger}
备份文件夹：{backups}
数据文件夹：{data}

程序每天第一次打开台帐时、每次导入前和升级前都会自动备份到备份文件夹；用“文件 › 备份到文件（U 盘）”可以把台帐另存到 U 盘。

{portable}</translation></message>
    <message><source>{day} (29 in leap years)</source><translation>{day}（闰年 29）</translation></message>
    <message><source>Demo data are invented people for practice. Do not mix them with real records: for real work, create a new ledger (File › New ledger).</source><translation>示例数据是虚构的人员，只供练习。不要与真实数据混在一起：正式使用时请另建台帐（文件 › 新建台帐）。</translation></message>
    <message><source>Demo data can only be loaded into a ledger without units; you chose a unit tree.</source><translation>示例数据只能载入没有单位的台帐；您已选择建立单位，因此不能载入。</translation></message>
    <message><source>Ledger file</source><translation>台帐文件</translation></message>
    <message><source>Administrator</source><translation>管理员</translation></message>
    <message><source>Press Finish to start working. Help › User guide (F1) explains each tab.</source><translation>按“完成”开始使用。“帮助 › 使用说明”（F1）介绍各个页面的用法。</translation></message>
    <message><source>Portable mode is ON: a file named “portable” lies beside the program, so the data stay in the “userdata” folder beside it.</source><translation>便携模式已开启：程序旁边有一个名为“portable”的文件，所以数据保存在程序旁边的“userdata”文件夹中。</translation></message>
    <message><source>Portable mode is off. To run from a USB stick, put an empty file named “portable” beside the program (FPLedger.exe): the data are then kept in the “userdata” folder beside it.</source><translation>便携模式未开启。如需从 U 盘运行，请在程序（FPLedger.exe）旁边放一个名为“portable”的空文件，数据就会保存在程序旁边的“userdata”文件夹中。</translation></message>
    <message><source>No ledger exists yet at {path}. This wizard creates it.</source><translation>“{path}”处还没有台帐，本向导将建立它。</translation></message>
    <message><source>Demo data loaded: {units} units, {women} women, {children} children. Press Finish to start.</source><translation>示例数据已载入：{units} 个单位、{women} 名育龄妇女、{children} 个子女。按“完成”开始使用。</translation></message>
    <message><source>No demo data was loaded ({error}). The ledger is created and empty; demo data can be loaded later from the registry tab.</source><translation>没有载入示例数据（{error}）。台帐已建立，目前为空；以后可在“育龄妇女台帐”页面载入示例数据。</translation></message>
    <message><source>The ledger could not be created: {error}</source><translation>无法建立台帐：{error}</translation></message>
    <message><source>&amp;User guide</source><translation>使用说明(&amp;U)</translation></message>
    <message><source>User guide</source><translation>使用说明</translation></message>
    <message><source>Backup folder: {backups}

Portable mode: put a file named “portable” beside the program and the data are kept in the “userdata” folder beside it.</source><translation>备份文件夹：{backups}

便携模式：在程序旁边放一个名为“portable”的文件，数据就保存在程序旁边的“userdata”文件夹中。</translation></message>
    <message><source>Holiday calendar</source><translation>节假日</translation></message>
    <message><source>the statutory holidays and swapped working days of {years} from the built-in table (State Council notices) are filled in; later years are entered on the attendance tab, “Calendar and rules”</source><translation>自动填入内置节假日表（国务院办公厅通知）{years}的法定节假日和调休上班日；以后年份在考勤“日历与规则”页录入</translation></message>
</context>
</TS>

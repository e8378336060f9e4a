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
    <message><source>First start</source><translation>首次使用</translation></message>
    <message><source>Administrator user name</source><translation>管理员用户名</translation></message>
    <message><source>Full name</source><translation>姓名</translation></message>
    <message><source>Password</source><translation>密码</translation></message>
    <message><source>Password again</source><translation>再次输入密码</translation></message>
    <message><source>Office name</source><translation>单位名称</translation></message>
    <message><source>Statistical year starts in month</source><translation>统计年度起始月份</translation></message>
    <message><source> (month)</source><translation> 月</translation></message>
    <message><source>Please enter a user name.</source><translation>请输入用户名。</translation></message>
    <message><source>The two passwords differ.</source><translation>两次输入的密码不一致。</translation></message>
    <message><source>at least {n} characters</source><translation>至少 {n} 个字符</translation></message>
    <message><source>Please enter the office name.</source><translation>请输入单位名称。</translation></message>
    <message><source>No ledger exists yet at {path}. Enter your office and create the administrator account to start.</source><translation>“{path}”处还没有台帐。请填写单位名称并建立管理员账户，然后开始使用。</translation></message>
    <message><source>e.g. {example}</source><translation>例如：{example}</translation></message>
    <message><source>The ledger {office} has no user accounts yet. Create the administrator account.</source><translation>台帐“{office}”还没有用户账户，请先建立管理员账户。</translation></message>
    <message><source>The password needs at least {n} characters.</source><translation>密码至少需要 {n} 个字符。</translation></message>
    <message><source>Sheet</source><translation>工作表</translation></message>
    <message><source>Row</source><translation>行</translation></message>
    <message><source>Column</source><translation>列</translation></message>
    <message><source>Problem</source><translation>问题说明</translation></message>
    <message><source>Notes:</source><translation>提示：</translation></message>
    <message><source>Import finished</source><translation>导入完成</translation></message>
    <message><source>Import errors</source><translation>导入错误</translation></message>
    <message><source>Import refused</source><translation>导入未通过</translation></message>
    <message><source>Export list…</source><translation>导出清单…</translation></message>
    <message><source>Copy all</source><translation>复制全部</translation></message>
    <message><source>Excel workbook (*.xlsx);;CSV (*.csv)</source><translation>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation></message>
    <message><source>Imported {name}.</source><translation>已导入“{name}”。</translation></message>
    <message><source>{sheet}: {inserted} added, {updated} updated, {unchanged} unchanged</source><translation>{sheet}：新增 {inserted}，更新 {updated}，未变 {unchanged}</translation></message>
    <message><source>{name} was not imported and nothing was written. {n} problems were found; correct them in the workbook and import it again.</source><translation>“{name}”未导入，没有写入任何数据。共发现 {n} 处问题，请在工作簿中改正后重新导入。</translation></message>
    <message><source>Saved: {path}</source><translation>已保存：{path}</translation></message>
    <message><source>the written file has {found} rows instead of {expected}</source><translation>写出的文件有 {found} 行，应为 {expected} 行</translation></message>
    <message><source>The list could not be saved: {error}</source><translation>清单未能保存：{error}</translation></message>
    <message><source>Sign in</source><translation>登录</translation></message>
    <message><source>User name</source><translation>用户名</translation></message>
    <message><source>{office} — ledger {path}</source><translation>{office} — 台帐 {path}</translation></message>
    <message><source>Change password</source><translation>修改密码</translation></message>
    <message><source>Current password</source><translation>原密码</translation></message>
    <message><source>New password</source><translation>新密码</translation></message>
    <message><source>New password again</source><translation>再次输入新密码</translation></message>
    <message><source>The administrator has reset your password. Please choose a new one.</source><translation>管理员已重置您的密码，请设置新密码。</translation></message>
    <message><source>Statistical year</source><translation>统计年度</translation></message>
    <message><source>always existed</source><translation>历来存在</translation></message>
    <message><source>Manage units</source><translation>单位管理</translation></message>
    <message><source>Effective date</source><translation>生效日期</translation></message>
    <message><source>Add unit</source><translation>新增单位</translation></message>
    <message><source>Code</source><translation>代码</translation></message>
    <message><source>Name</source><translation>名称</translation></message>
    <message><source>Kind</source><translation>类型</translation></message>
    <message><source>Parent unit</source><translation>上级单位</translation></message>
    <message><source>(none — top level)</source><translation>（无 — 最上级）</translation></message>
    <message><source>Rename unit</source><translation>单位更名</translation></message>
    <message><source>New name</source><translation>新名称</translation></message>
    <message><source>Move unit</source><translation>单位划转</translation></message>
    <message><source>New parent unit</source><translation>新的上级单位</translation></message>
    <message><source>Merge unit</source><translation>单位合并</translation></message>
    <message><source>Merge into</source><translation>并入</translation></message>
    <message><source>Split unit</source><translation>单位拆分</translation></message>
    <message><source>New units</source><translation>新单位</translation></message>
    <message><source>one per line: code name</source><translation>每行一个：代码 名称</translation></message>
    <message><source>Tree as of</source><translation>查看日期</translation></message>
    <message><source>Parent code</source><translation>上级代码</translation></message>
    <message><source>From</source><translation>起</translation></message>
    <message><source>Until</source><translation>止</translation></message>
    <message><source>Note</source><translation>说明</translation></message>
    <message><source>Add unit…</source><translation>新增单位…</translation></message>
    <message><source>Rename…</source><translation>更名…</translation></message>
    <message><source>Move…</source><translation>划转…</translation></message>
    <message><source>Merge into…</source><translation>合并到…</translation></message>
    <message><source>Split…</source><translation>拆分…</translation></message>
    <message><source>First choose a unit in the tree.</source><translation>请先在树中选择一个单位。</translation></message>
    <message><source>Choose the new parent unit.</source><translation>请选择新的上级单位。</translation></message>
    <message><source>Its sub-units and women move to the target; the unit ends on the effective date. Its history is kept.</source><translation>其下级单位和育龄妇女划入目标单位；本单位自生效日期起撤销，历史记录保留。</translation></message>
    <message><source>Choose the unit to merge into.</source><translation>请选择要并入的单位。</translation></message>
    <message><source>The original unit ends on the effective date</source><translation>原单位自生效日期起撤销</translation></message>
    <message><source>Enter at least one new unit.</source><translation>请至少填写一个新单位。</translation></message>
    <message><source>Unit: {name} ({code})</source><translation>单位：{name}（{code}）</translation></message>
    <message><source>Line {n}: write the code, a space, then the name.</source><translation>第 {n} 行：请先写代码，空一格，再写名称。</translation></message>
    <message><source>Manage users</source><translation>用户管理</translation></message>
    <message><source>Add user</source><translation>新增用户</translation></message>
    <message><source>Role</source><translation>角色</translation></message>
    <message><source>Initial password</source><translation>初始密码</translation></message>
    <message><source>Reset password</source><translation>重置密码</translation></message>
    <message><source>Status</source><translation>状态</translation></message>
    <message><source>Add user…</source><translation>新增用户…</translation></message>
    <message><source>Reset password…</source><translation>重置密码…</translation></message>
    <message><source>Deactivate / reactivate</source><translation>停用 / 启用</translation></message>
    <message><source>deactivated</source><translation>已停用</translation></message>
    <message><source>First choose a user in the list.</source><translation>请先在列表中选择一个用户。</translation></message>
    <message><source>active</source><translation>在用</translation></message>
    <message><source>You cannot deactivate your own account.</source><translation>不能停用自己的账户。</translation></message>
    <message><source>This is the last active administrator; it stays active.</source><translation>这是最后一个在用的管理员账户，不能停用。</translation></message>
    <message><source>New password for {name} ({username}); they must change it at their next sign-in.</source><translation>为 {name}（{username}）设置新密码；其下次登录时必须修改密码。</translation></message>
    <message><source>locked until {when}</source><translation>锁定至 {when}</translation></message>
    <message><source>&amp;File</source><translation>文件(&amp;F)</translation></message>
    <message><source>&amp;New ledger…</source><translation>新建台帐(&amp;N)…</translation></message>
    <message><source>&amp;Open ledger…</source><translation>打开台帐(&amp;O)…</translation></message>
    <message><source>&amp;Back up now</source><translation>备份(&amp;B)</translation></message>
    <message><source>Back up to a file (USB stick)…</source><translation>备份到文件（U 盘）…</translation></message>
    <message><source>&amp;Restore from a backup…</source><translation>恢复(&amp;R)…</translation></message>
    <message><source>&amp;Import workbook…</source><translation>导入(&amp;I)…</translation></message>
    <message><source>&amp;Export all data…</source><translation>导出全部数据(&amp;E)…</translation></message>
    <message><source>E&amp;xit</source><translation>退出(&amp;X)</translation></message>
    <message><source>&amp;Settings</source><translation>设置(&amp;S)</translation></message>
    <message><source>&amp;Units…</source><translation>单位管理(&amp;U)…</translation></message>
    <message><source>U&amp;sers…</source><translation>用户管理(&amp;S)…</translation></message>
    <message><source>Change &amp;password…</source><translation>修改密码(&amp;P)…</translation></message>
    <message><source>Statistical &amp;year…</source><translation>统计年度(&amp;Y)…</translation></message>
    <message><source>&amp;Help</source><translation>帮助(&amp;H)</translation></message>
    <message><source>&amp;About</source><translation>关于(&amp;A)</translation></message>
    <message><source>Last backup: none yet</source><translation>最近备份：尚无</translation></message>
    <message><source>Ledger: {office} — {path}</source><translation>台帐：{office} — {path}</translation></message>
    <message><source>User: {name} ({role})</source><translation>用户：{name}（{role}）</translation></message>
    <message><source>Last backup: {when}</source><translation>最近备份：{when}</translation></message>
    <message><source>Your role ({role}) may not do this.</source><translation>您的角色（{role}）无权执行此操作。</translation></message>
    <message><source>Error</source><translation>错误</translation></message>
    <message><source>Warning</source><translation>警告</translation></message>
    <message><source>Information</source><translation>提示</translation></message>
    <message><source>Please confirm</source><translation>请确认</translation></message>
    <message><source>Cannot open the ledger</source><translation>无法打开台帐</translation></message>
    <message><source>The ledger is damaged</source><translation>台帐已损坏</translation></message>
    <message><source>{problem}

Restore the ledger from this backup now? The damaged file is kept as a safety copy.</source><translation>{problem}

现在用这份备份恢复台帐吗？损坏的文件会另存一份。</translation></message>
    <message><source>Restore failed</source><translation>恢复失败</translation></message>
    <message><source>The ledger was restored from {backup}. The damaged file was kept as {safety}.</source><translation>已从“{backup}”恢复台帐。损坏的文件已另存为“{safety}”。</translation></message>
    <message><source>The file could not be read or written: {error}</source><translation>文件无法读写：{error}</translation></message>
    <message><source>Ledger files (*.db);;All files (*)</source><translation>台帐文件 (*.db);;所有文件 (*)</translation></message>
    <message><source>Excel workbooks (*.xlsx *.xlsm);;All files (*)</source><translation>Excel 工作簿 (*.xlsx *.xlsm);;所有文件 (*)</translation></message>
    <message><source>New ledger</source><translation>新建台帐</translation></message>
    <message><source>Open ledger</source><translation>打开台帐</translation></message>
    <message><source>Back up to a file</source><translation>备份到文件</translation></message>
    <message><source>Restore from a backup</source><translation>从备份恢复</translation></message>
    <message><source>Import workbook</source><translation>导入工作簿</translation></message>
    <message><source>About FP Ledger</source><translation>关于 计生台帐</translation></message>
    <message><source>This ledger is already open.</source><translation>这个台帐已经打开。</translation></message>
    <message><source>Replace the current ledger with the backup {file}?

Everything entered after that backup was taken will be gone. The current ledger is kept as a safety copy in the backup folder.</source><translation>用备份“{file}”替换当前台帐吗？

该备份之后录入的所有内容都将丢失。当前台帐会另存一份到备份文件夹。</translation></message>
    <message><source>Your password was changed.</source><translation>密码已修改。</translation></message>
    <message><source>FP Ledger version {version}

Office: {office}
Ledger file: {path}
Data folder: {data}
Portable mode: {portable}</source><translation>计生台帐 版本 {version}

单位：{office}
台帐文件：{path}
数据文件夹：{data}
便携模式：{portable}</translation></message>
    <message><source>The ledger was backed up and checked: {path}</source><translation>台帐已备份并校验完好：{path}</translation></message>
    <message><source>Importing {name}…</source><translation>正在导入“{name}”…</translation></message>
    <message><source>Export all data</source><translation>导出全部数据</translation></message>
    <message><source>{office} all data.xlsx</source><translation>{office}全部数据.xlsx</translation></message>
    <message><source>Excel workbooks (*.xlsx)</source><translation>Excel 工作簿 (*.xlsx)</translation></message>
    <message><source>{sheet}: {rows} rows</source><translation>{sheet}：{rows} 行</translation></message>
    <message><source>All data were exported to {path}:
{rows}</source><translation>全部数据已导出到“{path}”：
{rows}</translation></message>
    <message><source>The export stopped because of an unexpected error: {error}. No file was written.</source><translation>导出因意外错误而中止：{error}。未写入文件。</translation></message>
    <message><source>Exporting all data to {name}…</source><translation>正在导出全部数据到“{name}”…</translation></message>
    <message><source>yes</source><translation>是</translation></message>
    <message><source>no</source><translation>否</translation></message>
    <message><source>{path} already exists. Choose a new file name.</source><translation>“{path}”已存在，请换一个文件名。</translation></message>
    <message><source>The restored ledger has no active account {user}. Please sign in.</source><translation>恢复后的台帐中没有在用账户“{user}”，请重新登录。</translation></message>
    <message><source>The ledger was restored from {backup}. The previous ledger was kept as {safety}.</source><translation>已从“{backup}”恢复台帐。恢复前的台帐已另存为“{safety}”。</translation></message>
    <message><source>Import</source><translation>导入</translation></message>
    <message><source>The backup failed: {error}</source><translation>备份失败：{error}</translation></message>
    <message><source>The import stopped because of an unexpected error: {error}. Nothing was written.</source><translation>导入因意外错误而中止：{error}。没有写入任何数据。</translation></message>
    <message><source>Cancel</source><translation>取消</translation></message>
    <message><source>Cancelling…</source><translation>正在取消…</translation></message>
    <message><source>The statistical year runs from this month to the month before it in the next year (e.g. October to September). Periods, reports and rates use it.</source><translation>统计年度从此月开始，到次年的上一个月为止（例如 10 月至次年 9 月）。期间、报表和各项比率都按此计算。</translation></message>
    <message><source>Statistics and pregnancy-check &amp;rules…</source><translation>统计与孕检设置(&amp;R)…</translation></message>
    <message><source>Statistics and pregnancy-check settings</source><translation>统计与孕检设置</translation></message>
    <message><source>These rules apply to the whole ledger; every change is recorded in the audit log.</source><translation>以下规则对整个台帐生效；每次修改都记入操作日志。</translation></message>
    <message><source>Long-acting measures indicator</source><translation>长效节育措施落实</translation></message>
    <message><source>Count long-acting measure take-up</source><translation>统计长效节育措施落实情况</translation></message>
    <message><source>Due after the youngest child&apos;s birth</source><translation>末孩出生后应落实期限</translation></message>
    <message><source> months</source><translation> 个月</translation></message>
    <message><source>Sterilized women exempt from checks after</source><translation>结扎满多久免查</translation></message>
    <message><source>Certificate of a woman working away overdue after</source><translation>流出妇女证明逾期期限</translation></message>
    <message><source> days after the round</source><translation> 天（轮次结束后）</translation></message>
    <message><source>Shortcut: {key}</source><translation>快捷键：{key}</translation></message>
    <message><source>Audit log</source><translation>审计日志</translation></message>
    <message><source>Search</source><translation>查找</translation></message>
    <message><source>Export…</source><translation>导出…</translation></message>
    <message><source>Export the audit log</source><translation>导出审计日志</translation></message>
    <message><source>Filter (user, action or object):</source><translation>筛选（用户、操作或对象）：</translation></message>
    <message><source>{n} entries shown (newest first; ID and phone numbers masked).</source><translation>显示 {n} 条（最新的在前；证件号码和电话已遮蔽）。</translation></message>
    <message><source>The audit log was exported (masked) to {path}</source><translation>审计日志已导出（已遮蔽）：{path}</translation></message>
    <message><source>Audit &amp;log…</source><translation>审计日志(&amp;L)…</translation></message>
    <message><source>User name of an administrator (as in the backup):</source><translation>管理员用户名（按备份里的账户）：</translation></message>
    <message><source>Password:</source><translation>密码：</translation></message>
    <message><source>The restore was cancelled.</source><translation>已取消恢复。</translation></message>
</context>
</TS>

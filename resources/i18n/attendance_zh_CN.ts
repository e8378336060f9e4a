<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>fpledger</name>
    <message><source>Spot check (抽查)</source><translation>考勤抽查</translation></message>
    <message><source>Note (optional)</source><translation>备注（可不填）</translation></message>
    <message><source>Record spot check</source><translation>记录抽查结果</translation></message>
    <message><source>Request leave</source><translation>请假申请</translation></message>
    <message><source>Who takes over the work</source><translation>工作交接给谁</translation></message>
    <message><source>Submit request</source><translation>提交申请</translation></message>
    <message><source>Person</source><translation>人员</translation></message>
    <message><source>Type</source><translation>类型</translation></message>
    <message><source>To</source><translation>至</translation></message>
    <message><source>Handover to</source><translation>交接人</translation></message>
    <message><source>Approval</source><translation>审批</translation></message>
    <message><source>Register a business trip (因公外出)</source><translation>登记因公外出</translation></message>
    <message><source>Register trip</source><translation>登记外出</translation></message>
    <message><source>Destination</source><translation>外出地点</translation></message>
    <message><source>Comment (required to reject)</source><translation>审批意见（驳回时必填）</translation></message>
    <message><source>Approve</source><translation>批准</translation></message>
    <message><source>Reject</source><translation>驳回</translation></message>
    <message><source>Report back (销假) now</source><translation>现在销假</translation></message>
    <message><source>Withdraw request</source><translation>撤回申请</translation></message>
    <message><source>Staff no.</source><translation>工号</translation></message>
    <message><source>Section</source><translation>科室</translation></message>
    <message><source>Present</source><translation>到岗</translation></message>
    <message><source>Signed in at</source><translation>签到时间</translation></message>
    <message><source>Source</source><translation>来源</translation></message>
    <message><source>Found</source><translation>抽查结果</translation></message>
    <message><source>Checked by</source><translation>抽查人</translation></message>
    <message><source>Waiting for my approval</source><translation>待我审批</translation></message>
    <message><source>Applicant</source><translation>申请人</translation></message>
    <message><source>Days</source><translation>天数</translation></message>
    <message><source>Step</source><translation>当前步骤</translation></message>
    <message><source>Leave in this month</source><translation>本月请假</translation></message>
    <message><source>Approvals</source><translation>审批记录</translation></message>
    <message><source>Choose a person and an end after the start.</source><translation>请选择人员，结束时间应晚于开始时间。</translation></message>
    <message><source>Select a request in the list first.</source><translation>请先在列表中选中一条申请。</translation></message>
    <message><source>{days} working days; approved by {chain}</source><translation>共 {days} 个工作日；审批：{chain}</translation></message>
    <message><source>{now}: no roll call now (rest day or after work).</source><translation>{now}：现在不是点名时间（休息日或已下班）。</translation></message>
    <message><source>{session} roll call, {now} — tick who is here now.</source><translation>{session}点名，{now} —— 请勾选现在到岗的人员。</translation></message>
    <message><source>Remove the roll-call tick of {name}? The correction is recorded in the audit log.</source><translation>取消{name}的点名签到？此更正将记入审计日志。</translation></message>
    <message><source>(waiting)</source><translation>（待审批）</translation></message>
    <message><source>late (symbol)</source><translation>迟</translation></message>
    <message><source>absent (symbol)</source><translation>旷</translation></message>
    <message><source>business trip (symbol)</source><translation>公</translation></message>
    <message><source>rest day (symbol)</source><translation>休</translation></message>
    <message><source>Each cell: morning then afternoon.</source><translation>每格依次为上午、下午。</translation></message>
    <message><source>Monthly posting</source><translation>月度公布表</translation></message>
    <message><source>Year ranking (先进个人)</source><translation>年度出勤率排名（评先进个人）</translation></message>
    <message><source>Export PDF and Excel…</source><translation>导出 PDF 和 Excel…</translation></message>
    <message><source>Post and lock the month</source><translation>张榜公布并锁定本月</translation></message>
    <message><source>Reopen…</source><translation>重新打开…</translation></message>
    <message><source>Folder for the posting files</source><translation>选择公布表的保存文件夹</translation></message>
    <message><source>Reopen the month</source><translation>重新打开月份</translation></message>
    <message><source>Why must the posted month be reopened?</source><translation>为什么要重新打开已公布的月份？</translation></message>
    <message><source>No staff yet. Use “Import attendance file…” to import a workbook with a “人员” sheet, or load the demo data.</source><translation>还没有工作人员。请用“导入考勤文件…”导入含“人员”工作表的工作簿，或载入示例数据。</translation></message>
    <message><source>Import attendance file…</source><translation>导入考勤文件…</translation></message>
    <message><source>Attendance-machine export (CSV or Excel: 工号, 姓名, 打卡时间) or the attendance workbook (人员, 作息时间, 打卡, 请假, 值班, 节假日)</source><translation>考勤机导出文件（CSV 或 Excel：工号、姓名、打卡时间），或考勤工作簿（人员、作息时间、打卡、请假、值班、节假日）</translation></message>
    <message><source>Refresh</source><translation>刷新</translation></message>
    <message><source>Month grid</source><translation>月度考勤表</translation></message>
    <message><source>Roll call</source><translation>点名</translation></message>
    <message><source>Leave</source><translation>请销假</translation></message>
    <message><source>Posting</source><translation>张榜公布</translation></message>
    <message><source>Import attendance file</source><translation>导入考勤文件</translation></message>
    <message><source>Attendance files (*.csv *.xlsx)</source><translation>考勤文件 (*.csv *.xlsx)</translation></message>
    <message><source>Importing attendance file</source><translation>正在导入考勤文件</translation></message>
    <message><source>leave (first character of its type)</source><translation>请假（显示假别首字：事、病、年……）</translation></message>
    <message><source>Month:</source><translation>月份：</translation></message>
    <message><source>not yet due</source><translation>未到时间</translation></message>
    <message><source>Not posted yet</source><translation>尚未公布</translation></message>
    <message><source>Written:
{pdf}
{xlsx}</source><translation>已生成：
{pdf}
{xlsx}</translation></message>
    <message><source>{people} people · {late} late · {absent} absent sessions</source><translation>{people} 人 · 迟到 {late} 次 · 旷工 {absent} 次</translation></message>
    <message><source>on time</source><translation>准时</translation></message>
    <message><source>late</source><translation>迟到</translation></message>
    <message><source>absent</source><translation>旷工</translation></message>
    <message><source>business trip</source><translation>因公外出</translation></message>
    <message><source>rest day</source><translation>休息日</translation></message>
    <message><source>duty (symbol)</source><translation>值</translation></message>
    <message><source>duty</source><translation>值班</translation></message>
    <message><source>Posted and locked on {when}</source><translation>已张榜公布并锁定（{when}）</translation></message>
    <message><source>Post {month} on the wall board and lock it? After posting, nothing dated in that month can be changed until it is reopened.</source><translation>张榜公布 {month} 的考勤并锁定？公布后该月的考勤数据不能再修改，除非重新打开。</translation></message>
    <message><source>Imported ({kind}):</source><translation>导入完成（{kind}）：</translation></message>
    <message><source>Reopened: {reason}</source><translation>已重新打开：{reason}</translation></message>
    <message><source>{sheet}: {inserted} new, {updated} updated, {unchanged} unchanged</source><translation>{sheet}：新增 {inserted}，更新 {updated}，未变 {unchanged}</translation></message>
    <message><source>weekend</source><translation>周末</translation></message>
    <message><source>Calendar and rules</source><translation>日历与规则</translation></message>
    <message><source>Date</source><translation>日期</translation></message>
    <message><source>Kind</source><translation>类型</translation></message>
    <message><source>Holiday name</source><translation>节日名称</translation></message>
    <message><source>Set day</source><translation>设为该类型</translation></message>
    <message><source>Make ordinary</source><translation>恢复为普通日</translation></message>
    <message><source>Fill this year from the built-in calendar</source><translation>按内置日历填充本年放假安排</translation></message>
    <message><source>Work hours from a date (summer / winter)</source><translation>作息时间（自某日起执行，夏令/冬令）</translation></message>
    <message><source>Morning</source><translation>上午</translation></message>
    <message><source>Afternoon</source><translation>下午</translation></message>
    <message><source>Save work hours</source><translation>保存作息时间</translation></message>
    <message><source>Rules and amounts</source><translation>考勤规则与金额</translation></message>
    <message><source>Save settings</source><translation>保存设置</translation></message>
    <message><source>Holidays and swapped working days of {year}</source><translation>{year} 年法定节假日与调休上班日</translation></message>
    <message><source>{count} days added; days entered by hand were kept.</source><translation>已添加 {count} 天；手工录入的日期保持不变。</translation></message>
    <message><source>Staff name</source><translation>姓名</translation></message>
    <message><source>Reason for leave</source><translation>请假事由</translation></message>
    <message><source>Spot-check note</source><translation>备注</translation></message>
    <message><source>Staff</source><translation>人员</translation></message>
    <message><source>Title</source><translation>职务</translation></message>
    <message><source>Login</source><translation>登录账户</translation></message>
    <message><source>In post</source><translation>在职</translation></message>
    <message><source>in post</source><translation>在职</translation></message>
    <message><source>left</source><translation>已离职</translation></message>
    <message><source>In post (uncheck when the person has left)</source><translation>在职（离职后取消勾选）</translation></message>
    <message><source>New person</source><translation>新增人员</translation></message>
    <message><source>Save</source><translation>保存</translation></message>
    <message><source>A person linked to a login requests leave and sees the leave waiting for their approval when signed in with it. Roles and logins are changed by the administrator or the director; logins are created under Settings › Users.</source><translation>人员关联登录账户后，用该账户登录即可本人请假，并在“请销假”页的“待我审批”中看到待其审批的请假。角色和登录账户只能由管理员或局长修改；登录账户在“设置 › 用户管理”中建立。</translation></message>
    <message><source>{people} people, {linked} of those in post linked to a login</source><translation>共 {people} 人，在职人员中 {linked} 人已关联登录账户</translation></message>
    <message><source>(no login)</source><translation>（不关联）</translation></message>
    <message><source>— linked to {name}</source><translation>— 已关联 {name}</translation></message>
    <message><source>Edit {name}</source><translation>修改 {name}</translation></message>
    <message><source>Open requests, and the leave of {month}</source><translation>未结束的请假（不论月份）及 {month} 的请假</translation></message>
    <message><source>days (unit)</source><translation>天</translation></message>
    <message><source>No working time in between (0 days): no leave is needed.</source><translation>这段时间没有工作时间（0 天），不需要请假。</translation></message>
    <message><source>{status}, reported back {when}</source><translation>{status}，{when} 已销假</translation></message>
    <message><source>Reported back (销假) at {when}: {leave}. The leave stops counting from then.</source><translation>已销假（{when}）：{leave}。从销假时起不再计请假。</translation></message>
    <message><source>Withdrawn: {leave}.</source><translation>已撤回：{leave}。</translation></message>
    <message><source>{days} working days; the director's own leave is registered with the office (报备), approved by no one</source><translation>共 {days} 个工作日；局长本人请假向办公室报备，不经审批</translation></message>
    <message><source>Registered with the office (报备): {leave}. The director's own leave needs no approval; it counts as leave and is listed on the posting.</source><translation>已报备：{leave}。局长本人请假不经审批，计入请假，并在考勤公布表上列出。</translation></message>
    <message><source>Request submitted: {leave}. It now waits for {role}.</source><translation>请假申请已提交：{leave}。现等待{role}审批。</translation></message>
    <message><source>Rejected: {leave}.</source><translation>已驳回：{leave}。</translation></message>
    <message><source>Approved: {leave}. The leave is fully approved and counts.</source><translation>已批准：{leave}。审批已全部完成，计入请假。</translation></message>
    <message><source>Approved your step: {leave}. It now waits for {role}.</source><translation>本级已批准：{leave}。现等待{role}审批。</translation></message>
    <message><source>New Year's Day (元旦)</source><translation>元旦</translation></message>
    <message><source>Enter the holidays of {year} by hand…</source><translation>手工录入 {year} 年放假安排…</translation></message>
    <message><source>To enter the holidays of {year} by hand, take the State Council's notice (国务院办公厅关于{year}年部分节假日安排的通知) and, for every day it lists: choose the date, choose “法定节假日” for a day off or “调休上班” for a weekend day worked, type the holiday's name and press “Set day”. Weekends need no entry. The page now shows {year}.</source><translation>手工录入 {year} 年放假安排：请对照《国务院办公厅关于{year}年部分节假日安排的通知》，对通知列出的每一天：选择日期，放假的选“法定节假日”，周末调休上班的选“调休上班”，填写节日名称，再按“设为该类型”。普通周末不用录入。本页现已显示 {year} 年。</translation></message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>fpledger</name>
    <message><source>Birth registration…</source><translation>生育登记…</translation></message>
    <message><source>Issue certificate…</source><translation>开具证明…</translation></message>
    <message><source>(not linked)</source><translation>（不关联）</translation></message>
    <message><source>Birth registration</source><translation>生育登记</translation></message>
    <message><source>No. {number}, child {order}, registered {day}</source><translation>编号 {number}，第{order}孩，{day} 登记</translation></message>
    <message><source>Register</source><translation>登记</translation></message>
    <message><source>Print service sheet…</source><translation>打印服务单…</translation></message>
    <message><source>Date registered</source><translation>登记日期</translation></message>
    <message><source>Expected date of birth</source><translation>预产期</translation></message>
    <message><source>Save the service sheet as PDF</source><translation>把生育登记服务单保存为 PDF</translation></message>
    <message><source>The office or unit the letter is addressed to</source><translation>证明出具给哪个单位或机构</translation></message>
    <message><source>Blank: three years</source><translation>留空：三年</translation></message>
    <message><source>Kind of certificate</source><translation>证明种类</translation></message>
    <message><source>Issue</source><translation>开具</translation></message>
    <message><source>Print / reprint…</source><translation>打印 / 补打…</translation></message>
    <message><source>Save the letter as PDF</source><translation>把证明保存为 PDF</translation></message>
    <message><source>Date of birth (if born)</source><translation>出生日期（已出生的）</translation></message>
    <message><source>Number</source><translation>编号</translation></message>
    <message><source>Linked to the child</source><translation>已关联子女</translation></message>
    <message><source>Registrations on this card</source><translation>本卡片的生育登记</translation></message>
    <message><source>Registered as No. {number}.</source><translation>已登记，编号 {number}。</translation></message>
    <message><source>Register first, or select a registration.</source><translation>请先登记，或选中一条生育登记。</translation></message>
    <message><source>Addressed to</source><translation>致（出具给）</translation></message>
    <message><source>Purpose</source><translation>用途</translation></message>
    <message><source>Date issued</source><translation>开具日期</translation></message>
    <message><source>Valid until</source><translation>有效期至</translation></message>
    <message><source>Issued by</source><translation>经办人</translation></message>
    <message><source>Prints</source><translation>打印次数</translation></message>
    <message><source>Letters issued from this card (never renumbered or deleted; a reprint is marked 补打)</source><translation>本卡片开具的证明（不改号、不删除；补打的证明标明“补打”）</translation></message>
    <message><source>Select a letter first.</source><translation>请先选中一份证明。</translation></message>
    <message><source>Birth registration: {name}</source><translation>生育登记：{name}</translation></message>
    <message><source>Cannot register</source><translation>不能登记</translation></message>
    <message><source>Certificates: {name}</source><translation>开具证明：{name}</translation></message>
    <message><source>Cannot issue</source><translation>不能开具</translation></message>
    <message><source>Issued {kind} No. {number}; print it now.</source><translation>已开具{kind}，编号 {number}；请打印。</translation></message>
    <message><source>Yes</source><translation>是</translation></message>
    <message><source>No</source><translation>否</translation></message>
    <message><source>{n} (reprints {r})</source><translation>{n}（补打 {r}）</translation></message>
    <message><source>Birth registrations</source><translation>生育登记列表</translation></message>
    <message><source>Show</source><translation>显示</translation></message>
    <message><source>Reward and special assistance screening</source><translation>奖励扶助 / 特别扶助筛查</translation></message>
    <message><source>Screen</source><translation>筛查</translation></message>
    <message><source>Also the roll for the county (full ID numbers)</source><translation>同时导出报县审批的花名册（完整证件号码）</translation></message>
    <message><source>Export lists (Excel + PDF)…</source><translation>导出名单（Excel + PDF）…</translation></message>
    <message><source>Choose the folder for the lists</source><translation>选择名单保存的文件夹</translation></message>
    <message><source>Everyone screened</source><translation>全部筛查对象</translation></message>
    <message><source>Eligible</source><translation>符合条件</translation></message>
    <message><source>Refused</source><translation>不符合</translation></message>
    <message><source>Calendar year</source><translation>年度（公历）</translation></message>
    <message><source>Scheme</source><translation>类别</translation></message>
    <message><source>New</source><translation>新增</translation></message>
    <message><source>Reasons for refusal</source><translation>不符合的原因</translation></message>
    <message><source>{start} to {end}: {total} registrations — first child {o1}, second {o2}, third {o3}; {linked} linked to the child</source><translation>{start} 至 {end}：生育登记 {total} 件——一孩 {o1}，二孩 {o2}，三孩 {o3}；已关联子女 {linked} 件</translation></message>
    <message><source>{scheme}: {listed} screened, {eligible} eligible ({new} new)</source><translation>{scheme}：筛查 {listed} 人，符合 {eligible} 人（新增 {new} 人）</translation></message>
    <message><source>{n} husbands without a readable ID number could not be screened</source><translation>{n} 名丈夫证件号码缺失或无法识别，未能筛查</translation></message>
    <message><source>At {day}: </source><translation>截至 {day}：</translation></message>
    <message><source>Registrations list</source><translation>生育登记列表</translation></message>
    <message><source>Reward assistance screening</source><translation>奖扶 / 特扶筛查</translation></message>
    <message><source>No card is selected. Create a new card for the couple first?</source><translation>没有选中卡片。先为这对夫妻新建卡片吗？</translation></message>
</context>
</TS>

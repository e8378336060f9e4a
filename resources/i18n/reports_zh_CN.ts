<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>fpledger</name>
    <message><source>Period</source><translation>统计期</translation></message>
    <message><source>Quick pick…</source><translation>快速选择…</translation></message>
    <message><source>Compute</source><translation>计算</translation></message>
    <message><source>Computing…</source><translation>正在计算…</translation></message>
    <message><source>Export to USB stick…</source><translation>导出到U盘…</translation></message>
    <message><source>Close period</source><translation>关账</translation></message>
    <message><source>Reopen period…</source><translation>重新打开…</translation></message>
    <message><source>Reopen period</source><translation>重新打开统计期</translation></message>
    <message><source>Reason for reopening (required):</source><translation>重新打开的原因（必填）：</translation></message>
    <message><source>Copy</source><translation>复制</translation></message>
    <message><source>Export draft to PDF…</source><translation>导出为 PDF…</translation></message>
    <message><source>Total population</source><translation>总人口</translation></message>
    <message><source>Deaths</source><translation>死亡人数</translation></message>
    <message><source>Save population base</source><translation>保存人口基数</translation></message>
    <message><source>Analysis draft</source><translation>分析稿</translation></message>
    <message><source>Population base</source><translation>人口基数</translation></message>
    <message><source>Charts</source><translation>图表</translation></message>
    <message><source>Closed {when} {who}; showing the figures frozen when submitted</source><translation>已关账 {when} {who}，显示报送时冻结的数字</translation></message>
    <message><source>Closed {when} {who}; showing a recomputation from the current data, which differs from the submitted figures</source><translation>已关账 {when} {who}；当前显示按现有数据重新计算的数字，与已报送数不一致</translation></message>
    <message><source>Recompute from the current data (differs from the submitted figures)</source><translation>按当前数据重新计算（与已报送数不一致）</translation></message>
    <message><source>Recompute this closed period from the current data? The forms will differ from the figures submitted at the close, and every page will say so.</source><translation>按当前数据重新计算这个已关账的统计期？报表将与关账时报送的数字不一致，每页都会注明“与已报送数不一致”。</translation></message>
    <message><source>Open (not closed)</source><translation>未关账</translation></message>
    <message><source>All</source><translation>合计</translation></message>
    <message><source>1st</source><translation>一孩</translation></message>
    <message><source>2nd</source><translation>二孩</translation></message>
    <message><source>3rd+</source><translation>多孩</translation></message>
    <message><source>Sex ratio at birth by order (girls = 100)</source><translation>分孩次出生人口性别比（女=100）</translation></message>
    <message><source>This period</source><translation>本期</translation></message>
    <message><source>Same period last year</source><translation>去年同期</translation></message>
    <message><source>Births by month, statistical year {year}</source><translation>{year} 统计年度各月出生人数</translation></message>
    <message><source>This year</source><translation>本年度</translation></message>
    <message><source>Last year</source><translation>上年度</translation></message>
    <message><source>Population base for {period}. A unit left blank takes the sum of its sub-units.</source><translation>{period}的人口基数。留空的单位按其下级单位合计。</translation></message>
    <message><source>{n} units&apos; population base saved.</source><translation>已保存 {n} 个单位的人口基数。</translation></message>
    <message><source>Choose the USB stick or folder to export to</source><translation>选择要导出到的U盘或文件夹</translation></message>
    <message><source>Compute the forms of this period first.</source><translation>请先计算本统计期的报表。</translation></message>
    <message><source>Folder: {folder}</source><translation>文件夹：{folder}</translation></message>
    <message><source>Exporting forms</source><translation>正在导出报表</translation></message>
    <message><source>Close {period}? Its figures will be frozen as they are now.</source><translation>关账 {period}？本期数字将按现在的数据冻结。</translation></message>
    <message><source>Close {period}? These figures of {unit} will be frozen:</source><translation>关账 {period}？将冻结{unit}的以下数字：</translation></message>
    <message><source>Births: {n}</source><translation>出生：{n} 人</translation></message>
    <message><source>Late-reported births (补报): {n}</source><translation>补报出生：{n} 人</translation></message>
    <message><source>Deaths: {n}</source><translation>死亡：{n} 人</translation></message>
    <message><source>Deaths: not entered</source><translation>死亡：未录入</translation></message>
    <message><source>Compute this period&apos;s forms first (F5): closing acts on the figures shown.</source><translation>请先计算本统计期的报表（F5）：关账只对显示的数字生效。</translation></message>
    <message><source>The close applies to every unit of the ledger, not only {unit}.</source><translation>关账对本台帐的所有单位生效，不只是{unit}。</translation></message>
    <message><source>Family-planning procedures: {n}</source><translation>计划生育手术：{n} 例</translation></message>
    <message><source>Long-acting methods: due {due}, done {done}</source><translation>长效节育措施：应落实 {due} 人，已落实 {done} 人</translation></message>
    <message><source>Long-acting methods: indicator switched off</source><translation>长效节育措施：指标已关闭</translation></message>
    <message><source>After the close the forms show these frozen figures; later changes to the ledger do not alter them.</source><translation>关账后报表显示这些冻结的数字，以后台帐的改动不再改变它们。</translation></message>
    <message><source>Save the analysis draft as PDF</source><translation>将分析稿保存为 PDF</translation></message>
    <message><source>Saved: {path}</source><translation>已保存：{path}</translation></message>
    <message><source>Changes since the close: {period}</source><translation>关账后差异：{period}</translation></message>
    <message><source>The submitted figures stay as they were frozen. Figures that differ now: {n}</source><translation>已报送的数字保持关账时冻结的样子。现在与之不同的数字：{n} 项</translation></message>
    <message><source>Unit of the figure</source><translation>单位</translation></message>
    <message><source>Figure</source><translation>指标</translation></message>
    <message><source>Submitted</source><translation>已报送</translation></message>
    <message><source>Now</source><translation>现在</translation></message>
    <message><source>Facts of this period entered or changed after the close: {n}</source><translation>关账后录入或修改的本期事实：{n} 条</translation></message>
    <message><source>Entered at</source><translation>录入时间</translation></message>
    <message><source>Change</source><translation>变动</translation></message>
    <message><source>What</source><translation>内容</translation></message>
    <message><source>Changes since the close</source><translation>关账后差异</translation></message>
    <message><source>Changes since the close…</source><translation>关账后差异…</translation></message>
</context>
</TS>

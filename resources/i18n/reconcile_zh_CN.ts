<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>fpledger</name>
    <message><source>Accept: same birth</source><translation>确认：是同一出生</translation></message>
    <message><source>Accuracy %</source><translation>求实率(%)</translation></message>
    <message><source>Add the unreported birth to the ledger</source><translation>把漏报出生补录入台帐</translation></message>
    <message><source>Add unreported birth to the ledger…</source><translation>补录漏报出生…</translation></message>
    <message><source>All rows</source><translation>全部</translation></message>
    <message><source>Birth order:</source><translation>孩次：</translation></message>
    <message><source>Born</source><translation>出生日期</translation></message>
    <message><source>Candidate {n} (child {id})</source><translation>候选 {n}（子女 {id}）</translation></message>
    <message><source>Candidate:</source><translation>候选：</translation></message>
    <message><source>Card</source><translation>卡片编号</translation></message>
    <message><source>Change the ledger card of child {id} as the survey says?
{lines}</source><translation>按调查表更正子女 {id} 的台帐记录？
{lines}</translation></message>
    <message><source>Child</source><translation>子女</translation></message>
    <message><source>Choose a candidate first.</source><translation>请先选择一个候选。</translation></message>
    <message><source>Choose the folder for the report</source><translation>选择核对表保存位置</translation></message>
    <message><source>Choose the survey workbook</source><translation>选择抽样调查表</translation></message>
    <message><source>Compare</source><translation>比对</translation></message>
    <message><source>Computer ledger</source><translation>电脑台帐</translation></message>
    <message><source>Correct the card from the survey…</source><translation>按调查更正卡片…</translation></message>
    <message><source>Decisions so far: {lines}</source><translation>已作决定：{lines}</translation></message>
    <message><source>Detail</source><translation>明细</translation></message>
    <message><source>Difference</source><translation>差数</translation></message>
    <message><source>Date to verify</source><translation>待核日期</translation></message>
    <message><source>Date to verify: {note}</source><translation>待核日期：{note}</translation></message>
    <message><source> Birth dates to verify (off by at most 3 days or day and month swapped; not misreports): {k}.</source><translation>出生日期待核（相差不超过 3 天或日月颠倒，不算错报）：{k} 人。</translation></message>
    <message><source>Survey row {row}: {outcome}</source><translation>调查表第 {row} 行：{outcome}</translation></message>
    <message><source>ledger child {id} (born {born})</source><translation>台帐子女 {id}（出生 {born}）</translation></message>
    <message><source>differs in {fields}</source><translation>不一致项：{fields}</translation></message>
    <message><source>Differences</source><translation>不一致项</translation></message>
    <message><source>Duplicated</source><translation>重报</translation></message>
    <message><source>Excel workbook (*.xlsx)</source><translation>Excel 工作簿 (*.xlsx)</translation></message>
    <message><source>Export report…</source><translation>导出核对表…</translation></message>
    <message><source>First marriage date:</source><translation>初婚日期：</translation></message>
    <message><source>Hukou type:</source><translation>户口性质：</translation></message>
    <message><source>Husband</source><translation>丈夫姓名</translation></message>
    <message><source>ID number</source><translation>证件号码</translation></message>
    <message><source>In review</source><translation>待核实</translation></message>
    <message><source>In the ledger, not found by the survey (多报/未核实)</source><translation>台帐有、调查未见（多报/未核实）</translation></message>
    <message><source>Item</source><translation>项目</translation></message>
    <message><source>Item:</source><translation>项目：</translation></message>
    <message><source>Late</source><translation>迟报</translation></message>
    <message><source>Ledger births</source><translation>台帐出生</translation></message>
    <message><source>Ledger child</source><translation>台帐子女</translation></message>
    <message><source>Ledger only</source><translation>台帐有调查无</translation></message>
    <message><source>No survey has been matched yet. Load the district&apos;s survey workbook with “Load survey…” above (or choose a loaded survey); the survey rows that need a decision are listed here.</source><translation>还没有核对过调查表。请用上方的“导入调查表…”导入区里的抽样调查工作簿（或选择已导入的调查表）；需要核实的调查行会列在这里。</translation></message>
    <message><source>Load survey…</source><translation>导入调查表…</translation></message>
    <message><source>Load the district&apos;s survey workbook (sheet 抽样调查) to match it against the ledger.</source><translation>请导入区里的抽样调查表（工作表“抽样调查”），与台帐逐一比对。</translation></message>
    <message><source>Loading and matching the survey</source><translation>正在导入并比对调查表</translation></message>
    <message><source>Manual ledger</source><translation>手工台帐</translation></message>
    <message><source>Manual vs computer ledger</source><translation>手工台帐与电脑台帐</translation></message>
    <message><source>Marital status:</source><translation>婚姻状况：</translation></message>
    <message><source>Match a survey first.</source><translation>请先比对一份调查表。</translation></message>
    <message><source>Match again</source><translation>重新比对</translation></message>
    <message><source>Matched</source><translation>一致</translation></message>
    <message><source>Matching the survey against the ledger</source><translation>正在比对调查表与台帐</translation></message>
    <message><source>Misreported</source><translation>错报</translation></message>
    <message><source>Mother</source><translation>母亲姓名</translation></message>
    <message><source>Mother (already in the ledger):</source><translation>母亲（台帐中已有）：</translation></message>
    <message><source>Mother&apos;s ID</source><translation>母亲证件号码</translation></message>
    <message><source>Mother&apos;s ID number:</source><translation>母亲证件号码：</translation></message>
    <message><source>Mother:</source><translation>母亲：</translation></message>
    <message><source>No. {id} · {period} · {file} · {rows} rows</source><translation>第 {id} 号 · {period} · {file} · {rows} 行</translation></message>
    <message><source>Not in the ledger (漏报)</source><translation>台帐中没有（漏报）</translation></message>
    <message><source>Order</source><translation>孩次</translation></message>
    <message><source>Outcome</source><translation>核对结果</translation></message>
    <message><source>Period:</source><translation>统计期：</translation></message>
    <message><source>Policy status:</source><translation>政策属性：</translation></message>
    <message><source>Reading the survey</source><translation>正在读取调查表</translation></message>
    <message><source>Reject this candidate</source><translation>否定此候选</translation></message>
    <message><source>Remarks</source><translation>备注</translation></message>
    <message><source>Residence status:</source><translation>居住状态：</translation></message>
    <message><source>Results</source><translation>核对结果</translation></message>
    <message><source>Review queue</source><translation>待核实</translation></message>
    <message><source>Review queue ({n})</source><translation>待核实（{n}）</translation></message>
    <message><source>Row {row}: {mother}, born {born}</source><translation>第 {row} 行：{mother}，{born} 出生</translation></message>
    <message><source>Save manual figure</source><translation>保存手工数</translation></message>
    <message><source>Score</source><translation>得分</translation></message>
    <message><source>Sex</source><translation>性别</translation></message>
    <message><source>Show cards</source><translation>查看卡片</translation></message>
    <message><source>Show:</source><translation>显示：</translation></message>
    <message><source>Survey</source><translation>调查表</translation></message>
    <message><source>Survey births</source><translation>调查出生</translation></message>
    <message><source>Survey period</source><translation>调查统计期</translation></message>
    <message><source>Survey row</source><translation>调查行号</translation></message>
    <message><source>Survey row {row} (unit {unit}). Reason for review: {note}</source><translation>调查表第 {row} 行（单位 {unit}）。待核实原因：{note}</translation></message>
    <message><source>Survey row {row}: {mother}, child born {born} ({sex}). The birth is added with the reporting date {today}, so it counts as a late report (补报) in the open period.</source><translation>调查表第 {row} 行：{mother}，子女 {born} 出生（{sex}）。补录时上报日期为 {today}，因此计入当前未关账统计期的补报。</translation></message>
    <message><source>Survey:</source><translation>调查表：</translation></message>
    <message><source>The birth was added to the ledger (child {id}); it counts as a late report in the open period.</source><translation>已补录入台帐（子女编号 {id}），计入当前统计期的补报。</translation></message>
    <message><source>Unit code</source><translation>单位代码</translation></message>
    <message><source>Unit name</source><translation>单位名称</translation></message>
    <message><source>Unit:</source><translation>单位：</translation></message>
    <message><source>Unreported</source><translation>漏报</translation></message>
    <message><source>Unreported %</source><translation>漏报率(%)</translation></message>
    <message><source>Which period does the survey cover? (e.g. 2026H1)</source><translation>调查表对应哪个统计期？（如 2026H1）</translation></message>
    <message><source>Woman&apos;s name</source><translation>姓名</translation></message>
    <message><source>Written:
{files}</source><translation>已写出：
{files}</translation></message>
    <message><source>in review</source><translation>待核实中</translation></message>
    <message><source>mother in the ledger</source><translation>母亲已在台帐</translation></message>
    <message><source>new card, marked for completion</source><translation>新建卡片，标记为待完善</translation></message>
    <message><source>next free</source><translation>下一个空孩次</translation></message>
    <message><source>order {order}, {sex}, born {born}</source><translation>第 {order} 孩，{sex}，{born} 出生</translation></message>
    <message><source>{n} cards</source><translation>共 {n} 张卡片</translation></message>
    <message><source>{n} survey rows need a decision. Nothing is tied to the ledger without one.</source><translation>有 {n} 行调查记录需要人工核实；未经确认，不会与台帐对应。</translation></message>
    <message><source>{period} ({start} – {end}), survey {file}: {n} births; matched {m}, misreported {e}, duplicated {d}, late {l}, unreported {u}, in review {r}. Accuracy {acc}, unreported rate {ur}. In the ledger but not found by the survey: {lo}.</source><translation>{period}（{start} 至 {end}），调查表 {file}：调查出生 {n} 人；一致 {m}，错报 {e}，重报 {d}，迟报 {l}，漏报 {u}，待核实 {r}。求实率 {acc}，漏报率 {ur}。台帐有而调查未见：{lo} 人。</translation></message>
    <message><source>{period}: {n} figures compared, {d} differ (highlighted). Double-click a row to see the cards behind the computed figure.</source><translation>{period}：比对 {n} 项，{d} 项不一致（已标红）。双击一行可查看电脑台帐数所对应的卡片。</translation></message>
    <message><source>{total:+g} points ({score:.0%})</source><translation>{total:+g} 分（{score:.0%}）</translation></message>
</context>
</TS>

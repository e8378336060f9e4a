<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>fpledger</name>
    <message><source>Nobody is due for a check in this round: the ledger has no women who need one yet. Import or enter cards on the registry tab (or load the demo data there), then come back to this round.</source><translation>本轮没有应查对象：台帐中还没有需要检查的育龄妇女。请先在“育龄妇女台帐”页导入或录入卡片（也可在那里载入示例数据），再回到本轮。</translation></message>
    <message><source>Bulk: mark a sign-in sheet as checked</source><translation>批量录入已查（签到表）</translation></message>
    <message><source>One woman per line: scan or type her ID number, its last digits, or her name.</source><translation>每行一人：扫描或输入证件号码、证件号码后几位，或姓名。</translation></message>
    <message><source>Check date</source><translation>检查日期</translation></message>
    <message><source>Place</source><translation>检查地点</translation></message>
    <message><source>Check date is required.</source><translation>必须填写检查日期。</translation></message>
    <message><source>No women listed.</source><translation>没有列出任何人。</translation></message>
    <message><source>line {n} “{text}”: no due woman matches</source><translation>第 {n} 行“{text}”：应查名单中没有匹配的妇女</translation></message>
    <message><source>line {n} “{text}”: {count} women match, type more digits</source><translation>第 {n} 行“{text}”：有 {count} 人匹配，请多输入几位</translation></message>
    <message><source>Record result</source><translation>录入检查结果</translation></message>
    <message><source>Select a woman in the list, or type or scan her ID number above.</source><translation>在名单中选择一名妇女，或在上方输入/扫描证件号码。</translation></message>
    <message><source>e.g. township health centre</source><translation>如：镇卫生院</translation></message>
    <message><source>free text, e.g. cervicitis</source><translation>自由填写，如：宫颈炎</translation></message>
    <message><source>e.g. phone again, home visit</source><translation>如：再次电话通知、上门随访</translation></message>
    <message><source>e.g. 20260315</source><translation>如 20260315</translation></message>
    <message><source>Save result (Enter)</source><translation>保存结果（回车）</translation></message>
    <message><source>IUD</source><translation>环情</translation></message>
    <message><source>Pregnancy</source><translation>孕情</translation></message>
    <message><source>Weeks pregnant</source><translation>孕周</translation></message>
    <message><source>Illness</source><translation>病情</translation></message>
    <message><source>Certificate received on</source><translation>收到证明日期</translation></message>
    <message><source>Follow-up action</source><translation>跟踪措施</translation></message>
    <message><source>Follow-up date</source><translation>跟踪日期</translation></message>
    <message><source>Checked</source><translation>已查</translation></message>
    <message><source>Certificate mailed back</source><translation>寄回证明</translation></message>
    <message><source>Certificate</source><translation>寄回证明</translation></message>
    <message><source>Not checked</source><translation>未查</translation></message>
    <message><source>Due list</source><translation>应查名单</translation></message>
    <message><source>Rates</source><translation>查环查孕率</translation></message>
    <message><source>Not checked worklist</source><translation>未查名单</translation></message>
    <message><source>Outflow certificates overdue</source><translation>流出逾期未寄回证明</translation></message>
    <message><source>Type or scan an ID number, its last digits, or a name; Enter</source><translation>输入或扫描证件号码、后几位或姓名，按回车</translation></message>
    <message><source>Bulk checked…</source><translation>批量已查…</translation></message>
    <message><source>Exempt…</source><translation>免查…</translation></message>
    <message><source>closed, due list frozen</source><translation>已关账，应查名单已冻结</translation></message>
    <message><source>open, due list follows the registry</source><translation>进行中，应查名单随台帐变化</translation></message>
    <message><source>Exempt from checks</source><translation>免查</translation></message>
    <message><source>Reason (e.g. hysterectomy); the woman leaves the open rounds&apos; due lists:</source><translation>免查原因（如：子宫切除）；设置后该妇女不再列入未关账轮次的应查名单：</translation></message>
    <message><source>New round</source><translation>新建轮次</translation></message>
    <message><source>New round…</source><translation>新建轮次…</translation></message>
    <message><source>Close round (freeze due list)</source><translation>关账（冻结应查名单）</translation></message>
    <message><source>Print rosters…</source><translation>打印名册…</translation></message>
    <message><source>Export summary form…</source><translation>导出统计表…</translation></message>
    <message><source>Period code of the round (e.g. 2026Q3, 2026H2):</source><translation>轮次的统计期代码（如 2026Q3、2026H2）：</translation></message>
    <message><source>Folder for the printed rosters</source><translation>选择保存打印名册的文件夹</translation></message>
    <message><source>Printing rosters</source><translation>正在生成打印名册</translation></message>
    <message><source>Folder for the summary form</source><translation>选择保存统计表的文件夹</translation></message>
    <message><source>Round</source><translation>轮次</translation></message>
    <message><source>Due</source><translation>应查</translation></message>
    <message><source>Rate</source><translation>查环查孕率</translation></message>
    <message><source>Category</source><translation>类别</translation></message>
    <message><source>By unit (each rolled up over its subtree)</source><translation>按单位（含下级单位汇总）</translation></message>
    <message><source>By category</source><translation>按类别</translation></message>
    <message><source>Result</source><translation>结果</translation></message>
    <message><source>Days overdue</source><translation>逾期天数</translation></message>
    <message><source>Total</source><translation>合计</translation></message>
    <message><source>Select a woman first.</source><translation>请先选择一名妇女。</translation></message>
    <message><source>{count} files written.</source><translation>已生成 {count} 个文件。</translation></message>
    <message><source>Saved: {name}.</source><translation>已保存：{name}。</translation></message>
    <message><source>Marked checked: {done}; kept their earlier result: {kept}.</source><translation>已录入已查 {done} 人；已有结果保持不变 {kept} 人。</translation></message>
    <message><source>no result</source><translation>无结果</translation></message>
    <message><source>No due woman in this unit matches “{text}”.</source><translation>本单位应查名单中没有与“{text}”匹配的妇女。</translation></message>
    <message><source>{count} women match; showing the first. Type more digits to narrow.</source><translation>有 {count} 人匹配，已选中第一人；请多输入几位缩小范围。</translation></message>
    <message><source>Close round {code}? Its due list will be frozen as it is now.</source><translation>确定关账轮次 {code}？应查名单将按当前台帐冻结。</translation></message>
    <message><source>Written: {path}</source><translation>已生成：{path}</translation></message>
    <message><source>Woman&apos;s name</source><translation>姓名</translation></message>
    <message><source>ID number</source><translation>证件号码</translation></message>
    <message><source>Husband</source><translation>丈夫姓名</translation></message>
    <message><source>Unit</source><translation>单位</translation></message>
    <message><source>Residence</source><translation>居住状态</translation></message>
    <message><source>Phone</source><translation>联系电话</translation></message>
    <message><source>Details</source><translation>检查情况</translation></message>
    <message><source>All</source><translation>全部</translation></message>
    <message><source>All units</source><translation>全部单位</translation></message>
    <message><source>Computing the due list…</source><translation>正在计算应查名单…</translation></message>
    <message><source>Updating the rates…</source><translation>正在更新查环查孕率…</translation></message>
    <message><source>Cancelled. Choose the round again to compute its due list.</source><translation>已取消。重新选择轮次即可再次计算应查名单。</translation></message>
    <message><source>Marking checked</source><translation>正在录入已查</translation></message>
    <message><source>Closing the round</source><translation>正在关账（冻结应查名单）</translation></message>
    <message><source>Full ID and phone of the selected woman; the viewing is written to the audit log.</source><translation>显示所选妇女的完整证件号码和联系电话；查看会记入审计日志。</translation></message>
    <message><source>Your role may not view full ID and phone numbers.</source><translation>您的角色无权查看完整的证件号码和联系电话。</translation></message>
    <message><source>Selected in the list ({count}): {names}</source><translation>已在名单中选中（{count} 人）：{names}</translation></message>
</context>
</TS>

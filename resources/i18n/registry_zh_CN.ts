<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>fpledger</name>
    <message><source>Saved.</source><translation>已保存。</translation></message>
    <message><source>Basic information</source><translation>基本信息</translation></message>
    <message><source>Marriage</source><translation>婚姻</translation></message>
    <message><source>Add child…</source><translation>新增子女…</translation></message>
    <message><source>Edit child…</source><translation>修改子女…</translation></message>
    <message><source>Children</source><translation>子女</translation></message>
    <message><source>Add measure…</source><translation>新增措施…</translation></message>
    <message><source>End measure…</source><translation>终止措施…</translation></message>
    <message><source>Contraception</source><translation>节育措施</translation></message>
    <message><source>Record a procedure…</source><translation>登记手术…</translation></message>
    <message><source>Procedures</source><translation>手术</translation></message>
    <message><source>Check results are recorded in the pregnancy-check roster tab; shown here read-only.</source><translation>孕检结果在“孕检名册”页录入，此处只读显示。</translation></message>
    <message><source>Findings</source><translation>检查所见</translation></message>
    <message><source>Pregnancy follow-ups</source><translation>孕情跟踪</translation></message>
    <message><source>Found on</source><translation>发现日期</translation></message>
    <message><source>Weeks</source><translation>孕周</translation></message>
    <message><source>Pregnancy checks</source><translation>孕检</translation></message>
    <message><source>Change log</source><translation>变动记录</translation></message>
    <message><source>Save (Ctrl+S)</source><translation>保存 (Ctrl+S)</translation></message>
    <message><source>Undo last change</source><translation>撤销上次修改</translation></message>
    <message><source>Exit card…</source><translation>出队…</translation></message>
    <message><source>Restore card</source><translation>恢复卡片</translation></message>
    <message><source>Close</source><translation>关闭</translation></message>
    <message><source>Date of birth</source><translation>出生日期</translation></message>
    <message><source>Date of moving</source><translation>流动日期</translation></message>
    <message><source>Certificate date</source><translation>婚育证明日期</translation></message>
    <message><source>Card created</source><translation>建卡日期</translation></message>
    <message><source>Date of first marriage</source><translation>初婚日期</translation></message>
    <message><source>Date of marital change</source><translation>婚变日期</translation></message>
    <message><source>ID number</source><translation>证件号码</translation></message>
    <message><source>Unit</source><translation>所属单位</translation></message>
    <message><source>Hukou type</source><translation>户口性质</translation></message>
    <message><source>Residence</source><translation>居住状态</translation></message>
    <message><source>Phone</source><translation>联系电话</translation></message>
    <message><source>Address</source><translation>现居住地</translation></message>
    <message><source>Place of hukou</source><translation>户籍地</translation></message>
    <message><source>Ethnicity</source><translation>民族</translation></message>
    <message><source>Education</source><translation>文化程度</translation></message>
    <message><source>Employer</source><translation>工作单位</translation></message>
    <message><source>ID type</source><translation>证件类型</translation></message>
    <message><source>Reason for moving</source><translation>流动原因</translation></message>
    <message><source>Marriage and birth certificate no.</source><translation>婚育证明编号</translation></message>
    <message><source>Marital status</source><translation>婚姻状况</translation></message>
    <message><source>Husband&apos;s name</source><translation>丈夫姓名</translation></message>
    <message><source>Husband&apos;s ID number</source><translation>丈夫证件号码</translation></message>
    <message><source>Husband&apos;s hukou type</source><translation>丈夫户口性质</translation></message>
    <message><source>Husband&apos;s employer</source><translation>丈夫工作单位</translation></message>
    <message><source>Birth order</source><translation>孩次</translation></message>
    <message><source>Sex</source><translation>性别</translation></message>
    <message><source>Policy status</source><translation>政策属性</translation></message>
    <message><source>Kinship</source><translation>血缘关系</translation></message>
    <message><source>Health</source><translation>健康状况</translation></message>
    <message><source>Date reported</source><translation>上报日期</translation></message>
    <message><source>Date of death</source><translation>死亡日期</translation></message>
    <message><source>Measure</source><translation>措施</translation></message>
    <message><source>Start date</source><translation>开始日期</translation></message>
    <message><source>End date</source><translation>终止日期</translation></message>
    <message><source>Provider</source><translation>施术单位</translation></message>
    <message><source>The current measure is the row without an end date.</source><translation>终止日期为空的一行即当前措施。</translation></message>
    <message><source>Procedure</source><translation>手术类型</translation></message>
    <message><source>Date</source><translation>日期</translation></message>
    <message><source>IUD insertion opens an IUD row in the contraception history; removal closes it.</source><translation>登记上环会在节育措施中新增宫内节育器一行；登记取环则终止该行。</translation></message>
    <message><source>Time</source><translation>时间</translation></message>
    <message><source>User</source><translation>操作人</translation></message>
    <message><source>Action</source><translation>操作</translation></message>
    <message><source>Changes</source><translation>变动内容</translation></message>
    <message><source>New card</source><translation>新建卡片</translation></message>
    <message><source>The last change was undone.</source><translation>已撤销上次修改。</translation></message>
    <message><source>Select a child first.</source><translation>请先选择一名子女。</translation></message>
    <message><source>Select the current measure (the row without an end date) first.</source><translation>请先选择当前措施（终止日期为空的一行）。</translation></message>
    <message><source>Restore this card to the register?</source><translation>恢复这张卡片，使其重新在册？</translation></message>
    <message><source>The card is back on the register.</source><translation>卡片已恢复在册。</translation></message>
    <message><source>Card: {name}</source><translation>育龄妇女卡片：{name}</translation></message>
    <message><source>ID number: </source><translation>证件号码：</translation></message>
    <message><source>This card exited on {day} ({reason}).</source><translation>该卡片已于 {day} 出队（{reason}）。</translation></message>
    <message><source>Problems still on this card:</source><translation>本卡片仍有以下问题：</translation></message>
    <message><source>Born out of wedlock (非婚生育)</source><translation>非婚生育</translation></message>
    <message><source>Add contraception</source><translation>新增节育措施</translation></message>
    <message><source>End contraception</source><translation>终止节育措施</translation></message>
    <message><source>Record a procedure</source><translation>登记计划生育手术</translation></message>
    <message><source>Exit card</source><translation>出队</translation></message>
    <message><source>Reason</source><translation>出队原因</translation></message>
    <message><source>Exit date</source><translation>出队日期</translation></message>
    <message><source>Cannot save</source><translation>不能保存</translation></message>
    <message><source>Warnings</source><translation>提醒</translation></message>
    <message><source>Edit child</source><translation>修改子女</translation></message>
    <message><source>Add child</source><translation>新增子女</translation></message>
    <message><source>Exit the card of {name} ({reason}, {day})? It leaves the register; it can be restored later.</source><translation>确定让“{name}”出队（{reason}，{day}）吗？出队后不再在册，以后可以恢复。</translation></message>
    <message><source>Save anyway?</source><translation>仍然保存吗？</translation></message>
    <message><source>Please check these warnings:</source><translation>请核对以下提醒：</translation></message>
    <message><source>Checking the whole ledger…</source><translation>正在校核整个台帐…</translation></message>
    <message><source>Logic checks</source><translation>逻辑校核</translation></message>
    <message><source>Checking…</source><translation>正在校核…</translation></message>
    <message><source>Check again</source><translation>重新校核</translation></message>
    <message><source>Check / card</source><translation>校核项目 / 卡片</translation></message>
    <message><source>Severity</source><translation>级别</translation></message>
    <message><source>Finding</source><translation>问题</translation></message>
    <message><source>Enter or double-click a finding to open the card.</source><translation>在问题上按回车或双击即可打开该卡片。</translation></message>
    <message><source>No findings: the ledger passes every logic check.</source><translation>没有发现问题：台帐通过了全部逻辑校核。</translation></message>
    <message><source>{n} findings in {g} checks</source><translation>共 {n} 个问题，涉及 {g} 项校核</translation></message>
    <message><source>{n} errors</source><translation>其中错误 {n} 个</translation></message>
    <message><source>Over age: due to exit</source><translation>超龄待出队</translation></message>
    <message><source>Exit all listed cards…</source><translation>全部出队…</translation></message>
    <message><source>50th birthday</source><translation>满50周岁日期</translation></message>
    <message><source>Exit {n} cards with the reason &apos;over age&apos; (超龄), each on her 50th birthday? Each card can be restored later.</source><translation>确定将这 {n} 张卡片以“超龄”出队吗？出队日期为各人满50周岁之日，以后可以逐张恢复。</translation></message>
    <message><source>{n} cards exited.</source><translation>已出队 {n} 张卡片。</translation></message>
    <message><source>{n} active cards of women aged 50 or over on {day}.</source><translation>截至 {day}，共有 {n} 名在册妇女已满50周岁。</translation></message>
    <message><source>Loading demo data</source><translation>正在载入示例数据</translation></message>
    <message><source>Demo data can only be loaded into an empty ledger (this one already has units or cards).</source><translation>示例数据只能载入空台帐（当前台帐已有单位或卡片）。</translation></message>
    <message><source>Load demo data</source><translation>载入示例数据</translation></message>
    <message><source>Size of the demo office:</source><translation>示例数据规模：</translation></message>
    <message><source>Demo data loaded.</source><translation>示例数据已载入。</translation></message>
    <message><source>The import template was saved to {path}.</source><translation>导入模板已保存到 {path}。</translation></message>
    <message><source>All</source><translation>不限</translation></message>
    <message><source>New card (Ctrl+N)</source><translation>新建卡片 (Ctrl+N)</translation></message>
    <message><source>Open card (Enter)</source><translation>打开卡片 (回车)</translation></message>
    <message><source>Show full numbers</source><translation>显示完整号码</translation></message>
    <message><source>Over age (due to exit)</source><translation>超龄出队</translation></message>
    <message><source>Download import template</source><translation>下载导入模板</translation></message>
    <message><source>Find a unit…</source><translation>查找单位…</translation></message>
    <message><source>Search: name, husband&apos;s name, ID number or its last digits, pinyin initials (Ctrl+F)</source><translation>查询：姓名、丈夫姓名、证件号码或其末几位、拼音首字母 (Ctrl+F)</translation></message>
    <message><source>Save the import template</source><translation>保存导入模板</translation></message>
    <message><source>Excel workbook (*.xlsx)</source><translation>Excel 工作簿 (*.xlsx)</translation></message>
    <message><source>Units</source><translation>单位</translation></message>
    <message><source>Age</source><translation>年龄</translation></message>
    <message><source>Child born</source><translation>子女出生</translation></message>
    <message><source>All units</source><translation>全部单位</translation></message>
    <message><source>Select a card in the list first.</source><translation>请先在列表中选择一张卡片。</translation></message>
    <message><source>On the register</source><translation>在册</translation></message>
    <message><source>Exited</source><translation>已出队</translation></message>
    <message><source>All cards</source><translation>全部卡片</translation></message>
    <message><source>Found {found} · on the register {active}, exited {exited}</source><translation>查到 {found} 人 · 全台帐在册 {active} 人，已出队 {exited} 人</translation></message>
    <message><source>Residence: all</source><translation>居住状态：不限</translation></message>
    <message><source>Marriage: all</source><translation>婚姻：不限</translation></message>
    <message><source>Married (first or re-married)</source><translation>已婚（初婚、再婚）</translation></message>
    <message><source>Measure: all</source><translation>措施：不限</translation></message>
    <message><source>No measure</source><translation>无措施</translation></message>
    <message><source>e.g. 20260315</source><translation>如 20260315</translation></message>
    <message><source>Type part of a unit&apos;s name or code</source><translation>输入单位名称或代码的一部分</translation></message>
    <message><source>A township (about 15,000 women)</source><translation>一个乡镇（约 15,000 名妇女）</translation></message>
    <message><source>A district (over 100,000 women)</source><translation>一个区（10 万名以上妇女）</translation></message>
    <message><source>Person&apos;s name</source><translation>姓名</translation></message>
    <message><source>Husband</source><translation>丈夫姓名</translation></message>
    <message><source>Current measure</source><translation>当前措施</translation></message>
    <message><source>Exit</source><translation>出队</translation></message>
    <message><source>Error finding</source><translation>错误</translation></message>
    <message><source>Warning finding</source><translation>提醒</translation></message>
</context>
</TS>

"""Synthetic sampling surveys with known truth and realistic surveyor noise (tests and bench).

`make_survey(db, period, unit_codes, rng)` draws the ledger's births of the period in the given
units (their subtrees), writes what a surveyor would: mother's ID often missing or mistyped (one
digit, two digits transposed), homophone or one-character-wrong names, 孩次 left blank, and
birth dates with a surveyor's slip — day and month swapped, or 1–3 days off: still 一致, with the
expected 待核日期 note — or shifted further (4–10 days: 错报 on 出生日期); and adds births that are NOT in the ledger, to new mothers
and to mothers already in the ledger (the sibling trap). Every row carries its truth: the ledger
child it is (or None) and the outcome the rules give (DOMAIN.md §7).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

from app import units
from app.periods import Period

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_F = "丽芳静燕红玲敏娟霞秀英华兰萍莉琴梅婷雪慧佳颖倩晶艳洁琳菲瑶欣月春桂凤云"
GIVEN_M = "伟强军磊洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林"
HOMOPHONES = {"丽": "立", "立": "丽", "芳": "方", "方": "芳", "静": "晶", "晶": "静", "燕": "艳", "艳": "燕",
              "红": "宏", "宏": "红", "玲": "灵", "灵": "玲", "敏": "闽", "华": "桦", "英": "鹰", "兰": "蓝",
              "萍": "平", "平": "萍", "莉": "力", "琴": "勤", "梅": "玫", "婷": "亭", "雪": "学", "慧": "惠",
              "佳": "家", "颖": "影", "洁": "杰", "杰": "洁", "琳": "林", "林": "琳", "菲": "飞", "飞": "菲",
              "月": "悦", "春": "椿", "桂": "贵", "凤": "奉", "云": "芸", "伟": "玮", "强": "墙", "军": "均",
              "磊": "蕾", "洋": "阳", "勇": "永", "涛": "韬", "明": "鸣", "超": "潮", "刚": "钢", "辉": "晖",
              "鹏": "朋", "波": "博", "斌": "彬", "宇": "雨", "浩": "皓", "凯": "铠", "健": "建", "俊": "骏",
              "帆": "凡", "旭": "序", "宁": "凝", "龙": "隆", "王": "汪", "汪": "王", "张": "章", "章": "张",
              "陈": "程", "程": "陈", "黄": "皇", "李": "黎", "黎": "李", "刘": "留", "杨": "阳", "周": "舟"}
_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_char(body: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(body, _W, strict=True)) % 11]


def person_name(rng: random.Random, female: bool) -> str:
    given = GIVEN_F if female else GIVEN_M
    return rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))


def id_for(rng: random.Random, born: date, serial: int, female: bool = True) -> str:
    seq = (serial % 499) * 2 + (0 if female else 1)
    body = f"430202{born:%Y%m%d}{seq:03d}"
    return body + check_char(body)


@dataclass
class TruthRow:
    values: dict                         # column name -> cell value as written
    child_id: int | None                 # the ledger child this row is (None: not in the ledger)
    outcome: str                         # expected outcome
    differences: list[str] = field(default_factory=list)
    alternatives: set[int] = field(default_factory=set)   # other acceptable ties (重报 pairs)
    noise: list[str] = field(default_factory=list)
    mother_in_ledger: bool | None = None
    notes: list[str] = field(default_factory=list)        # expected 待核日期 notes (DOMAIN.md §7)


def slip_note(survey: date, ledger: date, what: str) -> str:
    """The note a date slip should carry (INTERFACES.md §5 `notes`), written out independently."""
    return f"出生日期：调查 {survey:%Y-%m-%d}，台帐 {ledger:%Y-%m-%d}（{what}，待核）"


# ---- ledger building (direct SQL, one transaction: fast, exact facts) -------------------------
def build_ledger(ledger, rng: random.Random, villages: int = 6, women_per_village: int = 120,
                 period_code: str = "2026H1") -> dict:
    """A township with villages, women and children; about 40% of women have a birth in the period."""
    period = Period.parse(period_code, ledger.stat_year_start)
    now = datetime.now().isoformat(timespec="seconds")
    info = {"township": "430202001", "villages": []}
    serial = 0
    with ledger.write() as db:
        units.add(db, "430202001", "仙庾镇", "乡镇")
        for v in range(villages):
            code = f"430202001{v + 1:03d}"
            units.add(db, code, f"第{v + 1}村", "村", "430202001")
            unit_id = units.id_for_code(db, code)
            info["villages"].append(code)
            for _ in range(women_per_village):
                serial += 1
                born = date(1985, 1, 1) + timedelta(days=rng.randrange(0, 365 * 14))
                name = person_name(rng, True)
                married = born + timedelta(days=365 * 21 + rng.randrange(0, 2000))
                woman_id = db.execute(
                    "insert into women (id_number, name, birth_date, hukou_type, residence, unit_id, marital_status,"
                    " first_marriage_date, husband_name, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?,?)",
                    [id_for(rng, born, serial), name, born.isoformat(), "农业",
                     rng.choices(("常住", "流入"), (9, 1))[0], unit_id, "初婚", married.isoformat(),
                     person_name(rng, False), now, now]).lastrowid
                births = []
                first = married + timedelta(days=300 + rng.randrange(0, 900))
                if first < period.start:
                    births.append(first)
                if rng.random() < 0.4:
                    births.append(period.start + timedelta(days=rng.randrange(0, (period.end - period.start).days + 1)))
                elif first >= period.start and first <= period.end:
                    births.append(first)
                for order, day in enumerate(sorted(births), start=1):
                    db.execute("insert into children (mother_id, birth_order, name, sex, birth_date, policy, kinship,"
                               " reported_date, created_at, updated_at) values (?,?,?,?,?,?,?,?,?,?)",
                               [woman_id, order, person_name(rng, False) if rng.random() < 0.7 else None,
                                rng.choice("男女"), day.isoformat(), "政策内", "亲生",
                                (day + timedelta(days=rng.randrange(0, 20))).isoformat(), now, now])
        db.execute("analyze")
    return info


# ---- survey drawing ---------------------------------------------------------------------------
def _homophone(rng: random.Random, name: str) -> str | None:
    spots = [i for i, ch in enumerate(name) if ch in HOMOPHONES]
    if not spots:
        return None
    i = rng.choice(spots)
    return name[:i] + HOMOPHONES[name[i]] + name[i + 1:]


def _one_char(rng: random.Random, name: str) -> str:
    if len(name) >= 3 and rng.random() < 0.5:
        i = rng.randrange(1, len(name))
        return name[:i] + name[i + 1:]
    i = rng.randrange(1, len(name))
    pool = [c for c in GIVEN_F + GIVEN_M if c != name[i] and HOMOPHONES.get(name[i]) != c]
    return name[:i] + rng.choice(pool) + name[i + 1:]


def _mistype_id(rng: random.Random, number: str) -> tuple[str, str]:
    if rng.random() < 0.5:
        i = rng.randrange(6, 17)
        digit = rng.choice([d for d in "0123456789" if d != number[i]])
        return number[:i] + digit + number[i + 1:], "ID one digit"
    spots = [i for i in range(6, 16) if number[i] != number[i + 1]]
    i = rng.choice(spots)
    return number[:i] + number[i + 1] + number[i] + number[i + 2:], "ID transposed"


def make_survey(db, period: Period, unit_codes: list[str], rng: random.Random, new_mothers: int = 4,
                existing_mothers: int = 4, order_misreport: bool = True, sex_misreport: bool = True,
                cover: float = 1.0, exclude: set[int] | frozenset[int] = frozenset()) -> list[TruthRow]:
    """Survey rows for the period's births in `unit_codes`' subtrees (a share `cover` of them)."""
    end = period.end.isoformat()
    out: list[TruthRow] = []
    code_of: dict[int, str] = {}
    for code in unit_codes:
        for unit_id in units.subtree_ids(db, units.get(db, code, end).id, end):
            code_of[unit_id] = code
    rows = db.execute(
        "select c.id, c.mother_id, w.id_number, w.name, w.husband_name, w.unit_id, c.birth_order, c.name, c.sex,"
        " c.birth_date, c.reported_date, c.policy from children c join women w on w.id = c.mother_id"
        " where c.birth_date between ? and ? and c.kinship = '亲生' and w.residence != '流出'"
        " and w.unit_id in (select value from json_each(?)) order by c.id",
        [period.start.isoformat(), end, "[" + ",".join(str(i) for i in code_of) + "]"]).fetchall()
    rows = [r for r in rows if rng.random() < cover and r[0] not in exclude]
    special = {"order": None, "sex": None}
    candidates = [r for r in rows if not (r[10] and r[10] > end)]
    if order_misreport and candidates:
        special["order"] = rng.choice(candidates)[0]
    if sex_misreport and len(candidates) > 1:
        special["sex"] = rng.choice([r for r in candidates if r[0] != special["order"]])[0]
    for cid, _mid, idn, mname, husband, unit_id, order, cname, sex, born, reported, _policy in rows:
        noise: list[str] = []
        differences: list[str] = []
        born_d = date.fromisoformat(born)
        late = bool(reported and reported > end)
        values = {"单位代码": code_of[unit_id], "母亲姓名": mname, "母亲证件号码": idn, "丈夫姓名": husband,
                  "子女姓名": cname, "性别": sex, "出生日期": born_d, "孩次": order, "现住址": None}
        u = rng.random()
        if u < 0.35:
            values["母亲证件号码"], _ = None, noise.append("ID missing")
        elif u < 0.42:
            values["母亲证件号码"], what = _mistype_id(rng, idn)
            noise.append(what)
        u = rng.random()
        if u < 0.10 and (h := _homophone(rng, mname)):
            values["母亲姓名"] = h
            noise.append("mother homophone")
        elif u < 0.14:
            values["母亲姓名"] = _one_char(rng, mname)
            noise.append("mother one char")
        if rng.random() < 0.3:
            values["丈夫姓名"] = None
        elif husband and rng.random() < 0.06 and (h := _homophone(rng, husband)):
            values["丈夫姓名"] = h
        if rng.random() < 0.4:
            values["子女姓名"] = None
        elif cname and rng.random() < 0.06 and (h := _homophone(rng, cname)):
            values["子女姓名"] = h
        if rng.random() < 0.2:
            values["孩次"] = None
        notes: list[str] = []
        if not late:
            u = rng.random() if cid not in special.values() else 1.0
            if u < 0.05 and born_d.day <= 12 and born_d.day != born_d.month \
                    and date(born_d.year, born_d.day, born_d.month) <= date.today():
                values["出生日期"] = date(born_d.year, born_d.day, born_d.month)
                noise.append("date swapped")
                notes.append(slip_note(values["出生日期"], born_d, "日月颠倒"))
            elif u < 0.10:
                shift = rng.choice((-3, -2, -1, 1, 2, 3))
                values["出生日期"] = born_d + timedelta(days=shift)
                noise.append("date shifted")
                notes.append(slip_note(values["出生日期"], born_d, f"相差 {abs(shift)} 天"))
            elif u < 0.12:
                values["出生日期"] = born_d + timedelta(days=rng.choice((-1, 1)) * rng.randint(4, 10))
                noise.append("date shifted far")
                differences.append("出生日期")
            if cid == special["order"]:
                values["孩次"] = order + 1
                noise.append("order misreport")
            if cid == special["sex"]:
                values["性别"] = "女" if sex == "男" else "男"
                noise.append("sex misreport")
            if values["孩次"] is not None and values["孩次"] != order:
                differences.insert(0, "孩次")
            if values["性别"] != sex:
                differences.insert(1 if "孩次" in differences else 0, "性别")
        outcome = "late" if late else ("misreported" if differences else "matched")
        out.append(TruthRow(values, cid, outcome, _ordered(differences), noise=noise, notes=notes))
    codes = list(unit_codes)
    for _ in range(new_mothers):
        born = period.start + timedelta(days=rng.randrange(0, (period.end - period.start).days))
        mother_born = date(1990, 1, 1) + timedelta(days=rng.randrange(0, 3000))
        values = {"单位代码": rng.choice(codes), "母亲姓名": person_name(rng, True),
                  "母亲证件号码": id_for(rng, mother_born, rng.randrange(400, 498)) if rng.random() < 0.7 else None,
                  "丈夫姓名": person_name(rng, False), "子女姓名": None, "性别": rng.choice("男女"),
                  "出生日期": born, "孩次": 1, "现住址": "出租屋"}
        out.append(TruthRow(values, None, "unreported", noise=["new mother"], mother_in_ledger=False))
    mothers = db.execute(
        "select w.id, w.id_number, w.name, w.husband_name, w.unit_id, max(c.birth_order), max(c.birth_date)"
        " from women w join children c on c.mother_id = w.id where w.unit_id in (select value from json_each(?))"
        " group by w.id having max(c.birth_date) < ? order by w.id",
        ["[" + ",".join(str(i) for i in code_of) + "]", (period.start - timedelta(days=400)).isoformat()]).fetchall()
    for wid, idn, mname, husband, unit_id, top, _last in rng.sample(mothers, min(existing_mothers, len(mothers))):
        born = period.start + timedelta(days=rng.randrange(0, (period.end - period.start).days))
        values = {"单位代码": code_of[unit_id], "母亲姓名": mname, "母亲证件号码": idn if rng.random() < 0.6 else None,
                  "丈夫姓名": husband, "子女姓名": None, "性别": rng.choice("男女"), "出生日期": born,
                  "孩次": top + 1 if rng.random() < 0.7 else top, "现住址": None}
        out.append(TruthRow(values, None, "unreported", noise=[f"existing mother {wid}"], mother_in_ledger=True))
    rng.shuffle(out)
    return out


def _ordered(differences: list[str]) -> list[str]:
    order = ["孩次", "性别", "出生日期", "政策属性"]
    return sorted(set(differences), key=order.index)


def write_survey(path: Path, rows: list[TruthRow]) -> Path:
    """The survey as the district sends it: sheet 抽样调查, IDs as text, dates as Excel dates."""
    wb = Workbook()
    ws = wb.active
    ws.title = "抽样调查"
    header = ["单位代码", "母亲姓名", "母亲证件号码", "丈夫姓名", "子女姓名", "性别", "出生日期", "孩次", "现住址"]
    ws.append(header)
    for truth in rows:
        ws.append([truth.values[h] for h in header])
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "@"
    wb.save(path)
    return path

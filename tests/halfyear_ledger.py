"""A district ledger that reproduces every figure of the seeds' half-year analysis (篇三).

`build(ledger)` fills an empty ledger (statistical year from October) so that 2026H1
(2025-10-01 … 2026-03-31) gives what 篇三 prints, and 2025H1 gives the year before:

- 总人口 220444, 死亡 307 (start population unknown: nothing is entered for 2025H2), so
  出生率 1070/220444 = 4.85‰, 自然增长率 763/220444 = 3.46‰; last year 222000 and 286, so
  4.19‰ and 2.90‰ (changes +0.66 and +0.56).
- Births 1070 (+140): 一孩 914 (454 男, 460 女), 二孩 156 (82 男, 74 女), all 政策内; sex
  ratio 100.37, by order 98.70 and 110.81; last year 930 = 796 + 134, 512 男 / 418 女 (122.49,
  so −22.12), 一孩率 85.59 → 85.42 (−0.17).
- 补报 173 = 172 政策内 + 1 政策外 (last year 10 政策外, so −9).
- Procedures 533 (−309): 结扎 48, 上环 321, 取环 131, 人流引产 33; rural 结扎/上环 per unit as
  the seed prints them (农村结扎 33, −11; 农村上环 150, −112).
- Long-acting table: 430/182/248/42.33% and each unit's row; 金山办事处 has one rural 上环 on a
  woman who is not due, so its rural procedures (22) differ from its 已落实 (21) as in the seed.
- Methods in use at the period end vs a year before: 结扎 −584, 上环 −109 (篇三 二.2).
And distractors that the counting rules must leave out: 流出 mothers' births, adopted and step
children, births of P reported after P (2026H2's 补报), void cards; a child who died is kept.

Everything is written by direct SQL in one transaction (fast: ~7,000 rows).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from app import history, units

ROOT = ("430202", "荷塘区", "区县")
# code, name, kind, villages, due, done by 结扎, done by 上环, extra rural 上环 (not due)
TOWNSHIPS = [
    ("430202100", "仙庾镇", "乡镇", [("430202100201", "仙庾村", "村"), ("430202100202", "湖塘村", "村")], 184, 20, 65, 0),
    ("430202101", "明照乡", "乡镇", [("430202101201", "明照村", "村"), ("430202101202", "和平村", "村")], 149, 11, 45, 0),
    ("430202001", "桂花办事处", "街道", [("430202001001", "向阳社区", "社区"), ("430202001002", "桂花社区", "社区")], 41, 1, 11, 0),
    ("430202002", "宋家桥办事处", "街道", [("430202002001", "宋家桥社区", "社区"), ("430202002002", "新塘社区", "社区")], 19, 0, 8, 0),
    ("430202003", "金山办事处", "街道", [("430202003001", "金钩山社区", "社区"), ("430202003002", "金山社区", "社区")], 37, 1, 20, 1),
]
# 2026H1 人口基数: 仙庾镇 entered per village (the township row is their sum), the rest per township.
POPULATION_2026H1 = {"430202100201": (30000, 45), "430202100202": (31234, 45),
                     "430202101": (45210, 70), "430202001": (48000, 60), "430202002": (30000, 40),
                     "430202003": (36000, 47)}
POPULATION_2025H1 = {"430202": (222000, 286)}

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


class _Builder:
    def __init__(self, ledger) -> None:
        self.ledger = ledger
        self.db = ledger.db
        self.serial = 0
        self.now = datetime(2026, 4, 2, 9, 0).isoformat(timespec="seconds")
        self.ids: dict[str, int] = {}

    def id_number(self, born: str) -> str:
        self.serial += 1
        # area 43xxxx numbered by serial // 500, then an even sequence (female) from serial % 500
        body = f"43{self.serial // 500:04d}{born.replace('-', '')}{(self.serial % 500) * 2:03d}"
        total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
        return body + "10X98765432"[total % 11]

    def woman(self, unit: str, hukou: str = "农业", residence: str = "常住", born: str = "1990-03-01",
              exit_reason: str | None = None, exit_date: str | None = None,
              married: str | None = "2014-05-01") -> int:
        self.serial_name = getattr(self, "serial_name", 0) + 1
        return self.db.execute(
            "insert into women (id_number, name, birth_date, hukou_type, residence, unit_id, marital_status,"
            " first_marriage_date, exit_reason, exit_date, created_at, updated_at)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [self.id_number(born), f"育妇{self.serial_name}", born, hukou, residence, self.ids[unit],
             "初婚" if married else "未婚", married, exit_reason, exit_date, self.now, self.now]).lastrowid

    def child(self, mother: int, order: int, born: str, sex: str, policy: str = "政策内",
              kinship: str = "亲生", reported: str | None = None, died: str | None = None) -> None:
        self.db.execute(
            "insert into children (mother_id, birth_order, sex, birth_date, policy, kinship, reported_date,"
            " death_date, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [mother, order, sex, born, policy, kinship, reported, died, self.now, self.now])

    def measure(self, woman: int, method: str, start: str, end: str | None = None) -> None:
        self.db.execute("insert into contraception (woman_id, method, start_date, end_date) values (?, ?, ?, ?)",
                        [woman, method, start, end])

    def procedure(self, woman: int, kind: str, on: str) -> None:
        """A procedure with its history effect, as the real entry has it (app.history)."""
        history.add_procedure(self.db, woman, kind, on, None, self.now)


def spread(i: int, start: str, end: str) -> str:
    """The i-th of many dates spread deterministically over [start, end]."""
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    return (a + timedelta(days=(i * 7919) % ((b - a).days + 1))).isoformat()


def villages() -> list[str]:
    return [v[0] for t in TOWNSHIPS for v in t[3]]


def urban_villages() -> list[str]:
    return [v[0] for t in TOWNSHIPS if t[2] == "街道" for v in t[3]]


def _births(b: _Builder, counts: list[tuple[int, str, int]], start: str, end: str, rural_from: str,
            tag: int) -> None:
    """Births of a period: (order, sex, how many); rural mothers only from `rural_from` on."""
    vs = villages()
    i = 0
    for order, sex, n in counts:
        for _ in range(n):
            i += 1
            unit = vs[(i + tag) % len(vs)]
            rural = i % 2 == 0
            born = spread(i + tag, rural_from if rural else start, end)
            residence = "流入" if i % 10 == 3 else "常住"
            mother = b.woman(unit, "农业" if rural else "非农业", residence)
            if order == 2:
                b.child(mother, 1, spread(i, "2018-01-01", "2021-12-31"), "女")
            reported = None
            if i % 7 == 0:   # reported some days after the birth, still within the period
                reported = min((date.fromisoformat(born) + timedelta(days=12)).isoformat(), end)
            died = None
            if i % 400 == 1:  # died after birth: still a birth
                died = min((date.fromisoformat(born) + timedelta(days=20)).isoformat(), end)
            b.child(mother, order, born, sex, reported=reported, died=died)


def _late(b: _Builder, policy: int, non_policy: int, born_to: str, start: str, end: str, tag: int) -> None:
    vs = villages()
    for i in range(policy + non_policy):
        mother = b.woman(vs[(i + tag) % len(vs)], "非农业" if i % 2 else "农业")
        born = spread(i + tag, "2023-06-01", born_to)
        b.child(mother, 1, born, "男" if i % 2 else "女", "政策内" if i < policy else "政策外",
                reported=spread(i, start, end))


def _procedures(b: _Builder, kind: str, n: int, start: str, end: str, hukou: str, tag: int,
                units_: list[str]) -> None:
    for i in range(n):
        woman = b.woman(units_[(i + tag) % len(units_)], hukou)
        b.child(woman, 1, "2015-06-01", "男")
        on = spread(i + tag, start, end)
        if kind == "取环":
            b.measure(woman, "宫内节育器", "2016-01-01")     # fitted long ago; the 取环 closes it
        b.procedure(woman, kind, on)


def build(ledger) -> None:
    """Fill an empty ledger (stat year from October) with the 篇三 district."""
    b = _Builder(ledger)
    with ledger.write("建立测试台帐", "ledger", None) as db:
        b.ids[ROOT[0]] = units.add(db, *ROOT)
        for code, name, kind, vs, *_ in TOWNSHIPS:
            b.ids[code] = units.add(db, code, name, kind, ROOT[0])
            for vcode, vname, vkind in vs:
                b.ids[vcode] = units.add(db, vcode, vname, vkind, code)
        for rows, (period, start, end) in ((POPULATION_2026H1, ("2026H1", "2025-10-01", "2026-03-31")),
                                           (POPULATION_2025H1, ("2025H1", "2024-10-01", "2025-03-31"))):
            for code, (population, deaths) in rows.items():
                db.execute("insert into population_base (unit_id, period, start_date, end_date, population, deaths)"
                           " values (?, ?, ?, ?, ?, ?)",
                           [b.ids[code], period, start, end, population, deaths])

        # Births of 2026H1 and of 2025H1 (rural mothers of P give birth from December on, so
        # their own children's due dates fall after P and the long-acting table stays the seed's).
        _births(b, [(1, "男", 454), (1, "女", 460), (2, "男", 82), (2, "女", 74)],
                "2025-10-01", "2026-03-31", "2025-12-01", 0)
        _births(b, [(1, "男", 430), (1, "女", 366), (2, "男", 82), (2, "女", 52)],
                "2024-10-01", "2025-03-31", "2024-10-01", 5)
        _late(b, 172, 1, "2025-05-31", "2025-10-01", "2026-03-31", 0)
        _late(b, 150, 10, "2024-05-31", "2024-10-01", "2025-03-31", 3)
        _distractors(b)
        _long_acting(b)
        _other_procedures(b)
        _methods_in_use(b)


def _distractors(b: _Builder) -> None:
    vs = villages()
    for i in range(5):       # 流出 mothers: their births are the other place's
        b.child(b.woman(vs[i], residence="流出"), 1, spread(i, "2025-12-01", "2026-03-31"), "男")
    for i in range(3):       # adopted and step children are never births
        mother = b.woman(vs[i + 2], "非农业")
        b.child(mother, 1, "2019-04-01", "女")
        b.child(mother, 2, spread(i, "2025-10-01", "2026-03-31"), "男", kinship="收养" if i < 2 else "继子女")
    for i in range(4):       # born in P, reported after it: 2026H2's 补报, never P's births
        b.child(b.woman(vs[i], "非农业"), 1, spread(i, "2026-01-01", "2026-03-31"), "女",
                reported="2026-04-10")
    for i in range(2):       # a card entered by mistake
        b.child(b.woman(vs[i], "非农业", exit_reason="录入错误", exit_date="2026-02-01"), 1,
                spread(i, "2025-10-01", "2026-03-31"), "男")
    b.child(b.woman(vs[1], residence="流出"), 1, "2024-12-01", "男", reported="2026-01-05")  # 流出 late


def _long_acting(b: _Builder) -> None:
    """Due women per township: youngest child born 2025-06-01 … 2025-09-30 (due in P)."""
    k = 0
    for _code, _name, _kind, vs, due, done_ster, done_iud, extra in TOWNSHIPS:
        for i in range(due):
            k += 1
            village = vs[i % len(vs)][0]
            woman = b.woman(village, "农业")
            born = spread(k, "2025-06-01", "2025-09-30")
            second = i < done_ster or (i >= done_ster + done_iud and i % 3 == 0)
            if second:
                b.child(woman, 1, "2019-03-01", "女")
            b.child(woman, 2 if second else 1, born, "男" if k % 2 else "女")
            if i < done_ster:
                b.procedure(woman, "男扎" if k % 9 == 0 else "女扎", spread(k, "2025-10-01", "2026-03-31"))
            elif i < done_ster + done_iud:
                b.procedure(woman, "上环", spread(k, "2025-10-01", "2026-03-31"))
        for i in range(extra):   # a rural 上环 on a woman who is not due (child born long ago)
            woman = b.woman(vs[0][0], "农业")
            b.child(woman, 1, "2018-02-01", "男")
            b.procedure(woman, "上环", spread(i, "2025-10-01", "2026-03-31"))


def _other_procedures(b: _Builder) -> None:
    urban = urban_villages()
    rural = [v[0] for t in TOWNSHIPS if t[2] == "乡镇" for v in t[3]]
    p, last = ("2025-10-01", "2026-03-31"), ("2024-10-01", "2025-03-31")
    # 2026H1 besides the due women's: 结扎 48 − 33 rural, 上环 321 − 150 rural, on urban cards.
    _procedures(b, "女扎", 12, *p, "非农业", 0, urban)
    _procedures(b, "男扎", 3, *p, "非农业", 1, urban)
    _procedures(b, "上环", 171, *p, "非农业", 2, urban)
    _procedures(b, "取环", 131, *p, "非农业", 3, urban)
    _procedures(b, "人工流产", 30, *p, "非农业", 4, urban)
    _procedures(b, "中期引产", 3, *p, "农业", 5, rural)
    # 2025H1: 842 = 结扎 60 (44 rural) + 上环 380 (262 rural) + 取环 300 + 人流引产 102.
    _procedures(b, "女扎", 44, *last, "农业", 6, rural)
    _procedures(b, "女扎", 16, *last, "非农业", 7, urban)
    _procedures(b, "上环", 262, *last, "农业", 8, rural)
    _procedures(b, "上环", 118, *last, "非农业", 9, urban)
    _procedures(b, "取环", 300, *last, "非农业", 10, urban)
    _procedures(b, "人工流产", 95, *last, "非农业", 11, urban)
    _procedures(b, "中期引产", 7, *last, "非农业", 12, urban)


def _methods_in_use(b: _Builder) -> None:
    """Older women who turn 50 in June 2025 (超龄): 632 sterilized and 299 with an IUD, so that
    in use at 2026-03-31 vs 2025-03-31: 结扎 48 − 632 = −584, 上环 321 − 131 − 299 = −109."""
    vs = villages()
    for i in range(632 + 299):
        woman = b.woman(vs[i % len(vs)], "农业" if i % 2 else "非农业", born="1975-06-10",
                        exit_reason="超龄", exit_date="2025-06-10", married="1996-01-01")
        b.child(woman, 1, "1998-05-01", "男")
        b.measure(woman, "女扎" if i < 632 else "宫内节育器", "2000-01-01")

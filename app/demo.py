"""Demo data (示例数据): a realistic synthetic office generated in code, for a new user and benches.

`generate(ledger, size, seed)` fills an EMPTY ledger (no units, no cards) in one transaction:
- a unit tree: district 荷塘区 → towns (乡镇) and streets (街道办事处) → villages (村) and
  communities (社区), plus supervising departments and public units (schools, hospitals,
  enterprises) under the streets with their 主管单位, 法定代表人 and 计生专干;
- women aged 15–49 (a few turning 50, so the 超龄 list is not empty) with plausible names
  (weighted surnames; about 40% two-character names), valid GB 11643 IDs with the county's area
  codes (流入 women: other provinces'), marriage, husbands, 流入/流出 details;
- children with consistent 孩次, sex ratio about 107, mostly 政策内, 上报日期 mostly in the
  birth month and some months late (补报);
- contraception histories driven by procedures (上环 after a first child, 取环 before the next,
  女扎 after a second, some pills/condoms/未避孕), abortions, a few exits;
- 人口基数 per village/community per month for the previous and current statistical years;
- the office's own staff and their attendance for the last two months and this one
  (app.attendance.demo).
Sizes: township ≈ 15,000 women; district ≈ 150,000 women and ≥ 300,000 person rows with the
children. Deterministic for a seed and a day. Rows go in with executemany.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from app import audit, idcard, units
from app.attendance import demo as attendance_demo
from app.demo_names import (
    CHILD_CHARS_BOY,
    CHILD_CHARS_GIRL,
    COMMUNITY_PARTS,
    COMPANIES,
    COUNTY_AREAS,
    DEPARTMENTS,
    FEMALE_CHARS,
    HOME_AREA,
    HOSPITAL_PROVIDERS,
    HOSPITALS,
    INFLOW_AREAS,
    MALE_CHARS,
    SCHOOLS,
    STREETS,
    SURNAMES,
    TOWNS,
    VILLAGE_PARTS,
)
from app.errors import UserInputError
from app.exchange.registry_sheets import bulk_insert
from app.periods import add_months, month_end, month_start
from app.pinyin import initials, readings_column
from app.schema import name_readings

if TYPE_CHECKING:
    from app.ledger import Ledger

ProgressFn = Callable[[int, int, str], bool]
SIZES = {"township": 15000, "district": 150000}
WOMEN_COLUMNS = ["id", "id_type", "id_number", "name", "birth_date", "ethnicity", "education", "hukou_type",
                 "hukou_place", "address", "phone", "employer", "unit_id", "residence", "float_reason", "float_date",
                 "float_cert_no", "float_cert_date", "marital_status", "first_marriage_date", "marital_change_date",
                 "husband_name", "husband_id_number", "husband_hukou_type", "husband_employer", "card_date",
                 "exit_reason", "exit_date", "name_initials", "created_at", "updated_at"]
_ETHNIC = (("汉族", 960), ("土家族", 12), ("苗族", 10), ("瑶族", 6), ("侗族", 5), ("回族", 4), ("壮族", 3))
_EDUCATION = (("小学", 8), ("初中", 38), ("高中", 20), ("中专", 10), ("大学专科", 13), ("大学本科", 10),
              ("研究生", 1))
_FLOAT_REASONS = (("务工经商", 70), ("婚姻嫁娶", 10), ("随迁家属", 10), ("投亲靠友", 5), ("学习培训", 3), ("其他", 2))


class _Pick:
    """Weighted choice with precomputed cumulative weights (fast for millions of draws)."""

    def __init__(self, rng: random.Random, pairs) -> None:
        self.rng = rng
        self.values = [v for v, _w in pairs]
        self.cum = list(itertools.accumulate(w for _v, w in pairs))

    def __call__(self):
        return self.values[bisect.bisect_right(self.cum, self.rng.random() * self.cum[-1])]


class _Gen:
    def __init__(self, ledger: Ledger, size: str, seed: int, progress: ProgressFn | None) -> None:
        if size not in SIZES:
            raise UserInputError(f"示例数据规模应为 {'、'.join(SIZES)}。")
        self.ledger, self.db, self.size = ledger, ledger.db, size
        self.rng = random.Random(seed)
        self.seed = seed
        self.progress = progress
        self.today = date.today()
        self.surname = _Pick(self.rng, SURNAMES)
        self.ethnic = _Pick(self.rng, _ETHNIC)
        self.education = _Pick(self.rng, _EDUCATION)
        self.float_reason = _Pick(self.rng, _FLOAT_REASONS)
        self.ids: set[str] = set()
        self.women: list[tuple] = []
        self.children: list[tuple] = []
        self.measures: list[tuple] = []
        self.procedures: list[tuple] = []
        self.now = datetime.now().isoformat(timespec="seconds")

    # ---- small pieces ----------------------------------------------------------------------
    def day(self, start: date, end: date) -> date:
        if end <= start:
            return end      # never past `end` (the callers' end is usually today)
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def name(self, surname: str | None = None, female: bool = True, child: bool = False) -> str:
        surname = surname or self.surname()
        if child:
            chars = CHILD_CHARS_GIRL if female else CHILD_CHARS_BOY
        else:
            chars = FEMALE_CHARS if female else MALE_CHARS
        if self.rng.random() < 0.4:
            return surname + self.rng.choice(chars)
        return surname + self.rng.choice(chars) + self.rng.choice(chars)

    def id_number(self, born: date, female: bool, area: str) -> str:
        while True:
            seq = self.rng.randrange(500) * 2 + (0 if female else 1)
            body = f"{area}{born:%Y%m%d}{seq:03d}"
            number = body + idcard.check_char(body)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        return self.rng.choice(("13", "15", "18", "17", "19")) + f"{self.rng.randrange(10**9):09d}"

    def tick(self, done: int, total: int, stage: str) -> None:
        if self.progress and self.progress(done, total, stage) is False:
            raise UserInputError("已取消载入示例数据，台帐未改变。")

    # ---- units -----------------------------------------------------------------------------
    def build_units(self) -> list[tuple[int, str, str, bool]]:
        """Create the tree; returns the units that hold women: (id, kind, name, rural)."""
        db = self.db
        units.add(db, HOME_AREA, "荷塘区", "区县")
        holders: list[tuple[int, str, str, bool]] = []
        towns, streets = (TOWNS[:1], ()) if self.size == "township" else (TOWNS, STREETS)
        villages = 21 if self.size == "township" else 17
        for t, town in enumerate(towns, start=1):
            code = f"{HOME_AREA}{100 + t:03d}"
            units.add(db, code, town, "乡镇" if town.endswith("镇") else "乡镇", HOME_AREA)
            parts = self.rng.sample(VILLAGE_PARTS, villages)
            for v, part in enumerate(parts, start=1):
                uid = units.add(db, f"{code}{200 + v:03d}", f"{part}村", "村", code)
                holders.append((uid, "村", part, True))
            if self.size == "township":
                for c, part in enumerate(self.rng.sample(COMMUNITY_PARTS, 2), start=1):
                    uid = units.add(db, f"{code}{c:03d}", f"{part}社区", "社区", code)
                    holders.append((uid, "社区", part, False))
        community_parts = list(COMMUNITY_PARTS)
        self.rng.shuffle(community_parts)
        part_iter = itertools.cycle(community_parts)
        for s, street in enumerate(streets, start=1):
            code = f"{HOME_AREA}{s:03d}"
            units.add(db, code, street, "街道", HOME_AREA)
            for c in range(1, 8):
                part = next(part_iter)
                uid = units.add(db, f"{code}{c:03d}", f"{part}{'' if c <= len(COMMUNITY_PARTS) else c}社区",
                                "社区", code)
                holders.append((uid, "社区", part, False))
        if streets:
            holders += self.build_public_units(streets)
        return holders

    def build_public_units(self, streets) -> list[tuple[int, str, str, bool]]:
        db = self.db
        supervisors = {}
        for d, (dept, group) in enumerate(DEPARTMENTS, start=1):
            code = f"{HOME_AREA}9{d:02d}"
            units.add(db, code, f"荷塘区{dept}", "公共单位", HOME_AREA, legal_rep=self.name(female=False),
                      fp_contact=self.name())
            supervisors[group] = code
        holders = []
        serial = itertools.count(1)
        for group, names in (("学校", SCHOOLS), ("医院", HOSPITALS), ("企业", COMPANIES)):
            for title in names:
                s = self.rng.randrange(len(streets)) + 1
                code = f"{HOME_AREA}{s:03d}8{next(serial):02d}"
                uid = units.add(db, code, f"荷塘区{title}" if group != "企业" else title, "公共单位",
                                f"{HOME_AREA}{s:03d}", supervisor_code=supervisors[group],
                                legal_rep=self.name(female=False), fp_contact=self.name())
                holders.append((uid, "公共单位", title, False))
        return holders

    # ---- people ----------------------------------------------------------------------------
    def birth_for_age(self) -> date:
        r = self.rng.random()
        if r < 0.004:       # just turned 50: due to exit (超龄)
            return self.day(_years_before(self.today, 50) - timedelta(days=90), _years_before(self.today, 50))
        if r < 0.012:       # turning 50 within the next months
            return self.day(_years_before(self.today, 50) + timedelta(days=1),
                            _years_before(self.today, 50) + timedelta(days=200))
        age = self.rng.choices(range(15, 50), weights=[6] * 5 + [9] * 20 + [8] * 10)[0]
        start = _years_before(self.today, age + 1) + timedelta(days=1)
        return self.day(start, _years_before(self.today, age))

    def add_woman(self, wid: int, unit: tuple[int, str, str, bool]) -> None:
        rng = self.rng
        unit_id, kind, place, rural = unit
        born = self.birth_for_age()
        age = (self.today - born).days // 365
        r = rng.random()
        residence = "常住" if r < 0.90 else ("流入" if r < 0.96 else "流出")
        area = rng.choice(INFLOW_AREAS) if residence == "流入" else rng.choice(COUNTY_AREAS)
        number = self.id_number(born, True, area)
        name = self.name()
        married_p = 0.03 if age < 20 else 0.4 if age < 25 else 0.75 if age < 30 else 0.93
        married = rng.random() < married_p
        status = "未婚"
        married_on: date | None = None
        change_on: date | None = None
        husband: tuple[str | None, str | None, str | None, str | None] = (None, None, None, None)
        if married:
            marry_age = min(age, max(20, int(rng.gauss(24, 3))))
            married_on = self.day(_years_after(born, marry_age), min(_years_after(born, marry_age + 1), self.today))
            married_on = max(married_on, _years_after(born, 20)) if age >= 20 else _years_after(born, 18)
            married_on = min(married_on, self.today)
            s = rng.random()
            status = "初婚" if s < 0.88 else "再婚" if s < 0.93 else "离婚" if s < 0.98 else "丧偶"
            if status != "初婚":
                change_on = self.day(married_on + timedelta(days=365), self.today)
            h_born = self.day(_years_before(born, 5), born + timedelta(days=700))
            h_name = self.name(female=False)
            husband = (h_name, self.id_number(h_born, False, rng.choice(COUNTY_AREAS)),
                       "农业" if (rural and rng.random() < 0.8) else "非农业",
                       rng.choice(COMPANIES) if rng.random() < 0.3 else None)
        hukou = "农业" if rng.random() < (0.85 if rural else 0.2) else "非农业"
        float_reason = float_date = cert_no = cert_date = None
        if residence != "常住":
            float_reason = self.float_reason()
            float_date = self.day(_years_after(born, 16), self.today)
            if married:
                cert_no = f"湘{rng.randrange(10**8):08d}"
                cert_date = float_date
        card_date = max(_years_after(born, 15), married_on or born, date(2008, 1, 1))
        card_date = min(self.day(card_date, card_date + timedelta(days=120)), self.today)
        exit_reason = exit_date = None
        if rng.random() < 0.015:
            exit_reason = rng.choice(("迁出", "迁出", "迁出", "死亡"))
            exit_date = self.day(card_date, self.today)
        group = rng.randrange(1, 12)
        address = f"{place}{'村' if kind == '村' else '社区' if kind == '社区' else ''}{group}组{rng.randrange(1, 80)}号"
        self.women.append((
            wid, "身份证", number, name, born.isoformat(), self.ethnic(), self.education(), hukou,
            f"湖南省株洲市荷塘区{place}" if residence != "流入" else "外省", address, self.phone(),
            rng.choice(COMPANIES) if rng.random() < 0.2 else None, unit_id, residence, float_reason,
            _iso(float_date), cert_no, _iso(cert_date), status, _iso(married_on), _iso(change_on),
            *husband, card_date.isoformat(), exit_reason, _iso(exit_date), initials(name), self.now, self.now))
        if married_on is not None:   # married
            self.add_family(wid, born, married_on, husband[0][0] if husband[0] else name[0], residence)

    def add_family(self, wid: int, born: date, married_on: date, surname: str, residence: str) -> None:
        rng = self.rng
        wanted = rng.choices((0, 1, 2, 3, 4), weights=(5, 30, 50, 12, 3))[0]
        births: list[date] = []
        when = married_on + timedelta(days=max(280, int(rng.gauss(480, 150))))
        last_fertile = _years_after(born, 44)
        while len(births) < wanted and when <= self.today and when <= last_fertile:
            births.append(when)
            when = when + timedelta(days=rng.randrange(700, 2600))
        history: list[tuple[str, date, date | None, int | None]] = []   # method, start, end, procedure id
        order = 0
        previous: date | None = None
        for i, b in enumerate(births):
            twins = 2 if rng.random() < 0.012 else 1
            for _t in range(twins):
                order += 1
                self.add_child(wid, order, b, surname)
            if i + 1 < len(births):
                # Between births: an IUD after the birth, removed about a year before the next one.
                if rng.random() < 0.7:
                    put = b + timedelta(days=rng.randrange(100, 200))
                    out = births[i + 1] - timedelta(days=rng.randrange(300, 420))
                    if put < out:
                        history.append(("宫内节育器", put, out, self.procedure(wid, "上环", put)))
                        self.procedure(wid, "取环", out)
                elif rng.random() < 0.5:
                    history.append(("避孕套", b + timedelta(days=60), births[i + 1] - timedelta(days=300), None))
            previous = b
        if rng.random() < 0.02 and previous:
            self.procedure(wid, "人工流产", self.day(previous + timedelta(days=200), self.today))
        start = (previous or married_on) + timedelta(days=rng.randrange(90, 240))
        if start > self.today:
            # 未避孕 since the last measure between births ended (as entering that history would
            # leave it: an open 未避孕 from the marriage would have been closed by the 上环).
            since = max([married_on] + [end for _m, s, end, _p in history if end is not None and end >= s])
            history.append(("未避孕", since, None, None))
        else:
            n = len(births)
            r = rng.random()
            if n >= 2 and r < 0.45:
                method = "女扎" if rng.random() < 0.95 else "男扎"
                history.append((method, start, None, self.procedure(wid, method, start)))
            elif n >= 1 and r < 0.8:
                history.append(("宫内节育器", start, None, self.procedure(wid, "上环", start)))
            elif r < 0.83:
                history.append(("皮下埋植", start, None, self.procedure(wid, "皮埋", start)))
            elif n == 0 and r < 0.5:
                history.append(("未避孕", married_on, None, None))
            else:
                history.append((rng.choice(("避孕套", "避孕套", "口服及注射避孕药", "外用药")), start, None, None))
        provider = rng.choice(HOSPITAL_PROVIDERS)
        for method, s, e, pid in history:
            if e is not None and e < s:
                continue
            self.measures.append((wid, method, s.isoformat(), _iso(e), provider if pid else None, pid))
        del residence

    def add_child(self, wid: int, order: int, born: date, surname: str) -> None:
        rng = self.rng
        female = rng.random() < (0.483 if order == 1 else 0.46)
        r = rng.random()
        if r < 0.85:
            reported = self.day(born, min(month_end(born.year, born.month), self.today))
        elif r < 0.93:
            reported = self.day(born, min(born + timedelta(days=45), self.today))
        else:
            reported = self.day(born + timedelta(days=60), min(born + timedelta(days=420), self.today))
        reported = max(min(reported, self.today), born)
        died = None
        if rng.random() < 0.003:
            died = self.day(born, min(born + timedelta(days=400), self.today))
        self.children.append((
            len(self.children) + 1, wid, order, self.name(surname, female, child=True), "女" if female else "男",
            born.isoformat(), "政策内" if rng.random() < (0.985 if order <= 2 else 0.6) else "政策外", "亲生",
            "健康" if rng.random() < 0.98 else "患病", reported.isoformat(), _iso(died), 0, self.now, self.now))

    def procedure(self, wid: int, kind: str, on: date) -> int | None:
        if on > self.today:
            return None
        pid = len(self.procedures) + 1
        self.procedures.append((pid, wid, kind, on.isoformat(), self.rng.choice(HOSPITAL_PROVIDERS), self.now))
        return pid

    # ---- population base -------------------------------------------------------------------
    def population_rows(self, holders, women_per_unit: dict[int, int]) -> list[tuple]:
        start_month = self.ledger.stat_year_start
        year = self.today.year if self.today.month >= start_month else self.today.year - 1
        y, m = year - 1, start_month
        rows = []
        last = add_months(self.today.year, self.today.month, -1)
        for unit_id, kind, _place, _rural in holders:
            if kind == "公共单位":
                continue
            population = int(women_per_unit.get(unit_id, 0) / 0.26) + self.rng.randrange(50)
            yy, mm = y, m
            while (yy, mm) <= last:
                deaths = sum(1 for _ in range(max(population // 400, 1)) if self.rng.random() < population * 0.0055 / 12 / max(population // 400, 1))
                rows.append((unit_id, f"{yy}-{mm:02d}", month_start(yy, mm).isoformat(),
                             month_end(yy, mm).isoformat(), population, deaths))
                population += self.rng.randrange(-6, 9)
                yy, mm = add_months(yy, mm, 1)
        return rows

    # ---- the whole run ---------------------------------------------------------------------
    def run(self) -> dict[str, int]:
        total = SIZES[self.size]
        with self.ledger.write() as db:
            holders = self.build_units()
            weights = [1 if k == "公共单位" else (3 if k == "社区" else 4) for _u, k, _p, _r in holders]
            chosen = self.rng.choices(holders, weights=weights, k=total)
            per_unit: dict[int, int] = {}
            for wid, unit in enumerate(chosen, start=1):
                self.add_woman(wid, unit)
                per_unit[unit[0]] = per_unit.get(unit[0], 0) + 1
                if wid % 5000 == 0:
                    self.tick(wid, total, "生成育龄妇女")
            self.tick(total, total, "写入台帐")
            conn = db.conn
            # Staged, then one INSERT … SELECT: the search-index triggers on women run ~5x faster so.
            bulk_insert(db, "women", WOMEN_COLUMNS, self.women)
            _primaries, others = readings_column([w[3] for w in self.women])
            name_readings.add(db, [(reading, self.women[i][0]) for i, reading in others])
            conn.executemany("insert into children (id, mother_id, birth_order, name, sex, birth_date, policy, kinship,"
                             " health, reported_date, death_date, out_of_wedlock, created_at, updated_at)"
                             f" values ({', '.join('?' * 14)})", self.children)
            conn.executemany("insert into procedures (id, woman_id, kind, date, provider, created_at)"
                             " values (?, ?, ?, ?, ?, ?)", self.procedures)
            conn.executemany("insert into contraception (woman_id, method, start_date, end_date, provider,"
                             f" procedure_id, created_at) values (?, ?, ?, ?, ?, ?, '{self.now}')", self.measures)
            base = self.population_rows(holders, per_unit)
            conn.executemany("insert into population_base (unit_id, period, start_date, end_date, population, deaths,"
                             f" entered_at) values (?, ?, ?, ?, ?, ?, '{self.now}')", base)
            counts = {"units": len(holders), "women": len(self.women), "children": len(self.children),
                      "contraception": len(self.measures), "procedures": len(self.procedures),
                      "population_base": len(base)}
            counts |= attendance_demo.fill(db, self.ledger.actor_name, self.seed)
            db.execute("analyze")
            audit.record(db, self.ledger.actor_name, "载入示例数据", "ledger", None,
                         after={"size": self.size} | counts)
        return counts


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _years_before(day: date, years: int) -> date:
    return _years_after(day, -years)


def is_empty(db) -> bool:
    """True when the ledger has no units and no cards (the only state demo data may fill)."""
    return not db.execute("select 1 from units limit 1").fetchone() and \
        not db.execute("select 1 from women limit 1").fetchone()


def generate(ledger: Ledger, size: str = "township", seed: int = 0, progress: ProgressFn | None = None) -> dict[str, int]:
    """Fill an empty ledger with demo data in one transaction; returns row counts per table.

    Refuses (UserInputError) a ledger that already has units or cards. `progress(done, total,
    stage)` returning False cancels (nothing is written). On a ledger with accounts it needs
    `import_workbook` (it loads a whole office's data, like an import).
    """
    ledger.require("import_workbook")
    if not is_empty(ledger.db):
        raise UserInputError("示例数据只能载入空台帐；当前台帐已有单位或育龄妇女卡片。")
    return _Gen(ledger, size, seed, progress).run()

"""Attendance demo data (考勤示例数据): the office's own staff, generated in code.

`fill(db, actor, seed, now)` writes, inside the caller's transaction (app.demo.generate's):
- 19 staff (在编人员) with plausible names, 工号 001–019, 科室, 职务 and approval roles: one
  局长, two 分管领导 (副局长), a 科室负责人 for each of 办公室 / 统计科 / 技术服务站 /
  流动人口管理科 / 政策法规科, the rest 工作人员. No user accounts are created or linked: leave
  approval needs the approver's own login (app.attendance.leave), and a demo must not create
  logins with guessable passwords — so the demo's 待审批 leave waits until the office links
  real accounts (设置 › 用户 and the staff list).
- 作息时间: winter hours from 1 October (08:00–12:00, 14:30–17:30) and summer hours from
  1 May (08:00–12:00, 15:00–18:00), for the previous and the current year.
- 节假日 for the years the demo months touch, from the chinese-calendar package (source
  "chinese-calendar", as `calendar.seed_year` writes them); a year the package does not know
  is left to ordinary weekdays (the office types or imports it, as it would anyway).
- 考勤 settings when still unset: 月考勤奖 200 元, 双休日值班 50 元/天, 法定节假日加班 100 元/天
  (the defaults are 0, which would hide those figures in the demo).
- For the two months before this one and this month up to `now`: machine punches (sign-in
  for each session, most also a sign-out after work) — mostly on time, some 迟到 (each person
  with their own habit), a few scattered 旷工 and one run of three consecutive 旷工 sessions
  (which forfeits that person's 考勤奖); leave — approved (with the decided approval steps,
  approver = the staff member holding the step's role), one 已销假 sick leave reported back
  early, one 已驳回 request, and two 待审批 requests for the coming working days; a 3-day
  business trip (因公外出); rest-day duty (值班) by rotation with its punches; two spot checks.

Deterministic for a seed and a `now`. Rows go in with executemany (a few thousand rows).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import sqlite_utils

from app.attendance import calendar, leave, schedules
from app.attendance import staff as staff_mod
from app.demo_names import FEMALE_CHARS, MALE_CHARS, SURNAMES
from app.periods import add_months

ROSTER: tuple[tuple[str, str, str, bool], ...] = (
    # (科室, 职务, 审批角色, female)
    ("局领导", "局长", staff_mod.DIRECTOR, False),
    ("局领导", "副局长", staff_mod.DEPUTY, False),
    ("局领导", "副局长", staff_mod.DEPUTY, True),
    ("办公室", "主任", staff_mod.SECTION_HEAD, True),
    ("办公室", "科员", staff_mod.WORKER, True),
    ("办公室", "会计", staff_mod.WORKER, True),
    ("办公室", "驾驶员", staff_mod.WORKER, False),
    ("统计科", "科长", staff_mod.SECTION_HEAD, False),
    ("统计科", "统计员", staff_mod.WORKER, True),
    ("统计科", "统计员", staff_mod.WORKER, True),
    ("技术服务站", "站长", staff_mod.SECTION_HEAD, True),
    ("技术服务站", "主治医师", staff_mod.WORKER, True),
    ("技术服务站", "医师", staff_mod.WORKER, True),
    ("技术服务站", "护士", staff_mod.WORKER, True),
    ("流动人口管理科", "科长", staff_mod.SECTION_HEAD, False),
    ("流动人口管理科", "科员", staff_mod.WORKER, False),
    ("流动人口管理科", "科员", staff_mod.WORKER, True),
    ("政策法规科", "科长", staff_mod.SECTION_HEAD, False),
    ("政策法规科", "科员", staff_mod.WORKER, True),
)
WINTER = (time(8, 0), time(12, 0), time(14, 30), time(17, 30))
SUMMER = (time(8, 0), time(12, 0), time(15, 0), time(18, 0))
SETTINGS = {"monthly_bonus_yuan": "200", "duty_bonus_per_day_yuan": "50", "holiday_overtime_per_day_yuan": "100"}
NOTE = "示例数据"

# Who does what (indexes into ROSTER), so the story is the same for every seed.
ABSENT_RUN = 15        # 流动人口管理科 科员: three consecutive 旷工 sessions last month
ANNUAL_LEAVE = 8       # 统计员: two days' 年休假 last month (→ 局长)
HALF_DAY = 4           # 办公室 科员: half a day's 事假 last month (→ 办公室主任)
HEAD_HALF_DAY = 7      # 统计科 科长: half a day's 事假 two months ago (→ 分管领导)
SICK = 12              # 医师: three days' 病假 two months ago, back on the third morning (已销假)
REJECTED = 9           # 统计员: a 事假 request refused; she came to work
TRIP = (14, 16)        # 流动人口管理科: a three-day training trip last month
PENDING = ((16, "事假", "家中有事", 1), (13, "事假", "孩子学校家长会", 0))
SLOPPY = 6             # 驾驶员: late more often than the others
SPOT_CHECKED = (5, 11)  # 会计, 主治医师: found at their posts by a spot check last month


class _Fill:
    def __init__(self, db: sqlite_utils.Database, actor: str, seed: int, now: datetime) -> None:
        self.db, self.actor, self.now = db, actor, now.replace(microsecond=0)
        self.rng = random.Random(seed * 7919 + 17)
        self.stamp = self.now.isoformat(sep=" ")
        self.away: dict[int, list[tuple[datetime, datetime]]] = {}   # staff index -> uncounted spans
        self.absent: set[tuple[int, date, str]] = set()
        self.present: set[tuple[int, date, str]] = set()   # spot-checked 在岗: never a random 旷工

    # ---- staff ---------------------------------------------------------------------------
    def names(self) -> list[str]:
        surnames = [s for s, _w in SURNAMES]
        weights = [w for _s, w in SURNAMES]
        out: list[str] = []
        for _section, _title, _role, female in ROSTER:
            while True:
                chars = FEMALE_CHARS if female else MALE_CHARS
                given = "".join(self.rng.sample(chars, 2 if self.rng.random() < 0.65 else 1))
                name = self.rng.choices(surnames, weights)[0] + given
                if name not in out:
                    out.append(name)
                    break
        return out

    def add_staff(self) -> list[int]:
        rows = [(f"{i:03d}", name, section, title, role)
                for i, (name, (section, title, role, _f)) in enumerate(zip(self.names(), ROSTER, strict=True), start=1)]
        self.db.conn.executemany("insert into att_staff (staff_no, name, section, title, role) values (?, ?, ?, ?, ?)",
                                 rows)
        ids = dict(self.db.execute("select staff_no, id from att_staff").fetchall())
        return [ids[r[0]] for r in rows]

    # ---- calendar, hours, settings ------------------------------------------------------
    def add_calendar(self, first: date) -> None:
        rows = []
        for year in sorted({first.year, self.now.year}):
            for day, (kind, name) in sorted(calendar.package_year(year).items()):
                rows.append((day.isoformat(), kind, name))
        self.db.conn.executemany("insert or ignore into att_holidays (day, kind, name, source)"
                                 " values (?, ?, ?, 'chinese-calendar')", rows)
        hours = []
        for year in range(first.year - 1, self.now.year + 1):
            for valid_from, bounds in ((date(year, 5, 1), SUMMER), (date(year, 10, 1), WINTER)):
                hours.append((valid_from.isoformat(), *(b.strftime("%H:%M") for b in bounds)))
        self.db.conn.executemany("insert or ignore into att_schedules (valid_from, am_start, am_end, pm_start,"
                                 " pm_end) values (?, ?, ?, ?, ?)", hours)
        self.db.conn.executemany("insert or ignore into meta (key, value) values (?, ?)",
                                 [(f"attendance.{k}", v) for k, v in SETTINGS.items()])

    # ---- leave, trips, duty -------------------------------------------------------------
    def moment(self, day: date, session: str, at_end: bool) -> datetime:
        return leave.session_moment(day, session, at_end, self.db)

    def add_leave(self, ids: list[int], who: int, kind: str, start: datetime, end: datetime, reason: str,
                  status: str, returned: datetime | None = None, comment: str = "同意。") -> None:
        db = self.db
        length = leave.length_of(db, start, end)
        requested = datetime.combine(start.date() - timedelta(days=self.rng.randint(1, 4)),
                                     time(9, self.rng.randrange(60)))
        requested = min(requested, self.now - timedelta(hours=2))
        cursor = db.execute(
            "insert into att_leave (staff_id, leave_type, start_at, end_at, length_days, reason, handover, status,"
            " requested_by, requested_at, returned_at, note) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ids[who], kind, start.isoformat(sep=" "), end.isoformat(sep=" "), str(length), reason,
             "", status, self.actor, requested.isoformat(sep=" "),
             returned.isoformat(sep=" ") if returned else None, NOTE])
        section = ROSTER[who][0]
        chain = leave.approval_chain(length, ROSTER[who][2])
        for seq, role in enumerate(chain, start=1):
            decision = decided_by = decided_at = None
            text = ""
            if status != leave.PENDING:
                decided_by = ids[self.approver(role, section)]
                decided_at = (requested + timedelta(hours=seq * 2)).isoformat(sep=" ")
                last = seq == len(chain)
                decision = "驳回" if status == leave.REJECTED and last else "批准"
                text = comment if last else "同意，报领导审批。"
            db.execute("insert into att_leave_steps (leave_id, seq, approver_role, section, decision, decided_by,"
                       " comment, decided_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
                       [cursor.lastrowid, seq, role, section if role == staff_mod.SECTION_HEAD else "",
                        decision, decided_by, text, decided_at])
        if status in leave.COUNTING:
            self.away.setdefault(who, []).append((start, returned if returned and returned < end else end))

    @staticmethod
    def approver(role: str, section: str) -> int:
        for index, (s, _title, r, _f) in enumerate(ROSTER):
            if r == role and (role != staff_mod.SECTION_HEAD or s == section):
                return index
        raise LookupError(role)

    def add_story(self, ids: list[int], months: list[list[date]], upcoming: list[date]) -> dict[str, int]:
        m0, m1 = months[0], months[1]
        am, pm = schedules.MORNING, schedules.AFTERNOON
        span = self.moment
        self.add_leave(ids, ANNUAL_LEAVE, "年休假", span(_pos(m1, 3), am, False), span(_pos(m1, 3, 1), pm, True),
                       "休年休假，回老家探望父母", leave.APPROVED)
        self.add_leave(ids, HALF_DAY, "事假", span(_pos(m1, 14), pm, False), span(_pos(m1, 14), pm, True),
                       "到不动产登记中心办理房产证", leave.APPROVED)
        self.add_leave(ids, HEAD_HALF_DAY, "事假", span(_pos(m0, 6), am, False), span(_pos(m0, 6), am, True),
                       "陪家人到医院复查", leave.APPROVED)
        self.add_leave(ids, SICK, "病假", span(_pos(m0, 10), am, False), span(_pos(m0, 10, 2), pm, True),
                       "重感冒发烧，附社区医院病历", leave.RETURNED, returned=span(_pos(m0, 10, 2), am, False))
        self.add_leave(ids, REJECTED, "事假", span(_pos(m0, 15), am, False), span(_pos(m0, 15, 1), pm, True),
                       "外出办理私事", leave.REJECTED, comment="月底统计报表任务重，请另行安排时间。")
        pending = 0
        for (who, kind, reason, days), day in zip(PENDING, upcoming, strict=False):
            end = span(day, pm, True) if days else span(day, am, True)
            self.add_leave(ids, who, kind, span(day, am, False), end, reason, leave.PENDING)
            pending += 1
        trip_start, trip_end = span(_pos(m1, 5), am, False), span(_pos(m1, 5, 2), pm, True)
        self.db.conn.executemany(
            "insert into att_trips (staff_id, start_at, end_at, destination, reason, registered_by, registered_at)"
            " values (?, ?, ?, ?, ?, ?, ?)",
            [(ids[who], trip_start.isoformat(sep=" "), trip_end.isoformat(sep=" "), "株洲市卫生健康委员会",
              "参加全市流动人口服务管理业务培训", self.actor, (trip_start - timedelta(days=2)).isoformat(sep=" "))
             for who in TRIP])
        for who in TRIP:
            self.away.setdefault(who, []).append((trip_start, trip_end))
        run_day, next_day = _pos(m1, 8), _pos(m1, 8, 1)
        self.absent |= {(ABSENT_RUN, run_day, pm), (ABSENT_RUN, next_day, am), (ABSENT_RUN, next_day, pm)}
        return {"pending": pending}

    def covered(self, who: int, start: datetime) -> bool:
        return any(a <= start < b for a, b in self.away.get(who, ()))

    # ---- punches -------------------------------------------------------------------------
    def punches(self, ids: list[int], work_days: list[date], rest_days: list[date]) -> tuple[list, list]:
        rng, punches = self.rng, []
        all_schedules = schedules.load(self.db)
        late_rate = [0.01 if r in staff_mod.LEADERSHIP else 0.03 + 0.02 * rng.random() for _s, _t, r, _f in ROSTER]
        late_rate[SLOPPY] = 0.12

        def add(who: int, moment: datetime) -> None:
            if moment <= self.now:
                punches.append((ids[who], moment.isoformat(sep=" "), "考勤机", self.actor, self.stamp))

        for day in work_days:
            schedule = schedules.schedule_on(all_schedules, day)
            for who in range(len(ROSTER)):
                signed_pm = False
                for session in schedules.SESSIONS:
                    start, end = schedules.session_span(schedule, day, session)
                    if self.covered(who, start) or (who, day, session) in self.absent:
                        continue
                    if (who, day, session) not in self.present and rng.random() < 0.003:
                        continue                       # a scattered 旷工 (forgot, or just did not come)
                    if rng.random() < late_rate[who]:
                        add(who, start + timedelta(seconds=rng.randint(70, 25 * 60)))
                    else:
                        add(who, start - timedelta(seconds=rng.randint(20, 28 * 60)))
                    signed_pm = session == schedules.AFTERNOON
                if signed_pm and rng.random() < 0.8:
                    add(who, datetime.combine(day, schedule.pm_end) + timedelta(seconds=rng.randint(60, 40 * 60)))
        duty = []
        workers = [i for i, (_s, _t, r, _f) in enumerate(ROSTER) if r != staff_mod.DIRECTOR]
        for n, day in enumerate(rest_days):
            who = workers[n % len(workers)]
            duty.append((ids[who], day.isoformat(), "双休日值班" if day.weekday() >= 5 else "节假日值班"))
            add(who, datetime.combine(day, time(8, 30)) - timedelta(seconds=rng.randint(0, 20 * 60)))
            add(who, datetime.combine(day, time(17, 30)) + timedelta(seconds=rng.randint(0, 20 * 60)))
        return punches, duty

    def run(self) -> dict[str, int]:
        today = self.now.date()
        y, m = add_months(today.year, today.month, -2)
        first = date(y, m, 1)
        self.add_calendar(first)
        ids = self.add_staff()
        holidays = calendar.holidays_between(self.db, first, today + timedelta(days=40))
        months: list[list[date]] = [[], [], []]
        rest_days: list[date] = []
        day = first
        while day <= today:
            if calendar.is_working_day(day, holidays):
                index = (day.year - first.year) * 12 + day.month - first.month
                months[index].append(day)
            elif day < today:
                rest_days.append(day)
            day += timedelta(days=1)
        upcoming = [today + timedelta(days=i) for i in range(1, 40)
                    if calendar.is_working_day(today + timedelta(days=i), holidays)][:len(PENDING)]
        story = self.add_story(ids, months, upcoming)
        checks = [(who, _pos(months[1], 2 + 9 * n), time(10, 15 + 20 * n)) for n, who in enumerate(SPOT_CHECKED)]
        self.present |= {(who, day, schedules.MORNING) for who, day, _at in checks}
        punches, duty = self.punches(ids, [d for days in months for d in days], rest_days)
        self.db.conn.executemany("insert or ignore into att_punches (staff_id, at, source, recorded_by, recorded_at)"
                                 " values (?, ?, ?, ?, ?)", punches)
        self.db.conn.executemany("insert into att_duty (staff_id, day, note) values (?, ?, ?)", duty)
        self.db.conn.executemany("insert into att_spot_checks (staff_id, at, result, note, checked_by)"
                                 " values (?, ?, '在岗', '', ?)",
                                 [(ids[who], datetime.combine(day, at).isoformat(sep=" "), self.actor)
                                  for who, day, at in checks])
        return {"att_staff": len(ids), "att_punches": len(punches), "att_leave": 5 + story["pending"],
                "att_duty": len(duty)}


def _pos(days: list[date], index: int, extra: int = 0) -> date:
    """The working day at `index` of a 22-day month scaled to this month's length, plus `extra`
    working days (clamped to the month): short months (Spring Festival) keep the same story."""
    return days[min(index * len(days) // 22 + extra, len(days) - 1)]


def fill(db: sqlite_utils.Database, actor: str, seed: int = 0, now: datetime | None = None) -> dict[str, int]:
    """Write the attendance demo into `db` inside the caller's transaction; returns row counts.

    Expects an office with no attendance staff yet (工号 001–019 must be free).
    """
    return _Fill(db, actor, seed, now or datetime.now()).run()

"""The attendance rules engine (DOMAIN.md §8): pure functions, no database.

punches + leave + business trips + calendar + schedules → one `SessionResult` per person,
working day and session; then `summarise` counts the month.

Rules, in the order they are applied to a session of a working day (DOMAIN.md §8 "Counting,
precisely", read in the order its sentences are written):
1. The sign-in is the earliest punch from the end of the previous session to the end of this
   session, both ends included (for the morning: from midnight). So a punch at exactly the
   morning's end lies in both ranges: it is the afternoon's sign-in (on time) and, only when
   there was no earlier morning punch, the morning's (旷工 under the default 30 minutes).
   A punch in the lunch break is the afternoon's sign-in. With `strict_early_punch` on,
   punches before start − window are not sign-ins (the window's first minute still is).
2. A spot check (抽查) that found the person away without leave (擅离岗位) during the session
   makes it 旷工 whatever the punches (篇二: leaving early / leaving the post count as 旷工),
   unless leave or a business trip covers the session.
3. At or before the start: 准时; after it and less than the absent threshold after: 迟到.
   Punches decide these two outcomes: a person on approved leave who signs in anyway is
   present (准时/迟到), not 请假 — DOMAIN.md attaches "unless the session is covered by leave
   … or by 因公外出" to the 旷工 sentence only.
4. Otherwise (a sign-in at or past the threshold, or none) the session would be 旷工; it is
   请假 (by type) when covered by leave with status 已批准 or 已销假, else 因公 (present) when
   covered by a business trip — leave first, in the order DOMAIN.md names them. A 已销假
   leave stops at the moment the person reported back (when that moment is known).
   A session is *covered* when the interval overlaps the session's roll call, i.e.
   [start, start + absent threshold): an interval ending at or before the start, or starting
   at or after start + threshold (e.g. leave from 10:00 on a 08:00 morning), does not excuse
   missing the roll call. A covered session is one whole session: leave_days counts sessions
   / 2 even when the leave covers only part of one (the proportional working-time length of
   `leave_length_days` is for the approval chain only).
5. With `now` given (live views only), a session whose outcome can still change (no sign-in
   yet and now is before start + threshold) is 未到 (pending) and counts nowhere.
Rest days (weekends, 法定节假日 not swapped to work) have no sessions; a punch on them counts
for nothing — only registered duty (值班) does.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from app.attendance.calendar import STATUTORY, is_working_day
from app.attendance.schedules import (
    AFTERNOON,
    MORNING,
    SESSIONS,
    Schedule,
    schedule_on,
    session_span,
)
from app.attendance.settings import AttendanceSettings

ON_TIME, LATE, ABSENT, LEAVE, BUSINESS, REST, PENDING = "准时", "迟到", "旷工", "请假", "因公", "休息", "未到"
PRESENT_STATUSES = frozenset({ON_TIME, LATE, BUSINESS})


@dataclass(frozen=True)
class Interval:
    """A leave or business-trip interval [start, end); `kind` is the leave type or 因公外出."""

    start: datetime
    end: datetime
    kind: str


@dataclass(frozen=True)
class SessionResult:
    day: date
    session: str
    status: str
    leave_type: str | None = None
    punch: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class DayResult:
    day: date
    working: bool
    holiday_kind: str | None
    sessions: tuple[SessionResult, ...]   # empty on rest days
    punched: bool                         # any punch that day (shown on rest days)
    duty: bool


@dataclass
class PersonInputs:
    punches: Sequence[datetime] = ()
    leave: Sequence[Interval] = ()        # only leave that counts: 已批准 / 已销假 (truncated)
    trips: Sequence[Interval] = ()
    away_checks: Sequence[datetime] = ()  # spot checks that found the person away (擅离岗位)
    duty_days: frozenset[date] = frozenset()


def _covering(intervals: Iterable[Interval], start: datetime, threshold: timedelta) -> Interval | None:
    for interval in intervals:
        if interval.start < start + threshold and interval.end > start:
            return interval
    return None


def session_result(day: date, session: str, schedule: Schedule, inputs: PersonInputs,
                   settings: AttendanceSettings, now: datetime | None = None) -> SessionResult:
    """One session of one working day, by the rules in the module docstring."""
    start, end = session_span(schedule, day, session)
    threshold = timedelta(minutes=settings.absent_after_minutes)
    leave = _covering(inputs.leave, start, threshold)
    trip = _covering(inputs.trips, start, threshold)
    if leave is None and trip is None:
        for moment in inputs.away_checks:
            if start <= moment < end:
                return SessionResult(day, session, ABSENT, note="抽查擅离岗位")
    punch = sign_in(day, session, schedule, inputs.punches, settings)
    if punch is not None and punch <= start:
        return SessionResult(day, session, ON_TIME, punch=punch)
    if punch is not None and punch - start < threshold:
        return SessionResult(day, session, LATE, punch=punch)
    if leave is not None:
        return SessionResult(day, session, LEAVE, leave_type=leave.kind, punch=punch)
    if trip is not None:
        return SessionResult(day, session, BUSINESS, punch=punch, note=trip.kind)
    if now is not None and now < start + threshold:
        return SessionResult(day, session, PENDING)
    note = "打卡超过旷工界限" if punch is not None else "未签到"
    return SessionResult(day, session, ABSENT, punch=punch, note=note)


def sign_in(day: date, session: str, schedule: Schedule, punches: Iterable[datetime],
            settings: AttendanceSettings) -> datetime | None:
    """The session's sign-in: the earliest punch in [end of the previous session (midnight for
    the morning), end of this session], both ends included; with `strict_early_punch`, punches
    before start − window are not sign-ins."""
    low, end = sign_in_window(day, session, schedule, settings)
    in_range = [p for p in punches if low <= p <= end]
    return min(in_range) if in_range else None


def sign_in_window(day: date, session: str, schedule: Schedule,
                   settings: AttendanceSettings) -> tuple[datetime, datetime]:
    """[low, end], both included: the punches that can be the session's sign-in (rule 1) —
    from the end of the previous session (midnight for the morning) to the end of this one;
    with `strict_early_punch`, from start − window at the earliest."""
    start, end = session_span(schedule, day, session)
    if session == MORNING:
        low = datetime.combine(day, datetime.min.time())
    else:
        low = session_span(schedule, day, MORNING)[1]
    if settings.strict_early_punch:
        low = max(low, start - timedelta(minutes=settings.window_minutes))
    return low, end


def roll_call_session(now: datetime, schedule: Schedule) -> str | None:
    """The session whose roll call (点名) is in progress at `now` on a working day: the morning
    until its end (included), then the afternoon until its end; None after work. The roll
    call ticks a punch at `now`, which is then a sign-in of that session (rule 1)."""
    for session in SESSIONS:
        if now <= session_span(schedule, now.date(), session)[1]:
            return session
    return None


def day_sheet(days: Iterable[date], holidays: Mapping[date, str], schedules: list[Schedule],
              inputs: PersonInputs, settings: AttendanceSettings,
              now: datetime | None = None) -> list[DayResult]:
    """One person's days: sessions for working days, none for rest days."""
    punch_days = {p.date() for p in inputs.punches}
    out = []
    for day in days:
        working = is_working_day(day, holidays)
        sessions: tuple[SessionResult, ...] = ()
        if working:
            schedule = schedule_on(schedules, day)
            if now is not None and day > now.date():
                sessions = tuple(_planned(day, s, schedule, inputs, settings) for s in SESSIONS)
            else:
                sessions = tuple(session_result(day, s, schedule, inputs, settings, now) for s in SESSIONS)
        out.append(DayResult(day, working, holidays.get(day), sessions, day in punch_days,
                             day in inputs.duty_days))
    return out


def _planned(day: date, session: str, schedule: Schedule, inputs: PersonInputs,
             settings: AttendanceSettings) -> SessionResult:
    """A session after `now`: pending (counts nowhere), carrying the leave type when approved
    leave already covers it, so the grid can show planned leave."""
    start, _ = session_span(schedule, day, session)
    leave = _covering(inputs.leave, start, timedelta(minutes=settings.absent_after_minutes))
    if leave is not None:
        return SessionResult(day, session, PENDING, leave_type=leave.kind, note="已批准的请假")
    return SessionResult(day, session, PENDING)


def longest_absent_run(days: Sequence[DayResult]) -> int:
    """Longest run of consecutive 旷工 among working sessions, in order (any other status breaks it;
    rest days have no sessions and so do not break it)."""
    best = run = 0
    for day in days:
        for result in day.sessions:
            run = run + 1 if result.status == ABSENT else 0
            best = max(best, run)
    return best


@dataclass
class MonthFigures:
    """One person's month, as posted (DOMAIN.md §8 counting). Money in yuan (Decimal)."""

    days_due: int = 0
    present_sessions: int = 0
    on_time: int = 0
    late: int = 0
    business_sessions: int = 0
    absent_sessions: int = 0
    leave_days: dict[str, Decimal] = field(default_factory=dict)
    fines_yuan: Decimal = Decimal(0)
    bonus_forfeited: bool = False
    longest_absent_run: int = 0
    duty_days: int = 0
    holiday_overtime_days: int = 0
    bonus_yuan: Decimal = Decimal(0)
    overtime_pay_yuan: Decimal = Decimal(0)

    @property
    def attendance_rate(self) -> Decimal | None:
        """present_sessions / (2 × days_due) × 100, exact; None when nothing was due."""
        if self.days_due == 0:
            return None
        return Decimal(self.present_sessions * 100) / Decimal(2 * self.days_due)

    @property
    def attendance_rate_percent(self) -> Decimal | None:
        rate = self.attendance_rate
        return None if rate is None else rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def summarise(days: Sequence[DayResult], settings: AttendanceSettings) -> MonthFigures:
    """Count a person's days: pending sessions count nowhere; a working day is due once any of
    its sessions is decided."""
    figures = MonthFigures()
    counts: Counter[str] = Counter()
    leave_sessions: Counter[str] = Counter()
    for day in days:
        if day.working:
            decided = [s for s in day.sessions if s.status != PENDING]
            if decided:
                figures.days_due += 1
            for result in decided:
                counts[result.status] += 1
                if result.status == LEAVE and result.leave_type:
                    leave_sessions[result.leave_type] += 1
        elif day.duty:
            figures.duty_days += 1
            if day.holiday_kind == STATUTORY:
                figures.holiday_overtime_days += 1
    figures.on_time, figures.late = counts[ON_TIME], counts[LATE]
    figures.business_sessions, figures.absent_sessions = counts[BUSINESS], counts[ABSENT]
    figures.present_sessions = figures.on_time + figures.late + figures.business_sessions
    figures.leave_days = {kind: Decimal(n) / 2 for kind, n in sorted(leave_sessions.items())}
    figures.fines_yuan = settings.late_fine_yuan * figures.late + settings.absent_fine_yuan * figures.absent_sessions
    figures.longest_absent_run = longest_absent_run(days)
    figures.bonus_forfeited = figures.longest_absent_run >= settings.bonus_forfeit_run
    weekend_duty = figures.duty_days - figures.holiday_overtime_days
    figures.bonus_yuan = ((Decimal(0) if figures.bonus_forfeited else settings.monthly_bonus_yuan)
                          + settings.duty_bonus_per_day_yuan * weekend_duty)
    figures.overtime_pay_yuan = settings.holiday_overtime_per_day_yuan * figures.holiday_overtime_days
    return figures


def leave_length_days(start: datetime, end: datetime, holidays: Mapping[date, str],
                           schedules: list[Schedule]) -> Decimal:
    """The length of [start, end) in days of working time, for the approval chain.

    Each working session is half a day; a partly covered session counts in proportion to the
    part covered (so 08:00–15:30 with an 08:00–12:00 / 14:30–17:30 day is 0.5 + 1/3 × 0.5).
    Rest days count nothing. Result in days, exact.
    """
    total = Decimal(0)
    day = start.date()
    while day <= end.date():
        if is_working_day(day, holidays):
            schedule = schedule_on(schedules, day)
            for session in (MORNING, AFTERNOON):
                s_start, s_end = session_span(schedule, day, session)
                overlap = min(end, s_end) - max(start, s_start)
                if overlap.total_seconds() > 0:
                    length = (s_end - s_start).total_seconds()
                    total += Decimal(int(overlap.total_seconds())) / Decimal(int(length)) / 2
        day += timedelta(days=1)
    return total

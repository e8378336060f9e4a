"""0010_late_entries: facts that arrive after a period was closed (DOMAIN.md §4).

- `children.counted_on` (计入上报日): the day the child counts as reported when it is not the
  usual one. NULL = the usual report day, max(上报日期 or 出生日期, 出生日期). Set by
  app/late_entry.py when a child is entered (or its dates changed) while the period of its
  report day is closed: it then counts on the day it was entered (a 补报 of the open period).
- `population_base.entered_at`: when the 人口基数 row was written (`--as-of` counts a row only
  when it was entered by that day; NULL = a row from before this migration, counted).
- `contraception.created_at`: when the measure row was entered (NULL = an older row).
- The covering index of the period reports also covers `counted_on`; `children_counted` serves
  the late reports (补报) counted on their entry day.

Frozen literal SQL: never edit once shipped; live code shares nothing with it.
"""

from __future__ import annotations

SQL = """
alter table children add column counted_on text;
alter table population_base add column entered_at text;
alter table contraception add column created_at text;
drop index if exists children_report;
create index children_report on children (birth_date, kinship, mother_id, sex, birth_order, policy, reported_date, counted_on);
create index children_counted on children (counted_on);
"""

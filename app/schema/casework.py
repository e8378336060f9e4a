"""0013_casework: today's township casework (DOMAIN.md §11) — 生育登记 and 证明 letters.

- `case_numbers (kind, year, last)`: the last number issued per kind and year. A number is
  taken by one UPDATE/INSERT of this row as the FIRST statement of the issuing transaction, so
  two connections issuing at once are serialised by SQLite's write lock and never get the same
  number (app/casework/numbers.py; the high-water mark that survives a restore lives beside
  the backups).
- `birth_registrations`: 生育登记 — number (`2026-0001`), the day it was registered, the woman's
  card, the order (1–3), the expected (预产期) or actual birth date, and the child it is linked
  to once the child is entered. `registered_by`/`created_at` say who and when.
- `certificates`: 证明 letters (婚育情况证明, 流动人口婚育证明) — number per kind and year, the card,
  the day issued, to whom (recipient), purpose, valid-until, and `content`: the JSON of the
  facts printed on the original, so a reprint (补打) prints the same letter. Triggers refuse
  deleting a letter and changing its number, kind, card or content: never renumbered, never
  deleted.
- `certificate_prints`: every printing of a letter (who, when, original or 补打).

Frozen literal SQL: never edit once shipped; live code shares nothing with it.
"""

from __future__ import annotations

SQL = """
create table case_numbers ( kind text not null, year integer not null, last integer not null, primary key (kind, year));
create table birth_registrations ( id integer primary key, number text not null unique, year integer not null, serial integer not null, registered_on text not null, woman_id integer not null references women(id), birth_order integer not null, expected_date text, birth_date text, child_id integer references children(id), note text, registered_by text not null, created_at text not null, unique (year, serial));
create index birth_registrations_day on birth_registrations (registered_on);
create index birth_registrations_woman on birth_registrations (woman_id, birth_order);
create table certificates ( id integer primary key, kind text not null, number text not null, year integer not null, serial integer not null, woman_id integer not null references women(id), issued_on text not null, recipient text not null, purpose text, valid_until text, content text not null, issued_by text not null, created_at text not null, unique (kind, year, serial), unique (kind, number));
create index certificates_woman on certificates (woman_id);
create index certificates_day on certificates (issued_on);
create table certificate_prints ( id integer primary key, certificate_id integer not null references certificates(id), printed_at text not null, printed_by text not null, reprint integer not null);
create index certificate_prints_letter on certificate_prints (certificate_id);
create trigger certificates_no_delete before delete on certificates begin select raise(abort, '证明一经开具不能删除'); end;
create trigger certificates_no_renumber before update of kind, number, year, serial, woman_id, content on certificates begin select raise(abort, '证明一经开具不能改号或改内容'); end;
create trigger certificate_prints_no_delete before delete on certificate_prints begin select raise(abort, '打印记录只能追加'); end;
"""


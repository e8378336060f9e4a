"""The fixed grids of the casework counts (app/stats/counts.py keys): the code values each
count is split by and the names of the count keys. Plain data — no figures are computed here,
so the forms may read it (tests/test_architecture.py keeps them off the live computation).

- 人口变动 (app/stats/movement.py): `moves_in|<reason>`, `moves_out|<reason>` by 流动原因,
  `exits|<reason>` by 出队原因 (超龄, 迁出, 死亡; 录入错误 is void, never counted), `new_cards`.
- 育龄妇女 structure (app/stats/structure.py): `age|<band>|<status>` (5-year bands × marital
  status at P's end), `kids_method|<kids>|<method>` (living children 0/1/2/3+ × method in use).
- 生殖健康服务 (app/stats/health_service.py): `health_checks|<due|done|certificate>|<category>`
  by the roster's categories (app/roster/due.py).
"""

from __future__ import annotations

from app.roster.due import CATEGORIES

FLOAT_REASONS = ("务工经商", "婚姻嫁娶", "随迁家属", "投亲靠友", "学习培训", "其他")
EXIT_REASONS = ("超龄", "迁出", "死亡")
BANDS = ("15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49")
STATUSES = ("未婚", "初婚", "再婚", "离婚", "丧偶")
KIDS = ("0", "1", "2", "3+")
METHODS = ("女扎", "男扎", "宫内节育器", "皮下埋植", "口服及注射避孕药", "避孕套", "外用药", "其他", "未避孕")
CHECK_CATEGORIES = CATEGORIES
_CHECK_TAGS = {"rh_due": "due", "rh_done": "done", "rh_certificate": "certificate"}


def count_keys() -> list[str]:
    """Every key of the casework grids (zero when nothing was counted)."""
    return ([f"moves_in|{r}" for r in FLOAT_REASONS] + [f"moves_out|{r}" for r in FLOAT_REASONS]
            + [f"exits|{r}" for r in EXIT_REASONS] + ["new_cards"]
            + [f"age|{b}|{s}" for b in BANDS for s in STATUSES]
            + [f"kids_method|{k}|{m}" for k in KIDS for m in METHODS]
            + [f"health_checks|{what}|{c}" for what in _CHECK_TAGS.values() for c in CHECK_CATEGORIES])


def count_name(key: tuple) -> str | None:
    """The count key of a casework counter key (None: not one of these)."""
    tag = key[0]
    if tag == "move_in":
        return f"moves_in|{key[1]}"
    if tag == "move_out":
        return f"moves_out|{key[1]}"
    if tag == "exit":
        return f"exits|{key[1]}"
    if tag == "new_card":
        return "new_cards"
    if tag == "age_band":
        return f"age|{key[1]}|{key[2]}"
    if tag == "kids_method":
        return f"kids_method|{key[1]}|{key[2]}"
    if tag in _CHECK_TAGS:
        return f"health_checks|{_CHECK_TAGS[tag]}|{key[1]}"
    return None

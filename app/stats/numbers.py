"""Exact arithmetic for indicators: counts are ints, rates are Decimal, rounded only for display.

Rules:
- `ratio(n, d, scale)` = n / d × scale as a Decimal at 28 significant digits, or None when the
  denominator is 0 or unknown (a rate with no base is blank, never 0).
- `round2` rounds half up (四舍五入) to 2 decimals; JSON carries that rounded figure as a number.
- The change of a rate (同比) is the difference of the two ROUNDED figures (DOMAIN.md §5), so the
  printed table and the text agree (100.37 − 122.49 = −22.12, not the exact −22.11…).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any, overload

_CTX = Context(prec=28)
_Q2 = Decimal("0.01")


def ratio(numerator: int | Decimal | None, denominator: int | Decimal | None,
          scale: int = 1) -> Decimal | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return _CTX.divide(Decimal(numerator) * scale, Decimal(denominator))


@overload
def round2(value: Decimal) -> Decimal: ...


@overload
def round2(value: None) -> None: ...


@overload
def round2(value: Decimal | None) -> Decimal | None: ...


def round2(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(_Q2, rounding=ROUND_HALF_UP)


def to_json(value: Any) -> Any:
    """Decimal → rounded float (a JSON number); dicts and lists recursively; the rest as is."""
    if isinstance(value, Decimal):
        return float(round2(value))
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def is_rate_key(key: str) -> bool:
    return key.endswith(("_permille", "_percent")) or key.startswith("sex_ratio") or key in {
        "order_share_percent", "rate_percent"}


def change(current: Any, previous: Any, rate: bool = False) -> Any:
    """current − previous, key by key. Rates (by key name) use the rounded figures.

    Ints give ints; a missing side (None) gives None; lists and text are skipped.
    """
    if isinstance(current, dict) and isinstance(previous, dict):
        out = {}
        for key, value in current.items():
            if key not in previous or isinstance(value, (list, str)):
                continue
            diff = change(value, previous[key], rate or is_rate_key(key))
            if diff is not _SKIP:
                out[key] = diff
        return out
    if isinstance(current, bool) or isinstance(previous, bool):
        return _SKIP
    if current is None or previous is None:
        return None
    if not isinstance(current, (int, float, Decimal)) or not isinstance(previous, (int, float, Decimal)):
        return _SKIP
    if rate or isinstance(current, (float, Decimal)) or isinstance(previous, (float, Decimal)):
        a = round2(Decimal(str(current)))
        b = round2(Decimal(str(previous)))
        return a - b
    return current - previous


_SKIP = object()

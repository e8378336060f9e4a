"""Masking ID and phone numbers inside free text (the command line's human output, logs).

The screen masks the ID-number and phone columns (`idcard.mask_id`, `idcard.mask_phone`); free
text — a finding's message, an import's update lines and warnings, an error — carries the same
numbers inline, so `mask_text` finds them by shape and masks them the same way:
- an ID-number-like run of 15 to 18 characters (digits, the last may be X), not part of a
  longer run of letters or digits — valid or not (a mistyped ID is still personal data);
- a mobile number (11 digits from 13… to 19…, optionally +86) and a landline with its area
  code (`0731-22334455`);
- any value after `联系电话` in an import's update line (`联系电话 87654321 → 空`).
Shorter digit runs (unit codes up to 12 digits, dates, counts) are left alone. JSON output is
machine output for the office's own scripts and keeps full values (INTERFACES.md §2).
"""

from __future__ import annotations

import re

from app.idcard import mask_id, mask_phone

_ID = re.compile(r"(?<![0-9A-Za-z])[0-9]{14,17}[0-9Xx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+86[- ]?)?1[3-9][0-9]{9}(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])")
_PHONE_CHANGE = re.compile(r"(联系电话 )([^；\s]+)( → )([^；\s]+)")


def _phone(value: str) -> str:
    return value if value == "空" or "*" in value else mask_phone(value)


def mask_text(text: str) -> str:
    """`text` with every ID and phone number in it masked as on screen."""
    text = _PHONE_CHANGE.sub(lambda m: m[1] + _phone(m[2]) + m[3] + _phone(m[4]), text)
    text = _ID.sub(lambda m: mask_id(m[0]), text)
    text = _MOBILE.sub(lambda m: mask_phone(m[0][-11:]), text)
    return _LANDLINE.sub(lambda m: mask_phone(m[0]), text)

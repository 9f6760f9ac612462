"""Keyset cursors: the last row's sort key, written compactly.

A page reached by cursor costs what the first page costs, whatever its depth,
because the query seeks to the key instead of counting rows to skip.

A cursor is the key's integers in base 36, joined by dots ("lfls" or
"1x.lfls"). Clients treat it as opaque; the spec gives its exact pattern, so
that every string matching the pattern is a cursor the server accepts (a key
past the end simply gives an empty page).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from app.errors import InvalidCursor

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_ID = 2**31 - 1
"""The largest id a resource can have (the columns are 32-bit integers)."""

_PART = "[0-9a-z]{1,6}"  # 36**6 - 1 > MAX_ID, so a part can name any row


LIMIT_DESCRIPTION = f"Items per page, 1 to {MAX_LIMIT}."
CURSOR_DESCRIPTION = (
    "The `next_cursor` of the previous page; omit for the first page. "
    "Opaque: pass it back as it came."
)


def cursor_pattern(arity: int) -> str:
    return "^" + r"\.".join([_PART] * arity) + "$"


def encode_cursor(*key: int) -> str:
    return ".".join(_base36(k) for k in key)


def decode_cursor(cursor: str, arity: int) -> tuple[int, ...]:
    """The key a cursor holds; 400 for a string that is not a cursor of this listing.

    A part past MAX_ID is read as MAX_ID: it lies past every row either way,
    and the columns could not take it as a parameter.
    """
    if not re.fullmatch(cursor_pattern(arity), cursor):
        raise InvalidCursor("The cursor is not one this listing issued.")
    return tuple(min(int(part, 36), MAX_ID) for part in cursor.split("."))


# A time in a cursor: microseconds since 0001-01-01 UTC, which 12 base-36 digits
# hold up to the last microsecond of 9999 (and past it: read as that microsecond).
_TIME_PART = "[0-9a-z]{1,12}"
_FIRST = datetime(1, 1, 1, tzinfo=UTC)
_LAST = datetime.max.replace(tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
TIME_CURSOR_PATTERN = rf"^{_TIME_PART}\.{_PART}$"
"""A cursor of a listing in time order: the last row's time and id."""


def encode_time_cursor(at: datetime, id_: int) -> str:
    return f"{_base36((at - _FIRST) // _MICROSECOND)}.{_base36(id_)}"


def decode_time_cursor(cursor: str) -> tuple[datetime, int]:
    """The (time, id) a cursor of a listing in time order holds; 400 for any other string."""
    if not re.fullmatch(TIME_CURSOR_PATTERN, cursor):
        raise InvalidCursor("The cursor is not one this listing issued.")
    time, id_ = cursor.split(".")
    micros = min(int(time, 36), (_LAST - _FIRST) // _MICROSECOND)
    return _FIRST + micros * _MICROSECOND, min(int(id_, 36), MAX_ID)


def keyset_page(items: Sequence[Any], limit: int) -> dict[str, Any]:
    """The page of a listing in id order that fetched ``limit + 1`` items (rows or
    models): the extra one says there is more, and the last item's id is the cursor."""
    page = list(items[:limit])
    if len(items) <= limit:
        return {"items": page, "next_cursor": None}
    last = page[-1]
    return {
        "items": page,
        "next_cursor": encode_cursor(last["id"] if isinstance(last, Mapping) else last.id),
    }


def _base36(n: int) -> str:
    if n < 0:
        raise ValueError("keys are not negative")
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out

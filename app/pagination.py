"""Opaque keyset cursors: the last row's sort key, base64url-encoded.

A page reached by cursor costs what the first page costs, whatever its depth,
because the query seeks to the key instead of counting rows to skip.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from app.errors import InvalidCursor

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode_cursor(*key: int | str) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(cursor: str, *types: type) -> tuple[Any, ...]:
    """The key a cursor holds, checked against the types the listing expects."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        key = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidCursor("The cursor is not one this listing issued.") from None
    if (
        not isinstance(key, list)
        or len(key) != len(types)
        or not all(type(v) is t for v, t in zip(key, types, strict=True))
    ):
        raise InvalidCursor("The cursor is not one this listing issued.")
    return tuple(key)

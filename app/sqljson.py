"""JSON text built by the database, for the hot reads.

A page of 50 claims is about 1,100 values. Turned into Python objects, then
dicts, then JSON, they cost a list request three times what the database
spends finding them; written as JSON text by the query itself, they come
back as one string per row.

`json_text(layout, dialect)` renders a layout (JSON keys mapped to columns,
nested dicts for nested objects, `Nullable` for an object that may be null)
as one SQL expression. Both databases write the compact text pydantic writes:
`{"id":1,"text":"…"}`, keys in layout order, no spaces, UTC timestamps as
`2024-01-09T21:00:00Z` (with `.ffffff` when there are microseconds), a float
with at least one decimal (as Python writes it for the values stored here:
confidences, 3 decimal places). tests/api/test_claim_json.py holds them to the
same bytes.

SQLite's `json_object` already writes that text. PostgreSQL's
`json_build_object` puts spaces around colons and writes the float 1.0 as `1`,
so there the text is concatenated, each value quoted by `to_json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce
from typing import Any, Union

from sqlalchemy import Float, Integer, String, Text, and_, case, cast, func, literal_column
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ColumnElement

from app.models import UTCDateTime


@dataclass(frozen=True, slots=True)
class Nullable:
    """An object that is JSON null when ``unless_null`` is NULL."""

    unless_null: ColumnElement[Any]
    layout: Layout


Layout = Mapping[str, Union[ColumnElement[Any], "Layout", Nullable]]


def json_text(layout: Layout, dialect: Dialect) -> ColumnElement[str]:
    if dialect.name == "sqlite":
        return _sqlite_object(layout)
    return _concat(_pg_object(layout))


def _sqlite_object(layout: Layout) -> ColumnElement[str]:
    args: list[ColumnElement[Any]] = []
    for key, value in layout.items():
        args.append(_text(_checked(key)))
        if isinstance(value, Nullable):
            inner = _sqlite_object(value.layout)
            # json() keeps the CASE's result an object, not a string holding one
            args.append(func.json(case((value.unless_null.is_(None), None), else_=inner)))
        elif isinstance(value, Mapping):
            args.append(_sqlite_object(value))
        elif isinstance(value.type, UTCDateTime):
            args.append(_sqlite_timestamp(value))
        else:  # json_object writes integers, REALs ("%!.15g"), text and NULL itself
            args.append(value)
    return func.json_object(*args, type_=Text)


def _sqlite_timestamp(column: ColumnElement[Any]) -> ColumnElement[str]:
    """Stored as SQLAlchemy writes SQLite DATETIMEs: "2024-01-09 21:00:00.000000";
    ".000000" can only be the fraction, and pydantic leaves a zero fraction out."""
    whole = func.replace(column, _text(".000000"), _text(""), type_=Text)
    return _concat([func.replace(whole, _text(" "), _text("T"), type_=Text), "Z"])


def _pg_object(layout: Layout) -> list[ColumnElement[str] | str]:
    parts: list[ColumnElement[str] | str] = []
    for i, (key, value) in enumerate(layout.items()):
        parts.append(("{" if i == 0 else ",") + f'"{_checked(key)}":')
        if isinstance(value, Nullable):
            inner = _concat(_pg_object(value.layout))
            parts.append(case((value.unless_null.is_(None), _text("null")), else_=inner))
        elif isinstance(value, Mapping):
            parts.extend(_pg_object(value))
        else:
            parts.append(_pg_value(value))
    parts.append("}")
    return parts


def _pg_value(column: ColumnElement[Any]) -> ColumnElement[str]:
    """The JSON text of one column's value, `null` for NULL."""
    kind = column.type
    if isinstance(kind, UTCDateTime):
        text = _pg_timestamp(column)
    elif isinstance(kind, Float):
        # float8 1 is "1" in PostgreSQL; JSON readers in Python would see an int.
        whole = and_(column == func.trunc(column), func.abs(column) < _int(10**15))
        text = case((whole, _concat([cast(column, Text), ".0"])), else_=cast(column, Text))
    elif isinstance(kind, Integer):
        text = cast(column, Text)
    elif isinstance(kind, String):  # Text and VARCHAR
        text = cast(func.to_json(column), Text)
    else:
        raise TypeError(f"no JSON rendering for {kind!r}")
    nullable = getattr(column, "nullable", True)
    return func.coalesce(text, _text("null")) if nullable else text


def _pg_timestamp(column: ColumnElement[Any]) -> ColumnElement[str]:
    format_ = case(
        (
            func.date_trunc(_text("second"), column) == column,
            _text('YYYY-MM-DD"T"HH24:MI:SS'),
        ),
        else_=_text('YYYY-MM-DD"T"HH24:MI:SS.US'),
    )
    utc = column.op("AT TIME ZONE")(_text("UTC"))
    return _concat(['"', func.to_char(utc, format_, type_=Text), 'Z"'])


def _checked(key: str) -> str:
    if not key.replace("_", "").isalnum() or not key.isascii():
        raise ValueError(f"layout keys are plain names: {key!r}")
    return key


def _concat(parts: list[ColumnElement[str] | str]) -> ColumnElement[str]:
    merged: list[ColumnElement[str] | str] = []
    for part in parts:  # adjacent literals become one
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        else:
            merged.append(part)
    return reduce(lambda a, b: a.concat(b), [_text(p) for p in merged])


def _text(part: ColumnElement[str] | str) -> ColumnElement[str]:
    if not isinstance(part, str):
        return part
    # Constants are written into the SQL, not bound: the statement is compiled once.
    return literal_column("'" + part.replace("'", "''") + "'", Text)


def _int(n: int) -> ColumnElement[int]:
    return literal_column(str(int(n)), Integer)

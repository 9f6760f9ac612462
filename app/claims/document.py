"""The claim JSON (schemas.ClaimOut), stored ready to serve.

Writing the JSON of a page of 50 claims, in Python or in SQL, cost a list
request more than finding the claims. So each claim keeps its JSON, written by
pydantic whenever the claim is written, and the database puts a page together
from the pieces. The source's part lives with the source, so renaming a source
rewrites one row:

    {"id":<claim.id> <claim.json_head> ,"source":
        null  or  {"id":<source.id> <source.json_tail>
    <claim.json_tail>

- `claim.json_head`: the members before `source` (they never change);
- `claim.json_tail`: the members after it, written again by every change;
- `source.json_tail`: `,"name":…,"kind":…}`.

`FIELDS` names, for each member of the claim JSON, the column it comes from;
the pieces, the stored-JSON checks, `claimdesk rewrite-json` and the CSV export
all read it. The ids are not in the pieces (a row has none before its INSERT):
the database adds them as it reads (`document_sql`).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, String, TableClause, cast, func, literal_column

from app.schemas import ClaimOut, SourceRefOut

_ID0 = '{"id":0'
_NO_SOURCE = ',"source":null'


@dataclass(frozen=True, slots=True)
class ClaimField:
    """One member of the claim JSON and the claim column it is stored in."""

    column: str
    path: tuple[str, ...]
    """Where ClaimOut holds it: ("status",), ("attribution", "cue")."""
    in_csv: bool = True
    """Whether the CSV export has a column for it (named after the column)."""


def _top(column: str) -> ClaimField:
    return ClaimField(column, (column,))


def _attribution(column: str, member: str | None = None, in_csv: bool = True) -> ClaimField:
    return ClaimField(column, ("attribution", member or column), in_csv)


# In the CSV's column order. A new claim field is one line here, its column in
# app.models.Claim, its member in schemas.ClaimOut (after `source` if it can
# change) and a migration that writes the pieces again.
FIELDS: tuple[ClaimField, ...] = (
    _top("article_id"),
    _top("sentence_index"),
    _top("start"),
    _top("end"),
    _top("text"),
    _attribution("attribution_type", "type"),
    _attribution("attribution_method", "method"),
    _attribution("confidence"),
    _attribution("mention"),
    _attribution("mention_start", in_csv=False),
    _attribution("mention_end", in_csv=False),
    _attribution("cue"),
    _attribution("cue_start", in_csv=False),
    _attribution("cue_end", in_csv=False),
    _top("status"),
    _top("version"),
    _top("created_at"),
    _top("updated_at"),
)

COLUMNS: tuple[str, ...] = tuple(f.column for f in FIELDS)
"""The claim's columns its JSON is written from."""

SPAN_COLUMNS = ("mention", "mention_start", "mention_end", "cue", "cue_start", "cue_end")
"""Where the text names the source and the reporting word."""


def claim_out(
    columns: Mapping[str, Any], *, claim_id: int, source: SourceRefOut | None
) -> ClaimOut:
    """The claim of a row of claim columns (`COLUMNS`)."""
    document: dict[str, Any] = {"id": claim_id, "source": source}
    for field in FIELDS:
        value = columns[field.column]
        if isinstance(value, datetime):
            # As the columns read back (app.models.UTCDateTime): SQLite's naive times are UTC.
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        place = document
        for part in field.path[:-1]:
            place = place.setdefault(part, {})
        place[field.path[-1]] = value
    return ClaimOut.model_validate(document)


def claim_pieces(columns: Mapping[str, Any]) -> dict[str, str]:
    """`json_head` and `json_tail` of a claim given by its columns."""
    text = claim_out(columns, claim_id=0, source=None).model_dump_json()
    # The first `,"source":null` is the member itself: inside a JSON string
    # every quote is escaped, so the claim's text cannot hold one.
    head, tail = text.split(_NO_SOURCE, 1)
    return {"json_head": head.removeprefix(_ID0), "json_tail": tail}


def source_piece(*, name: str, kind: str) -> str:
    """`source.json_tail`: the source as a claim names it, after its id."""
    source = SourceRefOut.model_validate({"id": 0, "name": name, "kind": kind})
    return source.model_dump_json().removeprefix(_ID0)


def document_sql(claim: TableClause, source: TableClause) -> ColumnElement[str]:
    """The claim JSON put together from its stored pieces by the database:
    concatenating in SQL costs the database microseconds, and the server one
    value per claim instead of five to load and join."""
    source_json = func.coalesce(_sql('{"id":') + _id(source) + source.c.json_tail, _sql("null"))
    return (
        _sql('{"id":') + _id(claim) + claim.c.json_head + _sql(',"source":')
        + source_json + claim.c.json_tail
    )  # fmt: skip


def _id(table: TableClause) -> ColumnElement[str]:
    return cast(table.c.id, String)


def _sql(constant: str) -> ColumnElement[str]:
    # Inline, not a parameter: the same on every execution. No quote in these.
    return literal_column(f"'{constant}'", String)


_SOURCE_CSV = ("source_id", "source_name", "source_kind")
_SOURCE_CSV_AFTER = "text"

CSV_HEADER: tuple[str, ...] = (
    "id",
    *(
        name
        for f in FIELDS
        if f.in_csv
        for name in ((f.column, *_SOURCE_CSV) if f.column == _SOURCE_CSV_AFTER else (f.column,))
    ),
)


def _csv_row(claim_json: str) -> list[Any]:
    claim = json.loads(claim_json)
    source = claim["source"] or {}
    row: list[Any] = [claim["id"]]
    for field in FIELDS:
        if not field.in_csv:
            continue
        value: Any = claim
        for part in field.path:
            value = value[part]
        if field.column.endswith("_at"):
            # What the CSV has always carried ("+00:00"), not the JSON's "Z".
            value = datetime.fromisoformat(value).isoformat()
        row.append(value)
        if field.column == _SOURCE_CSV_AFTER:
            row.extend(source.get(key) for key in ("id", "name", "kind"))
    return row


def csv_lines(claims: Iterable[str]) -> Iterator[bytes]:
    """The claims (their JSON texts) as CSV, a header first, in chunks of 100 rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for i, claim in enumerate(claims, 1):
        writer.writerow(_csv_row(claim))
        if i % 100 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def jsonl_lines(claims: Iterable[str]) -> Iterator[bytes]:
    for claim in claims:
        yield claim.encode() + b"\n"

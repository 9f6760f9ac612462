"""The claim JSON, stored ready to serve.

Writing the JSON of a page of 50 claims, in Python or in SQL, cost a list
request more than finding the claims. So each claim keeps its JSON, written by
pydantic (`ClaimOut`) whenever the claim is written, and a page is that text
put together. The source's part lives with the source, so editing a source
rewrites one row:

    {"id":<claim.id> <claim.json_head> ,"source":
        null  or  {"id":<source.id> <source.json_tail>
    <claim.json_tail>

- `claim.json_head`: `,"article_id":…,"end":…`, the members that never change;
- `claim.json_tail`: `,"attribution":{…},"status":…,"updated_at":"…"}`, written
  again by every change to the claim (app.services.review);
- `source.json_tail`: `,"name":…,"kind":…}`, written again when they change.

The ids are not in the pieces (a row has none before its INSERT): the
database puts them and the pieces together as it reads (`claim_document`).
Extending the claim JSON (schemas.ClaimOut) takes a migration that writes the
pieces again, with the new shape frozen in it as
migrations/versions/*_stored_claim_json.py does. Rows changed outside the API
are mended by `claimdesk rewrite-json`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, String, TableClause, cast, func, literal_column

from app.schemas import ClaimOut, SourceRef

_ID0 = '{"id":0'
_NO_SOURCE = ',"source":null'

CLAIM_COLUMNS = (
    "article_id", "sentence_index", "text", "start", "end", "attribution_type",
    "attribution_method", "confidence", "mention", "mention_start", "mention_end",
    "cue", "cue_start", "cue_end", "status", "version", "created_at", "updated_at",
)  # fmt: skip
"""The claim's columns its JSON is written from."""

_SPANS = ("mention", "mention_start", "mention_end", "cue", "cue_start", "cue_end")


def claim_pieces(claim: Mapping[Any, Any]) -> dict[str, str]:
    """`json_head` and `json_tail` of a claim given by its CLAIM_COLUMNS."""
    text = ClaimOut.model_validate(
        {
            "id": 0,
            "article_id": claim["article_id"],
            "sentence_index": claim["sentence_index"],
            "text": claim["text"],
            "start": claim["start"],
            "end": claim["end"],
            "source": None,
            "attribution": {
                "type": claim["attribution_type"],
                "method": claim["attribution_method"],
                "confidence": claim["confidence"],
                **{key: claim[key] for key in _SPANS},
            },
            "status": claim["status"],
            "version": claim["version"],
            "created_at": _utc(claim["created_at"]),
            "updated_at": _utc(claim["updated_at"]),
        }
    ).model_dump_json()
    # The first `,"source":null` is the member itself: inside a JSON string
    # every quote is escaped, so the claim's text cannot hold one.
    head, tail = text.split(_NO_SOURCE, 1)
    return {"json_head": head.removeprefix(_ID0), "json_tail": tail}


def _utc(value: datetime) -> datetime:
    # As the columns read back (app.models.UTCDateTime): SQLite's naive times are UTC.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def source_tail(*, name: str, kind: str) -> str:
    """`source.json_tail`: the source as a claim names it, after its id."""
    source = SourceRef.model_validate({"id": 0, "name": name, "kind": kind})
    return source.model_dump_json().removeprefix(_ID0)


def claim_document(claim: TableClause, source: TableClause) -> ColumnElement[str]:
    """The claim JSON (schemas.ClaimOut), put together from its stored pieces by the
    database: concatenating in SQL costs the database microseconds, and the
    server a value per claim instead of five to load and join."""
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

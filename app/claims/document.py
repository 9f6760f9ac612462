"""The claim JSON (schemas.ClaimOut), stored ready to serve.

Writing the JSON of a page of 50 claims, in Python or in SQL, cost a list
request more than finding the claims, and putting each claim's JSON together
from pieces and its source's row cost the database more than the page itself.
So each claim keeps its whole JSON in `claim.document`, written by pydantic
whenever the claim is written (app.claims.store, and the mapper's hooks in
app.models), and a page is those texts joined.

The names and kinds of the sources a claim names (its source, and the source
relaying it in `attribution.via`) are in its JSON: a change to a source rewrites
the `"source":{…}` member of each of its claims, and the start of the
`"via":{…}` member of each claim it relays, one UPDATE each (`source_member`,
`via_member`: inside a JSON string every quote is escaped, so neither can occur
in a claim's text).

`FIELDS` names, for each member of the claim JSON, the column it comes from;
the JSON every write stores, the stored-JSON checks, `claimdesk rewrite-json`
and the CSV export all read it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.schemas import ClaimOut, SourceRefOut, ViaOut


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


# In the CSV's column order (new ones at the end). A new claim field is one line here, its column in
# app.models.Claim, its member in schemas.ClaimOut and a migration that adds
# the column and writes the stored JSON again.
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
    _attribution("cue_kind"),  # the CSV only grows at its end: then the relay's columns
    _top("match_group"),
)

SOURCE_COLUMNS = ("source_id", "via_source_id")
"""The claim's columns that name a source: its JSON holds that source's id, name and kind."""

VIA_SPAN_COLUMNS = ("via_mention", "via_mention_start", "via_mention_end")
"""Where the text names the relaying source: `attribution.via`'s mention, mention_start and
mention_end (present only with its `via_source_id`)."""

MATCH_COLUMNS = ("first_claim_id", "first_article_id", "suggested_status", "suggested_from")
"""What the claim's matches add to its JSON besides `match_group`: `first_appearance`
and `suggested_status`, each null unless its columns are set."""

COLUMNS: tuple[str, ...] = (
    *SOURCE_COLUMNS,
    *(f.column for f in FIELDS),
    *VIA_SPAN_COLUMNS,
    *MATCH_COLUMNS,
)
"""The claim's columns its JSON is written from."""

SPAN_COLUMNS = (
    "mention", "mention_start", "mention_end", "cue", "cue_start", "cue_end", "cue_kind"
)  # fmt: skip
"""Where the text names the source and the reporting word, and what kind of cue it is."""


def named_sources(columns: Mapping[str, Any]) -> set[int]:
    """The ids of the sources a claim's JSON names (`SOURCE_COLUMNS`)."""
    return {columns[name] for name in SOURCE_COLUMNS if columns[name] is not None}


def claim_out(
    columns: Mapping[str, Any], *, claim_id: int, sources: Mapping[int, SourceRefOut]
) -> ClaimOut:
    """The claim of a row of claim columns (`COLUMNS`); ``sources`` holds at least the
    sources it names (`named_sources`)."""
    source_id, via_id = columns["source_id"], columns["via_source_id"]
    document: dict[str, Any] = {
        "id": claim_id, "source": None if source_id is None else sources[source_id]
    }  # fmt: skip
    for field in FIELDS:
        value = columns[field.column]
        if isinstance(value, datetime):
            # As the columns read back (app.models.UTCDateTime): SQLite's naive times are UTC.
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        place = document
        for part in field.path[:-1]:
            place = place.setdefault(part, {})
        place[field.path[-1]] = value
    document["attribution"]["via"] = None if via_id is None else _via(sources[via_id], columns)
    document["first_appearance"] = (
        None
        if columns["first_article_id"] is None
        else {"claim_id": columns["first_claim_id"], "article_id": columns["first_article_id"]}
    )
    document["suggested_status"] = (
        None
        if columns["suggested_status"] is None
        else {"status": columns["suggested_status"], "claim_id": columns["suggested_from"]}
    )
    return ClaimOut.model_validate(document)


def via_spans(columns: Mapping[str, Any]) -> dict[str, Any]:
    """`attribution.via`'s mention, mention_start and mention_end, from their columns."""
    return {name.removeprefix("via_"): columns[name] for name in VIA_SPAN_COLUMNS}


def _via(source: SourceRefOut, columns: Mapping[str, Any]) -> ViaOut:
    return ViaOut(id=source.id, name=source.name, kind=source.kind, **via_spans(columns))


def claim_json(
    columns: Mapping[str, Any], *, claim_id: int, sources: Mapping[int, SourceRefOut]
) -> str:
    """The stored JSON of a claim given by its columns and the sources it names."""
    return claim_out(columns, claim_id=claim_id, sources=sources).model_dump_json()


def source_member(source: SourceRefOut) -> str:
    """The `"source":{…}` member of the claims of this source, as their JSON has it."""
    return '"source":' + source.model_dump_json()


def via_member(source: SourceRefOut) -> str:
    """The start of the `"via":{…}` member of the claims this source relays, as their JSON
    has it: its id, name and kind, up to the mention, which is each claim's own."""
    whole = _via(source, dict.fromkeys(VIA_SPAN_COLUMNS)).model_dump_json()
    return '"via":' + whole[: whole.index(',"mention":') + 1]


_SOURCE_KEYS = ("id", "name", "kind")
# Each source a claim names, as three CSV columns after the column of the field named
# here: where ClaimOut holds it, and the columns' prefix. The relay's come last, as the
# CSV only grows at its end (a field added after cue_kind goes after them).
_SOURCES_CSV: dict[str, tuple[tuple[str, ...], str]] = {
    "text": (("source",), "source_"),
    "cue_kind": (("attribution", "via"), "via_source_"),
}


def _csv_columns(field: ClaimField) -> tuple[str, ...]:
    if field.column not in _SOURCES_CSV:
        return (field.column,)
    _, prefix = _SOURCES_CSV[field.column]
    return (field.column, *(prefix + key for key in _SOURCE_KEYS))


CSV_HEADER: tuple[str, ...] = (
    "id",
    *(name for f in FIELDS if f.in_csv for name in _csv_columns(f)),
)


def _member(claim: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = claim
    for part in path:
        value = value[part]
    return value


def _csv_row(claim_json: str) -> list[Any]:
    claim = json.loads(claim_json)
    row: list[Any] = [claim["id"]]
    for field in FIELDS:
        if not field.in_csv:
            continue
        value = _member(claim, field.path)
        if field.column.endswith("_at"):
            # What the CSV has always carried ("+00:00"), not the JSON's "Z".
            value = datetime.fromisoformat(value).isoformat()
        row.append(value)
        if field.column in _SOURCES_CSV:
            source = _member(claim, _SOURCES_CSV[field.column][0]) or {}
            row.extend(source.get(key) for key in _SOURCE_KEYS)
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

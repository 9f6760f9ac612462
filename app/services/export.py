"""Every claim matching the list filters, streamed in batches as JSON Lines or CSV.

Each batch is one short keyset query, so memory stays flat and no
transaction stays open for the length of the download.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine

from app.services.claims import ClaimFilters, ClaimsPage, list_claims

BATCH = 1000


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


CSV_COLUMNS = [
    "id", "article_id", "sentence_index", "start", "end", "text",
    "source_id", "source_name", "source_kind",
    "attribution_type", "attribution_method", "confidence", "mention", "cue",
    "status", "version", "created_at", "updated_at",
]  # fmt: skip


def iter_claims(engine: Engine, filters: ClaimFilters) -> Iterator[str]:
    """Each matching claim's JSON text, in id order.

    The first batch is read before this returns: a database that cannot answer is
    then the request's error (503), not a stream broken after its 200.
    """
    first = list_claims(db=engine, filters=filters, limit=BATCH, cursor=None)
    return _claims_from(engine, filters, first)


def _claims_from(engine: Engine, filters: ClaimFilters, page: ClaimsPage) -> Iterator[str]:
    while True:
        yield from page.items
        if page.next_cursor is None:
            return
        page = list_claims(db=engine, filters=filters, limit=BATCH, cursor=page.next_cursor)


def jsonl_lines(claims: Iterator[str]) -> Iterator[bytes]:
    for claim in claims:
        yield claim.encode() + b"\n"


def _csv_row(claim_json: str) -> list[Any]:
    claim = json.loads(claim_json)
    source = claim["source"] or {}
    a = claim["attribution"]
    return [
        claim["id"], claim["article_id"], claim["sentence_index"], claim["start"], claim["end"],
        claim["text"], source.get("id"), source.get("name"), source.get("kind"),
        a["type"], a["method"], a["confidence"], a["mention"], a["cue"],
        claim["status"], claim["version"],
        _isoformat(claim["created_at"]), _isoformat(claim["updated_at"]),
    ]  # fmt: skip


def _isoformat(timestamp: str) -> str:
    # What the CSV has always carried ("+00:00"), not the JSON's "Z".
    return datetime.fromisoformat(timestamp).isoformat()


def csv_lines(claims: Iterator[str]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for i, claim in enumerate(claims, 1):
        writer.writerow(_csv_row(claim))
        if i % 100 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()

"""Every claim matching the list filters, streamed in batches as JSON Lines or CSV.

Each batch is one short keyset query, so memory stays flat and no
transaction stays open for the length of the download.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from app.schemas import ClaimOut
from app.services.claims import ClaimFilters, list_claims

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


def iter_claims(engine: Engine, filters: ClaimFilters) -> Iterator[dict[str, Any]]:
    cursor = None
    while True:
        with Session(engine) as session:
            page = list_claims(session=session, filters=filters, limit=BATCH, cursor=cursor)
        yield from page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return


def jsonl_lines(claims: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    for claim in claims:
        yield ClaimOut.model_validate(claim).model_dump_json().encode() + b"\n"


def _csv_row(claim: dict[str, Any]) -> list[Any]:
    source = claim["source"] or {}
    a = claim["attribution"]
    return [
        claim["id"], claim["article_id"], claim["sentence_index"], claim["start"], claim["end"],
        claim["text"], source.get("id"), source.get("name"), source.get("kind"),
        a["type"], a["method"], a["confidence"], a["mention"], a["cue"],
        claim["status"], claim["version"],
        claim["created_at"].isoformat(), claim["updated_at"].isoformat(),
    ]  # fmt: skip


def csv_lines(claims: Iterator[dict[str, Any]]) -> Iterator[bytes]:
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

"""whole claim document

Each claim stores its whole JSON in claim.document, its id and its source's
name and kind included, in place of the two pieces the database put together
with its source's piece on every read (json_head, json_tail, source.json_tail).
A page is then one indexed read of one table: no join, no concatenation.

The JSON's shape is frozen here as it was at this revision, not imported from
the app, so this migration keeps working once the claim JSON is extended.
On PostgreSQL the claim table stays locked while its rows are written (about
90 s per million claims); stop API processes of an older version first: they
would write claims without their document.

Revision ID: 9d4b7e21c3a6
Revises: 5c2e9f0b7d41
Create Date: 2026-12-01 10:10:00.000000
"""

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import context, op
from pydantic import BaseModel

revision: str = '9d4b7e21c3a6'
down_revision: str | None = '5c2e9f0b7d41'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PIECES = {"source": ["json_tail"], "claim": ["json_head", "json_tail"]}
BATCH = 5000

log = logging.getLogger("alembic.runtime.migration")


class _Source(BaseModel):
    id: int
    name: str
    kind: str


class _Attribution(BaseModel):
    type: str
    method: str
    confidence: float
    mention: str | None
    mention_start: int | None
    mention_end: int | None
    cue: str | None
    cue_start: int | None
    cue_end: int | None


class _Claim(BaseModel):
    id: int
    article_id: int
    sentence_index: int
    text: str
    start: int
    end: int
    source: _Source | None
    attribution: _Attribution
    status: str
    version: int
    created_at: datetime
    updated_at: datetime


_ATTRIBUTION = [name for name in _Attribution.model_fields if name not in ("type", "method")]
_source = sa.table(
    "source", sa.column("id", sa.Integer), sa.column("name", sa.String),
    sa.column("kind", sa.String), sa.column("json_tail", sa.Text),
)  # fmt: skip
_claim = sa.table(
    "claim",
    *(sa.column(name, sa.Integer) for name in (
        "id", "article_id", "sentence_index", "start", "end", "version", "source_id",
        "mention_start", "mention_end", "cue_start", "cue_end",
    )),
    *(sa.column(name, sa.Text) for name in (
        "text", "attribution_type", "attribution_method", "mention", "cue", "status",
        "json_head", "json_tail", "document",
    )),
    sa.column("confidence", sa.Float),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)  # fmt: skip


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _claim_of(row: sa.RowMapping, claim_id: int, source: _Source | None) -> _Claim:
    return _Claim(
        id=claim_id, article_id=row["article_id"], sentence_index=row["sentence_index"],
        text=row["text"], start=row["start"], end=row["end"], source=source,
        attribution=_Attribution(
            type=row["attribution_type"], method=row["attribution_method"],
            **{name: row[name] for name in _ATTRIBUTION},
        ),
        status=row["status"], version=row["version"],
        created_at=_utc(row["created_at"]), updated_at=_utc(row["updated_at"]),
    )  # fmt: skip


def _document(row: sa.RowMapping, sources: dict[int, _Source]) -> dict[str, str]:
    source = sources[row["source_id"]] if row["source_id"] is not None else None
    return {"document": _claim_of(row, row["id"], source).model_dump_json()}


def _pieces(row: sa.RowMapping, sources: dict[int, _Source]) -> dict[str, str]:
    # What the revision before this one stored; the quotes inside strings are escaped.
    text = _claim_of(row, 0, None).model_dump_json()
    head, tail = text.split(',"source":null', 1)
    return {"json_head": head.removeprefix('{"id":0'), "json_tail": tail}


def _sources(conn: sa.Connection) -> dict[int, _Source]:
    rows = conn.execute(sa.select(_source.c.id, _source.c.name, _source.c.kind)).all()
    return {id_: _Source(id=id_, name=name, kind=kind) for id_, name, kind in rows}


def _write_claims(conn: sa.Connection, render: object) -> None:
    sources = _sources(conn)
    after, count = 0, 0
    while True:
        query = sa.select(_claim).where(_claim.c.id > after).order_by(_claim.c.id).limit(BATCH)
        rows = conn.execute(query).mappings().all()
        if not rows:
            break
        conn.execute(
            _claim.update().where(_claim.c.id == sa.bindparam("row_id")),
            [{"row_id": row["id"], **render(row, sources)} for row in rows],  # type: ignore[operator]
        )
        after, count = rows[-1]["id"], count + len(rows)
        log.info("claim JSON written for %d claims", count)


def _add_text_columns(columns: dict[str, list[str]]) -> None:
    # NOT NULL needs a default for the rows already there. PostgreSQL drops it
    # once they are written; SQLite can only drop it by copying the table.
    for table, names in columns.items():
        for name in names:
            op.add_column(table, sa.Column(name, sa.Text(), nullable=False, server_default=""))


def _drop_defaults(columns: dict[str, list[str]]) -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table, names in columns.items():
            for name in names:
                op.alter_column(table, name, server_default=None)


def _drop_columns(columns: dict[str, list[str]]) -> None:
    # SQLite 3.35 and later drop a column in place; a copy of the table would
    # cascade the old one's deletion to the claims' events and annotations.
    for table, names in columns.items():
        for name in names:
            op.drop_column(table, name)


def upgrade() -> None:
    if context.is_offline_mode():
        raise RuntimeError("this migration writes every claim's JSON: run it online")
    _add_text_columns({"claim": ["document"]})
    _write_claims(op.get_bind(), _document)
    _drop_defaults({"claim": ["document"]})
    _drop_columns(PIECES)


def downgrade() -> None:
    if context.is_offline_mode():
        raise RuntimeError("this migration writes every claim's JSON: run it online")
    _add_text_columns(PIECES)
    conn = op.get_bind()
    pieces = [
        {"row_id": s.id, "json_tail": s.model_dump_json().removeprefix('{"id":' + str(s.id))}
        for s in _sources(conn).values()
    ]
    if pieces:
        conn.execute(_source.update().where(_source.c.id == sa.bindparam("row_id")), pieces)
    _write_claims(conn, _pieces)
    _drop_defaults(PIECES)
    _drop_columns({"claim": ["document"]})

"""stored claim JSON

The claim JSON is stored ready to serve (app.claims.document): two pieces per
claim, one per source, written here for the rows already there.

The JSON's shape is frozen here as it was at this revision, not imported from
the app, so this migration keeps working once the claim JSON is extended.
On PostgreSQL the claim table stays locked while its rows are written (about
90 s per million claims); on both databases, stop API processes of an older
version first: they would write claims without their JSON.

Revision ID: 86d68bc43a7e
Revises: a0e8b336d768
Create Date: 2026-11-28 18:30:00.000000
"""

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import context, op
from pydantic import BaseModel

revision: str = '86d68bc43a7e'
down_revision: str | None = 'a0e8b336d768'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {"source": ["json_tail"], "claim": ["json_head", "json_tail"]}
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
        "id", "article_id", "sentence_index", "start", "end", "version",
        "mention_start", "mention_end", "cue_start", "cue_end",
    )),
    *(sa.column(name, sa.Text) for name in (
        "text", "attribution_type", "attribution_method", "mention", "cue", "status",
        "json_head", "json_tail",
    )),
    sa.column("confidence", sa.Float),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)  # fmt: skip


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _pieces(row: sa.RowMapping) -> dict[str, str]:
    text = _Claim(
        id=0, article_id=row["article_id"], sentence_index=row["sentence_index"],
        text=row["text"], start=row["start"], end=row["end"], source=None,
        attribution=_Attribution(
            type=row["attribution_type"], method=row["attribution_method"],
            **{name: row[name] for name in _ATTRIBUTION},
        ),
        status=row["status"], version=row["version"],
        created_at=_utc(row["created_at"]), updated_at=_utc(row["updated_at"]),
    ).model_dump_json()  # fmt: skip
    head, tail = text.split(',"source":null', 1)  # quotes inside strings are escaped
    return {"json_head": head.removeprefix('{"id":0'), "json_tail": tail}


def _write_sources(conn: sa.Connection) -> None:
    rows = conn.execute(sa.select(_source.c.id, _source.c.name, _source.c.kind)).all()
    if rows:
        conn.execute(
            _source.update().where(_source.c.id == sa.bindparam("row_id")),
            [
                {"row_id": id_, "json_tail": _Source(id=0, name=name, kind=kind)
                 .model_dump_json().removeprefix('{"id":0')}
                for id_, name, kind in rows
            ],
        )  # fmt: skip


def _write_claims(conn: sa.Connection) -> None:
    after, count = 0, 0
    while True:
        query = sa.select(_claim).where(_claim.c.id > after).order_by(_claim.c.id).limit(BATCH)
        rows = conn.execute(query).mappings().all()
        if not rows:
            break
        conn.execute(
            _claim.update().where(_claim.c.id == sa.bindparam("row_id")),
            [{"row_id": row["id"], **_pieces(row)} for row in rows],
        )
        after, count = rows[-1]["id"], count + len(rows)
        log.info("claim JSON written for %d claims", count)


def upgrade() -> None:
    if context.is_offline_mode():
        raise RuntimeError("this migration writes every claim's JSON: run it online")
    # NOT NULL needs a default for the rows already there. PostgreSQL drops it
    # once they are written; SQLite can only drop it by copying the table.
    for table, names in COLUMNS.items():
        for name in names:
            op.add_column(table, sa.Column(name, sa.Text(), nullable=False, server_default=""))
    _write_sources(op.get_bind())
    _write_claims(op.get_bind())
    if op.get_bind().dialect.name != "sqlite":
        for table, names in COLUMNS.items():
            for name in names:
                op.alter_column(table, name, server_default=None)


def downgrade() -> None:
    # SQLite 3.35 and later drop a column in place; a copy of the table would
    # cascade the old one's deletion to the claims' events and annotations.
    for table, names in COLUMNS.items():
        for name in names:
            op.drop_column(table, name)

"""stored claim JSON

The claim JSON is stored ready to serve (app.claim_json): two pieces per
claim, one per source, written here for the rows already there.

Revision ID: 86d68bc43a7e
Revises: a0e8b336d768
Create Date: 2026-11-28 18:30:00.000000
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.claim_json import CLAIM_COLUMNS, render_all

revision: str = '86d68bc43a7e'
down_revision: str | None = 'a0e8b336d768'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {"source": ["json_tail"], "claim": ["json_head", "json_tail"]}

_TYPES = {"created_at": sa.DateTime(timezone=True), "updated_at": sa.DateTime(timezone=True)}
_source = sa.table(
    "source", sa.column("id", sa.Integer), sa.column("name", sa.String),
    sa.column("kind", sa.String), sa.column("json_tail", sa.Text),
)  # fmt: skip
_claim = sa.table(
    "claim", sa.column("id", sa.Integer), sa.column("json_head", sa.Text),
    sa.column("json_tail", sa.Text), *(sa.column(n, _TYPES.get(n)) for n in CLAIM_COLUMNS),
)  # fmt: skip


def upgrade() -> None:
    # NOT NULL needs a default for the rows already there. PostgreSQL drops it
    # once they are written; SQLite can only drop it by copying the table.
    for table, names in COLUMNS.items():
        for name in names:
            op.add_column(table, sa.Column(name, sa.Text(), nullable=False, server_default=""))
    log = logging.getLogger("alembic.runtime.migration")
    count = render_all(
        op.get_bind(), _claim, _source, on_batch=lambda n: log.info("claim JSON: %d claims", n)
    )
    log.info("claim JSON written for %d claims", count)
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

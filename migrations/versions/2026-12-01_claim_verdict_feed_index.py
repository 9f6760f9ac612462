"""claim verdict feed index

GET /v1/claimreviews lists the claims that have a verdict in the order they
last changed. An index of (updated_at, id) over those claims alone: each page is
a range of it, however few of the claims have a verdict. The predicate is the
one the feed's query says (app.models.HAS_VERDICT, frozen here as it was).

Revision ID: a6cea0baee1e
Revises: 117ad8189980
Create Date: 2026-12-01 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a6cea0baee1e'
down_revision: str | None = '117ad8189980'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = 'ix_claim_verdict_updated_at_id'
_VERDICTS = "status IN ('verified', 'unproven', 'misleading', 'false')"


def upgrade() -> None:
    op.create_index(
        _INDEX, 'claim', ['updated_at', 'id'], unique=False,
        postgresql_where=sa.text(_VERDICTS),
        # With SQLite's unary +, which keeps its planner off the status index.
        sqlite_where=sa.text('+' + _VERDICTS),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index(_INDEX, table_name='claim')

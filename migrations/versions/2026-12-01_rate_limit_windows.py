"""rate limit windows

The rate-limit counts that API processes on one PostgreSQL database share
(app.ratelimit). UNLOGGED there: every request updates a row, and counts lost
in a crash only give each client a fresh window. SQLite gets the table too, to
keep one schema, but counts in memory.

Revision ID: 5c2e9f0b7d41
Revises: 86d68bc43a7e
Create Date: 2026-12-01 09:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5c2e9f0b7d41'
down_revision: str | None = '86d68bc43a7e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    unlogged = ['UNLOGGED'] if op.get_bind().dialect.name == 'postgresql' else []
    op.create_table('rate_limit_window',
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('resets_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_limit_window')),
    prefixes=unlogged,
    )


def downgrade() -> None:
    op.drop_table('rate_limit_window')

"""claim band speaker

Each band key row gains its claim's speaker (the source id, 0 for the article's
own statement), and the table's primary key becomes (key, speaker, claim_id),
so that ingest reads under a key only the claims of the new claim's speaker,
the only ones it may match, and a lookup of any speaker reads the key's prefix.
On SQLite the table is WITHOUT ROWID: the key is the table, one B-tree where
there were two (and an index more for the speaker), which is what each new
claim's 16 keys are written into.

The table is built anew from the old one and its claims, both ways (a key of
a claim deleted behind the foreign key's back, with SQLite's foreign keys off,
is left out): for 1,000,000 claims (16,000,000 keys), 2 minutes on SQLite on a shared
2-core machine, 7 minutes on PostgreSQL.

Revision ID: c4d9a1f0b2e7
Revises: 9d41c2e7b5a8
Create Date: 2026-12-01 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4d9a1f0b2e7"
down_revision: str | None = "9d41c2e7b5a8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CLAIM_ID_INDEX = "ix_claim_band_claim_id"


def _postgresql() -> bool:
    return op.get_context().dialect.name == "postgresql"


def _band_table(name: str, *columns: str) -> None:
    """The table under a name of its own, with the constraints' names of claim_band but
    the primary key's, which PostgreSQL keeps unique beside the old table's index."""
    op.create_table(
        name,
        sa.Column("key", sa.BigInteger(), nullable=False),
        *([sa.Column("speaker", sa.Integer(), nullable=False)] if "speaker" in columns else []),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], ondelete="CASCADE", name="fk_claim_band_claim_id_claim"
        ),
        sa.PrimaryKeyConstraint(*columns, name=f"pk_{name}" if _postgresql() else "pk_claim_band"),
        sqlite_with_rowid="speaker" not in columns,
    )


def _swap(new: str) -> None:
    op.drop_index(_CLAIM_ID_INDEX, table_name="claim_band")
    op.drop_table("claim_band")
    op.rename_table(new, "claim_band")
    op.create_index(_CLAIM_ID_INDEX, "claim_band", ["claim_id"], unique=False)
    if _postgresql():
        op.execute(f"ALTER INDEX pk_{new} RENAME TO pk_claim_band")
        # A new table has no statistics to plan with, and no visibility map: until a
        # vacuum, every read of its key visits the table too (and autovacuum may be off).
        with op.get_context().autocommit_block():
            op.execute("VACUUM ANALYZE claim_band")


def upgrade() -> None:
    _band_table("claim_band_new", "key", "speaker", "claim_id")
    op.execute(
        'INSERT INTO claim_band_new ("key", speaker, claim_id) '
        'SELECT b."key", coalesce(c.source_id, 0), b.claim_id '
        "FROM claim_band b JOIN claim c ON c.id = b.claim_id "
        "ORDER BY 1, 2, 3"  # the B-tree filled in its order, not at random
    )
    _swap("claim_band_new")


def downgrade() -> None:
    _band_table("claim_band_old", "key", "claim_id")
    op.execute(
        'INSERT INTO claim_band_old ("key", claim_id) '
        'SELECT b."key", b.claim_id FROM claim_band b JOIN claim c ON c.id = b.claim_id '
        "ORDER BY 1, 2"
    )
    _swap("claim_band_old")

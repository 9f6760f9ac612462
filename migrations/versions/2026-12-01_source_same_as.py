"""source same_as

Each source can name where the same person or body is found elsewhere: a
Wikidata entity, an official site. ClaimReview gives these as the `sameAs` of
the claim's author, which is how search engines tell one Dmitry Peskov from
another. A JSON list of absolute http(s) URLs, empty for every source already
stored. The claims' stored JSON does not name it, so no claim is written again.

Revision ID: 117ad8189980
Revises: 592eefaeb06a
Create Date: 2026-12-01 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '117ad8189980'
down_revision: str | None = '592eefaeb06a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'source', sa.Column('same_as', sa.JSON(), server_default='[]', nullable=False)
    )


def downgrade() -> None:
    op.drop_column('source', 'same_as')

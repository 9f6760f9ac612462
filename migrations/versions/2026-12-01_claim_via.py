"""claim via

Attribution chains (ATTRIBUTION.md): in "Interfax reported that Deputy Minister
Olga Varga said X", X is Olga Varga's claim, relayed by Interfax. The claim keeps
the relaying source (attribution.via): its id, indexed as a filter, and where
the text names it. No claim stored before has one, so the JSON of each gains
"via":null, the last member of its attribution (`claimdesk reextract` then
finds the relays in the articles an older extractor read); on the way down the
member goes again, whatever it holds, byte for byte.

One UPDATE writes every claim's JSON; on PostgreSQL the claim table stays locked
while it runs. Stop API processes of an older version first: they would write
claims without the member.

Revision ID: 592eefaeb06a
Revises: 3f8a1c5d9e27
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '592eefaeb06a'
down_revision: str | None = '3f8a1c5d9e27'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The via member ends the claim JSON's attribution object, and inside a JSON string
# every quote is escaped: each of these occurs once in each claim's JSON.
_VIA = ',"via":'
_AFTER_ATTRIBUTION = '},"status":'
_FOREIGN_KEY = 'fk_claim_via_source_id_source'
_INDEX = 'ix_claim_via_source_id_id'

_claim = sa.table("claim", sa.column("document", sa.Text))


def _sqlite() -> bool:
    return op.get_context().dialect.name == 'sqlite'


def upgrade() -> None:
    if _sqlite():
        # The reference in the column's own ADD COLUMN: SQLite cannot add a constraint
        # later but by a copy of the table, whose deletion of the old one would cascade
        # to the claims' events and annotations.
        op.execute(
            f'ALTER TABLE claim ADD COLUMN via_source_id INTEGER CONSTRAINT {_FOREIGN_KEY} '
            'REFERENCES source (id) ON DELETE SET NULL'
        )
    else:
        op.add_column('claim', sa.Column('via_source_id', sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f(_FOREIGN_KEY), 'claim', 'source', ['via_source_id'], ['id'],
            ondelete='SET NULL',
        )  # fmt: skip
    op.add_column('claim', sa.Column('via_mention', sa.String(length=500), nullable=True))
    op.add_column('claim', sa.Column('via_mention_start', sa.Integer(), nullable=True))
    op.add_column('claim', sa.Column('via_mention_end', sa.Integer(), nullable=True))
    op.create_index(_INDEX, 'claim', ['via_source_id', 'id'], unique=False)
    document = _claim.c.document
    op.execute(
        _claim.update().values(
            document=sa.func.replace(
                document, _AFTER_ATTRIBUTION, _VIA + 'null' + _AFTER_ATTRIBUTION
            )
        )
    )


def downgrade() -> None:
    # Everything from the member's start to the end of the attribution object.
    position = sa.func.instr if _sqlite() else sa.func.strpos
    document = _claim.c.document
    start = position(document, _VIA)
    op.execute(
        _claim.update()
        .where(start > 0)
        .values(
            document=sa.func.substr(document, 1, start - 1, type_=sa.Text)
            + sa.func.substr(document, position(document, _AFTER_ATTRIBUTION), type_=sa.Text)
        )
    )
    op.drop_index(_INDEX, table_name='claim')
    # SQLite 3.35 and later drop a column in place, its reference with it (a copy of
    # the table would cascade); PostgreSQL drops the foreign key with its column.
    for column in ('via_mention_end', 'via_mention_start', 'via_mention', 'via_source_id'):
        op.drop_column('claim', column)

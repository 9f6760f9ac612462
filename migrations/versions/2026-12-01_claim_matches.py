"""claim matches

The same claim across articles (app.matching): each claim's MinHash band keys
in claim_band, the matches found between claims in claim_match, and on each
claim its confirmed match group, that group's first appearance and the verdict
a matching claim offers it. No claim stored before is in a group or offered a
verdict, so the JSON of each gains "match_group":null,"first_appearance":null,
"suggested_status":null at its end; the band keys of the stored claims are
computed here, so that new claims find them. On the way down the members go
again, byte for byte.

One UPDATE writes every claim's JSON; the band keys go in in batches. Stop API
processes of an older version first: they would write claims without the
members.

Revision ID: 7b1e4c9d2f60
Revises: 5b18ddab03c4
Create Date: 2026-12-01 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.matching import band_keys, fingerprint

revision: str = '7b1e4c9d2f60'
down_revision: str | None = '5b18ddab03c4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The members end the claim JSON, and inside a JSON string every quote is escaped:
# this occurs once in each claim's JSON.
_MEMBERS = ',"match_group":'
_NEW_END = _MEMBERS + 'null,"first_appearance":null,"suggested_status":null}'
_GROUP_INDEX = 'ix_claim_match_group_id'
_BATCH = 5000

_claim = sa.table(
    "claim", sa.column("id", sa.Integer), sa.column("text", sa.Text), sa.column("document", sa.Text)
)
_band = sa.table("claim_band", sa.column("key", sa.BigInteger), sa.column("claim_id", sa.Integer))


def _sqlite() -> bool:
    return op.get_context().dialect.name == 'sqlite'


def upgrade() -> None:
    op.add_column('claim', sa.Column('match_group', sa.Integer(), nullable=True))
    op.add_column('claim', sa.Column('first_claim_id', sa.Integer(), nullable=True))
    op.add_column('claim', sa.Column('first_article_id', sa.Integer(), nullable=True))
    op.add_column('claim', sa.Column('suggested_status', sa.String(length=20), nullable=True))
    op.add_column('claim', sa.Column('suggested_from', sa.Integer(), nullable=True))
    op.create_index(_GROUP_INDEX, 'claim', ['match_group', 'id'], unique=False)
    op.create_table(
        'claim_band',
        sa.Column('key', sa.BigInteger(), nullable=False),
        sa.Column('claim_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('key', 'claim_id'),
    )
    op.create_index(op.f('ix_claim_band_claim_id'), 'claim_band', ['claim_id'], unique=False)
    op.create_table(
        'claim_match',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('claim_id', sa.Integer(), nullable=False),
        sa.Column('other_id', sa.Integer(), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['other_id'], ['claim.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('claim_id', 'other_id'),
    )
    op.create_index('ix_claim_match_other_id', 'claim_match', ['other_id'], unique=False)
    document = _claim.c.document
    op.execute(
        _claim.update().values(
            document=sa.func.substr(document, 1, sa.func.length(document) - 1, type_=sa.Text)
            + _NEW_END
        )
    )
    _band_keys_of_the_stored_claims()


def _band_keys_of_the_stored_claims() -> None:
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(_claim.c.id, _claim.c.text)
            .where(_claim.c.id > last)
            .order_by(_claim.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        bands = [
            {"key": key, "claim_id": claim_id}
            for claim_id, text in rows
            for key in set(band_keys(fingerprint(text)))
        ]
        if bands:
            connection.execute(_band.insert(), bands)
        last = rows[-1][0]


def downgrade() -> None:
    position = sa.func.instr if _sqlite() else sa.func.strpos
    document = _claim.c.document
    start = position(document, _MEMBERS)
    op.execute(
        _claim.update()
        .where(start > 0)
        .values(document=sa.func.substr(document, 1, start - 1, type_=sa.Text) + '}')
    )
    op.drop_index('ix_claim_match_other_id', table_name='claim_match')
    op.drop_table('claim_match')
    op.drop_index(op.f('ix_claim_band_claim_id'), table_name='claim_band')
    op.drop_table('claim_band')
    op.drop_index(_GROUP_INDEX, table_name='claim')
    for column in (
        'suggested_from', 'suggested_status', 'first_article_id', 'first_claim_id', 'match_group'
    ):
        op.drop_column('claim', column)

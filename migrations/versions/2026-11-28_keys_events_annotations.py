"""keys events annotations

Revision ID: a0e8b336d768
Revises: 1d64bc25e1da
Create Date: 2026-11-28 13:06:08.972109
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a0e8b336d768'
down_revision: str | None = '1d64bc25e1da'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('api_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_key')),
    sa.UniqueConstraint('name', name=op.f('uq_api_key_name')),
    sa.UniqueConstraint('public_id', name=op.f('uq_api_key_public_id'))
    )
    op.create_table('annotation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('motivation', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('evidence_url', sa.String(length=2048), nullable=True),
    sa.Column('quote', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_annotation_claim_id_claim'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annotation'))
    )
    with op.batch_alter_table('annotation', schema=None) as batch_op:
        batch_op.create_index('ix_annotation_author_id', ['author', 'id'], unique=False)
        batch_op.create_index('ix_annotation_claim_id_id', ['claim_id', 'id'], unique=False)
        batch_op.create_index('ix_annotation_motivation_id', ['motivation', 'id'], unique=False)

    op.create_table('claim_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['claim_id'], ['claim.id'], name=op.f('fk_claim_event_claim_id_claim'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_event'))
    )
    with op.batch_alter_table('claim_event', schema=None) as batch_op:
        batch_op.create_index('ix_claim_event_claim_id_id', ['claim_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('claim_event', schema=None) as batch_op:
        batch_op.drop_index('ix_claim_event_claim_id_id')

    op.drop_table('claim_event')
    with op.batch_alter_table('annotation', schema=None) as batch_op:
        batch_op.drop_index('ix_annotation_motivation_id')
        batch_op.drop_index('ix_annotation_claim_id_id')
        batch_op.drop_index('ix_annotation_author_id')

    op.drop_table('annotation')
    op.drop_table('api_key')

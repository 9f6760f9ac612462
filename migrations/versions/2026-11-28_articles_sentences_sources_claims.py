"""articles sentences sources claims

Revision ID: 1d64bc25e1da
Revises:
Create Date: 2026-11-28 13:02:55.231969
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '1d64bc25e1da'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('url', sa.String(length=2048), nullable=True),
    sa.Column('publisher', sa.String(length=200), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('language', sa.String(length=35), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('extractor_version', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_article_content_hash'))
    )
    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('affiliation_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['affiliation_id'], ['source.id'], name=op.f('fk_source_affiliation_id_source'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source'))
    )
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_affiliation_id'), ['affiliation_id'], unique=False)

    op.create_table('claim',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('sentence_index', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('attribution_type', sa.String(length=20), nullable=False),
    sa.Column('attribution_method', sa.String(length=10), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('mention', sa.String(length=500), nullable=True),
    sa.Column('mention_start', sa.Integer(), nullable=True),
    sa.Column('mention_end', sa.Integer(), nullable=True),
    sa.Column('cue', sa.String(length=100), nullable=True),
    sa.Column('cue_start', sa.Integer(), nullable=True),
    sa.Column('cue_end', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_claim_article_id_article'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_claim_source_id_source'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim'))
    )
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.create_index('ix_claim_article_text_order', ['article_id', 'start', 'id'], unique=False)
        batch_op.create_index('ix_claim_attribution_type_id', ['attribution_type', 'id'], unique=False)
        batch_op.create_index('ix_claim_source_id_id', ['source_id', 'id'], unique=False)
        batch_op.create_index('ix_claim_source_status_id', ['source_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_claim_status_id', ['status', 'id'], unique=False)
        batch_op.create_index('ix_claim_updated_at_id', ['updated_at', 'id'], unique=False)

    op.create_table('sentence',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('index', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_sentence_article_id_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'index', name=op.f('pk_sentence'))
    )
    op.create_table('source_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_source_name_source_id_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_name')),
    sa.UniqueConstraint('key', name=op.f('uq_source_name_key'))
    )
    with op.batch_alter_table('source_name', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_name_source_id'), ['source_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('source_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_name_source_id'))

    op.drop_table('source_name')
    op.drop_table('sentence')
    with op.batch_alter_table('claim', schema=None) as batch_op:
        batch_op.drop_index('ix_claim_updated_at_id')
        batch_op.drop_index('ix_claim_status_id')
        batch_op.drop_index('ix_claim_source_status_id')
        batch_op.drop_index('ix_claim_source_id_id')
        batch_op.drop_index('ix_claim_attribution_type_id')
        batch_op.drop_index('ix_claim_article_text_order')

    op.drop_table('claim')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_affiliation_id'))

    op.drop_table('source')
    op.drop_table('article')

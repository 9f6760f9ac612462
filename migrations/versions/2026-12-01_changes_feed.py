"""changes feed

The claims' audit trail (claim_event) becomes the changes feed (change): one
total order of every change to claims, annotations, sources, articles and
matches (app.changes). Each audit event is kept, with its id, as the change it
was: its type, the resource it changed (an annotation's or a match's id came
from the event's own before/after) and the claim whose trail shows it. The
feed names resources without foreign keys, so a tombstone outlives what it
names. Events recorded before this upgrade carry no version, and a `created`
event of before carries none of its claim's fields: a client syncing a database
this old reads everything once, then follows the feed.

On the way down the changes that a claim's trail showed before go back to
claim_event (one row for each claim a match change concerns; ids double to
make room, in the same order); the others go.

Revision ID: 32c464f77a3c
Revises: 7b1e4c9d2f60
Create Date: 2026-12-01 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '32c464f77a3c'
down_revision: str | None = '7b1e4c9d2f60'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TYPES = {
    'created': 'claim.created',
    'status_changed': 'claim.status_changed',
    'attributed': 'claim.attributed',
    'reextracted': 'claim.updated',
    'annotated': 'annotation.created',
    'annotation_edited': 'annotation.updated',
    'annotation_deleted': 'annotation.deleted',
    'match_confirmed': 'match.updated',
    'match_rejected': 'match.updated',
}


def _sqlite() -> bool:
    return op.get_context().dialect.name == 'sqlite'


def _json_int(key: str) -> str:
    """The integer under ``key`` of the event's after (or, for a deletion, before)."""
    if _sqlite():
        return f"CAST(json_extract(COALESCE(after, before), '$.{key}') AS INTEGER)"
    return f"CAST(COALESCE(after, before) ->> '{key}' AS INTEGER)"


def _case(column: str, mapping: dict[str, str]) -> str:
    whens = ' '.join(f"WHEN '{old}' THEN '{new}'" for old, new in mapping.items())
    return f'CASE {column} {whens} END'


def upgrade() -> None:
    op.create_table(
        'change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('type', sa.String(length=40), nullable=False),
        sa.Column('resource', sa.String(length=20), nullable=False),
        sa.Column('resource_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=True),
        sa.Column('claim_id', sa.Integer(), nullable=True),
        sa.Column('peer_claim_id', sa.Integer(), nullable=True),
        sa.Column('actor', sa.String(length=100), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change')),
    )
    resource = _case('kind', {old: new.partition('.')[0] for old, new in _TYPES.items()})
    resource_id = (
        f"CASE WHEN kind LIKE 'annotat%' THEN {_json_int('annotation_id')} "
        f"WHEN kind LIKE 'match_%' THEN {_json_int('match_id')} ELSE claim_id END"
    )
    op.execute(
        'INSERT INTO change (id, type, resource, resource_id, claim_id, actor, at, before, '
        f'after, note) SELECT id, {_case("kind", _TYPES)}, {resource}, {resource_id}, '
        'claim_id, actor, at, before, after, note FROM claim_event ORDER BY id'
    )
    if not _sqlite():
        op.execute(
            "SELECT setval(pg_get_serial_sequence('change', 'id'), "
            "COALESCE((SELECT max(id) FROM change), 0) + 1, false)"
        )
    op.create_index('ix_change_claim_id_id', 'change', ['claim_id', 'id'], unique=False)
    op.create_index('ix_change_peer_claim_id_id', 'change', ['peer_claim_id', 'id'], unique=False)
    op.create_index(
        'ix_change_resource_resource_id_id', 'change', ['resource', 'resource_id', 'id'],
        unique=False,
    )
    op.drop_index('ix_claim_event_claim_id_id', table_name='claim_event')
    op.drop_table('claim_event')


def downgrade() -> None:
    op.create_table(
        'claim_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('claim_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('actor', sa.String(length=100), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('before', sa.JSON(), nullable=True),
        sa.Column('after', sa.JSON(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ['claim_id'], ['claim.id'], name=op.f('fk_claim_event_claim_id_claim'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_event')),
    )
    op.create_index('ix_claim_event_claim_id_id', 'claim_event', ['claim_id', 'id'], unique=False)
    state = "json_extract(after, '$.state')" if _sqlite() else "(after ->> 'state')"
    kinds = {new: old for old, new in _TYPES.items() if not old.startswith('match_')}
    kind = (
        f"CASE WHEN type = 'match.updated' THEN CASE WHEN {state} = 'confirmed' "
        f"THEN 'match_confirmed' ELSE 'match_rejected' END ELSE {_case('type', kinds)} END"
    )
    legacy = "', '".join(_TYPES.values())
    for who in ('claim_id', 'peer_claim_id'):
        # A match change was one event on each of its claims: ids double, in order.
        id_ = 'id * 2' if who == 'claim_id' else 'id * 2 + 1'
        op.execute(
            f'INSERT INTO claim_event (id, claim_id, kind, actor, at, before, after, note) '
            f'SELECT {id_}, {who}, {kind}, actor, at, before, after, note FROM change '
            f"WHERE type IN ('{legacy}') AND {who} IN (SELECT id FROM claim)"
        )
    if not _sqlite():
        op.execute(
            "SELECT setval(pg_get_serial_sequence('claim_event', 'id'), "
            "COALESCE((SELECT max(id) FROM claim_event), 0) + 1, false)"
        )
    op.drop_index('ix_change_resource_resource_id_id', table_name='change')
    op.drop_index('ix_change_peer_claim_id_id', table_name='change')
    op.drop_index('ix_change_claim_id_id', table_name='change')
    op.drop_table('change')

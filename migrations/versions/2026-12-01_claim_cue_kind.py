"""claim cue kind

Each attributed claim says what tied it to its source: attribution.cue_kind,
speech, thought or evidence (ATTRIBUTION.md). The column and its index, and the
claims already stored: their kind from their cue and their source's kind (by
the lemma lists of this revision, frozen here), written into their JSON too.

On PostgreSQL the claim table stays locked while its rows are written (about
90 s per million claims); stop API processes of an older version first.

Revision ID: 3f8a1c5d9e27
Revises: 9d4b7e21c3a6
Create Date: 2026-12-01 10:45:00.000000
"""

import json
import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = '3f8a1c5d9e27'
down_revision: str | None = '9d4b7e21c3a6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
log = logging.getLogger("alembic.runtime.migration")

_THOUGHT = frozenset(
    "believe believed believes believing expect expected expecting expects fear feared "
    "fearing fears hope hoped hopes hoping know knowed knowing knows think thinking thinks "
    "thought worried worries worry worrying".split()
)
_EVIDENCE = frozenset(
    "conclude concluded concludes concluding estimated estimates estimating find finding "
    "finds found indicate indicated indicates indicating reveal revealed revealing reveals "
    "show showed showing shown shows suggest suggested suggesting suggests".split()
)
_AUXILIARIES = frozenset("has have had is was were are be been".split())
# The attribution member ends the claim JSON's attribution object, and inside a
# JSON string every quote is escaped: this occurs once in each claim's JSON.
_AFTER_ATTRIBUTION = '},"status":'

_claim = sa.table(
    "claim", sa.column("id", sa.Integer), sa.column("source_id", sa.Integer),
    sa.column("cue", sa.Text), sa.column("cue_kind", sa.String), sa.column("document", sa.Text),
    sa.column("attribution_method", sa.String),
)  # fmt: skip
_source = sa.table("source", sa.column("id", sa.Integer), sa.column("kind", sa.String))


def _kind(cue: str | None, source_kind: str | None, method: str) -> str | None:
    if source_kind is None or method == "manual":  # the article's own, or a person's choice
        return None
    if source_kind == "document":
        return "evidence"
    words = [w for w in (cue or "").lower().split() if w not in _AUXILIARIES]
    if words and words[0] in _THOUGHT:
        return "thought"
    if words and words[0] in _EVIDENCE and source_kind != "person":
        return "evidence"
    return "speech"


def _rewrite(conn: sa.Connection, member: object) -> None:
    """Each claim's cue_kind (or none) and its JSON with `member(kind)` in it."""
    update = (
        _claim.update()
        .where(_claim.c.id == sa.bindparam("row_id"))
        .values(
            cue_kind=sa.bindparam("kind"),
            document=sa.func.replace(_claim.c.document, sa.bindparam("old"), sa.bindparam("new")),
        )
    )
    query = sa.select(
        _claim.c.id, _claim.c.cue, _source.c.kind, _claim.c.attribution_method
    ).select_from(
        _claim.outerjoin(_source, _claim.c.source_id == _source.c.id)
    )
    after, count = 0, 0
    while True:
        rows = conn.execute(
            query.where(_claim.c.id > after).order_by(_claim.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        conn.execute(update, [member(*row) for row in rows])  # type: ignore[operator]
        after, count = rows[-1][0], count + len(rows)
        log.info("cue kind written for %d claims", count)


def _added(id_: int, cue: str | None, source_kind: str | None, method: str) -> dict[str, object]:
    kind = _kind(cue, source_kind, method)
    return {
        "row_id": id_, "kind": kind, "old": _AFTER_ATTRIBUTION,
        "new": f',"cue_kind":{json.dumps(kind)}{_AFTER_ATTRIBUTION}',
    }  # fmt: skip


def upgrade() -> None:
    if context.is_offline_mode():
        raise RuntimeError("this migration writes every claim's JSON: run it online")
    op.add_column("claim", sa.Column("cue_kind", sa.String(length=10), nullable=True))
    op.create_index("ix_claim_cue_kind_id", "claim", ["cue_kind", "id"], unique=False)
    _rewrite(op.get_bind(), _added)


def downgrade() -> None:
    if context.is_offline_mode():
        raise RuntimeError("this migration writes every claim's JSON: run it online")
    conn = op.get_bind()
    update = _claim.update().values(
        document=sa.func.replace(
            _claim.c.document, ',"cue_kind":' + sa.func.coalesce(
                '"' + _claim.c.cue_kind + '"', "null"
            ) + _AFTER_ATTRIBUTION, _AFTER_ATTRIBUTION,
        )
    )
    conn.execute(update)
    op.drop_index("ix_claim_cue_kind_id", table_name="claim")
    # SQLite 3.35 and later drop a column in place; a copy of the table would
    # cascade the old one's deletion to the claims' events and annotations.
    op.drop_column("claim", "cue_kind")

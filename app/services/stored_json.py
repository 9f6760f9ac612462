"""Writing the stored claim JSON (app.claim_json) again for every row."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, bindparam, func, select, update

from app.claim_json import CLAIM_COLUMNS, claim_pieces, source_tail
from app.models import Claim, Source, table_of

BATCH = 5000

_claim = table_of(Claim)
_source = table_of(Source)


def count_claims(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(_claim)).scalar_one()


def rewrite_all(connection: Connection, on_batch: Callable[[int], None] | None = None) -> int:
    """Write every source's and claim's JSON again from their columns, in the
    caller's transaction; ``on_batch`` hears how many claims each batch wrote.
    The number of claims."""
    sources = connection.execute(select(_source.c.id, _source.c.name, _source.c.kind)).all()
    if sources:
        connection.execute(
            update(_source).where(_source.c.id == bindparam("row_id")),
            [{"row_id": i, "json_tail": source_tail(name=n, kind=k)} for i, n, k in sources],
        )
    columns = [_claim.c.id, *(_claim.c[name] for name in CLAIM_COLUMNS)]
    after, count = 0, 0
    while True:
        query = select(*columns).where(_claim.c.id > after).order_by(_claim.c.id).limit(BATCH)
        rows = connection.execute(query).mappings().all()
        if not rows:
            return count
        connection.execute(
            update(_claim).where(_claim.c.id == bindparam("row_id")),
            [{"row_id": row["id"], **claim_pieces(row)} for row in rows],
        )
        after, count = rows[-1]["id"], count + len(rows)
        if on_batch is not None:
            on_batch(len(rows))

"""The stored claim JSON (app.claims.document) against the columns it was written from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select, update

from app.claims.document import claim_out, claim_pieces, document_sql
from app.models import Claim, Source, table_of
from app.schemas import SourceRefOut

_claim, _source = table_of(Claim), table_of(Source)
_c, _s = _claim.c, _source.c


def from_columns(row: Any) -> str:
    """What ClaimOut writes for a claim's columns (and its source's), whole."""
    c = row._mapping
    source = None
    if c[_s.id] is not None:
        source = SourceRefOut(id=c[_s.id], name=c[_s.name], kind=c[_s.kind])
    columns = {column.name: c[column] for column in _claim.columns}
    return claim_out(columns, claim_id=c[_c.id], source=source).model_dump_json()


def mismatches(engine: Engine) -> dict[int, tuple[str, str]]:
    """Claims whose stored JSON is not what their columns make: id -> (stored, expected)."""
    document = document_sql(_claim, _source).label("document")
    query = select(_claim, _s.id, _s.name, _s.kind, document).outerjoin(
        _source, _c.source_id == _s.id
    )
    found = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            c = row._mapping
            stored = c["document"]
            expected = from_columns(row)
            if stored != expected:
                found[c[_c.id]] = (stored, expected)
    return found


def set_columns(engine: Engine, claim_id: int, **values: Any) -> None:
    """Change a claim's columns as a loader of outside data would, its JSON with them."""
    with engine.begin() as conn:
        current = conn.execute(select(_claim).where(_c.id == claim_id)).one()
        values["json_tail"] = claim_pieces({**current._mapping, **values})["json_tail"]
        conn.execute(update(_claim).where(_c.id == claim_id).values(**values))

"""The stored claim JSON (app.claims.document) against the columns it was written from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select, update

from app.claims.document import claim_json
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
    return claim_json(columns, claim_id=c[_c.id], source=source)


def mismatches(engine: Engine) -> dict[int, tuple[str, str]]:
    """Claims whose stored JSON is not what their columns make: id -> (stored, expected)."""
    query = select(_claim, _s.id, _s.name, _s.kind).outerjoin(_source, _c.source_id == _s.id)
    found = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            stored, expected = row._mapping[_c.document], from_columns(row)
            if stored != expected:
                found[row._mapping[_c.id]] = (stored, expected)
    return found


def set_columns(engine: Engine, claim_id: int, **values: Any) -> None:
    """Change a claim's columns as a loader of outside data would, its JSON with them."""
    with engine.begin() as conn:
        query = select(_claim, _s.id, _s.name, _s.kind).outerjoin(_source, _c.source_id == _s.id)
        current = conn.execute(query.where(_c.id == claim_id)).one()._mapping
        source = None
        if current[_s.id] is not None:
            source = SourceRefOut(id=current[_s.id], name=current[_s.name], kind=current[_s.kind])
        columns = {column.name: current[column] for column in _claim.columns} | values
        values["document"] = claim_json(columns, claim_id=claim_id, source=source)
        conn.execute(update(_claim).where(_c.id == claim_id).values(**values))

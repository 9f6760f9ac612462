"""The stored claim JSON (app.claims.document) against the columns it was written from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Select, select, update

from app.claims.document import claim_json
from app.models import Claim, Source, table_of
from app.schemas import SourceRefOut

_claim, _source = table_of(Claim), table_of(Source)
_via = _source.alias("via")
_c, _s, _v = _claim.c, _source.c, _via.c

_WITH_SOURCES: Select[Any] = (
    select(_claim, _s.id, _s.name, _s.kind, _v.id, _v.name, _v.kind)
    .outerjoin(_source, _c.source_id == _s.id)
    .outerjoin(_via, _c.via_source_id == _v.id)
)
"""Each claim with the source it names and the source relaying it, as they are now."""


def _sources(c: Any) -> dict[int, SourceRefOut]:
    return {
        c[cols.id]: SourceRefOut(id=c[cols.id], name=c[cols.name], kind=c[cols.kind])
        for cols in (_s, _v)
        if c[cols.id] is not None
    }


def from_columns(row: Any) -> str:
    """What ClaimOut writes for a claim's columns (and its sources'), whole."""
    c = row._mapping
    columns = {column.name: c[column] for column in _claim.columns}
    return claim_json(columns, claim_id=c[_c.id], sources=_sources(c))


def mismatches(engine: Engine) -> dict[int, tuple[str, str]]:
    """Claims whose stored JSON is not what their columns make: id -> (stored, expected)."""
    found = {}
    with engine.connect() as conn:
        for row in conn.execute(_WITH_SOURCES):
            stored, expected = row._mapping[_c.document], from_columns(row)
            if stored != expected:
                found[row._mapping[_c.id]] = (stored, expected)
    return found


def set_columns(engine: Engine, claim_id: int, **values: Any) -> None:
    """Change a claim's columns as a loader of outside data would, its JSON with them."""
    with engine.begin() as conn:
        current = conn.execute(_WITH_SOURCES.where(_c.id == claim_id)).one()._mapping
        columns = {column.name: current[column] for column in _claim.columns} | values
        sources = {
            id_: SourceRefOut(id=id_, name=name, kind=kind)
            for id_, name, kind in conn.execute(
                select(_s.id, _s.name, _s.kind).where(
                    _s.id.in_([columns["source_id"], columns["via_source_id"]])
                )
            )
        }
        values["document"] = claim_json(columns, claim_id=claim_id, sources=sources)
        conn.execute(update(_claim).where(_c.id == claim_id).values(**values))

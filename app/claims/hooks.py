"""What the mapper's hooks (app.models) do to keep each claim's stored JSON
(app.claims.document) what its columns and its source say."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, inspect, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.claims.document import COLUMNS, claim_json, source_member
from app.models import Claim, Source, table_of
from app.schemas import SourceRefOut

_claim, _source = table_of(Claim), table_of(Source)
_CHANGED_MEMBERS = "claimdesk.source_members"


def source_refs(connection: Connection, source_ids: set[int]) -> dict[int, SourceRefOut]:
    """The sources as their claims name them.

    Read FOR SHARE (PostgreSQL): a concurrent change to a source's name waits for
    this write, or this write for it, so no claim keeps a name its source has lost.
    """
    if not source_ids:
        return {}
    s = _source.c
    rows = connection.execute(
        select(s.id, s.name, s.kind).where(s.id.in_(source_ids)).with_for_update(read=True)
    )
    return {id_: SourceRefOut(id=id_, name=name, kind=kind) for id_, name, kind in rows}


def _json(connection: Connection, claim: Claim) -> str:
    assert claim.id is not None
    source = None
    if claim.source_id is not None:
        source = source_refs(connection, {claim.source_id})[claim.source_id]
    columns: dict[str, Any] = {name: getattr(claim, name) for name in COLUMNS}
    return claim_json(columns, claim_id=claim.id, source=source)


def claim_inserted(connection: Connection, claim: Claim) -> None:
    text = _json(connection, claim)
    connection.execute(update(_claim).where(_claim.c.id == claim.id).values(document=text))
    set_committed_value(claim, "document", text)


def claim_changing(connection: Connection, claim: Claim) -> None:
    claim.document = _json(connection, claim)


def source_changing(source: Source) -> None:
    """Before a source's UPDATE: what its claims' `source` member is, and will be."""
    state = inspect(source)
    name, kind = state.attrs.name.history, state.attrs.kind.history
    if not (name.has_changes() or kind.has_changes()):
        return
    assert source.id is not None
    old = SourceRefOut(
        id=source.id,
        name=name.deleted[0] if name.deleted else source.name,
        kind=kind.deleted[0] if kind.deleted else source.kind,
    )
    new = SourceRefOut(id=source.id, name=source.name, kind=source.kind)
    state.info[_CHANGED_MEMBERS] = (source_member(old), source_member(new))


def source_changed(connection: Connection, source: Source) -> None:
    """After it (so that the source's row is locked first): its claims' JSON, in one
    UPDATE. Their versions stay: the claims did not change, their source's name did."""
    members = inspect(source).info.pop(_CHANGED_MEMBERS, None)
    if members is not None:
        old, new = members
        connection.execute(
            update(_claim)
            .where(_claim.c.source_id == source.id)
            .values(document=func.replace(_claim.c.document, old, new))
        )

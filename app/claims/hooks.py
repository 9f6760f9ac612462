"""What the mapper's hooks (app.models) do to keep each claim's stored JSON
(app.claims.document) what its columns and the sources it names say, and its band
keys' speaker (app.claims.matches) its source."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, inspect, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.claims.document import COLUMNS, claim_json, named_sources, source_member, via_member
from app.models import Article, Claim, ClaimBand, Source, table_of
from app.schemas import SourceRefOut

_claim, _source, _article = table_of(Claim), table_of(Source), table_of(Article)
_band = table_of(ClaimBand)
_CHANGED = "claimdesk.source_changed"
_MEMBERS = ((_claim.c.source_id, source_member), (_claim.c.via_source_id, via_member))
"""Each column that names a source, and what of a claim's JSON names it."""


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


def article_date(connection: Connection, article_id: int) -> datetime:
    """What a claim of this article sorts by as its `published_at`: the article's, or the
    time it was ingested when it gives none."""
    a = _article.c
    date: datetime = connection.execute(
        select(func.coalesce(a.published_at, a.created_at)).where(a.id == article_id)
    ).scalar_one()
    return date


def _json(connection: Connection, claim: Claim) -> str:
    assert claim.id is not None
    columns: dict[str, Any] = {name: getattr(claim, name) for name in COLUMNS}
    sources = source_refs(connection, named_sources(columns))
    return claim_json(columns, claim_id=claim.id, sources=sources)


def claim_inserted(connection: Connection, claim: Claim) -> None:
    text = _json(connection, claim)
    connection.execute(update(_claim).where(_claim.c.id == claim.id).values(document=text))
    set_committed_value(claim, "document", text)


def claim_changing(connection: Connection, claim: Claim) -> None:
    claim.document = _json(connection, claim)
    if inspect(claim).attrs.source_id.history.has_changes():
        b = _band.c
        connection.execute(
            update(_band).where(b.claim_id == claim.id).values(speaker=claim.source_id or 0)
        )


def source_changing(source: Source) -> None:
    """Before a source's UPDATE: how its claims name it (their `source` member and the
    start of their `via` member), and how they will."""
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
    state.info[_CHANGED] = (old, new)


def source_changed(connection: Connection, source: Source) -> None:
    """After it (so that the source's row is locked first): the JSON of the claims it
    makes and of those it relays, one UPDATE each (a claim it both makes and relays gets
    both). Their versions stay: the claims did not change, their source's name did."""
    changed = inspect(source).info.pop(_CHANGED, None)
    if changed is None:
        return
    old, new = changed
    for column, member in _MEMBERS:
        connection.execute(
            update(_claim)
            .where(column == source.id)
            .values(document=func.replace(_claim.c.document, member(old), member(new)))
        )

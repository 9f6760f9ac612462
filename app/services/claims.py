"""Reading claims: one query per page, the source joined in, the JSON as stored.

Each claim's JSON is stored ready to serve (app.claim_json): the database puts
each claim's pieces together, and a page is those texts joined, sent without
being parsed. The queries are compiled once per database and combination of
filters and run on the driver's cursor (app.reads.CompiledSelect).
Callers that need a claim as data get it parsed (`get_claim`, `all_article_claims`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import lru_cache, partial
from typing import Any

from sqlalchemy import Integer, bindparam, select
from sqlalchemy.engine import Dialect
from sqlmodel import col

from app.claim_json import claim_document
from app.errors import NotFound
from app.extraction import normalize_name
from app.models import Claim, Source, SourceName, table_of
from app.pagination import decode_cursor, encode_cursor
from app.reads import CompiledSelect, Db, Read, Rows, dialect_of

_c = table_of(Claim).c
_s = table_of(Source).c

_CLAIM_ROWS = select(
    _c.id, _c.start, _c.version, claim_document(table_of(Claim), table_of(Source))
).select_from(table_of(Claim).outerjoin(table_of(Source), _c.source_id == _s.id))
"""Per claim, the keys pages and ETags need, and its JSON (app.claim_json)."""


def _text(row: Sequence[Any]) -> str:
    """The claim JSON of a row of _CLAIM_ROWS."""
    text: str = row[3]
    return text


@dataclass(frozen=True, slots=True)
class ClaimFilters:
    source_id: int | None = None
    source_name: str | None = None
    status: str | None = None
    article_id: int | None = None
    attribution_type: str | None = None
    q: str | None = None
    updated_since: datetime | None = None

    def index_bounded(self) -> bool:
        """Whether an index finds the page with a short seek, whatever the table's size.

        True for no filter or one that a `(column, id)` index serves; a text search,
        a time range or an article (both sorted again by id) or two separate filters
        may scan or sort many rows.
        """
        given = {f.name for f in fields(self) if getattr(self, f.name) is not None}
        given = {"source_id" if name == "source_name" else name for name in given}
        return given in _INDEX_BOUNDED


_INDEX_BOUNDED = [
    set(),
    {"source_id"},
    {"source_id", "status"},
    {"status"},
    {"attribution_type"},
]


@dataclass(frozen=True, slots=True)
class ClaimsPage:
    """A page of claims as the database wrote them: one JSON text per claim."""

    items: list[str]
    next_cursor: str | None

    def json(self) -> bytes:
        items = ",".join(self.items)
        return f'{{"items":[{items}],"next_cursor":{json.dumps(self.next_cursor)}}}'.encode()


def _page(rows: Sequence[Sequence[Any]], limit: int, text_order: bool = False) -> ClaimsPage:
    """The page of a query that fetched ``limit + 1`` rows of _CLAIM_ROWS:
    the extra row says there is more; the last row's id, or (start, id), is the cursor."""
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = None
    if more:
        id_, start = rows[-1][0], rows[-1][1]
        cursor = encode_cursor(start, id_) if text_order else encode_cursor(id_)
    return ClaimsPage(items=[_text(row) for row in rows], next_cursor=cursor)


_EQUALS = {
    "source_id": _c.source_id,
    "status": _c.status,
    "article_id": _c.article_id,
    "attribution_type": _c.attribution_type,
}
_LIMIT = bindparam("limit", type_=Integer)
_SOURCE_BY_KEY = select(col(SourceName.source_id)).where(
    col(SourceName.key) == bindparam("source_key")
)


@lru_cache(maxsize=256)
def _list_query(dialect: Dialect, filters: frozenset[str], after: bool) -> CompiledSelect:
    """The page query for one combination of filters: compiled once, then reused."""
    query = _CLAIM_ROWS
    for name in sorted(filters & _EQUALS.keys()):
        query = query.where(_EQUALS[name] == bindparam(name))
    if "source_key" in filters:  # a name or an alias; one query with the page
        query = query.where(_c.source_id == _SOURCE_BY_KEY.scalar_subquery())
    if "q" in filters:
        query = query.where(_c.text.icontains(bindparam("q"), escape="/"))
    if "updated_since" in filters:
        query = query.where(_c.updated_at >= bindparam("updated_since"))
    if after:
        query = query.where(_c.id > bindparam("after"))
    return CompiledSelect.of(query.order_by(_c.id).limit(_LIMIT), dialect)


@lru_cache(maxsize=64)
def _query(dialect: Dialect, name: str) -> CompiledSelect:
    of_article = _CLAIM_ROWS.where(_c.article_id == bindparam("article_id"))
    in_text_order = of_article.order_by(_c.start, _c.id)
    queries = {
        "by_id": _CLAIM_ROWS.where(_c.id == bindparam("claim_id")),
        "of_article": in_text_order,
        "of_article_first_page": in_text_order.limit(_LIMIT),
        "of_article_next_page": in_text_order.where(
            (_c.start > bindparam("start"))
            | ((_c.start == bindparam("start")) & (_c.id > bindparam("after")))
        ).limit(_LIMIT),
    }
    return CompiledSelect.of(queries[name], dialect)


def like_escaped(text: str) -> str:
    """``text`` as a LIKE operand matching itself, with "/" as the escape character."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


def claims_page(
    *, dialect: Dialect, filters: ClaimFilters, limit: int, cursor: str | None
) -> Read[ClaimsPage]:
    """Claims in id order (oldest first), keyset-paged on id."""
    params = {f.name: v for f in fields(filters) if (v := getattr(filters, f.name)) is not None}
    if "source_name" in params:
        params["source_key"] = normalize_name(params.pop("source_name"))
    if "q" in params:
        params["q"] = like_escaped(params["q"])
    if cursor is not None:
        (params["after"],) = decode_cursor(cursor, 1)
    query = _list_query(dialect, frozenset(params.keys() - {"after"}), cursor is not None)
    return Read(
        query, {"limit": limit + 1, **params}, lambda rows: _page(rows, limit),
        index_bounded=filters.index_bounded(),
    )  # fmt: skip


def list_claims(*, db: Db, filters: ClaimFilters, limit: int, cursor: str | None) -> ClaimsPage:
    read = claims_page(dialect=dialect_of(db), filters=filters, limit=limit, cursor=cursor)
    return read.run(db)


def list_article_claims(*, db: Db, article_id: int, limit: int, cursor: str | None) -> ClaimsPage:
    """An article's claims in text order, keyset-paged on (start, id)."""
    dialect = dialect_of(db)
    if cursor is None:
        rows = _query(dialect, "of_article_first_page").rows(
            db, article_id=article_id, limit=limit + 1
        )
    else:
        start, after = decode_cursor(cursor, 2)
        rows = _query(dialect, "of_article_next_page").rows(
            db, article_id=article_id, start=start, after=after, limit=limit + 1
        )
    return _page(rows, limit, text_order=True)


def all_article_claims(db: Db, article_id: int) -> list[dict[str, Any]]:
    rows = _query(dialect_of(db), "of_article").rows(db, article_id=article_id)
    return [json.loads(_text(row)) for row in rows]


def claim_json(*, dialect: Dialect, claim_id: int) -> Read[tuple[int, str]]:
    """The claim's version and JSON text; 404 when there is no such claim."""
    return Read(_query(dialect, "by_id"), {"claim_id": claim_id}, partial(_one, claim_id))


def _one(claim_id: int, rows: Rows) -> tuple[int, str]:
    if not rows:
        raise NotFound(f"Claim {claim_id} does not exist.")
    return rows[0][2], _text(rows[0])


def get_claim(*, db: Db, claim_id: int) -> dict[str, Any]:
    _, text = claim_json(dialect=dialect_of(db), claim_id=claim_id).run(db)
    claim: dict[str, Any] = json.loads(text)
    return claim

"""The claim listing: its filters, its sorts, their keyset cursors, and full-text search.

Each combination of filters, sort and search is one statement, compiled once
(`list_query`). A page is keyset-paged on its sort's key and the id:

- `id` (the default without `q`): cursors are the id, as they always were;
- the other sorts: `<sort tag>.<key>.<id>`, so that a cursor handed out for one sort
  is refused (400) with another instead of silently seeking in the wrong order. A
  key is an integer in base 36: a time in microseconds since 0001-01-01 UTC, a
  number (confidence, relevance) as its IEEE 754 bits, so it comes back exact.

A search (`q`, app.search) runs on the database's full-text index: FTS5 and bm25
on SQLite (the `claim_fts` table), a tsvector, its GIN index and `ts_rank` on
PostgreSQL (`claim.search_vector`), both built by the migrations and kept in
step by the databases. Relevance is a key where lower is better (bm25 itself;
minus ts_rank), so that every sort is one (key, id) order. The hits first, as ids
and keys only; then their JSON, and where each matched as the database itself
marks it (FTS5's `highlight()`, PostgreSQL's `ts_headline`), between two Unicode
noncharacters that `_highlights` turns into offsets in the article text.
"""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    Select,
    bindparam,
    cast,
    column,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    tuple_,
)
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from app.claims.reads import CompiledSelect, Rows
from app.errors import InvalidCursor
from app.extraction import normalize_name
from app.models import Annotation, Article, Claim, SourceName, table_of
from app.pagination import MAX_ID, decode_cursor, encode_cursor
from app.search import STOPWORDS, SearchQuery, folded

_PUNCTUATED = re.compile(r"[^\w\s]").search

_claim = table_of(Claim)
_c = _claim.c
_article = table_of(Article)

_EQUALS = {
    "source_id": _c.source_id,
    "via_source_id": _c.via_source_id,
    "status": _c.status,
    "article_id": _c.article_id,
    "attribution_type": _c.attribution_type,
    "cue_kind": _c.cue_kind,
    "match_group": _c.match_group,
}


class Sort(StrEnum):
    """The orders of the claim listing."""

    id = "id"
    relevance = "relevance"
    published_desc = "-published_at"
    published = "published_at"
    confidence = "confidence"
    updated_desc = "-updated_at"


_TAGS = {
    Sort.relevance: "r",
    Sort.published_desc: "pd",
    Sort.published: "pa",
    Sort.confidence: "ca",
    Sort.updated_desc: "ud",
}
_DESCENDING = {Sort.published_desc, Sort.updated_desc}
_KEY_COLUMNS = {
    Sort.published_desc: _c.published_at,
    Sort.published: _c.published_at,
    Sort.confidence: _c.confidence,
    Sort.updated_desc: _c.updated_at,
}
_KEY_PART = "[0-9a-z]{1,13}"  # 36**13 > 2**64: any IEEE 754 double, any time in microseconds
CURSOR_PATTERN = (
    r"^([0-9a-z]{1,6}|(" + "|".join(sorted(_TAGS.values())) + r")\." + _KEY_PART
    + r"\.[0-9a-z]{1,6})$"
)  # fmt: skip
"""Every cursor of the claim listing: an id (sorted by id), or a sort's tag, key and id."""

_EPOCH = datetime(1, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class ClaimFilters:
    source_id: int | None = None
    source_name: str | None = None
    via_source_id: int | None = None
    status: str | None = None
    article_id: int | None = None
    attribution_type: str | None = None
    cue_kind: str | None = None
    match_group: int | None = None
    q: SearchQuery | None = None
    updated_since: datetime | None = None
    published_after: datetime | None = None
    published_before: datetime | None = None
    publisher: str | None = None
    language: str | None = None
    confidence_below: float | None = None
    has_annotations: bool | None = None

    def params(self, dialect: str = "sqlite") -> dict[str, Any]:
        """The filters given, as the list query's parameters: their names pick the query."""
        given = {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}
        if "source_name" in given:  # a name or an alias, found in the same query
            given["source_key"] = normalize_name(given.pop("source_name"))
        if "q" in given:
            search: SearchQuery = given["q"]
            given["q"] = search.fts5() if dialect == "sqlite" else search.websearch()
        if "language" in given:  # the tag, or one of its subtags: en finds en-GB
            given["language"] = given["language"].lower()
            given["language_prefix"] = given["language"] + "-%"
        if "has_annotations" in given:  # the query differs, not a value
            given["annotated" if given.pop("has_annotations") else "unannotated"] = None
        return given

    def may_scan(self, sort: Sort = Sort.id) -> bool:
        """Whether a page with these filters may scan or sort many rows (text search, a
        time range, an article's claims sorted again by id, two separate filters, a sort
        no index serves with them): on SQLite those run off the event loop."""
        return may_scan(frozenset(self.params()), sort)


def _served() -> set[tuple[frozenset[str], str | None]]:
    """What an index of the claim table serves in key order, read off the table:
    `(equality filters..., [sort column], id)` indexes, and none (the primary key)."""
    served: set[tuple[frozenset[str], str | None]] = {(frozenset(), None)}
    for index in _claim.indexes:
        names = [c.name for c in index.columns]
        if names[-1] != "id":
            continue
        if set(names[:-1]) <= _EQUALS.keys():
            served.add((frozenset(names[:-1]), None))
        if len(names) >= 2 and set(names[:-2]) <= _EQUALS.keys():
            served.add((frozenset(names[:-2]), names[-2]))
    return served


_SERVED = _served()


def may_scan(filters: frozenset[str], sort: Sort) -> bool:
    given = frozenset("source_id" if name == "source_key" else name for name in filters)
    if "q" in given or sort == Sort.relevance:
        return True
    key = _KEY_COLUMNS.get(sort)
    return (given, None if key is None else key.name) not in _SERVED


# The full-text index of each database, as SQL.

_FTS = table("claim_fts", column("rowid", Integer))
_FTS_TABLE: ColumnElement[Any] = literal_column("claim_fts")
_CONFIG: ColumnElement[Any] = literal_column("'claimdesk_english'::regconfig")
_SEARCH_VECTOR: ColumnElement[Any] = literal_column("claim.search_vector")
_OPEN, _CLOSE = "\ufdd0", "\ufdd1"
"""What the databases mark a hit's words with: noncharacters, which no text should hold."""
_HEADLINE = f"HighlightAll=true, StartSel={_OPEN}, StopSel={_CLOSE}"


def _tsquery() -> ColumnElement[Any]:
    return func.websearch_to_tsquery(_CONFIG, bindparam("q"))


def _match(dialect: Dialect) -> ColumnElement[Any]:
    if dialect.name == "sqlite":
        return _FTS_TABLE.op("MATCH")(bindparam("q"))
    return _SEARCH_VECTOR.op("@@")(_tsquery())


def _rank(dialect: Dialect) -> ColumnElement[Any]:
    """A hit's relevance, lower first: bm25 (negative, best lowest), or minus ts_rank."""
    if dialect.name == "sqlite":
        return func.bm25(_FTS_TABLE, type_=Float)
    return -ts_rank(_SEARCH_VECTOR, _tsquery())


def ts_rank(vector: ColumnElement[Any], tsquery: ColumnElement[Any]) -> ColumnElement[Any]:
    """ts_rank as double precision: its real comes back as a decimal that a cursor would
    not give back exact; a double's text is exact."""
    return cast(func.ts_rank(vector, tsquery), DOUBLE_PRECISION)


def _marked(dialect: Dialect) -> ColumnElement[Any]:
    """The claim's text with its hits marked, as the database found them."""
    if dialect.name == "sqlite":
        return (
            select(func.highlight(_FTS_TABLE, 0, literal(_OPEN), literal(_CLOSE)))
            .select_from(_FTS)
            .where(_match(dialect), _FTS.c.rowid == _c.id)
            .scalar_subquery()
        )
    return func.ts_headline(_CONFIG, _c.text, _tsquery(), literal(_HEADLINE))


# The statements.

_LIMIT = bindparam("limit", type_=Integer)
_SOURCE_BY_KEY = select(col(SourceName.source_id)).where(
    col(SourceName.key) == bindparam("source_key")
)
_a = _article.c
_ANNOTATED = exists().where(col(Annotation.claim_id) == _c.id)


def _conditions(dialect: Dialect, filters: frozenset[str]) -> list[ColumnElement[bool]]:
    where = [_EQUALS[name] == bindparam(name) for name in sorted(filters & _EQUALS.keys())]
    if "source_key" in filters:
        where.append(_c.source_id == _SOURCE_BY_KEY.scalar_subquery())
    if "q" in filters:
        where.append(_match(dialect))
    if "updated_since" in filters:
        where.append(_c.updated_at >= bindparam("updated_since"))
    if "published_after" in filters:
        where.append(_c.published_at >= bindparam("published_after", type_=_c.published_at.type))
    if "published_before" in filters:
        where.append(_c.published_at < bindparam("published_before", type_=_c.published_at.type))
    if "publisher" in filters:
        of_publisher = select(_a.id).where(_a.publisher == bindparam("publisher"))
        where.append(_c.article_id.in_(of_publisher))
    if "language" in filters:
        tag = func.lower(_a.language)
        in_language = select(_a.id).where(
            or_(tag == bindparam("language"), tag.like(bindparam("language_prefix")))
        )
        where.append(_c.article_id.in_(in_language))
    if "confidence_below" in filters:
        where.append(_c.confidence < bindparam("confidence_below", type_=Float))
    if "annotated" in filters:
        where.append(_ANNOTATED)
    if "unannotated" in filters:
        where.append(~_ANNOTATED)
    return where


def _key(dialect: Dialect, sort: Sort) -> ColumnElement[Any]:
    return _rank(dialect) if sort == Sort.relevance else _KEY_COLUMNS[sort]


_OF_THE_INDEX = {Sort.relevance, Sort.id}


def _seek(
    key: ColumnElement[Any], ident: ColumnElement[Any], descending: bool
) -> ColumnElement[bool]:
    """Past the cursor's (key, id) in the sort's order: one row-value comparison, which
    an index on (key, id) serves as a range."""
    cursor = tuple_(bindparam("key", type_=key.type), bindparam("after", type_=Integer))
    here = tuple_(key, ident)
    return here < cursor if descending else here > cursor


@lru_cache(maxsize=512)
def list_query(
    dialect: Dialect, filters: frozenset[str], sort: Sort, after: bool, marked: bool = True
) -> CompiledSelect:
    """The page query for one combination of filters and sort: compiled once, then reused.

    Its rows: id, start, version, the claim's JSON, the sort key (the id for `Sort.id`),
    and for a search with ``marked``, the claim's text and its text with the hits marked.
    """
    where = _conditions(dialect, filters)
    searching = "q" in filters
    # A search on SQLite with nothing else to check reads the FTS5 index alone (its rowid
    # is the claim's id), not a claim row per hit.
    index_alone = dialect.name == "sqlite" and filters == {"q"} and sort in _OF_THE_INDEX
    ident: ColumnElement[Any] = _FTS.c.rowid if index_alone else _c.id
    order: list[ColumnElement[Any]]
    if sort == Sort.id:
        key: ColumnElement[Any] = ident
        if after:
            where.append(ident > bindparam("after"))
        order = [ident]
    else:
        key = _key(dialect, sort)
        descending = sort in _DESCENDING
        if after:
            where.append(_seek(key, ident, descending))
        order = [key.desc(), ident.desc()] if descending else [key, ident]
    if not searching:
        query = select(_c.id, _c.start, _c.version, _c.document, key)
        return CompiledSelect.of(query.where(*where).order_by(*order).limit(_LIMIT), dialect)
    # The hits, ids and keys only; then their JSON, and their marked text, for the page alone.
    if index_alone:
        found = select(ident.label("id"), key.label("key")).select_from(_FTS)
    else:
        found = select(_c.id.label("id"), key.label("key")).select_from(_claim)
        if dialect.name == "sqlite":
            found = found.join(_FTS, _FTS.c.rowid == _c.id)
    hits = found.where(*where).order_by(*order).limit(_LIMIT).subquery("hits")
    page: Select[Any] = select(_c.id, _c.start, _c.version, _c.document, hits.c.key)
    if marked:
        page = page.add_columns(_c.text, _marked(dialect))
    page = page.select_from(hits.join(_claim, _c.id == hits.c.id))
    if sort == Sort.id:
        page = page.order_by(hits.c.id)
    elif sort in _DESCENDING:
        page = page.order_by(hits.c.key.desc(), hits.c.id.desc())
    else:
        page = page.order_by(hits.c.key, hits.c.id)
    return CompiledSelect.of(page, dialect)


# Cursors.


def encode_sorted_cursor(sort: Sort, key: Any, id_: int) -> str:
    if sort == Sort.id:
        return encode_cursor(id_)
    return f"{_TAGS[sort]}.{encode_cursor(_key_number(key))}.{encode_cursor(id_)}"


def decode_sorted_cursor(cursor: str, sort: Sort) -> dict[str, Any]:
    """The cursor's key and id as query parameters; 400 for a string that is not a cursor
    of this listing, or one handed out for another sort."""
    tag, _, rest = cursor.partition(".")
    given = next((s for s, t in _TAGS.items() if t == tag), Sort.id) if rest else Sort.id
    if given != sort:
        raise InvalidCursor(
            f"The cursor is one of the listing sorted by {given.value!r}, not {sort.value!r}: "
            "pass it back with the sort it came with."
        )
    if sort == Sort.id:
        (after,) = decode_cursor(cursor, 1)
        return {"after": after}
    if not re.fullmatch(CURSOR_PATTERN, cursor):
        raise InvalidCursor("The cursor is not one this listing issued.")
    number, id_ = rest.split(".")
    return {"key": _key_value(sort, int(number, 36)), "after": min(int(id_, 36), MAX_ID)}


def _key_number(key: Any) -> int:
    if isinstance(key, str):  # SQLite hands back times as text, in UTC
        key = datetime.fromisoformat(key)
    if isinstance(key, datetime):
        moment = key.replace(tzinfo=UTC) if key.tzinfo is None else key
        return (moment - _EPOCH) // timedelta(microseconds=1)
    number: int = struct.unpack(">Q", struct.pack(">d", float(key)))[0]
    return number


def _key_value(sort: Sort, number: int) -> Any:
    try:
        if sort in (Sort.published, Sort.published_desc, Sort.updated_desc):
            return _EPOCH + timedelta(microseconds=number)
        value: float = struct.unpack(">d", struct.pack(">Q", number))[0]
    except (OverflowError, struct.error):
        raise InvalidCursor("The cursor is not one this listing issued.") from None
    if value != value:  # NaN: no row has it
        raise InvalidCursor("The cursor is not one this listing issued.")
    return value


# Pages.


@dataclass(frozen=True, slots=True)
class ClaimsPage:
    """A page of claims as the database wrote them: one JSON text per claim."""

    items: list[str]
    next_cursor: str | None

    def json(self) -> bytes:
        items = ",".join(self.items)
        return f'{{"items":[{items}],"next_cursor":{json.dumps(self.next_cursor)}}}'.encode()


def page_of(rows: Rows, limit: int, sort: Sort) -> ClaimsPage:
    """The page of a `list_query` that fetched ``limit + 1`` rows: the extra row says
    there is more, the last row's key and id are the cursor. A search hit's JSON gains
    its `highlights`."""
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = None
    if more:
        last = rows[-1]
        cursor = encode_sorted_cursor(sort, last[4], last[0])
    if rows and len(rows[0]) > 5:
        items = [_with_highlights(row[3], _highlights(row[5], row[6], row[1])) for row in rows]
    else:
        items = [row[3] for row in rows]
    return ClaimsPage(items=items, next_cursor=cursor)


def _with_highlights(document: str, spans: Sequence[tuple[int, int]]) -> str:
    marks = ",".join(f'{{"start":{start},"end":{end}}}' for start, end in spans)
    return f'{document[:-1]},"highlights":[{marks}]}}'


def _joins(gap: str) -> bool:
    """Whether two marked words with this between them read as one span: nothing but
    spaces and stop words (FTS5 marks a phrase whole, stop words and all; PostgreSQL
    marks its words, and never a stop word)."""
    return all(folded(word) in STOPWORDS for word in gap.split()) and not _PUNCTUATED(gap)


def _highlights(text: str, marked: str | None, start: int) -> list[tuple[int, int]]:
    """Where the database marked the hit in the claim's text, as offsets in the article
    text; words marked one after the other, with only spaces and stop words between, are
    one span."""
    if marked is None or _OPEN in text or _CLOSE in text:
        return []  # nothing marked, or marks that cannot be told from the text
    spans: list[tuple[int, int]] = []
    offset, opened = 0, None
    for char in marked:
        if char == _OPEN:
            opened = offset
        elif char == _CLOSE and opened is not None:
            if spans and _joins(text[spans[-1][1] : opened]):
                spans[-1] = (spans[-1][0], offset)
            else:
                spans.append((opened, offset))
            opened = None
        else:
            offset += 1
    if marked.replace(_OPEN, "").replace(_CLOSE, "") != text:
        return []  # the database gave back other text than the claim's: no offsets to trust
    return [(start + a, start + b) for a, b in spans if b > a]


def list_params(
    filters: ClaimFilters, dialect: Dialect, sort: Sort, limit: int, cursor: str | None
) -> tuple[frozenset[str], bool, dict[str, Any]]:
    """The names that pick the query, whether it seeks past a cursor, and its parameters."""
    params = filters.params(dialect.name)
    names = frozenset(params)
    binds = {name: value for name, value in params.items() if value is not None}
    if cursor is not None:
        binds |= decode_sorted_cursor(cursor, sort)
    return names, cursor is not None, {"limit": limit + 1, **binds}

"""The ClaimStore: every read and write of claims, and the JSON they are served as."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import lru_cache
from typing import Any, Final

from sqlalchemy import Connection, Engine, Integer, bindparam, func, insert, select, text, update
from sqlalchemy.engine import Dialect
from sqlmodel import Session

from app import changes as feed
from app.claims.document import (
    COLUMNS,
    MATCH_COLUMNS,
    SPAN_COLUMNS,
    VIA_SPAN_COLUMNS,
    claim_json,
)
from app.claims.hooks import source_refs
from app.claims.listing import (
    ClaimFilters,
    ClaimsPage,
    Sort,
    list_params,
    list_query,
    may_scan,
    page_of,
)
from app.claims.matches import match_new
from app.claims.reads import CompiledSelect, Readers, Rows, rows_in, rows_on
from app.db import load_or_404, versioned_update, write_transaction
from app.errors import NotFound, Unprocessable
from app.extraction import canonical_source
from app.extraction.types import AttributionType, ExtractedClaim, SourceGuess
from app.models import (
    HAS_VERDICT,
    Article,
    AttributionMethod,
    ChangeType,
    Claim,
    ClaimBand,
    ClaimMatch,
    ClaimStatus,
    Source,
    column_size,
    table_of,
    utcnow,
)
from app.pagination import decode_cursor, decode_time_cursor, encode_cursor, encode_time_cursor
from app.preconditions import IfMatch
from app.schemas import ClaimOut, SourceRefOut
from app.services.source_registry import require_name, resolve_guesses

_claim = table_of(Claim)
_source = table_of(Source)
_c = _claim.c
_match = table_of(ClaimMatch)

_ROWS = select(_c.id, _c.start, _c.version, _c.document)
"""Per claim, the keys pages and ETags need, and its JSON."""


@dataclass(frozen=True, slots=True)
class VerdictsPage:
    """A page of the claims that have a verdict, in the order they last changed."""

    claims: list[ClaimOut]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class StoredClaim:
    version: int
    json: bytes


def _article_page(rows: Rows, limit: int) -> ClaimsPage:
    """The page of an article's claims that fetched ``limit + 1`` rows of _ROWS: the
    extra row says there is more; the last row's (start, id) is the cursor."""
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = encode_cursor(rows[-1][1], rows[-1][0]) if more else None
    return ClaimsPage(items=[row[3] for row in rows], next_cursor=cursor)


_LIMIT = bindparam("limit", type_=Integer)


@lru_cache(maxsize=64)
def _query(dialect: Dialect, name: str) -> CompiledSelect:
    of_article = _ROWS.where(_c.article_id == bindparam("article_id"))
    in_text_order = of_article.order_by(_c.start, _c.id)
    queries = {
        "by_id": _ROWS.where(_c.id == bindparam("claim_id")),
        "of_article": in_text_order,
        "of_article_first_page": in_text_order.limit(_LIMIT),
        "of_article_next_page": in_text_order.where(
            (_c.start > bindparam("start"))
            | ((_c.start == bindparam("start")) & (_c.id > bindparam("after")))
        ).limit(_LIMIT),
    }
    return CompiledSelect.of(queries[name], dialect)


def _article_params(article_id: int, limit: int, cursor: str | None) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {"article_id": article_id, "limit": limit + 1}
    if cursor is None:
        return "of_article_first_page", params
    params["start"], params["after"] = decode_cursor(cursor, 2)
    return "of_article_next_page", params


_MENTION_MAX = column_size(_c.mention)
_MENTIONS = (("mention", "mention_start", "mention_end"), VIA_SPAN_COLUMNS)
"""The words that name the source and the relaying source: (text, start, end) columns."""
EXPORT_BATCH = 1000


def spans(claim: ExtractedClaim) -> dict[str, Any]:
    """Where the text names the source, the reporting word and the relaying source, as
    stored and served; a runaway mention is cut to its column's size, its span with it."""
    found = {name: getattr(claim, name) for name in (*SPAN_COLUMNS, *VIA_SPAN_COLUMNS)}
    for text_column, start_column, end_column in _MENTIONS:
        mention, start = found[text_column], found[start_column]
        if mention is not None and start is not None and len(mention) > _MENTION_MAX:
            found |= {text_column: mention[:_MENTION_MAX], end_column: start + _MENTION_MAX}
    return found


def source_columns(
    claim: ExtractedClaim, source_ids: Mapping[SourceGuess, int]
) -> dict[str, int | None]:
    """The ids of the claim's source and of the source relaying it, from the ids the
    registry gave their guesses (app.services.source_registry.resolve_claim_sources)."""
    return {
        "source_id": None if claim.source is None else source_ids[claim.source],
        "via_source_id": None if claim.via is None else source_ids[claim.via],
    }


class _Unnamed(Enum):
    relay = "relay"


UNNAMED_RELAY: Final = _Unnamed.relay
"""`ClaimStore.attribute`'s relay when the request names none: the claim keeps its relay
while it keeps its source, and loses it with its source."""


class ClaimStore:
    """Every read and write of claims, and the JSON they are served as.

    Each claim's whole JSON is stored ready to serve (app.claims.document) and
    written with the claim: by `add_extracted` here, and by the mapper's hooks
    (app.models, app.claims.hooks) whenever a `Claim` or a `Source` is flushed.
    The reads of the API run where they cost least (app.claims.reads); the writes
    are versioned (app.db.versioned_update), with their audit event in the same
    transaction.

    Adding a claim field: its column (app.models.Claim), one migration that adds
    it and writes the stored JSON again, its member in schemas.ClaimOut, and one
    line in app.claims.document.FIELDS; a value the extractor gives also goes
    into the row `spans` makes of an extracted claim.
    """

    def __init__(self, engine: Engine, *, read_pool_size: int = 10, matching: bool = True) -> None:
        self.engine = engine
        self.dialect = engine.dialect
        self.readers = Readers.for_engine(engine, pool_size=read_pool_size)
        self.matching = matching
        """Whether ingest compares new claims with the stored ones (app.claims.matches)."""

    async def close(self) -> None:
        await self.readers.close()

    # The API's reads: on the event loop, or off it when they may scan.

    async def page(
        self, filters: ClaimFilters, *, limit: int, cursor: str | None, sort: Sort = Sort.id
    ) -> ClaimsPage:
        """Claims in the sort's order (by default, by id: oldest first), keyset-paged on
        the sort's key and the id; a search's hits with where they matched."""
        names, after, params = list_params(filters, self.dialect, sort, limit, cursor)
        rows = await self.readers.rows(
            list_query(self.dialect, names, sort, after), params, may_scan=may_scan(names, sort)
        )
        return page_of(rows, limit, sort)

    async def article_page(self, article_id: int, *, limit: int, cursor: str | None) -> ClaimsPage:
        """An article's claims in text order, keyset-paged on (start, id)."""
        name, params = _article_params(article_id, limit, cursor)
        rows = await self.readers.rows(_query(self.dialect, name), params, may_scan=False)
        return _article_page(rows, limit)

    async def get(self, claim_id: int) -> StoredClaim:
        """The claim's version and JSON; 404 when there is no such claim."""
        query = _query(self.dialect, "by_id")
        rows = await self.readers.rows(query, {"claim_id": claim_id}, may_scan=False)
        return _one(claim_id, rows)

    # Reads inside a session's transaction.

    def read(self, session: Session, claim_id: int) -> ClaimOut:
        rows = rows_in(session, _query(self.dialect, "by_id"), {"claim_id": claim_id})
        return ClaimOut.model_validate_json(_one(claim_id, rows).json)

    def of_article(self, session: Session, article_id: int) -> list[ClaimOut]:
        rows = rows_in(session, _query(self.dialect, "of_article"), {"article_id": article_id})
        return [ClaimOut.model_validate_json(row[3]) for row in rows]

    def documents(self, session: Session, claim_ids: Iterable[int]) -> dict[int, ClaimOut]:
        """These claims, by id, as they are served (the missing ones left out)."""
        ids = list(claim_ids)
        if not ids:
            return {}
        rows = session.execute(select(_c.id, _c.document).where(_c.id.in_(ids))).all()
        return {claim_id: ClaimOut.model_validate_json(doc) for claim_id, doc in rows}

    def with_verdicts(
        self,
        session: Session,
        *,
        updated_since: datetime | None,
        limit: int,
        cursor: str | None,
    ) -> VerdictsPage:
        """The claims that have a verdict, in the order they last changed (updated_at,
        then id), keyset-paged on both; a claim whose status stops being a verdict is no
        longer among them. Each page is a range of the partial index over these claims."""
        query = select(_c.id, _c.updated_at, _c.document).where(HAS_VERDICT[self.dialect.name])
        if updated_since is not None:
            query = query.where(_c.updated_at >= updated_since)
        if cursor is not None:
            at, after = decode_time_cursor(cursor)
            # The range first (what the index seeks to), then the ties at its start.
            query = query.where(_c.updated_at >= at, (_c.updated_at > at) | (_c.id > after))
        rows = session.execute(query.order_by(_c.updated_at, _c.id).limit(limit + 1)).all()
        more = len(rows) > limit
        rows = rows[:limit]
        return VerdictsPage(
            claims=[ClaimOut.model_validate_json(row.document) for row in rows],
            next_cursor=encode_time_cursor(rows[-1].updated_at, rows[-1].id) if more else None,
        )

    def require(self, session: Session, claim_id: int) -> Claim:
        """The claim's row; 404 when there is no such claim."""
        return load_or_404(session, Claim, claim_id)

    def export(self, filters: ClaimFilters) -> Iterator[str]:
        """Each matching claim's JSON, in id order, a short query per batch: memory stays
        flat and no transaction stays open for the length of the download.

        The first batch is read before this returns: a database that cannot answer
        is then the request's error (503), not a stream broken after its 200.
        """
        first = self._page_on_engine(filters, EXPORT_BATCH, None)
        return self._pages_from(filters, EXPORT_BATCH, first)

    def _pages_from(self, filters: ClaimFilters, batch: int, page: ClaimsPage) -> Iterator[str]:
        while True:
            yield from page.items
            if page.next_cursor is None:
                return
            page = self._page_on_engine(filters, batch, page.next_cursor)

    def _page_on_engine(self, filters: ClaimFilters, limit: int, cursor: str | None) -> ClaimsPage:
        names, after, params = list_params(filters, self.dialect, Sort.id, limit, cursor)
        query = list_query(self.dialect, names, Sort.id, after, marked=False)
        return page_of(rows_on(self.engine, query, params), limit, Sort.id)

    # Writes.

    def add_extracted(
        self,
        session: Session,
        *,
        article: Article,
        claims: Sequence[ExtractedClaim],
        source_ids: Mapping[SourceGuess, int],
        actor: str,
    ) -> list[int]:
        """Insert an article's claims in one statement, their JSON with them, and their
        matches; each in the changes feed. The claims' ids.

        ``source_ids`` has an id for every source and relay the claims name
        (app.services.source_registry.resolve_claim_sources)."""
        if not claims:
            return []
        assert article.id is not None
        article_id, text, now = article.id, article.text, utcnow()
        published_at = article.published_at or article.created_at
        connection = session.connection()
        sources = source_refs(connection, set(source_ids.values()))
        ids = self._new_ids(session, len(claims))
        rows = [
            {
                "id": claim_id,
                "article_id": article_id,
                "sentence_index": c.sentence_index,
                "start": c.start,
                "end": c.end,
                "text": text[c.start : c.end],
                **source_columns(c, source_ids),
                "attribution_type": c.type,
                "attribution_method": AttributionMethod.rule,
                "confidence": c.confidence,
                **spans(c),
                "status": ClaimStatus.unverified,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "published_at": published_at,
                **dict.fromkeys(("match_group", *MATCH_COLUMNS)),
            }
            for claim_id, c in zip(ids, claims, strict=True)
        ]
        # Before the claims go in: a claim matching one with a verdict is offered it.
        found = match_new(session, rows) if self.matching else None
        for row in rows:
            row["document"] = claim_json(row, claim_id=row["id"], sources=sources)
        session.execute(
            # render_nulls: one executemany, not one per pattern of missing values.
            insert(Claim).execution_options(render_nulls=True),
            rows,
        )
        feed.record_many(
            session,
            (
                {"type": ChangeType.claim_created, "resource_id": row["id"], "version": 1,
                 "actor": actor, "after": feed.snapshot("claim", row), "claim_id": row["id"]}
                for row in rows
            ),
        )  # fmt: skip
        if found is not None and found.bands:
            session.execute(insert(ClaimBand), found.bands)
        if found is not None and found.matches:
            match_ids = session.execute(
                insert(ClaimMatch).returning(_match.c.id, sort_by_parameter_order=True),
                found.matches,
            ).scalars()
            feed.record_many(
                session,
                (
                    {"type": ChangeType.match_created, "resource_id": match_id, "version": 1,
                     "actor": actor, "after": feed.snapshot("match", match),
                     "claim_id": match["claim_id"], "peer_claim_id": match["other_id"]}
                    for match_id, match in zip(match_ids, found.matches, strict=True)
                ),
            )  # fmt: skip
        return ids

    def _new_ids(self, session: Session, count: int) -> list[int]:
        """Ids for claims about to be inserted, whose JSON carries them."""
        if self.dialect.name == "postgresql":
            allocate = text(
                "SELECT nextval(pg_get_serial_sequence('claim', 'id')) "
                "FROM generate_series(1, :count)"
            )
            return list(session.execute(allocate, {"count": count}).scalars())
        # SQLite: the write transaction holds the database's write lock (BEGIN
        # IMMEDIATE), so no other writer can take the ids after the largest.
        last = session.execute(select(func.max(_c.id))).scalar() or 0
        return list(range(last + 1, last + 1 + count))

    def set_status(
        self,
        session: Session,
        *,
        claim_id: int,
        status: ClaimStatus,
        note: str | None,
        actor: str,
        if_match: IfMatch,
    ) -> ClaimOut:
        """Set the verification status; the same status again changes nothing."""
        with write_transaction(session):
            claim = self.require(session, claim_id)
            before = claim.status
            values: dict[str, Any] = {"status": status}
            if status != before:  # a person decided: the offered verdict has done its work
                values |= {"suggested_status": None, "suggested_from": None}
            if versioned_update(session, claim, if_match, values):
                feed.record(
                    session, ChangeType.claim_status_changed, claim_id, actor=actor,
                    version=claim.version, before={"status": before}, after={"status": status},
                    note=note, claim_id=claim_id,
                )  # fmt: skip
        return self.read(session, claim_id)

    def attribute(
        self,
        session: Session,
        *,
        claim_id: int,
        source_id: int | None,
        source_name: str | None,
        attribution_type: AttributionType | None,
        reason: str | None,
        actor: str,
        if_match: IfMatch,
        via_source_id: int | None | _Unnamed = UNNAMED_RELAY,
    ) -> ClaimOut:
        """Set, change or clear (both None) a claim's source, and the source relaying it
        (None: no relay); the method becomes manual.

        A name finds a source by its name or an alias, or creates it. The extractor's
        spans go with the source or the relay they named.
        """
        with write_transaction(session):
            claim = self.require(session, claim_id)
            if_match.check(claim.version)
            new_source_id = self._source_id(session, source_id, source_name, actor)
            if via_source_id is UNNAMED_RELAY:
                same = new_source_id == claim.source_id
                new_via_id = claim.via_source_id if same else None
            else:
                new_via_id = via_source_id
                if via_source_id is not None:
                    _require_source(session, via_source_id, "body.via_source_id")
            before = _attribution(claim)
            changes: dict[str, Any] = {
                "source_id": new_source_id,
                "via_source_id": new_via_id,
                "attribution_method": AttributionMethod.manual,
                "confidence": 1.0,
            }
            # The words in the text that named the old source (or relay) do not name the new one.
            if new_source_id != claim.source_id:
                changes |= dict.fromkeys(SPAN_COLUMNS)
            if new_via_id != claim.via_source_id:
                changes |= dict.fromkeys(VIA_SPAN_COLUMNS)
            if new_source_id is None:  # the article's own statement
                changes["attribution_type"] = AttributionType.unattributed
            elif attribution_type is not None:
                changes["attribution_type"] = attribution_type
            elif claim.attribution_type == AttributionType.unattributed:
                changes["attribution_type"] = AttributionType.indirect
            if versioned_update(session, claim, if_match, changes):
                feed.record(
                    session, ChangeType.claim_attributed, claim_id, actor=actor,
                    version=claim.version, before=before, after=_attribution(claim),
                    note=reason, claim_id=claim_id,
                )  # fmt: skip
        return self.read(session, claim_id)

    @staticmethod
    def _source_id(
        session: Session, source_id: int | None, source_name: str | None, actor: str
    ) -> int | None:
        if source_id is not None:
            _require_source(session, source_id, "body.source_id")
            return source_id
        if source_name is not None:
            guess = canonical_source(source_name)
            require_name(guess.name, "body.source_name")
            return resolve_guesses(session, [guess], actor=actor).popitem()[1]
        return None


def _attribution(claim: Claim) -> dict[str, Any]:
    """What an attribution changes, as the feed names it."""
    tracked = feed.row_snapshot("claim", claim)
    return {name: tracked[name] for name in _ATTRIBUTION_FIELDS}


_ATTRIBUTION_FIELDS = ("source_id", "via_source_id", "attribution_type", "method", "confidence")


def _require_source(session: Session, source_id: int, field: str) -> None:
    """422 for a source id that names no source."""
    if session.get(Source, source_id) is None:
        raise Unprocessable(
            f"Source {source_id} does not exist.",
            errors=[{"field": field, "message": "unknown source", "type": "not_found"}],
        )


def _one(claim_id: int, rows: Rows) -> StoredClaim:
    if not rows:
        raise NotFound(f"Claim {claim_id} does not exist.")
    return StoredClaim(version=rows[0][2], json=rows[0][3].encode())


REWRITE_BATCH = 5000


def count_claims(connection: Connection) -> int:
    return connection.execute(select(func.count()).select_from(_claim)).scalar_one()


def rewrite_json(connection: Connection, on_batch: Callable[[int], None] | None = None) -> int:
    """Write every claim's stored JSON again from its columns and its source, in the
    caller's transaction: for rows changed outside the API. ``on_batch`` hears how
    many claims each batch wrote. The number of claims."""
    s = _source.c
    sources = {
        id_: SourceRefOut(id=id_, name=name, kind=kind)
        for id_, name, kind in connection.execute(select(s.id, s.name, s.kind))
    }
    columns = [_c.id, *(_c[name] for name in COLUMNS)]
    after, count = 0, 0
    while True:
        query = select(*columns).where(_c.id > after).order_by(_c.id).limit(REWRITE_BATCH)
        rows = connection.execute(query).mappings().all()
        if not rows:
            return count
        connection.execute(
            update(_claim).where(_c.id == bindparam("row_id")),
            [
                {
                    "row_id": row["id"],
                    "document": claim_json(dict(row), claim_id=row["id"], sources=sources),
                }
                for row in rows
            ],
        )
        after, count = rows[-1]["id"], count + len(rows)
        if on_batch is not None:
            on_batch(len(rows))

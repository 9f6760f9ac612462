"""The source registry: names, aliases, and finding or creating a source."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.claim_json import source_tail
from app.db import begin_write
from app.errors import Conflict, NotFound, Unprocessable
from app.extraction import normalize_name
from app.extraction.types import SourceGuess
from app.models import Claim, Source, SourceName, utcnow
from app.pagination import decode_cursor, keyset_page
from app.preconditions import IfMatch
from app.schemas import SourceIn, SourcePatch

NAME_MAX = 200  # the columns' sizes: extraction can produce longer (runaway) mentions
DESCRIPTION_MAX = 500


def find_source_ids(session: Session, names: Iterable[str]) -> dict[str, int]:
    """The source id behind each name or alias that is known, keyed by normalized name."""
    keys = {normalize_name(n) for n in names if n and n.strip()}
    if not keys:
        return {}
    rows = session.execute(
        select(col(SourceName.key), col(SourceName.source_id)).where(col(SourceName.key).in_(keys))
    )
    return {key: source_id for key, source_id in rows}


def _lookup_keys(guess: SourceGuess) -> list[str]:
    """The keys that may find a guess's source.

    A full name finds only itself: "Jane Smith" must not become John Smith
    through his alias "Smith". A one-word name ("Peskov", "TASS") is the alias
    it is, so it finds whoever holds it.
    """
    name = normalize_name(guess.name)
    return [name] if " " in name else [name, *(normalize_name(a) for a in guess.aliases)]


def resolve_guesses(session: Session, guesses: Iterable[SourceGuess]) -> dict[SourceGuess, int]:
    """A source id for every guess: a known name or alias, or a new source."""
    # Sorted, so two ingests creating the same new sources take their unique-key
    # locks in the same order and cannot deadlock on PostgreSQL.
    distinct = sorted(dict.fromkeys(guesses), key=lambda g: normalize_name(g.name))
    known = find_source_ids(
        session, [n for g in distinct for n in (g.name, *g.aliases, g.affiliation or "")]
    )
    resolved: dict[SourceGuess, int] = {}
    for guess in distinct:
        found = next((known[k] for k in _lookup_keys(guess) if k in known), None)
        if found is None:
            found = _create_from_guess(session, guess, known)
            for key in (normalize_name(n) for n in (guess.name, *guess.aliases)):
                known.setdefault(key, found)
        resolved[guess] = found
    return resolved


def _create_from_guess(session: Session, guess: SourceGuess, known: dict[str, int]) -> int:
    affiliation_id = known.get(normalize_name(guess.affiliation)) if guess.affiliation else None
    # Aliases another source already answers to stay with it.
    aliases = [a for a in guess.aliases if normalize_name(a) not in known]
    try:
        # A savepoint: a concurrent ingest may create the same name first.
        with session.begin_nested():
            name = guess.name[:NAME_MAX]
            source = Source(
                name=name,
                kind=guess.kind,
                description=(guess.description or "")[:DESCRIPTION_MAX] or None,
                affiliation_id=affiliation_id,
                json_tail=source_tail(name=name, kind=guess.kind),
            )
            session.add(source)
            session.flush()
            assert source.id is not None
            _add_names(session, source.id, guess.name, aliases)
            return source.id
    except IntegrityError:
        # Someone committed one of these names first: theirs is the source.
        existing = find_source_ids(session, [guess.name, *guess.aliases])
        for key in _lookup_keys(guess):
            if key in existing:
                return existing[key]
        raise


def _add_names(session: Session, source_id: int, name: str, aliases: Iterable[str]) -> None:
    seen: set[str] = set()
    for i, text in enumerate((name, *aliases)):
        key = normalize_name(text)[:NAME_MAX]
        if not key or key in seen:
            continue
        seen.add(key)
        session.add(
            SourceName(source_id=source_id, name=text[:NAME_MAX], key=key, is_primary=i == 0)
        )
    session.flush()


def require_name(name: str, field: str) -> None:
    """422 for a name without a letter or a digit (" ", "—", "...")."""
    if not any(ch.isalnum() for ch in name):
        raise Unprocessable(
            f"{name!r} is not a name.",
            errors=[{"field": field, "message": "no letters or digits", "type": "value_error"}],
        )


def source_ref(row: Any) -> dict[str, Any] | None:
    return None if row is None else {"id": row.id, "name": row.name, "kind": row.kind}


def _source_dicts(session: Session, sources: list[Source]) -> list[dict[str, Any]]:
    """Sources with aliases, affiliation and claim counts: three batched queries per page."""
    ids = [s.id for s in sources]
    if not ids:
        return []
    aliases: dict[int, list[str]] = {i: [] for i in ids if i is not None}
    for source_id, name in session.execute(
        select(col(SourceName.source_id), col(SourceName.name))
        .where(col(SourceName.source_id).in_(ids), col(SourceName.is_primary).is_(False))
        .order_by(col(SourceName.id))
    ):
        aliases[source_id].append(name)
    counts: dict[int, int] = {
        source_id: n
        for source_id, n in session.execute(
            select(col(Claim.source_id), func.count())
            .where(col(Claim.source_id).in_(ids))
            .group_by(col(Claim.source_id))
        )
    }
    affiliation_ids = {s.affiliation_id for s in sources if s.affiliation_id is not None}
    affiliations = {
        a.id: a
        for a in session.execute(
            select(Source).where(col(Source.id).in_(affiliation_ids))
        ).scalars()
    }
    return [
        {
            "id": s.id,
            "name": s.name,
            "kind": s.kind,
            "description": s.description,
            "affiliation": source_ref(affiliations.get(s.affiliation_id or 0)),
            "aliases": aliases[s.id] if s.id is not None else [],
            "claim_count": counts.get(s.id or 0, 0),
            "version": s.version,
            "created_at": s.created_at,
            "updated_at": s.updated_at,
        }
        for s in sources
    ]


def list_sources(
    *, session: Session, limit: int, cursor: str | None, q: str | None = None
) -> dict[str, Any]:
    query = select(Source).order_by(col(Source.id)).limit(limit + 1)
    if cursor is not None:
        (after,) = decode_cursor(cursor, 1)
        query = query.where(col(Source.id) > after)
    if q:
        matching = select(col(SourceName.source_id)).where(
            col(SourceName.key).contains(normalize_name(q), autoescape=True)
        )
        query = query.where(col(Source.id).in_(matching))
    sources = list(session.execute(query).scalars())
    return keyset_page(_source_dicts(session, sources), limit)


def load_source(session: Session, source_id: int, *, for_update: bool = False) -> Source:
    # FOR UPDATE serializes concurrent writers on PostgreSQL; SQLite's writers
    # already are (BEGIN IMMEDIATE).
    source = session.get(Source, source_id, with_for_update=for_update)
    if source is None:
        raise NotFound(f"Source {source_id} does not exist.")
    return source


def get_source(*, session: Session, source: Source) -> dict[str, Any]:
    return _source_dicts(session, [source])[0]


def _check_names_free(session: Session, names: Iterable[str], source_id: int | None) -> None:
    taken = {
        key: owner for key, owner in find_source_ids(session, names).items() if owner != source_id
    }
    if taken:
        key, owner = next(iter(taken.items()))
        raise Conflict(f"The name {key!r} already belongs to source {owner}.", source_id=owner)


def _affiliation_error(message: str, kind: str) -> dict[str, str]:
    return {"field": "body.affiliation_id", "message": message, "type": kind}


def _check_affiliation(session: Session, affiliation_id: int | None, source_id: int | None) -> None:
    if affiliation_id is None:
        return
    if affiliation_id == source_id:
        raise Unprocessable(
            "A source cannot be affiliated with itself.",
            errors=[_affiliation_error("is this source", "value_error")],
        )
    if session.get(Source, affiliation_id) is None:
        raise Unprocessable(
            f"Source {affiliation_id} does not exist.",
            errors=[_affiliation_error("unknown source", "not_found")],
        )


def create_source(*, session: Session, data: SourceIn) -> Source:
    """A new source; 409 when its name or an alias already names another one."""
    require_name(data.name, "body.name")
    for alias in data.aliases:
        require_name(alias, "body.aliases")
    begin_write(session)
    _check_names_free(session, [data.name, *data.aliases], None)
    _check_affiliation(session, data.affiliation_id, None)
    source = Source(
        name=data.name,
        kind=data.kind,
        description=data.description,
        affiliation_id=data.affiliation_id,
        json_tail=source_tail(name=data.name, kind=data.kind),
    )
    session.add(source)
    try:
        session.flush()
        assert source.id is not None
        _add_names(session, source.id, data.name, data.aliases)
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("A name or alias of this source was just taken by another.") from None
    return source


def update_source(
    *, session: Session, source_id: int, data: SourcePatch, if_match: IfMatch
) -> Source:
    """Change the fields given; names and aliases stay unique across sources."""
    begin_write(session)
    source = load_source(session, source_id, for_update=True)
    if_match.check(source.version)
    changes = data.model_dump(exclude_unset=True)
    name = changes.get("name", source.name)
    require_name(name, "body.name")
    for alias in changes.get("aliases", ()):
        require_name(alias, "body.aliases")
    try:
        if "name" in changes or "aliases" in changes:
            aliases = changes.get("aliases")
            if aliases is None:
                aliases = [
                    n
                    for (n,) in session.execute(
                        select(col(SourceName.name)).where(
                            col(SourceName.source_id) == source_id,
                            col(SourceName.is_primary).is_(False),
                        )
                    )
                ]
            _check_names_free(session, [name, *aliases], source_id)
            session.execute(delete(SourceName).where(col(SourceName.source_id) == source_id))
            # Flushes: a name a concurrent writer just took fails here, as a 409.
            _add_names(session, source_id, name, aliases)
        if "affiliation_id" in changes:
            _check_affiliation(session, changes["affiliation_id"], source_id)
        for field in ("name", "kind", "description", "affiliation_id"):
            if field in changes:
                setattr(source, field, changes[field])
        source.json_tail = source_tail(name=source.name, kind=source.kind)
        source.version += 1
        source.updated_at = utcnow()
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("A name or alias of this source was just taken by another.") from None
    return source

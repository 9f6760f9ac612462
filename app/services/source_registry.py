"""The source registry: names, aliases, and finding or creating a source."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app.changes import record, row_snapshot
from app.db import load_or_404, versioned_update, write_transaction
from app.errors import Conflict, Unprocessable
from app.extraction import normalize_name
from app.extraction.types import ExtractedClaim, SourceGuess
from app.models import ChangeType, Claim, Source, SourceName, column_size
from app.pagination import decode_cursor, keyset_page
from app.preconditions import IfMatch
from app.schemas import SourceIn, SourceOut, SourcePage, SourcePatch, SourceRefOut

# Extraction can produce longer (runaway) names than the columns hold.
NAME_MAX = column_size(SourceName.__table__.c.name)  # type: ignore[attr-defined]
DESCRIPTION_MAX = column_size(Source.__table__.c.description)  # type: ignore[attr-defined]
NAME_TAKEN = "A name or alias of this source was just taken by another."


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


def resolve_guesses(
    session: Session, guesses: Iterable[SourceGuess], *, actor: str
) -> dict[SourceGuess, int]:
    """A source id for every guess: a known name or alias, or a new source (created by
    ``actor``, as the changes feed says)."""
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
            found = _create_from_guess(session, guess, known, actor)
            for key in (normalize_name(n) for n in (guess.name, *guess.aliases)):
                known.setdefault(key, found)
        resolved[guess] = found
    return resolved


def resolve_claim_sources(
    session: Session, claims: Iterable[ExtractedClaim], *, actor: str
) -> dict[SourceGuess, int]:
    """A source id for every source the claims name: each one's source, and the source
    relaying it ("TASS reported that Peskov said ...": Peskov and TASS)."""
    return resolve_guesses(
        session,
        [guess for c in claims for guess in (c.source, c.via) if guess is not None],
        actor=actor,
    )


def _create_from_guess(
    session: Session, guess: SourceGuess, known: dict[str, int], actor: str
) -> int:
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
            )
            session.add(source)
            session.flush()
            assert source.id is not None
            _add_names(session, source.id, guess.name, aliases)
    except IntegrityError:
        # Someone committed one of these names first: theirs is the source.
        existing = find_source_ids(session, [guess.name, *guess.aliases])
        for key in _lookup_keys(guess):
            if key in existing:
                return existing[key]
        raise
    _record_created(session, source, actor)
    return source.id


def _record_created(session: Session, source: Source, actor: str) -> None:
    assert source.id is not None
    after = row_snapshot("source", source, aliases=_aliases(session, source.id))
    record(
        session, ChangeType.source_created, source.id, actor=actor, version=source.version,
        after=after,
    )  # fmt: skip


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


def _source_ref(source: Source | None) -> SourceRefOut | None:
    if source is None:
        return None
    return SourceRefOut.model_validate({"id": source.id, "name": source.name, "kind": source.kind})


def _source_outs(session: Session, sources: list[Source]) -> list[SourceOut]:
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
        SourceOut.model_validate(
            {
                "id": s.id,
                "name": s.name,
                "kind": s.kind,
                "description": s.description,
                "affiliation": _source_ref(affiliations.get(s.affiliation_id or 0)),
                "aliases": aliases[s.id] if s.id is not None else [],
                "same_as": s.same_as,
                "claim_count": counts.get(s.id or 0, 0),
                "version": s.version,
                "created_at": s.created_at,
                "updated_at": s.updated_at,
            }
        )
        for s in sources
    ]


def list_sources(
    *, session: Session, limit: int, cursor: str | None, q: str | None = None
) -> SourcePage:
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
    return SourcePage.model_validate(keyset_page(_source_outs(session, sources), limit))


def source_out(session: Session, source: Source) -> SourceOut:
    return _source_outs(session, [source])[0]


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


def create_source(*, session: Session, data: SourceIn, actor: str) -> SourceOut:
    """A new source; 409 when its name or an alias already names another one."""
    require_name(data.name, "body.name")
    for alias in data.aliases:
        require_name(alias, "body.aliases")
    with write_transaction(session, conflict=NAME_TAKEN):
        _check_names_free(session, [data.name, *data.aliases], None)
        _check_affiliation(session, data.affiliation_id, None)
        source = Source(
            name=data.name,
            kind=data.kind,
            description=data.description,
            affiliation_id=data.affiliation_id,
            same_as=[str(url) for url in data.same_as],
        )
        session.add(source)
        session.flush()
        assert source.id is not None
        _add_names(session, source.id, data.name, data.aliases)
        _record_created(session, source, actor)
    return source_out(session, source)


def update_source(
    *, session: Session, source_id: int, data: SourcePatch, if_match: IfMatch, actor: str
) -> SourceOut:
    """Change the fields given; names and aliases stay unique across sources. A
    change that changes nothing keeps the version."""
    changes = data.model_dump(exclude_unset=True)
    if "same_as" in changes:  # stored as the addresses' text
        changes["same_as"] = [str(url) for url in data.same_as]
    for alias in changes.get("aliases", ()):
        require_name(alias, "body.aliases")
    with write_transaction(session, conflict=NAME_TAKEN):
        source = load_or_404(session, Source, source_id)
        if_match.check(source.version)
        name = changes.get("name", source.name)
        require_name(name, "body.name")
        aliases = _aliases(session, source_id)
        new_aliases = changes.pop("aliases", aliases)
        renamed = name != source.name or new_aliases != aliases
        if "affiliation_id" in changes:
            _check_affiliation(session, changes["affiliation_id"], source_id)
        if renamed:
            _check_names_free(session, [name, *new_aliases], source_id)
        before = row_snapshot("source", source, aliases=aliases)
        # The source's row first: its UPDATE names the version read, and holds the
        # row until the commit, so a concurrent writer waits, then gets 412.
        if not versioned_update(session, source, if_match, changes, touch=renamed):
            return source_out(session, source)
        if renamed:
            session.execute(delete(SourceName).where(col(SourceName.source_id) == source_id))
            # Flushes: a name a concurrent writer just took fails here, as a 409.
            _add_names(session, source_id, name, new_aliases)
        after = row_snapshot("source", source, aliases=_aliases(session, source_id))
        record(
            session, ChangeType.source_updated, source_id, actor=actor, version=source.version,
            before=before, after=after,
        )  # fmt: skip
    return source_out(session, source)


def _aliases(session: Session, source_id: int) -> list[str]:
    return list(
        session.execute(
            select(col(SourceName.name))
            .where(col(SourceName.source_id) == source_id, col(SourceName.is_primary).is_(False))
            .order_by(col(SourceName.id))
        ).scalars()
    )

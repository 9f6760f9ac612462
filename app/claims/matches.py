"""Matching a claim against the stored claims: the part of ingest and of the match
workflow that writes claims (app.services.matching has the rest).

Each claim's MinHash band keys (app.matching) are stored in `claim_band`; a new
claim is compared with the stored claims that share a key, by the same speaker
(the same source, or both the article's own) and from another article.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

from sqlalchemy import TextClause, func, or_, text
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from app import changes as feed
from app.matching import Fingerprint, Similarity, band_keys, compare, fingerprint
from app.models import (
    VERDICTS,
    Article,
    ChangeType,
    Claim,
    ClaimBand,
    ClaimMatch,
    MatchState,
    utcnow,
)
from app.services.appearances import first_appearance_order

_CANDIDATES = 100
"""Stored claims compared at most per new claim or lookup: those sharing the most band keys."""


@dataclass(frozen=True, slots=True)
class Stored:
    id: int
    text: str
    source_id: int | None
    article_id: int
    status: str


@dataclass(slots=True)
class Found:
    """What matching adds to an ingest: the new claims' band keys and their matches."""

    bands: list[dict[str, int]]
    matches: list[dict[str, Any]]


def match_new(session: Session, rows: Sequence[dict[str, Any]]) -> Found:
    """Match claims about to be inserted (rows with their ids) against the stored ones.

    Sets each row's `suggested_status` and `suggested_from` when its best match with
    a verdict has one; returns the band keys and the matches to insert with them."""
    prints = {row["id"]: fingerprint(row["text"]) for row in rows}
    wanted = {
        row["id"]: (speaker_of(row["source_id"]), sorted(set(band_keys(prints[row["id"]]))))
        for row in rows
    }
    bands = [
        {"key": key, "claim_id": claim_id, "speaker": speaker}
        for claim_id, (speaker, keys) in wanted.items()
        for key in keys
    ]
    stored = candidates_by_speaker(session, wanted)
    matches: list[dict[str, Any]] = []
    for row in rows:
        best_verdict: tuple[float, Stored] | None = None
        for other, similarity in similar(prints[row["id"]], stored[row["id"]]):
            if other.article_id == row["article_id"] or other.source_id != row["source_id"]:
                continue  # the same article's other sentence; another speaker's claim
            matches.append(
                {
                    "claim_id": row["id"],
                    "other_id": other.id,
                    "score": similarity.score,
                    "reason": similarity.reason,
                    "state": MatchState.suggested,
                    "version": 1,
                    "created_at": row["created_at"],
                    "updated_at": row["created_at"],
                }
            )
            if other.status in VERDICTS and (
                best_verdict is None or similarity.score > best_verdict[0]
            ):
                best_verdict = (similarity.score, other)
        if best_verdict is not None:
            row["suggested_status"] = best_verdict[1].status
            row["suggested_from"] = best_verdict[1].id
    return Found(bands=bands, matches=matches)


def speaker_of(source_id: int | None) -> int:
    """A claim's speaker as its band keys store it: its source, 0 for the article's own."""
    return source_id or 0


def regroup(session: Session, seeds: set[int], *, actor: str) -> None:
    """Give every claim of the seeds' confirmed groups its group and first appearance;
    each claim that changes is a `claim.updated` change of the feed, by ``actor``."""
    done: set[int] = set()
    for seed in seeds:
        if seed in done:
            continue
        group = _confirmed_component(session, seed)
        done |= group
        members = session.exec(select(Claim).where(col(Claim.id).in_(group))).all()
        articles = {
            a.id: a
            for a in session.exec(
                select(Article).where(col(Article.id).in_({c.article_id for c in members}))
            ).all()
        }
        alone = len(group) == 1
        first = min(
            members, key=lambda c: (first_appearance_order(articles[c.article_id]), c.id or 0)
        )
        for claim in members:
            changes = {
                "match_group": None if alone else min(group),
                "first_claim_id": None if alone else first.id,
                "first_article_id": None if alone else first.article_id,
            }
            before = {name: getattr(claim, name) for name in changes}
            if before != changes:
                for name, value in changes.items():
                    setattr(claim, name, value)
                claim.version += 1
                claim.updated_at = utcnow()
                assert claim.id is not None
                feed.record(
                    session, ChangeType.claim_updated, claim.id, actor=actor,
                    version=claim.version, before=before, after=changes, claim_id=claim.id,
                )  # fmt: skip
        session.flush()


def _confirmed_component(session: Session, seed: int) -> set[int]:
    group, frontier = {seed}, [seed]
    while frontier:
        edges = session.exec(
            select(ClaimMatch.claim_id, ClaimMatch.other_id).where(
                col(ClaimMatch.state) == MatchState.confirmed,
                or_(
                    col(ClaimMatch.claim_id).in_(frontier),
                    col(ClaimMatch.other_id).in_(frontier),
                ),
            )
        ).all()
        frontier = [c for edge in edges for c in edge if c not in group]
        group |= set(frontier)
    return group


_COMMON = 100
"""A band key shared by more stored claims than this is common. Most keys are shared by a
handful of claims; a common one comes from common words and says little, and reading
all of it (tens of thousands of rows under the commonest) was most of what matching
cost, its claims most of the candidates compared in vain."""
_ARMS = 400
"""Keys looked up per statement: SQLite allows 500 arms in a UNION."""


@lru_cache(maxsize=64)
def _postings(count: int, by_speaker: bool) -> TextClause:
    """The first _COMMON + 1 claims under each of `count` keys (of one speaker each, with
    ``by_speaker``), one statement: enough to tell a common key, and all of any other."""
    columns, of_speaker = (
        ('"key", speaker', " AND speaker = :s{i}") if by_speaker else ('"key"', "")
    )
    arms = [
        f'SELECT * FROM (SELECT {columns}, claim_id FROM claim_band WHERE "key" = :k{i}'
        f"{of_speaker.format(i=i)} LIMIT {_COMMON + 1}) b{i}"
        for i in range(count)
    ]
    return text(" UNION ALL ".join(arms))


_POSTINGS_LATERAL = text(
    'SELECT w."key", w.speaker, b.claim_id '
    'FROM unnest(CAST(:keys AS BIGINT[]), CAST(:speakers AS INTEGER[])) AS w("key", speaker) '
    'CROSS JOIN LATERAL (SELECT claim_id FROM claim_band WHERE "key" = w."key" '
    f"AND speaker = w.speaker LIMIT {_COMMON + 1}) b"
)
"""The same on PostgreSQL for any number of (key, speaker) pairs, as one fixed statement."""


def _speaker_postings(
    session: Session, pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], list[int]]:
    """The claims under each (key, speaker), at most _COMMON + 1 of each."""
    found: dict[tuple[int, int], list[int]] = {}
    if not pairs:  # claims of no content word
        return found
    if session.get_bind().dialect.name == "postgresql":
        params: dict[str, Any] = {
            "keys": [key for key, _ in pairs], "speakers": [speaker for _, speaker in pairs]
        }  # fmt: skip
        batches = [(_POSTINGS_LATERAL, params)]
    else:
        batches = []
        for start in range(0, len(pairs), _ARMS):
            batch = pairs[start : start + _ARMS]
            params = {f"k{i}": key for i, (key, _) in enumerate(batch)}
            params |= {f"s{i}": speaker for i, (_, speaker) in enumerate(batch)}
            batches.append((_postings(len(batch), True), params))
    for statement, params in batches:
        for key, speaker, claim_id in session.execute(statement, params):
            found.setdefault((key, speaker), []).append(claim_id)
    return found


def candidates_by_speaker(
    session: Session, wanted: Mapping[int, tuple[int, Sequence[int]]]
) -> dict[int, list[Stored]]:
    """For each new claim (its id: its speaker and band keys), the stored claims of that
    speaker that share the most of its keys, most first: one look-up for them all."""
    pairs = sorted({(key, speaker) for speaker, keys in wanted.values() for key in keys})
    postings = _speaker_postings(session, pairs)
    best = {}
    for claim_id, (speaker, keys) in wanted.items():
        ranked = _most_shared([postings.get((key, speaker), []) for key in keys])
        best[claim_id] = _sharing_most(session, keys, speaker) if ranked is None else ranked
    stored = _stored(session, {claim_id for ids in best.values() for claim_id in ids})
    return {
        claim_id: [stored[other] for other in ids if other in stored]
        for claim_id, ids in best.items()
    }


def candidates(session: Session, keys: Iterable[int], speaker: int | None = None) -> list[Stored]:
    """The stored claims (of ``speaker``, if given) that share the most of these band
    keys, most first: a claim that shares more bands is likelier the same statement (an
    exact copy shares all)."""
    keys = sorted(set(keys))
    if speaker is not None:
        return candidates_by_speaker(session, {0: (speaker, keys)})[0]
    if not keys:
        return []
    params = {f"k{i}": key for i, key in enumerate(keys)}
    postings: dict[int, list[int]] = {}
    for key, claim_id in session.execute(_postings(len(keys), False), params):
        postings.setdefault(key, []).append(claim_id)
    ranked = _most_shared(list(postings.values()))
    best = _sharing_most(session, keys, None) if ranked is None else ranked
    stored = _stored(session, set(best))
    return [stored[claim_id] for claim_id in best if claim_id in stored]


def _most_shared(postings: Sequence[list[int]]) -> list[int] | None:
    """The _CANDIDATES claims that occur under the most of these keys' postings; None when
    every key is common, and only counting all their postings can tell.

    Common keys are left out when the text has another: an exact copy shares that one
    too. When every key is common (a text of common words, or a claim re-reported by
    more outlets than _COMMON), all their postings must be counted to find the claims
    that share the most (`_sharing_most`)."""
    rare = [ids for ids in postings if 0 < len(ids) <= _COMMON]
    if rare:
        shared = Counter(chain.from_iterable(rare))
        return sorted(shared, key=lambda claim_id: (-shared[claim_id], -claim_id))[:_CANDIDATES]
    return None if any(postings) else []


def _sharing_most(session: Session, keys: Sequence[int], speaker: int | None) -> list[int]:
    """The _CANDIDATES stored claims (of ``speaker``, if given) that share the most of
    these keys, from all of their postings."""
    shared = func.count().label("shared")
    query = select_columns(col(ClaimBand.claim_id)).where(col(ClaimBand.key).in_(keys))
    if speaker is not None:
        query = query.where(col(ClaimBand.speaker) == speaker)
    return list(
        session.execute(
            query.group_by(col(ClaimBand.claim_id))
            .order_by(shared.desc(), col(ClaimBand.claim_id).desc())
            .limit(_CANDIDATES)
        ).scalars()
    )


def _stored(session: Session, ids: set[int]) -> dict[int, Stored]:
    if not ids:
        return {}
    rows = session.execute(
        select_columns(
            col(Claim.id),
            col(Claim.text),
            col(Claim.source_id),
            col(Claim.article_id),
            col(Claim.status),
        ).where(col(Claim.id).in_(ids))
    )
    return {row[0]: Stored(*row) for row in rows}


_stored_print = lru_cache(maxsize=20_000)(fingerprint)
"""A stored claim's fingerprint by its text: a claim re-reported by many outlets is the
candidate of each new copy, and fingerprinting is most of what comparing costs."""


def similar(print_: Fingerprint, stored: Iterable[Stored]) -> list[tuple[Stored, Similarity]]:
    """The stored claims that make the same statement."""
    out: list[tuple[Stored, Similarity]] = []
    for other in stored:
        similarity = compare(print_, _stored_print(other.text))
        if similarity is not None:
            out.append((other, similarity))
    return out

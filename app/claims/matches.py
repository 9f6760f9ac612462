"""Matching a claim against the stored claims: the part of ingest and of the match
workflow that writes claims (app.services.matching has the rest).

Each claim's MinHash band keys (app.matching) are stored in `claim_band`; a new
claim is compared with the stored claims that share a key, by the same speaker
(the same source, or both the article's own) and from another article.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
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
    keys = {row["id"]: band_keys(prints[row["id"]]) for row in rows}
    bands = [{"key": key, "claim_id": cid} for cid, ks in keys.items() for key in set(ks)]
    matches: list[dict[str, Any]] = []
    for row in rows:
        best_verdict: tuple[float, Stored] | None = None
        stored = candidates(session, keys[row["id"]])
        for other, similarity in similar(prints[row["id"]], stored):
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


@lru_cache(maxsize=32)
def _postings(count: int) -> TextClause:
    """The first _COMMON + 1 claims under each of `count` keys, one statement: enough to
    tell a common key, and all of any other."""
    arms = [
        f'SELECT * FROM (SELECT "key", claim_id FROM claim_band WHERE "key" = :k{i} '
        f"LIMIT {_COMMON + 1}) b{i}"
        for i in range(count)
    ]
    return text(" UNION ALL ".join(arms))


def candidates(session: Session, keys: Iterable[int]) -> list[Stored]:
    """The stored claims that share the most of these band keys, most first: a claim
    that shares more bands is likelier the same statement (an exact copy shares all).

    Common keys are left out when the text has another: an exact copy shares that one
    too. When every key is common (a text of common words, or a claim re-reported by
    more outlets than _COMMON), all their postings are counted, as they must be to
    find the claims that share the most."""
    keys = sorted(set(keys))
    if not keys:
        return []
    params = {f"k{i}": key for i, key in enumerate(keys)}
    postings: dict[int, list[int]] = {}
    for key, claim_id in session.execute(_postings(len(keys)), params):
        postings.setdefault(key, []).append(claim_id)
    rare = [ids for ids in postings.values() if len(ids) <= _COMMON]
    if rare:
        shared = Counter(chain.from_iterable(rare))
        best = sorted(shared, key=lambda claim_id: (-shared[claim_id], -claim_id))
    else:
        best = _sharing_most(session, keys)
    best = best[:_CANDIDATES]
    if not best:
        return []
    rows = session.execute(
        select_columns(
            col(Claim.id),
            col(Claim.text),
            col(Claim.source_id),
            col(Claim.article_id),
            col(Claim.status),
        ).where(col(Claim.id).in_(best))
    ).all()
    order = {claim_id: n for n, claim_id in enumerate(best)}
    return sorted((Stored(*row) for row in rows), key=lambda stored: order[stored.id])


def _sharing_most(session: Session, keys: list[int]) -> list[int]:
    """The _CANDIDATES stored claims that share the most of these keys, from all of
    their postings."""
    shared = func.count().label("shared")
    return list(
        session.execute(
            select_columns(col(ClaimBand.claim_id))
            .where(col(ClaimBand.key).in_(keys))
            .group_by(col(ClaimBand.claim_id))
            .order_by(shared.desc(), col(ClaimBand.claim_id).desc())
            .limit(_CANDIDATES)
        ).scalars()
    )


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

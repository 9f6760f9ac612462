"""Running a newer extractor over stored articles without losing a reviewer's work.

A claim a person has touched (a verdict or any status but `unverified`, a
manual attribution, an annotation: any event but its creation and earlier
re-extractions) stays as it is,
and new claims that would overlap it are left out. Of the others, a claim the
new extraction finds at the same span keeps its id, its history and its
version unless its attribution changed (then it is updated, with a
`reextracted` event); the ones it no longer finds are removed, and the ones it
finds anew are added. Each article is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlmodel import Session, col

from app import changes as feed
from app.claims import ClaimStore
from app.claims.store import source_columns, spans
from app.db import load_or_404, versioned_update, write_transaction
from app.extraction import EXTRACTOR_VERSION, extract
from app.extraction.types import ExtractedClaim, Extraction, SourceGuess
from app.models import (
    Article,
    AttributionMethod,
    Change,
    ChangeType,
    Claim,
    ClaimMatch,
    ClaimStatus,
    Sentence,
)
from app.preconditions import IfMatch
from app.services.source_registry import resolve_claim_sources

ANY_VERSION = IfMatch(None)
"""The extractor's own change: not a person's write based on a version read."""


@dataclass
class ReextractReport:
    article_id: int
    kept: int = 0
    """Claims a person has touched: left as they are."""
    unchanged: int = 0
    updated: int = 0
    removed: int = 0
    added: int = 0

    def line(self) -> str:
        return (
            f"article {self.article_id}: {self.kept} kept as reviewed, {self.unchanged} "
            f"unchanged, {self.updated} updated, {self.removed} removed, {self.added} added"
        )


def stale_articles(session: Session) -> list[int]:
    """The articles an older extractor read."""
    query = select(col(Article.id)).where(col(Article.extractor_version) != EXTRACTOR_VERSION)
    return list(session.execute(query.order_by(col(Article.id))).scalars())


def _overlaps(claim: ExtractedClaim, kept: list[Claim]) -> bool:
    return any(claim.start < k.end and k.start < claim.end for k in kept)


_REVIEWS = (
    ChangeType.claim_status_changed,
    ChangeType.claim_attributed,
    ChangeType.annotation_created,
    ChangeType.annotation_updated,
    ChangeType.annotation_deleted,
    ChangeType.match_updated,
)
"""The changes a person makes to a claim (or to what hangs from it)."""


def _touched(session: Session, claims: list[Claim]) -> set[int]:
    ids = [c.id for c in claims if c.id is not None]
    reviewed = {
        claim_id
        for column in (col(Change.claim_id), col(Change.peer_claim_id))
        for claim_id in session.execute(
            select(column).where(column.in_(ids), col(Change.type).in_(_REVIEWS))
        ).scalars()
    }
    return reviewed | {
        c.id
        for c in claims
        if c.id is not None
        and (c.status != ClaimStatus.unverified or c.attribution_method != AttributionMethod.rule)
    }


def _sentence_of(extraction: Extraction, offset: int) -> int | None:
    return next((s.index for s in extraction.sentences if s.start <= offset < s.end), None)


def _attribution(
    claim: ExtractedClaim, source_ids: dict[SourceGuess, int], sentence: int
) -> dict[str, Any]:
    return {
        "sentence_index": sentence, **source_columns(claim, source_ids),
        "attribution_type": claim.type, "confidence": claim.confidence, **spans(claim),
    }  # fmt: skip


def reextract_article(
    session: Session, claims: ClaimStore, article_id: int, *, actor: str
) -> ReextractReport:
    """Run the extractor over one stored article again, in one transaction."""
    report = ReextractReport(article_id)
    # Extraction is CPU work: done before the write lock is taken (texts never change).
    extraction: Extraction = extract(load_or_404(session, Article, article_id).text)
    with write_transaction(session):
        # The article's row first: two runs over one article take turns, and the
        # second sees the claims the first added.
        article = load_or_404(session, Article, article_id, lock=True)
        # FOR UPDATE (PostgreSQL): a reviewer's write to one of these waits, then
        # finds the claim changed (412) or gone (404), never silently undone.
        mine = select(Claim).where(col(Claim.article_id) == article_id).with_for_update()
        old = list(session.execute(mine).scalars())
        touched = _touched(session, old)
        kept = [c for c in old if c.id in touched]
        report.kept = len(kept)
        for claim in kept:  # its words may now be in a sentence of another index
            index = _sentence_of(extraction, claim.start)
            before_index = claim.sentence_index
            if index is not None and versioned_update(
                session, claim, ANY_VERSION, {"sentence_index": index}
            ):
                _record_update(
                    session, claim, actor, {"sentence_index": before_index},
                    {"sentence_index": index},
                )  # fmt: skip
        by_span = {(c.start, c.end): c for c in old if c.id not in touched}
        found = [c for c in extraction.claims if not _overlaps(c, kept)]
        source_ids = resolve_claim_sources(session, found, actor=actor)
        new: list[ExtractedClaim] = []
        for claim in found:
            stored = by_span.pop((claim.start, claim.end), None)
            if stored is None:
                new.append(claim)
                continue
            values = _attribution(claim, source_ids, claim.sentence_index)
            before = {name: getattr(stored, name) for name in values}
            if not versioned_update(session, stored, ANY_VERSION, values):
                report.unchanged += 1
                continue
            changed = [name for name in values if before[name] != values[name]]
            _record_update(
                session, stored, actor, {n: before[n] for n in changed},
                {n: values[n] for n in changed},
            )  # fmt: skip
            report.updated += 1
        session.execute(delete(Sentence).where(col(Sentence.article_id) == article_id))
        if extraction.sentences:
            session.execute(
                insert(Sentence),
                [{"article_id": article_id, "index": s.index, "start": s.start, "end": s.end}
                 for s in extraction.sentences],
            )  # fmt: skip
        added = claims.add_extracted(
            session, article=article, claims=new, source_ids=source_ids, actor=actor
        )
        report.added = len(added)
        # After the additions, which take ids past these: a client holding one of
        # them must not find another claim behind it.
        if by_span:  # no longer found, and nobody looked at them
            _remove(session, list(by_span.values()), actor)
            report.removed = len(by_span)
        article.extractor_version = EXTRACTOR_VERSION
    return report


def _record_update(
    session: Session, claim: Claim, actor: str, before: dict[str, Any], after: dict[str, Any]
) -> None:
    assert claim.id is not None
    feed.record(
        session, ChangeType.claim_updated, claim.id, actor=actor, version=claim.version,
        before=before, after=after, note=f"extractor {EXTRACTOR_VERSION}", claim_id=claim.id,
    )  # fmt: skip


def _remove(session: Session, gone: list[Claim], actor: str) -> None:
    """Delete claims nobody reviewed, leaving tombstones for them and their matches
    (which go with them)."""
    ids = [c.id for c in gone]
    matches = session.execute(
        select(ClaimMatch).where(
            col(ClaimMatch.claim_id).in_(ids) | col(ClaimMatch.other_id).in_(ids)
        )
    ).scalars()
    note = f"extractor {EXTRACTOR_VERSION}"
    feed.record_many(
        session,
        [
            *({"type": ChangeType.match_deleted, "resource_id": m.id, "version": None,
               "actor": actor, "before": feed.row_snapshot("match", m), "note": note,
               "claim_id": m.claim_id, "peer_claim_id": m.other_id} for m in matches),
            *({"type": ChangeType.claim_deleted, "resource_id": c.id, "version": None,
               "actor": actor, "before": feed.row_snapshot("claim", c), "note": note,
               "claim_id": c.id} for c in gone),
        ],
    )  # fmt: skip
    session.execute(delete(Claim).where(col(Claim.id).in_(ids)))

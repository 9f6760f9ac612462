"""Loading seeds/: the known sources, then the reference articles. Idempotent."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.claims import ClaimStore
from app.db import write_transaction
from app.extraction.types import SourceGuess, SourceKind
from app.schemas import ArticleIn
from app.services.articles import ingest_article
from app.services.source_registry import find_source_ids, resolve_guesses


@dataclass
class SeedReport:
    sources_created: int = 0
    articles_created: int = 0


def load_seeds(
    session: Session, claims: ClaimStore, seeds_dir: Path, *, max_article_bytes: int
) -> SeedReport:
    report = SeedReport()
    report.sources_created = _load_sources(session, _read(seeds_dir / "sources.json")["sources"])
    for entry in _read(seeds_dir / "articles.json")["articles"]:
        text = (seeds_dir / entry.pop("file")).read_text(encoding="utf-8")
        _, created = ingest_article(
            session=session,
            claims=claims,
            data=ArticleIn(text=text, **entry),
            max_bytes=max_article_bytes,
            actor="seed",
        )
        report.articles_created += created
    return report


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _load_sources(session: Session, entries: list[dict[str, Any]]) -> int:
    """Create each source none of whose names is known yet; affiliations go first."""
    created = 0
    with write_transaction(session):
        for entry in sorted(entries, key=lambda e: "affiliation" in e):
            names = (entry["name"], *entry["aliases"])
            if find_source_ids(session, names):
                continue
            guess = SourceGuess(
                name=entry["name"],
                kind=SourceKind(entry["kind"]),
                description=entry.get("description"),
                affiliation=entry.get("affiliation"),
                aliases=tuple(entry["aliases"]),
            )
            resolve_guesses(session, [guess], actor="seed")
            created += 1
    return created

"""Extraction without storage, for previews."""

from __future__ import annotations

from typing import Any

from app.claims.document import SPAN_COLUMNS, via_spans
from app.claims.store import spans
from app.extraction import EXTRACTOR_VERSION, extract
from app.extraction.types import ExtractedClaim, SourceGuess
from app.models import AttributionMethod
from app.schemas import ExtractOut
from app.services.articles import check_article_size


def _guess(guess: SourceGuess | None) -> dict[str, Any] | None:
    if guess is None:
        return None
    return {"name": guess.name, "kind": guess.kind, "description": guess.description}


def _attribution(claim: ExtractedClaim) -> dict[str, Any]:
    """As it would be stored, without source ids."""
    found = spans(claim)
    via = _guess(claim.via)
    return {
        "type": claim.type, "method": AttributionMethod.rule, "confidence": claim.confidence,
        **{name: found[name] for name in SPAN_COLUMNS},
        "via": None if via is None else via | via_spans(found),
    }  # fmt: skip


def preview_extraction(text: str, *, max_bytes: int) -> ExtractOut:
    check_article_size(text, max_bytes)
    result = extract(text)
    preview = {
        "extractor_version": EXTRACTOR_VERSION,
        "sentences": [{"index": s.index, "start": s.start, "end": s.end} for s in result.sentences],
        "claims": [
            {
                "sentence_index": c.sentence_index,
                "text": text[c.start : c.end],
                "start": c.start,
                "end": c.end,
                "source": _guess(c.source),
                "attribution": _attribution(c),
            }
            for c in result.claims
        ],
    }
    return ExtractOut.model_validate(preview)

"""Extraction without storage, for previews."""

from __future__ import annotations

from app.claims.store import spans
from app.extraction import EXTRACTOR_VERSION, extract
from app.models import AttributionMethod
from app.schemas import ExtractOut
from app.services.articles import check_article_size


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
                "source": None
                if c.source is None
                else {
                    "name": c.source.name,
                    "kind": c.source.kind,
                    "description": c.source.description,
                },
                "attribution": {
                    "type": c.type,
                    "method": AttributionMethod.rule,
                    "confidence": c.confidence,
                    **spans(c),
                },
            }
            for c in result.claims
        ],
    }
    return ExtractOut.model_validate(preview)

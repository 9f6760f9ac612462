"""Claim extraction: article text in, sentences and attributed claims out.

A pure-Python library (no web framework, no database) shared by the ingest
endpoint, ``POST /v1/extract`` and the CLI::

    from app.extraction import extract
    result = extract(text)
    for claim in result.claims:
        print(text[claim.start:claim.end], claim.source and claim.source.name)
"""

from __future__ import annotations

from dataclasses import replace

from app.extraction.attribution import Attributor
from app.extraction.cues import cue_kind_of
from app.extraction.sentences import Splitter, split_sentences
from app.extraction.source_names import canonical_source, normalize_name
from app.extraction.types import (
    AttributionType,
    CueKind,
    ExtractedClaim,
    Extraction,
    SentenceSpan,
    SourceGuess,
    SourceKind,
)

EXTRACTOR_VERSION = "2026.12.1"
"""Stored with each article; bump it whenever the output for some text changes."""

__all__ = [
    "EXTRACTOR_VERSION",
    "AttributionType",
    "CueKind",
    "ExtractedClaim",
    "Extraction",
    "SentenceSpan",
    "SourceGuess",
    "SourceKind",
    "Splitter",
    "canonical_source",
    "extract",
    "normalize_name",
    "split_sentences",
]


def extract(text: str, splitter: Splitter | None = None) -> Extraction:
    """Sentences of ``text`` and its claims, in text order, with code-point offsets."""
    sentences = split_sentences(text, splitter)
    claims = [
        replace(c, cue_kind=cue_kind_of(c.cue, c.source.kind)) if c.source is not None else c
        for c in Attributor(text, sentences).run()
    ]
    return Extraction(sentences=sentences, claims=claims)

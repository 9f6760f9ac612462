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
from app.extraction.lexicon import cue_kind_of
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

EXTRACTOR_VERSION = "2026.12.4"
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
    claims = _with_named_speakers(Attributor(text, sentences).run())
    claims = [
        replace(c, cue_kind=cue_kind_of(c.cue, c.source.kind)) if c.source is not None else c
        for c in claims
    ]
    return Extraction(sentences=sentences, claims=claims)


def _with_named_speakers(claims: list[ExtractedClaim]) -> list[ExtractedClaim]:
    """Every attributed claim with the mention (and, without a cue of its own, the
    cue) of the sentence that named its speaker (ATTRIBUTION.md): a quote's
    sentences before or after that one, and the part of a quote after its cue,
    borrow them from the nearest claim of the same run of claims by the same
    source that has them."""
    found = list(claims)
    for i, claim in enumerate(claims):
        if claim.source is None or claim.mention_start is not None:
            continue
        named = _nearest_named(claims, i, -1) or _nearest_named(claims, i, 1)
        if named is None:
            continue
        found[i] = replace(
            claim, mention=named.mention, mention_start=named.mention_start,
            mention_end=named.mention_end,
        )  # fmt: skip
        if claim.cue is None:  # a claim's own cue ("..., adding that") stays
            found[i] = replace(
                found[i], cue=named.cue, cue_start=named.cue_start, cue_end=named.cue_end
            )
    return found


def _nearest_named(claims: list[ExtractedClaim], i: int, step: int) -> ExtractedClaim | None:
    source = claims[i].source
    assert source is not None
    j = i + step
    while 0 <= j < len(claims):
        claim = claims[j]
        if claim.source is None and claim.end - claim.start < _STRAY_PIECE:
            j += step  # a stray '"[...]' between two sentences of the quote
            continue
        if claim.source is None or claim.source.name != source.name:
            return None
        if claim.mention_start is not None:
            return claim
        j += step
    return None


_STRAY_PIECE = 12
"""Characters: an unattributed piece this short does not end a run of one speaker's claims."""

"""The values the extraction library returns: spans into the article text.

Offsets are Python string indices (Unicode code points), end exclusive, the way
the W3C TextPositionSelector counts them: ``text[start:end]`` is the span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class AttributionType(StrEnum):
    direct_quote = "direct_quote"
    """The claim is the content of quotation marks."""
    mixed = "mixed"
    """Reported speech that quotes part of the original words."""
    indirect = "indirect"
    """Reported speech: "X said (that) ..."."""
    according_to = "according_to"
    """"According to X, ..."."""
    unattributed = "unattributed"
    """The article's own statement; no source."""


class CueKind(StrEnum):
    """What kind of words tie a claim to its source (ATTRIBUTION.md)."""

    speech = "speech"
    """Said, written, quoted, denied, urged: what someone put into words."""
    thought = "thought"
    """Believes, hopes, fears, expects: what someone holds."""
    evidence = "evidence"
    """What a poll, study, report, filing or record shows or finds."""


class SourceKind(StrEnum):
    person = "person"
    government = "government"
    organization = "organization"
    news_agency = "news_agency"
    media = "media"
    document = "document"
    intelligence = "intelligence"
    unknown = "unknown"


@dataclass(frozen=True, slots=True)
class SentenceSpan:
    index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SourceGuess:
    """A source as the text names it, reduced to a canonical name.

    ``name`` is what a registry should be searched for ("Dmitry Peskov"),
    ``description`` the role words split off the mention ("Kremlin spokesman"),
    ``kind`` a guess from those words and the name's shape.
    """

    name: str
    kind: SourceKind = SourceKind.unknown
    description: str | None = None
    affiliation: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExtractedClaim:
    sentence_index: int
    start: int
    end: int
    type: AttributionType
    confidence: float
    source: SourceGuess | None = None
    mention: str | None = None
    mention_start: int | None = None
    mention_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    cue_kind: CueKind | None = None
    """None for the article's own statements."""
    via: SourceGuess | None = None
    """The source that relays the claim's source: "TASS reported that Peskov said X"."""
    via_mention: str | None = None
    via_mention_start: int | None = None
    via_mention_end: int | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    sentences: list[SentenceSpan] = field(default_factory=list)
    claims: list[ExtractedClaim] = field(default_factory=list)

"""What every frame module shares: the frame it returns and the sentence it reads."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.extraction import confidence
from app.extraction.tokens import Token
from app.extraction.types import SourceGuess

if TYPE_CHECKING:
    from app.extraction.frames.verb import VerbCue


@dataclass(slots=True)
class Frame:
    """A source mention, its cue and the stretch of the sentence they attribute.

    Offsets are the sentence's while the frames are matched and combined, and
    the article's once ``frames.find`` returns them.
    """

    mention: tuple[int, int] | None
    cue: tuple[int, int]
    content: tuple[int, int]
    post: bool
    according: bool = False
    description: str | None = None
    confidence: float = confidence.UNMARKED
    source: SourceGuess | None = None
    link_conf: float = 1.0
    document: str | None = None  # "said in its readout": the readout speaks
    lead: tuple[int, int] | None = None  # "X did A and said B": A is the article's
    title: tuple[int, int] | None = None  # "said on “Face the Nation”": a name, not a claim
    via: Frame | None = None  # "TASS reported that Peskov said": TASS relays this frame
    nested: int | None = None  # where the relative clause holding this frame opens

    def moved(self, offset: int) -> Frame:
        def move(span: tuple[int, int] | None) -> tuple[int, int] | None:
            return None if span is None else (span[0] + offset, span[1] + offset)

        self.mention = move(self.mention)
        self.cue = (self.cue[0] + offset, self.cue[1] + offset)
        self.content = (self.content[0] + offset, self.content[1] + offset)
        self.lead = move(self.lead)
        self.title = move(self.title)
        if self.nested is not None:
            self.nested += offset
        if self.via is not None:
            self.via.moved(offset)
        return self


@dataclass(slots=True)
class Context:
    """One sentence as the frames read it: its text with quote contents masked
    (so words inside a quote never act as a cue or a source), and its tokens."""

    text: str
    tokens: list[Token]
    start: int = 0
    """Where the sentence starts in the article."""
    verbs: dict[int, VerbCue | None] = field(default_factory=dict)
    """The verb analysis of each cue token, made once for all the verb frames."""

    def at(self, span: tuple[int, int]) -> str:
        """The masked text of an article span inside this sentence."""
        return self.text[span[0] - self.start : span[1] - self.start]


Match = Callable[[Context, int], Frame | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """A frame pattern: the words it can start from, and its matcher, which is
    given the token index of such a word."""

    name: str
    words: Collection[str]
    match: Match

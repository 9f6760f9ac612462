"""Who said what: the frames of each sentence, turned into claims.

For each sentence the driver masks quote contents, finds its frames
(``frames.find``), resolves each mention to a source (``resolution``), and
cuts the claims: each frame's content, the quote pieces outside any frame, and
the article's own statements. Quote pieces left without a frame take the
speaker of their quote chain (a quote that runs over sentences), else the
quoted speaker of the previous sentence; sentences with no frame and no quote
are the article's own claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from app.extraction import confidence, frames
from app.extraction.frames import Context, Frame, introducer
from app.extraction.lexicon import (
    CUE_FORMS,
    DETERMINERS,
    MINOR_WORDS,
    MODIFIERS,
    PRONOUNS,
    SOURCE_NOUNS,
)
from app.extraction.quotes import Quote, Quotes
from app.extraction.resolution import Resolver
from app.extraction.tokens import tokenize, without_parentheticals
from app.extraction.types import (
    AttributionType,
    ExtractedClaim,
    SentenceSpan,
    SourceGuess,
)

_DATELINE = re.compile(
    r"[A-Z][A-Z.\-' ]{2,}(?:,\s*[A-Z][\w.\- ]{1,30})?\s*(?:\([^)]{1,40}\))?"
    r"\s*[\u2014\u2013\-]{1,2}\s+"
)


@dataclass
class _Pending:
    claim_index: int
    chain: int
    fallback: SourceGuess | None


@dataclass
class Attributor:
    text: str
    sentences: list[SentenceSpan]
    quotes: Quotes = field(init=False)
    resolver: Resolver = field(init=False)
    claims: list[ExtractedClaim] = field(default_factory=list)
    chain_speaker: dict[int, SourceGuess] = field(default_factory=dict)
    # The claim whose frame named each quote chain's speaker: where its mention and cue are.
    chain_named: dict[int, ExtractedClaim] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)
    last_quote_speaker: SourceGuess | None = None
    last_quote_sentence: int = -10

    def __post_init__(self) -> None:
        self.quotes = Quotes(self.text)
        self.resolver = Resolver(self.text, self.sentences)

    def run(self) -> list[ExtractedClaim]:
        for sent in self.sentences:
            self._sentence(sent)
        # Quote pieces before their attribution ("“A. B,” she said.") learn it now.
        for p in self.pending:
            c = self.claims[p.claim_index]
            src = self.chain_speaker.get(p.chain)
            named = self.chain_named.get(p.chain)
            conf = confidence.QUOTE_OF_CHAIN
            if src is None:
                src, conf = p.fallback, confidence.QUOTE_OF_PREVIOUS_SPEAKER
                named = self._last_named(p.claim_index, src)
            if src is not None:
                self.claims[p.claim_index] = replace(
                    c,
                    type=AttributionType.direct_quote,
                    confidence=conf,
                    source=src,
                    **(_spans_of(named) if named is not None else {}),
                )
        return self.claims

    def _last_named(self, before: int, src: SourceGuess | None) -> ExtractedClaim | None:
        """The last claim before ``before`` that named ``src``: where its mention and cue are."""
        for c in reversed(self.claims[:before]):
            if c.source is not None and c.source == src and c.mention_start is not None:
                return c
        return None

    def _sentence(self, sent: SentenceSpan) -> None:
        s0, s1 = sent.start, sent.end
        masked = without_parentheticals(self.quotes.masked(self.text, s0, s1))
        ctx = Context(masked, tokenize(masked), s0)
        found = frames.find(ctx)
        dl = _DATELINE.match(self.text, s0, s1)
        dl_end = dl.end() if dl is not None and dl.end() < s1 else s0
        if (
            sent.index == 0
            and found
            and _title_case_headline(self.text, s0, s1)
            and not any(_named_mention(ctx, f) for f in found)
        ):
            # "Voters Say They Are Worried", "Officials Warn ...": in a title-case
            # headline every word is capitalised, so only a real name (as in "Biden
            # Says ...") is trusted as a source; otherwise the line is the article's.
            self._add(sent, s0, s1, AttributionType.unattributed, confidence.DOUBTFUL_NARRATION)
            return
        if found:
            self._framed(sent, ctx, found, dl_end)
        else:
            self._unframed(sent, ctx, dl_end)

    def _framed(self, sent: SentenceSpan, ctx: Context, found: list[Frame], dl_end: int) -> None:
        s0, s1 = sent.start, sent.end
        produced: list[tuple[int, int]] = []
        prev_source: SourceGuess | None = None
        for f in found:
            mention_text = ctx.at(f.mention) if f.mention else ""
            if f.according or f.mention is not None:
                f.source, f.link_conf = self.resolver.source(mention_text, f, sent.index)
            else:
                f.source, f.link_conf = prev_source, confidence.SAME_SENTENCE_SOURCE
            if f.source is not None:
                self.resolver.note(f.source, mention_text)
                prev_source = f.source
            if f.via is not None and f.via.mention is not None:
                f.via.source, _ = self.resolver.source(ctx.at(f.via.mention), f.via, sent.index)
            span = self._content(f.content[0], f.content[1])
            if span is None:
                if ctx.at((f.cue[1], s1)).strip() in (":", "") and f.source is not None:
                    # "He said:" — the quote follows in the next paragraph.
                    self.last_quote_speaker = f.source
                    self.last_quote_sentence = sent.index
                continue
            start, end, typ = span
            if start < dl_end < end:
                start = dl_end
            others = [g.content for g in found if g is not f]
            if f.lead is not None and not any(_overlaps(f.lead, c) for c in others):
                lead = self._content(max(f.lead[0], dl_end), f.lead[1])
                if lead is not None:
                    self._add(sent, lead[0], lead[1], AttributionType.unattributed, confidence.LEAD)
            if f.according:
                typ = AttributionType.according_to
            conf = round(f.confidence * f.link_conf, 3)
            self._add(sent, start, end, typ, conf, f.source, f)
            produced.append((start, end))
            if typ in (AttributionType.direct_quote, AttributionType.mixed):
                for q in self.quotes.overlapping(start, end):
                    if f.source is not None:
                        self.chain_speaker.setdefault(q.chain, f.source)
                        if f.mention is not None:
                            self.chain_named.setdefault(q.chain, self.claims[-1])
        speaker = next((f.source for f in found if f.source is not None), None)
        # Quotes in the sentence outside any frame's content: "“A,” he said, “B.”"
        for q in self.quotes.overlapping(s0, s1):
            piece = _piece(self.text, q, s0, s1)
            if piece is None or any(_overlaps(piece, p) for p in produced):
                continue
            if any(f.title is not None and _overlaps(piece, f.title) for f in found):
                continue
            src = self.chain_speaker.get(q.chain, speaker)
            conf = confidence.LEFTOVER_QUOTE if src else confidence.ORPHAN_QUOTE
            self._add(sent, piece[0], piece[1], AttributionType.direct_quote, conf, src)
            if src is not None:
                self.chain_speaker.setdefault(q.chain, src)
        # Keep text order inside the sentence (leftover quotes were added last).
        first = len(self.claims)
        while first > 0 and self.claims[first - 1].sentence_index == sent.index:
            first -= 1
        self.claims[first:] = sorted(self.claims[first:], key=lambda c: (c.start, c.end))
        if any(
            c.sentence_index == sent.index
            and c.source is not None
            and self.quotes.overlapping(c.start, c.end)
            for c in self.claims[-4:]
        ):
            self.last_quote_speaker = speaker
            self.last_quote_sentence = sent.index

    def _unframed(self, sent: SentenceSpan, ctx: Context, dl_end: int) -> None:
        """No frame: a quote piece, or the article's own statement."""
        s0, s1 = sent.start, sent.end
        quotes = self.quotes.overlapping(s0, s1)
        pieces = [p for q in quotes if (p := _piece(self.text, q, s0, s1)) is not None]
        covered = sum(e - s for s, e in pieces)
        body = len(ctx.text.strip()) or 1
        chained = any(q.chain in self.chain_speaker for q in quotes) or any(
            q.open_mark is not None and q.open_mark < s0 for q in quotes
        )
        if pieces and self._introduced(sent, ctx, quotes):
            return
        if pieces and (covered / body >= 0.5 or chained):
            fallback = (
                self.last_quote_speaker if sent.index - self.last_quote_sentence <= 2 else None
            )
            src: SourceGuess | None = None
            for q in quotes:
                piece = _piece(self.text, q, s0, s1)
                if piece is None:
                    continue
                src = self.chain_speaker.get(q.chain)
                quote = AttributionType.direct_quote
                if src is not None:
                    self._add(sent, piece[0], piece[1], quote, confidence.QUOTE_OF_CHAIN, src)
                else:
                    self.pending.append(_Pending(len(self.claims), q.chain, fallback))
                    self._add(sent, piece[0], piece[1], quote, confidence.ORPHAN_QUOTE)
                    src = fallback
            self.last_quote_speaker = src if src is not None else self.last_quote_speaker
            self.last_quote_sentence = sent.index
            return
        self.resolver.note_subject(ctx.text, ctx.tokens)
        # A cue word the grammar could not use makes the sentence doubtful.
        doubtful = any(t.low in CUE_FORMS for t in ctx.tokens)
        conf = confidence.DOUBTFUL_NARRATION if doubtful else confidence.NARRATION
        self._add(sent, dl_end, s1, AttributionType.unattributed, conf)

    def _introduced(self, sent: SentenceSpan, ctx: Context, quotes: list[Quote]) -> bool:
        """Quotes handed over by the sentence's subject (``frames.introducer``)."""
        s0 = sent.start
        opens = [q.open_mark for q in quotes if q.open_mark is not None and q.open_mark >= s0]
        f = introducer.match(ctx, opens[0] - s0) if opens else None
        if f is None or f.mention is None:
            return False
        mention = ctx.at(f.mention)
        src, _ = self.resolver.source(mention, f, sent.index)
        if src is None:
            return False
        self.resolver.note(src, mention)
        for q in quotes:
            piece = _piece(self.text, q, sent.start, sent.end)
            if piece is None:
                continue
            self._add(sent, piece[0], piece[1], AttributionType.direct_quote, f.confidence, src, f)
            self.chain_speaker.setdefault(q.chain, src)
            self.chain_named.setdefault(q.chain, self.claims[-1])
        self.last_quote_speaker = src
        self.last_quote_sentence = sent.index
        return True

    def _add(
        self,
        sent: SentenceSpan,
        start: int,
        end: int,
        typ: AttributionType,
        conf: float,
        src: SourceGuess | None = None,
        f: Frame | None = None,
    ) -> None:
        spans: dict[str, object] = {}
        if f is not None and typ != AttributionType.unattributed:
            if f.mention is not None:
                spans.update(
                    mention=self.text[f.mention[0] : f.mention[1]],
                    mention_start=f.mention[0],
                    mention_end=f.mention[1],
                )
            spans.update(cue=self.text[f.cue[0] : f.cue[1]], cue_start=f.cue[0], cue_end=f.cue[1])
            if f.via is not None and f.via.source is not None and f.via.mention is not None:
                spans.update(
                    via=f.via.source,
                    via_mention=self.text[f.via.mention[0] : f.via.mention[1]],
                    via_mention_start=f.via.mention[0],
                    via_mention_end=f.via.mention[1],
                )
        self.claims.append(
            ExtractedClaim(
                sentence_index=sent.index,
                start=start,
                end=end,
                type=typ,
                confidence=conf,
                source=src if typ != AttributionType.unattributed else None,
                **spans,  # type: ignore[arg-type]
            )
        )

    def _content(self, a: int, b: int) -> tuple[int, int, AttributionType] | None:
        """A frame's content span (article offsets), trimmed, and what kind it is."""
        text = self.text
        while a < b and text[a].isspace():
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:"):
            b -= 1
        if b - a < 2:
            return None
        qs = self.quotes.overlapping(a, b)
        # Entirely one quote (marks included or not): the span is its inside.
        if len(qs) == 1:
            q = qs[0]
            lo = q.open_mark if q.open_mark is not None else q.start
            hi = q.close_mark + 1 if q.close_mark is not None else q.end
            if a >= lo and b <= hi:
                ia, ib = max(a, q.start), min(b, q.end)
                while ib > ia and (text[ib - 1].isspace() or text[ib - 1] in ",;:"):
                    ib -= 1
                while ia < ib and text[ia].isspace():
                    ia += 1
                if ib > ia:
                    return ia, ib, AttributionType.direct_quote
        if qs:
            return a, _strip_end(text, a, b), AttributionType.mixed
        return a, _strip_end(text, a, b), AttributionType.indirect


def _spans_of(claim: ExtractedClaim) -> dict[str, Any]:
    """Where a claim's mention and cue are, to give to another claim of the same quote."""
    return {
        "mention": claim.mention,
        "mention_start": claim.mention_start,
        "mention_end": claim.mention_end,
        "cue": claim.cue,
        "cue_start": claim.cue_start,
        "cue_end": claim.cue_end,
    }


def _named_mention(ctx: Context, f: Frame) -> bool:
    """A mention whose words are not all role or group nouns ("Biden", "CDC")."""
    if f.mention is None:
        return False
    words = re.findall(r"[\w\u2019'\-.]+", ctx.at(f.mention))
    return any(
        w.casefold() not in SOURCE_NOUNS
        and w.casefold() not in MODIFIERS
        and w.casefold() not in DETERMINERS
        and w.casefold() not in PRONOUNS
        for w in words
    )


def _title_case_headline(text: str, s0: int, s1: int) -> bool:
    """The first line alone, no closing stop, and its words capitalised as in a title."""
    if text[:s0].strip() or not (s1 >= len(text) or text[s1] == "\n"):
        return False
    line = text[s0:s1].rstrip()
    if not line or line[-1] in ".!?":
        return False
    words = [w for w in re.findall(r"[^\W\d_][\w\u2019'\-]*", line)]
    major = [w for w in words if w.casefold() not in MINOR_WORDS]
    if len(words) < 4 or len(major) < 3:
        return False
    return sum(w[0].isupper() for w in major) >= 0.85 * len(major)


def _piece(text: str, q: Quote, s0: int, s1: int) -> tuple[int, int] | None:
    a, b = max(q.start, s0), min(q.end, s1)
    while a < b and text[a].isspace():
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:"):
        b -= 1
    if b - a < 2 or not any(c.isalnum() for c in text[a:b]):
        return None
    return a, b


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def _strip_end(text: str, a: int, b: int) -> int:
    # Sentence punctuation outside quotes is not content ("said X." -> "X").
    while b > a and (text[b - 1] in ".,;:" or text[b - 1].isspace()):
        b -= 1
    return b

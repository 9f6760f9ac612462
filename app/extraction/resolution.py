"""Who a mention names: the source it resolves to, after the frames are matched.

Pronouns and short forms ("he", "Peskov", "the spokesman") link to a source the
article named before (``SourceTracker``); "the company" to the company the
narrative named; a role set off by commas becomes the source's description;
"said in its readout" makes the readout the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from app.extraction import confidence
from app.extraction.frames import Frame
from app.extraction.grammar import subject_end
from app.extraction.lexicon import (
    COMPANY_NOUNS,
    MONTHS,
    NOT_NAME_START,
    SOURCE_NOUNS,
    STOP_CAPS,
    TIME_WORDS,
)
from app.extraction.source_names import SourceTracker, canonical_source, normalize_name
from app.extraction.tokens import Token, is_name
from app.extraction.types import SentenceSpan, SourceGuess, SourceKind

_COMPANY = "|".join(COMPANY_NOUNS)
_CAP_WORD = r"[A-Z][\w\u2019'&\-]*"
# "Acme, the snack maker", "Acme Inc.": the narrative names a company.
_COMPANY_APPOS = re.compile(
    r"(?P<name>(?:" + _CAP_WORD + r"\s+){0,4}" + _CAP_WORD + r")"
    r"(?:\s+(?:Inc|Corp|Co|Ltd|LLC|PLC|Plc)\.?)?,\s+(?:the|a|an)\s+"
    r"(?:[\w\u2019'\-]+\s+){1,4}?(?:" + _COMPANY + r")\b"
)
_COMPANY_SUFFIX = re.compile(
    r"(?P<name>(?:" + _CAP_WORD + r"\s+){0,4}" + _CAP_WORD + r")\s+(?:Inc|Corp|Ltd|LLC|PLC|Plc)\b"
)
_COMPANY_BACK = re.compile(
    r"(?i)^(?:(?P<role>(?:a|an|the)\s+(?:[\w\-]+\s+)?"
    r"(?:spokesperson|spokesman|spokeswoman|representative|official|executive)\s+"
    r"(?:for|of|at)\s+)?the\s+)(?:" + _COMPANY + r")$"
)


# "the Church of Scientology's requests": the owner, without its "'s".
_POSSESSOR = re.compile(r"['\u2019]s$")


@dataclass
class Resolver:
    text: str
    sentences: list[SentenceSpan]
    tracker: SourceTracker = field(default_factory=SourceTracker)
    # Companies the narrative named ("Acme Inc.", "Acme, the snack maker"): what a
    # later "the company said" means when no company has spoken yet.
    narrative_orgs: list[SourceGuess] = field(default_factory=list)
    _scanned: int = 0  # sentences scanned for company names so far (done lazily)

    def source(self, mention: str, frame: Frame, sentence: int) -> tuple[SourceGuess | None, float]:
        """The source a frame's mention names, and how sure the link is."""
        src, link = self.tracker.resolve(_POSSESSOR.sub("", mention))
        src, link = self._company_back(mention, src, link, sentence)
        if src is not None and frame.description and not src.description:
            src = replace(src, description=frame.description)
        if src is not None and frame.document:
            src = SourceGuess(
                name=f"{src.name} {frame.document}",
                kind=SourceKind.document,
                affiliation=src.name,
                aliases=(src.name, *src.aliases),
            )
        return src, link

    def note(self, src: SourceGuess, mention: str) -> None:
        self.tracker.note(src, mention)

    def note_subject(self, m: str, toks: list[Token]) -> None:
        """ "Halvorsen, asked ..., was blunt. “...,” he said.": a known speaker as subject."""
        i = 0
        if toks and toks[0].low == "asked":
            # "Asked whether ..., Okafor smiled.": the subject follows the clause.
            comma = m.find(",")
            i = next((n for n, t in enumerate(toks) if comma >= 0 and t.start > comma), len(toks))
            if i >= len(toks) or m[comma + 1 : toks[i].start].strip():
                return
        elif toks and m[: toks[0].start].strip():
            return
        if i >= len(toks) or not is_name(toks[i]):
            return
        j = subject_end(m, toks, i, limit=5)
        if j is None:
            return
        mention = m[toks[i].start : toks[j].end]
        src = self.tracker.known(mention)
        if src is None:
            # "Cascade coach Sarah Whitfield was blunt. “...,” she said.": a newly
            # named person as subject is who a following pronoun most likely means.
            guess, _ = self.tracker.resolve(mention)
            if (
                guess is not None
                and guess.kind == SourceKind.person
                and " " in guess.name
                and all(word[:1].isupper() for word in guess.name.split())  # not "A and B"
                and toks[j].low not in SOURCE_NOUNS
            ):
                self.tracker.note(guess, mention)
            return
        self.tracker.note(src)

    def _company_back(
        self, mention: str, src: SourceGuess | None, link: float, sentence: int
    ) -> tuple[SourceGuess | None, float]:
        """ "the company said", "a spokesperson for the company": the company the
        narrative named, when the tracker found no named organisation."""
        mt = _COMPANY_BACK.match(mention.strip())
        if mt is None:
            return src, link
        while self._scanned <= sentence:
            sent = self.sentences[self._scanned]
            self._note_companies(sent.start, sent.end)
            self._scanned += 1
        if not self.narrative_orgs:
            return src, link
        # The company the story is about, before whoever spoke last.
        org = self.narrative_orgs[-1]
        known = self.tracker.known(org.name)
        if known is not None and known.kind == SourceKind.person:
            known = None
        org = known or org
        role = mt.group("role")
        if role:
            desc = " ".join(role.split()[1:-1]).casefold()
            org = replace(org, description=org.description or desc)
        return org, confidence.COMPANY_BACK

    def _note_companies(self, s0: int, s1: int) -> None:
        for rx in (_COMPANY_APPOS, _COMPANY_SUFFIX):
            for mt in rx.finditer(self.text, s0, s1):
                words = mt.group("name").split()
                if words and words[0].casefold() in ("the", "a", "an"):
                    words = words[1:]
                if not words or words[0].casefold() in NOT_NAME_START | STOP_CAPS:
                    continue  # "In Ohio, the family-owned chain ...": an adverbial
                before = self.text[max(s0, mt.start() - 12) : mt.start()].split()
                if before and before[-1].casefold() in NOT_NAME_START:
                    continue  # "by the end of March, the company said"
                if any(w.casefold() in TIME_WORDS or w.casefold() in MONTHS for w in words):
                    continue
                name = " ".join(words)
                guess = canonical_source(name)
                if normalize_name(guess.name) != normalize_name(name):
                    continue
                if guess.kind in (SourceKind.government, SourceKind.media, SourceKind.news_agency):
                    continue
                self.narrative_orgs.append(SourceGuess(name=name, kind=SourceKind.organization))

"""Who said what: attribution frames found in each sentence, turned into claims.

A frame is a source mention plus a cue ("Peskov said", "according to
Bloomberg") and the stretch of the sentence it attributes. Frames are searched
in the sentence with quote contents masked, so words inside a quote never act
as the article's own cue or source. Three shapes cover news prose:

* pre-posed   ``X said (that) ...``, ``X said: “...”``, ``According to X, ...``
* post-posed  ``“...,” X said.``, ``..., said X.``, ``..., according to X.``
* chained     ``..., adding that ...``, ``... and maintains ...`` (same source)

Quote pieces left without a frame take the speaker of their quote chain (a
quote that runs over sentences), else the quoted speaker of the previous
sentence; sentences with no frame and no quote are the article's own claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from app.extraction.cues import (
    ADJUNCT_RE,
    ADVERBS,
    AUXILIARIES,
    BE_FORMS,
    CLAUSE_OPENERS,
    CUE_FORMS,
    CUE_RE,
    DETERMINERS,
    MODIFIERS,
    NEEDS_THAT_OR_QUOTE,
    NOUNLIKE_BASE,
    NUMBERED_UNITS,
    OBJECT_AS_VERBS,
    OBJECT_QUOTE_FORMS,
    PRONOUNS,
    RELATIVES,
    SOURCE_NOUNS,
    SPEECH_VERBS,
    STOP_CAPS,
    TIME_WORDS,
    WEAK_FORMS,
)
from app.extraction.quotes import (
    CLOSERS,
    MASK,
    OPENERS,
    SINGLE_CLOSER,
    SINGLE_OPENER,
    Quote,
    Quotes,
)
from app.extraction.source_names import SourceTracker, canonical_source, normalize_name
from app.extraction.types import (
    AttributionType,
    ExtractedClaim,
    SentenceSpan,
    SourceGuess,
    SourceKind,
)

_TOKEN_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|[^\W_]+(?:[.'\u2019&\-][^\W_]+)*")
_ABBREV = set(
    "mr mrs ms dr gov sen rep gen lt col sgt capt maj adm prof rev st jr sr inc corp co "
    "ltd no dept univ ft mt pres supt det insp cmdr".split()
)
_CLAUSE_PUNCT = set(',;:(\u2014\u2013\u201c\u201d"\u00ab\u00bb' + MASK)
_QUOTE_CLOSE = set(CLOSERS + '"' + SINGLE_CLOSER)
_QUOTE_OPEN = OPENERS + '"' + SINGLE_OPENER
_CONNECTORS = set("of for at with from by on about to in".split())
_OBJECT_PRONOUNS = set("me him her them us you reporters journalists lawmakers".split())
_INVERTIBLE = set(
    "say add write ask explain note reply answer insist continue recall warn declare quip "
    "tell state tweet post report".split()
)
_ADJUNCT_START = (
    set(
        "in on at during after before ahead via through over to with from while when under "
        "without by late early last this earlier later citing according recently".split()
    )
    | TIME_WORDS
)
# "Sen. Teresa Lindqvist, D-Minn., said": a party and state tag, not a name.
_PARTY_TAG = re.compile(r"^[DRI]-[A-Z][a-z]{0,4}$")
_PARTY_TAG_FULL = re.compile(r"^[DRI]-[A-Z][\w.]*$")
# Names of organisations may contain "and" / "&": "Department of Health and Social Care".
_ORG_HEADS = set(
    "department ministry federation center centre institute council committee association "
    "agency office commission university foundation society board authority service "
    "services alliance coalition union bureau administration workers local".split()
)
# After "told": the audience, not the content ("told a news conference").
_AUDIENCE = set(
    "conference briefing meeting gathering audience crowd rally hearing summit forum "
    "session reporters journalists lawmakers committee jury court parliament interviewer "
    "programme program podcast show newspaper broadcaster station channel radio "
    "television supporters delegates".split()
)
_LEAD_BREAK = re.compile(r"(?:,\s*(?:and|but|while|whereas|though|although)|;)\s*$")
_DATELINE = re.compile(
    r"[A-Z][A-Z.\-' ]{2,}(?:,\s*[A-Z][\w.\- ]{1,30})?\s*(?:\([^)]{1,40}\))?"
    r"\s*[\u2014\u2013\-]{1,2}\s+"
)
_DOCUMENT_AFTER = re.compile(
    r"\s*,?\s*in\s+(?:its|his|her|their|a|an|the)\s+(?:[\w\-]+\s+){0,2}?"
    r"(readout|report|memo|filing|assessment|transcript|indictment|lawsuit|complaint)"
    r"(?![\w\-])",
    re.IGNORECASE,
)
_CHAIN_RE = re.compile(
    r"(?:,\s*(?:and\s+|but\s+)?|\s+(?:and|but)\s+)(?:(?:also|later|then|further)\s+)?"
    r"(?P<cue>"
    + "|".join(sorted(map(re.escape, CUE_FORMS), key=len, reverse=True))
    + r")(?![\w\-])",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Token:
    start: int  # offsets into the sentence
    end: int
    text: str
    low: str


@dataclass(slots=True)
class Frame:
    mention: tuple[int, int] | None  # sentence offsets
    cue: tuple[int, int]
    content: tuple[int, int]
    post: bool
    according: bool = False
    description: str | None = None
    confidence: float = 0.85
    source: SourceGuess | None = None
    link_conf: float = 1.0
    document: str | None = None  # "said in its readout": the readout speaks
    lead: tuple[int, int] | None = None  # "X did A and said B": A is the article's


_COMPANY_NOUNS = (
    "company|firm|chain|maker|retailer|manufacturer|group|bank|lender|insurer|airline|"
    "carrier|producer|supplier|operator|developer|startup|conglomerate|grocer|automaker|"
    "utility|giant|brand|business|distributor|processor|owner"
)
_CAP_WORD = r"[A-Z][\w\u2019'&\-]*"
_COMPANY_APPOS = re.compile(
    r"(?P<name>(?:" + _CAP_WORD + r"\s+){0,4}" + _CAP_WORD + r")"
    r"(?:\s+(?:Inc|Corp|Co|Ltd|LLC|PLC|Plc)\.?)?,\s+(?:the|a|an)\s+"
    r"(?:[\w\u2019'\-]+\s+){1,4}?(?:" + _COMPANY_NOUNS + r")\b"
)
_COMPANY_SUFFIX = re.compile(
    r"(?P<name>(?:" + _CAP_WORD + r"\s+){0,4}" + _CAP_WORD + r")\s+(?:Inc|Corp|Ltd|LLC|PLC|Plc)\b"
)
_NOT_NAME_START = set(
    "in on at for after before by with from since during last this but and as when while "
    "under like unlike meanwhile the a an".split()
)
_MONTHS = set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_COMPANY_BACK = re.compile(
    r"(?i)^(?:(?P<role>(?:a|an|the)\s+(?:[\w\-]+\s+)?"
    r"(?:spokesperson|spokesman|spokeswoman|representative|official|executive)\s+"
    r"(?:for|of|at)\s+)?the\s+)(?:" + _COMPANY_NOUNS + r")$"
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
    tracker: SourceTracker = field(default_factory=SourceTracker)
    claims: list[ExtractedClaim] = field(default_factory=list)
    chain_speaker: dict[int, SourceGuess] = field(default_factory=dict)
    pending: list[_Pending] = field(default_factory=list)
    last_quote_speaker: SourceGuess | None = None
    last_quote_sentence: int = -10
    # Companies the narrative named ("Acme Inc.", "Acme, the snack maker"): what a
    # later "the company said" means when no company has spoken yet.
    narrative_orgs: list[SourceGuess] = field(default_factory=list)
    _current: int = 0
    _scanned: int = 0  # sentences scanned for company names so far (done lazily)

    def __post_init__(self) -> None:
        self.quotes = Quotes(self.text)

    # ---- driver ---------------------------------------------------------
    def run(self) -> list[ExtractedClaim]:
        for sent in self.sentences:
            self._sentence(sent)
        # Quote pieces before their attribution ("“A. B,” she said.") learn it now.
        for p in self.pending:
            c = self.claims[p.claim_index]
            src = self.chain_speaker.get(p.chain)
            conf = 0.85
            if src is None:
                src, conf = p.fallback, 0.7
            if src is not None:
                self.claims[p.claim_index] = ExtractedClaim(
                    sentence_index=c.sentence_index,
                    start=c.start,
                    end=c.end,
                    type=AttributionType.direct_quote,
                    confidence=conf,
                    source=src,
                )
        return self.claims

    def _sentence(self, sent: SentenceSpan) -> None:
        s0, s1 = sent.start, sent.end
        masked = self.quotes.masked(self.text, s0, s1)
        toks = _tokens(masked)
        frames = self._frames(masked, toks)
        quotes = self.quotes.overlapping(s0, s1)
        produced: list[tuple[int, int]] = []
        dl = _DATELINE.match(self.text, s0, s1)
        self._current = sent.index
        dl_end = dl.end() if dl is not None and dl.end() < s1 else s0
        if (
            sent.index == 0
            and frames
            and _title_case_headline(self.text, s0, s1)
            and not any(_named_mention(masked, f) for f in frames)
        ):
            # "Voters Say They Are Worried", "Officials Warn ...": in a title-case
            # headline every word is capitalised, so only a real name (as in "Biden
            # Says ...") is trusted as a source; otherwise the line is the article's.
            self._add(sent, s0, s1, AttributionType.unattributed, 0.6, None, s0, None)
            return
        if frames:
            prev_source: SourceGuess | None = None
            for f in frames:
                if f.according or f.mention is not None:
                    mention_text = masked[f.mention[0] : f.mention[1]] if f.mention else ""
                    src, link = self.tracker.resolve(mention_text)
                    src, link = self._company_back(mention_text, src, link)
                    if src is not None and f.description and not src.description:
                        src = _with_description(src, f.description)
                    if src is not None and f.document:
                        src = SourceGuess(
                            name=f"{src.name} {f.document}",
                            kind=SourceKind.document,
                            affiliation=src.name,
                            aliases=(src.name, *src.aliases),
                        )
                    f.source, f.link_conf = src, link
                else:
                    f.source, f.link_conf = prev_source, 0.9
                if f.source is not None:
                    self.tracker.note(
                        f.source, masked[f.mention[0] : f.mention[1]] if f.mention else ""
                    )
                    prev_source = f.source
                span = self._content(s0, f.content[0], f.content[1])
                if span is None:
                    if masked[f.cue[1] :].strip() in (":", "") and f.source is not None:
                        # "He said:" — the quote follows in the next paragraph.
                        self.last_quote_speaker = f.source
                        self.last_quote_sentence = sent.index
                    continue
                start, end, typ = span
                if start < dl_end < end:
                    start = dl_end
                if f.lead is not None:
                    lead = self._content(s0, max(f.lead[0], dl_end - s0), f.lead[1])
                    if lead is not None:
                        self._add(
                            sent,
                            lead[0],
                            lead[1],
                            AttributionType.unattributed,
                            0.7,
                            None,
                            s0,
                            None,
                        )
                if f.according:
                    typ = AttributionType.according_to
                conf = round(f.confidence * f.link_conf, 3)
                self._add(sent, start, end, typ, conf, f.source, s0, f)
                produced.append((start, end))
                if typ in (AttributionType.direct_quote, AttributionType.mixed):
                    for q in self.quotes.overlapping(start, end):
                        if f.source is not None:
                            self.chain_speaker.setdefault(q.chain, f.source)
            speaker = next((f.source for f in frames if f.source is not None), None)
            # Quotes in the sentence outside any frame's content: "“A,” he said, “B.”"
            for q in quotes:
                piece = _piece(self.text, q, s0, s1)
                if piece is None or any(_overlaps(piece, p) for p in produced):
                    continue
                src = self.chain_speaker.get(q.chain, speaker)
                self._add(
                    sent,
                    piece[0],
                    piece[1],
                    AttributionType.direct_quote,
                    0.8 if src else 0.3,
                    src,
                    s0,
                    None,
                )
                if src is not None:
                    self.chain_speaker.setdefault(q.chain, src)
            # Keep text order inside the sentence (leftover quotes were added last).
            first = (
                next(
                    (
                        n
                        for n in range(len(self.claims) - 1, -1, -1)
                        if self.claims[n].sentence_index != sent.index
                    ),
                    -1,
                )
                + 1
            )
            self.claims[first:] = sorted(self.claims[first:], key=lambda c: (c.start, c.end))
            if any(
                c.sentence_index == sent.index
                and c.source is not None
                and self.quotes.overlapping(c.start, c.end)
                for c in self.claims[-4:]
            ):
                self.last_quote_speaker = speaker
                self.last_quote_sentence = sent.index
            return

        # No frame: a quote piece, or the article's own statement.
        pieces = [p for q in quotes if (p := _piece(self.text, q, s0, s1)) is not None]
        covered = sum(e - s for s, e in pieces)
        body = len(masked.strip()) or 1
        chained = any(q.chain in self.chain_speaker for q in quotes) or any(
            q.open_mark is not None and q.open_mark < s0 for q in quotes
        )
        if pieces and (covered / body >= 0.5 or chained):
            fallback = (
                self.last_quote_speaker if sent.index - self.last_quote_sentence <= 2 else None
            )
            for q in quotes:
                piece = _piece(self.text, q, s0, s1)
                if piece is None:
                    continue
                src = self.chain_speaker.get(q.chain)
                if src is not None:
                    self._add(
                        sent, piece[0], piece[1], AttributionType.direct_quote, 0.85, src, s0, None
                    )
                else:
                    self.pending.append(_Pending(len(self.claims), q.chain, fallback))
                    self._add(
                        sent, piece[0], piece[1], AttributionType.direct_quote, 0.3, None, s0, None
                    )
                    src = fallback
            self.last_quote_speaker = src if src is not None else self.last_quote_speaker
            self.last_quote_sentence = sent.index
            return
        start = dl_end
        self._note_subject(masked, toks)
        # A cue word the grammar could not use makes the sentence doubtful.
        conf = 0.6 if any(t.low in CUE_FORMS for t in toks) else 0.9
        self._add(sent, start, s1, AttributionType.unattributed, conf, None, s0, None)

    def _note_companies(self, s0: int, s1: int) -> None:
        for rx in (_COMPANY_APPOS, _COMPANY_SUFFIX):
            for mt in rx.finditer(self.text, s0, s1):
                words = mt.group("name").split()
                if words and words[0].casefold() in ("the", "a", "an"):
                    words = words[1:]
                if not words or words[0].casefold() in _NOT_NAME_START | STOP_CAPS:
                    continue  # "In Ohio, the family-owned chain ...": an adverbial
                before = self.text[max(s0, mt.start() - 12) : mt.start()].split()
                if before and before[-1].casefold() in _NOT_NAME_START:
                    continue  # "by the end of March, the company said"
                if any(w.casefold() in TIME_WORDS or w.casefold() in _MONTHS for w in words):
                    continue
                name = " ".join(words)
                guess = canonical_source(name)
                if normalize_name(guess.name) != normalize_name(name):
                    continue
                if guess.kind in (SourceKind.government, SourceKind.media, SourceKind.news_agency):
                    continue
                self.narrative_orgs.append(SourceGuess(name=name, kind=SourceKind.organization))

    def _company_back(
        self, mention: str, src: SourceGuess | None, link: float
    ) -> tuple[SourceGuess | None, float]:
        """ "the company said", "a spokesperson for the company": the company the
        narrative named, when the tracker found no named organisation."""
        mt = _COMPANY_BACK.match(mention.strip())
        if mt is None:
            return src, link
        while self._scanned <= self._current:
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
        return org, 0.75

    def _note_subject(self, m: str, toks: list[Token]) -> None:
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
        if i >= len(toks) or not _is_name(toks[i]):
            return
        j = _np_right(m, toks, i, limit=5)
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
                and toks[j].low not in SOURCE_NOUNS
            ):
                self.tracker.note(guess, mention)
            return
        self.tracker.note(src)

    def _add(
        self,
        sent: SentenceSpan,
        start: int,
        end: int,
        typ: AttributionType,
        conf: float,
        src: SourceGuess | None,
        s0: int,
        f: Frame | None,
    ) -> None:
        kw: dict[str, object] = {}
        if f is not None and typ != AttributionType.unattributed:
            if f.mention is not None:
                kw.update(
                    mention=self.text[s0 + f.mention[0] : s0 + f.mention[1]],
                    mention_start=s0 + f.mention[0],
                    mention_end=s0 + f.mention[1],
                )
            kw.update(
                cue=self.text[s0 + f.cue[0] : s0 + f.cue[1]],
                cue_start=s0 + f.cue[0],
                cue_end=s0 + f.cue[1],
            )
        self.claims.append(
            ExtractedClaim(
                sentence_index=sent.index,
                start=start,
                end=end,
                type=typ,
                confidence=conf,
                source=src if typ != AttributionType.unattributed else None,
                **kw,  # type: ignore[arg-type]
            )
        )

    # ---- content spans --------------------------------------------------
    def _content(self, s0: int, a: int, b: int) -> tuple[int, int, AttributionType] | None:
        text = self.text
        a, b = s0 + a, s0 + b
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

    # ---- frames ---------------------------------------------------------
    def _frames(self, m: str, toks: list[Token]) -> list[Frame]:
        if not toks:
            return []
        found: list[Frame] = []
        # A set look-up per token is far cheaper than the big alternation regex.
        for i, t in enumerate(toks):
            word = t.low
            if word == "according":
                if i + 1 >= len(toks) or toks[i + 1].low != "to":
                    continue
                f = _according(m, toks, i)
            elif word in CUE_FORMS or word in OBJECT_QUOTE_FORMS:
                f = _verb_frame(m, toks, i, word)
            else:
                continue
            if f is not None:
                found.append(f)
        if not found:
            return []
        found.sort(key=lambda f: f.cue[0])
        # A post-posed frame owns everything before it: inner cues are its content.
        frames: list[Frame] = []
        for f in found:
            if f.post:
                frames = [g for g in frames if g.cue[0] >= f.content[1] and g is not f]
                frames.append(f)
                lead = frames[-2].content[1] if len(frames) > 1 else 0
                f.content = (max(f.content[0], lead), f.content[1])
                continue
            if frames and frames[-1].post is False and f.mention is not None:
                prev = frames[-1]
                # A second frame inside the previous content needs a clause break.
                gap = m[prev.content[0] : f.mention[0]]
                if not re.search(
                    r"[,;]\s*(?:and|but|while|whereas|although)?\s*$|\s(?:but|"
                    r"while|whereas)\s+$",
                    gap,
                ):
                    continue
                prev.content = (prev.content[0], _clause_end(m, f.mention[0]))
            frames.append(f)
        # "A happened, and officials warned that B": A is the article's own claim.
        f0 = frames[0]
        if not f0.post and f0.mention is not None and f0.lead is None and not f0.according:
            prefix = m[: f0.mention[0]]
            if _LEAD_BREAK.search(prefix) and len(_TOKEN_RE.findall(prefix)) >= 5:
                f0.lead = (0, _clause_end(m, f0.mention[0]))
        # Chains: "..., adding that ...", "... and maintains ..." continue a frame.
        out: list[Frame] = []
        for f in frames:
            out.append(f)
            if f.post:
                tail = _chain_after(m, f.cue[1], len(m), f)
                out.extend(tail)
                continue
            pieces = _chain_split(m, f)
            out[-1:] = pieces
        return out


_MINOR_WORDS = set(
    "a an the of in on at to for and but or nor with by as from into over vs via per "
    "is are be".split()
)


def _named_mention(m: str, f: Frame) -> bool:
    """A mention whose words are not all role or group nouns ("Biden", "CDC")."""
    if f.mention is None:
        return False
    words = re.findall(r"[\w\u2019'\-.]+", m[f.mention[0] : f.mention[1]])
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
    major = [w for w in words if w.casefold() not in _MINOR_WORDS]
    if len(words) < 4 or len(major) < 3:
        return False
    return sum(w[0].isupper() for w in major) >= 0.85 * len(major)


def _with_description(src: SourceGuess, desc: str) -> SourceGuess:
    from dataclasses import replace

    return replace(src, description=desc)


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


def _tokens(m: str) -> list[Token]:
    out = []
    for t in _TOKEN_RE.finditer(m):
        s, e = t.start(), t.end()
        word = t.group()
        if (
            e < len(m)
            and m[e] == "."
            and (
                "." in word
                or word.casefold() in _ABBREV
                or (len(word) == 1 and word.isupper())
                or _PARTY_TAG.match(word) is not None
            )
        ):
            e += 1
            word += "."
        out.append(Token(s, e, word, word.casefold()))
    return out


def _is_name(t: Token) -> bool:
    w = t.text
    return w[:1].isupper() and w.rstrip(".") not in STOP_CAPS


def _part_of_a_name(m: str, toks: list[Token], i: int) -> bool:
    """A cue word with a noun reading, capitalized right after a name ("United
    States", "Washington Post", "Daily Report"): the end of the name, not a cue."""
    return (
        CUE_FORMS.get(toks[i].low) in NOUNLIKE_BASE
        and toks[i].text[:1].isupper()
        and i > 0
        and _is_name(toks[i - 1])
        and not _gap(m, toks, i - 1).strip()
    )


def _gap(m: str, toks: list[Token], k: int) -> str:
    """The characters between token k and token k + 1."""
    return m[toks[k].end : toks[k + 1].start]


def _np_left(m: str, toks: list[Token], j: int, speech: bool = False) -> int | None:
    """Index of the first token of a source mention ending at token j, or None."""
    head = toks[j]
    if head.low in PRONOUNS:
        return j
    if (
        head.text.isdigit()
        and j > 0
        and toks[j - 1].text in NUMBERED_UNITS
        and not _gap(m, toks, j - 1).strip()
    ):
        # "United Food and Commercial Workers Local 1059": the number ends the name.
        return _np_left(m, toks, j - 1, speech)
    if head.low in RELATIVES:
        return None
    if not (
        _is_name(head)
        or head.low in SOURCE_NOUNS
        or _generic_head(m, toks, j)
        or (speech and _determined_noun(m, toks, j))
    ):
        fam = _FAMILIAR_LEFT.search(m, 0, head.end)
        if fam is None:
            return None
        # "people familiar with the matter": restart the walk at "people".
        j = next(x for x, t in enumerate(toks) if t.start >= fam.start())
        if toks[j].low not in SOURCE_NOUNS and not _generic_head(m, toks, j):
            return None
        head = toks[j]
    committed = j
    pending_unknown = 0
    k = j - 1
    while k >= 0:
        g = _gap(m, toks, k).strip()
        if g in ("\u2019", "'") and toks[k].low.endswith("s") and toks[k].text.isalpha():
            g = ""  # plural possessive: "the farmers’ union"
        if g and not (g == "&" and _is_name(toks[k]) and _is_name(toks[k + 1])):
            if any(c in _CLAUSE_PUNCT for c in g):
                committed = _adjectives_to_boundary(toks, k + 1, committed, j)
            break
        t = toks[k]
        if (
            t.low == "and"
            and k > 0
            and _is_name(toks[k - 1])
            and _is_name(toks[k + 1])
            and any(x.low in _ORG_HEADS for x in toks[max(0, k - 4) : j + 1])
        ):
            k -= 1
            continue
        if t.low in DETERMINERS and not _is_name(t) or t.text in ("The", "A", "An"):
            committed = k
            # "officials at the Pentagon", "people familiar with the matter"
            if (
                k >= 2
                and toks[k - 1].low in _CONNECTORS
                and not _gap(m, toks, k - 1).strip()
                and not _gap(m, toks, k - 2).strip()
                and (toks[k - 2].low in SOURCE_NOUNS or toks[k - 2].low in MODIFIERS)
            ):
                k -= 1
                pending_unknown = 1
                continue
            if (
                k >= 2
                and toks[k - 1].low == "of"
                and toks[k - 2].low in _PARTITIVES
                and not _gap(m, toks, k - 1).strip()
                and not _gap(m, toks, k - 2).strip()
            ):
                committed = k - 2  # "one of the people", "two of the lawyers"
            break
        if t.low in _CONNECTORS:
            pending_unknown += 1
        elif _is_name(t) or t.low in SOURCE_NOUNS or t.low in MODIFIERS:
            if t.low in CLAUSE_OPENERS or t.low in AUXILIARIES:
                break
            if t.low in CUE_FORMS and not _part_of_a_name(m, toks, k):
                break  # "United States Attorney Jessie Liu said": States is the name's
            committed = k
            pending_unknown = 0
        elif (
            t.text.islower()
            and t.low not in CUE_FORMS
            and t.low not in CLAUSE_OPENERS
            and t.low not in AUXILIARIES
            and pending_unknown < 2
        ):
            pending_unknown += 1
        else:
            break
        k -= 1
    if k < 0:
        committed = _adjectives_to_boundary(toks, 0, committed, j)
    # Connectors and unknown words only count when something nameable precedes them.
    while committed < j and toks[committed].low in _CONNECTORS:
        committed += 1
    return committed


def _adjectives_to_boundary(toks: list[Token], a: int, committed: int, j: int) -> int:
    """ ", previous research has shown": plain words between a clause break and a
    listed source noun modify it, so the mention starts at the break."""
    if a >= committed or toks[j].low not in SOURCE_NOUNS or committed - a > 2:
        return committed
    if all(
        t.text.isalpha() and t.text.islower() and t.low not in _NOT_HEADS for t in toks[a:committed]
    ):
        return a
    return committed


_PARTITIVES = set("one two three four several some many most both each another".split())
_FAMILIAR = (
    r"(?:familiar\s+with|close\s+to|briefed\s+on|with\s+(?:direct\s+)?knowledge\s+of|"
    r"knowledgeable\s+about|involved\s+in)\s+(?:the\s+|a\s+|an\s+)?"
    r"[\w\-\u2019']+(?:\s+[\w\-\u2019']+)?"
)
_FAMILIAR_LEFT = re.compile(r"(?i)\b[\w\-]+\s+" + _FAMILIAR + r"$")
_FAMILIAR_RIGHT = re.compile(r"(?i)[\w\-]+\s+" + _FAMILIAR + r"(?=\s*(?:[,.;:!?]|$))")

_NOT_HEADS = (
    CLAUSE_OPENERS
    | AUXILIARIES
    | ADVERBS
    | RELATIVES
    | _CONNECTORS
    | _OBJECT_PRONOUNS
    | DETERMINERS
    | set(CUE_FORMS)
    | TIME_WORDS
    | set("not also just only even so very more less than what there here".split())
)


def _generic_head(m: str, toks: list[Token], j: int) -> bool:
    """An unlisted plural noun right after a clause break: ", firefighters said"."""
    t = toks[j]
    if not (t.text.isalpha() and t.text.islower() and len(t.text) > 3 and t.low.endswith("s")):
        return False
    if t.low in _NOT_HEADS or t.low.endswith(("ss", "us", "is", "ous")):
        return False
    return _left_boundary_ok(m, toks, j)


def _determined_noun(m: str, toks: list[Token], j: int) -> bool:
    """ "the striker said": any noun after a determiner, for verbs of speech only."""
    t = toks[j]
    if not (t.text.isalpha() and t.text.islower()) or t.low in _NOT_HEADS or j == 0:
        return False
    prev = toks[j - 1]
    return not _gap(m, toks, j - 1).strip() and (
        prev.low in ("the", "a", "an", "its", "his", "her", "their")
        or prev.low.endswith(("'s", "\u2019s"))
    )


def _left_boundary_ok(m: str, toks: list[Token], a: int) -> bool:
    if a == 0:
        before = m[: toks[0].start]
        return True if not before.strip() else any(c in _CLAUSE_PUNCT for c in before)
    gap = _gap(m, toks, a - 1)
    if any(c in _CLAUSE_PUNCT for c in gap):
        return True
    return toks[a - 1].low in CLAUSE_OPENERS


def _np_right(m: str, toks: list[Token], i: int, limit: int = 8) -> int | None:
    """Index of the last token of a mention starting at token i, or None."""
    if i >= len(toks):
        return None
    j = i
    if toks[j].low in PRONOUNS:
        return j
    if toks[j].low in DETERMINERS:
        j += 1
    fam = _FAMILIAR_RIGHT.match(m, toks[j].start) if j < len(toks) else None
    if fam is not None:
        return max(x for x, t in enumerate(toks) if t.end <= fam.end())
    last: int | None = None
    unknown = 0
    while j < len(toks) and j - i < limit:
        if j > i and _gap(m, toks, j - 1).strip():
            break
        t = toks[j]
        if j > i and t.low == "that":
            break  # "told Reuters that the bank ...": the clause starts here
        if (
            _is_name(t)
            or t.low in SOURCE_NOUNS
            or (t.low in MODIFIERS and t.low not in _CONNECTORS)
        ):
            last = j
            unknown = 0
        elif (
            t.low in _CONNECTORS
            or t.low in DETERMINERS
            or (
                t.text.islower()
                and unknown < 2
                and t.low not in CUE_FORMS
                and t.low != "that"
                and t.low not in _ADJUNCT_START
            )
        ):
            unknown += 1
        else:
            break
        j += 1
    return last


def _cue_start(m: str, toks: list[Token], i: int, word: str) -> tuple[int, set[str]] | None:
    """Walk left over auxiliaries and adverbs: the first cue token and the words seen."""
    seen: set[str] = set()
    k = i
    if word == "saying" and k >= 2 and toks[k - 1].low == "as" and toks[k - 2].low == "quoted":
        k -= 2
        seen.add("quoted")
    while (
        k > 0
        and not _gap(m, toks, k - 1).strip()
        and (
            toks[k - 1].low in AUXILIARIES
            or toks[k - 1].low in ADVERBS
            or toks[k - 1].low in ("n't", "not")
        )
    ):
        # "has long maintained", "was quoted as saying"; stop at a verb's subject.
        if (
            toks[k - 1].low in ADVERBS
            and k - 1 > 0
            and toks[k - 2].low not in AUXILIARIES
            and not _is_name(toks[k - 2])
            and toks[k - 2].low not in SOURCE_NOUNS
            and toks[k - 2].low not in PRONOUNS
        ):
            break
        k -= 1
        seen.add(toks[k].low)
    # Adverbs directly before the subject's verb belong to the cue only after an auxiliary.
    while k < i and toks[k].low in ADVERBS and not (seen & AUXILIARIES):
        k += 1
    return k, seen


def _skip_object(m: str, toks: list[Token], i: int) -> int:
    """After "told": skip "reporters", "The Associated Press", "him"; next token index."""
    if i >= len(toks) or _gap(m, toks, i - 1).strip():
        return i
    t = toks[i]
    if t.low in _OBJECT_PRONOUNS:
        return i + 1
    j = _np_right(m, toks, i, limit=6)
    if j is None:
        return i
    while (
        j + 1 < len(toks)
        and toks[j + 1].low in _AUDIENCE
        and not _gap(m, toks, j).strip()
        and toks[j + 1].text.islower()
    ):
        j += 1
    # Trailing connector words are not part of the object.
    return j + 1


def _content_start(m: str, pos: int) -> tuple[int, bool]:
    """Where reported content begins after a cue; and whether "that", ":" or a quote led in."""
    rest = m[pos:]
    off = 0
    for _ in range(3):
        a = ADJUNCT_RE.match(rest, off)
        if a is None or a.end() == off:
            ws = re.match(r"\s*", rest[off:])
            if ws is not None:
                nxt = off + ws.end()
                a2 = ADJUNCT_RE.match(rest, nxt)
                if a2 is not None and a2.end() > nxt:
                    off = a2.end()
                    continue
            break
        off = a.end()
    lead = re.match(r"\s*(?:,\s*)?(?:that\b|:|,)?\s*", rest[off:])
    marked = False
    if lead is not None:
        led = rest[off : off + lead.end()]
        marked = "that" in led or ":" in led
        off += lead.end()
    if rest[off : off + 1] and rest[off : off + 1] in _QUOTE_OPEN:
        marked = True
    return pos + off, marked


_OBJECT_QUOTE = re.compile(
    "(?P<obj>[^,;:.!?\u2014\u2013"
    + re.escape(_QUOTE_OPEN)
    + "]{1,80}?)\\s*(?=["
    + re.escape(_QUOTE_OPEN)
    + "])"
)
_NOT_OBJECT = re.compile(r"(?i)^\s*(?:for|on|off|up|in|out|back|to|upon|at|that)\b")


# "described it as “…”", "described as China’s “…” conduct", "as a “…”"
_AS_BEFORE_QUOTE = re.compile(
    r"(?i)\sas(?:\s+(?:[\w\-]+['\u2019]s|a|an|the|its|their|his|her))?\s*$"
)


def _object_quote(m: str, pos: int, lemma: str) -> int | None:
    """ "called the vote “…”": the position of the quote after the object, or None."""
    o = _OBJECT_QUOTE.match(m, pos)
    if o is None:
        return None
    obj = o.group("obj")
    if _NOT_OBJECT.match(obj) or len(obj.split()) > 8:
        return None
    if lemma in OBJECT_AS_VERBS and not _AS_BEFORE_QUOTE.search(obj):
        return None
    return o.end()


# "claims the islands", "claimed responsibility for": the object is a thing owned.
_CLAIMED_THINGS = set(
    "rights right sovereignty ownership jurisdiction territory territories title titles "
    "credit responsibility victory land lands island islands waters sea seas region "
    "area areas seat seats prize lives life stake share".split()
)
_CLAIMED_LEAD = re.compile(
    r"(?i)\s*(?:almost\s+|nearly\s+)?(?:the\s+)?(?:entire|whole|most|much|all|parts?)\b"
)


def _claims_a_thing(m: str, toks: list[Token], i: int) -> bool:
    rest = m[toks[i].end :]
    if re.match(r"\s*(?:that\b|:|,)", rest) or rest.lstrip()[:1] in _QUOTE_OPEN:
        return False
    if _CLAIMED_LEAD.match(rest):
        return True
    for t in toks[i + 1 : i + 5]:
        if t.low in _CLAIMED_THINGS:
            return True
        if t.low in AUXILIARIES or t.low in RELATIVES:
            break
    return False


# "X condemned what it described as “…”": X is who uses the words.
_STANCE_VERBS = set(
    "condemned condemns criticized criticised criticizes criticises denounced denounces "
    "welcomed welcomes praised praises rejected rejects decried decries slammed slams "
    "blasted blasts hailed hails protested protests opposed opposes lamented laments "
    "deplored deplores assailed assails mocked mocks".split()
)


def _what_it_called(
    m: str, toks: list[Token], k: int
) -> tuple[tuple[int, int], str | None, int] | None:
    """The subject of "condemned" in "X condemned what it called “…”": mention, description
    and where the cue begins; None unless the pattern is exactly that."""
    if k < 4 or toks[k - 1].low not in PRONOUNS or toks[k - 2].low != "what":
        return None
    v = k - 3
    if toks[v].low not in _STANCE_VERBS or any(_gap(m, toks, n).strip() for n in (v, v + 1, k - 1)):
        return None
    j = v - 1
    gap = _gap(m, toks, j).strip()
    if not gap:
        a = _np_left(m, toks, j)
        if a is None or not _left_boundary_ok(m, toks, a):
            return None
        return (toks[a].start, toks[j].end), None, toks[v].start
    if gap == ",":
        found = _appositive(m, toks, j, gap)
        if found is not None:
            return found[0], found[1], toks[v].start
    return None


def _verb_frame(m: str, toks: list[Token], i: int, word: str) -> Frame | None:
    lemma = CUE_FORMS.get(word) or OBJECT_QUOTE_FORMS[word]
    quote_at: int | None = None
    if word in OBJECT_QUOTE_FORMS and word not in CUE_FORMS:
        quote_at = _object_quote(m, toks[i].end, lemma)
        if quote_at is None:
            return None
    is_ing = word.endswith("ing")
    if _part_of_a_name(m, toks, i):
        return None  # "the United States", "the Daily Report": part of a name
    if lemma == "claim" and _claims_a_thing(m, toks, i):
        return None  # "China claims most of the sea": a claim to territory or rights
    if lemma == "add" and i + 1 < len(toks) and toks[i + 1].low in ("to", "up"):
        return None  # "the study adds to a body of research"
    cs = _cue_start(m, toks, i, word)
    if cs is None:
        return None
    k, seen = cs
    if seen & {"not", "n't", "never"}:
        return None  # "did not say": not a claim of the subject
    if seen & BE_FORMS and not is_ing and "quoted" not in seen:
        return None  # passive: "was told", "is said to"
    if is_ing and not (seen & BE_FORMS or "quoted" in seen):
        return None  # "adding that" only continues a frame
    # A cue immediately followed by another cue is part of the subject ("news reports said").
    if (
        i + 1 < len(toks)
        and not _gap(m, toks, i).strip()
        and (toks[i + 1].low in CUE_FORMS or toks[i + 1].low in AUXILIARIES)
        and lemma != "say"
    ):
        if toks[i + 1].low not in ("that", "to"):
            return None
    cue = (toks[k].start, toks[i].end)
    after = i + 1
    if lemma == "tell":
        after = _skip_object(m, toks, i + 1)
    after_pos = toks[after].start if after < len(toks) and after > i + 1 else toks[i].end
    if lemma == "tell" and after > i + 1:
        after_pos = toks[after - 1].end
    if quote_at is not None:
        after_pos = quote_at
    mention: tuple[int, int] | None = None
    description: str | None = None
    post = False
    if k > 0:
        j = k - 1
        # "Smith also said": the adverb sits between the subject and the cue.
        while (
            j > 0
            and toks[j].low in ADVERBS
            and not _gap(m, toks, j).strip()
            and not _gap(m, toks, j - 1).strip()
        ):
            j -= 1
        gap = _gap(m, toks, j)
        if not gap.strip():
            a = _np_left(m, toks, j, speech=lemma in SPEECH_VERBS)
            if a is not None and _left_boundary_ok(m, toks, a):
                mention = (toks[a].start, toks[j].end)
        elif gap.strip() in (",", "\u2014", "\u2013", "--"):
            found = _appositive(m, toks, j, gap.strip())
            if found is not None:
                mention, description = found
    if (
        mention is None
        and k > 0
        and toks[k - 1].low in ("and", "but")
        and not _gap(m, toks, k - 1).strip()
    ):
        return _shared_subject(m, toks, k, cue, after_pos)
    if (
        mention is None
        and k > 1
        and toks[k - 1].low == "who"
        and not _gap(m, toks, k - 1).strip()
        and _gap(m, toks, k - 2).strip() == ","
    ):
        return _relative_speaker(m, toks, k, lemma, cue, after_pos)
    if mention is None and quote_at is not None:
        called = _what_it_called(m, toks, k)
        if called is not None:
            mention, description, cue = called[0], called[1], (called[2], cue[1])
    if mention is None and k > 0:
        by = _EVIDENCE_BY.match(m[: toks[k].start])
        if by is not None:
            # "A survey published in April by the X Foundation found that ...": X.
            mention = (by.start("org"), by.end("org"))
    if mention is None:
        if quote_at is not None:
            return None
        return _inverted(m, toks, i, k, lemma, cue)
    if quote_at is not None:
        return Frame(
            mention=mention,
            cue=cue,
            content=(quote_at, len(m)),
            post=False,
            description=description,
            confidence=0.85,
        )
    if lemma in NEEDS_THAT_OR_QUOTE or word in WEAK_FORMS:
        start, marked = _content_start(m, after_pos)
        # "..., previous research has shown." / "..., study finds": a weak verb
        # may close a sentence after its content.
        if not marked and (
            lemma in NEEDS_THAT_OR_QUOTE
            or not _remainder_is_adjunct(m, after_pos)
            and not (lemma in _EVIDENCE_VERBS and _evidence_subject(m, toks, mention))
        ):
            return None
    head_end = mention[0]
    if description:
        # "“Maybe,” the spokeswoman, Jo Reed, said": the role is not content.
        pre = m[: mention[0]].rstrip()
        if pre.endswith(",") and pre[:-1].rstrip().endswith(description):
            head_end = len(pre[:-1].rstrip()) - len(description)
    head_gap = m[:head_end]
    before = head_gap.rstrip()
    if (
        before
        and (before[-1] in ",\u2014\u2013" or before[-1] in _QUOTE_CLOSE or before.endswith(MASK))
        and _remainder_is_adjunct(m, after_pos)
    ):
        lead = before.rstrip(",\u2014\u2013- ")
        if lead.strip(MASK + " ") or MASK in lead:
            post = True
            boundary = len(before)
            if before[-1] in ",\u2014\u2013" or before[-1] in _QUOTE_CLOSE:
                boundary -= 1
            content = (0, boundary)
            rest = m[after_pos:].lstrip()
            if rest.startswith(",") and _parenthetical(rest[1:]):
                # "The plan, critics said, is flawed": the claim is the whole sentence.
                content = (0, len(m))
            return Frame(
                mention=mention,
                cue=cue,
                content=content,
                post=True,
                description=description,
                confidence=0.9,
                document=_document_after(m, toks[i].end),
            )
    start, marked = _content_start(m, after_pos)
    if start >= len(m.rstrip(" .")):
        return Frame(
            mention=mention, cue=cue, content=(start, start), post=False, description=description
        )
    if (
        not post
        and (word in WEAK_FORMS or lemma in _MARKED_ONLY)
        and not marked
        and not (lemma in _EVIDENCE_VERBS and _evidence_subject(m, toks, mention))
    ):
        return None
    conf = 0.9 if marked else 0.85
    return Frame(
        mention=mention,
        cue=cue,
        content=(start, len(m)),
        post=False,
        description=description,
        confidence=conf,
        document=_document_after(m, toks[i].end),
    )


_EVIDENCE_VERBS = {"show", "find"}
# "The club posted a loss": with a plain object these verbs report no speech.
_MARKED_ONLY = {"post"}
_EVIDENCE_NOUNS = set(
    "data figures statistics study studies survey surveys poll polls research analysis "
    "census records report estimates filings".split()
)


def _evidence_subject(m: str, toks: list[Token], mention: tuple[int, int]) -> bool:
    """ "data from Eurostat showed ...": evidence shows its content without "that"."""
    return any(
        t.low in _EVIDENCE_NOUNS for t in toks if mention[0] <= t.start and t.end <= mention[1]
    )


_EVIDENCE_BY = re.compile(
    r"\s*(?:A|An|The)\s+(?:[\w\-]+\s+){0,2}?"
    r"(?:survey|study|poll|report|analysis|review|audit|census)\s+"
    r"(?:[\w\-]+\s+){0,4}?(?:published|released|conducted|commissioned|carried\s+out|issued)"
    r"\s+(?:[\w.\-]+\s+){0,3}?by\s+(?P<org>(?:the\s+)?[A-Z][\w&'\u2019.\-]*"
    r"(?:\s+(?:of\s+|and\s+|for\s+)?[A-Z][\w&'\u2019.\-]*){0,6})\s*$"
)


_REL_CLOSE = re.compile(
    r",\s+(?=(?:has|have|had|was|were|is|are|will|would|did|does|can|could)\b)"
    r"|\s[\u2014\u2013]\s"
)


def _relative_speaker(
    m: str, toks: list[Token], k: int, lemma: str, cue: tuple[int, int], after_pos: int
) -> Frame | None:
    """`... opposed by most Democrats, who said it would ...`: the noun before "who" speaks.

    The rest of the sentence before the relative clause is the article's own claim.
    """
    start, marked = _content_start(m, after_pos)
    if start >= len(m.rstrip(" .")) or not (marked or lemma in SPEECH_VERBS):
        return None
    if lemma in NEEDS_THAT_OR_QUOTE and not marked:
        return None  # "who asked not to be named": a request, not reported content
    first = re.match(r"[\w\-']+", m[start:])
    if first is not None and first.group().casefold() in _CONNECTORS | {"against", "not"}:
        return None  # "who has warned against ...": no reported content
    j = k - 2
    head = toks[j]
    if not (
        _is_name(head)
        or head.low in SOURCE_NOUNS
        or (head.text.isalpha() and head.text.islower() and head.low.endswith("s"))
    ):
        return None
    a, steps = j, 0
    while a > 0 and steps < 4 and not _gap(m, toks, a - 1).strip():
        t = toks[a - 1]
        if t.low in DETERMINERS:
            a -= 1
            break
        if (
            t.low in _CONNECTORS
            or t.low in CUE_FORMS
            or t.low in AUXILIARIES
            or t.low in CLAUSE_OPENERS
            or t.low in RELATIVES
            or t.low in ADVERBS
        ):
            break
        a -= 1
        steps += 1
    close = _REL_CLOSE.search(m, start)
    end = close.start() if close is not None else len(m)
    return Frame(
        mention=(toks[a].start, toks[j].end),
        cue=cue,
        content=(start, end),
        post=False,
        confidence=0.8,
        lead=(0, toks[k - 1].start) if k - 1 >= 4 else None,
    )


def _shared_subject(
    m: str, toks: list[Token], k: int, cue: tuple[int, int], after_pos: int
) -> Frame | None:
    """`The union rejected the offer and insisted that ...`: the subject opens the sentence."""
    start, marked = _content_start(m, after_pos)
    if not marked or start >= len(m.rstrip(" .")):
        return None
    first = 0
    if m[: toks[0].start].strip(" " + MASK):
        return None
    j = _np_right(m, toks, first)
    if j is None or j + 1 >= k - 1 or any(c in m[toks[j].end : toks[k - 1].start] for c in ",;:"):
        return None
    if toks[first].low in PRONOUNS and toks[first].low not in ("he", "she", "it", "they"):
        return None
    return Frame(
        mention=(toks[first].start, toks[j].end),
        cue=cue,
        content=(start, len(m)),
        post=False,
        confidence=0.75,
        lead=(toks[first].start, toks[k - 1].start),
    )


def _document_after(m: str, pos: int) -> str | None:
    d = _DOCUMENT_AFTER.match(m, pos)
    return d.group(1).casefold() if d else None


def _parenthetical(rest: str) -> bool:
    """After "X said," more of the claim follows (not a quote, a chain or an adjunct)."""
    rest = rest.strip()
    if not rest or rest[0] in _QUOTE_OPEN or rest[0] == MASK:
        return False
    w = re.match(r"[\w\-']+", rest)
    if w is None:
        return False
    first = w.group().casefold()
    return (
        first not in CUE_FORMS
        and first not in _ADJUNCT_START
        and not (first.endswith("ing") and len(first) > 5)  # ", speaking on condition ..."
        and first not in ("and", "but", "who", "which", "the", "a", "an")
        and len(rest.split()) >= 2
    )


def _remainder_is_adjunct(m: str, pos: int) -> bool:
    """After a post-posed cue only circumstance may follow: time, place, channel."""
    rest = m[pos:].strip()
    if not rest or rest in (".", "!", "?"):
        return True
    if rest[0] in ",;.":
        return True
    w = re.match(r"[\w\-']+", rest)
    if w is None:
        return rest[0] in OPENERS or rest[0] == '"' and False
    first = w.group().casefold()
    if first not in _ADJUNCT_START:
        return False
    # "..., X said on Tuesday that ..." is pre-posed after all.
    clause = re.split(r"[,;]", rest, maxsplit=1)[0]
    return not re.search(r"\bthat\b", clause) and MASK not in clause


def _appositive(
    m: str, toks: list[Token], j: int, delim: str
) -> tuple[tuple[int, int], str | None] | None:
    """`X, the Treasury secretary, said` / `X, who ..., said` / `X — ... — said`."""
    k = j
    cue_inside = False
    while k > 0 and j - k < 25:
        gap = _gap(m, toks, k - 1)
        g = gap.strip()
        if g:
            if g == delim or (delim != "," and g in ("\u2014", "\u2013", "--")):
                a = _np_left(m, toks, k - 1)
                if (
                    a == k - 1
                    and a > 0
                    and _PARTY_TAG_FULL.match(toks[a].text)
                    and _gap(m, toks, a - 1).strip() == ","
                ):
                    # "Sen. X, D-Minn., who ..., said": hop over the tag.
                    a = _np_left(m, toks, a - 1)
                if (
                    a is None
                    and k >= 2
                    and toks[k - 2].low in ("his", "her", "their")
                    and _determined_noun(m, toks, k - 1)
                    and all(_is_name(t) for t in toks[k : j + 1])
                ):
                    a = k - 2  # "Her publicist, Jo Reed, said": the name speaks
                if a is None or not _left_boundary_ok(m, toks, a):
                    return None
                np_end = k - 1
                while _PARTY_TAG_FULL.match(toks[np_end].text) and np_end > a:
                    np_end -= 1
                np_span = (toks[a].start, toks[np_end].end)
                app = m[toks[k].start : toks[j].end]
                if toks[k].low in ("who", "which"):
                    # A cue inside the relative clause is not this frame's business.
                    return np_span, None
                if cue_inside:
                    return None
                app_toks = toks[k : j + 1]
                np_toks = toks[a:k]
                if not any(_is_name(t) for t in np_toks) and len(app_toks) >= 2:
                    n = 0
                    while n < len(app_toks) and _is_name(app_toks[n]):
                        n += 1
                    if n >= 2 and n < len(app_toks) and app_toks[n].low in _CONNECTORS:
                        # "Another analyst, Tom Becker of D.A. Davidson, said": Becker speaks.
                        return (
                            (app_toks[0].start, app_toks[n - 1].end),
                            m[np_span[0] : np_span[1]] + " " + m[app_toks[n].start : toks[j].end],
                        )
                if all(_is_name(t) for t in app_toks) and not all(_is_name(t) for t in np_toks):
                    # "The company's chief executive, John Smith, said": the name speaks.
                    return (toks[k].start, toks[j].end), m[np_span[0] : np_span[1]]
                return np_span, re.sub(r"^(?:the|a|an)\s+", "", app, flags=re.I)
            return None
        if toks[k - 1].low in CUE_FORMS and toks[k - 1].low not in ("that",):
            cue_inside = True
        k -= 1
    return None


def _inverted(
    m: str, toks: list[Token], i: int, k: int, lemma: str, cue: tuple[int, int]
) -> Frame | None:
    """`“...,” said Janet Yellen, the Treasury secretary.`"""
    if lemma not in _INVERTIBLE or k != i:
        return None
    before = m[: toks[i].start].rstrip()
    if not before or not (before[-1] in "," or before[-1] in _QUOTE_CLOSE):
        return None
    if not before.rstrip(",").strip():
        return None
    j = _np_right(m, toks, i + 1)
    if j is None or toks[i + 1].low in PRONOUNS and toks[i + 1].low != "he":
        return None
    rest = m[toks[j].end :].strip()
    description = None
    if rest.startswith(","):
        app = rest[1:].strip().rstrip(".").strip()
        if app and "," not in app and len(app.split()) <= 10 and not CUE_RE.search(app):
            description = re.sub(r"^(?:the|a|an)\s+", "", app, flags=re.I)
        elif not _remainder_is_adjunct(m, toks[j].end):
            return None
    elif not _remainder_is_adjunct(m, toks[j].end):
        return None
    mention = (toks[i + 1].start, toks[j].end)
    boundary = len(before) - 1
    return Frame(
        mention=mention,
        cue=cue,
        content=(0, boundary),
        post=True,
        description=description,
        confidence=0.9,
    )


def _according(m: str, toks: list[Token], i: int) -> Frame | None:
    cue = (toks[i].start, toks[i + 1].end) if i + 1 < len(toks) else None
    if cue is None:
        return None
    j = _np_right(m, toks, i + 2, limit=10)
    if j is None:
        return None
    mention = (toks[i + 2].start, toks[j].end)
    before = m[: toks[i].start].rstrip()
    after = m[toks[j].end :]
    if not before.strip(" " + MASK):
        # "According to X, ..."
        lead = re.match(r"\s*,?\s*", after)
        start = toks[j].end + (lead.end() if lead else 0)
        return Frame(
            mention=mention,
            cue=cue,
            content=(start, len(m)),
            post=False,
            according=True,
            confidence=0.9,
        )
    if before.endswith(","):
        rest = after.strip()
        if not rest or rest[0] in ".!?":
            return Frame(
                mention=mention,
                cue=cue,
                content=(0, len(before) - 1),
                post=True,
                according=True,
                confidence=0.9,
            )
        # An aside: "The plan would, according to X, include ..."
        return Frame(
            mention=mention, cue=cue, content=(0, len(m)), post=True, according=True, confidence=0.8
        )
    return None


def _clause_end(m: str, pos: int) -> int:
    """Back from a mention over the separator that opens its clause."""
    g = re.search(
        r"(?:[,;]\s*(?:and|but|while|whereas|although|though)?|\s(?:but|while|whereas))\s*$",
        m[:pos],
    )
    return g.start() if g else pos


def _chain_split(m: str, f: Frame) -> list[Frame]:
    """Split a pre-posed frame's content at "..., adding that" / "and maintains"."""
    out = [f]
    a, b = f.content
    while True:
        cur = out[-1]
        found = None
        for c in _CHAIN_RE.finditer(m, cur.content[0], b):
            w = c.group("cue").casefold()
            if c.start() <= cur.content[0]:
                continue
            if w.endswith("ing") and not c.group().lstrip().startswith(","):
                continue
            start, marked = _content_start(m, c.end())
            if w in WEAK_FORMS and not marked:
                continue
            if start >= b:
                continue
            found = (c, start)
            break
        if found is None:
            return out
        c, start = found
        cur.content = (cur.content[0], c.start())
        out.append(
            Frame(
                mention=None,
                cue=(c.start("cue"), c.end("cue")),
                content=(start, b),
                post=False,
                confidence=cur.confidence - 0.05,
            )
        )


def _chain_after(m: str, pos: int, b: int, f: Frame) -> list[Frame]:
    c = _CHAIN_RE.match(m, pos) or _CHAIN_RE.search(m, pos, min(b, pos + 40))
    if c is None:
        return []
    start, marked = _content_start(m, c.end())
    if start >= b:
        return []
    nf = Frame(
        mention=None,
        cue=(c.start("cue"), c.end("cue")),
        content=(start, b),
        post=False,
        confidence=0.8,
    )
    return [nf]

"""The mention grammar: where a source mention starts and ends around a cue,
where the cue starts, where its content starts, and the appositives between.

Every function here reads one sentence, with quote contents masked (``m``), and
its tokens; offsets are the sentence's.
"""

from __future__ import annotations

import re

from app.extraction.lexicon import (
    ADJUNCT_RE,
    ADJUNCT_START,
    ADVERBS,
    AUDIENCE,
    AUXILIARIES,
    CLAIMED_THINGS,
    CLAUSE_OPENERS,
    CONNECTORS,
    CUE_FORMS,
    CUES,
    DETERMINERS,
    MODIFIERS,
    MONTHS,
    NOT_HEADS,
    NUMBERED_UNITS,
    OBJECT_PRONOUNS,
    ORG_HEADS,
    PARTITIVES,
    PRONOUNS,
    RELATIVES,
    RELAYING,
    SOURCE_NOUNS,
    STANCE_VERBS,
    TIME_WORDS,
)
from app.extraction.quotes import CLOSERS, MASK, OPENERS, SINGLE_CLOSER, SINGLE_OPENER
from app.extraction.tokens import PARTY_TAG_FULL, Token, gap, is_name, part_of_a_name

CLAUSE_PUNCT = set(',;:(\u2014\u2013\u201c\u201d"\u00ab\u00bb' + MASK)
QUOTE_CLOSE = set(CLOSERS + '"' + SINGLE_CLOSER)
QUOTE_OPEN = OPENERS + '"' + SINGLE_OPENER
LEAD_BREAK = re.compile(r"(?:,\s*(?:and|but|while|whereas|though|although)|;)\s*$")
_DOCUMENT_AFTER = re.compile(
    r"\s*,?\s*in\s+(?:its|his|her|their|a|an|the)\s+(?:[\w\-]+\s+){0,2}?"
    r"(readout|report|memo|filing|assessment|transcript|indictment|lawsuit|complaint)"
    r"(?![\w\-])",
    re.IGNORECASE,
)


_SIGNED = set("signed published released issued written filed".split())


def np_left(m: str, toks: list[Token], j: int, speech: bool = False) -> int | None:
    """Index of the first token of a source mention ending at token j, or None."""
    head = toks[j]
    if head.low in PRONOUNS:
        return j
    if (
        head.text.isdigit()
        and j > 0
        and toks[j - 1].text in NUMBERED_UNITS
        and not gap(m, toks, j - 1).strip()
    ):
        # "United Food and Commercial Workers Local 1059": the number ends the name.
        return np_left(m, toks, j - 1, speech)
    if head.low in RELATIVES and not head.text.isupper():  # "WHO" is the organisation
        return None
    if not (
        is_name(head)
        or head.low in SOURCE_NOUNS
        or generic_head(m, toks, j)
        or (speech and determined_noun(m, toks, j))
    ):
        fam = _FAMILIAR_LEFT.search(m, 0, head.end)
        if fam is None:
            return None
        # "people familiar with the matter": restart the walk at "people".
        j = next(x for x, t in enumerate(toks) if t.start >= fam.start())
        if toks[j].low not in SOURCE_NOUNS and not generic_head(m, toks, j):
            return None
        head = toks[j]
    committed = j
    pending_unknown = 0
    k = j - 1
    while k >= 0:
        g = gap(m, toks, k).strip()
        if g in ("\u2019", "'") and toks[k].low.endswith("s") and toks[k].text.isalpha():
            g = ""  # plural possessive: "the farmers’ union"
        if g and not (g == "&" and is_name(toks[k]) and is_name(toks[k + 1])):
            if any(c in CLAUSE_PUNCT for c in g):
                committed = _adjectives_to_boundary(toks, k + 1, committed, j)
            break
        t = toks[k]
        if (
            t.low == "and"
            and k > 0
            and is_name(toks[k - 1])
            and is_name(toks[k + 1])
            and any(x.low in ORG_HEADS for x in toks[max(0, k - 4) : j + 1])
        ):
            k -= 1
            continue
        if t.low == "that" and k > 0 and toks[k - 1].low in CUE_FORMS:
            break  # "reported that Olga Varga said": "that" opens the clause
        if t.low in DETERMINERS and not is_name(t) or t.text in ("The", "A", "An"):
            committed = k
            if (
                k >= 3
                and toks[k - 1].low == "by"
                and toks[k - 2].low in _SIGNED
                and SOURCE_NOUNS.get(toks[k - 3].low) == "document"
            ):
                k -= 3  # "The decree signed by the Pope read"
                committed = k
                k -= 1
                continue
            # "officials at the Pentagon", "people familiar with the matter"
            if (
                k >= 2
                and toks[k - 1].low in CONNECTORS
                and not gap(m, toks, k - 1).strip()
                and not gap(m, toks, k - 2).strip()
                and (
                    toks[k - 2].low in SOURCE_NOUNS
                    or toks[k - 2].low in MODIFIERS
                    # "Cardinal Marc Ouellet of the Holy See said"
                    or (is_name(toks[k - 2]) and toks[k - 2].low not in CUE_FORMS)
                )
            ):
                k -= 1
                pending_unknown = 1
                continue
            if (
                k >= 2
                and toks[k - 1].low == "of"
                and toks[k - 2].low in PARTITIVES
                and not gap(m, toks, k - 1).strip()
                and not gap(m, toks, k - 2).strip()
            ):
                committed = k - 2  # "one of the people", "two of the lawyers"
            break
        if t.low in CONNECTORS:
            pending_unknown += 1
        elif is_name(t) or t.low in SOURCE_NOUNS or t.low in MODIFIERS:
            if t.low in CLAUSE_OPENERS or t.low in AUXILIARIES:
                break
            if t.low in CUE_FORMS and not part_of_a_name(m, toks, k):
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
    while committed < j and toks[committed].low in CONNECTORS:
        committed += 1
    return committed


def _adjectives_to_boundary(toks: list[Token], a: int, committed: int, j: int) -> int:
    """ ", previous research has shown": plain words between a clause break and a
    listed source noun modify it, so the mention starts at the break."""
    if a >= committed or toks[j].low not in SOURCE_NOUNS or committed - a > 2:
        return committed
    if all(
        t.text.isalpha() and t.text.islower() and t.low not in NOT_HEADS for t in toks[a:committed]
    ):
        return a
    return committed


_FAMILIAR = (
    r"(?:familiar\s+with|close\s+to|briefed\s+on|with\s+(?:direct\s+)?knowledge\s+of|"
    r"knowledgeable\s+about|involved\s+in)\s+(?:the\s+|a\s+|an\s+)?"
    r"[\w\-\u2019']+(?:\s+[\w\-\u2019']+)?"
)


_FAMILIAR_LEFT = re.compile(r"(?i)\b[\w\-]+\s+" + _FAMILIAR + r"$")


_FAMILIAR_RIGHT = re.compile(r"(?i)[\w\-]+\s+" + _FAMILIAR + r"(?=\s*(?:[,.;:!?]|$))")


def generic_head(m: str, toks: list[Token], j: int) -> bool:
    """An unlisted plural noun right after a clause break: ", firefighters said"."""
    t = toks[j]
    if not (t.text.isalpha() and t.text.islower() and len(t.text) > 3 and t.low.endswith("s")):
        return False
    if t.low in NOT_HEADS or t.low.endswith(("ss", "us", "is", "ous")):
        return False
    return left_boundary_ok(m, toks, j)


def determined_noun(m: str, toks: list[Token], j: int) -> bool:
    """ "the striker said": any noun after a determiner, for verbs of speech only."""
    t = toks[j]
    if not (t.text.isalpha() and t.text.islower()) or t.low in NOT_HEADS or j == 0:
        return False
    prev = toks[j - 1]
    return not gap(m, toks, j - 1).strip() and (
        prev.low in ("the", "a", "an", "its", "his", "her", "their")
        or prev.low.endswith(("'s", "\u2019s"))
    )


def left_boundary_ok(m: str, toks: list[Token], a: int) -> bool:
    if a == 0:
        before = m[: toks[0].start]
        return True if not before.strip() else any(c in CLAUSE_PUNCT for c in before)
    between = gap(m, toks, a - 1)
    if any(c in CLAUSE_PUNCT for c in between):
        return True
    if (toks[a - 1].low in TIME_WORDS or toks[a - 1].low in MONTHS) and (
        a == 1 or toks[a - 2].low in ("on", "in", "last", "this", "early", "late")
    ):
        return True  # "On Friday Ford Motor Company announced"
    if CUE_FORMS.get(toks[a - 1].low) in RELAYING and not toks[a - 1].low.endswith("ing"):
        return True  # "Znak.com reported its source said": a chain
    return toks[a - 1].low in CLAUSE_OPENERS


def np_right(m: str, toks: list[Token], i: int, limit: int = 8) -> int | None:
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
        if j > i and gap(m, toks, j - 1).strip():
            break
        t = toks[j]
        if j > i and t.low == "that":
            break  # "told Reuters that the bank ...": the clause starts here
        if is_name(t) or t.low in SOURCE_NOUNS or (t.low in MODIFIERS and t.low not in CONNECTORS):
            last = j
            unknown = 0
        elif (
            t.low in CONNECTORS
            or t.low in DETERMINERS
            or (
                t.text.islower()
                and unknown < 2
                and t.low not in CUE_FORMS
                and t.low != "that"
                and t.low not in ADJUNCT_START
                and t.low not in AUXILIARIES
            )
        ):
            unknown += 1
        else:
            break
        j += 1
    return last


def subject_end(m: str, toks: list[Token], i: int, limit: int = 8) -> int | None:
    """The last token of a sentence subject starting at token i: a mention that ends
    at its first plain word ("Cengiz traveled to New York": Cengiz)."""
    j = np_right(m, toks, i, limit=limit)
    if j is None:
        return None
    plain = next((n for n in range(i + 1, j + 1) if _plain_word(toks[n])), None)
    return j if plain is None else plain - 1


def _plain_word(t: Token) -> bool:
    """A lower-case word that is no part of a mention's name or role."""
    return t.text.islower() and t.low not in SOURCE_NOUNS and t.low not in MODIFIERS


# ", Jennifer Rodstrom" after "a spokeswoman for the hotel chain": the role's name.
_ROLE_NAME_AFTER = re.compile(
    r"(?:\s+(?:for|of|at|with)\s+(?:[\w\-\u2019']+\s+){0,4}?[\w\-\u2019']+)?"
    r"\s*,\s*[A-Z][\w.\-\u2019']*(?:\s+[A-Z][\w.\-\u2019']*){1,3}(?=\s*(?:[,.;:]|$))"
)


def role_name_end(m: str, toks: list[Token], j: int) -> int | None:
    """After a role noun at token j, the last token of the name it is given
    ("a spokeswoman for the hotel chain, Jennifer Rodstrom"), or None."""
    if SOURCE_NOUNS.get(toks[j].low) != "person":
        return None
    named = _ROLE_NAME_AFTER.match(m, toks[j].end)
    if named is None:
        return None
    return max(n for n, t in enumerate(toks) if t.end <= named.end())


def cue_start(m: str, toks: list[Token], i: int, word: str) -> tuple[int, set[str]]:
    """Walk left over auxiliaries and adverbs: the first cue token and the words seen."""
    seen: set[str] = set()
    k = i
    if word == "saying" and k >= 2 and toks[k - 1].low == "as" and toks[k - 2].low == "quoted":
        k -= 2
        seen.add("quoted")
    if k >= 3 and [t.low for t in toks[k - 3 : k]] == ["went", "on", "to"]:
        k -= 3  # "He went on to say"
    while (
        k > 0
        and not gap(m, toks, k - 1).strip()
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
            and not is_name(toks[k - 2])
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


def skip_object(m: str, toks: list[Token], i: int) -> int:
    """After "told": skip "reporters", "The Associated Press", "him"; next token index."""
    if i >= len(toks) or gap(m, toks, i - 1).strip():
        return i
    t = toks[i]
    if t.low in OBJECT_PRONOUNS:
        return i + 1
    j = np_right(m, toks, i, limit=6)
    if j is None:
        return i
    while (
        j + 1 < len(toks)
        and toks[j + 1].low in AUDIENCE
        and not gap(m, toks, j).strip()
        and toks[j + 1].text.islower()
    ):
        j += 1
    # Trailing connector words are not part of the object.
    return j + 1


# After "that": one word and the end of the sentence ("rejected that account.").
_THAT_DETERMINER = re.compile(r"[\w\-]+\s*[.!?]?\s*$")


def content_start(m: str, pos: int) -> tuple[int, bool]:
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
    if (
        lead is not None
        and "that" in lead.group()
        and _THAT_DETERMINER.match(rest, off + lead.end())
    ):
        lead = re.match(r"\s*", rest[off:])  # "rejected that account.": "that" points
    if lead is not None:
        led = rest[off : off + lead.end()]
        marked = "that" in led or ":" in led
        off += lead.end()
    if rest[off : off + 1] and rest[off : off + 1] in QUOTE_OPEN:
        marked = True
    return pos + off, marked


_OBJECT_QUOTE = re.compile(
    "(?P<obj>[^,;:.!?\u2014\u2013"
    + re.escape(QUOTE_OPEN)
    + "]{1,80}?)\\s*(?=["
    + re.escape(QUOTE_OPEN)
    + "])"
)


_NOT_OBJECT = re.compile(r"(?i)^\s*(?:for|on|off|up|in|out|back|to|upon|at|that)\b")


# "described it as “…”", "described as China’s “…” conduct", "as a “…”"
_AS_BEFORE_QUOTE = re.compile(
    r"(?i)\sas(?:\s+(?:[\w\-]+['\u2019]s|a|an|the|its|their|his|her))?\s*$"
)


def object_quote(m: str, pos: int, lemma: str) -> int | None:
    """ "called the vote “…”": the position of the quote after the object, or None."""
    o = _OBJECT_QUOTE.match(m, pos)
    if o is None:
        return None
    obj = o.group("obj")
    if _NOT_OBJECT.match(obj) or len(obj.split()) > 8:
        return None
    if CUES[lemma].needs_as and not _AS_BEFORE_QUOTE.search(obj):
        return None
    return o.end()


_CLAIMED_LEAD = re.compile(
    r"(?i)\s*(?:almost\s+|nearly\s+)?(?:the\s+)?(?:entire|whole|most|much|all|parts?)\b"
)


def claims_a_thing(m: str, toks: list[Token], i: int) -> bool:
    rest = m[toks[i].end :]
    if re.match(r"\s*(?:that\b|:|,)", rest) or rest.lstrip()[:1] in QUOTE_OPEN:
        return False
    if _CLAIMED_LEAD.match(rest):
        return True
    for t in toks[i + 1 : i + 5]:
        if t.low in CLAIMED_THINGS:
            return True
        if t.low in AUXILIARIES or t.low in RELATIVES:
            break
    return False


def document_after(m: str, pos: int) -> str | None:
    d = _DOCUMENT_AFTER.match(m, pos)
    return d.group(1).casefold() if d else None


def parenthetical(rest: str) -> bool:
    """After "X said," more of the claim follows (not a quote, a chain or an adjunct)."""
    rest = rest.strip()
    if not rest or rest[0] in QUOTE_OPEN or rest[0] == MASK:
        return False
    w = re.match(r"[\w\-']+", rest)
    if w is None:
        return False
    first = w.group().casefold()
    return (
        first not in CUE_FORMS
        and first not in ADJUNCT_START
        and not (first.endswith("ing") and len(first) > 5)  # ", speaking on condition ..."
        and first not in ("and", "but", "who", "which", "the", "a", "an")
        and len(rest.split()) >= 2
    )


# "she said on “Face the Nation.”": the quote names a programme, it is not speech.
_QUOTED_TITLE = re.compile(
    r"\s*(?:on|in|to|at|with)\s+(?:[\w\-]+\s+){0,3}?"
    r"[\u201c\u2018\"'](?P<title>" + MASK + r"{1,60})[^\w" + MASK + r"]*$"
)


def quoted_title(m: str, pos: int) -> tuple[int, int] | None:
    """The quoted name of a programme or paper that ends the sentence after ``pos``."""
    t = _QUOTED_TITLE.match(m, pos)
    return t.span("title") if t is not None else None


def remainder_is_adjunct(m: str, pos: int) -> bool:
    """After a post-posed cue only circumstance may follow: time, place, channel."""
    if quoted_title(m, pos) is not None:
        return True
    rest = m[pos:].strip()
    if not rest or rest in (".", "!", "?"):
        return True
    if rest[0] in ",;.":
        return True
    w = re.match(r"[\w\-']+", rest)
    if w is None:
        return rest[0] in OPENERS
    first = w.group().casefold()
    if first not in ADJUNCT_START:
        return False
    # "..., X said on Tuesday that ..." is pre-posed after all.
    clause = re.split(r"[,;]", rest, maxsplit=1)[0]
    return not re.search(r"\bthat\b", clause) and MASK not in clause


def appositive(
    m: str, toks: list[Token], j: int, delim: str
) -> tuple[tuple[int, int], str | None] | None:
    """`X, the Treasury secretary, said` / `X, who ..., said` / `X — ... — said`."""
    k = j
    cue_inside = False
    while k > 0 and j - k < 25:
        between = gap(m, toks, k - 1)
        g = between.strip()
        if g:
            if g == delim or (delim != "," and g in ("\u2014", "\u2013", "--")):
                a = np_left(m, toks, k - 1)
                if (
                    a == k - 1
                    and a > 0
                    and PARTY_TAG_FULL.match(toks[a].text)
                    and gap(m, toks, a - 1).strip() == ","
                ):
                    # "Sen. X, D-Minn., who ..., said": hop over the tag.
                    a = np_left(m, toks, a - 1)
                if (
                    a is None
                    and k >= 2
                    and toks[k - 2].low in ("his", "her", "their")
                    and determined_noun(m, toks, k - 1)
                    and all(is_name(t) for t in toks[k : j + 1])
                ):
                    a = k - 2  # "Her publicist, Jo Reed, said": the name speaks
                if a is None or not left_boundary_ok(m, toks, a):
                    return None
                np_end = k - 1
                while PARTY_TAG_FULL.match(toks[np_end].text) and np_end > a:
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
                if not any(is_name(t) for t in np_toks) and len(app_toks) >= 2:
                    n = 0
                    while n < len(app_toks) and is_name(app_toks[n]):
                        n += 1
                    if n >= 2 and n < len(app_toks) and app_toks[n].low in CONNECTORS:
                        # "Another analyst, Tom Becker of D.A. Davidson, said": Becker speaks.
                        return (
                            (app_toks[0].start, app_toks[n - 1].end),
                            m[np_span[0] : np_span[1]] + " " + m[app_toks[n].start : toks[j].end],
                        )
                if all(is_name(t) for t in app_toks) and not all(is_name(t) for t in np_toks):
                    # "The company's chief executive, John Smith, said": the name speaks.
                    return (toks[k].start, toks[j].end), m[np_span[0] : np_span[1]]
                if app_toks[0].low in ADJUNCT_START or app_toks[0].low in ADVERBS:
                    return np_span, None  # "Trump, also on Twitter, defended": no role
                return np_span, re.sub(r"^(?:the|a|an)\s+", "", app, flags=re.I)
            return None
        if toks[k - 1].low in CUE_FORMS and toks[k - 1].low not in ("that",):
            cue_inside = True
        k -= 1
    return None


def clause_end(m: str, pos: int) -> int:
    """Back from a mention over the separator that opens its clause."""
    g = re.search(
        r"(?:[,;]\s*(?:and|but|while|whereas|although|though)?|\s(?:but|while|whereas))\s*$",
        m[:pos],
    )
    return g.start() if g else pos


def what_it_called(
    m: str, toks: list[Token], k: int
) -> tuple[tuple[int, int], str | None, int] | None:
    """The subject of "condemned" in "X condemned what it called “…”": mention, description
    and where the cue begins; None unless the pattern is exactly that."""
    if k < 4 or toks[k - 1].low not in PRONOUNS or toks[k - 2].low != "what":
        return None
    v = k - 3
    if toks[v].low not in STANCE_VERBS or any(gap(m, toks, n).strip() for n in (v, v + 1, k - 1)):
        return None
    j = v - 1
    between = gap(m, toks, j).strip()
    if not between:
        a = np_left(m, toks, j)
        if a is None or not left_boundary_ok(m, toks, a):
            return None
        return (toks[a].start, toks[j].end), None, toks[v].start
    if between == ",":
        found = appositive(m, toks, j, between)
        if found is not None:
            return found[0], found[1], toks[v].start
    return None


# "A survey published in April by the X Foundation found that ...": X is the subject.
EVIDENCE_BY = re.compile(
    r"\s*(?:A|An|The)\s+(?:[\w\-]+\s+){0,2}?"
    r"(?:survey|study|poll|report|analysis|review|audit|census)\s+"
    r"(?:[\w\-]+\s+){0,4}?(?:published|released|conducted|commissioned|carried\s+out|issued)"
    r"\s+(?:[\w.\-]+\s+){0,3}?by\s+(?P<org>(?:the\s+)?[A-Z][\w&'\u2019.\-]*"
    r"(?:\s+(?:of\s+|and\s+|for\s+)?[A-Z][\w&'\u2019.\-]*){0,6})\s*$"
)

"""`According to X, ...`, `..., according to X.` and the aside `..., according to X, ...`;
and the other prepositions that attribute the same way: `Per the decree, ...`,
`in the words of X, “...”`, `in the view of X`."""

from __future__ import annotations

import re

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.grammar import QUOTE_CLOSE, np_right, remainder_is_adjunct, role_name_end
from app.extraction.lexicon import OBJECT_FORMS, PREPOSITIONAL_CUES
from app.extraction.quotes import MASK
from app.extraction.tokens import Token


def match(ctx: Context, i: int) -> Frame | None:
    m, toks = ctx.text, ctx.tokens
    words = next(
        (
            w
            for w in PREPOSITIONAL_CUES[toks[i].low]
            if [t.low for t in toks[i + 1 : i + 1 + len(w)]] == list(w)
        ),
        None,
    )
    if words is None:
        return None
    last = i + len(words)
    if last + 1 >= len(toks):
        return None
    if toks[i].low == "per" and not _per_names_a_source(toks, last + 1):
        return None  # "per cent", "per day"
    cue = (toks[i].start, toks[last].end)
    j = last + 1 if toks[last + 1].low in OBJECT_FORMS else np_right(m, toks, last + 1, limit=10)
    if j is None:
        return None
    named = role_name_end(m, toks, j)
    if named is not None:
        j = named  # "in the words of the Crown prosecutor, Mark Tedeschi, “…”"
    mention = (toks[last + 1].start, toks[j].end)
    before = _OPENING_CONJUNCTION.sub("", m[: toks[i].start].rstrip())
    after = m[toks[j].end :]

    def frame(content: tuple[int, int], post: bool, sure: float) -> Frame:
        return Frame(mention, cue, content, post, according=True, confidence=sure)

    if not before.strip(" " + MASK):
        lead = re.match(r"\s*,?\s*", after)
        start = toks[j].end + (lead.end() if lead else 0)
        return frame((start, len(m)), False, confidence.MARKED)
    rest = after.strip()
    if not before.endswith(","):
        closes_sentence = not rest or rest[0] in ".!?,;" or remainder_is_adjunct(m, toks[j].end)
        if closes_sentence and not (before.endswith(MASK) or before[-1:] in QUOTE_CLOSE):
            # "... entered Ain Issa yesterday according to state media."
            return frame((0, len(before)), True, confidence.ASIDE)
        return None
    if not rest or rest[0] in ".!?":
        return frame((0, len(before) - 1), True, confidence.MARKED)
    # An aside: "The plan would, according to X, include ..."
    return frame((0, len(m)), True, confidence.ASIDE)


_OPENING_CONJUNCTION = re.compile(r"^\s*(?:and|but)\s*$", re.IGNORECASE)


def _per_names_a_source(toks: list[Token], n: int) -> bool:
    return toks[n].low in ("the", "a", "an", "its", "his", "her", "their") or (
        toks[n].text[:1].isupper() and toks[n].low not in ("cent",)
    )


RULE = Rule("according-to", PREPOSITIONAL_CUES, match)

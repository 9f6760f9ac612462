"""`his warning that the bridge was unsafe`, `the Church's requests to take down the
video`: a noun of speech or thought, its possessor, and what it says.

Only with a possessor (a possessive pronoun or an `'s`), which is the mention:
"the claim that" alone names no one. The content runs to the end of its clause.
"""

from __future__ import annotations

import re

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.grammar import content_start, np_left
from app.extraction.lexicon import NOMINAL_CUES, POSSESSIVE_PRONOUNS
from app.extraction.tokens import gap

_CLAUSE_END = re.compile(r"[,;]\s|\s[\u2014\u2013]\s")


def match(ctx: Context, i: int) -> Frame | None:
    m, toks = ctx.text, ctx.tokens
    if i == 0 or i + 1 >= len(toks) or toks[i + 1].low not in ("that", "to"):
        return None
    if gap(m, toks, i - 1).strip() or gap(m, toks, i).strip():
        return None
    owner = toks[i - 1]
    if owner.low in POSSESSIVE_PRONOUNS:
        mention = (owner.start, owner.end)
    elif owner.low.endswith(("'s", "\u2019s")) and owner.text[:1].isupper():
        a = np_left(m, toks, i - 1)
        if a is None:
            return None
        mention = (toks[a].start, owner.end)
    else:
        return None
    after = toks[i].end if toks[i + 1].low == "that" else toks[i + 1].start
    start, _ = content_start(m, after)
    if toks[i + 1].low == "to":
        start = toks[i + 1].start
    if start >= len(m.rstrip(" .")):
        return None
    close = _CLAUSE_END.search(m, start)
    end = close.start() if close is not None else len(m)
    return Frame(
        mention=mention,
        cue=(toks[i].start, toks[i].end),
        content=(start, end),
        post=False,
        confidence=confidence.NOMINAL,
    )


RULE = Rule("nominal", NOMINAL_CUES, match)

"""`…, which state media said were under control`, `the countries they said were
involved`: a speaker inside a relative clause, saying something of its antecedent.

The source is the relative clause's subject; the content is what follows the
cue, to the end of the clause. Inside another frame's content the relative
clause is cut out of it (``Frame.nested``).
"""

from __future__ import annotations

import re

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.grammar import clause_end, np_left
from app.extraction.lexicon import AUXILIARIES, CUE_FORMS, CUES, PRONOUNS
from app.extraction.tokens import gap
from app.extraction.types import CueKind

_CLAUSE_END = re.compile(r"[,;]\s|\s[\u2014\u2013]\s")
_RELATIVE = ("which", "that", "who", "whom")


def match(ctx: Context, i: int) -> Frame | None:
    m, toks = ctx.text, ctx.tokens
    word = toks[i].low
    if word.endswith("ing") or i < 2 or i + 1 >= len(toks):
        return None
    cue = CUES[CUE_FORMS[word]]
    if cue.kind != CueKind.speech or toks[i + 1].low not in AUXILIARIES:
        return None
    if gap(m, toks, i).strip() or gap(m, toks, i - 1).strip():
        return None
    a = np_left(m, toks, i - 1)
    if a is None or a == 0 or gap(m, toks, a - 1).strip(" ,"):
        return None
    before = toks[a - 1]
    subject = toks[a].low
    if before.low in _RELATIVE:
        opens = before.start
    elif subject in PRONOUNS and before.text.isalpha() and before.low.endswith("s"):
        opens = toks[a].start  # "the 38 countries they said were involved"
    else:
        return None
    start = toks[i + 1].start
    close = _CLAUSE_END.search(m, start)
    end = close.start() if close is not None else len(m)
    return Frame(
        mention=(toks[a].start, toks[i - 1].end),
        cue=(toks[i].start, toks[i].end),
        content=(start, end),
        post=False,
        confidence=confidence.ASIDE,
        nested=opens,
        lead=(0, clause_end(m, opens)) if opens > 0 else None,
    )


RULE = Rule("relative-subject", frozenset(CUE_FORMS), match)

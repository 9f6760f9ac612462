"""`... opposed by most Democrats, who said it would ...`: the noun before "who" speaks.

The rest of the sentence before the relative clause is the article's own claim.
"""

from __future__ import annotations

import re

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.frames.verb import Subject, verb_cue
from app.extraction.grammar import content_start
from app.extraction.lexicon import (
    ADVERBS,
    AUXILIARIES,
    CLAUSE_OPENERS,
    CONNECTORS,
    CUE_FORMS,
    DETERMINERS,
    RELATIVES,
    SOURCE_NOUNS,
    VERB_FORMS,
    Licence,
)
from app.extraction.tokens import gap, is_name

# Where the relative clause ends: ", has ...", " — ".
_REL_CLOSE = re.compile(
    r",\s+(?=(?:has|have|had|was|were|is|are|will|would|did|does|can|could)\b)"
    r"|\s[\u2014\u2013]\s"
)


def match(ctx: Context, i: int) -> Frame | None:
    v = verb_cue(ctx, i)
    if v is None or v.subject != Subject.relative:
        return None
    m, toks, k = ctx.text, ctx.tokens, v.k
    start, marked = content_start(m, v.after)
    if start >= len(m.rstrip(" .")) or not (marked or v.cue.speech):
        return None
    if v.cue.licence == Licence.clause and not marked:
        return None  # "who asked not to be named": a request, not reported content
    first = re.match(r"[\w\-']+", m[start:])
    if first is not None and first.group().casefold() in CONNECTORS | {"against", "not"}:
        return None  # "who has warned against ...": no reported content
    j = k - 2
    head = toks[j]
    if not (
        is_name(head)
        or head.low in SOURCE_NOUNS
        or (head.text.isalpha() and head.text.islower() and head.low.endswith("s"))
    ):
        return None
    a, steps = j, 0
    while a > 0 and steps < 4 and not gap(m, toks, a - 1).strip():
        t = toks[a - 1]
        if t.low in DETERMINERS:
            a -= 1
            break
        if (
            t.low in CONNECTORS
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
        cue=v.cue_span,
        content=(start, end),
        post=False,
        confidence=confidence.ASIDE,
        lead=(0, toks[k - 1].start) if k - 1 >= 4 else None,
    )


RULE = Rule("relative", VERB_FORMS, match)

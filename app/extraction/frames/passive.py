"""`it is asserted by the Crown that …`, `The operation was condemned by members of
the European Union`: a cue in the passive, its agent after "by" is the source.

With a "that" clause after the agent, the clause is the content; otherwise the
passive's subject is ("The operation"), unless it is only "it".
"""

from __future__ import annotations

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.grammar import content_start, np_right
from app.extraction.lexicon import ADVERBS, BE_FORMS, CUE_FORMS, CUES, OBJECT_QUOTE_FORMS, Licence
from app.extraction.tokens import gap

_PARTICIPLES = frozenset(
    w for w in (*CUE_FORMS, *OBJECT_QUOTE_FORMS) if w.endswith(("ed", "wn", "en", "ld", "id"))
)


def match(ctx: Context, i: int) -> Frame | None:
    m, toks = ctx.text, ctx.tokens
    k = i - 1
    while k > 0 and toks[k].low in ADVERBS and not gap(m, toks, k - 1).strip():
        k -= 1
    if k < 1 or toks[k].low not in BE_FORMS or gap(m, toks, k).strip():
        return None
    by = next(
        (n for n in range(i + 1, min(len(toks), i + 7)) if toks[n].low == "by"),
        None,
    )
    if by is None or any(c in m[toks[i].end : toks[by].start] for c in ",;:"):
        return None
    last = np_right(m, toks, by + 1, limit=10)
    if last is None:
        return None
    mention = (toks[by + 1].start, toks[last].end)
    rest = m[toks[last].end :].lstrip()
    if rest[:4].casefold() == "that" or rest[:1] == ":":
        start, _ = content_start(m, toks[last].end)
        content = (start, len(m))
    else:
        lemma = CUE_FORMS.get(toks[i].low) or OBJECT_QUOTE_FORMS[toks[i].low]
        if CUES[lemma].licence in (Licence.marked, Licence.clause) or toks[k - 1].low == "it":
            return None  # "was found by police": no report without its clause
        content = (toks[0].start, toks[k - 1].end)
    if content[0] >= len(m.rstrip(" .")) or content[1] - content[0] < 2:
        return None
    return Frame(
        mention=mention,
        cue=(toks[k].start, toks[by].end),
        content=content,
        post=False,
        confidence=confidence.PASSIVE,
    )


RULE = Rule("passive", _PARTICIPLES, match)

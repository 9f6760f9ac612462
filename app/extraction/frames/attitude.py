"""`The governor was optimistic that the bill would pass`, `critics were critical of
the plan`: an attitude of the subject, told by an adjective after a form of "be"."""

from __future__ import annotations

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.grammar import content_start, left_boundary_ok, np_left
from app.extraction.lexicon import ADVERBS, ATTITUDES, BE_FORMS
from app.extraction.tokens import gap


def match(ctx: Context, i: int) -> Frame | None:
    m, toks = ctx.text, ctx.tokens
    takes = ATTITUDES[toks[i].low]
    if i + 1 >= len(toks) or toks[i + 1].low not in takes or gap(m, toks, i).strip():
        return None
    k = i - 1
    while k > 0 and toks[k].low in ADVERBS and not gap(m, toks, k - 1).strip():
        k -= 1
    if k < 1 or toks[k].low not in BE_FORMS or gap(m, toks, k - 1).strip():
        return None
    a = np_left(m, toks, k - 1)
    if a is None or not left_boundary_ok(m, toks, a):
        return None
    after = toks[i + 1].end if toks[i + 1].low != "that" else toks[i].end
    start, _ = content_start(m, after)
    if start >= len(m.rstrip(" .")):
        return None
    cue_end = toks[i + 1].end if toks[i + 1].low != "that" else toks[i].end
    return Frame(
        mention=(toks[a].start, toks[k - 1].end),
        cue=(toks[k].start, cue_end),
        content=(start, len(m)),
        post=False,
        confidence=confidence.UNMARKED,
    )


RULE = Rule("attitude", ATTITUDES, match)

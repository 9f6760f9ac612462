"""`The union rejected the offer and insisted that ...`: the subject opens the sentence.

What the subject did before "and" is the article's own claim.
"""

from __future__ import annotations

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.frames.verb import Subject, verb_cue
from app.extraction.grammar import content_start, np_right
from app.extraction.lexicon import PRONOUNS, VERB_FORMS
from app.extraction.quotes import MASK


def match(ctx: Context, i: int) -> Frame | None:
    v = verb_cue(ctx, i)
    if v is None or v.subject != Subject.shared:
        return None
    m, toks, k = ctx.text, ctx.tokens, v.k
    start, marked = content_start(m, v.after)
    if not marked or start >= len(m.rstrip(" .")):
        return None
    if m[: toks[0].start].strip(" " + MASK):
        return None
    j = np_right(m, toks, 0)
    if j is None or j + 1 >= k - 1 or any(c in m[toks[j].end : toks[k - 1].start] for c in ",;:"):
        return None
    if toks[0].low in PRONOUNS and toks[0].low not in ("he", "she", "it", "they"):
        return None
    return Frame(
        mention=(toks[0].start, toks[j].end),
        cue=v.cue_span,
        content=(start, len(m)),
        post=False,
        confidence=confidence.SHARED_SUBJECT,
        lead=(toks[0].start, toks[k - 1].start),
    )


RULE = Rule("shared-subject", VERB_FORMS, match)

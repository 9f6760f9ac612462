"""`According to X, ...`, `..., according to X.` and the aside `..., according to X, ...`."""

from __future__ import annotations

import re

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.grammar import QUOTE_CLOSE, np_right, remainder_is_adjunct
from app.extraction.quotes import MASK


def match(ctx: Context, i: int) -> Frame | None:
    m, toks = ctx.text, ctx.tokens
    if i + 1 >= len(toks) or toks[i + 1].low != "to":
        return None
    cue = (toks[i].start, toks[i + 1].end)
    j = np_right(m, toks, i + 2, limit=10)
    if j is None:
        return None
    mention = (toks[i + 2].start, toks[j].end)
    before = m[: toks[i].start].rstrip()
    after = m[toks[j].end :]
    if not before.strip(" " + MASK):
        lead = re.match(r"\s*,?\s*", after)
        start = toks[j].end + (lead.end() if lead else 0)
        return Frame(
            mention=mention,
            cue=cue,
            content=(start, len(m)),
            post=False,
            according=True,
            confidence=confidence.MARKED,
        )
    if not before.endswith(","):
        rest = after.strip()
        closes_sentence = not rest or rest[0] in ".!?,;" or remainder_is_adjunct(m, toks[j].end)
        if closes_sentence and not (before.endswith(MASK) or before[-1:] in QUOTE_CLOSE):
            # "... entered Ain Issa yesterday according to state media."
            return Frame(
                mention=mention,
                cue=cue,
                content=(0, len(before)),
                post=True,
                according=True,
                confidence=confidence.ASIDE,
            )
        return None
    rest = after.strip()
    if not rest or rest[0] in ".!?":
        return Frame(
            mention=mention,
            cue=cue,
            content=(0, len(before) - 1),
            post=True,
            according=True,
            confidence=confidence.MARKED,
        )
    # An aside: "The plan would, according to X, include ..."
    return Frame(
        mention=mention,
        cue=cue,
        content=(0, len(m)),
        post=True,
        according=True,
        confidence=confidence.ASIDE,
    )


RULE = Rule("according-to", {"according"}, match)

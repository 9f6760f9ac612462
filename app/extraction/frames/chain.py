"""Attribution chains: "Interfax reported that Deputy Minister Olga Varga said X".

The speaker is the claim's source; the outlet that relays the words is its
``via`` (ATTRIBUTION.md). A chain is a frame whose content opens with another
frame that names its own speaker: the inner frame wins and keeps the outer
one as its relay. Pronouns are left alone ("Reuters said it had seen"), as are
thoughts ("said he expected").
"""

from __future__ import annotations

import re

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.grammar import content_start, np_right
from app.extraction.lexicon import CUE_FORMS, CUES, PRONOUNS, Licence
from app.extraction.tokens import gap
from app.extraction.types import CueKind

_OPENING = re.compile(r"\s*(?:that\s+)?$")


def relayed(m: str, outer: Frame, inner: Frame) -> bool:
    """Whether ``inner`` is the frame an ``outer`` pre-posed or according-to frame relays."""
    if inner.mention is None or inner.post or inner.according:
        return False
    if inner.mention[0] < outer.content[0] or inner.lead is not None:
        return False  # "The union rejected the offer and insisted that": one subject
    if not _OPENING.match(m[outer.content[0] : inner.mention[0]]):
        return False
    if m[inner.mention[0] : inner.mention[1]].casefold() in PRONOUNS:
        return False
    lemma = CUE_FORMS.get(m[inner.cue[0] : inner.cue[1]].split()[-1].casefold())
    if lemma is None:
        return False
    cue = CUES[lemma]
    return cue.kind == CueKind.speech and cue.licence != Licence.marked


def relaying(m: str, outer: Frame, inner: Frame) -> Frame:
    """The inner frame of a chain, its content cut where the outer frame's ends."""
    inner.via = outer
    inner.content = (inner.content[0], min(inner.content[1], outer.content[1]))
    return inner


def quoted_as(ctx: Context, i: int) -> Frame | None:
    """`TASS quoted Peskov as saying (that) X`: Peskov speaks, TASS relays."""
    m, toks = ctx.text, ctx.tokens
    if i == 0 or gap(m, toks, i - 1).strip():
        return None
    j = np_right(m, toks, i + 1, limit=6)
    if j is None or j + 2 >= len(toks) or toks[j + 1].low != "as":
        return None
    if toks[j + 2].low != "saying" or gap(m, toks, j).strip():
        return None
    relay_end = i - 1
    relay_start = relay_end
    while relay_start > 0 and not gap(m, toks, relay_start - 1).strip():
        if toks[relay_start - 1].text[:1].islower() and toks[relay_start - 1].low not in (
            "the",
            "news",
            "agency",
        ):
            break
        relay_start -= 1
    start, _ = content_start(m, toks[j + 2].end)
    if start >= len(m.rstrip(" .")):
        return None
    relay = Frame(
        mention=(toks[relay_start].start, toks[relay_end].end),
        cue=(toks[i].start, toks[i].end),
        content=(toks[i + 1].start, len(m)),
        post=False,
    )
    return Frame(
        mention=(toks[i + 1].start, toks[j].end),
        cue=(toks[i].start, toks[i].end),
        content=(start, len(m)),
        post=False,
        confidence=confidence.UNMARKED,
        via=relay,
    )


RULE = Rule("quoted-as", {"quoted", "quotes"}, quoted_as)

"""`Governor Hale: “We will not raise taxes.”`: a speaker, a colon, their words.

Tried at the sentence's first token. The speaker must be a name or a role
(not "The reason:"), and a quote must follow the colon, unless the line is
the article's first (a headline: "Peskov: We never planned an attack").
"""

from __future__ import annotations

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.grammar import QUOTE_OPEN, np_right
from app.extraction.lexicon import SOURCE_NOUNS
from app.extraction.quotes import MASK
from app.extraction.tokens import is_name


def match(ctx: Context, i: int) -> Frame | None:
    m, toks = ctx.text, ctx.tokens
    if i != 0 or m[: toks[0].start].strip():
        return None
    j = np_right(m, toks, 0, limit=6)
    if j is None:
        return None
    colon = m.find(":", toks[j].end)
    if colon < 0 or m[toks[j].end : colon].strip():
        return None
    if not any(is_name(t) or t.low in SOURCE_NOUNS for t in toks[: j + 1]):
        return None
    rest = m[colon + 1 :].lstrip()
    quoted = rest[:1] in QUOTE_OPEN or rest[:1] == MASK
    if not quoted and not (ctx.start == 0 and "\n" not in m):
        return None
    start = colon + 1 + (len(m[colon + 1 :]) - len(rest))
    if start >= len(m.rstrip(" .")):
        return None
    return Frame(
        mention=(toks[0].start, toks[j].end),
        cue=(colon, colon + 1),
        content=(start, len(m)),
        post=False,
        confidence=confidence.MARKED if quoted else confidence.ASIDE,
    )


RULE = Rule("colon", (), match)

"""`Trump, also on Twitter, defended his decision, “…”`: a sentence that opens with
a named subject and a verb, and hands over to a quote after "," or ":".

No cue of the lexicon ties the quote, but the reader takes it to be the
subject's words, not those of whoever was quoted before. Tried by the driver
only for a sentence that has no frame.
"""

from __future__ import annotations

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame
from app.extraction.lexicon import PRONOUNS
from app.extraction.quotes import MASK
from app.extraction.tokens import gap, is_name

# Verbs that hand over to a quote without being cues themselves.
_HANDING_VERBS = frozenset("spoke wrote said told issued gave made".split())


def match(ctx: Context, quote_open: int) -> Frame | None:
    """The frame that gives the quote opening at ``quote_open`` (sentence offset) to
    the sentence's subject, or None."""
    m, toks = ctx.text, ctx.tokens
    prefix = m[:quote_open].rstrip()
    if not toks or not prefix or prefix[-1] not in ",:" or MASK in prefix:
        return None
    first = toks[0]
    if not (is_name(first) or first.low in PRONOUNS) or first.low.endswith("ing"):
        return None  # "Writing in a blog post, ...": no subject opens the sentence
    j = 0
    while j + 1 < len(toks) and is_name(toks[j + 1]) and not gap(m, toks, j).strip():
        j += 1
    verb = next(
        (
            t
            for t in toks[j + 1 :]
            if t.end <= len(prefix)
            and t.text.islower()
            and (t.low.endswith("ed") or t.low in _HANDING_VERBS)
        ),
        None,
    )
    if verb is None:
        return None
    frame = Frame(
        mention=(first.start, toks[j].end),
        cue=(verb.start, verb.end),
        content=(quote_open, len(m)),
        post=False,
        confidence=confidence.INTRODUCED_QUOTE,
    )
    return frame.moved(ctx.start)

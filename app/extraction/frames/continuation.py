"""`..., adding that ...`, `... and maintains ...`: more content of the same source.

A continuation has no mention of its own; the driver gives it the source of
the frame it continues.
"""

from __future__ import annotations

import re

from app.extraction import confidence
from app.extraction.frames.base import Frame
from app.extraction.grammar import content_start
from app.extraction.lexicon import CONTINUATION_FORMS, WEAK_FORMS

_CHAIN_RE = re.compile(
    r"(?:,\s*(?:and\s+|but\s+)?|\s+(?:and|but)\s+)(?:(?:also|later|then|further)\s+)?"
    r"(?P<cue>"
    + "|".join(sorted(map(re.escape, CONTINUATION_FORMS), key=len, reverse=True))
    + r")(?![\w\-])",
    re.IGNORECASE,
)


def split(m: str, f: Frame) -> list[Frame]:
    """A pre-posed frame, its content cut at each continuation, and the continuations."""
    out = [f]
    b = f.content[1]
    while True:
        cur = out[-1]
        found = None
        for c in _CHAIN_RE.finditer(m, cur.content[0], b):
            w = c.group("cue").casefold()
            if c.start() <= cur.content[0]:
                continue
            if w.endswith("ing") and not c.group().lstrip().startswith(","):
                continue
            start, marked = content_start(m, c.end())
            if w in WEAK_FORMS and not marked:
                continue
            if start >= b:
                continue
            found = (c, start)
            break
        if found is None:
            return out
        c, start = found
        cur.content = (cur.content[0], c.start())
        out.append(
            Frame(
                mention=None,
                cue=(c.start("cue"), c.end("cue")),
                content=(start, b),
                post=False,
                confidence=cur.confidence - confidence.CONTINUATION_STEP,
            )
        )


def after(m: str, f: Frame) -> list[Frame]:
    """The continuation right after a post-posed frame's cue: `“...,” he said, adding that ...`."""
    pos, b = f.cue[1], len(m)
    c = _CHAIN_RE.match(m, pos) or _CHAIN_RE.search(m, pos, min(b, pos + 40))
    if c is None:
        return []
    start, _ = content_start(m, c.end())
    if start >= b:
        return []
    return [
        Frame(
            mention=None,
            cue=(c.start("cue"), c.end("cue")),
            content=(start, b),
            post=False,
            confidence=confidence.ASIDE,
        )
    ]

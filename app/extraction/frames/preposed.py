"""`X said (that) ...`, `X said: “...”`: the subject and cue before the content."""

from __future__ import annotations

import re

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.frames.verb import (
    Subject,
    evidence_subject,
    licensed,
    thought_content,
    verb_cue,
)
from app.extraction.grammar import QUOTE_OPEN, content_start, document_after
from app.extraction.lexicon import VERB_FORMS, Licence
from app.extraction.quotes import MASK

_ONLY_A_PLACE = re.compile(r"(?:from|in|at)\s+[A-Z][\w\-.]*(?:[\s,]+[A-Z][\w\-.]*)*\s*[.;]?\s*$")
_QUOTE_AFTER_OBJECT = re.compile(r",\s*[" + re.escape(QUOTE_OPEN) + "]")


def match(ctx: Context, i: int) -> Frame | None:
    v = verb_cue(ctx, i)
    if v is None or v.subject != Subject.named or v.quote_at is not None or v.mention is None:
        return None
    if not licensed(ctx, v):
        return None
    m = ctx.text
    start, marked = content_start(m, v.after)
    if start >= len(m.rstrip(" .")):
        # "He said:" and the quote in the next paragraph: a frame with no content.
        return Frame(
            mention=v.mention,
            cue=v.cue_span,
            content=(start, start),
            post=False,
            description=v.description,
        )
    if (
        v.cue.licence in (Licence.marked, Licence.marked_before)
        and not marked
        and not evidence_subject(ctx, v)
        and not thought_content(ctx, v)
    ):
        return None
    if not marked and _ONLY_A_PLACE.match(m, start):
        return None  # "Tom Lee reported from Kyiv.": a credit, no proposition
    end = len(m)
    if not marked and v.cue.licence == Licence.direct and not v.cue.speech:
        # "defended his decision, “…”": the object, and then the quote as a claim of its own.
        handed = _QUOTE_AFTER_OBJECT.search(m, start)
        if handed is not None and MASK not in m[start : handed.start()]:
            end = handed.start()
    return Frame(
        mention=v.mention,
        cue=v.cue_span,
        content=(start, end),
        post=False,
        description=v.description,
        confidence=confidence.MARKED if marked else confidence.UNMARKED,
        document=document_after(m, ctx.tokens[i].end),
    )


RULE = Rule("preposed", VERB_FORMS, match)

"""`X called the vote “a farce”`, `X dismissed it as “…”`: the quote is the content."""

from __future__ import annotations

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.frames.verb import verb_cue
from app.extraction.lexicon import VERB_FORMS


def match(ctx: Context, i: int) -> Frame | None:
    v = verb_cue(ctx, i)
    if v is None or v.quote_at is None or v.mention is None:
        return None
    return Frame(
        mention=v.mention,
        cue=v.cue_span,
        content=(v.quote_at, len(ctx.text)),
        post=False,
        description=v.description,
        confidence=confidence.UNMARKED,
    )


RULE = Rule("object-quote", VERB_FORMS, match)

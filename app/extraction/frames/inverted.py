"""`“...,” said Janet Yellen, the Treasury secretary.`: the cue before its subject."""

from __future__ import annotations

import re

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.frames.verb import Subject, verb_cue
from app.extraction.grammar import (
    QUOTE_CLOSE,
    np_right,
    quoted_title,
    remainder_is_adjunct,
    role_name_end,
)
from app.extraction.lexicon import CUE_RE, PRONOUNS, VERB_FORMS


def match(ctx: Context, i: int) -> Frame | None:
    v = verb_cue(ctx, i)
    if v is None or v.subject != Subject.none or v.quote_at is not None:
        return None
    if not v.cue.inverts or v.k != i:
        return None
    m, toks = ctx.text, ctx.tokens
    before = m[: toks[i].start].rstrip()
    if not before or not (before[-1] in "," or before[-1] in QUOTE_CLOSE):
        return None
    if not before.rstrip(",").strip():
        return None
    # "said lead author Professor David Livermore of the University of East Anglia"
    j = np_right(m, toks, i + 1, limit=16)
    if j is None or toks[i + 1].low in PRONOUNS and toks[i + 1].low != "he":
        return None
    named = role_name_end(m, toks, j)
    if named is not None:
        j = named  # "said a spokeswoman for the hotel chain, Jennifer Rodstrom"
    rest = m[toks[j].end :].strip()
    description = None
    if rest.startswith(","):
        app = rest[1:].strip().rstrip(".").strip()
        if app and "," not in app and len(app.split()) <= 10 and not CUE_RE.search(app):
            description = re.sub(r"^(?:the|a|an)\s+", "", app, flags=re.I)
        elif not remainder_is_adjunct(m, toks[j].end):
            return None
    elif not remainder_is_adjunct(m, toks[j].end):
        return None
    return Frame(
        mention=(toks[i + 1].start, toks[j].end),
        cue=v.cue_span,
        content=(0, len(before) - 1),
        post=True,
        description=description,
        confidence=confidence.MARKED,
        title=quoted_title(m, toks[j].end),
    )


RULE = Rule("inverted", VERB_FORMS, match)

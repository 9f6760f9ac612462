"""`“...,” X said.`, `..., X said on Tuesday.`: the content before the subject and cue."""

from __future__ import annotations

import re

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.frames.verb import Subject, licensed, thought_content, verb_cue
from app.extraction.grammar import (
    QUOTE_CLOSE,
    QUOTE_OPEN,
    document_after,
    parenthetical,
    quoted_title,
    remainder_is_adjunct,
)
from app.extraction.lexicon import VERB_FORMS
from app.extraction.quotes import MASK

_QUOTE_NEXT = re.compile(r"\s*[,:]?\s*[" + re.escape(QUOTE_OPEN) + r"]?" + MASK)


def match(ctx: Context, i: int) -> Frame | None:
    v = verb_cue(ctx, i)
    if v is None or v.subject != Subject.named or v.quote_at is not None or v.mention is None:
        return None
    if not licensed(ctx, v) or thought_content(ctx, v):
        return None  # "..., the company plans to cut jobs": the infinitive is content
    m = ctx.text
    head_end = v.mention[0]
    if v.description:
        # "“Maybe,” the spokeswoman, Jo Reed, said": the role is not content.
        pre = m[: v.mention[0]].rstrip()
        if pre.endswith(",") and pre[:-1].rstrip().endswith(v.description):
            head_end = len(pre[:-1].rstrip()) - len(v.description)
    before = m[:head_end].rstrip()
    if not (
        before
        and (before[-1] in ",\u2014\u2013" or before[-1] in QUOTE_CLOSE or before.endswith(MASK))
        and remainder_is_adjunct(m, v.after)
    ):
        return None
    lead = before.rstrip(",\u2014\u2013- ")
    if not (lead.strip(MASK + " ") or MASK in lead):
        return None
    if MASK not in lead and _QUOTE_NEXT.match(m, v.after):
        return None  # "In a statement, X said, “…”": the lead is circumstance
    boundary = len(before)
    if before[-1] in ",\u2014\u2013" or before[-1] in QUOTE_CLOSE:
        boundary -= 1
    content = (0, boundary)
    rest = m[v.after :].lstrip()
    if rest.startswith(",") and parenthetical(rest[1:]):
        # "The plan, critics said, is flawed": the claim is the whole sentence.
        content = (0, len(m))
    return Frame(
        mention=v.mention,
        cue=v.cue_span,
        content=content,
        post=True,
        description=v.description,
        confidence=confidence.MARKED,
        document=document_after(m, ctx.tokens[i].end),
        title=quoted_title(m, v.after),
    )


RULE = Rule("postposed", VERB_FORMS, match)

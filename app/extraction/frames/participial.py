"""`..., vowing to sue them`, `..., calling for calm`, `with officials saying ...`.

A participle of a cue after a main clause that has no cue of its own: the
main clause's subject speaks, and the main clause is the article's own claim.
("X said A, adding that B" is a continuation instead, ``frames.continuation``.)
"""

from __future__ import annotations

from app.extraction import confidence
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.frames.verb import verb_cue
from app.extraction.grammar import content_start, np_right, subject_end
from app.extraction.lexicon import (
    ADJUNCT_START,
    CUE_FORMS,
    CUES,
    PARTICIPLE_SPEECH_ACTS,
    PARTICLE_FORMS,
    PRONOUNS,
    SOURCE_NOUNS,
    VERB_FORMS,
    Licence,
)
from app.extraction.tokens import Token, gap, is_name

_PARTICIPLES = frozenset(w for w in (*CUE_FORMS, *PARTICLE_FORMS) if w.endswith("ing"))


def match(ctx: Context, i: int) -> Frame | None:
    m, toks = ctx.text, ctx.tokens
    if i < 2:
        return None
    cue = CUES[CUE_FORMS.get(toks[i].low) or PARTICLE_FORMS[toks[i].low]]
    cue_end = i
    if cue.particle is not None:
        if i + 1 >= len(toks) or toks[i + 1].low != cue.particle:
            if cue.licence == Licence.particle or toks[i].low not in CUE_FORMS:
                return None
        elif cue.particle != "to":
            cue_end = i + 1  # ", calling for calm"
    if cue.licence in (Licence.marked, Licence.clause) or cue.own_subject:
        return None
    start, marked = content_start(m, toks[cue_end].end)
    if start >= len(m.rstrip(" .")) or (cue.licence == Licence.marked_before and not marked):
        return None
    if not (marked or cue.speech or cue_end > i or cue.lemma in PARTICIPLE_SPEECH_ACTS):
        return None  # ", observing the rescue": no speech
    if any(toks[n].low in VERB_FORMS and verb_cue(ctx, n) is not None for n in range(i)):
        return None  # the main clause has a frame: a continuation, not a participle
    with_np = _with_subject(m, toks, i)
    if with_np is not None:
        mention, lead_end = with_np
    elif "," in gap(m, toks, i - 1):
        subject = _sentence_subject(m, toks)
        if subject is None or subject[1] >= toks[i - 1].end:
            return None
        mention, lead_end = subject, m.rfind(",", 0, toks[i].start)
    else:
        return None
    return Frame(
        mention=mention,
        cue=(toks[i].start, toks[cue_end].end),
        content=(start, len(m)),
        post=False,
        confidence=confidence.PARTICIPLE,
        lead=(0, lead_end),
    )


def _with_subject(m: str, toks: list[Token], i: int) -> tuple[tuple[int, int], int] | None:
    """ ", with officials saying": the mention between "with" and the participle."""
    for w in range(i - 1, max(-1, i - 6), -1):
        if toks[w].low == "with":
            if w + 1 >= i or gap(m, toks, w).strip():
                return None
            last = np_right(m, toks, w + 1, limit=i - w - 1)
            if last != i - 1:
                return None
            return (toks[w + 1].start, toks[i - 1].end), toks[w].start
        if gap(m, toks, w).strip():
            return None
    return None


def _sentence_subject(m: str, toks: list[Token]) -> tuple[int, int] | None:
    """The name or role that opens the sentence, after a fronted "On Thursday,"."""
    first = 0
    if toks[0].low in ADJUNCT_START:
        comma = m.find(",")
        if comma < 0 or comma > 40:
            return None
        first = next((n for n, t in enumerate(toks) if t.start > comma), len(toks))
        if first >= len(toks):
            return None
    head = toks[first]
    if head.low in PRONOUNS:
        return head.start, head.end
    last = subject_end(m, toks, first)
    if last is None:
        return None
    if not (is_name(toks[last]) or toks[last].low in SOURCE_NOUNS):
        return None
    if last == first and first == 0 and toks[0].low.endswith("s") and not toks[0].text.isupper():
        return None  # "Prices rose, ...": a capital that only opens the sentence
    return toks[first].start, toks[last].end


RULE = Rule("participial", _PARTICIPLES, match)

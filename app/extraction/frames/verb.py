"""What every verb frame reads first: a cue verb, its auxiliaries, and its subject.

``verb_cue`` is made once per cue token and shared by the verb frames, each of
which then decides whether the sentence has its shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import Enum

from app.extraction.frames.base import Context
from app.extraction.grammar import (
    EVIDENCE_BY,
    QUOTE_OPEN,
    appositive,
    claims_a_thing,
    content_start,
    cue_start,
    left_boundary_ok,
    np_left,
    object_quote,
    remainder_is_adjunct,
    skip_object,
    what_it_called,
)
from app.extraction.lexicon import (
    ADVERBS,
    AUXILIARIES,
    BASE_FORMS,
    BE_FORMS,
    CUE_FORMS,
    CUES,
    DETERMINERS,
    EVIDENCE_NOUNS,
    NOUN_COMPOUNDS,
    OBJECT_QUOTE_FORMS,
    PARTICLE_FORMS,
    PRONOUNS,
    SPECULATIVE,
    Cue,
    Licence,
)
from app.extraction.quotes import MASK
from app.extraction.tokens import Token, gap, is_name, part_of_a_name
from app.extraction.types import CueKind


class Subject(Enum):
    """How the cue's subject was found."""

    named = "named"
    """A mention right before the cue, or set off by commas or dashes."""
    shared = "shared"
    """ "and insisted": the subject of the sentence's first verb."""
    relative = "relative"
    """ ", who said": the noun before "who"."""
    none = "none"
    """None before the cue: perhaps after it ("said Janet Yellen")."""


@dataclass(slots=True)
class VerbCue:
    i: int
    """The cue verb's token."""
    k: int
    """The first token of the cue (auxiliaries and adverbs included)."""
    word: str
    cue: Cue
    seen: set[str]
    cue_span: tuple[int, int]
    after: int
    """Where what follows the cue (and the object of "told") begins."""
    quote_at: int | None
    """For "called the vote “…”": where the quote begins."""
    mention: tuple[int, int] | None
    description: str | None
    subject: Subject


# An object and "as": "identified the suspect as", "dismissed the claims as".
_AS_COMPLEMENT = re.compile(r"\s+(?:[\w\-'\u2019]+\s+){1,8}?as\s+[\w\d]", re.IGNORECASE)


def verb_cue(ctx: Context, i: int) -> VerbCue | None:
    """The cue verb at token ``i``, or None when the word is not used as a cue there."""
    if i not in ctx.verbs:
        ctx.verbs[i] = _analyse(ctx.text, ctx.tokens, i)
    return ctx.verbs[i]


def licensed(ctx: Context, v: VerbCue) -> bool:
    """Whether what the cue needs after it is there (``Licence``), for a subject before it."""
    m = ctx.text
    if v.cue.licence not in (Licence.clause, Licence.marked):
        return True
    if thought_content(ctx, v):
        return True
    _, marked = content_start(m, v.after)
    # "..., previous research has shown." / "..., study finds": a marked verb
    # may close a sentence after its content.
    return marked or not (
        v.cue.licence == Licence.clause
        or not remainder_is_adjunct(m, v.after)
        and not evidence_subject(ctx, v)
    )


def thought_content(ctx: Context, v: VerbCue) -> bool:
    """What a thought verb takes without "that": an infinitive ("plans to sue") or a
    clause with its own verb ("officials believe the state is within reach")."""
    if v.cue.kind != CueKind.thought:
        return False
    toks = ctx.tokens
    nxt = next((n for n, t in enumerate(toks) if t.start >= v.after), len(toks))
    if nxt >= len(toks):
        return False
    if toks[nxt].low == "to":
        return nxt + 1 < len(toks) and toks[nxt + 1].text.islower()
    if not (toks[nxt].low in DETERMINERS or toks[nxt].low in PRONOUNS or is_name(toks[nxt])):
        return False
    # A verb of its own: an auxiliary, or a past tense after the clause's subject.
    return any(
        t.low in AUXILIARIES or (n > 1 and t.low.endswith("ed") and t.text.islower())
        for n, t in enumerate(toks[nxt : nxt + 8])
    )


def evidence_subject(ctx: Context, v: VerbCue) -> bool:
    """ "data from Eurostat showed ...": evidence shows its content without "that"."""
    mention = v.mention
    if not v.cue.data or mention is None:
        return False
    return any(
        t.low in EVIDENCE_NOUNS for t in ctx.tokens if mention[0] <= t.start and t.end <= mention[1]
    )


def _analyse(m: str, toks: list[Token], i: int) -> VerbCue | None:
    word = toks[i].low
    lemma = (
        CUE_FORMS.get(word)
        or OBJECT_QUOTE_FORMS.get(word)
        or PARTICLE_FORMS.get(word)
        or BASE_FORMS[word]
    )
    cue = CUES[lemma]
    if word in BASE_FORMS and not _plural_subject_and_clause(m, toks, i):
        return None  # "a claim", "the report": nouns
    quote_at: int | None = None
    particle = cue.particle is not None and _particle_follows(m, toks, i, cue.particle)
    if cue.licence == Licence.particle and not particle:
        return None
    if particle:
        cue = replace(cue, licence=Licence.direct)  # "called for", "declined to comment"
    elif word in OBJECT_QUOTE_FORMS and word not in CUE_FORMS:
        quote_at = object_quote(m, toks[i].end, lemma)
        if quote_at is None and cue.needs_as and _AS_COMPLEMENT.match(m, toks[i].end):
            cue = replace(cue, licence=Licence.direct)  # "identified the suspect as X"
        elif quote_at is None:
            return None
    is_ing = word.endswith("ing")
    if part_of_a_name(m, toks, i):
        return None  # "the United States", "the Daily Report": part of a name
    if lemma == "claim" and claims_a_thing(m, toks, i):
        return None  # "China claims most of the sea": a claim to territory or rights
    if i > 0 and toks[i - 1].low in NOUN_COMPOUNDS and word.endswith("s"):
        return None  # "member states", "news reports": nouns
    if lemma == "continue" and not _continues_a_quote(m, toks, i):
        return None  # "talks continue", "continued to fall"
    if lemma == "add" and i + 1 < len(toks) and toks[i + 1].low in ("to", "up"):
        return None  # "the study adds to a body of research"
    if (
        i + 3 < len(toks)
        and toks[i + 1].low == "what"
        and toks[i + 3].low in OBJECT_QUOTE_FORMS
        and what_it_called(m, toks, i + 3) is not None
    ):
        return None  # "condemned what it called “…”": the object-quote frame's
    k, seen = cue_start(m, toks, i, word)
    if seen & {"not", "n't", "never"}:
        return None  # "did not say": not a claim of the subject
    if seen & SPECULATIVE:
        return None  # "might have encouraged": a guess about what was said
    if seen & BE_FORMS and not is_ing and "quoted" not in seen:
        return None  # passive: "was told", "is said to"
    if is_ing and not (seen & BE_FORMS or "quoted" in seen):
        return None  # "adding that" only continues a frame
    # A cue immediately followed by another cue is part of the subject ("news reports said").
    if (
        i + 1 < len(toks)
        and not gap(m, toks, i).strip()
        and (toks[i + 1].low in CUE_FORMS or toks[i + 1].low in AUXILIARIES)
        and lemma != "say"
    ):
        if toks[i + 1].low not in ("that", "to"):
            return None
    cue_span = (toks[k].start, toks[i].end)
    after = i + 1
    if particle and cue.particle != "to":
        cue_span, after = (toks[k].start, toks[i + 1].end), i + 2
    if lemma == "tell":
        after = skip_object(m, toks, i + 1)
    after_pos = toks[after].start if after < len(toks) and after > i + 1 else toks[i].end
    if particle and cue.particle != "to":
        after_pos = toks[i + 1].end
    if lemma == "tell" and after > i + 1:
        after_pos = toks[after - 1].end
    if quote_at is not None:
        after_pos = quote_at
    mention, description = _subject_before(m, toks, k, lemma)
    subject = Subject.named if mention is not None else Subject.none
    if (
        mention is None
        and k > 0
        and toks[k - 1].low in ("and", "but")
        and not gap(m, toks, k - 1).strip()
    ):
        subject = Subject.shared
    elif (
        mention is None
        and k > 1
        and toks[k - 1].low == "who"
        and not gap(m, toks, k - 1).strip()
        and gap(m, toks, k - 2).strip() == ","
    ):
        subject = Subject.relative
    else:
        if mention is None and quote_at is not None:
            called = what_it_called(m, toks, k)
            if called is not None:
                mention, description = called[0], called[1]
                cue_span = (called[2], cue_span[1])
        if mention is None and k > 0:
            by = EVIDENCE_BY.match(m[: toks[k].start])
            if by is not None:
                mention = (by.start("org"), by.end("org"))
        if mention is not None:
            subject = Subject.named
    return VerbCue(
        i=i,
        k=k,
        word=word,
        cue=cue,
        seen=seen,
        cue_span=cue_span,
        after=after_pos,
        quote_at=quote_at,
        mention=mention,
        description=description,
        subject=subject,
    )


def _plural_subject_and_clause(m: str, toks: list[Token], i: int) -> bool:
    """ "Activists claim (that) safety standards are ignored": a plural subject right
    before the base form, and a clause with a verb of its own after it."""
    if i == 0 or gap(m, toks, i - 1).strip():
        return False
    subject = toks[i - 1]
    plural = subject.low in ("they", "we") or (
        subject.low.endswith("s") and not subject.low.endswith(("'s", "\u2019s", "ss"))
    )
    if not plural or subject.low in AUXILIARIES or subject.low in DETERMINERS:
        return False
    after = toks[i + 1 : i + 9]
    if after and after[0].low == "that":
        return True
    return any(
        t.low in AUXILIARIES or (t.low.endswith("ed") and t.text.islower()) for t in after[1:]
    )


def _particle_follows(m: str, toks: list[Token], i: int, particle: str) -> bool:
    """ "called for", "declined to comment" (not "declined to 5%")."""
    if i + 1 >= len(toks) or toks[i + 1].low != particle or gap(m, toks, i).strip():
        return False
    if particle != "to":
        return True
    return i + 2 < len(toks) and toks[i + 2].text.isalpha() and toks[i + 2].text.islower()


def _continues_a_quote(m: str, toks: list[Token], i: int) -> bool:
    """ "“…”, Graham continued." or "He continued: “…”": speech goes on."""
    rest = m[toks[i].end :].strip()
    closes_a_quote = MASK in m[: toks[i].start] and rest in ("", ".", "!")
    return closes_a_quote or rest[:1] in (":", MASK) or rest[:1] in QUOTE_OPEN


def _subject_before(
    m: str, toks: list[Token], k: int, lemma: str
) -> tuple[tuple[int, int] | None, str | None]:
    """The mention right before the cue ("Smith (also) said"), or set off by commas
    or dashes ("Smith, the Treasury secretary, said"), and its description."""
    if k == 0:
        return None, None
    j = k - 1
    # "Smith also said": the adverb sits between the subject and the cue.
    while (
        j > 0
        and toks[j].low in ADVERBS
        and not gap(m, toks, j).strip()
        and not gap(m, toks, j - 1).strip()
    ):
        j -= 1
    if j > 0 and toks[j].low in ADVERBS and gap(m, toks, j - 1).strip() in (",", "\u2014"):
        j -= 1  # "Thomas Sam, a practising homeopath, instead decided"
    between = gap(m, toks, j)
    if not between.strip():
        a = np_left(m, toks, j, speech=CUES[lemma].speech)
        if a is not None and left_boundary_ok(m, toks, a):
            return (toks[a].start, toks[j].end), None
    elif between.strip() in (",", "\u2014", "\u2013", "--"):
        found = appositive(m, toks, j, between.strip())
        if found is not None:
            return found
    return None, None

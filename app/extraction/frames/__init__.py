"""Attribution frames: the registry of patterns, and how their matches combine.

Each module holds one frame pattern and its ``RULE``: the words it can start
from and ``match(context, token index) -> Frame | None``. For each token, the
rules that start from its word are tried in ``RULES`` order; the first match
wins. ``OPENING_RULES`` (the colon frame) are tried at each sentence's first
token whatever its word. A new frame is one module, one line in ``RULES`` and
its cases in ``tests/extraction/test_patterns.py``.
"""

from __future__ import annotations

import re
from collections import defaultdict

from app.extraction.frames import (
    according,
    attitude,
    chain,
    colon,
    continuation,
    inverted,
    nominal,
    object_quote,
    participial,
    passive,
    postposed,
    preposed,
    relative,
    relative_subject,
    shared_subject,
)
from app.extraction.frames.base import Context, Frame, Rule
from app.extraction.grammar import LEAD_BREAK, clause_end
from app.extraction.tokens import TOKEN_RE

__all__ = ["OPENING_RULES", "RULES", "Context", "Frame", "Rule", "find"]

RULES: tuple[Rule, ...] = (
    according.RULE,
    chain.RULE,
    shared_subject.RULE,
    relative.RULE,
    object_quote.RULE,
    inverted.RULE,
    postposed.RULE,
    preposed.RULE,
    participial.RULE,
    attitude.RULE,
    nominal.RULE,
    passive.RULE,
    relative_subject.RULE,
)
"""Every frame pattern, in the order they are tried."""
OPENING_RULES: tuple[Rule, ...] = (colon.RULE,)
"""Patterns tried once per sentence, at its first token, before the others."""

_RULES_BY_WORD: dict[str, list[Rule]] = defaultdict(list)
for _rule in RULES:
    for _word in _rule.words:
        _RULES_BY_WORD[_word].append(_rule)

_CLAUSE_BREAK = re.compile(
    r"[,;]\s*(?:and|but|while|whereas|although)?\s*$|\s(?:but|while|whereas)\s+$"
)


def find(ctx: Context) -> list[Frame]:
    """The sentence's frames in text order, in article offsets."""
    found: list[Frame] = []
    for rule in OPENING_RULES if ctx.tokens else ():
        frame = rule.match(ctx, 0)
        if frame is not None:
            found.append(frame)
            break
    for i, token in enumerate(ctx.tokens):
        for rule in _RULES_BY_WORD.get(token.low, ()):
            frame = rule.match(ctx, i)
            if frame is not None:
                found.append(frame)
                break
    if not found:
        return []
    return [f.moved(ctx.start) for f in _combined(ctx.text, found)]


def _combined(m: str, found: list[Frame]) -> list[Frame]:
    found.sort(key=lambda f: f.cue[0])
    # A post-posed frame owns everything before it: inner cues are its content.
    frames: list[Frame] = []
    for f in found:
        if f.post:
            inner = [g for g in frames if g.cue[0] < f.content[1]]
            frames = [g for g in frames if g.cue[0] >= f.content[1] and g is not f]
            # "Sun told X that ..., Xinhua reported.": Sun speaks, Xinhua relays.
            relayed = [g for g in inner if chain.relayed(m, f, g)]
            if len(inner) == 1 and relayed:
                frames.append(chain.relaying(m, f, relayed[0]))
                continue
            frames.append(f)
            lead = frames[-2].content[1] if len(frames) > 1 else 0
            f.content = (max(f.content[0], lead), f.content[1])
            continue
        if (
            frames
            and frames[-1].post is False
            and f.mention is not None
            and f.mention[0] < frames[-1].content[1]
        ):
            prev = frames[-1]
            if f.nested is not None:
                # "..., which he said would allow": the relative clause is cut out.
                prev.content = (prev.content[0], clause_end(m, f.nested))
                frames.append(f)
                continue
            if prev.via is None and chain.relayed(m, prev, f):
                frames[-1] = chain.relaying(m, prev, f)
                continue
            # A second frame inside the previous content needs a clause break.
            if not _CLAUSE_BREAK.search(m[prev.content[0] : f.mention[0]]):
                continue
            prev.content = (prev.content[0], clause_end(m, f.mention[0]))
        frames.append(f)
    # "A happened, and officials warned that B": A is the article's own claim.
    f0 = frames[0]
    if not f0.post and f0.mention is not None and f0.lead is None and not f0.according:
        prefix = m[: f0.mention[0]]
        if LEAD_BREAK.search(prefix) and len(TOKEN_RE.findall(prefix)) >= 5:
            f0.lead = (0, clause_end(m, f0.mention[0]))
    # Continuations: "..., adding that ...", "... and maintains ..." go on with a frame.
    out: list[Frame] = []
    for f in frames:
        if f.post:
            out.append(f)
            out.extend(continuation.after(m, f))
        else:
            out.extend(continuation.split(m, f))
    return out

"""Words of a sentence, with their offsets, and the tests on them that every frame uses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.extraction.lexicon import ABBREVIATIONS, CUE_FORMS, NOUNLIKE_BASE, STOP_CAPS

# Numbers with thousands separators stay whole; "U.S.", "O'Brien", "AT&T" are one word.
TOKEN_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|[^\W_]+(?:[.'\u2019&\-][^\W_]+)*")
# "Sen. Teresa Lindqvist, D-Minn., said": a party and state tag, not a name.
PARTY_TAG = re.compile(r"^[DRI]-[A-Z][a-z]{0,4}$")
PARTY_TAG_FULL = re.compile(r"^[DRI]-[A-Z][\w.]*$")


@dataclass(slots=True)
class Token:
    start: int  # offsets into the sentence
    end: int
    text: str
    low: str


# "the National Crime Agency (NCA) said": the parenthesis stands between name and cue.
_PARENTHETICAL = re.compile(r"(?<=[A-Za-z.])\s\((?=[A-Z])[^()\n]{1,90}\)")


def without_parentheticals(m: str) -> str:
    """The sentence with each parenthesis after a capitalised word blanked, same length."""
    if "(" not in m:
        return m
    return _PARENTHETICAL.sub(_blank_after_a_name, m)


def _blank_after_a_name(mt: re.Match[str]) -> str:
    before = mt.string[: mt.start()].split()
    if not before or not before[-1][:1].isupper():
        return mt.group()
    return " " * len(mt.group())


def tokenize(m: str) -> list[Token]:
    out = []
    for t in TOKEN_RE.finditer(m):
        s, e = t.start(), t.end()
        word = t.group()
        if (
            e < len(m)
            and m[e] == "."
            and (
                "." in word
                or word.casefold() in ABBREVIATIONS
                or (len(word) == 1 and word.isupper())
                or PARTY_TAG.match(word) is not None
            )
        ):
            e += 1
            word += "."
        out.append(Token(s, e, word, word.casefold()))
    return out


def is_name(t: Token) -> bool:
    w = t.text
    return w[:1].isupper() and w.rstrip(".") not in STOP_CAPS


def gap(m: str, toks: list[Token], k: int) -> str:
    """The characters between token k and token k + 1."""
    return m[toks[k].end : toks[k + 1].start]


def part_of_a_name(m: str, toks: list[Token], i: int) -> bool:
    """A cue word with a noun reading, capitalized right after a name ("United
    States", "Washington Post", "Daily Report"): the end of the name, not a cue."""
    return (
        CUE_FORMS.get(toks[i].low) in NOUNLIKE_BASE
        and toks[i].text[:1].isupper()
        and i > 0
        and is_name(toks[i - 1])
        and not gap(m, toks, i - 1).strip()
    )

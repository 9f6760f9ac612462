"""Whatever the text, extraction returns well-formed spans and never raises."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.extraction import extract
from tests.extraction.test_gold import assert_invariants

PIECES = [
    "“",
    "”",
    '"',
    "‘",
    "’",
    "'",
    ",",
    ".",
    " ",
    "\n",
    "\n\n",
    "—",
    ":",
    ";",
    "?",
    "!",
    "said",
    "says",
    "told",
    "according to",
    "According to",
    "he",
    "She",
    "the",
    "The",
    "Police",
    "Dr.",
    "U.S.",
    "p.m.",
    "Mr. Smith",
    "Kremlin spokesman Dmitry Peskov",
    "reported",
    "adding that",
    "and said",
    "that",
    "state-run",
    "who",
    "Reuters",
    "spokesperson for",
    "Microsoft",
    "was quoted as saying",
    "has maintained",
    "WASHINGTON",
    "(AP)",
    "\u00a0",
    "\t",
    "é",
    "😀",
    "x",
    "123,456",
]


def _random_texts(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        k = rnd.randint(0, 40)
        out.append("".join(rnd.choice(PIECES) + rnd.choice(["", " "]) for _ in range(k)))
    return out


@pytest.mark.parametrize("text", _random_texts(300))
def test_random_texts_give_well_formed_spans(text: str) -> None:
    assert_invariants(text, extract(text))


def test_empty_and_blank_texts() -> None:
    for text in ("", " ", "\n\n", "“", "”", '"', "said", "“ ”"):
        result = extract(text)
        assert_invariants(text, result)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=40).map(" ".join))
def test_hypothesis_texts_give_well_formed_spans(text: str) -> None:
    assert_invariants(text, extract(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_raises(text: str) -> None:
    assert_invariants(text, extract(text))

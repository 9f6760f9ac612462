"""The labelled claim pairs of tests/data/matching/: loading them and checking them.

Read by tests/test_matching_pairs.py and by whatever scores a claim matcher
against them (bench/). A real side names an article of the shared corpus and a
span of it; the article text itself is read from there, never stored here.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from app.cli import DEFAULT_CORPUS

PAIRS = Path(__file__).parent / "data" / "matching" / "pairs.jsonl"

# A pair's category says why it is, or is not, the same claim.
POSITIVE = ("exact", "near_duplicate", "paraphrase")
NEGATIVE = (
    "same_speaker_other_point",
    "same_topic_other_claim",
    "same_words_other_speaker",
    "negation_or_number_changed",
)
CATEGORIES = POSITIVE + NEGATIVE

# The held-out third was drawn once with this seed, per category, before any
# matcher existed; drawn_held_out() repeats that draw.
SPLIT_SEED = "claimdesk-matching-v1"


@dataclass(frozen=True)
class Side:
    """One claim of a pair: a real one of the corpus, or one written for the set."""

    kind: Literal["real", "written"]
    text: str
    speaker: str | None  # None: stated by the article itself, no source named
    article: str | None = None  # real: the file, relative to the corpus folder
    span: tuple[int, int] | None = None  # real: [start, end) code points into it
    outlet: str | None = None  # written: the outlet whose report it pretends to be

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Side:
        span = data.get("span")
        return cls(
            kind=data["kind"],
            text=data["text"],
            speaker=data["speaker"],
            article=data.get("article"),
            span=(span[0], span[1]) if span is not None else None,
            outlet=data.get("outlet"),
        )


@dataclass(frozen=True)
class Pair:
    id: str
    category: str
    match: bool  # one verdict would settle both: the same claim by the same speaker
    held_out: bool
    a: Side
    b: Side
    note: str | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Pair:
        return cls(
            id=data["id"],
            category=data["category"],
            match=data["match"],
            held_out=data["held_out"],
            a=Side.from_json(data["a"]),
            b=Side.from_json(data["b"]),
            note=data.get("note"),
        )


def load(path: Path = PAIRS) -> list[Pair]:
    """Every pair of a JSONL file, in file order."""
    with path.open(encoding="utf-8") as lines:
        return [Pair.from_json(json.loads(line)) for line in lines if line.strip()]


def dev(pairs: Iterable[Pair]) -> list[Pair]:
    """The pairs a matcher may be tuned on."""
    return [p for p in pairs if not p.held_out]


def held_out(pairs: Iterable[Pair]) -> list[Pair]:
    """The frozen third, scored once a threshold is chosen on the others."""
    return [p for p in pairs if p.held_out]


def drawn_held_out(pairs: list[Pair]) -> set[str]:
    """The ids the seeded draw puts in the held-out third: a third of each category."""
    chosen: set[str] = set()
    for category in sorted(CATEGORIES):
        ids = [p.id for p in pairs if p.category == category]
        rng = random.Random(f"{SPLIT_SEED}:{category}")
        chosen.update(rng.sample(ids, round(len(ids) / 3)))
    return chosen


def problems(pairs: list[Pair], corpus: Path = DEFAULT_CORPUS) -> list[str]:
    """What is wrong with the pairs: unknown or contradictory labels, malformed
    sides, and real sides whose span does not cover their text in the corpus."""
    found: list[str] = []
    texts: dict[str, str] = {}
    seen: set[str] = set()
    for pair in pairs:
        where = pair.id
        if pair.id in seen:
            found.append(f"{where}: id used twice")
        seen.add(pair.id)
        if pair.category not in CATEGORIES:
            found.append(f"{where}: unknown category {pair.category!r}")
        elif pair.match != (pair.category in POSITIVE):
            found.append(f"{where}: match={pair.match} contradicts category {pair.category}")
        if pair.a.kind != "real" and pair.b.kind != "real":
            found.append(f"{where}: no real claim on either side")
        for name, side in (("a", pair.a), ("b", pair.b)):
            found += [f"{where}.{name}: {p}" for p in _side_problems(side, corpus, texts)]
    return found


def _side_problems(side: Side, corpus: Path, texts: dict[str, str]) -> list[str]:
    if not side.text.strip():
        return ["empty text"]
    if side.speaker is not None and not side.speaker.strip():
        return ["blank speaker (null means the article's own statement)"]
    if side.kind == "written":
        if not side.outlet or side.article is not None or side.span is not None:
            return ["a written side names its outlet and no article or span"]
        return []
    if side.kind != "real":
        return [f"unknown kind {side.kind!r}"]
    if side.article is None or side.span is None or side.outlet is not None:
        return ["a real side names its article and span and no outlet"]
    if side.article not in texts:
        path = corpus / side.article
        if not path.is_file():
            return [f"no article {side.article} in {corpus}"]
        texts[side.article] = path.read_text(encoding="utf-8")
    start, end = side.span
    covered = texts[side.article][start:end]
    if not 0 <= start < end or covered != side.text:
        return [f"span {start}-{end} of {side.article} covers {covered!r}, not {side.text!r}"]
    return []

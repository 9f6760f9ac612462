"""Precision and recall of claim matching on the labelled pairs of tests/data/matching.

    .venv/bin/python bench/matching_quality.py            # the development pairs
    .venv/bin/python bench/matching_quality.py --held-out # the frozen third, scored once

A pair is predicted a match when the matcher would store it as a `suggested`
match: the two claims share a MinHash band key (app.matching.band_keys, what
ingest looks up), have the same speaker, and app.matching.compare finds the same
statement. The speaker test stands in for the source registry, which gives one
source id to every name of a source: here two names are one speaker when they
are the same name, or one is the other's surname or initials ("Peskov", "KCNA").
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.extraction import normalize_name  # noqa: E402
from app.matching import band_keys, compare, fingerprint  # noqa: E402
from tests import matching_pairs  # noqa: E402


def same_speaker(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is None and b is None  # the articles' own statements
    na, nb = normalize_name(a), normalize_name(b)
    if na == nb:
        return True
    if " " in na and " " in nb:
        return False  # two full names: "Thomas Sam" is not "Manju Sam"
    short, full = (na, nb) if " " not in na else (nb, na)
    return full.split()[-1] == short or "".join(w[0] for w in full.split()) == short


def predicted(pair: matching_pairs.Pair) -> bool:
    a, b = fingerprint(pair.a.text), fingerprint(pair.b.text)
    return (
        bool(set(band_keys(a)) & set(band_keys(b)))
        and same_speaker(pair.a.speaker, pair.b.speaker)
        and compare(a, b) is not None
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--held-out", action="store_true", help="the frozen third")
    args = parser.parse_args()
    pairs = matching_pairs.load()
    chosen = matching_pairs.held_out(pairs) if args.held_out else matching_pairs.dev(pairs)
    outcome: Counter[tuple[bool, bool]] = Counter()
    right: Counter[str] = Counter()
    for pair in chosen:
        guess = predicted(pair)
        outcome[(guess, pair.match)] += 1
        right[pair.category] += guess == pair.match
    tp, fp, fn = outcome[(True, True)], outcome[(True, False)], outcome[(False, True)]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    split = "held-out" if args.held_out else "development"
    print(f"{split} pairs: {len(chosen)}; precision {precision:.3f}, recall {recall:.3f}")
    print(f"  true matches found {tp}, false matches {fp}, matches missed {fn}")
    print("| category | pairs | right |")
    print("|---|---|---|")
    for category in matching_pairs.CATEGORIES:
        total = sum(1 for p in chosen if p.category == category)
        print(f"| {category} | {total} | {right[category]} |")


if __name__ == "__main__":
    main()

"""The labelled claim-pair set that claim matching is measured on (issue #13)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from tests import matching_pairs
from tests.matching_pairs import CATEGORIES, NEGATIVE, POSITIVE, Pair, Side


def test_every_real_side_covers_its_words_in_the_shared_corpus() -> None:
    pairs = matching_pairs.load()
    assert matching_pairs.problems(pairs) == []


def test_the_set_has_both_classes_and_every_category_in_useful_numbers() -> None:
    pairs = matching_pairs.load()
    by_category = Counter(p.category for p in pairs)
    assert len(pairs) >= 300
    assert set(by_category) == set(CATEGORIES)
    assert min(by_category.values()) >= 30
    positives = sum(by_category[c] for c in POSITIVE)
    assert 0.35 <= positives / len(pairs) <= 0.45
    assert sum(by_category[c] for c in NEGATIVE) == len(pairs) - positives


def test_the_real_claims_come_from_the_whole_corpus() -> None:
    pairs = matching_pairs.load()
    articles = {s.article for p in pairs for s in (p.a, p.b) if s.kind == "real"}
    assert "putin-biden-summit.txt" in articles
    assert len({a for a in articles if a and a.startswith("wikinews/")}) == 40


def test_no_pair_is_there_twice() -> None:
    pairs = matching_pairs.load()
    keys = Counter(frozenset((p.a, p.b)) for p in pairs)
    assert [k for k, n in keys.items() if n > 1] == []


def test_the_held_out_third_is_the_frozen_seeded_draw() -> None:
    pairs = matching_pairs.load()
    assert {p.id for p in matching_pairs.held_out(pairs)} == matching_pairs.drawn_held_out(pairs)
    for category in CATEGORIES:
        of_category = [p for p in pairs if p.category == category]
        held = len(matching_pairs.held_out(of_category))
        assert held == round(len(of_category) / 3), category
    assert len(matching_pairs.dev(pairs)) + len(matching_pairs.held_out(pairs)) == len(pairs)


def _pair(**changes: Any) -> Pair:
    text = "Russia has never planned to attack anyone"
    pair = Pair(
        id="t1",
        category="exact",
        match=True,
        held_out=False,
        a=Side("real", text, "Dmitry Peskov", article="01.txt", span=(0, len(text))),
        b=Side("written", text, "Dmitry Peskov", outlet="TASS"),
    )
    return replace(pair, **changes)


def test_the_checker_reports_what_a_reader_of_the_set_would_trip_over(tmp_path: Path) -> None:
    (tmp_path / "01.txt").write_text("Russia has never planned to attack anyone.", "utf-8")
    good = _pair()
    shifted = replace(good.a, span=(1, 42))
    written = Side("written", good.a.text, None, outlet="Bloomberg")
    bad = [
        _pair(id="t2", a=shifted),
        _pair(id="t3", match=False),
        _pair(id="t4", category="rumour"),
        _pair(id="t5", a=written),
        _pair(id="t6", b=replace(good.b, outlet=None)),
        _pair(id="t7", a=replace(good.a, article="02.txt")),
    ]
    found = matching_pairs.problems([good, *bad], corpus=tmp_path)
    assert [f.split(":")[0] for f in found] == ["t2.a", "t3", "t4", "t5", "t6.b", "t7.a"]


def test_load_reads_each_line_into_a_pair(tmp_path: Path) -> None:
    line = {
        "id": "m001", "category": "same_words_other_speaker", "match": False,
        "held_out": True, "note": "Putin is not Peskov",
        "a": {"kind": "real", "article": "putin-biden-summit.txt", "span": [2346, 2387],
              "text": "Russia has never planned to attack anyone", "speaker": "Dmitry Peskov"},
        "b": {"kind": "written", "text": "Russia has never planned to attack anyone",
              "speaker": "Vladimir Putin", "outlet": "TASS"},
    }  # fmt: skip
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps(line) + "\n\n", encoding="utf-8")
    [pair] = matching_pairs.load(path)
    assert pair.a.span == (2346, 2387) and pair.b.outlet == "TASS"
    assert (pair.match, pair.held_out, pair.note) == (False, True, "Putin is not Peskov")
    assert matching_pairs.problems([pair]) == []


def test_fingerprints_agree_across_threads() -> None:
    """Ingest and lookups fingerprint claims on many threads at once (a stemmer keeps
    state while it works): every thread must get what one thread alone gets."""
    from concurrent.futures import ThreadPoolExecutor

    from app.matching import band_keys, fingerprint

    texts = [f"{p.a.text} {n}" for n, p in enumerate(matching_pairs.load()[:200])]
    alone = [band_keys(fingerprint(t)) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda t: band_keys(fingerprint(t)), texts * 4))
    assert together == alone * 4

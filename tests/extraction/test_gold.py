"""The reference article and an invented one, scored with the corpus scorer's rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.extraction import AttributionType, Extraction, extract
from app.extraction.evaluate import evaluate, load_gold, to_scorer_json

DATA = Path(__file__).parent.parent / "data"


def assert_invariants(text: str, result: Extraction) -> None:
    sentences = result.sentences
    assert [s.index for s in sentences] == list(range(len(sentences)))
    for s in sentences:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == text[s.start : s.end].strip()
    for a, b in zip(sentences, sentences[1:], strict=False):
        assert a.end <= b.start
    assert [c.start for c in result.claims] == sorted(c.start for c in result.claims)
    for c in result.claims:
        s = sentences[c.sentence_index]
        assert s.start <= c.start < c.end <= s.end
        assert text[c.start : c.end] == text[c.start : c.end].strip()
        assert 0.0 <= c.confidence <= 1.0
        if c.type == AttributionType.unattributed:
            assert c.source is None and c.mention is None and c.cue is None
        if c.mention is not None:
            assert c.mention_start is not None and c.mention_end is not None
            assert text[c.mention_start : c.mention_end] == c.mention
        if c.cue is not None:
            assert c.cue_start is not None and c.cue_end is not None
            assert text[c.cue_start : c.cue_end] == c.cue


def test_reference_article_meets_the_bar() -> None:
    gold, text = load_gold(DATA / "putin-biden-summit.gold.json")
    result = extract(text)
    scores = evaluate(gold, text, result)
    assert scores["sentence_f1"] == 1.0
    assert scores["attributed_recall"] == 1.0
    assert scores["f1"] >= 0.95
    assert_invariants(text, result)


def test_reference_article_sources_are_canonical() -> None:
    gold, text = load_gold(DATA / "putin-biden-summit.gold.json")
    by_mention = {c.mention: c.source for c in extract(text).claims if c.mention}
    peskov = by_mention["Kremlin spokesman Dmitry Peskov"]
    assert peskov is not None
    assert (peskov.name, peskov.description) == ("Dmitry Peskov", "Kremlin spokesman")
    assert "Peskov" in peskov.aliases
    tass = by_mention["the Russian state-run TASS news agency"]
    assert tass is not None and tass.name == "TASS" and tass.kind == "news_agency"
    assert by_mention["he"] == peskov


@pytest.mark.parametrize(
    ("name", "min_f1", "min_attributed_recall"),
    [
        # Reached 0.947 on the first run, 1.0 after one general fix; keep a margin.
        ("riverton-water", 0.9, 0.9),
        # Hand-written gold, written before the extractor ran on the text. First
        # run (extractor 2026.11.1): f1 / attributed recall 0.885 / 0.800,
        # 0.893 / 0.857, 0.806 / 0.727, 0.553 / 0.476. Measured after the
        # 2026.11.2 rules: 1.0 / 1.0, 0.966 / 0.952, 0.969 / 0.955, 1.0 / 1.0.
        # These articles drove those rules, so the figures flatter held-out text.
        ("ecb-rates-hold", 0.97, 0.97),
        ("contractor-fraud-charges", 0.95, 0.95),
        ("senate-farm-bill", 0.95, 0.95),
        ("upf-heart-study", 0.97, 0.97),
        # Hand-written gold, written before the extractor ran (2026.11.2 first run:
        # f1 / attributed recall 0.638 / 0.556, 0.667 / 0.579, 0.704 / 0.529,
        # 0.756 / 0.667). After the 2026.11.3 rules: 0.917 / 0.944, 0.826 / 0.789,
        # 1.0 / 1.0, 1.0 / 1.0 -- again flattering, as these drove the rules.
        # 2026.11.4 ("the company" linked to the narrative's company, "condemned what
        # it described as", "X also said") takes the first two to 1.0 / 1.0.
        ("shoal-envoy-protest", 0.95, 0.95),
        ("grocery-chain-closures", 0.95, 0.95),
        ("cup-semifinal-comeback", 0.97, 0.97),
        ("coral-reef-recovery", 0.97, 0.97),
        # Hand-written gold, written before the extractor ran (2026.11.3 first run:
        # f1 / attributed recall 0.920 / 1.0, 0.737 / 0.545, 0.750 / 0.667 -- the
        # last 0.700 / 0.600 before one alias was added to its gold). After the
        # 2026.11.4 rules all three reach 1.0 / 1.0, flattering as they drove them.
        ("great-lakes-ice-feature", 0.97, 0.97),
        ("snack-maker-earnings", 0.97, 0.97),
        ("chemical-plant-live", 0.97, 0.97),
        # Hand-written gold, written before the extractor ran (2026.11.4 first run:
        # f1 / attributed recall 0.818 / 0.846, 0.818 / 0.750, 0.955 / 0.929). After
        # the 2026.11.5 rules (time adjuncts, "one of the people", "asked not to be
        # named", "posted a loss", "Legal experts", "a survey published by X found",
        # lawyers as a source noun) all three reach 1.0 / 1.0, flattering as above.
        ("striker-transfer-talks", 0.97, 0.97),
        ("mail-ballot-ruling", 0.97, 0.97),
        ("measles-travel-advisory", 0.97, 0.97),
    ],
)
def test_own_gold_article(name: str, min_f1: float, min_attributed_recall: float) -> None:
    gold, text = load_gold(DATA / f"{name}.gold.json")
    result = extract(text)
    scores = evaluate(gold, text, result)
    assert scores["sentence_f1"] == 1.0
    assert scores["f1"] >= min_f1
    assert scores["attributed_recall"] >= min_attributed_recall
    assert_invariants(text, result)


def test_scorer_json_has_the_predicted_format() -> None:
    text = "“Yes,” she said. Rain fell."
    out = to_scorer_json(extract(text))
    assert set(out) == {"claims", "sentences"}
    assert out["claims"][1] == {
        "start": 17,
        "end": 27,
        "source": None,
        "attribution": {"type": "unattributed"},
    }


def test_evaluate_matches_overlap_and_alias_rules() -> None:
    text = "Police said the suspect fled. Rain fell."
    gold = {
        "aliases": {"Police": ["police", "Metropolitan Police"]},
        "sentences": [{"start": 0, "end": 29}, {"start": 30, "end": 40}],
        "claims": [
            {"start": 12, "end": 28, "sources": ["Police"]},
            {"start": 30, "end": 40, "sources": [None]},
        ],
    }
    scores = evaluate(gold, text, extract(text))
    assert scores["f1"] == 1.0 and scores["sentence_f1"] == 1.0


def test_every_attributed_claim_of_real_news_says_where_its_source_and_cue_are() -> None:
    """ATTRIBUTION.md: each attributed claim carries the mention and cue spans of the
    words that named its speaker, even a quote sentence that names no one itself."""
    from app.cli import DEFAULT_CORPUS

    articles = sorted((DEFAULT_CORPUS / "wikinews").glob("*.txt"))
    assert len(articles) == 40
    unnamed = []
    for path in articles:
        text = path.read_text(encoding="utf-8")
        result = extract(text)
        assert_invariants(text, result)
        unnamed += [
            (path.name, text[c.start : c.end])
            for c in result.claims
            if c.source is not None and (c.mention_start is None or c.cue_start is None)
        ]
    assert unnamed == []

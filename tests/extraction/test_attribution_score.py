"""Scoring attributions against gold by shared/ATTRIBUTION.md, and the Wikinews gold itself."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from app.cli import DEFAULT_CORPUS, cli
from app.extraction.attribution_score import AttributionGold, score
from app.extraction.types import (
    AttributionType,
    CueKind,
    ExtractedClaim,
    Extraction,
    SourceGuess,
    SourceKind,
)

WIKINEWS = Path(__file__).parents[1] / "data" / "wikinews"
TEXT = "“We will win,” Mayor Ann Lee said. Police believe the fire was set. The bridge opened."


def _span(text: str, words: str) -> list[object]:
    start = text.index(words)
    return [start, start + len(words), words]


def _gold(tmp_path: Path) -> Path:
    article = tmp_path / "corpus" / "wikinews" / "01-test.txt"
    article.parent.mkdir(parents=True)
    article.write_text(TEXT, encoding="utf-8")
    gold = {
        "article": "wikinews/01-test.txt",
        "attributions": [
            {"id": "a01", "content": [_span(TEXT, "We will win")],
             "source": _span(TEXT, "Mayor Ann Lee"), "source_name": "Ann Lee",
             "cue": _span(TEXT, "said"), "cue_kind": "speech", "via": None},
            {"id": "a02", "content": [_span(TEXT, "the fire was set")],
             "source": _span(TEXT, "Police"), "source_name": "Police",
             "cue": _span(TEXT, "believe"), "cue_kind": "thought", "via": None},
        ],
    }  # fmt: skip
    path = tmp_path / "gold" / "01-test.gold.json"
    path.parent.mkdir()
    path.write_text(json.dumps(gold), encoding="utf-8")
    return path


def _claim(content: str, mention: str, name: str, kind: CueKind) -> ExtractedClaim:
    start, mention_start = TEXT.index(content), TEXT.index(mention)
    return ExtractedClaim(
        sentence_index=0, start=start, end=start + len(content), type=AttributionType.indirect,
        confidence=0.9, source=SourceGuess(name=name, kind=SourceKind.person), mention=mention,
        mention_start=mention_start, mention_end=mention_start + len(mention), cue_kind=kind,
    )  # fmt: skip


def test_a_prediction_counts_when_its_content_and_its_mention_overlap_the_golds(
    tmp_path: Path,
) -> None:
    gold = AttributionGold.load(_gold(tmp_path))
    predicted = Extraction(
        claims=[
            _claim("We will win", "Ann Lee", "Ann Lee", CueKind.speech),  # part of the mention
            _claim("the fire was set", "bridge", "The bridge", CueKind.speech),  # wrong source
            _claim("The bridge opened", "Police", "Police", CueKind.speech),  # no such content
        ]
    )
    tally, wrong = score(gold, predicted)
    report = tally.report()
    assert (report["precision"], report["recall"]) == (round(1 / 3, 3), 0.5)
    assert report["source_name_accuracy"] == 1.0
    assert report["by_cue_kind"]["thought"]["recall"] == 0.0
    assert report["by_cue_kind"]["speech"]["recall"] == 1.0
    assert sorted(w.what for w in wrong) == ["false", "false", "missed"]
    missed = next(w for w in wrong if w.what == "missed")
    assert "the fire was set" in missed.line(TEXT)


def test_claimdesk_evaluate_scores_a_folder_of_attribution_gold(tmp_path: Path) -> None:
    path = _gold(tmp_path)
    (path.parent / "split.json").write_text(
        json.dumps({"dev": ["01-test.txt"], "unseen": []}), encoding="utf-8"
    )
    args = ["evaluate", str(path.parent), "--corpus", str(tmp_path / "corpus"), "--diff"]
    result = CliRunner().invoke(cli, [*args, "--split", "dev", "--per-article"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{") :])
    assert report["gold"] == 2 and set(report["by_cue_kind"]) == {"speech", "thought", "evidence"}
    assert "wikinews/01-test.txt: P " in result.output
    unseen = CliRunner().invoke(cli, [*args, "--split", "unseen"])
    assert unseen.exit_code == 0 and "{" not in unseen.output  # no article of that split


def test_every_wikinews_article_has_gold_that_covers_the_words_it_says() -> None:
    problems = {}
    gold_files = sorted(WIKINEWS.glob("*.gold.json"))
    for gold_file in gold_files:
        gold = AttributionGold.load(gold_file)
        text = (DEFAULT_CORPUS / gold.article).read_text(encoding="utf-8")
        if found := AttributionGold.problems(gold_file, text):
            problems[gold_file.name] = found
    assert problems == {}
    assert len(gold_files) == 40


def test_claimdesk_agreement_compares_two_passes(tmp_path: Path) -> None:
    first = _gold(tmp_path).parent
    second = tmp_path / "second"
    second.mkdir()
    data = json.loads((first / "01-test.gold.json").read_text(encoding="utf-8"))
    data["attributions"][1]["cue_kind"] = "speech"  # the other pass heard a statement
    data["attributions"].append({**data["attributions"][0], "id": "a03",
                                 "content": [_span(TEXT, "The bridge opened")]})  # fmt: skip
    (second / "01-test.gold.json").write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["agreement", str(first), str(second)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["entries"] == [2, 3] and report["both"] == 2
    assert report["f1"] == round(2 * (2 / 3) * 1 / (2 / 3 + 1), 3)
    assert (report["cue_kind_agreement"], report["cue_kind_kappa"]) == (0.5, 0.0)


def test_the_frozen_split_names_every_wikinews_article_once() -> None:
    split = json.loads((WIKINEWS / "split.json").read_text(encoding="utf-8"))
    articles = {p.name for p in (DEFAULT_CORPUS / "wikinews").glob("*.txt")}
    assert len(articles) == 40
    assert sorted(split["dev"] + split["unseen"]) == sorted(articles)
    assert len(split["unseen"]) >= 12

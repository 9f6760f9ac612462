"""Scoring attributions against gold by shared/ATTRIBUTION.md (tests/data/wikinews/).

A predicted attributed claim matches a gold attribution when its span overlaps
one of the gold content's fragments by at least half of the shorter of the two,
and its mention span overlaps the gold source span (the source as written).
Precision is over the predicted attributed claims, recall over the gold
attributions; both are also given per cue kind (precision by the predicted
kind, recall by the gold one). Of the matches, `source_name_accuracy` says how
many also name the gold source (as `source_name`, compared as normalized names).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.extraction.source_names import normalize_name
from app.extraction.types import AttributionType, CueKind, ExtractedClaim, Extraction

Span = tuple[int, int]
KINDS = tuple(kind.value for kind in CueKind)


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    id: str
    content: tuple[Span, ...]
    source: Span
    source_name: str
    cue: Span | None
    cue_kind: str
    via: str | None = None


@dataclass(frozen=True, slots=True)
class AttributionGold:
    article: str
    """The article's file, relative to shared/corpus/."""
    attributions: tuple[GoldAttribution, ...]

    @classmethod
    def load(cls, path: str | Path) -> AttributionGold:
        data = json.loads(Path(path).read_text(encoding="utf-8"))

        def span(value: Sequence[Any]) -> Span:
            return int(value[0]), int(value[1])

        return cls(
            article=data["article"],
            attributions=tuple(
                GoldAttribution(
                    id=a["id"],
                    content=tuple(span(fragment) for fragment in a["content"]),
                    source=span(a["source"]),
                    source_name=a["source_name"],
                    cue=span(a["cue"]) if a.get("cue") else None,
                    cue_kind=a["cue_kind"],
                    via=a["via"]["name"] if a.get("via") else None,
                )
                for a in data["attributions"]
            ),
        )

    @staticmethod
    def problems(path: str | Path, text: str) -> list[str]:
        """Where the file's spans are not the text they say they cover."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        found = []
        for a in data["attributions"]:
            spans = [("content", f) for f in a["content"]] + [("source", a["source"])]
            if a.get("cue"):
                spans.append(("cue", a["cue"]))
            if a.get("via"):
                spans.append(("via", a["via"]["span"]))
            for name, (start, end, covered) in spans:
                if not (0 <= start < end <= len(text)) or text[start:end] != covered:
                    found.append(f"{a['id']} {name} [{start}, {end}] is not {covered!r}")
            if a["cue_kind"] not in KINDS:
                found.append(f"{a['id']} cue_kind {a['cue_kind']!r}")
        return found


def _overlap(a: Span, b: Span) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and inter >= shorter / 2


def _touches(a: Span, b: Span) -> bool:
    return min(a[1], b[1]) > max(a[0], b[0])


def _attributed(extraction: Extraction) -> list[ExtractedClaim]:
    return [
        c for c in extraction.claims
        if c.source is not None and c.type != AttributionType.unattributed
    ]  # fmt: skip


def _matches(claim: ExtractedClaim, gold: GoldAttribution) -> bool:
    if claim.mention_start is None or claim.mention_end is None:
        return False
    span = (claim.start, claim.end)
    return any(_overlap(span, f) for f in gold.content) and _touches(
        (claim.mention_start, claim.mention_end), gold.source
    )


@dataclass
class Tally:
    """Counts that add up over articles: micro-averaged figures."""

    predicted: Counter[str] = field(default_factory=Counter)
    precise: Counter[str] = field(default_factory=Counter)
    gold: Counter[str] = field(default_factory=Counter)
    recalled: Counter[str] = field(default_factory=Counter)
    named_right: int = 0
    matched: int = 0

    def add(self, other: Tally) -> None:
        for mine, theirs in (
            (self.predicted, other.predicted), (self.precise, other.precise),
            (self.gold, other.gold), (self.recalled, other.recalled),
        ):  # fmt: skip
            mine.update(theirs)
        self.named_right += other.named_right
        self.matched += other.matched

    def figures(self, kind: str | None = None) -> dict[str, Any]:
        def total(counter: Counter[str]) -> int:
            return counter[kind] if kind else sum(counter.values())

        p = total(self.precise) / total(self.predicted) if total(self.predicted) else 0.0
        r = total(self.recalled) / total(self.gold) if total(self.gold) else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "predicted": total(self.predicted), "gold": total(self.gold),
        }  # fmt: skip

    def report(self) -> dict[str, Any]:
        return {
            **self.figures(),
            "source_name_accuracy": round(self.named_right / self.matched, 3)
            if self.matched
            else None,
            "by_cue_kind": {kind: self.figures(kind) for kind in KINDS},
        }


@dataclass(frozen=True, slots=True)
class Wrong:
    """A gold attribution no prediction matched, or a prediction no gold one did."""

    what: str  # "missed" or "false"
    cue_kind: str
    detail: str
    span: Span

    def line(self, text: str) -> str:
        start, end = self.span
        context = text[max(0, start - 40) : end + 10].replace("\n", " ")
        return f"{self.what:6} {self.cue_kind:8} {self.detail}\n         …{context}…"


def score(gold: AttributionGold, extraction: Extraction) -> tuple[Tally, list[Wrong]]:
    """The tally of one article, and what went wrong in it."""
    predicted = _attributed(extraction)
    tally, wrong = Tally(), []
    for claim in predicted:
        kind = str(claim.cue_kind or CueKind.speech)
        tally.predicted[kind] += 1
        if any(_matches(claim, g) for g in gold.attributions):
            tally.precise[kind] += 1
        else:
            name = claim.source.name if claim.source else None
            detail = f"source={name!r} mention={claim.mention!r} cue={claim.cue!r}"
            wrong.append(Wrong("false", kind, detail, (claim.start, claim.end)))
    for g in gold.attributions:
        tally.gold[g.cue_kind] += 1
        hits = [c for c in predicted if _matches(c, g)]
        if not hits:
            detail = f"{g.id} source={g.source_name!r}"
            wrong.append(Wrong("missed", g.cue_kind, detail, (g.content[0][0], g.content[-1][1])))
            continue
        tally.recalled[g.cue_kind] += 1
        tally.matched += 1
        tally.named_right += any(
            c.source is not None and normalize_name(c.source.name) == normalize_name(g.source_name)
            for c in hits
        )
    return tally, wrong


def _same(x: GoldAttribution, y: GoldAttribution) -> bool:
    return any(_overlap(f, g) for f in x.content for g in y.content) and _touches(
        x.source, y.source
    )


def agreement(passes: Iterable[tuple[AttributionGold, AttributionGold]]) -> dict[str, Any]:
    """How far two annotation passes of the same articles agree, by the scorer's
    matching: F1 of one pass against the other, and over the entries both made,
    how often they give the same cue kind (with Cohen's kappa) and source name."""
    counts: Counter[str] = Counter()
    kinds: list[tuple[str, str]] = []
    for a, b in passes:
        counts["a"] += len(a.attributions)
        counts["b"] += len(b.attributions)
        counts["a_in_b"] += sum(any(_same(x, y) for y in b.attributions) for x in a.attributions)
        counts["b_in_a"] += sum(any(_same(y, x) for x in a.attributions) for y in b.attributions)
        for x in a.attributions:
            y = next((y for y in b.attributions if _same(x, y)), None)
            if y is not None:
                kinds.append((x.cue_kind, y.cue_kind))
                counts["same_name"] += normalize_name(x.source_name) == normalize_name(
                    y.source_name
                )
    recall = counts["a_in_b"] / counts["a"] if counts["a"] else 0.0
    precision = counts["b_in_a"] / counts["b"] if counts["b"] else 0.0
    observed = sum(x == y for x, y in kinds) / len(kinds) if kinds else 0.0
    first, second = Counter(x for x, _ in kinds), Counter(y for _, y in kinds)
    chance = sum(first[k] * second[k] for k in KINDS) / len(kinds) ** 2 if kinds else 0.0
    return {
        "entries": [counts["a"], counts["b"]],
        "f1": round(2 * precision * recall / (precision + recall), 3)
        if precision + recall
        else 0.0,
        "both": len(kinds),
        "cue_kind_agreement": round(observed, 3),
        "cue_kind_kappa": round((observed - chance) / (1 - chance), 3) if chance < 1 else 1.0,
        "source_name_agreement": round(counts["same_name"] / len(kinds), 3) if kinds else 0.0,
    }

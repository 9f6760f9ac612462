"""Score an extraction against a gold file, with the corpus scorer's matching rules.

Mirrors ``tools/score_claims.py``: a predicted and a gold claim correspond when
their spans overlap by at least half of the shorter one; a gold claim is
recalled when a corresponding prediction names one of its acceptable sources
(an alias appearing as whole words in the predicted name; null matches an
unattributed prediction). Sentences match on exact trimmed offsets.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from app.extraction.types import AttributionType, Extraction

Span = tuple[int, int]


def _norm(s: str) -> str:
    s = s.casefold().replace("\u2019", "'")
    s = re.sub(r"[^\w\s'.]", " ", s)
    return " " + re.sub(r"\s+", " ", s).strip() + " "


def _source_ok(pred: str | None, accepted: list[str | None], aliases: dict[str, list[str]]) -> bool:
    for acc in accepted:
        if acc is None:
            if pred is None:
                return True
            continue
        if pred is None:
            continue
        p = _norm(pred)
        if any(_norm(a) in p for a in aliases.get(acc, [acc])):
            return True
    return False


def _overlap(a: Span, b: Span) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return shorter > 0 and inter >= shorter / 2


def _trim(text: str, s: int, e: int) -> Span:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _prf(tp_p: int, n_p: int, tp_r: int, n_g: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_g if n_g else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(p, 3), round(r, 3), round(f, 3)


def evaluate(gold: dict[str, Any], text: str, extraction: Extraction) -> dict[str, Any]:
    """Precision, recall and F1 of sentences and of attributed claims."""
    aliases: dict[str, list[str]] = gold.get("aliases", {})
    preds: list[tuple[Span, str | None]] = []
    for c in extraction.claims:
        name = None
        if c.type != AttributionType.unattributed and c.source is not None:
            name = c.source.name
        preds.append(((c.start, c.end), name))
    gclaims = gold.get("claims", [])

    def hit(g: dict[str, Any], ps: Span, pn: str | None) -> bool:
        return _overlap((g["start"], g["end"]), ps) and _source_ok(pn, g["sources"], aliases)

    recalled = sum(any(hit(g, ps, pn) for ps, pn in preds) for g in gclaims)
    precise = sum(any(hit(g, ps, pn) for g in gclaims) for ps, pn in preds)
    p, r, f = _prf(precise, len(preds), recalled, len(gclaims))
    attributed = [g for g in gclaims if None not in g["sources"]]
    out: dict[str, Any] = {
        "claims_gold": len(gclaims),
        "claims_predicted": len(preds),
        "precision": p,
        "recall": r,
        "f1": f,
        "attributed_recall": round(
            sum(any(hit(g, ps, pn) for ps, pn in preds) for g in attributed) / len(attributed), 3
        )
        if attributed
        else None,
    }
    if gold.get("sentences"):
        gs = {_trim(text, s["start"], s["end"]) for s in gold["sentences"]}
        ps_ = {_trim(text, s.start, s.end) for s in extraction.sentences}
        tp = len(gs & ps_)
        sp, sr, sf = _prf(tp, len(ps_), tp, len(gs))
        out.update(sentence_precision=sp, sentence_recall=sr, sentence_f1=sf)
    return out


def misses(gold: dict[str, Any], text: str, extraction: Extraction) -> list[str]:
    """Human-readable misses and spurious claims, as the scorer's -v prints them."""
    aliases: dict[str, list[str]] = gold.get("aliases", {})
    preds = [
        (
            (c.start, c.end),
            c.source.name if c.source and c.type != AttributionType.unattributed else None,
        )
        for c in extraction.claims
    ]
    lines = []
    for g in gold.get("claims", []):
        span = (g["start"], g["end"])
        if not any(
            _overlap(span, ps) and _source_ok(pn, g["sources"], aliases) for ps, pn in preds
        ):
            got = [pn for ps, pn in preds if _overlap(span, ps)]
            lines.append(
                f"missed {g.get('id')} want {g['sources']} got {got or 'no claim'}: "
                f"{text[span[0] : span[1]][:70]!r}"
            )
    for ps, pn in preds:
        if not any(
            _overlap(ps, (g["start"], g["end"])) and _source_ok(pn, g["sources"], aliases)
            for g in gold.get("claims", [])
        ):
            lines.append(f"spurious source={pn!r}: {text[ps[0] : ps[1]][:70]!r}")
    return lines


def load_gold(path: str | Path) -> tuple[dict[str, Any], str]:
    """A gold file and its article text (``text_file`` is relative to the gold file)."""
    p = Path(path)
    gold: dict[str, Any] = json.loads(p.read_text(encoding="utf-8"))
    text = (p.parent / gold["text_file"]).read_text(encoding="utf-8")
    return gold, text


def to_scorer_json(extraction: Extraction) -> dict[str, Any]:
    """The ``--predicted`` format of ``tools/score_claims.py``."""
    return {
        "claims": [
            {
                "start": c.start,
                "end": c.end,
                "source": {"name": c.source.name} if c.source else None,
                "attribution": {"type": str(c.type)},
            }
            for c in extraction.claims
        ],
        "sentences": [{"start": s.start, "end": s.end} for s in extraction.sentences],
    }

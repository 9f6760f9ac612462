"""Extraction speed on ~1 MB of news text (the reference article repeated).

    .venv/bin/python bench/extraction_speed.py [--size 1000000] [--repeat 5]

Prints characters and sentences per second of ``extract`` (best of N runs,
single process) and, from the same run, of the bare sentence splitter, so the
ratio shows what attribution costs on top of splitting.

nupunkt keeps a paragraph-level cache, which a plainly repeated article hits on
every copy after the first. So two texts are timed: the article repeated as is
("repeated"), and the same with a distinct tag opening every paragraph
("unique"), which no cache can serve; the second is the honest figure.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.extraction import EXTRACTOR_VERSION, extract  # noqa: E402
from app.extraction.sentences import split_sentences  # noqa: E402

ARTICLE = ROOT / "seeds" / "putin-biden-summit.txt"


def build_text(size: int, unique: bool) -> str:
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    parts: list[str] = []
    total, n = 0, 0
    while total < size:
        if unique:
            # A "(1234)" tag opening each paragraph: same sentences, new paragraphs.
            copy = "\n".join(f"({n * 100 + i}) {line}" for i, line in enumerate(lines))
        else:
            copy = "\n".join(lines)
        copy += "\n\n"
        parts.append(copy)
        total += len(copy)
        n += 1
    return "".join(parts)[:size]


def best_of(fn: Callable[[str], object], text: str, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(text)
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--size", type=int, default=1_000_000, help="characters of text")
    ap.add_argument("--repeat", type=int, default=5, help="runs; the best one counts")
    args = ap.parse_args()
    print(
        f"extractor {EXTRACTOR_VERSION}, python {sys.version.split()[0]}, "
        f"best of {args.repeat}, single process"
    )
    print(
        f"{'text':<10}{'what':<15}{'chars':>11}{'sentences':>11}{'seconds':>9}"
        f"{'chars/s':>13}{'sentences/s':>13}{'ratio':>7}"
    )
    for label, unique in (("repeated", False), ("unique", True)):
        text = build_text(args.size, unique)
        split_s, sentences = best_of(split_sentences, text, args.repeat)
        ext_s, _ = best_of(extract, text, args.repeat)
        n_sent = len(sentences)  # type: ignore[arg-type]
        for name, secs in (("extract", ext_s), ("splitter only", split_s)):
            ratio = f"{ext_s / split_s:.1f}x" if name == "extract" else ""
            print(
                f"{label:<10}{name:<15}{len(text):>11,}{n_sent:>11,}{secs:>9.3f}"
                f"{len(text) / secs:>13,.0f}{n_sent / secs:>13,.0f}{ratio:>7}"
            )


if __name__ == "__main__":
    main()

"""Where ingest's claim matching spends its time (issue 13), in-process, on a bench
database (bench.generate).

    .venv/bin/python -m bench.matching_cost --database-url sqlite:///$PWD/bench/out/zipf.db
    .venv/bin/python -m bench.matching_cost --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench13_zipf

New generated articles (as `bench.run --ingest-articles generated` posts them) go
through app.services.articles.ingest_article one at a time, the sides in turn
article by article, so that a slower moment of the machine slows them all:

- *off*: no matching (CLAIMDESK_MATCHING=false);
- *on*: what the API does;
- *keys only*: the band keys computed and stored, no stored claim read or compared
  (the candidates are none): what keeping the index costs by itself;
- *compare only*: the candidates read and compared, no band key stored: what
  finding the matches costs by itself.

No HTTP, no server: what is left is the ingest's own time, commit included. A
warm-up with matching on fills the caches a running server has. What it ingests
is deleted at the end. Prints a markdown table; with --write, puts it into
bench/results.md (a section per database kind).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR.parent) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR.parent))

from bench.run import (  # noqa: E402
    generated_articles,
    generated_vocabulary,
    remove_ingested,
)

SIDES = ("off", "on", "keys only", "compare only")
TARGET = 0.70
"""Issue 13: ingest with matching at least 70% of the articles/s of ingest without."""


@contextmanager
def side(name: str) -> Iterator[None]:
    """Matching as the side has it (app.claims.store calls match_new)."""
    from app.claims import matches, store

    def keys_only(session: Any, rows: Sequence[dict[str, Any]]) -> matches.Found:
        def no_candidates(_session: Any, wanted: dict[int, Any]) -> dict[int, list[Any]]:
            return {claim_id: [] for claim_id in wanted}

        with mock.patch.object(matches, "candidates_by_speaker", no_candidates):
            return matches.match_new(session, rows)

    def compare_only(session: Any, rows: Sequence[dict[str, Any]]) -> matches.Found:
        found = matches.match_new(session, rows)
        found.bands = []
        return found

    variants: dict[str, Callable[..., matches.Found]] = {
        "keys only": keys_only,
        "compare only": compare_only,
    }
    if name in variants:
        with mock.patch.object(store, "match_new", variants[name]):
            yield
    else:
        yield


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", required=True)
    p.add_argument("--articles", type=int, default=60, help="articles per side")
    p.add_argument("--warmup", type=int, default=200, help="articles ingested first, matching on")
    p.add_argument("--write", action="store_true", help="put the table into bench/results.md")
    a = p.parse_args(argv)

    from sqlmodel import Session

    from app.claims import ClaimStore
    from app.db import make_engine
    from app.schemas import ArticleIn
    from app.services.articles import ingest_article
    from app.settings import Settings

    engine = make_engine(Settings(database_url=a.database_url))
    with engine.connect() as conn:
        vocab = generated_vocabulary(conn)
        claims, max_article_id, max_source_id = conn.exec_driver_sql(
            "SELECT (SELECT count(*) FROM claim), (SELECT max(id) FROM article), "
            "(SELECT max(id) FROM source)"
        ).one()
    data = {"max_article_id": max_article_id, "max_source_id": max_source_id}
    texts = iter(generated_articles(engine, vocab, a.warmup + a.articles * len(SIDES)))
    stores = {name: ClaimStore(engine, matching=name != "off") for name in SIDES}
    times: dict[str, list[float]] = {name: [] for name in SIDES}
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")

    def ingest(name: str, n: int) -> float:
        body = ArticleIn(text=f"Cost {stamp} {name} {n}.\n{next(texts)}")
        with side(name), Session(engine) as session:
            start = time.perf_counter()
            ingest_article(
                session=session, claims=stores[name], data=body, max_bytes=10**7,
                actor="bench",
            )  # fmt: skip
            return 1000 * (time.perf_counter() - start)

    started = datetime.now(UTC)
    try:
        for n in range(a.warmup):
            ingest("on", n)
        for n in range(a.articles):
            order = SIDES[n % len(SIDES) :] + SIDES[: n % len(SIDES)]
            for name in order:
                times[name].append(ingest(name, n))
    finally:
        remove_ingested(engine, data)
        engine.dispose()
    kind = "PostgreSQL" if engine.dialect.name == "postgresql" else "SQLite"
    report = render(a, kind, claims, times, started)
    print(report)
    if a.write:
        write_results(kind, report)


def render(
    a: argparse.Namespace, kind: str, claims: int, times: dict[str, list[float]],
    started: datetime,
) -> str:  # fmt: skip
    off = statistics.mean(times["off"])
    lines = [
        f"### Matching cost, {kind}: {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"`bench.matching_cost` on {claims:,} claims: {a.articles} new generated articles "
        f"a side, after {a.warmup} with matching on; {os.cpu_count()} CPUs, load "
        f"{os.getloadavg()[0]:.2f} at the end. Milliseconds per article, in-process, "
        "commit included.",
        "",
        "| side | mean ms | median ms | off ÷ side (articles/s ratio) | over off, ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in SIDES:
        mean = statistics.mean(times[name])
        lines.append(
            f"| {name} | {mean:.1f} | {statistics.median(times[name]):.1f} | "
            f"{off / mean:.2f} | {mean - off:+.1f} |"
        )
    on = statistics.mean(times["on"])
    verdict = "met" if off / on >= TARGET else "missed"
    lines += [
        "",
        f"With matching ÷ without, articles/s: {off / on:.2f} (target ≥ {TARGET}: "
        f"**{verdict}**). Matching may add {(1 / TARGET - 1) * off:.1f} ms an article "
        f"for the target; storing the keys alone adds "
        f"{statistics.mean(times['keys only']) - off:.1f}.",
        "",
    ]
    return "\n".join(lines)


def write_results(kind: str, report: str) -> None:
    results = BENCH_DIR / "results.md"
    begin, end = f"<!-- Matching cost, {kind}:begin -->", f"<!-- Matching cost, {kind}:end -->"
    block = f"{begin}\n{report}{end}\n"
    old = results.read_text(encoding="utf-8")
    if begin in old and end in old:
        head, rest = old.split(begin, 1)
        new = head + block + rest.split(end, 1)[1].lstrip("\n")
    else:
        new = old.rstrip("\n") + "\n\n" + block
    results.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    main()

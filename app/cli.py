"""The `claimdesk` command: serve, migrate, seed, ingest, keys, export, openapi, evaluate,
rewrite-json."""

from __future__ import annotations

import json
import signal
import sys
import threading
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from app import migrate as migrations
from app.claims import ClaimFilters, ClaimStore
from app.claims import store as claim_store
from app.claims.document import csv_lines, jsonl_lines
from app.db import make_engine
from app.errors import AppError
from app.extraction import EXTRACTOR_VERSION, attribution_score, extract
from app.extraction.evaluate import evaluate as score
from app.models import Article, ClaimStatus, Role
from app.openapi import render_openapi
from app.schemas import ArticleIn, ExportFormat
from app.server import HTTP_PROTOCOL
from app.services import keys as key_service
from app.services import reextract as reextract_service
from app.services.articles import ingest_article
from app.services.seed import load_seeds
from app.settings import PROJECT_DIR, Settings, get_settings
from app.webhooks.worker import deliver_until

cli = typer.Typer(
    help="claimdesk: claim-level fact-checking records over HTTP.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def _session(settings: Settings) -> Session:
    return Session(make_engine(settings), expire_on_commit=False)


def _claims(session: Session) -> ClaimStore:
    """A store for the CLI's writes and reads, which all run inside its session."""
    return ClaimStore(session.get_bind().engine, matching=get_settings().matching)


@cli.command()
def migrate(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Bring the database schema to REVISION (default: the newest)."""
    settings = get_settings()
    migrations.upgrade(settings.database_url, revision)
    out.print(f"migrated to {revision}")


@cli.command()
def seed(
    seeds_dir: Annotated[Path, typer.Option(help="Folder of sources.json and articles.json.")] = (
        PROJECT_DIR / "seeds"
    ),
) -> None:
    """Load the known sources and the reference article(s). Loading twice changes nothing."""
    settings = get_settings()
    with _session(settings) as session:
        report = load_seeds(
            session, _claims(session), seeds_dir, max_article_bytes=settings.max_article_bytes
        )
    out.print(
        f"seeded: {report.sources_created} new sources, {report.articles_created} new articles"
    )


@cli.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True)],
    title: Annotated[str | None, typer.Option(help="Title (default: the file name).")] = None,
    publisher: Annotated[str | None, typer.Option()] = None,
    language: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Ingest UTF-8 text files as articles and print a summary line for each."""

    settings = get_settings()
    failures = 0
    # The summaries are the results, for stdout; the bar and the errors go to stderr.
    # Only when both are the terminal do the summaries go through the bar's console,
    # which prints them above the bar rather than across it.
    results = err if out.is_terminal and err.is_terminal else out
    with _session(settings) as session, Progress(console=err, disable=len(files) < 5) as bar:
        store = _claims(session)
        task = bar.add_task("ingesting", total=len(files))
        for path in files:
            try:
                text = path.read_text(encoding="utf-8")
                data = ArticleIn(
                    text=text, title=title or path.stem, publisher=publisher, language=language
                )
                article, created = ingest_article(
                    session=session,
                    claims=store,
                    data=data,
                    max_bytes=settings.max_article_bytes,
                    actor="cli",
                )
                claims = store.of_article(session, article.id or 0)
                attributed = sum(1 for c in claims if c.source is not None)
                state = "new" if created else "existing"
                results.print(
                    f"{path}: article {article.id} ({state}), {len(claims)} claims, "
                    f"{attributed} attributed"
                )
            except (UnicodeDecodeError, ValidationError, AppError) as exc:
                failures += 1
                err.print(f"[red]{path}: {exc}[/red]")
            bar.advance(task)
    if failures:
        raise typer.Exit(code=1)


@cli.command()
def reextract(
    article: Annotated[
        list[int] | None,
        typer.Option(help="These articles (default: those an older extractor read)."),
    ] = None,
) -> None:
    """Run this extractor over stored articles again, keeping every claim a person has
    touched (a status, a manual attribution, an annotation); one line per article."""
    settings = get_settings()
    failures = 0
    with _session(settings) as session:
        store = _claims(session)
        ids = article or reextract_service.stale_articles(session)
        with Progress(console=err, disable=len(ids) < 5) as bar:
            task = bar.add_task("re-extracting", total=len(ids))
            for article_id in ids:
                try:
                    report = reextract_service.reextract_article(
                        session, store, article_id, actor="reextract"
                    )
                    out.print(report.line(), markup=False, highlight=False)
                except AppError as exc:
                    failures += 1
                    err.print(f"[red]article {article_id}: {exc.detail}[/red]")
                except DBAPIError as exc:  # a deadlock or a lost connection: nothing changed
                    failures += 1
                    err.print(f"[red]article {article_id}: {exc.orig}; run it again[/red]")
                bar.advance(task)
    out.print(f"extractor {EXTRACTOR_VERSION}: {len(ids) - failures} articles re-extracted")
    if failures:
        raise typer.Exit(code=1)


@cli.command("rewrite-json")
def rewrite_json() -> None:
    """Write every claim's stored JSON again from its columns: after rows were
    changed outside the API (SQL, a loader, a process of an older version)."""
    engine = make_engine(get_settings())
    try:
        with engine.begin() as conn, Progress(console=err) as bar:
            task = bar.add_task("claims", total=claim_store.count_claims(conn))
            count = claim_store.rewrite_json(conn, lambda n: bar.advance(task, n))
    finally:
        engine.dispose()
    out.print(f"rewrote the JSON of {count} claims")


@cli.command()
def openapi(
    output: Annotated[Path, typer.Option("--output", "-o")] = PROJECT_DIR / "openapi.json",
) -> None:
    """Write the OpenAPI spec of the app to OUTPUT."""
    output.write_text(render_openapi(), encoding="utf-8")
    out.print(f"wrote {output}")


class Split(StrEnum):
    dev = "dev"
    unseen = "unseen"
    all = "all"


DEFAULT_CORPUS = PROJECT_DIR.parent / "shared" / "corpus"


@cli.command()
def evaluate(
    paths: Annotated[
        list[Path],
        typer.Argument(exists=True, help="Gold files, or folders of *.gold.json files."),
    ],
    split: Annotated[
        Split, typer.Option(help="With a folder that has a split.json: which of its articles.")
    ] = Split.all,
    diff: Annotated[bool, typer.Option(help="List each miss and false attribution.")] = False,
    per_article: Annotated[bool, typer.Option(help="A line of figures per article.")] = False,
    corpus: Annotated[
        Path, typer.Option(help="Where the gold files' articles are (shared/corpus).")
    ] = DEFAULT_CORPUS,
) -> None:
    """Score the extractor against gold: attributions by shared/ATTRIBUTION.md
    (precision, recall and F1, overall and per cue kind), or a claims gold file."""
    files = [f for p in paths for f in (sorted(p.glob("*.gold.json")) if p.is_dir() else [p])]
    if split != Split.all:
        files = [f for f in files if f.name.removesuffix(".gold.json") + ".txt" in _split(f, split)]
    claim_golds = [f for f in files if "claims" in json.loads(f.read_text(encoding="utf-8"))]
    for path in claim_golds:  # the hand-made articles' format: sentences and claims
        data = json.loads(path.read_text(encoding="utf-8"))
        text = (path.parent / data["text_file"]).read_text(encoding="utf-8")
        out.print_json(data={"gold": str(path), **score(data, text, extract(text))})
    attribution_golds = [f for f in files if f not in claim_golds]
    if not attribution_golds:
        return
    total = attribution_score.Tally()
    for path in attribution_golds:
        gold = attribution_score.AttributionGold.load(path)
        text = (corpus / gold.article).read_text(encoding="utf-8")
        tally, wrong = attribution_score.score(gold, extract(text))
        total.add(tally)
        if per_article:
            f = tally.figures()
            out.print(
                f"{gold.article}: P {f['precision']:.3f} R {f['recall']:.3f} F1 {f['f1']:.3f} "
                f"({f['gold']} gold, {f['predicted']} predicted)"
            )
        if diff:
            for w in wrong:
                out.print(f"{gold.article}: {w.line(text)}", markup=False, highlight=False)
    report = total.report()
    out.print(f"extractor {EXTRACTOR_VERSION}, {len(attribution_golds)} articles")
    out.print_json(data=report)


@cli.command()
def agreement(
    first: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="A pass's folder.")],
    second: Annotated[Path, typer.Argument(exists=True, file_okay=False, help="The other's.")],
) -> None:
    """How far two annotation passes of the same articles agree (attribution gold)."""
    passes = [
        (attribution_score.AttributionGold.load(a), attribution_score.AttributionGold.load(b))
        for a in sorted(first.glob("*.gold.json"))
        if (b := second / a.name).exists()
    ]
    out.print_json(data={"articles": len(passes), **attribution_score.agreement(passes)})


def _split(gold_file: Path, split: Split) -> set[str]:
    split_file = gold_file.parent / "split.json"
    if not split_file.exists():
        raise typer.BadParameter(f"{split_file} does not exist", param_hint="--split")
    return set(json.loads(split_file.read_text(encoding="utf-8"))[split.value])


@cli.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option(min=1)] = 1,
    seed_if_empty: Annotated[bool, typer.Option(help="Load seeds/ into an empty database.")] = True,
) -> None:
    """Migrate, seed an empty database, then serve the API (on SQLite with a webhook
    worker inside: see CLAIMDESK_WORKER_IN_PROCESS)."""

    settings = get_settings()
    migrations.upgrade(settings.database_url)
    if seed_if_empty:
        with _session(settings) as session:
            if session.execute(select(col(Article.id)).limit(1)).first() is None:
                load_seeds(
                    session, _claims(session), PROJECT_DIR / "seeds",
                    max_article_bytes=settings.max_article_bytes,
                )  # fmt: skip
                out.print("seeded the empty database")
    uvicorn.run(
        "app.main:app",
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        http=HTTP_PROTOCOL,
    )


@cli.command()
def worker(
    name: Annotated[
        str | None, typer.Option(help="How the delivery log names it (host:pid by default).")
    ] = None,
) -> None:
    """Deliver webhooks until stopped (Ctrl-C or SIGTERM). Start any number, on any
    machines, against one PostgreSQL: they share the work and never send one attempt
    twice."""

    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    deliver_until(
        get_settings(), stop, name=name,
        announce=lambda worker: out.print(f"worker {worker} delivering webhooks", highlight=False),
    )  # fmt: skip


keys = typer.Typer(help="API keys: create, list, revoke. Needs no server.", no_args_is_help=True)
cli.add_typer(keys, name="keys")


@keys.command("create")
def create_key(
    name: Annotated[str, typer.Option(help="Who or what holds the key: desk-anna, ci-bot.")],
    role: Annotated[Role, typer.Option(help="reader reads, editor writes, admin manages keys.")],
) -> None:
    """Create a key and print its secret, alone on the last line (shown only this once)."""

    with _session(get_settings()) as session:
        try:
            key, token = key_service.create_key(session=session, name=name, role=role)
        except AppError as exc:
            err.print(f"[red]{exc.detail}[/red]")
            raise typer.Exit(code=1) from None
    out.print(f"created {key.role} key {key.id} ({key.name}); its secret, shown only now:")
    print(token)


@keys.command("list")
def list_keys() -> None:
    """Every key with its role and state; secrets are never shown."""
    with _session(get_settings()) as session:
        for key in key_service.list_keys(session):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            out.print(f"{key.id}\t{key.name}\t{key.role}\t{state}")


@keys.command("revoke")
def revoke_key(
    key_id: Annotated[int, typer.Argument(help="The key's id (see keys list).")],
) -> None:
    """Revoke a key; it stops working at once."""

    with _session(get_settings()) as session:
        try:
            key = key_service.revoke_key(session=session, key_id=key_id)
        except AppError as exc:
            err.print(f"[red]{exc.detail}[/red]")
            raise typer.Exit(code=1) from None
    out.print(f"revoked key {key.id} ({key.name})")


@cli.command()
def export(
    format: Annotated[ExportFormat, typer.Option()] = ExportFormat.jsonl,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Default: stdout.")] = None,
    status: Annotated[ClaimStatus | None, typer.Option()] = None,
    source_name: Annotated[str | None, typer.Option(help="A source's name or alias.")] = None,
    article: Annotated[int | None, typer.Option(help="An article id.")] = None,
) -> None:
    """Write every claim matching the filters as JSON Lines or CSV."""

    filters = ClaimFilters(status=status, source_name=source_name, article_id=article)
    claims = ClaimStore(make_engine(get_settings())).export(filters)
    lines = csv_lines(claims) if format == ExportFormat.csv else jsonl_lines(claims)
    sink = output.open("wb") if output else sys.stdout.buffer
    try:
        for chunk in lines:
            sink.write(chunk)
    finally:
        if output:
            sink.close()


def main() -> None:
    cli()

"""Every API test runs once per database backend, on a database of its own.

SQLite: each test gets a copy of a freshly migrated file. PostgreSQL: the
session creates a database of its own (never anyone else's), migrates it once,
empties every table before each test and drops the database at the end.
PostgreSQL being unreachable is an error, never a skip; `--db sqlite` runs
the SQLite half alone on purpose.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from app import changes as feed
from app import migrate
from app.claims import ClaimStore
from app.db import write_transaction
from app.extraction.types import SourceGuess, SourceKind
from app.main import create_app
from app.models import Article, ChangeType, Claim, Role, Sentence
from app.services.articles import content_hash
from app.services.keys import create_key, revoke_key
from app.services.source_registry import resolve_guesses
from app.settings import Settings
from tests import feed_replay, stored_json

BACKENDS = ("sqlite", "postgresql")
DEFAULT_PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        default=",".join(BACKENDS),
        help="Comma-separated backends to run the database tests on (default: both).",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        chosen = [b.strip() for b in metafunc.config.getoption("--db").split(",") if b.strip()]
        unknown = set(chosen) - set(BACKENDS)
        if unknown:
            raise pytest.UsageError(f"unknown --db backend(s): {', '.join(sorted(unknown))}")
        if (only := metafunc.definition.get_closest_marker("backends")) is not None:
            chosen = [b for b in chosen if b in only.args]
        metafunc.parametrize("backend", chosen, scope="session")


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


def pg_admin_url() -> str:
    return os.environ.get("CLAIMDESK_TEST_POSTGRES_URL", DEFAULT_PG_ADMIN_URL)


class PostgresDatabases:
    """Creates and drops this test run's own databases on the server."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = make_url(admin_url)
        self.engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def check_reachable(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:  # any driver error means the same thing here
            pytest.fail(
                f"PostgreSQL is not reachable at {self.admin_url.render_as_string()} ({exc}). "
                "Start it, set CLAIMDESK_TEST_POSTGRES_URL, or run with --db sqlite.",
                pytrace=False,
            )

    def create(self) -> str:
        name = f"claimdesk_test_{uuid.uuid4().hex[:12]}"
        with self.engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = make_url(url).database
        assert name in self.created, "only databases this run created are dropped"
        with self.engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.created.remove(name)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases]:
    dbs = PostgresDatabases(pg_admin_url())
    dbs.check_reachable()
    yield dbs
    for name in list(dbs.created):
        dbs.drop(dbs.admin_url.set(database=name).render_as_string(hide_password=False))
    dbs.engine.dispose()


@pytest.fixture(scope="session")
def migrated_database(
    backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> str:
    """A database migrated to head, once per backend per run."""
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "template.db"
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres").create()
    migrate.upgrade(url)
    return url


def _tables() -> str:
    import app.models  # noqa: F401

    return ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)


@pytest.fixture
def database_url(backend: str, migrated_database: str, tmp_path: Path) -> str:
    """A database of this test's own, migrated and empty."""
    if backend == "sqlite":
        path = tmp_path / "claimdesk.db"
        shutil.copyfile(make_url(migrated_database).database or "", path)
        return f"sqlite:///{path}"
    engine = create_engine(migrated_database)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {_tables()} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return migrated_database


@pytest.fixture
def settings(database_url: str, request: pytest.FixtureRequest) -> Settings:
    """The test database's settings; a test may change others by indirect
    parametrization: `@pytest.mark.parametrize("settings", [{...}], indirect=True)`."""
    # Webhook workers run where a test starts them, not inside every app.
    given = {"worker_in_process": False, **getattr(request, "param", {})}
    return Settings(database_url=database_url, **given)


@pytest.fixture
def app(settings: Settings, request: pytest.FixtureRequest) -> Iterator[Any]:
    """The app on this test's database. Whatever the test wrote, every claim's
    stored JSON must still be what its columns make (app.claims.document), and the
    changes feed replayed from its start must rebuild what the database holds."""
    application = create_app(settings)
    yield application
    try:
        assert stored_json.mismatches(application.state.engine) == {}
        if request.node.get_closest_marker("writes_in_sql") is None:
            assert feed_replay.mismatches(application.state.engine) == {}
    finally:
        application.state.engine.dispose()


@pytest.fixture
async def running(app: Any) -> AsyncIterator[Any]:
    """The app with its lifespan begun (its ClaimStore built), on this test's event loop."""
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
def keys(app: Any) -> dict[str, str]:
    """A live key of each role, by role name, plus a revoked editor key."""
    tokens = {}
    with Session(app.state.engine) as session:
        for role in Role:
            _, tokens[role.value] = create_key(session=session, name=f"test-{role}", role=role)
        revoked, tokens["revoked"] = create_key(
            session=session, name="test-revoked", role=Role.editor
        )
        assert revoked.id is not None
        revoke_key(session=session, key_id=revoked.id)
    return tokens


MakeClaim = Callable[..., dict[str, Any]]


@pytest.fixture
def make_claim(app: Any) -> MakeClaim:
    """Stores a claim as ingest would, in an article of its own, whatever the extractor
    would make of the text; returns the claim as the API serves it.

    By default Dmitry Peskov's direct quote, with "he" as its mention and "said" as
    its cue; ``source=None`` makes it the article's own statement, ``via="TASS"`` a
    quote TASS relays ("…,” he said, TASS reported."). Other keywords go to the
    article (``url``, ``title``, ``published_at``).
    """
    engine = app.state.engine
    store = ClaimStore(engine)
    made = 0

    def make(
        text: str = "Russia has never planned to attack anyone",
        *,
        source: str | None = "Dmitry Peskov",
        kind: SourceKind = SourceKind.person,
        aliases: tuple[str, ...] = (),
        via: str | None = None,
        via_kind: SourceKind = SourceKind.news_agency,
        attribution_type: str = "direct_quote",
        status: str = "unverified",
        **article_fields: Any,
    ) -> dict[str, Any]:
        nonlocal made
        made += 1
        attributed = source is not None
        assert attributed or via is None, "a relay relays a source"
        opening = "“" if attributed else ""
        relay = "" if via is None else f", {via} reported"
        article_text = (
            f"{opening}{text},” he said{relay}. ({made})" if attributed else f"{text} ({made})"
        )
        start = len(opening)
        spans: dict[str, Any] = {}
        if attributed:
            he = article_text.index(" he said") + 1
            spans = {"mention": "he", "mention_start": he, "mention_end": he + 2,
                     "cue": "said", "cue_start": he + 3, "cue_end": he + 7,
                     "cue_kind": "speech"}  # fmt: skip
        if via is not None:
            at = article_text.index(relay) + 2
            spans |= {"via_mention": via, "via_mention_start": at,
                      "via_mention_end": at + len(via)}  # fmt: skip
        with Session(engine) as session:
            with write_transaction(session):
                article = Article(
                    text=article_text, content_hash=content_hash(article_text),
                    extractor_version="test", **article_fields,
                )  # fmt: skip
                session.add(article)
                session.flush()
                assert article.id is not None
                session.add(
                    Sentence(article_id=article.id, index=0, start=0, end=len(article_text))
                )
                source_id = via_source_id = None
                if source is not None:
                    guess = SourceGuess(name=source, kind=kind, aliases=aliases)
                    relayer = None if via is None else SourceGuess(name=via, kind=via_kind)
                    guesses = [g for g in (guess, relayer) if g is not None]
                    ids = resolve_guesses(session, guesses, actor="test")
                    source_id = ids[guess]
                    via_source_id = None if relayer is None else ids[relayer]
                claim = Claim(
                    article_id=article.id, sentence_index=0, start=start, end=start + len(text),
                    text=text, source_id=source_id, via_source_id=via_source_id,
                    attribution_type=attribution_type if attributed else "unattributed",
                    confidence=0.9, status=status, **spans,
                )  # fmt: skip
                session.add(claim)
                session.flush()
                assert claim.id is not None
                feed.record(
                    session, ChangeType.article_created, article.id, actor="test",
                    version=None, after=feed.row_snapshot("article", article),
                )  # fmt: skip
                feed.record(
                    session, ChangeType.claim_created, claim.id, actor="test", version=1,
                    after=feed.row_snapshot("claim", claim), claim_id=claim.id,
                )  # fmt: skip
            assert claim.id is not None
            return store.read(session, claim.id).model_dump(mode="json")

    return make


async def ingest(client: httpx.AsyncClient, text: str, **article: Any) -> dict[str, Any]:
    """POST an article (201: a text not seen before); the article with its claims."""
    r = await client.post("/v1/articles", json={"text": text, **article})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _client(app: Any, headers: dict[str, str]) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://claimdesk.test", headers=headers)


@asynccontextmanager
async def serving(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app of the test's own making, its lifespan begun and ended."""
    async with app.router.lifespan_context(app), _client(app, {}) as client:
        yield client


@pytest.fixture
async def client(running: Any, keys: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    """A client holding an editor key: what a fact-checker's script is."""
    async with _client(running, bearer(keys["editor"])) as c:
        yield c


@pytest.fixture
async def anonymous(running: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(running, {}) as c:
        yield c


DATA = Path(__file__).parent / "data"
REFERENCE_TEXT = (DATA / "putin-biden-summit.txt").read_text(encoding="utf-8")

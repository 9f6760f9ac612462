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
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

from app import migrate
from app.main import close_async_reads, close_database, create_app
from app.models import Role
from app.services.keys import create_key, revoke_key
from app.settings import Settings
from tests import stored_json

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
    return Settings(database_url=database_url, **getattr(request, "param", {}))


@pytest.fixture
def app(settings: Settings) -> Iterator[Any]:
    """The app on this test's database. Whatever the test wrote, every claim's
    stored JSON must still be what its columns make (app.claim_json)."""
    application = create_app(settings)
    yield application
    try:
        assert stored_json.mismatches(application.state.engine) == {}
    finally:
        close_database(application)


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


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _client(app: Any, headers: dict[str, str]) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://claimdesk.test", headers=headers)


@pytest.fixture
async def client(app: Any, keys: dict[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    """A client holding an editor key: what a fact-checker's script is."""
    async with _client(app, bearer(keys["editor"])) as c:
        yield c
    await close_async_reads(app)  # on this test's event loop, which opened it


@pytest.fixture
async def anonymous(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app, {}) as c:
        yield c
    await close_async_reads(app)


DATA = Path(__file__).parent / "data"
REFERENCE_TEXT = (DATA / "putin-biden-summit.txt").read_text(encoding="utf-8")

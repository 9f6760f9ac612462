"""Headless Chromium against a real uvicorn: what a person's browser makes of the API.

The browser is Debian's `chromium` (`make browser` installs it; `make test` runs
that first). Without it the browser tests skip, except under CI=true, where they
fail. Every name but 127.0.0.1 is made unresolvable inside Chromium, so a page
that needs anything beyond loopback shows it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlmodel import Session

from app import migrate
from app.db import make_engine
from app.models import Role
from app.services.keys import create_key
from app.settings import Settings
from tests.live import live_server as start_server

LOOPBACK = "127.0.0.1"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # root, in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    # Nothing but loopback resolves: the network to everything else is unreachable.
    f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOOPBACK}",
]


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == "localhost" or host == "::1" or host.startswith("127.")


@dataclass
class Chromium:
    """One headless Chromium run per call, each with a new empty profile."""

    executable: str
    workdir: Path
    runs: int = 0

    def run(self, url: str, *args: str, budget_ms: int = 15_000) -> str:
        self.runs += 1
        profile = self.workdir / f"profile-{self.runs}"
        command = [
            self.executable,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--virtual-time-budget={budget_ms}",
            *args,
            url,
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
        if done.returncode != 0:
            pytest.fail(f"chromium exited with {done.returncode}:\n{done.stderr[-3000:]}")
        return done.stdout

    def dump_dom(self, url: str, *, net_log: Path | None = None) -> str:
        """The page's DOM, serialized after its scripts have run."""
        extra = [f"--log-net-log={net_log}"] if net_log else []
        return self.run(url, "--dump-dom", *extra)

    def screenshot(self, url: str, path: Path, *, width: int = 1280, height: int = 1600) -> None:
        self.run(url, f"--screenshot={path}", f"--window-size={width},{height}")


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    # Like PostgreSQL, a missing browser fails the run; `-m "not browser"` leaves
    # these tests out on purpose.
    pytest.fail(
        "Debian's chromium is not installed: run `make browser` "
        "(as root it runs apt-get install chromium), or deselect with -m 'not browser'",
        pytrace=False,
    )


@pytest.fixture
def chromium(chromium_executable: str, tmp_path: Path) -> Chromium:
    return Chromium(chromium_executable, tmp_path)


def page_requests(net_log: Path) -> list[str]:
    """The URLs that the page (not the browser's own services) asked for, from a net log."""
    log = json.loads(net_log.read_text(encoding="utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in log["events"]:
        params = event.get("params", {})
        if event["type"] != start or "url" not in params:
            continue
        # The page and what it loads; not the browser's own requests (updates, autofill),
        # which have no initiator ("not an origin") and cannot resolve a name here anyway.
        if params.get("request_type") == "main frame" or is_loopback(params.get("initiator", "")):
            urls.append(params["url"])
    return urls


@dataclass
class Pages:
    """HTML pages served from 127.0.0.1 on a port of their own: an origin the API is not."""

    server: ThreadingHTTPServer
    pages: dict[str, str] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        return f"http://{LOOPBACK}:{self.server.server_address[1]}"

    def add(self, path: str, html: str) -> str:
        self.pages[path] = html
        return self.origin + path


def _serve_pages() -> Iterator[Pages]:
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path)
            if body is None:
                self.send_error(404)
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Pages(server, pages)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def app_pages() -> Iterator[Pages]:
    """The origin of a browser app that CLAIMDESK_CORS_ORIGINS lets in."""
    yield from _serve_pages()


@pytest.fixture
def foreign_pages() -> Iterator[Pages]:
    """Another loopback origin, which the settings do not name."""
    yield from _serve_pages()


def uvicorn(database_url: str, cors_origins: list[str]) -> AbstractContextManager[str]:
    """A live server whose CORS settings let these origins in."""
    return start_server(database_url, CLAIMDESK_CORS_ORIGINS=json.dumps(cors_origins))


@pytest.fixture(scope="session")
def docs_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the docs pages, which read no data: the backend makes no difference."""
    url = f"sqlite:///{tmp_path_factory.mktemp('docs') / 'claimdesk.db'}"
    migrate.upgrade(url)
    with uvicorn(url, []) as base:
        yield base


@dataclass
class LiveServer:
    url: str
    token: str
    database_url: str


@pytest.fixture
def live_server(database_url: str, app_pages: Pages) -> Iterator[LiveServer]:
    """A server on this test's database, with an editor key, letting in app_pages' origin."""
    engine = make_engine(Settings(database_url=database_url))
    with Session(engine) as session:
        _, token = create_key(session=session, name="browser-test", role=Role.editor)
    engine.dispose()
    with uvicorn(database_url, [app_pages.origin]) as base:
        yield LiveServer(base, token, database_url)

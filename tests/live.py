"""A real uvicorn process on a free loopback port, for tests that need sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from app.server import HTTP_PROTOCOL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


UVICORN = (sys.executable, "-m", "uvicorn", "app.main:app", "--http", HTTP_PROTOCOL,
           "--log-level", "warning")  # fmt: skip
"""The server as README.md says to start several: uvicorn itself."""

CLAIMDESK_SERVE = (str(Path(sys.executable).with_name("claimdesk")), "serve", "--no-seed-if-empty")
"""The server as `claimdesk serve` (and the Docker image) starts it."""


@contextmanager
def live_server(
    database_url: str, *, command: Sequence[str] = UVICORN, **env: str
) -> Iterator[str]:
    """Serve `app.main:app` on the database with the command (given a host and a port);
    yields its base URL once /healthz answers."""
    port = free_port()
    environment = os.environ | {"CLAIMDESK_DATABASE_URL": database_url} | env
    proc = subprocess.Popen([*command, "--host", "127.0.0.1", "--port", str(port)], env=environment)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"uvicorn did not come up (exit code {proc.poll()})")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)

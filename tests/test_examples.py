"""The scripts in examples/ run against a live server as a fact-checker would run them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from sqlmodel import Session

from app.db import make_engine
from app.models import Role
from app.services.keys import create_key
from app.settings import PROJECT_DIR, Settings
from tests.live import live_server

pytestmark = pytest.mark.server

SCRIPT = PROJECT_DIR / "examples" / "factchecker_session.py"
ARTICLE = PROJECT_DIR / "seeds" / "putin-biden-summit.txt"


def run(url: str, key: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(ARTICLE), "--api", url, *args],
        env=os.environ | {"CLAIMDESK_API_KEY": key},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_factchecker_session_ingests_reviews_and_exports_a_claimreview(database_url: str) -> None:
    engine = make_engine(Settings(database_url=database_url))
    with Session(engine) as session:
        _, editor = create_key(session=session, name="desk-anna", role=Role.editor)
        _, reader = create_key(session=session, name="reader", role=Role.reader)
    engine.dispose()
    with live_server(database_url) as url:
        done = run(url, editor, "--source", "Peskov", "--verdict", "misleading")
        assert done.returncode == 0, done.stderr
        out = done.stdout
        assert "3 claims of 'Peskov':" in out
        assert "Russia has never planned to attack anyone" in out
        review = json.loads(out[out.index("{") :])
        assert review["@type"] == "ClaimReview"
        assert review["reviewRating"]["ratingValue"] == 2
        assert review["itemReviewed"]["author"]["name"] == "Dmitry Peskov"

        again = run(url, editor, "--source", "Peskov")
        assert again.returncode == 0, again.stderr
        assert "already stored" in again.stdout

        refused = run(url, reader, "--source", "Peskov")
        assert refused.returncode != 0
        assert "403 Forbidden" in refused.stderr

"""The API fuzzed against its own spec by Schemathesis, on a live server.

Every operation with every check, 100 examples each, then stateful
sequences through the spec's links (ingest -> claim -> status change ...).
What the checks expect where the schema cannot say it is in
schemathesis.toml beside this file, each with its reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session

from app.claims import ClaimStore
from app.db import make_engine
from app.models import Role
from app.services.keys import create_key
from app.services.seed import load_seeds
from app.settings import PROJECT_DIR, Settings
from tests.live import live_server

pytestmark = pytest.mark.fuzz

CONFIG = Path(__file__).with_name("schemathesis.toml")


def test_every_operation_conforms_to_the_spec(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(Settings(database_url=database_url))
    with Session(engine) as session:
        load_seeds(
            session, ClaimStore(session.get_bind().engine), PROJECT_DIR / "seeds",
            max_article_bytes=1_000_000,
        )  # fmt: skip
        _, editor = create_key(session=session, name="fuzz-editor", role=Role.editor)
        _, admin = create_key(session=session, name="fuzz-admin", role=Role.admin)
    engine.dispose()
    st = Path(sys.executable).with_name("st")
    with live_server(database_url) as url:
        run = subprocess.run(
            [str(st), "--config-file", str(CONFIG), "--no-color", "run", f"{url}/openapi.json",
             "--seed", os.environ.get("CLAIMDESK_FUZZ_SEED", "20261128")],
            env=os.environ | {"CLAIMDESK_FUZZ_EDITOR_KEY": editor,
                              "CLAIMDESK_FUZZ_ADMIN_KEY": admin},
            cwd=tmp_path, capture_output=True, text=True, timeout=1500,
        )  # fmt: skip
    summary = run.stdout[run.stdout.find("SUMMARY") :]
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-2000:]
    print(summary)

"""The API fuzzed against its own spec by Schemathesis, on a live server.

Every operation with every check, 100 examples each, then stateful
sequences through the spec's links (ingest -> claim -> status change ...).
What the checks expect where the schema cannot say it is in the
repository's schemathesis.toml, each with its reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
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

CONFIG = PROJECT_DIR / "schemathesis.toml"
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def test_every_operation_conforms_to_the_spec(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(Settings(database_url=database_url))
    with Session(engine) as session:
        load_seeds(
            session, ClaimStore(session.get_bind().engine), PROJECT_DIR / "seeds",
            max_article_bytes=1_000_000,
        )  # fmt: skip
        spare, _ = create_key(session=session, name="fuzz-spare", role=Role.reader)
        spare_id = str(spare.id)
        _, editor = create_key(session=session, name="fuzz-editor", role=Role.editor)
        _, admin = create_key(session=session, name="fuzz-admin", role=Role.admin)
    engine.dispose()
    st = Path(sys.executable).with_name("st")
    events = tmp_path / "events.ndjson"
    with live_server(database_url) as url:
        run = subprocess.run(
            [str(st), "--config-file", str(CONFIG), "--no-color", "run", f"{url}/openapi.json",
             "--seed", os.environ.get("CLAIMDESK_FUZZ_SEED", "20261128"),
             "--report", "ndjson", "--report-ndjson-path", str(events)],
            env=os.environ | {"CLAIMDESK_FUZZ_EDITOR_KEY": editor,
                              "CLAIMDESK_FUZZ_ADMIN_KEY": admin,
                              "CLAIMDESK_FUZZ_SPARE_KEY_ID": spare_id},
            cwd=tmp_path, capture_output=True, text=True, timeout=1500,
        )  # fmt: skip
    summary = run.stdout[run.stdout.find("SUMMARY") :]
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-2000:]
    answers = write_statuses(events)
    assert all(answers.values()), f"no requests recorded for some writes: {answers}"
    locked_out = {
        operation: dict(statuses)
        for operation, statuses in answers.items()
        if statuses[401] + statuses[403] > statuses.total() / 2
    }
    assert not locked_out, (
        f"Most answers to these writes were 401 or 403, so the run tested little else "
        f"of them; did it lose its keys? {locked_out}\n{summary}"
    )
    print(summary)


def write_statuses(events: Path) -> dict[str, Counter[int]]:
    """How Schemathesis's requests to each write operation of the spec were answered,
    by status, from its NDJSON events. The requests its checks derive from a case
    on purpose without the key (or with a spoilt one) do not count; a link's next
    step is a case of its own."""
    spec = json.loads((PROJECT_DIR / "openapi.json").read_text(encoding="utf-8"))
    statuses: dict[str, Counter[int]] = {
        f"{method.upper()} {path}": Counter()
        for path, operations in spec["paths"].items()
        for method in operations
        if method.upper() in WRITES
    }
    with events.open(encoding="utf-8") as lines:
        for line in lines:
            scenario = json.loads(line).get("ScenarioFinished") if line.strip() else None
            if scenario is None:
                continue
            recorder = scenario["recorder"]
            for case_id, interaction in recorder.get("interactions", {}).items():
                case = recorder["cases"][case_id]
                operation = f"{case['value']['method']} {case['value']['path']}"
                derived = case.get("parent_id") and not case.get("transition")
                if operation in statuses and not derived and interaction["response"]:
                    statuses[operation][interaction["response"]["status_code"]] += 1
    return statuses

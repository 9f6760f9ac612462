"""The `claimdesk` command against a database of the test's own."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import func, select, update
from sqlmodel import Session
from typer.testing import CliRunner

from app import cli as cli_module
from app.cli import cli
from app.db import make_engine
from app.models import Article, Claim, Source
from app.services.keys import authenticate
from app.settings import Settings, get_settings
from tests import stored_json

runner = CliRunner()


@pytest.fixture
def env_database(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("CLAIMDESK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield Settings(database_url=database_url)  # type: ignore[misc]
    get_settings.cache_clear()


def counts(settings: Settings) -> tuple[int, int, int]:
    engine = make_engine(settings)
    with Session(engine) as s:
        result = tuple(
            s.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (Article, Claim, Source)
        )
    engine.dispose()
    return result  # type: ignore[return-value]


def test_seed_loads_sources_and_reference_article_once(env_database: Settings) -> None:
    first = runner.invoke(cli, ["seed"])
    assert first.exit_code == 0, first.output
    after_first = counts(env_database)
    assert after_first[0] == 1 and after_first[1] >= 24
    second = runner.invoke(cli, ["seed"])
    assert second.exit_code == 0
    assert "0 new sources, 0 new articles" in second.output
    assert counts(env_database) == after_first


def test_seeded_sources_keep_their_descriptions_and_affiliations(env_database: Settings) -> None:
    runner.invoke(cli, ["seed"])
    engine = make_engine(env_database)
    with Session(engine) as s:
        peskov = s.execute(select(Source).where(Source.name == "Dmitry Peskov")).scalar_one()
        kremlin = s.get(Source, peskov.affiliation_id)
        assert peskov.description == "Kremlin spokesman"
        assert kremlin is not None and kremlin.name == "Kremlin"
    engine.dispose()


def test_ingest_prints_a_summary_per_file_to_stdout_and_fails_on_bad_files(
    env_database: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `claimdesk ingest *.txt > summary.txt` on a terminal: the progress bar on stderr,
    # the results in the file.
    terminal = Console(stderr=True, force_terminal=True, soft_wrap=True)
    monkeypatch.setattr(cli_module, "err", terminal)
    good = []
    for i in range(5):
        good.append(tmp_path / f"good{i}.txt")
        good[i].write_text(f"“We will not raise rates {i},” the bank said.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00 not utf-8")
    result = runner.invoke(cli, ["ingest", *map(str, good), str(bad)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}: article {i} (new), 1 claims, 1 attributed" for i, path in enumerate(good, 1)
    ]
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", result.stderr)  # the terminal's escapes
    assert str(bad) in shown
    assert "article" not in shown
    assert counts(env_database)[0] == 5


def test_openapi_command_writes_the_spec(tmp_path: Path) -> None:
    target = tmp_path / "spec.json"
    result = runner.invoke(cli, ["openapi", "-o", str(target)])
    assert result.exit_code == 0
    assert json.loads(target.read_text())["info"]["title"] == "claimdesk"


def test_evaluate_prints_scores_for_a_gold_file() -> None:
    gold = Path(__file__).parent / "data" / "putin-biden-summit.gold.json"
    result = runner.invoke(cli, ["evaluate", str(gold)])
    assert result.exit_code == 0, result.output
    assert "sentence" in result.output


def test_keys_create_prints_the_secret_alone_on_the_last_line(env_database: Settings) -> None:
    result = runner.invoke(cli, ["keys", "create", "--name", "desk-anna", "--role", "editor"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("cdk_") and " " not in token
    engine = make_engine(env_database)
    with Session(engine) as s:
        key = authenticate(s, token)
        assert key is not None and (key.name, key.role) == ("desk-anna", "editor")
    engine.dispose()
    again = runner.invoke(cli, ["keys", "create", "--name", "desk-anna", "--role", "reader"])
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_keys_list_and_revoke(env_database: Settings) -> None:
    runner.invoke(cli, ["keys", "create", "--name", "bot", "--role", "reader"])
    listed = runner.invoke(cli, ["keys", "list"])
    assert "bot" in listed.output and "active" in listed.output
    assert "cdk_" not in listed.output
    assert runner.invoke(cli, ["keys", "revoke", "1"]).exit_code == 0
    assert "revoked" in runner.invoke(cli, ["keys", "list"]).output
    assert runner.invoke(cli, ["keys", "revoke", "99"]).exit_code == 1
    bad_role = runner.invoke(cli, ["keys", "create", "--name", "x", "--role", "god"])
    assert bad_role.exit_code == 2


def test_export_writes_jsonl_and_csv(env_database: Settings, tmp_path: Path) -> None:
    runner.invoke(cli, ["seed"])
    jsonl = tmp_path / "claims.jsonl"
    assert runner.invoke(cli, ["export", "-o", str(jsonl)]).exit_code == 0
    claims = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert len(claims) == counts(env_database)[1]
    peskov = tmp_path / "peskov.csv"
    result = runner.invoke(
        cli, ["export", "--format", "csv", "--source-name", "Peskov", "-o", str(peskov)]
    )
    assert result.exit_code == 0
    assert len(peskov.read_text().splitlines()) == 1 + 3


def test_rewrite_json_mends_claims_changed_outside_the_api(env_database: Settings) -> None:
    assert runner.invoke(cli, ["seed"]).exit_code == 0
    engine = make_engine(env_database)
    with engine.begin() as conn:  # as a loader or a hand-written fix would
        first = conn.execute(select(func.min(Claim.id))).scalar_one()
        tass = conn.execute(select(Source.id).where(Source.name == "TASS")).scalar_one()
        conn.execute(update(Claim).values(status="verified"))
        conn.execute(update(Claim).where(Claim.id == first).values(via_source_id=tass))
        conn.execute(update(Source).values(name=Source.name + " (edited)"))
    assert len(stored_json.mismatches(engine)) == counts(env_database)[1]
    result = runner.invoke(cli, ["rewrite-json"])
    assert result.exit_code == 0, result.output
    assert f"rewrote the JSON of {counts(env_database)[1]} claims" in result.output
    assert stored_json.mismatches(engine) == {}
    with engine.connect() as conn:
        document = conn.execute(select(Claim.document).where(Claim.id == first)).scalar_one()
    assert f'"via":{{"id":{tass},"name":"TASS (edited)","kind":"news_agency","mention":null' in (
        document
    )
    engine.dispose()

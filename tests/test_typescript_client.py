"""The typed TypeScript client in clients/typescript compiles against openapi.json.

`npm run check` there generates TypeScript types from the committed spec with
openapi-typescript and type-checks a fact-checker's session written with
openapi-fetch (strict tsc). A spec change that breaks that code breaks this test.

The npm packages are pinned by package-lock.json and installed once with
`npm ci` into clients/typescript/node_modules (git-ignored); it is reinstalled
only when package.json or package-lock.json change. Without npm the tests fail.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLIENT = ROOT / "clients" / "typescript"
SPEC = ROOT / "openapi.json"
NODE_MODULES = CLIENT / "node_modules"
STAMP = NODE_MODULES / ".claimdesk-npm-ci"
TIMEOUT = 600


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "SPEC"}
    env.update(
        NO_COLOR="1",
        FORCE_COLOR="0",
        npm_config_fund="false",
        npm_config_audit="false",
        npm_config_update_notifier="false",
    )
    env.update(extra)
    return env


def _run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def _output(proc: subprocess.CompletedProcess[str]) -> str:
    out, err = proc.stdout, proc.stderr
    return f"exit code {proc.returncode}\n--- stdout ---\n{out}\n--- stderr ---\n{err}"


def _lock_digest() -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((CLIENT / name).read_bytes())
    return digest.hexdigest()


@functools.cache
def _installed(npm: str) -> str:
    """Run `npm ci` unless node_modules already matches the lock file."""
    digest = _lock_digest()
    fresh = (
        STAMP.is_file()
        and STAMP.read_text().strip() == digest
        and (NODE_MODULES / ".bin" / "tsc").exists()
        and (NODE_MODULES / ".bin" / "openapi-typescript").exists()
    )
    if not fresh:
        proc = _run([npm, "ci", "--no-audit", "--no-fund"], CLIENT)
        assert proc.returncode == 0, f"npm ci failed in {CLIENT}\n{_output(proc)}"
        STAMP.write_text(digest + "\n")
    return npm


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not on PATH: Node.js 20 and npm type-check clients/typescript")
    return _installed(npm)


def test_client_sample_type_checks_against_committed_spec() -> None:
    npm = _npm()
    proc = _run([npm, "run", "check"], CLIENT)
    assert proc.returncode == 0, (
        f"`npm run check` failed in {CLIENT}: the TypeScript sample no longer compiles "
        f"against openapi.json\n{_output(proc)}"
    )
    assert (CLIENT / "src" / "schema.d.ts").is_file()


def _broken_spec() -> dict[str, Any]:
    """The committed spec, less the `in_progress` status and with the claim listing's
    ClaimListPage.items renamed."""
    spec = copy.deepcopy(json.loads(SPEC.read_text()))
    schemas = spec["components"]["schemas"]

    statuses = schemas["ClaimStatus"]["enum"]
    assert "in_progress" in statuses, "the spec changed: pick another mutation for this test"
    statuses.remove("in_progress")

    page = schemas["ClaimListPage"]
    assert "items" in page["properties"], "the spec changed: pick another mutation for this test"
    page["properties"]["results"] = page["properties"].pop("items")
    page["required"] = ["results" if name == "items" else name for name in page["required"]]
    return spec


def test_check_fails_when_the_spec_breaks_the_sample(tmp_path: Path) -> None:
    npm = _npm()
    # The same package in a scratch folder (sharing node_modules), so that the
    # types generated from the broken spec never replace the real ones.
    work = tmp_path / "client"
    (work / "src").mkdir(parents=True)
    for name in ("package.json", "tsconfig.json"):
        shutil.copy2(CLIENT / name, work / name)
    for source in (CLIENT / "src").glob("*.ts"):
        if not source.name.endswith(".d.ts"):
            shutil.copy2(source, work / "src" / source.name)
    (work / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    broken = tmp_path / "openapi.json"
    broken.write_text(json.dumps(_broken_spec(), indent=2))

    proc = _run([npm, "run", "check"], work, SPEC=str(broken))

    schema = work / "src" / "schema.d.ts"
    assert schema.is_file(), f"types were not generated from the broken spec\n{_output(proc)}"
    status_types = [line for line in schema.read_text().splitlines() if "ClaimStatus: " in line]
    assert status_types, f"no ClaimStatus type in {schema}"
    assert not any("in_progress" in line for line in status_types), "generated from the wrong spec"
    assert proc.returncode != 0, f"tsc accepted a spec that breaks the sample\n{_output(proc)}"
    errors = proc.stdout + proc.stderr
    assert "error TS" in errors, _output(proc)
    assert "'in_progress'" in errors or '"in_progress"' in errors, _output(proc)
    assert "'items'" in errors, _output(proc)

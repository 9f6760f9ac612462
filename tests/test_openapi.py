from __future__ import annotations

import json

from app.openapi import render_openapi
from app.settings import PROJECT_DIR


def test_committed_openapi_json_is_what_the_app_generates() -> None:
    committed = (PROJECT_DIR / "openapi.json").read_text(encoding="utf-8")
    assert committed == render_openapi(), "openapi.json is stale: run `claimdesk openapi`"


def test_every_operation_has_a_stable_id_tag_summary_and_problem_errors() -> None:
    spec = json.loads(render_openapi())
    ids = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            ids.append(op["operationId"])
            assert op.get("tags"), (method, path)
            assert op.get("summary"), (method, path)
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    assert "application/problem+json" in response["content"], (method, path, status)
    assert len(ids) == len(set(ids))
    assert "list_claims" in ids and "ingest_article" in ids


def test_every_operation_documents_its_503_and_retry_after() -> None:
    spec = json.loads(render_openapi())
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            unavailable = op["responses"]["503"]
            assert "Retry-After" in unavailable.get("headers", {}), (method, path)


def test_every_api_operation_documents_its_429_and_the_ratelimit_fields() -> None:
    spec = json.loads(render_openapi())
    fields = {"RateLimit", "RateLimit-Policy"}
    assert fields <= set(spec["components"]["headers"])
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            if not path.startswith("/v1/"):  # /healthz is not limited
                assert "429" not in op["responses"], (method, path)
                continue
            limited = op["responses"]["429"]
            assert {"Retry-After", *fields} <= set(limited["headers"]), (method, path)
            for status, response in op["responses"].items():
                assert fields <= set(response.get("headers", {})), (method, path, status)

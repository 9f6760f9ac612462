"""Answers whose JSON is ready as it is."""

from __future__ import annotations

from fastapi import Response


def raw_json_response(body: bytes, headers: dict[str, str] | None = None) -> Response:
    """JSON stored ready to serve (app.claims.document), sent without FastAPI's pass over
    the response model: pydantic wrote it from the model itself (tests/api/
    test_claim_json.py, and Schemathesis checks every answer against the spec)."""
    return Response(body, media_type="application/json", headers=headers)

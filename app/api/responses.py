"""Answers built straight from what a service returns."""

from __future__ import annotations

from typing import Any

import pydantic_core
from fastapi import Response


def json_response(content: Any, headers: dict[str, str] | None = None) -> Response:
    """JSON without FastAPI's second pass over the response model.

    For the hot read paths: their services build the response model's shape
    (Schemathesis checks every answer against the spec), and validating a
    page of 50 claims again costs as much as reading it from the database.
    """
    return Response(pydantic_core.to_json(content), media_type="application/json", headers=headers)

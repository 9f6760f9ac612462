from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.api.deps import SessionDep
from app.errors import PROBLEM_JSON, RETRY_AFTER_S, problem
from app.schemas import Health, Problem

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    response_model=Health,
    summary="Liveness and database reachability",
    responses={
        503: {
            "model": Problem,
            "description": "The database cannot be reached.",
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    },
)
def healthz(session: SessionDep) -> Any:
    """`ok` when the process is up and the database answers a query."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return problem(
            503, "The database cannot be reached.", database="unreachable",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )  # fmt: skip
    return {"status": "ok", "database": "ok"}

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.deps import SessionDep
from app.api.documented import RETRY_AFTER_HEADER
from app.errors import PROBLEM_JSON, RETRY_AFTER_S, problem
from app.schemas import HealthOut, Problem
from app.services.health import database_answers

router = APIRouter(tags=["health"])


@router.get(
    "/healthz",
    response_model=HealthOut,
    summary="Liveness and database reachability",
    responses={
        503: {
            "model": Problem,
            "description": "The database cannot be reached.",
            "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            "headers": {"Retry-After": RETRY_AFTER_HEADER},
        }
    },
)
def healthz(session: SessionDep) -> HealthOut | Response:
    """`ok` when the process is up and the database answers a query."""
    if not database_answers(session):
        return problem(
            503, "The database cannot be reached.", database="unreachable",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )  # fmt: skip
    return HealthOut(status="ok", database="ok")

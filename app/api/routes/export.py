from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from app.api.errors_doc import problems
from app.extraction.types import AttributionType
from app.models import ClaimStatus
from app.services.claims import ClaimFilters
from app.services.export import ExportFormat, csv_lines, iter_claims, jsonl_lines

router = APIRouter(prefix="/export", tags=["export"])


@router.get(
    "/claims",
    summary="Export claims",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "One claim per line (the claim JSON) or per CSV row, streamed.",
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
        },
        **problems(),
    },
)
def export_claims(
    request: Request,
    format: ExportFormat = ExportFormat.jsonl,
    source: Annotated[int | None, Query(ge=1)] = None,
    source_name: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    status: ClaimStatus | None = None,
    article: Annotated[int | None, Query(ge=1)] = None,
    attribution_type: AttributionType | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    updated_since: datetime | None = None,
) -> StreamingResponse:
    """Every claim matching the same filters as `GET /v1/claims`, in id order, streamed
    in batches: memory stays flat however many claims there are."""
    filters = ClaimFilters(
        source_id=source, source_name=source_name, status=status, article_id=article,
        attribution_type=attribution_type, q=q, updated_since=updated_since,
    )  # fmt: skip
    claims = iter_claims(request.app.state.engine, filters)
    if format == ExportFormat.csv:
        body, media = csv_lines(claims), "text/csv; charset=utf-8"
    else:
        body, media = jsonl_lines(claims), "application/x-ndjson"
    filename = f"claims.{format.value}"
    return StreamingResponse(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from app.api.deps import ClaimStoreDep
from app.api.documented import problems
from app.api.query import ClaimFilterQuery
from app.claims.document import csv_lines, jsonl_lines
from app.schemas import ExportFormat

router = APIRouter(prefix="/export", tags=["export"])


@router.get(
    "/claims",
    summary="Export claims",
    response_class=StreamingResponse,
    openapi_extra=ClaimFilterQuery.openapi(),
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
    claims: ClaimStoreDep,
    format: ExportFormat = ExportFormat.jsonl,
) -> StreamingResponse:
    """Every claim matching the same filters as `GET /v1/claims`, in id order, streamed
    in batches: memory stays flat however many claims there are."""
    filters = ClaimFilterQuery.from_request(request).filters()
    matching = claims.export(filters)
    if format == ExportFormat.csv:
        body, media = csv_lines(matching), "text/csv; charset=utf-8"
    else:
        body, media = jsonl_lines(matching), "application/x-ndjson"
    filename = f"claims.{format.value}"
    return StreamingResponse(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.api.auth import EditorKey
from app.api.deps import AnnotationDep, Cursor, IfMatchDep, Limit, SessionDep, id_path
from app.api.documented import etagged, problems
from app.models import HANDLE_LENGTH, Motivation
from app.pagination import DEFAULT_LIMIT
from app.preconditions import etag
from app.schemas import AnnotationOut, AnnotationPage, AnnotationPatch, StorableText
from app.services import annotations as service

router = APIRouter(prefix="/annotations", tags=["annotations"])

AnnotationId = Annotated[int, id_path("annotation")]


@router.get("", summary="List annotations", responses=problems(400))
def list_annotations(
    session: SessionDep,
    author: Annotated[StorableText | None, Query(min_length=1, max_length=HANDLE_LENGTH)] = None,
    motivation: Motivation | None = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> AnnotationPage:
    """Annotations across all claims, in the order they were made."""
    return service.list_annotations(
        session=session, limit=limit, cursor=cursor, author=author, motivation=motivation
    )


@router.get(
    "/{annotation_id}",
    summary="Get an annotation",
    responses={200: etagged(), **problems(404)},
)
def get_annotation(annotation: AnnotationDep, response: Response) -> AnnotationOut:
    """One annotation; the `ETag` header carries its version."""
    response.headers["ETag"] = etag(annotation.version)
    return service.annotation_out(annotation)


@router.patch(
    "/{annotation_id}",
    summary="Edit an annotation",
    responses={200: etagged(), **problems(400, 401, 403, 404, 412, 428)},
)
def edit_annotation(
    annotation_id: AnnotationId,
    data: AnnotationPatch,
    key: EditorKey,
    if_match: IfMatchDep,
    session: SessionDep,
    response: Response,
) -> AnnotationOut:
    """Change the fields given. `If-Match` is required; an edit that changes nothing
    keeps the version and records no event."""
    annotation = service.edit_annotation(
        session=session, annotation_id=annotation_id, data=data, actor=key.name,
        if_match=if_match,
    )  # fmt: skip
    response.headers["ETag"] = etag(annotation.version)
    return annotation


@router.delete(
    "/{annotation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an annotation",
    responses=problems(400, 401, 403, 404, 412, 428),
)
def delete_annotation(
    annotation_id: AnnotationId, key: EditorKey, if_match: IfMatchDep, session: SessionDep
) -> Response:
    """Delete it; the claim's audit trail keeps what it said. `If-Match` is required."""
    service.delete_annotation(
        session=session, annotation_id=annotation_id, actor=key.name, if_match=if_match
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)

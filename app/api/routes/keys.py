from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response, status

from app.api.auth import AdminKey
from app.api.deps import SessionDep, id_path
from app.api.documented import problems
from app.schemas import KeyCreatedOut, KeyIn, KeyListOut
from app.services import keys as service

router = APIRouter(prefix="/keys", tags=["keys"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create an API key",
    responses=problems(401, 403, 409),
)
def create_key(data: KeyIn, _admin: AdminKey, session: SessionDep) -> KeyCreatedOut:
    """A new key; its secret is in the answer this once and never again."""
    key, token = service.create_key(session=session, name=data.name, role=data.role)
    return KeyCreatedOut.model_validate({**service.key_out(key).model_dump(), "key": token})


@router.get("", summary="List API keys", responses=problems(401, 403))
def list_keys(_admin: AdminKey, session: SessionDep) -> KeyListOut:
    """Every key with its role and state; secrets are never shown."""
    return KeyListOut(items=[service.key_out(k) for k in service.list_keys(session)])


@router.delete(
    "/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an API key",
    responses=problems(401, 403, 404),
)
def revoke_key(
    key_id: Annotated[int, id_path("key")], _admin: AdminKey, session: SessionDep
) -> Response:
    """The key stops working at once; revoking it again changes nothing."""
    service.revoke_key(session=session, key_id=key_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)

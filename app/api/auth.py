"""Bearer API keys and roles: 401 without a live key, 403 with too small a role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from app.api.deps import SessionDep, SettingsDep
from app.db import read_in_session
from app.errors import Forbidden, Unauthorized
from app.models import ApiKey, Role
from app.services.keys import authenticate

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="apiKey",
    bearerFormat="cdk_<id>_<secret>",
    description="An API key: `Authorization: Bearer cdk_...`. Create one with "
    "`claimdesk keys create --name NAME --role editor`.",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]

_CHALLENGE = 'Bearer realm="claimdesk"'


def _authenticate(session: Session, token: str | None) -> ApiKey:
    if token is None:
        raise Unauthorized(
            "This operation needs an API key: Authorization: Bearer <key>.",
            headers={"WWW-Authenticate": _CHALLENGE},
        )
    key = authenticate(session, token)
    if key is None:
        raise Unauthorized(
            "The API key is unknown or revoked.",
            headers={"WWW-Authenticate": _CHALLENGE + ', error="invalid_token"'},
        )
    return key


def _key(session: SessionDep, credentials: Credentials) -> ApiKey:
    return _authenticate(session=session, token=credentials.credentials if credentials else None)


def require(role: Role) -> Callable[[ApiKey], ApiKey]:
    """A dependency that yields the caller's key when its role covers ``role``."""

    def dependency(key: Annotated[ApiKey, Depends(_key)]) -> ApiKey:
        if not Role(key.role).allows(role):
            raise Forbidden(
                f"This operation needs the {role} role; the key {key.name!r} is a {key.role}.",
                headers={"WWW-Authenticate": _CHALLENGE + ', error="insufficient_scope"'},
            )
        return key

    return dependency


async def read_access(request: Request, settings: SettingsDep) -> None:
    """Reads are open unless CLAIMDESK_READS_REQUIRE_KEY is set.

    It reads the header itself rather than through `bearer`, which would mark
    every operation as needing a key in the spec; app/spec.py declares it.
    Async, and without a session, so an open read costs no thread hop.
    """
    if settings.reads_require_key:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        bearer_token = token.strip() if scheme.lower() == "bearer" and token else None
        await run_in_threadpool(
            read_in_session, request.app.state.engine, _authenticate, token=bearer_token
        )


EditorKey = Annotated[ApiKey, Depends(require(Role.editor))]
AdminKey = Annotated[ApiKey, Depends(require(Role.admin))]

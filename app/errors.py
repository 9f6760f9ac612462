"""The project's errors and the handlers that answer them as RFC 9457 problem+json."""

from __future__ import annotations

import logging
import re
import sqlite3
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as ConnectionPoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("claimdesk")

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://claimdesk.dev/problems/"


class AppError(Exception):
    """An error with an HTTP meaning; raised by services, answered by one handler."""

    status: int = 500
    slug: str = "internal-error"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers
        self.extra = extra


class BadRequest(AppError):
    status, slug = 400, "bad-request"


class InvalidCursor(BadRequest):
    slug = "invalid-cursor"


class Unauthorized(AppError):
    status, slug = 401, "unauthorized"


class Forbidden(AppError):
    status, slug = 403, "forbidden"


class NotFound(AppError):
    status, slug = 404, "not-found"


class Conflict(AppError):
    status, slug = 409, "conflict"


class PreconditionFailed(AppError):
    status, slug = 412, "precondition-failed"


class PayloadTooLarge(AppError):
    status, slug = 413, "payload-too-large"


class Unprocessable(AppError):
    """Well-formed, but naming something that does not exist or cannot be."""

    status, slug = 422, "validation-error"


class PreconditionRequired(AppError):
    status, slug = 428, "precondition-required"


def problem(
    status: int,
    detail: str | None = None,
    *,
    slug: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + (slug or phrase.lower().replace(" ", "-")),
        "title": phrase,
        "status": status,
    }
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_JSON)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    errors = []
    for err in exc.errors():
        errors.append(
            {
                # "body.text", "query.limit": where the problem is, as a client names it.
                "field": ".".join(str(part) for part in err.get("loc", ())),
                "message": err.get("msg", "invalid"),
                "type": err.get("type", "value_error"),
            }
        )
    return errors


def _allowed_methods(request: Request) -> list[str]:
    """Every method the spec lists at this path (the router names only one route's)."""
    for template, operations in request.app.openapi()["paths"].items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            return sorted(method.upper() for method in operations)
    return []


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_request: Request, exc: AppError) -> JSONResponse:
        return problem(exc.status, exc.detail, slug=exc.slug, headers=exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        if any(err.get("type") == "json_invalid" for err in exc.errors()):
            return problem(400, "The body is not valid JSON.", slug="invalid-json")
        return problem(
            422,
            "The request does not match the schema; see errors.",
            slug="validation-error",
            errors=_field_errors(exc),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else None
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            # The spec knows every method at an API path; Starlette names one route's.
            allowed = _allowed_methods(request)
            headers = {"Allow": ", ".join(allowed)} if allowed else headers
        return problem(exc.status_code, detail, headers=headers)

    @app.exception_handler(DataError)
    async def _data_error(request: Request, exc: DataError) -> JSONResponse:
        # A value the database cannot hold that validation let through.
        log.warning("data error on %s %s: %s", request.method, request.url.path, exc.orig)
        return problem(422, "A value in the request cannot be stored as it is.")

    async def _database_error(request: Request, exc: Exception) -> JSONResponse:
        # Down, restarting, out of connections or locked: worth sending again later.
        # A write whose transaction failed changed nothing; one whose COMMIT lost
        # its answer may have landed (ingest then finds its article, If-Match 412s).
        if not _retryable(exc):  # a bug, or a schema the code does not expect
            log.error("database error on %s %s", request.method, request.url.path, exc_info=exc)
            return problem(500, UNEXPECTED)
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        return problem(
            503, DATABASE_UNAVAILABLE, slug="database-unavailable",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )  # fmt: skip

    # The claim reads (app.claims.reads) raise their drivers' errors as SQLAlchemy's.
    for error in (OperationalError, ConnectionPoolTimeout):
        app.add_exception_handler(error, _database_error)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # The last resort, for errors in the middleware itself; see InternalErrors.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, UNEXPECTED)


# SQLite calls a missing table an OperationalError as much as a locked file;
# only these (primary) result codes pass by themselves.
_SQLITE_RETRYABLE = {
    sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_NOMEM, sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL,
}  # fmt: skip


def _retryable(exc: Exception) -> bool:
    """Whether a database's OperationalError is one that sending again may get past.
    PostgreSQL's are (connections, shutdowns, resources, conflicts between
    transactions); SQLite's only by their result code."""
    error = exc.orig if isinstance(exc, DBAPIError) else None
    if isinstance(error, sqlite3.Error):
        return error.sqlite_errorcode & 0xFF in _SQLITE_RETRYABLE
    return True


UNEXPECTED = "An unexpected error occurred; it has been logged."
DATABASE_UNAVAILABLE = "The database cannot be reached or is busy; try again shortly."
RETRY_AFTER_S = 1


class InternalErrors:
    """Answers an unhandled error with a 500 problem from inside the middleware.

    Starlette's own handler sits outside every middleware, so its answer would
    miss the CORS headers and a browser app would see a network error instead
    of the problem. The trace goes to the log, never to the client.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception:
            if started:  # a streamed answer already under way cannot become a 500
                raise
            log.exception("unhandled error on %s %s", scope["method"], scope["path"])
            await problem(500, UNEXPECTED)(scope, receive, send)

"""The changes feed: one append-only row for every change to a claim, an annotation,
a source, an article or a match, in one total order.

A change is recorded in the transaction of the write it describes and inserted
when that transaction commits, after everything else it wrote, so there is never
a change without its row or a row without its change. On PostgreSQL the rows are
inserted under one transaction-level advisory lock, held until the commit: ids are
taken in commit order, and a reader paging by id never sees a later id before an
earlier one commits. SQLite has one writer at a time, which gives the same order.

Each row keeps the fields it changed, before and after; a `created` change keeps
every field the feed tracks of its resource (`TRACKED`), and a `deleted` one (a
tombstone) every field it had, so replaying the feed from its start rebuilds
every resource it tracks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import event, insert, text
from sqlmodel import Session

from app.models import Change, ChangeType, utcnow

_PENDING = "claimdesk.pending_changes"
_WROTE = "claimdesk.wrote_changes"

committed: set[Callable[[], None]] = set()
"""Called after every commit that wrote changes: how a worker started by this process
hears of new work without waiting for its next poll."""
_LOCK = text("SELECT pg_advisory_xact_lock(7301202614)")
"""One lock for every writer of the feed; the number only has to be ours."""

TRACKED: dict[str, tuple[str, ...]] = {
    "claim": (
        "article_id", "sentence_index", "start", "end", "text", "status", "source_id",
        "via_source_id", "attribution_type", "method", "confidence", "match_group",
    ),
    "annotation": ("claim_id", "author", "motivation", "body", "evidence_url", "quote"),
    "source": ("name", "kind", "description", "affiliation_id", "same_as", "aliases"),
    "article": ("title", "url", "publisher", "published_at", "language"),
    "match": ("claim_id", "other_id", "score", "reason", "state"),
}  # fmt: skip
"""The fields of each resource that the feed carries: what a client replaying it
rebuilds. A claim's `method` is its `attribution_method` column."""

IDENTITY = frozenset({"annotation_id", "match_id"})
"""Keys that name the resource an entry is about (the claims' audit trail has always
carried them), not one of its fields: left out of the field-by-field changes."""


def jsonable(value: Any) -> Any:
    """A field's value as the feed stores it (JSON)."""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime):  # in UTC, as the database gives it back
        aware = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.isoformat()
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def snapshot(resource: str, columns: Mapping[str, Any]) -> dict[str, Any]:
    """The tracked fields of a resource, from the values of its columns."""
    return {name: jsonable(columns.get(_column(resource, name))) for name in TRACKED[resource]}


def row_snapshot(resource: str, row: Any, **extra: Any) -> dict[str, Any]:
    """``snapshot`` of an ORM row; ``extra`` gives fields that are not its columns."""
    return {
        name: jsonable(extra[name] if name in extra else getattr(row, _column(resource, name)))
        for name in TRACKED[resource]
    }


def _column(resource: str, name: str) -> str:
    return "attribution_method" if resource == "claim" and name == "method" else name


def field_changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, *, every: bool = False
) -> list[dict[str, Any]]:
    """Field by field, before → after: the fields whose value differs (``every``: all of
    them, as a creation or a tombstone lists them)."""
    before, after = before or {}, after or {}
    names = [n for n in (*before, *(n for n in after if n not in before)) if n not in IDENTITY]
    return [
        {"field": n, "before": before.get(n), "after": after.get(n)}
        for n in names
        if every or before.get(n) != after.get(n)
    ]


def record(
    session: Session,
    type_: ChangeType,
    resource_id: int,
    *,
    actor: str,
    version: int | None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str | None = None,
    claim_id: int | None = None,
    peer_claim_id: int | None = None,
) -> None:
    """Add a change to this transaction; it is inserted when the transaction commits."""
    record_many(
        session,
        [
            {
                "type": type_, "resource_id": resource_id, "actor": actor, "version": version,
                "before": dict(before) if before is not None else None,
                "after": dict(after) if after is not None else None,
                "note": note, "claim_id": claim_id, "peer_claim_id": peer_claim_id,
            }
        ],
    )  # fmt: skip


def record_many(session: Session, changes: Iterable[dict[str, Any]]) -> None:
    """Several changes at once, each a mapping of `record`'s arguments."""
    pending: list[dict[str, Any]] = session.info.setdefault(_PENDING, [])
    for change in changes:
        change.setdefault("note", None)
        change.setdefault("claim_id", None)
        change.setdefault("peer_claim_id", None)
        for side in ("before", "after"):  # as JSON: enums by value, times in UTC
            values = change.get(side)
            change[side] = None if values is None else {k: jsonable(v) for k, v in values.items()}
        change["resource"] = change["type"].resource
        pending.append(change)


@event.listens_for(Session, "before_commit")
def _insert_pending(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_LOCK)
    at = utcnow()  # under the lock: times follow the feed's order
    for change in pending:
        change["at"] = at
    session.execute(insert(Change).execution_options(render_nulls=True), pending)
    session.info[_WROTE] = True


@event.listens_for(Session, "after_commit")
def _wake_workers(session: Session) -> None:
    if session.info.pop(_WROTE, False):
        for wake in list(committed):
            wake()


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_WROTE, None)

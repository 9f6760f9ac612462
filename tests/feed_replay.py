"""The changes feed replayed from its start, against what the database holds now.

A client that applies every change in order (a creation sets every field, an
update the fields it changed, a tombstone removes) must end with what a fresh
read of everything gives: the same resources, the same fields, the same versions.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from app import changes as feed
from app.models import Annotation, Article, Claim, ClaimMatch, Source, SourceName
from app.services.changes import list_changes

Key = tuple[str, int]
State = dict[Key, dict[str, Any]]


def replayed(engine: Engine, page_size: int = 200) -> State:
    """Every resource as the feed builds it, with its `version`."""
    state: State = {}
    with Session(engine) as session:
        cursor = None
        while True:
            page = list_changes(session=session, limit=page_size, after=cursor)
            for change in page.items:
                key = (change.resource, change.resource_id)
                tracked = feed.TRACKED[change.resource]
                values = {c.field: c.after for c in change.changes if c.field in tracked}
                if change.type.endswith(".deleted"):
                    assert key in state, f"a tombstone for {key}, never created"
                    del state[key]
                    continue
                if change.type.endswith(".created"):
                    assert key not in state, f"{key} created twice"
                    state[key] = {}
                assert key in state, f"{change.type} of {key}, never created"
                state[key] |= values | {"version": change.version}
            cursor = page.next_cursor
            if not page.has_more:
                return state


def current(engine: Engine) -> State:
    """Every resource the feed tracks, as the database holds it now."""
    state: State = {}
    with Session(engine) as session:
        aliases: dict[int, list[str]] = defaultdict(list)
        names = select(SourceName).where(col(SourceName.is_primary).is_(False))
        for name in session.execute(names.order_by(col(SourceName.id))).scalars():
            aliases[name.source_id].append(name.name)
        models: list[tuple[str, Any]] = [
            ("article", Article), ("source", Source), ("claim", Claim),
            ("annotation", Annotation), ("match", ClaimMatch),
        ]  # fmt: skip
        for resource, model in models:
            for row in session.execute(select(model)).scalars():
                extra = {"aliases": aliases[row.id]} if resource == "source" else {}
                state[(resource, row.id)] = feed.row_snapshot(resource, row, **extra) | {
                    "version": getattr(row, "version", None)
                }
    return state


def mismatches(engine: Engine) -> dict[Key, Any]:
    """What the replay gets wrong, resource by resource: "not in the feed", "deleted
    without a tombstone", or each field that differs as (replayed, current)."""
    got, want = replayed(engine), current(engine)
    wrong: dict[Key, Any] = {}
    for key in got.keys() | want.keys():
        if key not in got:
            wrong[key] = "not in the feed"
        elif key not in want:
            wrong[key] = "deleted without a tombstone"
        elif got[key] != want[key]:
            fields = got[key].keys() | want[key].keys()
            wrong[key] = {
                f: (got[key].get(f), want[key].get(f))
                for f in fields
                if got[key].get(f) != want[key].get(f)
            }
    return wrong

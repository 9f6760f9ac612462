from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import Limit, SessionDep
from app.api.documented import problems
from app.models import ChangeType
from app.pagination import DEFAULT_LIMIT, cursor_pattern
from app.schemas import ChangePage
from app.services import changes

router = APIRouter(prefix="/changes", tags=["changes"])

_TYPE = "|".join(re.escape(t.value) for t in ChangeType)
_TYPES_PATTERN = f"^({_TYPE})(,({_TYPE}))*$"


@router.get("", summary="Read the changes feed", responses=problems(400))
def list_changes(
    session: SessionDep,
    after: Annotated[
        str | None,
        Query(
            pattern=cursor_pattern(1),
            description="The `next_cursor` of the last page read; omit to read from the start.",
        ),
    ] = None,
    types: Annotated[
        str | None,
        Query(
            pattern=_TYPES_PATTERN,
            description="Only these types of change, comma-separated "
            "(`claim.status_changed,annotation.created`).",
            examples=["claim.status_changed,claim.attributed"],
        ),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
) -> ChangePage:
    """Every change to claims, annotations, sources, articles and matches, in the one
    order they were committed: created, status changed, attributed, updated, deleted
    (a tombstone), each with who, when, the resource's new version and each field
    before → after. A `created` change carries every field the feed tracks, so a
    client that applies the feed from the start in order rebuilds each resource (its
    stored fields; `match_group`, `first_appearance` and `suggested_status` follow from
    the matches and verdicts).

    To stay in sync, keep the `next_cursor` of the last page and pass it as `after`
    next time: it is never null, and a change committed after a page was read is
    always after that page's cursor."""
    wanted = [ChangeType(t) for t in types.split(",")] if types else []
    return changes.list_changes(session=session, limit=limit, after=after, types=wanted)

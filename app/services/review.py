"""The fact-checker's writes on a claim: its verification status and its source.

Each write is a compare-and-swap on the claim's version, so of two editors
who read the same version only the first one's change lands; the second
gets 412. The change and its event commit together or not at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from app.claim_json import CLAIM_COLUMNS, claim_pieces
from app.db import begin_write
from app.errors import NotFound, PreconditionFailed, Unprocessable
from app.extraction import canonical_source
from app.extraction.types import AttributionType
from app.models import AttributionMethod, Claim, ClaimStatus, EventKind, Source, table_of, utcnow
from app.preconditions import IfMatch, etag
from app.services.claims import get_claim
from app.services.events import record_event
from app.services.sources import require_name, resolve_guesses

_c = table_of(Claim).c


def _current(session: Session, claim_id: int) -> Any:
    row = session.execute(
        select(_c.source_id, *(_c[name] for name in CLAIM_COLUMNS)).where(_c.id == claim_id)
    ).first()
    if row is None:
        raise NotFound(f"Claim {claim_id} does not exist.")
    return row


def _swap(session: Session, current: Any, claim_id: int, **values: Any) -> None:
    """Apply the change only if the claim is still at ``current.version``, with the
    claim's stored JSON written from the same values."""
    version = current.version
    values |= {"version": version + 1, "updated_at": utcnow()}
    values["json_tail"] = claim_pieces({**current._mapping, **values})["json_tail"]
    result = session.connection().execute(
        update(Claim).where(_c.id == claim_id, _c.version == version).values(**values)
    )
    if result.rowcount != 1:
        # Another writer committed between our read and our write (PostgreSQL).
        now = session.execute(select(_c.version).where(_c.id == claim_id)).scalar_one()
        raise PreconditionFailed(
            "The claim changed while this write was being made; retry with its new ETag.",
            headers={"ETag": etag(now)},
            current_version=now,
        )


def set_status(
    *,
    session: Session,
    claim_id: int,
    status: ClaimStatus,
    note: str | None,
    actor: str,
    if_match: IfMatch,
) -> dict[str, Any]:
    begin_write(session)
    current = _current(session, claim_id)
    if_match.check(current.version)
    if current.status != status:
        _swap(session, current, claim_id, status=status)
        record_event(
            session,
            claim_id=claim_id,
            kind=EventKind.status_changed,
            actor=actor,
            before={"status": current.status},
            after={"status": status.value},
            note=note,
        )
    session.commit()
    return get_claim(db=session, claim_id=claim_id)


def _source_by_id(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise Unprocessable(
            f"Source {source_id} does not exist.",
            errors=[{"field": "body.source_id", "message": "unknown source", "type": "not_found"}],
        )
    return source


def attribute_claim(
    *,
    session: Session,
    claim_id: int,
    source_id: int | None,
    source_name: str | None,
    attribution_type: AttributionType | None,
    reason: str | None,
    actor: str,
    if_match: IfMatch,
) -> dict[str, Any]:
    """Set, change or clear (both None) a claim's source; the method becomes manual.

    A name finds a source by its name or an alias, or creates it.
    """
    begin_write(session)
    current = _current(session, claim_id)
    if_match.check(current.version)
    if source_id is not None:
        new_source_id: int | None = _source_by_id(session, source_id).id
    elif source_name is not None:
        guess = canonical_source(source_name)
        require_name(guess.name, "body.source_name")
        new_source_id = resolve_guesses(session, [guess]).popitem()[1]
    else:
        new_source_id = None

    values: dict[str, Any] = {
        "source_id": new_source_id,
        "attribution_method": AttributionMethod.manual,
        "confidence": 1.0,
    }
    if new_source_id != current.source_id:
        # The words in the text that named the old source do not name the new one.
        values |= dict.fromkeys(
            ("mention", "mention_start", "mention_end", "cue", "cue_start", "cue_end")
        )
    if new_source_id is None:
        # The article's own statement.
        values["attribution_type"] = AttributionType.unattributed
    elif attribution_type is not None:
        values["attribution_type"] = attribution_type
    elif current.attribution_type == AttributionType.unattributed:
        values["attribution_type"] = AttributionType.indirect
    _swap(session, current, claim_id, **values)
    record_event(
        session,
        claim_id=claim_id,
        kind=EventKind.attributed,
        actor=actor,
        before={
            "source_id": current.source_id,
            "attribution_type": current.attribution_type,
            "method": current.attribution_method,
        },
        after={
            "source_id": new_source_id,
            "attribution_type": values.get("attribution_type", current.attribution_type),
            "method": AttributionMethod.manual.value,
        },
        note=reason,
    )
    session.commit()
    return get_claim(db=session, claim_id=claim_id)

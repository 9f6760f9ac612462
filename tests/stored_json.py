"""The stored claim JSON (app.claim_json) against the columns it was written from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select, update

from app.claim_json import claim_document, claim_pieces
from app.models import Claim, Source, table_of
from app.schemas import ClaimOut

_c = table_of(Claim).c
_s = table_of(Source).c
_ATTRIBUTION = ("mention", "mention_start", "mention_end", "cue", "cue_start", "cue_end")


def from_columns(row: Any) -> str:
    """What ClaimOut writes for a claim's columns (and its source's), whole."""
    c = row._mapping
    return ClaimOut.model_validate(
        {
            "id": c[_c.id], "article_id": c[_c.article_id],
            "sentence_index": c[_c.sentence_index], "text": c[_c.text],
            "start": c[_c.start], "end": c[_c.end],
            "source": None if c[_s.id] is None
            else {"id": c[_s.id], "name": c[_s.name], "kind": c[_s.kind]},
            "attribution": {
                "type": c[_c.attribution_type], "method": c[_c.attribution_method],
                "confidence": c[_c.confidence], **{k: c[_c[k]] for k in _ATTRIBUTION},
            },
            "status": c[_c.status], "version": c[_c.version],
            "created_at": c[_c.created_at], "updated_at": c[_c.updated_at],
        }
    ).model_dump_json()  # fmt: skip


def mismatches(engine: Engine) -> dict[int, tuple[str, str]]:
    """Claims whose stored JSON is not what their columns make: id -> (stored, expected)."""
    document = claim_document(table_of(Claim), table_of(Source)).label("document")
    query = select(table_of(Claim), _s.id, _s.name, _s.kind, document).outerjoin(
        table_of(Source), _c.source_id == _s.id
    )
    found = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            c = row._mapping
            stored = c["document"]
            expected = from_columns(row)
            if stored != expected:
                found[c[_c.id]] = (stored, expected)
    return found


def set_columns(engine: Engine, claim_id: int, **values: Any) -> None:
    """Change a claim's columns as a loader of outside data would, its JSON with them."""
    with engine.begin() as conn:
        current = conn.execute(select(table_of(Claim)).where(_c.id == claim_id)).one()
        values["json_tail"] = claim_pieces({**current._mapping, **values})["json_tail"]
        conn.execute(update(table_of(Claim)).where(_c.id == claim_id).values(**values))

"""The migrations alone build the schema the models describe, and take it down again."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, insert, inspect, text
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app import migrate
from tests import stored_json


@pytest.fixture
def empty_database_url(backend: str, tmp_path, request: pytest.FixtureRequest) -> str:  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("postgres").create()


def test_upgrade_to_head_matches_the_models_and_downgrade_to_base_empties(
    empty_database_url: str,
) -> None:
    migrate.upgrade(empty_database_url)
    engine = create_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
            )
        assert diff == []
        assert {"article", "sentence", "source", "source_name", "claim"} <= set(
            inspect(engine).get_table_names()
        )
        migrate.downgrade(empty_database_url, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(empty_database_url)
        assert "claim" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_the_stored_claim_json_is_written_for_the_claims_already_there(
    empty_database_url: str,
) -> None:
    """Upgrading a database that holds claims writes their JSON as ingest would;
    going back down keeps the claims and their history."""
    migrate.upgrade(empty_database_url, "a0e8b336d768")  # before the stored JSON
    engine = create_engine(empty_database_url)
    tables = MetaData()
    tables.reflect(engine)
    t = tables.tables
    when = datetime(2024, 1, 9, 21, 0, 0, 120000, tzinfo=UTC)
    stamps = {"created_at": when, "updated_at": when}
    claim = {
        "article_id": 1, "sentence_index": 0, "start": 0, "end": 9,
        "attribution_type": "direct_quote", "attribution_method": "rule",
        "confidence": 0.9, "mention": "he", "mention_start": 10, "mention_end": 12,
        "cue": "said", "cue_start": 13, "cue_end": 17, "status": "verified", "version": 3,
        **stamps,
    }  # fmt: skip
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(t["source"]),
                {"id": 1, "name": 'Dmitry "Dima" Peskov', "kind": "person", "version": 1, **stamps},
            )
            conn.execute(
                insert(t["article"]),
                {"id": 1, "text": "“No,” he said.", "content_hash": "x" * 64,
                 "extractor_version": "old", "created_at": when},
            )  # fmt: skip
            conn.execute(
                insert(t["claim"]),
                [
                    {**claim, "id": 1, "text": "“No,”\n\x01🙂", "source_id": 1},
                    {**claim, "id": 2, "text": "plain", "source_id": None,
                     "attribution_type": "unattributed"},
                ],
            )  # fmt: skip
            conn.execute(
                insert(t["claim_event"]),
                {"claim_id": 1, "kind": "created", "actor": "loader", "at": when},
            )
        migrate.upgrade(empty_database_url, "5c2e9f0b7d41")  # the stored pieces
        with engine.connect() as conn:
            heads = conn.execute(text("SELECT json_head FROM claim ORDER BY id")).scalars().all()
        assert heads == [
            ',"article_id":1,"sentence_index":0,"text":"“No,”\\n\\u0001🙂","start":0,"end":9',
            ',"article_id":1,"sentence_index":0,"text":"plain","start":0,"end":9',
        ]
        migrate.upgrade(empty_database_url, "9d4b7e21c3a6")  # each claim's whole document
        with engine.connect() as conn:
            without_kinds = conn.execute(text("SELECT document FROM claim ORDER BY id")).all()
        migrate.upgrade(empty_database_url)  # and what kind of cue tied it
        assert stored_json.mismatches(engine) == {}
        with engine.connect() as conn:
            kinds = conn.execute(text("SELECT cue_kind FROM claim ORDER BY id")).scalars().all()
        assert kinds == ["speech", None]
        migrate.downgrade(empty_database_url, "9d4b7e21c3a6")
        with engine.connect() as conn:
            assert (
                conn.execute(text("SELECT document FROM claim ORDER BY id")).all() == without_kinds
            )
        migrate.upgrade(empty_database_url)
        with engine.connect() as conn:
            first = conn.execute(text("SELECT document FROM claim ORDER BY id")).scalars().first()
        assert first.startswith('{"id":1,"article_id":1,"sentence_index":0,"text":"“No,”\\n')
        assert '"source":{"id":1,"name":"Dmitry \\"Dima\\" Peskov","kind":"person"}' in first
        # Down to the pieces again: what the revision before read, byte for byte.
        migrate.downgrade(empty_database_url, "5c2e9f0b7d41")
        with engine.connect() as conn:
            again = conn.execute(text("SELECT json_head FROM claim ORDER BY id")).scalars().all()
            tail = conn.execute(text("SELECT json_tail FROM source")).scalar()
        assert again == heads
        assert tail == ',"name":"Dmitry \\"Dima\\" Peskov","kind":"person"}'
        migrate.downgrade(empty_database_url, "a0e8b336d768")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM claim")).scalar() == 2
            assert conn.execute(text("SELECT count(*) FROM claim_event")).scalar() == 1
    finally:
        engine.dispose()

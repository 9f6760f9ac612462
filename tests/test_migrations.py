"""The migrations alone build the schema the models describe, and take it down again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, MetaData, create_engine, insert, inspect, text
from sqlmodel import SQLModel

import app.models
from app import migrate, search
from tests import stored_json


@pytest.fixture
def empty_database_url(backend: str, tmp_path, request: pytest.FixtureRequest) -> str:  # type: ignore[no-untyped-def]
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    return request.getfixturevalue("postgres").create()


def _schema_diff(conn: Connection) -> list[Any]:
    """What the database's schema lacks or has beyond the models'.

    On SQLite, a column added by ALTER TABLE holds its REFERENCES clause in its own
    definition (SQLite adds a table constraint only by copying the table), and
    SQLAlchemy reflects such a reference without its name and ON DELETE, as one to
    remove and one to add: those are read from SQLite's own foreign key list instead.
    """
    diff = compare_metadata(
        MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": app.models.in_the_models}
        ),
        SQLModel.metadata,
    )
    if conn.dialect.name != "sqlite":
        return diff

    def in_place(change: Any) -> bool:
        """A reference of one column that SQLite holds as the models declare it."""
        if change[0] not in ("add_fk", "remove_fk") or len(change[1].columns) != 1:
            return False
        table, column = change[1].table.name, change[1].columns[0].name
        declared = list(SQLModel.metadata.tables[table].c[column].foreign_keys)
        if len(declared) != 1:
            return False
        fk = declared[0]
        wanted = (column, fk.column.table.name, fk.column.name, fk.ondelete or "NO ACTION")
        listed = conn.exec_driver_sql(f"PRAGMA foreign_key_list({table})").all()
        # from, table, to, on_delete
        return wanted in {(row[3], row[2], row[4], row[6]) for row in listed}

    return [change for change in diff if not in_place(change)]


def test_upgrade_to_head_matches_the_models_and_downgrade_to_base_empties(
    empty_database_url: str,
) -> None:
    migrate.upgrade(empty_database_url)
    engine = create_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            diff = _schema_diff(conn)
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


def documents(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT document FROM claim ORDER BY id")).scalars())


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
                    {**claim, "id": 2, "text": 'plain ,"via":{}},"status":', "source_id": None,
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
            ',"article_id":1,"sentence_index":0,'
            '"text":"plain ,\\"via\\":{}},\\"status\\":","start":0,"end":9',
        ]
        migrate.upgrade(empty_database_url, "9d4b7e21c3a6")  # each claim's whole document
        without_kinds = documents(engine)
        migrate.upgrade(empty_database_url, "3f8a1c5d9e27")  # and what kind of cue tied it
        with engine.connect() as conn:
            kinds = conn.execute(text("SELECT cue_kind FROM claim ORDER BY id")).scalars().all()
        assert kinds == ["speech", None]
        without_via = documents(engine)
        migrate.upgrade(empty_database_url, "5b18ddab03c4")  # the source relaying it: none yet
        assert documents(engine) == [
            d.replace('},"status":', ',"via":null},"status":') for d in without_via
        ]
        with_via = documents(engine)
        migrate.upgrade(empty_database_url)  # and its matches: in no group, offered nothing
        assert stored_json.mismatches(engine) == {}
        assert documents(engine) == [
            d[:-1] + ',"match_group":null,"first_appearance":null,"suggested_status":null}'
            for d in with_via
        ]
        with engine.connect() as conn:
            banded = conn.execute(text("SELECT DISTINCT claim_id FROM claim_band")).scalars()
            # The second claim's words are its band keys; the first has no content word.
            assert list(banded) == [2]
        stored_json.set_columns(
            engine, 2, match_group=1, first_claim_id=1, first_article_id=1,
            suggested_status="false", suggested_from=1,
        )  # fmt: skip
        assert documents(engine)[1].endswith(
            '"match_group":1,"first_appearance":{"claim_id":1,"article_id":1},'
            '"suggested_status":{"status":"false","claim_id":1}}'
        )
        migrate.downgrade(empty_database_url, "5b18ddab03c4")  # the members go, byte for byte
        assert documents(engine) == with_via
        migrate.upgrade(empty_database_url)
        # A relay named since, by a source that is the claim's own source too.
        stored_json.set_columns(
            engine, 1, via_source_id=1, via_mention='“Dima” \\ \x01', via_mention_start=3,
            via_mention_end=9,
        )  # fmt: skip
        assert '"via":{"id":1,"name":"Dmitry \\"Dima\\" Peskov"' in documents(engine)[0]
        migrate.downgrade(empty_database_url, "3f8a1c5d9e27")  # the member goes, whatever it held
        assert documents(engine) == without_via
        migrate.downgrade(empty_database_url, "9d4b7e21c3a6")
        assert documents(engine) == without_kinds
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


def test_sources_already_stored_name_no_address_until_given_one(empty_database_url: str) -> None:
    migrate.upgrade(empty_database_url, "592eefaeb06a")  # before same_as
    engine = create_engine(empty_database_url)
    when = datetime(2024, 1, 9, 21, 0, tzinfo=UTC)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO source (id, name, kind, version, created_at, updated_at) "
                    "VALUES (1, 'TASS', 'news_agency', 1, :when, :when)"
                ),
                {"when": when},
            )
        migrate.upgrade(empty_database_url, "117ad8189980")
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT same_as FROM source")).scalar_one()
        assert (json.loads(stored) if isinstance(stored, str) else stored) == []
        migrate.downgrade(empty_database_url, "592eefaeb06a")
        assert "same_as" not in {c["name"] for c in inspect(engine).get_columns("source")}
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM source")).scalars().all() == ["TASS"]
    finally:
        engine.dispose()


def test_the_feed_index_comes_and_goes_with_its_revision(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)

    def indexes() -> set[str]:
        return {index["name"] for index in inspect(engine).get_indexes("claim")}

    try:
        migrate.upgrade(empty_database_url, "117ad8189980")
        assert "ix_claim_verdict_updated_at_id" not in indexes()
        migrate.upgrade(empty_database_url, "a6cea0baee1e")
        assert "ix_claim_verdict_updated_at_id" in indexes()
        migrate.downgrade(empty_database_url, "117ad8189980")
        assert "ix_claim_verdict_updated_at_id" not in indexes()
    finally:
        engine.dispose()


def _search(conn: Connection, words: str) -> list[int]:
    """The claims the full-text index finds for a query, as the app asks it."""
    query = search.parse(words)
    if conn.dialect.name == "sqlite":
        sql = "SELECT rowid FROM claim_fts WHERE claim_fts MATCH :q ORDER BY rowid"
        return list(conn.execute(text(sql), {"q": query.fts5()}).scalars())
    sql = (
        "SELECT id FROM claim WHERE search_vector @@ "
        "websearch_to_tsquery('claimdesk_english', :q) ORDER BY id"
    )
    return list(conn.execute(text(sql), {"q": query.websearch()}).scalars())


def _search_objects(engine: Engine) -> set[str]:
    found = set(inspect(engine).get_table_names())
    found |= {c["name"] for c in inspect(engine).get_columns("claim")}
    return found & {"claim_fts", "article_fts", "search_vector", "published_at"}


def test_the_search_index_covers_the_claims_already_there_and_goes_cleanly(
    empty_database_url: str,
) -> None:
    migrate.upgrade(empty_database_url, "a6cea0baee1e")  # before the search index
    engine = create_engine(empty_database_url)
    tables = MetaData()
    tables.reflect(engine)
    t = tables.tables
    when = datetime(2024, 1, 9, 21, 0, tzinfo=UTC)
    claim = {
        "sentence_index": 0, "start": 0, "end": 9, "attribution_type": "unattributed",
        "attribution_method": "rule", "confidence": 1.0, "status": "unverified",
        "version": 1, "created_at": when, "updated_at": when, "document": "{}",
    }  # fmt: skip
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(t["article"]),
                [
                    {"id": 1, "text": "x", "content_hash": "a" * 64, "extractor_version": "old",
                     "created_at": when, "published_at": datetime(2023, 5, 1, tzinfo=UTC),
                     "title": "Grain deal"},
                    {"id": 2, "text": "y", "content_hash": "b" * 64, "extractor_version": "old",
                     "created_at": when, "published_at": None, "title": None},
                ],
            )  # fmt: skip
            conn.execute(
                insert(t["claim"]),
                [
                    {**claim, "id": 1, "article_id": 1, "text": "Sanctions on Peskóv's bank"},
                    {**claim, "id": 2, "article_id": 2, "text": "The sanction was lifted"},
                ],
            )
        migrate.upgrade(empty_database_url)
        assert _search_objects(engine) >= {"published_at"}
        with engine.connect() as conn:
            assert _search(conn, "sanctions") == [1, 2]
            assert _search(conn, "peskov bank") == [1]
            dates = conn.execute(text("SELECT published_at FROM claim ORDER BY id")).scalars()
            assert [str(d)[:10] for d in dates] == ["2023-05-01", "2024-01-09"]
        after = MetaData()
        after.reflect(engine, only=["claim"])
        with engine.begin() as conn:  # every write after it is indexed by the database
            conn.execute(
                insert(after.tables["claim"]),
                {**claim, "id": 3, "article_id": 2, "text": "No sanctions", "published_at": when},
            )
            conn.execute(text("DELETE FROM claim WHERE id = 1"))
        with engine.connect() as conn:
            assert _search(conn, "sanction") == [2, 3]
        migrate.downgrade(empty_database_url, "a6cea0baee1e")
        assert _search_objects(engine) == set()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM claim")).scalar() == 2
        migrate.upgrade(empty_database_url)
        with engine.connect() as conn:
            assert _search(conn, "sanctions") == [2, 3]
    finally:
        engine.dispose()


def test_the_audit_trail_becomes_the_changes_feed_and_comes_back(
    empty_database_url: str,
) -> None:
    """Each audit event of before is the change it was, with its id, the resource it
    changed (an annotation's and a match's from the event) and the claim whose trail
    shows it; down again, the claims' trails are what they were, in their order."""
    migrate.upgrade(empty_database_url, "7b1e4c9d2f60")  # before the feed
    engine = create_engine(empty_database_url)
    when = datetime(2024, 1, 9, 21, 0, tzinfo=UTC)
    events = [
        (1, "created", None, None),
        (1, "status_changed", {"status": "unverified"}, {"status": "false"}),
        (1, "annotated", None, {"annotation_id": 7, "body": "See the transcript"}),
        (1, "annotation_deleted", {"annotation_id": 7, "body": "See the transcript"}, None),
        (1, "match_confirmed", {"match_id": 3, "state": "suggested"},
         {"match_id": 3, "state": "confirmed"}),
        (2, "match_confirmed", {"match_id": 3, "state": "suggested"},
         {"match_id": 3, "state": "confirmed"}),
        (2, "reextracted", None, {"sentence_index": 1}),
    ]  # fmt: skip
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO article (id, text, content_hash, extractor_version, created_at) "
                    "VALUES (1, 'x', :hash, 'old', :when)"
                ),
                {"hash": "x" * 64, "when": when},
            )
            for claim_id in (1, 2):
                conn.execute(
                    text(
                        'INSERT INTO claim (id, article_id, sentence_index, start, "end", text, '
                        "attribution_type, attribution_method, confidence, status, version, "
                        "created_at, updated_at, published_at, document) VALUES (:id, 1, 0, 0, "
                        "1, 'x', 'unattributed', 'rule', 1, 'false', 2, :when, :when, :when, "
                        "'{}')"
                    ),
                    {"id": claim_id, "when": when},
                )
            for i, (claim_id, kind, before, after) in enumerate(events, start=1):
                conn.execute(
                    text(
                        "INSERT INTO claim_event (id, claim_id, kind, actor, at, before, after) "
                        "VALUES (:id, :claim, :kind, 'desk', :when, :before, :after)"
                    ),
                    {"id": i, "claim": claim_id, "kind": kind, "when": when,
                     "before": json.dumps(before) if before else None,
                     "after": json.dumps(after) if after else None},
                )  # fmt: skip
        migrate.upgrade(empty_database_url)
        with engine.connect() as conn:
            changes = conn.execute(
                text("SELECT id, type, resource, resource_id, claim_id FROM change ORDER BY id")
            ).all()
        assert [tuple(c) for c in changes] == [
            (1, "claim.created", "claim", 1, 1),
            (2, "claim.status_changed", "claim", 1, 1),
            (3, "annotation.created", "annotation", 7, 1),
            (4, "annotation.deleted", "annotation", 7, 1),
            (5, "match.updated", "match", 3, 1),
            (6, "match.updated", "match", 3, 2),
            (7, "claim.updated", "claim", 2, 2),
        ]
        if engine.dialect.name == "postgresql":  # the next change takes the next id
            with engine.connect() as conn:
                next_id = conn.execute(
                    text("SELECT nextval(pg_get_serial_sequence('change', 'id'))")
                ).scalar()
            assert next_id == 8
        migrate.downgrade(empty_database_url, "7b1e4c9d2f60")
        with engine.connect() as conn:
            trail = conn.execute(text("SELECT claim_id, kind FROM claim_event ORDER BY id")).all()
        assert [tuple(e) for e in trail] == [(c, k) for c, k, _, _ in events]
    finally:
        engine.dispose()


def test_the_band_keys_already_stored_get_their_claims_speakers(
    empty_database_url: str, backend: str
) -> None:
    """Each stored band key gains its claim's speaker (its source, 0 for the article's
    own); a key left behind by a claim deleted with SQLite's foreign keys off goes."""
    migrate.upgrade(empty_database_url, "9d41c2e7b5a8")  # before the speaker
    engine = create_engine(empty_database_url)
    tables = MetaData()
    tables.reflect(engine)
    t = tables.tables
    when = datetime(2024, 1, 9, 21, 0, tzinfo=UTC)
    stamps = {"created_at": when, "updated_at": when}
    claim = {
        "article_id": 1, "sentence_index": 0, "start": 0, "end": 9, "text": "x",
        "attribution_type": "indirect", "attribution_method": "rule", "confidence": 1.0,
        "status": "unverified", "version": 1, "document": "{}", "published_at": when, **stamps,
    }  # fmt: skip
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(t["source"]),
                {"id": 7, "name": "Peskov", "kind": "person", "version": 1, **stamps},
            )
            conn.execute(
                insert(t["article"]),
                {"id": 1, "text": "x", "content_hash": "a" * 64, "extractor_version": "old",
                 "created_at": when},
            )  # fmt: skip
            conn.execute(
                insert(t["claim"]),
                [{**claim, "id": 1, "source_id": 7}, {**claim, "id": 2, "source_id": None}],
            )
            conn.execute(
                insert(t["claim_band"]),
                [{"key": 5, "claim_id": 1}, {"key": 5, "claim_id": 2}, {"key": 6, "claim_id": 1}],
            )
            if backend == "sqlite":  # no foreign keys on this connection
                conn.execute(insert(t["claim_band"]), {"key": 5, "claim_id": 99})
        migrate.upgrade(empty_database_url)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT key, claim_id, speaker FROM claim_band ORDER BY 1, 2"))
            assert [tuple(r) for r in rows] == [(5, 1, 7), (5, 2, 0), (6, 1, 7)]
        migrate.downgrade(empty_database_url, "9d41c2e7b5a8")
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM claim_band ORDER BY 1, 2"))
            assert [tuple(r) for r in rows] == [(5, 1), (5, 2), (6, 1)]
    finally:
        engine.dispose()


@pytest.mark.backends("postgresql")
def test_processes_starting_together_migrate_one_at_a_time(empty_database_url: str) -> None:
    """N API processes and M workers on one PostgreSQL each migrate as they start."""
    command = [str(Path(sys.executable).parent / "claimdesk"), "migrate"]
    env = {**os.environ, "CLAIMDESK_DATABASE_URL": empty_database_url}
    starting = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120)[0].decode() for p in starting]
    assert [p.returncode for p in starting] == [0] * 4, outputs
    engine = create_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            assert _schema_diff(conn) == []
    finally:
        engine.dispose()

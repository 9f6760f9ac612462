"""The migrations alone build the schema the models describe, and take it down again."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app import migrate


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

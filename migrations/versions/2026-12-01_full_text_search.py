"""full text search

`q` becomes a ranked full-text search (app/search.py), kept in step with every
write by the database itself, and the claim listings gain sorts by publication
time and confidence.

- SQLite: FTS5 tables (tokenizer `porter unicode61 remove_diacritics 2`):
  `claim_fts` over the claims' text, its content read from the claim table, and
  `article_fts` over each article's title and first 100,000 characters
  (contentless: nothing is stored twice); triggers on insert, delete and a change
  of text keep them in step.
- PostgreSQL: the text search configuration `claimdesk_english` (English
  stemming after `unaccent`, from contrib), and a stored generated `tsvector`
  column with a GIN index on claim (its text) and on article (title weighted A,
  then the first 100,000 characters: a tsvector holds at most 1 MB, and that many
  characters stay under it).
- `claim.published_at`: its article's `published_at`, or the time the article
  was ingested when it gives none, so that the sort and the date filters are
  one index of the claim table; articles are never edited, so it never goes
  stale. With `(published_at, id)` and `(confidence, id)` indexes for the sorts.

Existing rows are indexed here (about a minute per million claims); on
PostgreSQL the claim table is rewritten and locked meanwhile. Stop API
processes of an older version first: they would insert claims without
`published_at`.

Revision ID: 5b18ddab03c4
Revises: a6cea0baee1e
Create Date: 2026-12-01 13:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5b18ddab03c4'
down_revision: str | None = 'a6cea0baee1e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ARTICLE_PREFIX = 100_000
_TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"
_SORT_INDEXES = {
    'ix_claim_published_at_id': ['published_at', 'id'],
    'ix_claim_confidence_id': ['confidence', 'id'],
}

_SQLITE_UP = [
    f"CREATE VIRTUAL TABLE claim_fts USING fts5(text, content='claim', content_rowid='id', "
    f"{_TOKENIZE})",
    "INSERT INTO claim_fts(claim_fts) VALUES ('rebuild')",
    "CREATE TRIGGER claim_fts_insert AFTER INSERT ON claim BEGIN "
    "INSERT INTO claim_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER claim_fts_delete AFTER DELETE ON claim BEGIN "
    "INSERT INTO claim_fts(claim_fts, rowid, text) VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER claim_fts_update AFTER UPDATE OF text ON claim BEGIN "
    "INSERT INTO claim_fts(claim_fts, rowid, text) VALUES ('delete', old.id, old.text); "
    "INSERT INTO claim_fts(rowid, text) VALUES (new.id, new.text); END",
    f"CREATE VIRTUAL TABLE article_fts USING fts5(title, text, content='', {_TOKENIZE})",
    "INSERT INTO article_fts(rowid, title, text) "
    f"SELECT id, coalesce(title, ''), substr(text, 1, {ARTICLE_PREFIX}) FROM article",
    "CREATE TRIGGER article_fts_insert AFTER INSERT ON article BEGIN "
    "INSERT INTO article_fts(rowid, title, text) VALUES "
    f"(new.id, coalesce(new.title, ''), substr(new.text, 1, {ARTICLE_PREFIX})); END",
    # A contentless table forgets a row by the values it indexed.
    "CREATE TRIGGER article_fts_delete AFTER DELETE ON article BEGIN "
    "INSERT INTO article_fts(article_fts, rowid, title, text) VALUES "
    f"('delete', old.id, coalesce(old.title, ''), substr(old.text, 1, {ARTICLE_PREFIX})); END",
    "CREATE TRIGGER article_fts_update AFTER UPDATE OF title, text ON article BEGIN "
    "INSERT INTO article_fts(article_fts, rowid, title, text) VALUES "
    f"('delete', old.id, coalesce(old.title, ''), substr(old.text, 1, {ARTICLE_PREFIX})); "
    "INSERT INTO article_fts(rowid, title, text) VALUES "
    f"(new.id, coalesce(new.title, ''), substr(new.text, 1, {ARTICLE_PREFIX})); END",
]
_SQLITE_DOWN = [
    "DROP TRIGGER article_fts_update",
    "DROP TRIGGER article_fts_delete",
    "DROP TRIGGER article_fts_insert",
    "DROP TABLE article_fts",
    "DROP TRIGGER claim_fts_update",
    "DROP TRIGGER claim_fts_delete",
    "DROP TRIGGER claim_fts_insert",
    "DROP TABLE claim_fts",
]

_CONFIG = "'claimdesk_english'::regconfig"
_POSTGRESQL_UP = [
    # unaccent is a trusted extension: a database's owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION claimdesk_english (COPY = english)",
    # Words with letters beyond ASCII lose their accents, then stem as English.
    "ALTER TEXT SEARCH CONFIGURATION claimdesk_english "
    "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    "ALTER TABLE claim ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS (to_tsvector({_CONFIG}, text)) STORED",
    "CREATE INDEX ix_claim_search_vector ON claim USING gin (search_vector)",
    "ALTER TABLE article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    f"setweight(to_tsvector({_CONFIG}, coalesce(title, '')), 'A') || "
    f"to_tsvector({_CONFIG}, left(text, {ARTICLE_PREFIX}))) STORED",
    "CREATE INDEX ix_article_search_vector ON article USING gin (search_vector)",
]
_POSTGRESQL_DOWN = [
    "DROP INDEX ix_article_search_vector",
    "ALTER TABLE article DROP COLUMN search_vector",
    "DROP INDEX ix_claim_search_vector",
    "ALTER TABLE claim DROP COLUMN search_vector",
    "DROP TEXT SEARCH CONFIGURATION claimdesk_english",
    "DROP EXTENSION IF EXISTS unaccent",
]


def _sqlite() -> bool:
    return op.get_context().dialect.name == 'sqlite'


def upgrade() -> None:
    if _sqlite():
        # NOT NULL needs a default to add the column in place (a copy of the table
        # would cascade its deletion to the claims' events); every row gets its own
        # value below, and every writer sets it.
        op.execute(
            "ALTER TABLE claim ADD COLUMN published_at DATETIME NOT NULL "
            "DEFAULT '1970-01-01 00:00:00.000000'"
        )
        op.execute(
            "UPDATE claim SET published_at = (SELECT coalesce(a.published_at, a.created_at) "
            "FROM article AS a WHERE a.id = claim.article_id)"
        )
    else:
        op.add_column('claim', sa.Column('published_at', sa.DateTime(timezone=True)))
        op.execute(
            "UPDATE claim SET published_at = coalesce(a.published_at, a.created_at) "
            "FROM article AS a WHERE a.id = claim.article_id"
        )
        op.alter_column('claim', 'published_at', nullable=False)
    for name, columns in _SORT_INDEXES.items():
        op.create_index(name, 'claim', columns, unique=False)
    for statement in _SQLITE_UP if _sqlite() else _POSTGRESQL_UP:
        op.execute(statement)


def downgrade() -> None:
    for statement in _SQLITE_DOWN if _sqlite() else _POSTGRESQL_DOWN:
        op.execute(statement)
    for name in _SORT_INDEXES:
        op.drop_index(name, table_name='claim')
    op.drop_column('claim', 'published_at')

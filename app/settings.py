"""Configuration: the one place that reads the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMDESK_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./claimdesk.db",
        description="SQLAlchemy URL: sqlite:///path.db or postgresql+psycopg://user@host/db.",
    )
    max_article_bytes: int = Field(
        default=1_000_000, ge=1, description="Largest article text accepted, in UTF-8 bytes."
    )
    sqlite_busy_timeout_ms: int = Field(
        default=30_000, ge=0, description="How long a SQLite writer waits for the lock."
    )
    reads_require_key: bool = Field(
        default=False, description="When true, reads need a key too (any role)."
    )
    claimreview_author_name: str = Field(
        default="claimdesk", description="The fact-checking organization named in ClaimReview."
    )
    claimreview_author_url: str | None = Field(
        default=None, description="Its web site, for ClaimReview's author.url."
    )
    log_sql: bool = False

    @field_validator("database_url")
    @classmethod
    def _use_psycopg3(cls, url: str) -> str:
        # "postgresql://" and "postgres://" would pick psycopg2, which is not installed.
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    @property
    def max_body_bytes(self) -> int:
        # Room for the text's JSON escaping and the other fields.
        return 2 * self.max_article_bytes + 65_536

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    return Settings()

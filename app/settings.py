"""Configuration: the one place that reads the environment."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent
REVIEW_ID = "{id}"
"""Where CLAIMDESK_CLAIMREVIEW_URL_TEMPLATE puts the claim's id."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CLAIMDESK_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///./claimdesk.db",
        description="SQLAlchemy URL: sqlite:///path.db or postgresql+psycopg://user@host/db.",
    )
    max_article_bytes: int = Field(
        default=1_000_000, ge=1, description="Largest article text accepted, in UTF-8 bytes."
    )
    max_header_bytes: int = Field(
        default=16_384,
        ge=1,
        description="Largest total of a request's header field names and values, in bytes "
        "(431 above it).",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=30_000, ge=0, description="How long a SQLite writer waits for the lock."
    )
    matching: bool = Field(
        default=True,
        description="Compare each ingested claim with the stored ones and store the matches "
        "(GET /v1/claims/{id}/matches); off, ingest stores no matches and no band keys.",
    )
    read_pool_size: int = Field(
        default=10,
        ge=1,
        description="PostgreSQL: connections the async pool for the hot reads keeps, at most.",
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
    claimreview_url_template: str | None = Field(
        default=None,
        description="The address of each claim's fact check on the publisher's site, with "
        "`{id}` where the claim's id goes: https://factcheck.example.org/claims/{id}. "
        "ClaimReview's `url`; unset, the ClaimReview has no `url` and the page that "
        "embeds it must add its own.",
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins (scheme://host[:port]) whose pages a browser lets call the API, "
        'as a JSON list or comma-separated; "*" for any. Empty: no cross-origin access.',
    )
    rate_limit: bool = Field(
        default=False,
        description="Limit the requests to /v1 per API key and per client address (429 past them).",
    )
    rate_limit_key_quota: int = Field(
        default=600, ge=1, description="Requests one API key may send per window."
    )
    rate_limit_address_quota: int = Field(
        default=120,
        ge=1,
        description="Requests one client address may send per window without a valid key.",
    )
    rate_limit_window_s: int = Field(
        default=60, ge=1, description="The rate-limit window, in whole seconds."
    )
    webhook_allow_private: bool = Field(
        default=False,
        description="Let webhooks deliver to private, loopback and link-local addresses "
        "(local development and tests). Off, such a target is refused at every attempt, "
        "after DNS resolution.",
    )
    webhook_timeout_s: float = Field(
        default=10.0, gt=0, le=60, description="The time one delivery attempt may take, all told."
    )
    webhook_retry_for_s: float = Field(
        default=86_400.0,
        gt=0,
        description="How long a delivery is retried after its first attempt before it is "
        "marked failed (and its webhook disabled, if nothing reached it meanwhile).",
    )
    webhook_retry_base_s: float = Field(
        default=5.0, gt=0, description="The first retry's delay; each next one doubles it."
    )
    webhook_retry_max_delay_s: float = Field(
        default=3_600.0, gt=0, description="The longest delay between two attempts."
    )
    webhook_lease_s: float = Field(
        default=60.0,
        gt=0,
        description="How long a worker holds the deliveries it took: a worker that dies "
        "mid-delivery loses them to another worker when the lease ends. Longer than "
        "webhook_timeout_s.",
    )
    worker_poll_s: float = Field(
        default=1.0, gt=0, description="How often an idle worker looks for work."
    )
    worker_linger_s: float | None = Field(
        default=None,
        ge=0,
        le=5,
        description="How long a worker woken by a commit, or done with a round that "
        "left nothing due, waits for the commits that follow, to deliver them in one round. "
        "Unset: 0.05 s on SQLite, whose writes wait for the write lock a round holds, "
        "longer in a larger round; 0.5 s on PostgreSQL, whose writes wait for the CPU "
        "the worker takes, less in fewer rounds.",
    )
    worker_concurrency: int = Field(
        default=8, ge=1, le=64, description="Deliveries one worker sends at once."
    )
    worker_nice: int = Field(
        default=10,
        ge=0,
        le=19,
        description="How much lower than the API's a worker process's CPU "
        "priority is (Unix nice): on a shared machine, writes go first and deliveries "
        "take what is left. 0: the same priority.",
    )
    worker_in_process: bool | None = Field(
        default=None,
        description="Each API process starts a delivery worker of its own, a child "
        "process. Unset: on SQLite yes (the embedded default needs nothing else), on "
        "PostgreSQL no (run `claimdesk worker` processes).",
    )
    log_sql: bool = False

    @model_validator(mode="after")
    def _lease_outlasts_an_attempt(self) -> Settings:
        # A lease that ends while its attempt runs lets a second worker send it too.
        if self.webhook_lease_s <= self.webhook_timeout_s:
            raise ValueError(
                f"CLAIMDESK_WEBHOOK_LEASE_S ({self.webhook_lease_s:g}) must be longer than "
                f"CLAIMDESK_WEBHOOK_TIMEOUT_S ({self.webhook_timeout_s:g})"
            )
        return self

    @field_validator("database_url")
    @classmethod
    def _use_psycopg3(cls, url: str) -> str:
        # "postgresql://" and "postgres://" would pick psycopg2, which is not installed.
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        # The environment gives a string: '["https://a.org", "https://b.org"]' or 'a, b'.
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part for part in text.split(",") if part.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, origins: list[str]) -> list[str]:
        # A browser sends its Origin as scheme://host[:port], lowercase and without a
        # slash; an entry that can never equal one is a mistake worth failing on.
        checked = []
        for entry in origins:
            origin = entry.strip().rstrip("/").lower()
            if origin != "*" and not _is_origin(origin):
                raise ValueError(
                    f"{entry!r} is not an origin such as https://app.example.org "
                    "or http://127.0.0.1:5173"
                )
            checked.append(origin)
        return checked

    @field_validator("claimreview_url_template")
    @classmethod
    def _check_review_url(cls, template: str | None) -> str | None:
        # Every claim's review at one address, or at none a browser can open, is a
        # mistake a publisher would only find in Google's markup report.
        if template is None or not template.strip():  # a blank line in .env: unset
            return None
        if REVIEW_ID not in template:
            raise ValueError(f"{template!r} has no {REVIEW_ID} for the claim's id")
        if not _is_web_address(template.replace(REVIEW_ID, "1")):
            raise ValueError(
                f"{template!r} is not an absolute http(s) address such as "
                "https://factcheck.example.org/claims/{id}"
            )
        return template

    def claimreview_url(self, claim_id: int) -> str | None:
        """The address of the claim's fact check, or None without a template."""
        template = self.claimreview_url_template
        return None if template is None else template.replace(REVIEW_ID, str(claim_id))

    @property
    def max_body_bytes(self) -> int:
        # Room for the text's JSON escaping (\uXXXX is 6 bytes for each UTF-8
        # byte at worst, as json.dumps writes non-ASCII) and the other fields.
        return 6 * self.max_article_bytes + 65_536

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def runs_worker_in_process(self) -> bool:
        return self.is_sqlite if self.worker_in_process is None else self.worker_in_process

    @property
    def linger_s(self) -> float:
        if self.worker_linger_s is not None:
            return self.worker_linger_s
        return 0.05 if self.is_sqlite else 0.5


def _is_web_address(text: str) -> bool:
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in text


def _is_origin(text: str) -> bool:
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not (parts.path or parts.query or parts.fragment or parts.username)
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""Database tables. The API's shapes live in app/schemas.py.

Enum columns are stored as plain strings (no native ENUM type) so that adding a
status or a kind is a code change, not a migration on PostgreSQL; the fields are
typed with their enums and read back as them (EnumText).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapper
from sqlmodel import Field, SQLModel

from app.extraction.types import AttributionType, CueKind, SourceKind
from app.matching import MatchReason

__all__ = [
    "Annotation",
    "ApiKey",
    "Article",
    "AttributionMethod",
    "AttributionType",
    "Claim",
    "Change",
    "ChangeType",
    "ClaimStatus",
    "Delivery",
    "DeliveryAttempt",
    "DeliveryState",
    "EventKind",
    "HAS_VERDICT",
    "Motivation",
    "RateLimitWindow",
    "Role",
    "Sentence",
    "Source",
    "SourceKind",
    "SourceName",
    "VERDICTS",
    "Webhook",
    "utcnow",
]

# One naming convention, so migrations name constraints the same on both databases.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Core table, for column-level queries."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


# Column sizes, written once: the request schemas take their limits from these.
NAME_LENGTH = 200
"""A source's name or alias, an article's publisher."""
DESCRIPTION_LENGTH = 500
TITLE_LENGTH = 500
URL_LENGTH = 2048
SAME_AS_COUNT = 20
"""The most web addresses one source's `same_as` lists."""
LANGUAGE_LENGTH = 35
HANDLE_LENGTH = 100
"""A key's name, and so an annotation's author and an event's actor."""
MENTION_LENGTH = 500
"""The words that name a claim's source, or the source relaying it."""


def column_size(column: ColumnElement[Any]) -> int:
    """The length of a String column, where its size is written down once."""
    length: int = column.type.length  # type: ignore[attr-defined]
    return length


def _version() -> Column[int]:
    return Column("version", Integer, nullable=False, default=1)


def _checks(version: Column[int]) -> dict[str, Any]:
    """Mapper arguments for a row with a version: every UPDATE and DELETE names the
    version it read (0 rows: StaleDataError), and app.db.versioned_update sets the
    next one, so that the stored JSON can carry it (a compare-and-swap)."""
    return {"version_id_col": version, "version_id_generator": False}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on both databases.

    SQLite has no time zones and hands back naive values; they were stored as
    UTC, so they are read back as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use a timezone-aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EnumText(TypeDecorator[Any]):
    """A StrEnum stored as its string (no native ENUM type), read back as the enum."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[StrEnum], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Any) -> StrEnum | None:
        return None if value is None else self.enum(value)


class ClaimStatus(StrEnum):
    """Workflow and verdict in one field."""

    unverified = "unverified"
    in_progress = "in_progress"
    verified = "verified"
    misleading = "misleading"
    false = "false"
    unproven = "unproven"
    not_checkable = "not_checkable"


VERDICTS = (ClaimStatus.verified, ClaimStatus.unproven, ClaimStatus.misleading, ClaimStatus.false)
"""The final statuses: a verdict, which a ClaimReview publishes (`not_checkable` is none)."""
_VERDICT_LIST = ", ".join(f"'{status}'" for status in VERDICTS)
HAS_VERDICT = {
    "postgresql": sql_text(f"status IN ({_VERDICT_LIST})"),
    # The unary + keeps SQLite's planner off ix_claim_status_id, which it prefers
    # without statistics (then sorts every verdict for one page).
    "sqlite": sql_text(f"+status IN ({_VERDICT_LIST})"),
}
"""The claims with a verdict, in each database's SQL. The partial index of the
ClaimReview feed holds these claims alone, and a query uses it only when it says
the same, word for word: give this clause to both."""


class AttributionMethod(StrEnum):
    rule = "rule"
    manual = "manual"


def _created_at() -> Any:
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))


_source_version = _version()


class Source(SQLModel, table=True):
    __tablename__ = "source"
    __mapper_args__ = _checks(_source_version)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    kind: SourceKind = Field(
        sa_column=Column(EnumText(SourceKind, 20), nullable=False, default=SourceKind.unknown)
    )
    description: str | None = Field(default=None, sa_column=Column(String(DESCRIPTION_LENGTH)))
    affiliation_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("source.id", ondelete="SET NULL"), index=True),
    )
    same_as: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False, server_default="[]"),
    )
    """Web addresses of the same person or body elsewhere (a Wikidata entity, an
    official site), in the order given: ClaimReview's `sameAs` of a claim's author."""
    version: int = Field(default=1, sa_column=_source_version)
    created_at: datetime = _created_at()
    updated_at: datetime = _created_at()


class SourceName(SQLModel, table=True):
    """Every name a source answers to: its canonical name and its aliases.

    ``key`` is the normalized name and is unique across all sources, so a
    name or an alias belongs to one source only.
    """

    __tablename__ = "source_name"
    __table_args__ = (UniqueConstraint("key"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("source.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    name: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    key: str = Field(sa_column=Column(String(NAME_LENGTH), nullable=False))
    is_primary: bool = Field(default=False)


class Article(SQLModel, table=True):
    __tablename__ = "article"
    __table_args__ = (UniqueConstraint("content_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    title: str | None = Field(default=None, sa_column=Column(String(TITLE_LENGTH)))
    url: str | None = Field(default=None, sa_column=Column(String(URL_LENGTH)))
    publisher: str | None = Field(default=None, sa_column=Column(String(NAME_LENGTH)))
    published_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    language: str | None = Field(default=None, sa_column=Column(String(LANGUAGE_LENGTH)))
    content_hash: str = Field(sa_column=Column(String(64), nullable=False))
    extractor_version: str = Field(sa_column=Column(String(40), nullable=False))
    created_at: datetime = _created_at()


class Sentence(SQLModel, table=True):
    __tablename__ = "sentence"

    article_id: int = Field(
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    )
    index: int = Field(sa_column=Column(Integer, primary_key=True))
    start: int
    end: int


_claim_version = _version()


class Claim(SQLModel, table=True):
    __tablename__ = "claim"
    __mapper_args__ = _checks(_claim_version)
    __table_args__ = (
        Index("ix_claim_article_text_order", "article_id", "start", "id"),
        Index("ix_claim_source_id_id", "source_id", "id"),
        Index("ix_claim_source_status_id", "source_id", "status", "id"),
        Index("ix_claim_status_id", "status", "id"),
        Index("ix_claim_attribution_type_id", "attribution_type", "id"),
        Index("ix_claim_cue_kind_id", "cue_kind", "id"),
        Index("ix_claim_via_source_id_id", "via_source_id", "id"),
        Index("ix_claim_updated_at_id", "updated_at", "id"),
        Index("ix_claim_match_group_id", "match_group", "id"),
        # The ClaimReview feed: the claims with a verdict, in the order they changed.
        Index(
            "ix_claim_verdict_updated_at_id",
            "updated_at",
            "id",
            sqlite_where=HAS_VERDICT["sqlite"],
            postgresql_where=HAS_VERDICT["postgresql"],
        ),
        Index("ix_claim_published_at_id", "published_at", "id"),
        Index("ix_claim_confidence_id", "confidence", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), nullable=False)
    )
    sentence_index: int
    start: int
    end: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    source_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("source.id", ondelete="SET NULL")),
    )
    attribution_type: AttributionType = Field(
        sa_column=Column(EnumText(AttributionType, 20), nullable=False)
    )
    attribution_method: AttributionMethod = Field(
        default=AttributionMethod.rule,
        sa_column=Column(EnumText(AttributionMethod, 10), nullable=False),
    )
    confidence: float = Field(sa_column=Column(Float, nullable=False))
    mention: str | None = Field(default=None, sa_column=Column(String(MENTION_LENGTH)))
    mention_start: int | None = None
    mention_end: int | None = None
    cue: str | None = Field(default=None, sa_column=Column(String(100)))
    cue_start: int | None = None
    cue_end: int | None = None
    cue_kind: CueKind | None = Field(default=None, sa_column=Column(EnumText(CueKind, 10)))
    via_source_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("source.id", ondelete="SET NULL")),
    )
    """The source relaying the claim's source ("TASS reported that Peskov said")."""
    via_mention: str | None = Field(default=None, sa_column=Column(String(MENTION_LENGTH)))
    via_mention_start: int | None = None
    via_mention_end: int | None = None
    status: ClaimStatus = Field(
        default=ClaimStatus.unverified,
        sa_column=Column(EnumText(ClaimStatus, 20), nullable=False),
    )
    match_group: int | None = None
    """The claims a person confirmed are the same claim share it: the least id among them."""
    first_claim_id: int | None = None
    first_article_id: int | None = None
    """The group's first appearance: the earliest article by published_at, then ingest."""
    suggested_status: ClaimStatus | None = Field(
        default=None, sa_column=Column(EnumText(ClaimStatus, 20))
    )
    suggested_from: int | None = None
    """A verdict a matching claim has, offered until a person sets this claim's status."""
    version: int = Field(default=1, sa_column=_claim_version)
    created_at: datetime = _created_at()
    updated_at: datetime = _created_at()
    published_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime, nullable=False)
    )
    """Its article's `published_at`, or when the article gives none the time it was
    ingested: what the claim listings sort and filter by date (articles never change).
    Set on insert (ClaimStore.add_extracted, or from the article by the mapper's hook)."""
    document: str = Field(default="", sa_column=Column(Text, nullable=False))
    """The claim's whole JSON, ready to serve (app.claims.document): written with
    every claim the mapper flushes (below) and by ClaimStore.add_extracted."""


class ClaimBand(SQLModel, table=True):
    """The claim's MinHash band keys (app.matching): claims that share one are compared."""

    __tablename__ = "claim_band"

    __table_args__ = ({"sqlite_with_rowid": False},)

    key: int = Field(sa_column=Column(BigInteger, primary_key=True))
    speaker: int = Field(sa_column=Column(Integer, primary_key=True))
    """The claim's source id, 0 for the article's own statement: ingest compares a new
    claim only with the same speaker's, and the key (key, speaker, claim_id) finds them
    without reading the other speakers' claims under a key. Kept in step by the mapper
    (app.claims.hooks)."""
    claim_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class MatchState(StrEnum):
    suggested = "suggested"
    """Found by the matcher; no person has looked at it."""
    confirmed = "confirmed"
    """A person says both are the same claim: they join one match group."""
    rejected = "rejected"
    """A person says they are not."""


_match_version = _version()


class ClaimMatch(SQLModel, table=True):
    """Two claims that may be the same claim: the later one (``claim_id``) and the
    stored one it was found like (``other_id``)."""

    __tablename__ = "claim_match"
    __mapper_args__ = _checks(_match_version)
    __table_args__ = (
        UniqueConstraint("claim_id", "other_id"),
        Index("ix_claim_match_other_id", "other_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(
        sa_column=Column(Integer, ForeignKey("claim.id", ondelete="CASCADE"), nullable=False)
    )
    other_id: int = Field(
        sa_column=Column(Integer, ForeignKey("claim.id", ondelete="CASCADE"), nullable=False)
    )
    score: float = Field(sa_column=Column(Float, nullable=False))
    reason: MatchReason = Field(sa_column=Column(EnumText(MatchReason, 20), nullable=False))
    state: MatchState = Field(
        default=MatchState.suggested,
        sa_column=Column(EnumText(MatchState, 20), nullable=False),
    )
    version: int = Field(default=1, sa_column=_match_version)
    created_at: datetime = _created_at()
    updated_at: datetime = _created_at()


class Role(StrEnum):
    """What a key may do; each role includes the ones before it."""

    reader = "reader"
    editor = "editor"
    admin = "admin"

    def allows(self, needed: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(needed)


class ApiKey(SQLModel, table=True):
    """An API key. The secret is never stored: only its SHA-256.

    The key a client holds is ``cdk_<public_id>_<secret>``; the public id finds
    the row, the secret's hash is compared in constant time.
    """

    __tablename__ = "api_key"
    __table_args__ = (UniqueConstraint("public_id"), UniqueConstraint("name"))

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(sa_column=Column(String(16), nullable=False))
    name: str = Field(sa_column=Column(String(HANDLE_LENGTH), nullable=False))
    role: Role = Field(sa_column=Column(EnumText(Role, 10), nullable=False))
    secret_hash: str = Field(sa_column=Column(String(64), nullable=False))
    created_at: datetime = _created_at()
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class ChangeType(StrEnum):
    """What a change in the feed did, to which kind of resource."""

    claim_created = "claim.created"
    claim_status_changed = "claim.status_changed"
    claim_attributed = "claim.attributed"
    claim_updated = "claim.updated"
    claim_deleted = "claim.deleted"
    annotation_created = "annotation.created"
    annotation_updated = "annotation.updated"
    annotation_deleted = "annotation.deleted"
    source_created = "source.created"
    source_updated = "source.updated"
    article_created = "article.created"
    match_created = "match.created"
    match_updated = "match.updated"
    match_deleted = "match.deleted"

    @property
    def resource(self) -> str:
        return self.value.partition(".")[0]


class EventKind(StrEnum):
    """A change as a claim's audit trail names it (`GET /v1/claims/{id}/events`)."""

    created = "created"
    status_changed = "status_changed"
    attributed = "attributed"
    annotated = "annotated"
    annotation_edited = "annotation_edited"
    annotation_deleted = "annotation_deleted"
    reextracted = "reextracted"
    grouped = "grouped"
    match_found = "match_found"
    match_confirmed = "match_confirmed"
    match_rejected = "match_rejected"
    match_removed = "match_removed"
    deleted = "deleted"


class Change(SQLModel, table=True):
    """The changes feed (app.changes), which is also every claim's audit trail: who
    changed what, when, from what to what. Never updated, never deleted; it names
    resources by id without foreign keys, so a tombstone outlives its resource."""

    __tablename__ = "change"
    __table_args__ = (
        Index("ix_change_claim_id_id", "claim_id", "id"),
        Index("ix_change_peer_claim_id_id", "peer_claim_id", "id"),
        Index("ix_change_resource_resource_id_id", "resource", "resource_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    type: ChangeType = Field(sa_column=Column(EnumText(ChangeType, 40), nullable=False))
    resource: str = Field(sa_column=Column(String(20), nullable=False))
    resource_id: int = Field(sa_column=Column(Integer, nullable=False))
    version: int | None = Field(default=None, sa_column=Column(Integer))
    """The resource's version after the change; none for a tombstone."""
    claim_id: int | None = Field(default=None, sa_column=Column(Integer))
    """The claim whose audit trail shows the change: the claim changed, the one
    annotated, or the later claim of a match."""
    peer_claim_id: int | None = Field(default=None, sa_column=Column(Integer))
    """A match's other claim, whose trail shows it too."""
    actor: str = Field(sa_column=Column(String(HANDLE_LENGTH), nullable=False))
    at: datetime = _created_at()
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    note: str | None = Field(default=None, sa_column=Column(Text))


class Motivation(StrEnum):
    """Why an annotation was made, from the W3C Web Annotation vocabulary."""

    commenting = "commenting"
    assessing = "assessing"
    linking = "linking"
    tagging = "tagging"
    questioning = "questioning"


_annotation_version = _version()


class Annotation(SQLModel, table=True):
    __tablename__ = "annotation"
    __mapper_args__ = _checks(_annotation_version)
    __table_args__ = (
        Index("ix_annotation_claim_id_id", "claim_id", "id"),
        Index("ix_annotation_author_id", "author", "id"),
        Index("ix_annotation_motivation_id", "motivation", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(
        sa_column=Column(Integer, ForeignKey("claim.id", ondelete="CASCADE"), nullable=False)
    )
    author: str = Field(sa_column=Column(String(HANDLE_LENGTH), nullable=False))
    motivation: Motivation = Field(sa_column=Column(EnumText(Motivation, 20), nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    evidence_url: str | None = Field(default=None, sa_column=Column(String(URL_LENGTH)))
    quote: str | None = Field(default=None, sa_column=Column(Text))
    version: int = Field(default=1, sa_column=_annotation_version)
    created_at: datetime = _created_at()
    updated_at: datetime = _created_at()


class DeliveryState(StrEnum):
    pending = "pending"
    """Not yet delivered: waiting for its next attempt, or for an earlier delivery of
    the same resource to the same webhook."""
    delivered = "delivered"
    failed = "failed"
    """Retried for the whole schedule without a 2xx."""


_webhook_version = _version()


class Webhook(SQLModel, table=True):
    """Where to push the feed's changes (app.webhooks): a target, the changes it wants,
    and how far the feed has been queued for it."""

    __tablename__ = "webhook"
    __mapper_args__ = _checks(_webhook_version)

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_column=Column(String(URL_LENGTH), nullable=False))
    description: str | None = Field(default=None, sa_column=Column(String(DESCRIPTION_LENGTH)))
    types: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    """The change types it wants; empty: all of them."""
    source_id: int | None = Field(default=None, sa_column=Column(Integer))
    """Only the changes about this source's claims (and the source itself)."""
    status: ClaimStatus | None = Field(default=None, sa_column=Column(EnumText(ClaimStatus, 20)))
    """Only the changes about claims with this status once changed."""
    enabled: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    disabled_reason: str | None = Field(default=None, sa_column=Column(Text))
    secret: str = Field(sa_column=Column(String(100), nullable=False))
    """The signing key (whsec_...): kept, since every delivery is signed with it."""
    queued_through: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    """The last change of the feed already queued for it (or found not wanted)."""
    last_success_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_by: str = Field(sa_column=Column(String(HANDLE_LENGTH), nullable=False))
    version: int = Field(default=1, sa_column=_webhook_version)
    created_at: datetime = _created_at()
    updated_at: datetime = _created_at()


class Delivery(SQLModel, table=True):
    """One change to deliver to one webhook, and where its attempts stand."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_webhook_id_id", "webhook_id", "id"),
        Index(
            "ix_webhook_delivery_pending_resource", "webhook_id", "resource", "resource_id", "id",
            sqlite_where=sql_text("state = 'pending'"),
            postgresql_where=sql_text("state = 'pending'"),
        ),
        Index(
            "ix_webhook_delivery_due", "next_attempt_at", "id",
            sqlite_where=sql_text("state = 'pending'"),
            postgresql_where=sql_text("state = 'pending'"),
        ),
    )  # fmt: skip

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = Field(
        sa_column=Column(Integer, ForeignKey("webhook.id", ondelete="CASCADE"), nullable=False)
    )
    change_id: int = Field(sa_column=Column(Integer, nullable=False))
    resource: str = Field(sa_column=Column(String(20), nullable=False))
    resource_id: int = Field(sa_column=Column(Integer, nullable=False))
    state: DeliveryState = Field(
        default=DeliveryState.pending,
        sa_column=Column(EnumText(DeliveryState, 20), nullable=False),
    )
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    retrying_since: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    """When the current schedule began: its first attempt, or a redelivery."""
    leased_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    lease: str | None = Field(default=None, sa_column=Column(String(32)))
    """The token of the worker holding it; its result counts only while it matches."""
    last_status_code: int | None = Field(default=None, sa_column=Column(Integer))
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    delivered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_at: datetime = _created_at()


class DeliveryAttempt(SQLModel, table=True):
    """One POST to a webhook's target: the delivery log."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (UniqueConstraint("delivery_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("webhook_delivery.id", ondelete="CASCADE"), nullable=False
        )
    )
    number: int = Field(sa_column=Column(Integer, nullable=False))
    """1 for the first attempt; a second row of one number would be an attempt made twice."""
    at: datetime = _created_at()
    status_code: int | None = Field(default=None, sa_column=Column(Integer))
    latency_ms: float = Field(sa_column=Column(Float, nullable=False))
    error: str | None = Field(default=None, sa_column=Column(Text))
    worker: str = Field(sa_column=Column(String(HANDLE_LENGTH), nullable=False))


class RateLimitWindow(SQLModel, table=True):
    """Requests counted in one client's current rate-limit window (app.ratelimit).

    Only PostgreSQL uses it, so that every API process counts against the same
    budget; the migration makes it UNLOGGED there, as the counts are worth no WAL.
    """

    __tablename__ = "rate_limit_window"

    key: str = Field(sa_column=Column(Text, primary_key=True))
    hits: int = Field(sa_column=Column(Integer, nullable=False))
    resets_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


SEARCH_INDEX = {
    "table": {"claim_fts", "article_fts"},
    "column": {"search_vector"},
    "index": {"ix_claim_search_vector", "ix_article_search_vector"},
}
"""What the full-text search migration builds beside the tables above, for one database
only: SQLite's FTS5 tables (and their shadow tables, named after them), PostgreSQL's
tsvector columns and their GIN indexes. Kept up to date by the databases themselves."""


def in_the_models(name: str | None, type_: str, parents: dict[str, Any]) -> bool:
    """Whether a schema object belongs to the models (Alembic's `include_name`): not the
    search index's tables, columns and indexes."""
    if name is None:
        return True
    if type_ == "table":
        return not any(name == t or name.startswith(f"{t}_") for t in SEARCH_INDEX["table"])
    return name not in SEARCH_INDEX.get(type_, set())


# The stored claim JSON (app.claims.document) is written with every claim and
# source the mapper flushes, so no writer has to remember it.
@event.listens_for(Claim, "before_insert")
def _date_inserted_claim(_mapper: Mapper[Any], connection: Any, claim: Claim) -> None:
    if claim.published_at is None:
        from app.claims import hooks

        claim.published_at = hooks.article_date(connection, claim.article_id)


@event.listens_for(Claim, "after_insert")
def _write_inserted_claim_json(_mapper: Mapper[Any], connection: Any, claim: Claim) -> None:
    from app.claims import hooks  # the claim's JSON needs its id, which it has now

    hooks.claim_inserted(connection, claim)


@event.listens_for(Claim, "before_update")
def _write_claim_json(_mapper: Mapper[Any], connection: Any, claim: Claim) -> None:
    from app.claims import hooks

    hooks.claim_changing(connection, claim)


@event.listens_for(Source, "before_update")
def _note_source_change(_mapper: Mapper[Any], _connection: Any, source: Source) -> None:
    from app.claims import hooks

    hooks.source_changing(source)


@event.listens_for(Source, "after_update")
def _write_source_claims_json(_mapper: Mapper[Any], connection: Any, source: Source) -> None:
    from app.claims import hooks

    hooks.source_changed(connection, source)

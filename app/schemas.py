"""The API's request and response shapes.

Plain pydantic models, not SQLModel tables: responses are validated and
serialized by pydantic-core alone, which is what keeps list pages fast.

Names: a request body ends in `In` (`Patch` when it changes only the fields
given), an answer in `Out`, a page of answers in `Page`; `Problem` and
`FieldProblem` are the error body of RFC 9457.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    UrlConstraints,
    model_validator,
)

from app import search
from app.extraction.types import AttributionType, CueKind, SourceKind
from app.matching import MatchReason
from app.models import (
    DESCRIPTION_LENGTH,
    HANDLE_LENGTH,
    LANGUAGE_LENGTH,
    NAME_LENGTH,
    SAME_AS_COUNT,
    TITLE_LENGTH,
    URL_LENGTH,
    AttributionMethod,
    ChangeType,
    ClaimStatus,
    DeliveryState,
    EventKind,
    MatchState,
    Motivation,
    Role,
)
from app.pagination import MAX_ID
from app.webhooks.targets import check_target_url


def _storable(value: str) -> str:
    # Both databases store Unicode text: no NUL, no lone surrogate halves.
    if "\x00" in value:
        raise ValueError("NUL (U+0000) characters cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("lone surrogate code points are not text") from None
    return value


StorableText = Annotated[
    str, AfterValidator(_storable), Field(json_schema_extra={"pattern": "^[^\\u0000]*$"})
]
"""A string any of the databases can store as it is."""

# What shows nothing by itself: controls, spaces, line breaks, and the format
# characters and fillers Unicode calls default-ignorable (those of the BMP, so
# that the JSON Schema pattern below means the same in ECMA-262 and Python).
_INVISIBLE = (
    "\\u0000-\\u0020\\u007f-\\u00a0\\u00ad\\u034f\\u061c\\u115f\\u1160\\u1680"
    "\\u17b4\\u17b5\\u180b-\\u180f\\u2000-\\u200f\\u2028-\\u202f\\u205f-\\u206f"
    "\\u3000\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0\\ufff0-\\ufff8"
)
_VISIBLE = re.compile(f"[^{_INVISIBLE}]")


def _visible(value: str) -> str:
    if not _VISIBLE.search(value):
        raise ValueError("no visible character: only spaces, line breaks, controls or the like")
    return value


VisibleText = Annotated[
    StorableText,
    AfterValidator(_visible),
    Field(json_schema_extra={"pattern": f"^[^\\u0000]*[^{_INVISIBLE}][^\\u0000]*$"}),
]
"""Storable text with a character that shows: not only spaces, line breaks, control or
format characters."""

NO_VISIBLE_TEXT = (
    "A text with no visible character (only spaces, line breaks, control or format "
    "characters such as U+200B) is refused with 422."
)


def _omittable(**constraints: Any) -> Any:
    """A field a PATCH may leave out (the value stays) but not set to null."""
    return Field(default_factory=lambda: None, **constraints)


def _iso_8601(value: Any) -> Any:
    # pydantic would also read numbers as Unix times; the spec says date-time.
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("not an ISO 8601 date-time, such as 2021-12-07T18:00:00Z") from None
    else:
        raise ValueError("a date-time must be an ISO 8601 string")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # a time without an offset is UTC
    try:
        # Stored as UTC: a time whose UTC falls outside years 1-9999 cannot be.
        parsed.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range once converted to UTC") from None
    return parsed


def _integral(value: Any) -> Any:
    # JSON Schema's integer is any number without a fraction: 1019.0 is 1019.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


RowId = Annotated[int, Field(ge=1, le=MAX_ID, strict=True), BeforeValidator(_integral)]
"""A row's id in a body: a JSON integer (1019.0 too), never a string, a boolean or 1.5."""

Timestamp = Annotated[datetime, BeforeValidator(_iso_8601)]
"""An ISO 8601 date-time; without an offset it is read as UTC (always aware)."""


def _searchable(value: str) -> str:
    search.parse(value)  # NothingToSearch is a ValueError: a 422 that says why
    return value


SearchText = Annotated[
    StorableText, Field(min_length=1, max_length=NAME_LENGTH), AfterValidator(_searchable)
]
"""A full-text search in web-search syntax (app.search) with something to find."""

SEARCH_SYNTAX = (
    "Full-text search, ranked by relevance, in web-search syntax (PostgreSQL's "
    '`websearch_to_tsquery`): words (each must occur), `"an exact phrase"`, `-word` or '
    '`-"a phrase"` to exclude, `OR` between alternatives (binding looser than the words '
    "around it: `sanctions russia OR iran` is sanctions and russia, or iran). Any case, "
    "accents folded (`Peskov` finds `Peskóv`), English stems (`sanctions` finds `sanction`); "
    "whole words only. Common English words (`the`, `of`) are not searched for; a query "
    "with nothing else to find (only such words, punctuation or exclusions) is 422."
)
CLAIM_SEARCH_DESCRIPTION = (
    SEARCH_SYNTAX + " Searches the claims' text; each hit carries `highlights`, where it "
    "matched. Sorted by `relevance` unless `sort` says otherwise."
)
ARTICLE_SEARCH_DESCRIPTION = (
    SEARCH_SYNTAX + " Searches each article's title (which weighs more) and its first 100,000 "
    "characters; the hits come best first."
)
LANGUAGE_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"

# Leaves room under the columns for normalization ("/" added).
WebUrl = Annotated[AnyHttpUrl, UrlConstraints(max_length=URL_LENGTH - 48)]


def _distinct(urls: list[AnyHttpUrl]) -> list[AnyHttpUrl]:
    # The same address twice, however it was written ("HTTPS://Example.org"), once.
    return list({str(url): url for url in urls}.values())


SameAs = Annotated[
    list[WebUrl],
    Field(
        max_length=SAME_AS_COUNT,
        description="Web addresses of the same person or body elsewhere: a Wikidata entity, "
        f"an official site. Absolute http(s) URLs, at most {SAME_AS_COUNT}; kept in the order "
        "given, each once, as normalized (`https://tass.com` is `https://tass.com/`). "
        "ClaimReview names them as the `sameAs` of a claim's author.",
        examples=[["https://en.wikipedia.org/wiki/TASS", "https://tass.com/"]],
    ),
    AfterValidator(_distinct),
]

OFFSETS = (
    "Offsets are Python string indices (Unicode code points) into the article text, "
    "end exclusive, as the W3C TextPositionSelector counts them."
)


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


class FieldProblem(BaseModel):
    field: str = Field(description="Where the problem is: `body.text`, `query.limit`.")
    message: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem detail, the body of every 4xx and 5xx answer."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "https://claimdesk.dev/problems/not-found",
                    "title": "Not Found",
                    "status": 404,
                    "detail": "Claim 17 does not exist.",
                }
            ]
        }
    )

    type: str = Field(description="A URI that names the kind of problem.")
    title: str = Field(description="The HTTP status phrase.")
    status: int = Field(description="The HTTP status code.")
    detail: str | None = Field(default=None, description="What went wrong, for a person.")
    errors: list[FieldProblem] | None = Field(
        default=None, description="For validation errors: one entry per offending field."
    )
    current_version: int | None = Field(
        default=None, description="For 412: the version the resource is at now (also its ETag)."
    )
    violated_policies: list[str] | None = Field(
        default=None,
        alias="violated-policies",
        description="For 429: the quota policy the request went past (`key` or `address`), "
        "named as in RateLimit-Policy.",
    )


class SourceRefOut(BaseModel):
    """A source, as a claim names it."""

    id: int
    name: str = Field(examples=["Dmitry Peskov"])
    kind: SourceKind


class ViaOut(SourceRefOut):
    """The source that relays a claim's source, as a claim names it, and where the
    text names it."""

    name: str = Field(examples=["TASS"])
    mention: str | None = Field(default=None, examples=["the state-run TASS news agency"])
    mention_start: int | None = None
    mention_end: int | None = None


VIA_DESCRIPTION = (
    "The outlet or speaker that relays the claim's source: 'TASS reported that Peskov "
    "said …' has Peskov as source and TASS as via. Null for the article's own statements, "
    "for claims without a relay, and for claims stored before the field existed."
)


class _Attribution(BaseModel):
    # What a stored claim's attribution and a preview's share; they differ in `via`.
    type: AttributionType
    method: AttributionMethod = Field(description="`rule`: the extractor; `manual`: a person.")
    confidence: float = Field(ge=0, le=1, description="Sort ascending to review doubtful ones.")
    mention: str | None = Field(default=None, examples=["he"])
    mention_start: int | None = None
    mention_end: int | None = None
    cue: str | None = Field(default=None, examples=["said"])
    cue_start: int | None = None
    cue_end: int | None = None
    cue_kind: CueKind | None = Field(
        default=None,
        description="What tied the claim to its source: `speech` (said, denied, urged), "
        "`thought` (believes, hopes) or `evidence` (what a study or filing shows); null for "
        "the article's own statements, and for claims stored before the field existed.",
    )


class AttributionOut(_Attribution):
    """Who made the claim, as the text says it, and how sure the extractor is."""

    via: ViaOut | None = Field(default=None, description=VIA_DESCRIPTION)


class FirstAppearanceOut(BaseModel):
    claim_id: int
    article_id: int


class SuggestedStatusOut(BaseModel):
    status: ClaimStatus
    claim_id: int = Field(description="The claim whose verdict it is.")


class ClaimOut(BaseModel):
    """One claim. `text == article.text[start:end]` always holds."""

    model_config = ConfigDict(
        json_schema_extra={
            "description": "One claim. " + OFFSETS,
            "examples": [
                {
                    "id": 17,
                    "article_id": 3,
                    "sentence_index": 15,
                    "text": "Russia has never planned to attack anyone",
                    "start": 2346,
                    "end": 2387,
                    "source": {"id": 5, "name": "Dmitry Peskov", "kind": "person"},
                    "attribution": {
                        "type": "direct_quote",
                        "method": "rule",
                        "confidence": 0.9,
                        "mention": "he",
                        "mention_start": 2390,
                        "mention_end": 2392,
                        "cue": "said",
                        "cue_start": 2393,
                        "cue_end": 2397,
                        "cue_kind": "speech",
                        "via": None,
                    },
                    "status": "unverified",
                    "version": 1,
                    "created_at": "2026-11-28T12:00:00Z",
                    "updated_at": "2026-11-28T12:00:00Z",
                }
            ],
        }
    )

    id: int
    article_id: int
    sentence_index: int
    text: str
    start: int = Field(description="First code point of the claim in the article text.")
    end: int = Field(description="One past the last code point (exclusive).")
    source: SourceRefOut | None = Field(description="Null for the article's own statements.")
    attribution: AttributionOut
    status: ClaimStatus
    version: int = Field(description="Bumped by every change; the ETag carries it.")
    created_at: datetime
    updated_at: datetime
    match_group: int | None = Field(
        default=None,
        description="The claims a person confirmed to be the same claim share it (the least "
        "claim id among them); null for a claim in no confirmed group. List a group with "
        "`GET /v1/claims?match_group=`.",
    )
    first_appearance: FirstAppearanceOut | None = Field(
        default=None,
        description="Where the claim's confirmed group first appeared: the earliest article "
        "by `published_at`, then by ingest. Null outside a group.",
    )
    suggested_status: SuggestedStatusOut | None = Field(
        default=None,
        description="The verdict of a claim this one matched when it was ingested, offered "
        "to a fact-checker; nothing changes `status` without a person (accept it with the "
        "usual `PATCH`). Null once a person sets the status.",
    )


NextCursor = Annotated[
    str | None,
    Field(description="Pass as `cursor` to get the next page; null on the last page. Opaque."),
]


class ClaimPage(BaseModel):
    items: list[ClaimOut]
    next_cursor: NextCursor


class HighlightOut(BaseModel):
    """Words of the claim that a search matched, as offsets in the article text."""

    start: int
    end: int


class ClaimHitOut(ClaimOut):
    """A claim of the claim listing: with `q`, a search hit, which says where it matched."""

    highlights: list[HighlightOut] | None = Field(
        default=None,
        description="Present on the hits of a search (`q`), absent otherwise: where the claim "
        "matched, as the database's full-text index matched it (stemmed, accents folded), in "
        "text order. Words matched one after another (with only spaces and common words such as "
        "`of` between) are one span. " + OFFSETS + " Empty "
        "when the claim's text holds U+FDD0 or U+FDD1 (noncharacters, which mark the hits).",
    )


class ClaimListPage(BaseModel):
    items: list[ClaimHitOut]
    next_cursor: NextCursor


class SentenceOut(BaseModel):
    index: int
    start: int
    end: int


class ArticleIn(BaseModel):
    """An article to ingest. The text is stored verbatim."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "“Russia has never planned to attack anyone,” Kremlin spokesman "
                    "Dmitry Peskov said.",
                    "title": "Putin and Biden hold virtual summit",
                    "url": "https://example.org/news/putin-biden-summit",
                    "publisher": "Example News",
                    "published_at": "2021-12-07T18:00:00Z",
                    "language": "en",
                }
            ]
        },
    )

    text: VisibleText = Field(
        min_length=1,
        description="The article's text, UTF-8, kept byte for byte. " + NO_VISIBLE_TEXT,
    )
    title: StorableText | None = Field(default=None, max_length=TITLE_LENGTH)
    url: WebUrl | None = Field(default=None, description="Where the article was published.")
    publisher: StorableText | None = Field(default=None, max_length=NAME_LENGTH)
    published_at: Timestamp | None = Field(
        default=None, description="With a time zone; a naive time is read as UTC."
    )
    language: str | None = Field(
        default=None,
        max_length=LANGUAGE_LENGTH,
        pattern=LANGUAGE_PATTERN,
        description="BCP 47 tag.",
        examples=["en"],
    )


class ArticleSummaryOut(BaseModel):
    id: int
    title: str | None
    url: str | None
    publisher: str | None
    published_at: datetime | None
    language: str | None
    content_hash: str = Field(description="SHA-256 of the UTF-8 text; one article per text.")
    extractor_version: str
    created_at: datetime


class ArticleOut(ArticleSummaryOut):
    text: str
    sentences: list[SentenceOut] = Field(description="In text order. " + OFFSETS)


class ArticleIngestedOut(ArticleOut):
    claims: list[ClaimOut] = Field(description="Every claim of the article, in text order.")


class ArticlePage(BaseModel):
    items: list[ArticleSummaryOut]
    next_cursor: NextCursor


class SourceOut(BaseModel):
    id: int
    name: str = Field(examples=["Dmitry Peskov"])
    kind: SourceKind
    description: str | None = Field(default=None, examples=["Kremlin spokesman"])
    affiliation: SourceRefOut | None = None
    aliases: list[str] = Field(examples=[["Peskov"]])
    same_as: list[str] = Field(
        description="Web addresses of the same person or body elsewhere (a Wikidata entity, "
        "an official site); ClaimReview's `sameAs` of the claims' author.",
        examples=[["https://en.wikipedia.org/wiki/Dmitry_Peskov"]],
    )
    claim_count: int
    version: int
    created_at: datetime
    updated_at: datetime


class SourcePage(BaseModel):
    items: list[SourceOut]
    next_cursor: NextCursor


class ExtractIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: VisibleText = Field(
        min_length=1,
        description="The text to extract from. " + NO_VISIBLE_TEXT,
        examples=["“Russia has never planned to attack anyone,” he said."],
    )


class SourceGuessOut(BaseModel):
    name: str = Field(examples=["TASS"])
    kind: SourceKind
    description: str | None = Field(default=None, examples=["Russian state-run news agency"])


class ViaGuessOut(SourceGuessOut):
    """The source that would be stored as relaying the claim's source, and where the text
    names it."""

    mention: str | None = Field(default=None, examples=["the state-run TASS news agency"])
    mention_start: int | None = None
    mention_end: int | None = None


class ExtractedAttributionOut(_Attribution):
    """The attribution that would be stored; its relay not yet a source of the registry."""

    via: ViaGuessOut | None = Field(default=None, description=VIA_DESCRIPTION)


class ExtractedClaimOut(BaseModel):
    sentence_index: int
    text: str
    start: int
    end: int
    source: SourceGuessOut | None
    attribution: ExtractedAttributionOut


class ExtractOut(BaseModel):
    """What ingesting the text would store, without storing it."""

    extractor_version: str
    sentences: list[SentenceOut]
    claims: list[ExtractedClaimOut]


class HealthOut(BaseModel):
    status: str = Field(examples=["ok"])
    database: str = Field(examples=["ok"])


NOTE_LENGTH = 2000
"""A note or reason kept in an event (a text column: the limit is the API's)."""


class StatusChangeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"status": "in_progress", "note": "Checking the readout."}]
        },
    )

    status: ClaimStatus
    note: StorableText | None = Field(
        default=None, max_length=NOTE_LENGTH, description="Kept in the event."
    )


class MatchOut(BaseModel):
    """Two claims that may be the same: a score, why, and what a person said of it."""

    id: int
    claim_id: int = Field(description="The claim whose matches these are.")
    other: ClaimOut = Field(description="The claim it matches.")
    score: float = Field(ge=0, le=1)
    reason: MatchReason = Field(
        description="`exact`: the same words; `near_duplicate`: a few words differ; "
        "`paraphrase`: the same statement in other words."
    )
    state: MatchState
    version: int = Field(description="The match's ETag; send it back in If-Match.")
    created_at: datetime
    updated_at: datetime


class MatchPage(BaseModel):
    items: list[MatchOut]


class MatchStateIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"state": "confirmed", "note": "Same TASS quote."}]},
    )

    state: MatchState = Field(
        description="`confirmed` joins both claims' match groups; `rejected` keeps them "
        "apart; `suggested` takes a person's word back."
    )
    note: StorableText | None = Field(
        default=None, max_length=NOTE_LENGTH, description="Kept in both claims' events."
    )


class LookupIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "Russia never planned to attack anyone"}]},
    )

    text: VisibleText = Field(
        min_length=1, max_length=5000, description="Any text: a sentence a reader sent in."
    )
    source_id: RowId | None = Field(
        default=None, description="Only claims of this source (its speaker)."
    )
    limit: Annotated[int, Field(ge=1, le=50, strict=True), BeforeValidator(_integral)] = 10


class LookupHitOut(BaseModel):
    claim: ClaimOut = Field(description="With its status: its verdict, if it has one.")
    score: float = Field(ge=0, le=1)
    reason: MatchReason


class LookupOut(BaseModel):
    items: list[LookupHitOut] = Field(description="Best first; empty when nothing matches.")


class SourceAssignmentIn(BaseModel):
    """Name the claim's source by id or by name (and the source relaying it, by id), or
    send neither to clear it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"source_name": "Dmitry Peskov", "reason": "The quote continues his statement."},
                {"source_id": 5, "attribution_type": "direct_quote"},
                {"source_name": "Olga Varga", "via_source_id": 8, "reason": "Interfax quotes her."},
                {"reason": "The article's own statement."},
            ],
            # source_id and source_name are alternatives.
            "not": {"required": ["source_id", "source_name"]},
        },
    )

    source_id: RowId | None = Field(default=None, description="An existing source's id.")
    source_name: StorableText | None = Field(
        default=None,
        min_length=1,
        max_length=NAME_LENGTH,
        description="A name or alias; an unknown name creates the source.",
    )
    attribution_type: AttributionType | None = Field(
        default=None,
        description="How the text attributes it; by default kept (or `indirect` if it was "
        "unattributed). Clearing the source makes it `unattributed`.",
    )
    via_source_id: RowId | None = Field(
        default=None,
        description="An existing source's id: the one that relays the claim's source "
        "(`attribution.via`). Left out, the claim keeps its relay while it keeps its source, "
        "and loses it with its source; null removes it.",
    )
    reason: StorableText | None = Field(
        default=None, max_length=NOTE_LENGTH, description="Kept in the event."
    )

    @model_validator(mode="after")
    def _one_way_to_name_it(self) -> SourceAssignmentIn:
        if self.source_id is not None and self.source_name is not None:
            raise ValueError("give source_id or source_name, not both")
        named = self.source_id is not None or self.source_name is not None
        if self.attribution_type == AttributionType.unattributed and named:
            raise ValueError("an attributed claim cannot be of type unattributed")
        if self.via_source_id is not None and not named:
            raise ValueError("a relay relays a source: give source_id or source_name too")
        return self


class SourceIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "TASS",
                    "kind": "news_agency",
                    "description": "Russia's state-run news agency",
                    "aliases": ["TASS news agency"],
                    "same_as": ["https://tass.com/"],
                }
            ]
        },
    )

    name: StorableText = Field(min_length=1, max_length=NAME_LENGTH)
    kind: SourceKind = SourceKind.unknown
    description: StorableText | None = Field(default=None, max_length=DESCRIPTION_LENGTH)
    affiliation_id: RowId | None = Field(default=None, description="Another source's id.")
    aliases: list[Annotated[StorableText, Field(min_length=1, max_length=NAME_LENGTH)]] = Field(
        default_factory=list, max_length=50
    )
    same_as: SameAs = Field(default_factory=list)


class SourcePatch(BaseModel):
    """The fields to change; `aliases` and `same_as` replace the whole list."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"description": "Kremlin spokesman", "aliases": ["Peskov"]}]
        },
    )

    name: StorableText = _omittable(min_length=1, max_length=NAME_LENGTH)
    kind: SourceKind = _omittable()
    description: StorableText | None = Field(default=None, max_length=DESCRIPTION_LENGTH)
    affiliation_id: RowId | None = Field(
        default=None, description="Another source's id; null for none."
    )
    aliases: list[Annotated[StorableText, Field(min_length=1, max_length=NAME_LENGTH)]] = (
        _omittable(max_length=50)
    )
    same_as: SameAs = _omittable()


class AnnotationIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "motivation": "linking",
                    "body": "The Kremlin's transcript has the same wording.",
                    "evidence_url": "http://en.kremlin.ru/events/president/news",
                    "quote": "never planned to attack",
                }
            ]
        },
    )

    motivation: Motivation
    body: StorableText = Field(min_length=1, max_length=10_000)
    evidence_url: WebUrl | None = None
    quote: StorableText | None = Field(
        default=None, min_length=1, max_length=10_000, description="Exact text inside the claim."
    )


class AnnotationPatch(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"body": "Confirmed."}]}
    )

    motivation: Motivation = _omittable()
    body: StorableText = _omittable(min_length=1, max_length=10_000)
    evidence_url: WebUrl | None = Field(default=None, description="null removes it.")
    quote: StorableText | None = Field(
        default=None, min_length=1, max_length=10_000, description="null removes it."
    )


class AnnotationOut(BaseModel):
    id: int
    claim_id: int
    author: str = Field(description="The name of the key that wrote it.", examples=["desk-anna"])
    motivation: Motivation
    body: str
    evidence_url: str | None
    quote: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class AnnotationPage(BaseModel):
    items: list[AnnotationOut]
    next_cursor: NextCursor


class FieldChangeOut(BaseModel):
    """One field of a change: its value before and after (null where it had none)."""

    field: str = Field(examples=["status"])
    before: Any = Field(examples=["unverified"])
    after: Any = Field(examples=["false"])


FieldChanges = Annotated[
    list[FieldChangeOut],
    Field(
        description="Field by field, before → after: the fields that changed; every "
        "field the feed tracks for a creation (before null) and a deletion (after null)."
    ),
]


class EventOut(BaseModel):
    id: int = Field(description="The change's position in the changes feed.")
    claim_id: int
    kind: EventKind
    actor: str = Field(examples=["desk-anna"])
    at: datetime
    before: dict[str, Any] | None = Field(examples=[{"status": "unverified"}])
    after: dict[str, Any] | None = Field(examples=[{"status": "in_progress"}])
    note: str | None
    changes: FieldChanges
    type: ChangeType = Field(description="The change as the changes feed names it.")


class EventPage(BaseModel):
    items: list[EventOut]
    next_cursor: NextCursor


class ChangeOut(BaseModel):
    """One change in the feed: what it did to which resource, who, when, and each
    field before → after."""

    id: int = Field(description="Its position in the feed's one total order.")
    type: ChangeType
    resource: Literal["claim", "annotation", "source", "article", "match"]
    resource_id: int
    version: int | None = Field(
        description="The resource's version after the change (its ETag); null for a "
        "tombstone, and for the audit events recorded before the feed existed."
    )
    claim_id: int | None = Field(
        description="The claim it concerns: the claim itself, the claim annotated, or "
        "the later claim of a match."
    )
    actor: str = Field(examples=["desk-anna"])
    at: datetime
    changes: FieldChanges
    note: str | None


class ChangePage(BaseModel):
    items: list[ChangeOut]
    next_cursor: str = Field(
        description="Pass as `after` to read on. Never null: on the last page it is "
        "where the next sync starts, and it moves past changes a `types` filter skips."
    )
    has_more: bool = Field(description="Whether more changes follow now.")


TargetUrl = Annotated[
    str,
    Field(
        max_length=2000,
        description="Where deliveries are POSTed: an absolute http(s) URL without "
        "credentials. Private, loopback and link-local addresses are refused at delivery "
        "(after DNS resolution) unless the server allows them; redirects are not followed.",
        examples=["https://hooks.example.org/claimdesk"],
    ),
    AfterValidator(check_target_url),
]


class WebhookFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="A source's id: only changes about its claims (their annotations "
        "and matches too) and about the source itself.",
    )
    status: ClaimStatus | None = Field(
        default=None,
        description="Only changes about claims with this status once changed "
        "(`false`: a claim became false, or changed while false).",
    )


WebhookTypes = Annotated[
    list[ChangeType],
    Field(
        max_length=len(ChangeType),
        description="The change types to deliver (as the changes feed names them); "
        "empty: all of them.",
    ),
]


class WebhookIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"url": "https://hooks.example.org/claimdesk",
                 "types": ["claim.status_changed"], "filter": {"status": "false"}}
            ]
        },
    )  # fmt: skip

    url: TargetUrl
    description: StorableText | None = Field(default=None, max_length=DESCRIPTION_LENGTH)
    types: WebhookTypes = []
    filter: WebhookFilter = WebhookFilter()
    enabled: StrictBool = True


class WebhookPatch(BaseModel):
    """The fields to change; `types` and `filter` replace what was there."""

    model_config = ConfigDict(extra="forbid")

    url: TargetUrl = _omittable()
    description: StorableText | None = Field(default=None, max_length=DESCRIPTION_LENGTH)
    types: WebhookTypes = _omittable()
    filter: WebhookFilter = _omittable()
    enabled: StrictBool = _omittable(
        description="true again after it was disabled: deliveries resume."
    )


class WebhookOut(BaseModel):
    id: int
    url: str
    description: str | None
    types: list[ChangeType]
    filter: WebhookFilter
    enabled: bool
    disabled_reason: str | None = Field(
        description="Why the server disabled it (every delivery failed for the whole "
        "retry schedule); null when enabled, or disabled by a person."
    )
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime
    last_success_at: datetime | None


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(
        description="The signing secret (Standard Webhooks, `whsec_` and base64). Shown "
        "this once: keep it where the receiver verifies deliveries."
    )


class WebhookPage(BaseModel):
    items: list[WebhookOut]
    next_cursor: NextCursor


class AttemptOut(BaseModel):
    number: int
    at: datetime
    status_code: int | None = Field(description="The receiver's answer; null if none came.")
    latency_ms: float
    error: str | None = Field(
        examples=["connection refused"],
        description="Why no answer counted: refused, timed out, a forbidden address, a "
        "redirect (not followed).",
    )


class DeliveryOut(BaseModel):
    id: int = Field(description="Also the `webhook-id` of its requests.")
    webhook_id: int
    change_id: int
    resource: str
    resource_id: int
    state: DeliveryState
    attempts: list[AttemptOut]
    next_attempt_at: datetime | None = Field(description="Null once delivered or failed.")
    delivered_at: datetime | None
    created_at: datetime


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: NextCursor


class KeyIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "desk-anna", "role": "editor"}]}
    )

    name: str = Field(min_length=1, max_length=HANDLE_LENGTH, pattern=r"^[\w.@-]+$")
    role: Role


class KeyOut(BaseModel):
    id: int
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None


class KeyCreatedOut(KeyOut):
    key: str = Field(description="The secret, shown this once; only its hash is stored.")


class KeyListOut(BaseModel):
    items: list[KeyOut]


class _JsonLd(BaseModel):
    """A schema.org node: its members keep schema.org's names (camelCase, `@type`)."""

    model_config = ConfigDict(populate_by_name=True)


class OrganizationOut(_JsonLd):
    type: Literal["Organization"] = Field(default="Organization", alias="@type")
    name: str = Field(examples=["claimdesk"])
    url: str | None = None


class ClaimAuthorOut(_JsonLd):
    """Who made the claim: its source, a `Person` when the source is a person, an
    `Organization` otherwise; for a claim without a source, the publisher of the
    article it first appears in."""

    type: Literal["Person", "Organization"] = Field(alias="@type")
    name: str = Field(examples=["Dmitry Peskov"])
    jobTitle: str | None = Field(
        default=None,
        description="A person's description in the source registry.",
        examples=["Kremlin spokesman"],
    )
    description: str | None = Field(
        default=None,
        description="An organization's description in the source registry.",
        examples=["Russia's state-run news agency"],
    )
    sameAs: list[str] | None = Field(
        default=None,
        description="The source's `same_as`: the same person or body elsewhere.",
        examples=[["https://en.wikipedia.org/wiki/Dmitry_Peskov"]],
    )


class AppearanceOut(_JsonLd):
    """An article the claim appears in, as a schema.org CreativeWork."""

    type: Literal["CreativeWork"] = Field(default="CreativeWork", alias="@type")
    url: str | None = Field(default=None, examples=["https://example.org/news/summit"])
    headline: str | None = Field(default=None, examples=["Putin and Biden hold virtual summit"])
    datePublished: datetime | None = None
    publisher: OrganizationOut | None = None


class ReviewedClaimOut(_JsonLd):
    """The claim reviewed: who made it, and where it appeared."""

    type: Literal["Claim"] = Field(default="Claim", alias="@type")
    author: ClaimAuthorOut | None = None
    datePublished: date | None = Field(
        default=None, description="When the claim was first published: its first appearance's day."
    )
    appearance: list[AppearanceOut] = Field(
        description="Every article the claim appears in, the first appearance first."
    )
    firstAppearance: AppearanceOut = Field(
        description="The earliest article: by `published_at` (those without one after those "
        "with one), then by the time it was ingested."
    )


class RatingOut(_JsonLd):
    type: Literal["Rating"] = Field(default="Rating", alias="@type")
    ratingValue: int = Field(description="verified 5, unproven 3, misleading 2, false 1.")
    bestRating: int = Field(examples=[5])
    worstRating: int = Field(examples=[1])
    alternateName: str = Field(
        description="The verdict in words, what search results show.", examples=["True"]
    )
    ratingExplanation: str | None = Field(
        default=None,
        description="The note given with the verdict (`PATCH /v1/claims/{id}`), published as "
        "it was written.",
    )


class ClaimReviewOut(_JsonLd):
    """schema.org ClaimReview, as JSON-LD: a claim's verdict, as publishers embed it and
    Google's fact-check markup reads it. Members without a value are left out."""

    context: Literal["https://schema.org"] = Field(default="https://schema.org", alias="@context")
    type: Literal["ClaimReview"] = Field(default="ClaimReview", alias="@type")
    url: str | None = Field(
        default=None,
        description="The fact check's page on the publisher's site, from "
        "`CLAIMDESK_CLAIMREVIEW_URL_TEMPLATE`; left out when that is not set.",
        examples=["https://factcheck.example.org/claims/17"],
    )
    claimReviewed: str = Field(description="The claim's text.")
    datePublished: date = Field(description="The day the verdict was given.")
    dateModified: datetime = Field(
        description="When the claim last changed (its `updated_at`): the order of "
        "`GET /v1/claimreviews`, and what its `updated_since` compares."
    )
    author: OrganizationOut = Field(description="The fact-checking organization.")
    reviewRating: RatingOut
    itemReviewed: ReviewedClaimOut

    def json_ld(self) -> dict[str, Any]:
        """The document as served: schema.org's names, members without a value left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class ClaimReviewEntryOut(BaseModel):
    """One claim's place in the ClaimReview feed."""

    claim_id: int = Field(description="The claim reviewed: what a publisher keys its pages by.")
    claimreview: ClaimReviewOut = Field(
        description="Its ClaimReview, as `GET /v1/claims/{id}/claimreview` serves it."
    )


class ClaimReviewPage(BaseModel):
    items: list[ClaimReviewEntryOut]
    next_cursor: NextCursor

    def served(self) -> dict[str, Any]:
        """The page as served: each ClaimReview as JSON-LD; `next_cursor` null on the
        last page."""
        return {
            "items": [
                {"claim_id": entry.claim_id, "claimreview": entry.claimreview.json_ld()}
                for entry in self.items
            ],
            "next_cursor": self.next_cursor,
        }

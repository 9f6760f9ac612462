"""Query parameters validated as one pydantic model, in one pass.

FastAPI validates each query parameter on its own and inspects its annotation
again on every request: for the claim listing's nine parameters that was a fifth
of the request's CPU time. The claim listings instead take the `Request`,
validate `request.query_params` with their model (`QueryModel.from_request`),
and declare the same parameters in the spec with `openapi_extra`
(`QueryModel.openapi`), as FastAPI documents for routes that read the request
themselves. A bad value is the same 422 as anywhere else (`query.<name>`).
"""

from __future__ import annotations

from typing import Any, Literal, Self, get_args

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError, ValidationInfo, field_validator

from app import search
from app.claims import ClaimFilters
from app.claims.listing import CURSOR_PATTERN, Sort
from app.extraction.types import AttributionType, CueKind
from app.models import LANGUAGE_LENGTH, NAME_LENGTH, ClaimStatus
from app.pagination import (
    CURSOR_DESCRIPTION,
    DEFAULT_LIMIT,
    LIMIT_DESCRIPTION,
    MAX_ID,
    MAX_LIMIT,
)
from app.schemas import (
    CLAIM_SEARCH_DESCRIPTION,
    LANGUAGE_PATTERN,
    SearchText,
    StorableText,
    Timestamp,
)


class QueryModel(BaseModel):
    @classmethod
    def from_request(cls, request: Request) -> Self:
        try:
            # A repeated parameter counts once, its last value: what FastAPI does.
            return cls.model_validate(dict(request.query_params))
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            raise RequestValidationError(
                [{**e, "loc": ("query", *e["loc"])} for e in errors]
            ) from None

    @classmethod
    def openapi(cls) -> dict[str, Any]:
        """The model's fields as OpenAPI query parameters, for a route's `openapi_extra`."""
        schema = cls.model_json_schema(ref_template="#/components/schemas/{model}")
        required = set(schema.get("required", []))
        parameters = []
        for name, field_schema in schema["properties"].items():
            parameter = {"name": name, "in": "query", "required": name in required}
            if "description" in field_schema:
                parameter["description"] = field_schema["description"]
            parameters.append({**parameter, "schema": field_schema})
        return {"parameters": parameters}


SortName = Literal["relevance", "id", "-published_at", "published_at", "confidence", "-updated_at"]
"""`Sort`'s values, spelled out in the spec (a query model's enum would be a schema of its own)."""
assert set(get_args(SortName)) == {s.value for s in Sort}


class ClaimFilterQuery(QueryModel):
    """The filters of `GET /v1/claims` (and its export)."""

    source: int | None = Field(default=None, ge=1, le=MAX_ID, description="A source id.")
    source_name: StorableText | None = Field(
        default=None, min_length=1, max_length=NAME_LENGTH,
        description="A source's name or alias: `Peskov`.",
    )  # fmt: skip
    via: int | None = Field(
        default=None, ge=1, le=MAX_ID,
        description="A source id: the claims it relays (`attribution.via`), whoever made them.",
    )  # fmt: skip
    status: ClaimStatus | None = None
    article: int | None = Field(default=None, ge=1, le=MAX_ID, description="An article id.")
    attribution_type: AttributionType | None = None
    cue_kind: CueKind | None = Field(
        default=None,
        description="What tied the claims to their sources: speech, thought, evidence.",
    )
    match_group: int | None = Field(
        default=None, ge=1, le=MAX_ID,
        description="A match group (`match_group` of a claim): the claims a person confirmed "
        "to be the same claim.",
    )  # fmt: skip
    q: SearchText | None = Field(default=None, description=CLAIM_SEARCH_DESCRIPTION)
    updated_since: Timestamp | None = Field(
        default=None,
        description="Only claims changed at or after this time (UTC when no offset).",
    )
    published_after: Timestamp | None = Field(
        default=None,
        description="Only claims of articles published at or after this time (UTC when no "
        "offset); an article without `published_at` counts from when it was ingested.",
    )
    published_before: Timestamp | None = Field(
        default=None,
        description="Only claims of articles published before this time; as `published_after`.",
    )
    publisher: StorableText | None = Field(
        default=None, min_length=1, max_length=NAME_LENGTH,
        description="Only claims of articles with this `publisher`, exactly as it was given.",
    )  # fmt: skip
    language: str | None = Field(
        default=None, max_length=LANGUAGE_LENGTH, pattern=LANGUAGE_PATTERN,
        description="Only claims of articles in this language (BCP 47, any case): `en` also "
        "finds `en-GB`.",
    )  # fmt: skip
    confidence_below: float | None = Field(
        default=None, ge=0, le=1,
        description="Only claims whose `confidence` is below this: the doubtful ones.",
    )  # fmt: skip
    has_annotations: bool | None = Field(
        default=None,
        description="`true`: only claims with at least one annotation; `false`: only those "
        "without.",
    )

    def filters(self) -> ClaimFilters:
        return ClaimFilters(
            source_id=self.source, source_name=self.source_name, via_source_id=self.via,
            status=self.status, article_id=self.article, attribution_type=self.attribution_type,
            cue_kind=self.cue_kind, match_group=self.match_group,
            q=None if self.q is None else search.parse(self.q),
            updated_since=self.updated_since, published_after=self.published_after,
            published_before=self.published_before, publisher=self.publisher,
            language=self.language, confidence_below=self.confidence_below,
            has_annotations=self.has_annotations,
        )  # fmt: skip


class ClaimListQuery(ClaimFilterQuery):
    """`GET /v1/claims`: the filters and the page."""

    sort: SortName | None = Field(
        default=None,
        description="The order: `relevance` (best match first; the default with `q`, and only "
        "with it), `id` (oldest first; the default without `q`), `-published_at` (newest "
        "articles first), `published_at`, `confidence` (the doubtful first), `-updated_at` "
        "(last changed first). Ties in id order (reversed with a `-` sort).",
    )
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=LIMIT_DESCRIPTION)
    # The pattern documents the cursor; the service checks it, so a bad one is 400.
    cursor: str | None = Field(
        default=None,
        description=CURSOR_DESCRIPTION + " A cursor of one `sort` is refused (400) with another.",
        json_schema_extra={"pattern": CURSOR_PATTERN},
    )

    @field_validator("sort")
    @classmethod
    def _relevance_needs_a_search(
        cls, sort: SortName | None, info: ValidationInfo
    ) -> SortName | None:
        if sort == "relevance" and info.data.get("q") is None and "q" in info.data:
            raise ValueError("sorting by relevance needs a search: give `q`")
        return sort

    def order(self) -> Sort:
        if self.sort is not None:
            return Sort(self.sort)
        return Sort.id if self.q is None else Sort.relevance

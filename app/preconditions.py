"""ETags and If-Match: optimistic concurrency on every mutable resource.

A resource's ETag is its version in quotes (`"3"`). A write names the version
it was based on in If-Match; when the resource has moved on, the write is
refused with 412 and changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.errors import BadRequest, PreconditionFailed, PreconditionRequired

_TAG = re.compile(r'\s*(W/)?"([^"]*)"\s*(?:,|$)')


def etag(version: int) -> str:
    return f'"{version}"'


@dataclass(frozen=True, slots=True)
class IfMatch:
    """The versions a write accepts; None for `If-Match: *` (any)."""

    versions: frozenset[int] | None

    def check(self, current: int) -> None:
        if self.versions is not None and current not in self.versions:
            raise PreconditionFailed(
                f"The resource is at version {current}; If-Match named another. "
                "Fetch it again, then retry with its ETag.",
                headers={"ETag": etag(current)},
                current_version=current,
            )


def parse_if_match(header: str | None) -> IfMatch:
    if header is None or not header.strip():
        raise PreconditionRequired(
            "This write needs an If-Match header with the resource's ETag, "
            "so that it cannot overwrite a change it has not seen."
        )
    if header.strip() == "*":
        return IfMatch(None)
    versions: set[int] = set()
    pos = 0
    while pos < len(header):
        m = _TAG.match(header, pos)
        if m is None or m.end() == pos:
            raise BadRequest('If-Match is not a list of entity tags such as "3".')
        weak, value = m.group(1), m.group(2)
        # If-Match compares strongly: a weak tag never matches.
        if not weak and value.isdigit():
            versions.add(int(value))
        pos = m.end()
    return IfMatch(frozenset(versions))

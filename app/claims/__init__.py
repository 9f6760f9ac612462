"""The claim's one home: its stored JSON, its reads and where they run, its writes.

- `document`: the claim JSON, stored ready to serve, and what it is made of;
- `reads`: compiled statements, run on the event loop or off it;
- `listing`: the claim listing's filters, sorts, keyset cursors and full-text search;
- `store`: `ClaimStore`, which the app builds in its lifespan and the routes get
  by dependency; the CLI builds its own.
"""

from app.claims.store import UNNAMED_RELAY, ClaimFilters, ClaimsPage, ClaimStore, StoredClaim

__all__ = ["UNNAMED_RELAY", "ClaimFilters", "ClaimStore", "ClaimsPage", "StoredClaim"]

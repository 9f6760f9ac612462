"""The committed openapi.json, rendered the same way by the CLI and the test."""

from __future__ import annotations

import json

from app.main import create_app
from app.settings import Settings


def render_openapi() -> str:
    # A throwaway in-memory database: the spec does not depend on the data.
    app = create_app(Settings(database_url="sqlite://"))
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False) + "\n"

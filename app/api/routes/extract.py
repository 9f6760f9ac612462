from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import SettingsDep
from app.api.documented import problems
from app.schemas import ExtractIn, ExtractOut
from app.services.extract import preview_extraction

router = APIRouter(tags=["extraction"])


@router.post(
    "/extract",
    summary="Extract claims without storing",
    responses=problems(413),
)
def extract_claims(data: ExtractIn, settings: SettingsDep) -> ExtractOut:
    """What ingesting this text would produce: sentences and attributed claims.
    Nothing is stored, and sources are named as the text names them."""
    return preview_extraction(data.text, max_bytes=settings.max_article_bytes)

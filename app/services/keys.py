"""API keys: created with a secret shown once, stored as a hash, checked in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlmodel import Session, col

from app.db import load_or_404, write_transaction
from app.models import ApiKey, Role, utcnow
from app.schemas import KeyOut

PREFIX = "cdk"


def _hash(secret: str) -> str:
    # The secret is 256 random bits, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(*, session: Session, name: str, role: Role) -> tuple[ApiKey, str]:
    """A new key and its token, `cdk_<public id>_<secret>`; the token is not kept."""
    public_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = ApiKey(public_id=public_id, name=name, role=role, secret_hash=_hash(secret))
    with write_transaction(session, conflict=f"A key named {name!r} already exists."):
        session.add(key)
    return key, f"{PREFIX}_{public_id}_{secret}"


def authenticate(session: Session, token: str) -> ApiKey | None:
    """The live key a token belongs to, or None."""
    prefix, _, rest = token.partition("_")
    public_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not public_id or not secret:
        return None
    key = session.execute(
        select(ApiKey).where(col(ApiKey.public_id) == public_id)
    ).scalar_one_or_none()
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.secret_hash, _hash(secret)):
        return None
    return key


def key_out(key: ApiKey) -> KeyOut:
    return KeyOut.model_validate(key.model_dump())


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.execute(select(ApiKey).order_by(col(ApiKey.id))).scalars())


def revoke_key(*, session: Session, key_id: int) -> ApiKey:
    """Revoke a key; revoking a revoked key changes nothing."""
    with write_transaction(session):
        key = load_or_404(session, ApiKey, key_id, "Key")
        if key.revoked_at is None:
            key.revoked_at = utcnow()
    return key

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlmodel import Session

from app.models import ApiKey
from tests.conftest import bearer

pytestmark = pytest.mark.anyio

WRITE = ("POST", "/v1/articles", {"text": "The minister said rates will rise."})


async def test_write_without_a_key_is_401_with_a_challenge(anonymous: AsyncClient) -> None:
    method, path, body = WRITE
    r = await anonymous.request(method, path, json=body)
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert (await anonymous.get("/v1/articles")).json()["items"] == []


@pytest.mark.parametrize("token", ["revoked", "cdk_nothere_secret", "garbage", "cdk__"])
async def test_unknown_or_revoked_key_is_401(
    anonymous: AsyncClient, keys: dict[str, str], token: str
) -> None:
    method, path, body = WRITE
    r = await anonymous.request(method, path, json=body, headers=bearer(keys.get(token, token)))
    assert r.status_code == 401
    assert 'error="invalid_token"' in r.headers["www-authenticate"]


async def test_a_tampered_secret_is_401(anonymous: AsyncClient, keys: dict[str, str]) -> None:
    token = keys["editor"][:-2] + ("aa" if not keys["editor"].endswith("aa") else "bb")
    method, path, body = WRITE
    r = await anonymous.request(method, path, json=body, headers=bearer(token))
    assert r.status_code == 401


async def test_reader_key_cannot_write_403(anonymous: AsyncClient, keys: dict[str, str]) -> None:
    method, path, body = WRITE
    r = await anonymous.request(method, path, json=body, headers=bearer(keys["reader"]))
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"
    assert 'error="insufficient_scope"' in r.headers["www-authenticate"]


async def test_editor_and_admin_keys_write(anonymous: AsyncClient, keys: dict[str, str]) -> None:
    for role, text in (("editor", "One said yes."), ("admin", "Two said no.")):
        r = await anonymous.post("/v1/articles", json={"text": text}, headers=bearer(keys[role]))
        assert r.status_code == 201, role


async def test_reads_are_open_by_default(anonymous: AsyncClient) -> None:
    assert (await anonymous.get("/v1/claims")).status_code == 200


async def test_reads_need_a_key_when_configured(
    anonymous: AsyncClient, app: Any, keys: dict[str, str]
) -> None:
    app.state.settings.reads_require_key = True
    assert (await anonymous.get("/v1/claims")).status_code == 401
    ok = await anonymous.get("/v1/claims", headers=bearer(keys["reader"]))
    assert ok.status_code == 200
    assert (await anonymous.get("/healthz")).status_code == 200


async def test_the_database_holds_no_secret_in_clear(app: Any, keys: dict[str, str]) -> None:
    with Session(app.state.engine) as session:
        rows = session.execute(select(ApiKey)).scalars().all()
    stored = " ".join(str(v) for row in rows for v in row.model_dump().values())
    for token in keys.values():
        secret = token.split("_", 2)[2]
        assert secret not in stored
        assert token not in stored


async def test_admin_manages_keys_over_http(anonymous: AsyncClient, keys: dict[str, str]) -> None:
    admin = bearer(keys["admin"])
    created = await anonymous.post(
        "/v1/keys", json={"name": "desk-anna", "role": "editor"}, headers=admin
    )
    assert created.status_code == 201
    body = created.json()
    token = body["key"]
    assert (
        await anonymous.post("/v1/articles", json={"text": "A said B."}, headers=bearer(token))
    ).status_code == 201

    listed = (await anonymous.get("/v1/keys", headers=admin)).json()["items"]
    assert "desk-anna" in [k["name"] for k in listed]
    assert all("key" not in k and "secret_hash" not in k for k in listed)

    duplicate = await anonymous.post(
        "/v1/keys", json={"name": "desk-anna", "role": "reader"}, headers=admin
    )
    assert duplicate.status_code == 409

    assert (await anonymous.delete(f"/v1/keys/{body['id']}", headers=admin)).status_code == 204
    assert (await anonymous.delete(f"/v1/keys/{body['id']}", headers=admin)).status_code == 204
    r = await anonymous.post("/v1/articles", json={"text": "C said D."}, headers=bearer(token))
    assert r.status_code == 401
    assert (await anonymous.delete("/v1/keys/9999", headers=admin)).status_code == 404


async def test_only_admins_manage_keys(anonymous: AsyncClient, keys: dict[str, str]) -> None:
    editor = bearer(keys["editor"])
    assert (await anonymous.get("/v1/keys", headers=editor)).status_code == 403
    assert (await anonymous.get("/v1/keys")).status_code == 401
    r = await anonymous.post("/v1/keys", json={"name": "x", "role": "admin"}, headers=editor)
    assert r.status_code == 403


async def test_key_request_is_validated(anonymous: AsyncClient, keys: dict[str, str]) -> None:
    admin = bearer(keys["admin"])
    r = await anonymous.post("/v1/keys", json={"name": "has space", "role": "god"}, headers=admin)
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"body.name", "body.role"}

"""Which changes a webhook wants: its types, then its filter's source and status."""

from __future__ import annotations

from typing import Any

import pytest

from app.models import Change, ChangeType, ClaimStatus, Webhook
from app.settings import Settings
from app.webhooks.worker import wants

PESKOV, TASS = 7, 9


def hook(**fields: Any) -> Webhook:
    return Webhook(url="https://hooks.example.org/x", secret="whsec_AA", created_by="a", **fields)


def change(type_: ChangeType, resource_id: int = 1, **fields: Any) -> Change:
    return Change(type=type_, resource=type_.resource, resource_id=resource_id, actor="a", **fields)


STATUS_FALSE = change(
    ChangeType.claim_status_changed, before={"status": "in_progress"}, after={"status": "false"}
)


def test_no_types_and_no_filter_is_every_change() -> None:
    assert wants(hook(), change(ChangeType.article_created), None)
    assert wants(hook(), STATUS_FALSE, (PESKOV, "false"))


def test_types_keep_their_own() -> None:
    only = hook(types=["claim.status_changed"])
    assert wants(only, STATUS_FALSE, (PESKOV, "false"))
    assert not wants(only, change(ChangeType.annotation_created, claim_id=1), (PESKOV, "false"))


def test_a_status_filter_reads_the_status_the_change_gave_then_the_claims() -> None:
    false = hook(status=ClaimStatus.false)
    assert wants(false, STATUS_FALSE, (PESKOV, "verified"))  # false then, whatever now
    back = change(
        ChangeType.claim_status_changed, before={"status": "false"}, after={"status": "verified"}
    )
    assert not wants(false, back, (PESKOV, "verified"))
    note = change(ChangeType.annotation_created, claim_id=1)
    assert wants(false, note, (PESKOV, "false")) and not wants(false, note, (PESKOV, "unproven"))
    assert not wants(false, change(ChangeType.source_updated), None)  # no claim, no status


def test_a_source_filter_keeps_its_claims_and_the_source_itself() -> None:
    peskov = hook(source_id=PESKOV)
    assert wants(peskov, change(ChangeType.source_updated, PESKOV), None)
    assert not wants(peskov, change(ChangeType.source_updated, TASS), None)
    assert wants(peskov, change(ChangeType.annotation_created, claim_id=1), (PESKOV, "false"))
    assert not wants(peskov, change(ChangeType.annotation_created, claim_id=1), (TASS, "false"))
    # Taken from Peskov and given to TASS: it concerns both.
    moved = change(
        ChangeType.claim_attributed, before={"source_id": PESKOV}, after={"source_id": TASS}
    )
    assert wants(peskov, moved, (TASS, "false")) and wants(hook(source_id=TASS), moved, None)
    assert not wants(hook(source_id=3), moved, (TASS, "false"))


def test_a_lease_shorter_than_an_attempt_is_refused_at_start() -> None:
    with pytest.raises(ValueError, match="must be longer than"):
        Settings(webhook_lease_s=5, webhook_timeout_s=10)

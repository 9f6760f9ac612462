"""The delivery worker: queues the feed's changes for each webhook, then delivers
them, signed, at least once.

Two steps in short transactions (a round queues and leases in one, and writes
its results in another), so that any number of workers on PostgreSQL share the
work:

- **Queue.** For each enabled webhook, the changes after the last one queued for it
  become deliveries, those it wants (its types, its filter). The webhook's row is
  taken FOR UPDATE SKIP LOCKED: one worker queues for a webhook at a time, and the
  others go on to the next. The feed is read in id order, which is commit order
  (app.changes), so nothing committed late is passed over.
- **Deliver.** Due deliveries are leased FOR UPDATE SKIP LOCKED (a token and an end
  time), then sent outside any transaction, then their results written back only
  where the lease is still theirs. A worker killed mid-delivery loses nothing: its
  lease ends and another worker takes the delivery again. A delivery waits while an
  earlier one of the same resource to the same webhook is pending, so each receiver
  gets a resource's changes in the feed's order.

Failures are retried with exponential backoff and jitter until the schedule
(settings.webhook_retry_for_s) runs out; then the delivery has failed, and a
webhook that nothing reached during that whole time is disabled, saying why.
A write does nothing more for webhooks than record its change in the feed, which
it does anyway; what the worker costs the writes beside it (on SQLite it shares
their write lock) is measured in bench/ ("Webhooks").
"""

from __future__ import annotations

import json
import logging
import os
import random
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import (
    BindParameter,
    Engine,
    Row,
    Select,
    and_,
    bindparam,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlmodel import Session, col
from standardwebhooks import Webhook as Signer

from app import changes
from app.db import make_engine, write_transaction
from app.models import (
    Annotation,
    Article,
    Change,
    Claim,
    ClaimMatch,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    Source,
    UTCDateTime,
    Webhook,
    table_of,
    utcnow,
)
from app.schemas import AnnotationOut, ArticleSummaryOut, ClaimOut
from app.services.changes import change_out
from app.services.matching import match_out
from app.services.source_registry import source_out
from app.settings import Settings
from app.webhooks.sender import Attempt, Sender

log = logging.getLogger(__name__)

QUEUE_BATCH = 500
"""Changes read per webhook per round."""

_delivery, _webhook = table_of(Delivery), table_of(Webhook)
_change, _annotation, _attempt = table_of(Change), table_of(Annotation), table_of(DeliveryAttempt)
_claim = table_of(Claim)
_IDS: BindParameter[int] = bindparam("ids", expanding=True)
# The statements of every round, built once (building one cost about what running it
# did); each takes its ids as the list "ids".
_OURS = (
    select(_delivery.c.id)
    .where(_delivery.c.id.in_(_IDS), _delivery.c.lease == bindparam("token"))
    .with_for_update()
)
_SUCCEEDED = update(_webhook).where(_webhook.c.id.in_(_IDS)).values(last_success_at=bindparam("at"))
_CHANGES = select(_change).where(_change.c.id.in_(_IDS))
_DOCUMENTS = select(_claim.c.id, _claim.c.document).where(_claim.c.id.in_(_IDS))
_ANNOTATIONS = select(_annotation).where(_annotation.c.id.in_(_IDS))
_CLAIM_FILTERS = select(_claim.c.id, _claim.c.source_id, _claim.c.status).where(
    _claim.c.id.in_(_IDS)
)
_QUEUE = (
    select(_change)
    .where(_change.c.id > bindparam("after"))
    .order_by(_change.c.id)
    .limit(QUEUE_BATCH)
)
"""The next changes to queue for a webhook, as rows."""
_LEASE = (
    update(_delivery)
    .where(_delivery.c.id.in_(_IDS))
    .values(leased_until=bindparam("until"), lease=bindparam("token"))
)
_RECORD = (
    update(_delivery)
    .where(_delivery.c.id == bindparam("b_id"))
    .values(leased_until=None, lease=None)
)
"""One attempt's result (its columns as parameters), for an executemany."""


@dataclass(frozen=True)
class _Leased:
    """A delivery this round took, as its row had it, and its webhook's target."""

    id: int
    webhook_id: int
    change_id: int
    resource: str
    resource_id: int
    attempts: int
    next_attempt_at: datetime
    retrying_since: datetime | None
    url: str
    secret: str


_LEASED_COLUMNS = [f.name for f in fields(_Leased)][:-2]
"""The delivery's columns in _Leased (the last two are its webhook's)."""


@dataclass(frozen=True)
class Round:
    """What one round of a worker did."""

    queued: int
    sent: int
    delivered: int
    due: bool = False
    """Whether, as it ended, a delivery was due: more to send at once."""


class Worker:
    def __init__(self, engine: Engine, settings: Settings, *, name: str | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.sender = Sender(allow_private=settings.webhook_allow_private)
        self._pool = ThreadPoolExecutor(
            max_workers=settings.worker_concurrency, thread_name_prefix="webhook-send"
        )
        self._random = random.Random()
        self._due = _due_deliveries(settings.worker_concurrency * 4)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.sender.close()

    def run(self, stop: threading.Event, wake: threading.Event | None = None) -> None:
        """Rounds until ``stop``; when a round finds nothing to do, it waits for
        ``wake`` (a commit in this process) or the poll interval. Woken, it lets the
        commits of the next moment (`Settings.linger_s`) join the round: one round
        costs a few transactions, however many changes it takes. So does a round
        that leaves nothing due (the commits made while it ran are new changes):
        going on at once made rounds of one or two deliveries behind a steady
        writer, each paying the whole cost of a round."""
        while not stop.is_set():
            if wake is not None:
                wake.clear()  # before the round: a commit during it means another
            try:
                done = self.round()
            except Exception:  # a database gone for a moment: log, wait, go on
                log.exception("webhook worker round failed")
                done = Round(0, 0, 0)
            if done.queued == 0 and done.sent == 0:
                if (wake or stop).wait(self.settings.worker_poll_s) and wake is not None:
                    stop.wait(self.settings.linger_s)
            elif not done.due:
                stop.wait(self.settings.linger_s)

    def round(self) -> Round:
        # A plain read first: an idle round takes no write lock (on SQLite, the one
        # every API write needs too).
        with Session(self.engine) as session:
            behind, due = _work_waiting(session, utcnow())
        if not (behind or due):
            return Round(0, 0, 0)
        token = uuid.uuid4().hex
        # Queueing and leasing in one transaction: a round takes the write lock twice,
        # here and for its results.
        with Session(self.engine, expire_on_commit=False) as session:
            with write_transaction(session):
                queued = self._queue(session) if behind else 0
                leased = self._lease(session, token)
            bodies = _bodies(session, leased) if leased else {}
        sent, delivered = self._deliver(token, leased, bodies)
        if queued or sent:
            with Session(self.engine) as session:
                due = _work_waiting(session, utcnow())[1]
        return Round(queued, sent, delivered, due)

    # Queue.

    def _queue(self, session: Session) -> int:
        """Queue the new changes of every enabled webhook; how many deliveries."""
        hooks = session.execute(
            select(Webhook)
            .where(col(Webhook.enabled).is_(True))
            .order_by(col(Webhook.id))
            .with_for_update(skip_locked=True)
        ).scalars()
        return sum(self._queue_for(session, webhook) for webhook in list(hooks))

    def _queue_for(self, session: Session, webhook: Webhook) -> int:
        changes = session.execute(_QUEUE, {"after": webhook.queued_through}).all()
        if not changes:
            return 0
        claims = (
            _claim_filters(session, [c.claim_id for c in changes if c.claim_id])
            if webhook.source_id is not None or webhook.status is not None
            else {}  # wants() reads no claim for a webhook without a filter
        )
        now = utcnow()
        rows = [
            {"webhook_id": webhook.id, "change_id": c.id, "resource": c.resource,
             "resource_id": c.resource_id, "state": DeliveryState.pending, "attempts": 0,
             "next_attempt_at": now, "created_at": now}
            for c in changes
            if wants(webhook, c, claims.get(c.claim_id or 0))
        ]  # fmt: skip
        if rows:
            session.execute(insert(_delivery), rows)
        # The worker's own bookkeeping, not an edit: the webhook's version stays.
        session.execute(
            update(_webhook)
            .where(_webhook.c.id == webhook.id)
            .values(queued_through=changes[-1].id)
        )
        return len(rows)

    # Deliver.

    def _lease(self, session: Session, token: str) -> list[_Leased]:
        """Lease the deliveries due now, at most ``worker_concurrency`` × 4."""
        now = utcnow()
        found = [_Leased(*row) for row in session.execute(self._due, {"now": now})]
        if found:
            until = now + timedelta(seconds=self.settings.webhook_lease_s)
            session.execute(_LEASE, {"ids": [f.id for f in found], "until": until, "token": token})
        return found

    def _deliver(
        self, token: str, leased: Sequence[_Leased], bodies: Mapping[int, str]
    ) -> tuple[int, int]:
        """Send the leased deliveries, ``worker_concurrency`` at once, and record their
        results; how many were sent and how many of those delivered."""
        if not leased:
            return 0, 0
        attempts = list(self._pool.map(lambda item: self._send(item, bodies[item.id]), leased))
        self._record(token, leased, attempts)
        return len(leased), sum(1 for a in attempts if a.ok)

    def _send(self, item: _Leased, body: str) -> Attempt:
        msg_id = f"msg_{item.id}"
        sent_at = utcnow()
        signature = Signer(item.secret).sign(msg_id, sent_at, body)
        headers = {
            "content-type": "application/json",
            "user-agent": "claimdesk-webhooks",
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(sent_at.timestamp())),
            "webhook-signature": signature,
        }
        return self.sender.send(
            item.url, body.encode(), headers, timeout=self.settings.webhook_timeout_s
        )

    def _record(self, token: str, leased: Sequence[_Leased], attempts: Sequence[Attempt]) -> None:
        """Write the round's results, in a few statements, for the deliveries whose
        lease is still this worker's (one that ran out went to another worker, whose
        result counts instead); disable the webhooks whose delivery has now failed for
        good when nothing reached them for the whole schedule."""
        now = utcnow()
        with Session(self.engine) as session:
            with write_transaction(session):
                # Locked (PostgreSQL) till the commit: no one can take them over now.
                ids = [item.id for item in leased]
                ours = set(session.execute(_OURS, {"ids": ids, "token": token}).scalars())
                results, logged, delivered_to = [], [], set()
                disable: dict[int, str] = {}
                for delivery, attempt in zip(leased, attempts, strict=True):
                    if delivery.id not in ours:
                        continue
                    values, reason = self._outcome(delivery, attempt, now)
                    results.append({"b_id": delivery.id, **values})
                    logged.append(
                        {"delivery_id": delivery.id, "number": values["attempts"], "at": now,
                         "status_code": attempt.status_code, "latency_ms": attempt.latency_ms,
                         "error": attempt.error, "worker": self.name[:100]}
                    )  # fmt: skip
                    if attempt.ok:
                        delivered_to.add(delivery.webhook_id)
                    if reason is not None:
                        disable[delivery.webhook_id] = reason
                if not results:
                    return
                session.execute(_RECORD, results)
                session.execute(insert(_attempt), logged)
                if delivered_to:
                    session.execute(_SUCCEEDED, {"ids": list(delivered_to), "at": now})
                for webhook_id, reason in disable.items():
                    session.execute(
                        update(_webhook)
                        .where(_webhook.c.id == webhook_id, _webhook.c.enabled.is_(True))
                        .where(
                            or_(
                                _webhook.c.last_success_at.is_(None),
                                _webhook.c.last_success_at < now - self._schedule(),
                            )
                        )
                        .values(enabled=False, disabled_reason=reason, updated_at=now)
                    )

    def _outcome(
        self, delivery: _Leased, attempt: Attempt, now: datetime
    ) -> tuple[dict[str, Any], str | None]:
        """The delivery's columns after this attempt, and the reason to disable its
        webhook when it has now failed for good."""
        number = delivery.attempts + 1
        since = delivery.retrying_since or now
        values: dict[str, Any] = {
            "attempts": number, "last_status_code": attempt.status_code,
            "last_error": attempt.error, "state": DeliveryState.pending,
            "next_attempt_at": delivery.next_attempt_at, "retrying_since": since,
            "delivered_at": None,
        }  # fmt: skip
        if attempt.ok:
            return values | {"state": DeliveryState.delivered, "delivered_at": now}, None
        if now - since < self._schedule():
            return values | {"next_attempt_at": now + self._backoff(number)}, None
        last = f"HTTP {attempt.status_code}" if attempt.error is None else attempt.error
        hours = self.settings.webhook_retry_for_s / 3600
        reason = (
            f"Disabled at {now:%Y-%m-%d %H:%M} UTC: no delivery succeeded for the whole "
            f"retry schedule ({hours:g} h); the last attempt: {last}."
        )
        return values | {"state": DeliveryState.failed}, reason

    def _schedule(self) -> timedelta:
        return timedelta(seconds=self.settings.webhook_retry_for_s)

    def _backoff(self, attempts: int) -> timedelta:
        """Doubling from the base delay up to the cap, each between half and all of it
        ("full jitter" above the half), so that receivers coming back are not hit by
        every retry at once."""
        s = self.settings
        delay = min(s.webhook_retry_max_delay_s, s.webhook_retry_base_s * 2 ** (attempts - 1))
        return timedelta(seconds=delay * (0.5 + self._random.random() / 2))


def _due_deliveries(limit: int) -> Select[Any]:
    """The deliveries due at :now, each the earliest pending one of its resource for
    its webhook (so a resource's changes go in the feed's order), locked for the
    worker that takes them, skipped by the others: the columns of `_Leased`, as rows
    (loading them as entities cost more than the rest of the lease). Built once per
    worker."""
    now = bindparam("now", type_=UTCDateTime)
    d, earlier = _delivery, _delivery.alias("earlier")
    return (
        select(*(d.c[name] for name in _LEASED_COLUMNS), _webhook.c.url, _webhook.c.secret)
        .join(_webhook, _webhook.c.id == d.c.webhook_id)
        .where(
            d.c.state == DeliveryState.pending,
            d.c.next_attempt_at <= now,
            or_(d.c.leased_until.is_(None), d.c.leased_until < now),
            _webhook.c.enabled.is_(True),
            ~exists().where(
                and_(
                    earlier.c.webhook_id == d.c.webhook_id,
                    earlier.c.resource == d.c.resource,
                    earlier.c.resource_id == d.c.resource_id,
                    earlier.c.state == DeliveryState.pending,
                    earlier.c.id < d.c.id,
                )
            ),
        )
        .order_by(d.c.next_attempt_at, d.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=d)
    )


_WORK_WAITING = select(
    exists().where(
        _webhook.c.enabled.is_(True),
        _webhook.c.queued_through < select(func.max(_change.c.id)).scalar_subquery(),
    ),
    exists().where(
        _delivery.c.state == DeliveryState.pending,
        _delivery.c.next_attempt_at <= bindparam("now", type_=UTCDateTime),
    ),
)
"""Whether an enabled webhook has changes not yet queued, and whether a delivery may
be due (leased or not: a lease that ran out makes it due again): one query."""


def _work_waiting(session: Session, now: datetime) -> tuple[bool, bool]:
    behind, due = session.execute(_WORK_WAITING, {"now": now}).one()
    return bool(behind), bool(due)


def deliver_until(
    settings: Settings,
    stop: threading.Event,
    wake: threading.Event | None = None,
    *,
    name: str | None = None,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Deliver until ``stop``, at the CPU priority `worker_nice` lowers: what
    `claimdesk worker` runs, and the worker `claimdesk serve` starts."""
    if settings.worker_nice and hasattr(os, "nice"):
        os.nice(settings.worker_nice)  # background work: the API's requests go first
    engine = make_engine(settings)
    worker = Worker(engine, settings, name=name)
    if announce is not None:
        announce(worker.name)
    try:
        worker.run(stop, wake)
    finally:
        worker.close()
        engine.dispose()


class WorkerProcess:
    """The worker `claimdesk serve` starts on SQLite: a child process (app.webhooks.child),
    woken through a pipe by the commits of this process that write changes, stopped by
    the pipe's end. A process, not a thread of the API: as a thread it shared the API's
    interpreter lock, and writes beside it were 1.34 times slower on average, 1.96 at
    p99 (bench/README.md, "Webhooks")."""

    def __init__(self, settings: Settings) -> None:
        wake_end, pipe = os.pipe()
        self._pipe: int | None = pipe
        self._process = subprocess.Popen(
            [sys.executable, "-m", "app.webhooks.child", str(wake_end)],
            stdin=subprocess.PIPE,
            pass_fds=(wake_end,),
        )
        os.close(wake_end)
        assert self._process.stdin is not None
        with self._process.stdin as settings_in:  # exactly this process's settings
            settings_in.write(settings.model_dump_json().encode())
        os.set_blocking(pipe, False)
        self._pipe_lock = threading.Lock()  # commits of any thread against stop()
        self._gone_said = False
        self._grace_s = settings.webhook_timeout_s + 5
        changes.committed.add(self._wake)

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def exit_code(self) -> int | None:
        """None while the worker runs."""
        return self._process.poll()

    def _wake(self) -> None:
        with self._pipe_lock:
            if self._pipe is None:
                return
            try:
                os.write(self._pipe, b"\0")
            except BlockingIOError:
                pass  # the pipe is full of wake-ups the worker has yet to read
            except BrokenPipeError:
                if not self._gone_said:
                    self._gone_said = True
                    log.error(
                        "webhook worker %s is gone (exit code %s): nothing is delivered "
                        "until the server restarts", self._process.pid, self._process.poll(),
                    )  # fmt: skip

    def stop(self) -> None:
        """End the pipe, and wait while the worker finishes the round it is in."""
        changes.committed.discard(self._wake)
        with self._pipe_lock:
            if self._pipe is None:
                return
            os.close(self._pipe)
            self._pipe = None
        try:
            self._process.wait(self._grace_s)
        except subprocess.TimeoutExpired:
            log.warning("webhook worker %s did not stop; killed", self._process.pid)
            self._process.kill()
            self._process.wait()
        if self._process.returncode:
            log.warning("webhook worker exited with %s", self._process.returncode)


def _claim_filters(session: Session, claim_ids: list[int]) -> dict[int, tuple[int | None, str]]:
    """Each claim's source and status, as the webhook filters read them."""
    if not claim_ids:
        return {}
    rows = session.execute(_CLAIM_FILTERS, {"ids": list(set(claim_ids))})
    return {id_: (source_id, status) for id_, source_id, status in rows}


def wants(
    webhook: Webhook, change: Change | Row[Any], claim: tuple[int | None, str] | None
) -> bool:
    """Whether the webhook wants this change: one of its types, and its filter's source
    and status (those the change itself gives first, then the claim's now)."""
    if webhook.types and change.type.value not in webhook.types:
        return False
    if webhook.source_id is None and webhook.status is None:
        return True
    before, after = change.before or {}, change.after or {}
    fields = {**before, **after}
    if webhook.source_id is not None:
        if change.resource == "source":
            if change.resource_id != webhook.source_id:
                return False
        elif change.resource == "claim" and "source_id" in fields:
            # A claim given to the source or taken from it concerns the source.
            if webhook.source_id not in (before.get("source_id"), after.get("source_id")):
                return False
        elif claim is None or claim[0] != webhook.source_id:
            return False
    if webhook.status is not None:
        if change.resource == "claim" and "status" in fields:
            return bool(fields["status"] == webhook.status)
        return claim is not None and claim[1] == webhook.status
    return True


def _bodies(session: Session, deliveries: Sequence[_Leased]) -> dict[int, str]:
    """Each delivery's payload (Standard Webhooks: type, timestamp, data): the change as
    the feed has it, and the resource as it is now (null once deleted). Built as JSON
    text: the claims' stored JSON goes in as it is, unparsed."""
    changes = {
        c.id: c for c in session.execute(_CHANGES, {"ids": [d.change_id for d in deliveries]})
    }
    now: dict[tuple[str, int], str] = {}
    for resource in {d.resource for d in deliveries}:
        ids = [d.resource_id for d in deliveries if d.resource == resource]
        for id_, value in _resources(session, resource, ids).items():
            now[(resource, id_)] = value
    bodies = {}
    for d in deliveries:
        change = changes[d.change_id]
        data = change_out(change).model_dump_json()  # an object: "current" goes in its end
        current = now.get((d.resource, d.resource_id), "null")
        bodies[d.id] = (
            f'{{"type":{json.dumps(change.type.value)},'
            f'"timestamp":{json.dumps(change.at.isoformat())},'
            f'"data":{data[:-1]},"current":{current}}}}}'
        )
    return bodies


def _resources(session: Session, resource: str, ids: list[int]) -> dict[int, str]:
    """The resources as the API serves them now, as JSON text, by id (the deleted ones
    left out)."""
    if resource == "claim":
        return {id_: document for id_, document in session.execute(_DOCUMENTS, {"ids": ids})}
    if resource == "match":
        matches = list(
            session.execute(select(ClaimMatch).where(col(ClaimMatch.id).in_(ids))).scalars()
        )
        others = session.execute(
            select(col(Claim.id), col(Claim.document)).where(
                col(Claim.id).in_([m.other_id for m in matches])
            )
        )
        docs = {id_: ClaimOut.model_validate_json(doc) for id_, doc in others}
        return {m.id or 0: match_out(m, m.claim_id, docs).model_dump_json() for m in matches}
    if resource == "annotation":  # rows, not entities: validated once, by the schema
        rows = session.execute(_ANNOTATIONS, {"ids": ids})
        return {r.id: AnnotationOut.model_validate(r._mapping).model_dump_json() for r in rows}
    model: Any = {"source": Source, "article": Article}[resource]
    out: dict[int, str] = {}
    for row in session.execute(select(model).where(col(model.id).in_(ids))).scalars():
        value: BaseModel
        if resource == "source":
            value = source_out(session, row)
        else:
            value = ArticleSummaryOut.model_validate(row.model_dump())
        out[row.id] = value.model_dump_json()
    return out


def pending_count(engine: Engine) -> int:
    """Deliveries not yet delivered or failed."""
    with Session(engine) as session:
        query = select(func.count()).where(col(Delivery.state) == DeliveryState.pending)
        return int(session.execute(query).scalar_one())

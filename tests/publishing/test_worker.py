"""The publishing worker: claims with leases it renews, takes over, stops without losing a job.

Each test runs on both outbox backends (a SQLite file; a PostgreSQL database, skipped with
the reason when no server can be started) against the sandbox marketplace.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.publishing.conftest import draft, picture

from ruralseller.marketplaces import Marketplace, RetryPolicy
from ruralseller.marketplaces.sandbox import SandboxMarketplace
from ruralseller.publishing import (
    Outbox,
    Worker,
    WorkerProgress,
    WorkerReport,
    new_owner,
)
from ruralseller.sandbox import create_app, running

ACCOUNTS = {"coop-1": "secret-one", "coop-2": "secret-two"}


@pytest.fixture(params=["sqlite", "postgresql"])
def outbox(request: pytest.FixtureRequest, tmp_path: Path) -> Outbox:
    if request.param == "sqlite":
        return Outbox(tmp_path / "outbox.db")
    url: str = request.getfixturevalue("postgres_url")
    return Outbox(url)


def _adapter(url: str, key: str, **wiring: Any) -> SandboxMarketplace:
    return SandboxMarketplace(
        base_url=url, key_id=key, secret=ACCOUNTS[key], retry=RetryPolicy(max_attempts=1), **wiring
    )


async def _hang(_request: httpx.Request) -> httpx.Response:
    await asyncio.sleep(3600)
    raise AssertionError("never answered")  # pragma: no cover


def _hanging(key: str = "coop-1") -> Marketplace:
    return _adapter("http://marketplace.invalid", key, transport=httpx.MockTransport(_hang))


async def _run(worker: Worker, *, until_idle: bool = False) -> WorkerReport:
    """Run ``worker``, then close its adapters (in the same event loop)."""
    try:
        return await worker.run(until_idle=until_idle)
    finally:
        for publisher in worker.publishers.values():
            await publisher.marketplace.aclose()


async def _until(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    """Look every 20 ms until ``condition`` holds (the outbox as another worker sees it)."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"still not so after {seconds} s")


def test_owner_ids_name_the_computer_and_process_and_differ() -> None:
    host, pid, token = new_owner().split(":")
    assert host
    assert pid.isdigit()
    assert len(token) == 12
    assert new_owner() != new_owner()


def test_a_worker_drains_every_account_s_queue(outbox: Outbox) -> None:
    for n in range(5):
        outbox.enqueue("coop-1", draft(f"ONE-{n}"), [picture()])
    for n in range(3):
        outbox.enqueue("coop-2", draft(f"TWO-{n}"), [picture()])
    seen: list[WorkerProgress] = []
    app = create_app(accounts=ACCOUNTS, rate=200, burst=200)
    with running(app=app) as url:
        adapters = {key: _adapter(url, key) for key in ACCOUNTS}
        worker = Worker(outbox, adapters, concurrency=3, poll=0.05, progress=seen.append)
        report = asyncio.run(_run(worker, until_idle=True))
        stored = app.state.sandbox.count_listings()
    assert report.counts == {"published": 8}
    assert (report.released, report.lost, report.halted) == (0, 0, ())
    assert outbox.counts() == {"published": 8}
    assert stored == 8
    assert sorted(step.queue for step in seen) == ["coop-1"] * 5 + ["coop-2"] * 3
    assert [step.done for step in seen] == list(range(1, 9))


def test_stopping_gives_back_what_is_in_flight_unsent(outbox: Outbox) -> None:
    for n in range(3):
        outbox.enqueue("coop-1", draft(f"HOLD-{n}"), [picture()])
    worker = Worker(outbox, {"coop-1": _hanging()}, concurrency=2, grace=0.2, poll=0.05)

    async def run_then_stop() -> object:
        running_worker = asyncio.create_task(worker.run())
        await _until(lambda: outbox.counts().get("in_flight", 0) >= 2)
        worker.stop()
        return await running_worker

    report = asyncio.run(run_then_stop())
    assert report.released == 2  # type: ignore[attr-defined]
    assert outbox.counts() == {"queued": 3}
    # The try they were claimed for is not counted: nothing was sent.
    assert [job.attempts for job in outbox.jobs()] == [0, 0, 0]


def test_a_stop_asked_before_running_claims_nothing(outbox: Outbox) -> None:
    outbox.enqueue("coop-1", draft("EARLY"), [picture()])
    worker = Worker(outbox, {"coop-1": _hanging()}, poll=0.05)
    worker.stop()
    report = worker.run_blocking()
    assert report.done == 0
    assert outbox.counts() == {"queued": 1}


def test_leases_are_renewed_while_a_job_is_sent(outbox: Outbox) -> None:
    outbox.enqueue("coop-1", draft("SLOW"), [picture()])
    lease = 0.6
    worker = Worker(outbox, {"coop-1": _hanging()}, lease=lease, grace=0, poll=0.05)

    async def watch() -> tuple[float, float, list[object]]:
        running_worker = asyncio.create_task(worker.run())
        await _until(lambda: outbox.counts().get("in_flight", 0) >= 1)
        first = outbox.job("coop-1", "SLOW").next_attempt_at
        await asyncio.sleep(2.5 * lease)  # past the first lease: renewed meanwhile
        later = outbox.job("coop-1", "SLOW").next_attempt_at
        taken = outbox.claim("coop-1", 5, lease=lease, owner="another-computer:1:x")
        worker.stop()
        await running_worker
        return first, later, list(taken)

    first, later, taken = asyncio.run(watch())
    assert later > first + lease
    assert taken == []  # still leased to the live worker: nobody else takes it
    assert outbox.counts() == {"queued": 1}


def test_the_jobs_of_a_worker_gone_elsewhere_are_taken_over_when_its_lease_ends(
    outbox: Outbox,
) -> None:
    for n in range(2):
        outbox.enqueue("coop-1", draft(f"ORPHAN-{n}"), [picture()])
    gone = "a-computer-that-died:4242:abcdef"
    assert len(outbox.claim("coop-1", 2, lease=0.3, owner=gone)) == 2
    assert outbox.counts() == {"in_flight": 2}
    app = create_app(accounts=ACCOUNTS, rate=200, burst=200)
    with running(app=app) as url:
        worker = Worker(outbox, {"coop-1": _adapter(url, "coop-1")}, poll=0.05)
        started = time.monotonic()
        asyncio.run(_stop_when_published(worker, outbox, 2))
        waited = time.monotonic() - started
    assert outbox.counts() == {"published": 2}
    assert app.state.sandbox.count_listings() == 2
    assert waited < 10


async def _stop_when_published(worker: Worker, outbox: Outbox, count: int) -> None:
    running_worker = asyncio.create_task(_run(worker))
    await _until(lambda: outbox.counts().get("published", 0) >= count)
    worker.stop()
    await running_worker


def test_a_worker_refuses_no_adapters_and_bad_tuning(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "outbox.db")
    with pytest.raises(ValueError, match="at least one adapter"):
        Worker(box, [])
    with pytest.raises(ValueError, match="concurrency"):
        Worker(box, [_hanging()], concurrency=0)
    with pytest.raises(ValueError, match="lease"):
        Worker(box, [_hanging()], lease=0)


def test_a_job_the_adapter_chokes_on_is_left_for_later_not_held(outbox: Outbox) -> None:
    outbox.enqueue("coop-1", draft("BROKEN"), [picture()])

    async def choke(_request: httpx.Request) -> httpx.Response:
        raise RuntimeError("a bug in an adapter")

    adapter = _adapter("http://marketplace.invalid", "coop-1", transport=httpx.MockTransport(choke))
    report = asyncio.run(_run(Worker(outbox, {"coop-1": adapter}, poll=0.05), until_idle=True))
    assert report.counts == {"retry_later": 1}
    job = outbox.job("coop-1", "BROKEN")
    assert job.state.value == "failed_retryable"
    assert "RuntimeError: a bug in an adapter" in job.last_error

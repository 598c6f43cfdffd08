"""Done when: three worker processes drain hundreds of jobs for several accounts, each account
within its limit, with no duplicate and no loss, while workers are killed and started again.

The workers are real ``ruralseller worker`` processes on one outbox (a SQLite file, or a
PostgreSQL database), sharing each account's rate budget in PostgreSQL. The sandbox plays the
marketplace: it limits each account (a token bucket of ``RATE`` a second, ``BURST`` at once)
and notes when each request arrived. While they work, one worker and then another is killed
with SIGKILL and started again; at the end every worker still running is stopped with SIGTERM
and must exit 0.
"""

from __future__ import annotations

import functools
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.marketplaces.arrivals import ArrivalLog, busiest_second
from tests.publishing.conftest import draft, picture

from ruralseller.publishing import Outbox
from ruralseller.sandbox import create_app, running

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ACCOUNTS = {"acct-1": "secret-one", "acct-2": "secret-two", "acct-3": "secret-three"}
PER_ACCOUNT = 80
RATE, BURST = 30.0, 38.0
WORKERS = 3


def _at_least(count: Callable[[], int], mark: int) -> bool:
    return count() >= mark


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture(params=["sqlite", "postgresql"])
def outbox_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "outbox.db")
    url: str = request.getfixturevalue("postgres_url")
    return url


def test_three_killed_and_restarted_workers_publish_everything_once_within_the_limits(
    outbox_target: str, postgres_url: str
) -> None:
    box = Outbox(outbox_target)
    for account in ACCOUNTS:
        for n in range(PER_ACCOUNT):
            box.enqueue(account, draft(f"{account.upper()}-{n:03d}"), [picture()])
    total = PER_ACCOUNT * len(ACCOUNTS)
    log = ArrivalLog(create_app(accounts=ACCOUNTS, rate=RATE, burst=BURST))
    with running(app=log) as url:  # type: ignore[arg-type]
        command = [
            sys.executable,
            "-c",
            "from ruralseller.cli import main; main()",
            "worker",
            "--outbox",
            outbox_target,
            "--rate-budget",
            postgres_url,
            "--concurrency",
            "6",
            "--lease",
            "3",
            "--poll",
            "0.1",
            "-o",
            f"base_url={url}",
            "-o",
            f"rate={RATE:g}",
        ]
        for account, secret in ACCOUNTS.items():
            command += ["--to", f"{account}=sandbox"]
            command += ["-o", f"{account}.key_id={account}", "-o", f"{account}.secret={secret}"]
        workers = [subprocess.Popen(command) for _ in range(WORKERS)]  # noqa: S603

        def published() -> int:
            return box.counts().get("published", 0)

        try:
            kills = 0
            for victim, mark in ((0, total // 4), (1, total // 2)):
                assert _wait_for(functools.partial(_at_least, published, mark), 60), box.counts()
                if published() < total:
                    workers[victim].send_signal(signal.SIGKILL)
                    workers[victim].wait(timeout=30)
                    kills += 1
                    workers[victim] = subprocess.Popen(command)  # noqa: S603
            assert _wait_for(lambda: published() == total, 90), box.counts()
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            codes = [worker.wait(timeout=60) for worker in workers]
        stored = log.state.sandbox.count_listings()
    assert kills == 2, "a kill came after everything was published"
    assert codes == [0] * WORKERS
    # No loss: every job published; no duplicate: one listing per SKU at the marketplace.
    assert box.counts() == {"published": total}
    assert stored == total
    # Within each account's limit, counted where the marketplace counts.
    statuses = [status for _t, _a, status in log.arrivals]
    assert statuses.count(429) == 0
    for account in ACCOUNTS:
        times = [t for t, a, _s in log.arrivals if a == account]
        assert len(times) >= 3 * PER_ACCOUNT  # a listing, its picture, publishing it
        assert busiest_second(times) <= RATE + BURST, account

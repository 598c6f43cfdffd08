"""Kill the publishing process at random moments (SIGKILL), start it again: once each.

The outbox is a SQLite file, then a PostgreSQL database (``store_target``).

A real subprocess publishes 40 listings to the sandbox while the sandbox injects faults;
the test kills it at random times until a run finishes, then checks that every listing is
published exactly once and that the kills really landed in the middle of publishing.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ruralseller.publishing import Outbox
from ruralseller.sandbox import Faults, create_app, running

WORKER = Path(__file__).with_name("publish_worker.py")
COUNT = 40
KILLED_RUNS = 15

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _writing(outbox: Outbox, process: subprocess.Popen[bytes]) -> bool:
    """Wait until the publisher changes the outbox (a loaded machine starts slowly)."""
    before = outbox.counts()
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        if outbox.counts() != before:
            return True
        time.sleep(0.05)
    return process.poll() is None


def test_killed_publishers_publish_everything_exactly_once(store_target: str) -> None:
    """On a SQLite file, then on a PostgreSQL database."""
    faults = Faults(error_503=0.05, drop=0.05, lost_response=0.1, slow=0.3, slow_seconds=0.03)
    app = create_app(faults=faults)
    outbox_file = store_target
    rng = random.Random(2026)  # noqa: S311 - reproducible kill times, not security
    kills_mid_way = 0
    watcher = Outbox(outbox_file)
    with running(app=app) as url:
        command = [sys.executable, str(WORKER), str(outbox_file), url, str(COUNT)]
        finished = False
        for _ in range(KILLED_RUNS):
            process = subprocess.Popen(command)  # noqa: S603 - our own worker script
            started = _writing(watcher, process)
            try:
                finished = process.wait(timeout=rng.uniform(0.3, 2.0) if started else 0) == 0
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                published = Outbox(outbox_file).counts().get("published", 0)
                kills_mid_way += 0 < published < COUNT
                continue
            if finished:
                break
        if not finished:
            # The last run is left to finish, however slow the machine is today.
            last = subprocess.run(command, timeout=300, check=False)  # noqa: S603
            assert last.returncode == 0, "the publisher failed after the kills"
        stored = app.state.sandbox.count_listings()
    assert kills_mid_way >= 1, "no kill landed while publishing was under way"
    assert stored == COUNT
    assert Outbox(outbox_file).counts() == {"published": COUNT}

"""Buyers racing on three sandbox channels for one lot while order intake is killed (SIGKILL).

60 buyers order one bird each, in bursts, from three shops that each show the 20 birds of one
lot; an intake process takes orders in and pushes the stock, and is killed with SIGKILL
while a burst is being taken in, then started again. Every order the sandbox accepted is in
the inbox exactly once; no more birds are reserved than the lot holds; every order beyond
them is flagged oversold with its cancellation prepared.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest
from starlette.applications import Starlette
from tests.orders.shop import ACCOUNTS, LOT, buy, catalog, publish_everywhere

from ruralseller.orders import FlagReason, OrderInbox, OrderStatus, OrderStore, StockLedger
from ruralseller.publishing import Outbox
from ruralseller.sandbox import create_app, running

WORKER = Path(__file__).with_name("intake_worker.py")
ROOT = Path(__file__).resolve().parents[2]
BIRDS = 20
# 60 buyers: the first burst alone is more than the lot, before any stock push can land.
BURSTS = (30, 10, 10, 10)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _burst(url: str, size: int, statuses: list[int]) -> list[threading.Thread]:
    accounts = sorted(ACCOUNTS)
    threads = [
        threading.Thread(target=lambda a=accounts[n % 3]: statuses.append(buy(url, a)))
        for n in range(size)
    ]
    for thread in threads:
        thread.start()
    return threads


def _wait_for(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, "the intake worker did not start"
        time.sleep(0.01)


def test_racing_buyers_never_get_more_than_the_lot_and_killed_intake_loses_nothing(
    tmp_path: Path,
) -> None:
    app = create_app(accounts=ACCOUNTS, rate=5000, burst=5000)
    outbox_file, stop, ready = tmp_path / "outbox.db", tmp_path / "stop", tmp_path / "ready"
    StockLedger(OrderStore(Outbox(outbox_file))).receive(
        LOT, BIRDS, ref="slaughter", day=catalog().lot(LOT).production_date
    )
    rng = random.Random(23)  # noqa: S311 - reproducible kill times, not security
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    mid_way = 0
    statuses: list[int] = []
    with running(app=app) as url:
        asyncio.run(publish_everywhere(Outbox(outbox_file), url, stock=BIRDS))
        command = [sys.executable, str(WORKER), str(outbox_file), url, str(stop), str(ready)]
        for size in BURSTS:
            ready.unlink(missing_ok=True)
            process = subprocess.Popen(command, env=env)  # noqa: S603 - our own worker script
            _wait_for(ready)
            before = _taken(outbox_file)
            buyers = _burst(url, size, statuses)
            # Kill it a moment after it has taken the burst's first order in.
            _wait_for_intake(outbox_file, before)
            time.sleep(rng.uniform(0, 0.02))
            process.send_signal(signal.SIGKILL)
            process.wait()
            for thread in buyers:
                thread.join()
            mid_way += 0 < _taken(outbox_file) < _placed(app)
        stop.touch()
        last = subprocess.run(command, env=env, timeout=300, check=False)  # noqa: S603
        assert last.returncode == 0
        placed = _placed_orders(app)
    accepted = Counter(statuses)[201]
    assert mid_way >= 1, "no kill landed while orders were being taken in"
    assert accepted > BIRDS, accepted  # the race really oversold
    assert len(placed) == accepted
    store = OrderStore(Outbox(outbox_file))
    orders = OrderInbox(store, catalog()).orders()
    assert sorted((o.account, o.order_id) for o in orders) == sorted(placed)
    reserved = [o for o in orders if o.status is OrderStatus.RESERVED]
    flagged = [o for o in orders if o.status is OrderStatus.FLAGGED]
    assert len(reserved) == BIRDS
    assert len(flagged) == accepted - BIRDS
    assert all(o.reason is FlagReason.OVERSOLD and o.cancel == "prepared" for o in flagged)
    stock = StockLedger(store).stock(LOT)
    assert (stock.on_hand, stock.reserved) == (BIRDS, BIRDS)
    with app.state.sandbox.storage.transaction() as tx:
        shown = [tx.listing(account, LOT).stock for account in ACCOUNTS]  # type: ignore[union-attr]
    assert shown == [0, 0, 0]  # the last run pushed the stock to every channel


def _wait_for_intake(outbox_file: Path, before: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while _taken(outbox_file) <= before:
        assert time.monotonic() < deadline, "the intake worker took no order in"
        time.sleep(0.002)


def _placed_orders(app: Starlette) -> list[tuple[str, str]]:
    with app.state.sandbox.storage.transaction() as tx:
        rows = tx._db.execute("SELECT account, id FROM shop_orders").fetchall()
    return [(str(account), str(order_id)) for account, order_id in rows]


def _placed(app: Starlette) -> int:
    return len(_placed_orders(app))


def _taken(outbox_file: Path) -> int:
    with closing(sqlite3.connect(outbox_file, timeout=30)) as db:
        (count,) = db.execute("SELECT COUNT(*) FROM orders").fetchone()
    return int(count)

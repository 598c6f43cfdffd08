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
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg
import pytest
from starlette.applications import Starlette
from tests.orders.shop import ACCOUNTS, LOT, buy, catalog, publish_everywhere

from ruralseller.orders import FlagReason, OrderInbox, OrderStatus, OrderStore, StockLedger
from ruralseller.publishing import Outbox, is_database_url
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
    tmp_path: Path, store_target: str
) -> None:
    """On a SQLite file, then on a PostgreSQL database."""
    app = create_app(accounts=ACCOUNTS, rate=5000, burst=5000)
    outbox_file, stop, ready = store_target, tmp_path / "stop", tmp_path / "ready"
    StockLedger(OrderStore(Outbox(outbox_file))).receive(
        LOT, BIRDS, ref="slaughter", day=catalog().lot(LOT).production_date
    )
    rng = random.Random(23)  # noqa: S311 - reproducible kill times, not security
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    mid_way = 0
    statuses: list[int] = []
    with _order_counter(outbox_file) as _taken, running(app=app) as url:
        asyncio.run(publish_everywhere(Outbox(outbox_file), url, stock=BIRDS))
        command = [sys.executable, str(WORKER), str(outbox_file), url, str(stop), str(ready)]
        for size in BURSTS:
            ready.unlink(missing_ok=True)
            process = subprocess.Popen(command, env=env)  # noqa: S603 - our own worker script
            _wait_for(ready)
            before = _taken()
            buyers = _burst(url, size, statuses)
            # Kill it a moment after it has taken the burst's first order in.
            _wait_for_intake(_taken, before)
            time.sleep(rng.uniform(0, 0.02))
            process.send_signal(signal.SIGKILL)
            process.wait()
            for thread in buyers:
                thread.join()
            mid_way += 0 < _taken() < _placed(app)
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


def _wait_for_intake(taken: Callable[[], int], before: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while taken() <= before:
        assert time.monotonic() < deadline, "the intake worker took no order in"
        time.sleep(0.002)


def _placed_orders(app: Starlette) -> list[tuple[str, str]]:
    with app.state.sandbox.storage.transaction() as tx:
        rows = tx._db.execute("SELECT account, id FROM shop_orders").fetchall()
    return [(str(account), str(order_id)) for account, order_id in rows]


def _placed(app: Starlette) -> int:
    return len(_placed_orders(app))


@contextmanager
def _order_counter(target: str) -> Iterator[Callable[[], int]]:
    """How many orders the store holds, read directly (the intake runs in another process)."""
    if is_database_url(target):
        with psycopg.connect(target, autocommit=True) as connection:

            def count_rows() -> int:
                row = connection.execute("SELECT COUNT(*) FROM orders").fetchone()
                return 0 if row is None else int(row[0])

            yield count_rows
        return

    def count_file() -> int:
        with closing(sqlite3.connect(target, timeout=30)) as db:
            (count,) = db.execute("SELECT COUNT(*) FROM orders").fetchone()
        return int(count)

    yield count_file

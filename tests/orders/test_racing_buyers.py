"""Buyers racing on three sandbox channels for one lot while order intake is killed (SIGKILL).

60 buyers order one bird each from shops that each show the 20 birds of one lot; an intake
process takes orders in and pushes the stock, and is killed at random moments and started
again. Every order the sandbox accepted is in the inbox exactly once; no more birds are
reserved than the lot holds; every order beyond them is flagged oversold with its
cancellation prepared.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter
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
BUYERS = 60
MAX_RUNS = 12

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _buyers(url: str, statuses: list[int], seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible choices, not security
    accounts = sorted(ACCOUNTS)
    for _ in range(BUYERS // 3):
        statuses.append(buy(url, rng.choice(accounts)))
        threading.Event().wait(rng.uniform(0.02, 0.2))


def test_racing_buyers_never_get_more_than_the_lot_and_killed_intake_loses_nothing(
    tmp_path: Path,
) -> None:
    app = create_app(accounts=ACCOUNTS, rate=5000, burst=5000)
    outbox_file, stop = tmp_path / "outbox.db", tmp_path / "stop"
    outbox = Outbox(outbox_file)
    StockLedger(OrderStore(outbox)).receive(
        LOT, BIRDS, ref="slaughter", day=catalog().lot(LOT).production_date
    )
    rng = random.Random(23)  # noqa: S311 - reproducible kill times
    kills = mid_way = 0
    with running(app=app) as url:
        asyncio.run(publish_everywhere(outbox, url, stock=BIRDS))
        statuses: list[int] = []
        buyers = [threading.Thread(target=_buyers, args=(url, statuses, n)) for n in range(3)]
        for thread in buyers:
            thread.start()
        command = [sys.executable, str(WORKER), str(outbox_file), url, str(stop)]
        env = {"PYTHONPATH": str(ROOT)}
        runs = 0
        while runs < MAX_RUNS and (any(t.is_alive() for t in buyers) or mid_way < 2):
            runs += 1
            process = subprocess.Popen(command, env={**_environ(), **env})  # noqa: S603
            try:
                process.wait(timeout=rng.uniform(0.5, 1.5))
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                kills += 1
                mid_way += 0 < _taken(outbox_file) < _placed(app)
        for thread in buyers:
            thread.join()
        stop.touch()
        last = subprocess.run(command, env={**_environ(), **env}, timeout=300, check=False)  # noqa: S603
        assert last.returncode == 0
        placed = _placed_orders(app)
    accepted = Counter(statuses)[201]
    assert kills >= 1
    assert mid_way >= 1, "no kill landed while orders were being taken in"
    assert accepted > BIRDS, accepted  # the race really oversold
    assert len(placed) == accepted
    store = OrderStore(Outbox(outbox_file))
    orders = OrderInbox(store, catalog()).orders()
    assert sorted((o.account, o.order_id) for o in orders) == sorted(map(tuple, placed))
    reserved = [o for o in orders if o.status is OrderStatus.RESERVED]
    flagged = [o for o in orders if o.status is OrderStatus.FLAGGED]
    assert len(reserved) == min(BIRDS, accepted)
    assert len(flagged) == accepted - len(reserved)
    assert all(o.reason is FlagReason.OVERSOLD and o.cancel == "prepared" for o in flagged)
    stock = StockLedger(store).stock(LOT)
    assert (stock.on_hand, stock.reserved) == (BIRDS, len(reserved))


def _environ() -> dict[str, str]:
    return dict(os.environ)


def _placed_orders(app: Starlette) -> list[tuple[str, str]]:
    with app.state.sandbox.storage.transaction() as tx:
        rows = tx._db.execute("SELECT account, id FROM shop_orders").fetchall()
    return [tuple(row) for row in rows]


def _placed(app: Starlette) -> int:
    return len(_placed_orders(app))


def _taken(outbox_file: Path) -> int:
    store = OrderStore(Outbox(outbox_file))
    try:
        return len(OrderInbox(store, catalog()).orders())
    finally:
        store.close()

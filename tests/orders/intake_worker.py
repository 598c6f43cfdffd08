"""An order-intake process for the crash test: take orders in and push stock until told to stop.

Run as ``python intake_worker.py OUTBOX_FILE SANDBOX_URL STOP_FILE READY_FILE``: it makes
READY_FILE once set up, then loops over the channels (take orders in, push stock, publish
the stock) and exits 0 after a pass that took nothing new once STOP_FILE exists.
The test kills it with SIGKILL at random moments.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tests.orders.shop import CHANNELS, DAY, adapter, catalog

from ruralseller.orders import (
    OrderInbox,
    OrderStore,
    StockLedger,
    StockPolicy,
    on_channel,
    push_stock,
    take_orders,
)
from ruralseller.publishing import Outbox, Publisher


async def main(outbox_path: str, url: str, stop: Path, ready: Path) -> int:
    outbox = Outbox(outbox_path)
    store = OrderStore(outbox)
    inbox, ledger = OrderInbox(store, catalog()), StockLedger(store)
    policy = StockPolicy(channels=CHANNELS)
    adapters = {channel.name: adapter(url, channel) for channel in CHANNELS}
    await asyncio.to_thread(ready.touch)
    try:
        while True:
            stopping = await asyncio.to_thread(stop.exists)
            new = 0
            for channel in CHANNELS:
                report = await take_orders(adapters[channel.name], inbox, channel, day=DAY)
                new += len(report.new)
            push_stock(outbox, catalog(), ledger, policy, day=DAY)
            for channel in CHANNELS:
                sandbox = on_channel(adapters[channel.name], channel.name)
                await Publisher(outbox, sandbox, retry_in=0).sync()
            if stopping and new == 0:
                return 0
            await asyncio.sleep(0.01)
    finally:
        for sandbox in adapters.values():
            await sandbox.aclose()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))))

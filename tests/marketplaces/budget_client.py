"""A process that sends GET requests to a sandbox as fast as a shared rate budget allows.

Run as ``python budget_client.py SANDBOX_URL DATABASE_URL RATE SECONDS AHEAD``; the budget
test starts several at once and counts, at the sandbox, when their requests arrived.
"""

from __future__ import annotations

import asyncio
import sys
import time

from ruralseller.marketplaces import PostgresBudgets, RetryPolicy
from ruralseller.marketplaces.sandbox import SandboxMarketplace


async def main(url: str, database: str, rate: float, seconds: float, ahead: int) -> int:
    budgets = PostgresBudgets(database, ahead=ahead)
    sandbox = SandboxMarketplace(
        base_url=url, rate=rate, budgets=budgets, retry=RetryPolicy(max_attempts=1)
    )
    # Open the connections first (outside the budget): a first connection's set-up delays
    # its request more than the rest, and the requests behind it then arrive bunched up.
    await asyncio.gather(*(sandbox.http.client.get("/openapi.json") for _ in range(4)))
    deadline = time.monotonic() + seconds

    async def send() -> None:
        while time.monotonic() < deadline:
            await sandbox.http.request("GET", "/v1/listings", idempotent=True)

    try:
        await asyncio.gather(*(send() for _ in range(4)))
    finally:
        await sandbox.aclose()
        budgets.close()
    return 0


if __name__ == "__main__":
    url, database, rate, seconds, ahead = sys.argv[1:6]
    sys.exit(asyncio.run(main(url, database, float(rate), float(seconds), int(ahead))))

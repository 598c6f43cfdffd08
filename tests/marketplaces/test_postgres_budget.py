"""One rate budget per account in PostgreSQL: every process together stays within the limit.

The budget is checked where it matters, at the marketplace: several processes send through
one account as fast as the shared budget lets them, and the sandbox's own clock says when
each request arrived. In no window of one second may more than ``rate + burst`` arrive (a
token bucket of that rate and size allows no more), and the sandbox, limiting the account as
the marketplace would, answers none of them with 429.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from tests.marketplaces.arrivals import ArrivalLog, busiest_second

from ruralseller.errors import StorageError
from ruralseller.marketplaces import (
    LOCAL_BUDGETS,
    PostgresBudgets,
    RateBudget,
    TokenBucket,
    get_marketplace,
)
from ruralseller.marketplaces.postgres_budget import BUDGET_TABLE, shown_url
from ruralseller.sandbox import create_app, running

CLIENT = Path(__file__).with_name("budget_client.py")


def test_busiest_second_counts_a_sliding_window() -> None:
    assert busiest_second([0.0, 0.5, 0.99, 1.0, 1.2, 3.0]) == 4  # 0.5 .. 1.2
    assert busiest_second([]) == 0


def test_the_in_process_budget_stays_the_default() -> None:
    sandbox = get_marketplace("sandbox", base_url="http://127.0.0.1:9", key_id="local-default")
    assert sandbox.budgets is LOCAL_BUDGETS  # type: ignore[attr-defined]
    assert isinstance(sandbox.http.rate_limit, TokenBucket)  # type: ignore[attr-defined]
    assert isinstance(sandbox.http.rate_limit, RateBudget)  # type: ignore[attr-defined]


def test_a_budget_row_allows_its_capacity_at_once_then_paces(postgres_url: str) -> None:
    budgets = PostgresBudgets(postgres_url, burst=1)
    try:
        budget = budgets.budget("sandbox", "coop-1", rate=10, capacity=3)
        waits = [budget._reserve(1.0) for _ in range(5)]
    finally:
        budgets.close()
    assert waits[:3] == [0.0, 0.0, 0.0]
    # The 4th and 5th wait for the tokens of the next 0.1 s and 0.2 s (less what passed).
    assert 0.05 < waits[3] <= 0.1
    assert 0.15 < waits[4] <= 0.2
    assert budgets.round_trips == 5


def test_two_handles_on_one_account_share_its_row(postgres_url: str) -> None:
    first, second = PostgresBudgets(postgres_url, burst=1), PostgresBudgets(postgres_url, burst=1)
    try:
        one = first.budget("etsy", "shop 42", rate=5, capacity=2)
        other = second.budget("etsy", "shop 42", rate=5, capacity=2)
        assert [one._reserve(1.0), other._reserve(1.0)] == [0.0, 0.0]
        assert other._reserve(1.0) > 0.1  # the bucket of two is empty, whoever took them
        # Another account has its own row.
        assert second.budget("etsy", "shop 43", rate=5, capacity=2)._reserve(1.0) == 0.0
    finally:
        first.close()
        second.close()
    with psycopg.connect(postgres_url) as db:
        rows = db.execute(f"SELECT account FROM {BUDGET_TABLE} ORDER BY account").fetchall()  # noqa: S608
    assert rows == [("shop 42",), ("shop 43",)]


def test_reserving_ahead_saves_round_trips_and_keeps_the_pace(postgres_url: str) -> None:
    now = [100.0]
    budgets = PostgresBudgets(postgres_url, ahead=4, burst=1, clock=lambda: now[0])
    try:
        budget = budgets.budget("sandbox", "coop-2", rate=10, capacity=4)
        waits = [budget._reserve(1.0) for _ in range(8)]
    finally:
        budgets.close()
    assert budgets.round_trips == 2
    assert waits[:4] == [0.0, 0.0, 0.0, 0.0]
    # The second batch was taken from an empty bucket: one token every 0.1 s.
    assert [round(w, 1) for w in waits[4:]] == [0.1, 0.2, 0.3, 0.4]


def test_the_workers_keep_half_the_account_s_burst_for_the_network(postgres_url: str) -> None:
    budgets = PostgresBudgets(postgres_url)
    try:
        budget = budgets.budget("sandbox", "coop-3", rate=10, capacity=10)
        waits = [budget._reserve(1.0) for _ in range(6)]
    finally:
        budgets.close()
    assert budget.capacity == 5
    assert waits[:5] == [0.0] * 5
    assert waits[5] > 0.05
    with pytest.raises(ValueError, match="share"):
        PostgresBudgets(postgres_url, burst=1.5)


def test_an_unreachable_database_is_a_storage_error_without_the_password(tmp_path: Path) -> None:
    url = f"postgresql://seller:s3cret-pw@/nowhere?host={tmp_path}&port=1&connect_timeout=1"
    budgets = PostgresBudgets(url)
    budget = budgets.budget("sandbox", "coop", rate=5, capacity=5)
    with pytest.raises(StorageError) as caught:
        asyncio.run(budget.acquire())
    assert "s3cret-pw" not in str(caught.value)
    assert "shared rate budgets" in str(caught.value)
    assert "***" in shown_url(url)


@pytest.mark.parametrize("ahead", [1, 3])
def test_processes_sharing_a_budget_stay_within_the_account_limit(
    postgres_url: str, ahead: int
) -> None:
    # The account may send 20 a second in bursts of 25; the clients keep to 20 in bursts of
    # 20 (the driver's capacity), leaving room for the network's jitter, as one should.
    rate, burst, processes, seconds = 20.0, 25.0, 3, 3.0
    inner = create_app(rate=rate, burst=burst)
    log = ArrivalLog(inner)
    with running(app=log) as url:  # type: ignore[arg-type]
        command = [sys.executable, str(CLIENT), url, postgres_url, str(rate), str(seconds)]
        clients = [
            subprocess.Popen([*command, str(ahead)])  # noqa: S603 - our own script
            for _ in range(processes)
        ]
        codes = [client.wait(timeout=60) for client in clients]
    assert codes == [0] * processes
    times = [arrived for arrived, _account, _status in log.arrivals]
    statuses = [status for _arrived, _account, status in log.arrivals]
    assert statuses.count(429) == 0, "the sandbox refused requests over the account's limit"
    assert busiest_second(times) <= rate + burst
    # Not starved either: together they used most of the budget (start-up takes a while).
    assert len(times) >= 0.6 * rate * seconds

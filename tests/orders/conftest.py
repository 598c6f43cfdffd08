"""Fixtures of the order tests."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.orders.shop import catalog

from ruralseller.orders import OrderInbox, OrderStore, StockLedger
from ruralseller.publishing import Outbox


@pytest.fixture
def world(store_target: str) -> tuple[Outbox, OrderInbox, StockLedger]:
    """An outbox (SQLite, then PostgreSQL), its inbox and ledger; 3 units of WJ261120A in."""
    outbox = Outbox(store_target)
    store = OrderStore(outbox)
    ledger = StockLedger(store)
    ledger.receive("WJ261120A", 3, ref="slaughter", day=dt.date(2026, 11, 21))
    return outbox, OrderInbox(store, catalog()), ledger

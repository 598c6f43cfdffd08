"""The append-only ledger, its additive tables, and the catalogue's receipts."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import attrs
import psycopg
import pytest
from tests.orders.shop import catalog
from tests.publishing.conftest import draft, picture

from ruralseller.errors import StorageError
from ruralseller.orders import MoveKind, OrderStore, StockLedger
from ruralseller.orders.store import SCHEMA_VERSION
from ruralseller.publishing import Outbox

DAY = dt.date(2026, 11, 21)


def test_stock_is_the_sum_of_the_moves_and_each_move_is_recorded_once(store_target: str) -> None:
    ledger = StockLedger(OrderStore(Outbox(store_target)))
    assert ledger.receive("L1", 10, ref="slaughter", day=DAY)
    assert not ledger.receive("L1", 10, ref="slaughter", day=DAY)  # a repeated step
    assert ledger.write_off("L1", 3, ref="spoiled", day=DAY, note="power cut")
    stock = ledger.stock("L1")
    assert (stock.on_hand, stock.reserved, stock.available) == (7, 0, 7)
    assert [m.kind for m in ledger.moves("L1")] == [MoveKind.RECEIPT, MoveKind.WRITE_OFF]
    with pytest.raises(ValueError, match="cannot write off 8"):
        ledger.write_off("L1", 8, ref="more", day=DAY)


def test_the_catalogue_is_received_once_and_its_changes_as_differences(
    store_target: str,
) -> None:
    ledger = StockLedger(OrderStore(Outbox(store_target)))
    first = ledger.receive_catalog(catalog(), day=DAY)
    assert set(first) == {lot.id for lot in catalog().lots}
    assert ledger.stock("WJ261120A").on_hand == 40
    assert ledger.receive_catalog(catalog(), day=DAY) == []
    offers = tuple(
        attrs.evolve(o, stock=30) if o.lot == "WJ261120A" else o for o in catalog().offers
    )
    lowered = attrs.evolve(catalog(), offers=offers)
    assert ledger.receive_catalog(lowered, day=DAY) == ["WJ261120A"]
    assert ledger.stock("WJ261120A").on_hand == 30
    assert ledger.receive_catalog(catalog(), day=DAY) == ["WJ261120A"]
    assert ledger.stock("WJ261120A").on_hand == 40
    assert ledger.receive_catalog(lowered, day=DAY) == ["WJ261120A"]  # back down again
    assert ledger.stock("WJ261120A").on_hand == 30


def test_the_order_tables_are_added_to_an_existing_outbox_file(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    outbox = Outbox(path)
    outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    outbox.close()
    store = OrderStore(Outbox(path))
    assert store.schema_version() == SCHEMA_VERSION
    assert Outbox(path).job("sandbox", "HEN-1").sku == "HEN-1"  # the outbox is untouched
    OrderStore(Outbox(path))  # opening it again changes nothing
    tables = {row[0] for row in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert {"jobs", "stock_moves", "orders", "order_cursors", "ruralseller_schema"} <= tables


def test_a_file_from_a_newer_ruralseller_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    OrderStore(Outbox(path))
    db = sqlite3.connect(path)
    db.execute("UPDATE ruralseller_schema SET version = 99 WHERE component = 'orders'")
    db.commit()
    db.close()
    with pytest.raises(StorageError, match="newer ruralseller") as refused:
        OrderStore(Outbox(path))
    assert refused.value.path == str(path)
    assert "upgrade" in refused.value.hint


def test_a_disk_failure_in_a_transaction_names_the_outbox(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    store = OrderStore(Outbox(path))
    store._db.execute("PRAGMA query_only = ON")  # writes now fail as on a read-only file
    with pytest.raises(StorageError) as failed, store.transaction() as db:
        db.execute("INSERT INTO stock_policy (id, data) VALUES (1, '{}')")
    assert failed.value.path == str(path)
    assert not store._db.in_transaction


def test_publishing_with_no_ledger_creates_none(store_target: str) -> None:
    box = Outbox(store_target)
    assert not OrderStore.kept_in(box)
    OrderStore(box).close()
    assert OrderStore.kept_in(box)


def test_a_postgresql_database_from_a_newer_ruralseller_is_refused(postgres_url: str) -> None:
    OrderStore(Outbox(postgres_url)).close()
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("UPDATE ruralseller_schema SET version = 99 WHERE component = 'orders'")
    with pytest.raises(StorageError, match="newer ruralseller") as refused:
        OrderStore(Outbox(postgres_url))
    assert "upgrade" in refused.value.hint


def test_the_order_tables_on_postgresql_reach_the_same_step(postgres_url: str) -> None:
    box = Outbox(postgres_url)
    box.enqueue("sandbox", draft("HEN-1"), [picture()])
    store = OrderStore(box)
    assert store.schema_version() == SCHEMA_VERSION
    assert OrderStore(Outbox(postgres_url)).schema_version() == SCHEMA_VERSION  # again: no-op
    assert box.job("sandbox", "HEN-1").sku == "HEN-1"

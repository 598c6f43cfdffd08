"""The order stage's tables, in the same SQLite file as the publishing outbox.

The ledger and the order inbox live beside the outbox so that one file holds everything a
partner's computer knows about what is listed, ordered and owed. The outbox's own tables are
left alone: this module adds its tables in numbered steps recorded in ``ruralseller_schema``
(one row per component and the step it reached), so a file written by an older ruralseller
gains the new tables the first time a newer one opens it, and nothing is ever rewritten.

Each change is one ``BEGIN IMMEDIATE`` transaction, as in the outbox: several processes may
take orders from the same file at once and SQLite runs their transactions one after the
other, so a reservation is always computed from the stock as it stands.

Example:
    >>> from ruralseller.publishing import Outbox
    >>> store = OrderStore(Outbox(":memory:"))
    >>> store.schema_version()
    2
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from ruralseller.errors import StorageError
from ruralseller.publishing import Outbox, storage_errors

__all__ = ["SCHEMA_VERSION", "OrderStore"]

_COMPONENT = "orders"

# Each step is applied once, in order, in one transaction with the version it reaches. Add a
# step for a change; never edit one that has shipped.
_STEPS: Final = (
    """
    CREATE TABLE IF NOT EXISTS stock_moves (
        id INTEGER PRIMARY KEY,
        lot TEXT NOT NULL,
        kind TEXT NOT NULL,
        quantity INTEGER NOT NULL CHECK (quantity > 0),
        ref TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        day TEXT NOT NULL,
        at REAL NOT NULL,
        UNIQUE (kind, lot, ref)
    );
    CREATE INDEX IF NOT EXISTS stock_moves_by_lot ON stock_moves (lot);
    CREATE TABLE IF NOT EXISTS orders (
        marketplace TEXT NOT NULL,
        account TEXT NOT NULL,
        order_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        sku TEXT NOT NULL,
        quantity INTEGER NOT NULL,
        unit_price TEXT,
        currency TEXT,
        placed_at TEXT NOT NULL,
        day TEXT NOT NULL,
        taken_at REAL NOT NULL,
        status TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '',
        allocation TEXT NOT NULL DEFAULT '[]',
        buyer TEXT NOT NULL DEFAULT '{}',
        cancel TEXT NOT NULL DEFAULT '',
        weight TEXT,
        final_price TEXT,
        shipped_at REAL,
        shipped_day TEXT,
        seq INTEGER NOT NULL,
        PRIMARY KEY (marketplace, account, order_id)
    );
    CREATE INDEX IF NOT EXISTS orders_by_id ON orders (order_id);
    CREATE TABLE IF NOT EXISTS order_cursors (
        channel TEXT PRIMARY KEY,
        cursor TEXT NOT NULL,
        at REAL NOT NULL
    );
    """,
    # 2: the partner's stock policy (channels, buffers, split), kept between runs.
    """
    CREATE TABLE IF NOT EXISTS stock_policy (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        data TEXT NOT NULL
    );
    """,
)

#: The step the order tables reach with this version of ruralseller.
SCHEMA_VERSION: Final = len(_STEPS)


class OrderStore:
    """The order stage's connection to the outbox file.

    Args:
        outbox: the outbox whose file holds the ledger and the inbox too. A file gets a
            connection of its own (several processes may use it); an in-memory outbox
            (tests) shares its connection, since its tables exist nowhere else.
    """

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox
        self.path = outbox.path
        if outbox.path == ":memory:":
            # An in-memory database exists only on the connection that made it.
            self._db: sqlite3.Connection = outbox._db  # noqa: SLF001
        else:
            with storage_errors(outbox.path, what="outbox"):
                self._db = sqlite3.connect(
                    outbox.path, timeout=30, isolation_level=None, check_same_thread=False
                )
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
        self._migrate()

    @staticmethod
    def kept_in(outbox: Outbox) -> bool:
        """Whether ``outbox``'s file holds order tables already (without creating them)."""
        with storage_errors(outbox.path, what="outbox"):
            row = outbox._db.execute(  # noqa: SLF001 - a read of the same file's catalogue
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ruralseller_schema'"
            ).fetchone()
            if row is None:
                return False
            found = outbox._db.execute(  # noqa: SLF001
                "SELECT 1 FROM ruralseller_schema WHERE component = ?", (_COMPONENT,)
            ).fetchone()
        return found is not None

    def __repr__(self) -> str:
        return f"OrderStore({self.path!r})"

    def _migrate(self) -> None:
        with self.transaction() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS ruralseller_schema "
                "(component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
            )
            row = db.execute(
                "SELECT version FROM ruralseller_schema WHERE component = ?", (_COMPONENT,)
            ).fetchone()
            reached = 0 if row is None else int(row[0])
            if reached > SCHEMA_VERSION:
                raise StorageError(
                    self.path,
                    f"the outbox was written by a newer ruralseller (order tables at step "
                    f"{reached}, this one knows {SCHEMA_VERSION})",
                    hint="upgrade ruralseller (pip install -U ruralseller)",
                )
            for step in _STEPS[reached:]:
                for statement in step.split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute(
                "INSERT OR REPLACE INTO ruralseller_schema (component, version) VALUES (?, ?)",
                (_COMPONENT, SCHEMA_VERSION),
            )

    def schema_version(self) -> int:
        """The step the file's order tables are at."""
        row = self._db.execute(
            "SELECT version FROM ruralseller_schema WHERE component = ?", (_COMPONENT,)
        ).fetchone()
        return int(row[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``), rolled back if the block raises.

        A SQLite or disk failure (a full disk, a read-only file) becomes a
        :class:`~ruralseller.errors.StorageError` naming the file; nothing saved is lost.
        """
        with storage_errors(self.path, what="outbox"):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def read(self) -> sqlite3.Connection:
        """The connection, for reads outside a transaction."""
        return self._db

    def close(self) -> None:
        """Close the connection (not the outbox's, when shared)."""
        if self._db is not self.outbox._db:  # noqa: SLF001
            self._db.close()

"""The sandbox's SQLite database: listings, their pictures, and idempotency records.

One connection, guarded by a lock, serves every request; each request's writes happen in
one transaction (:meth:`Storage.transaction`), so a listing and the stored answer of its
idempotency key are committed together or not at all. Every statement takes parameters;
no value is ever formatted into SQL. A database file is put in WAL mode, so readers of the
file (a partner's SQLite browser) do not block the sandbox.

Example:
    >>> storage = Storage(":memory:")
    >>> with storage.transaction() as tx:
    ...     tx.count_listings()
    0
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import attrs

__all__ = ["IdempotencyRecord", "ImageRecord", "ListingRecord", "Storage", "Transaction"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS listings (
    account TEXT NOT NULL,
    sku TEXT NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    draft TEXT NOT NULL,
    stock INTEGER NOT NULL,
    price_amount TEXT NOT NULL,
    price_currency TEXT NOT NULL,
    PRIMARY KEY (account, sku)
);
CREATE TABLE IF NOT EXISTS images (
    account TEXT NOT NULL,
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    format TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (account, sku, name)
);
CREATE TABLE IF NOT EXISTS idempotency (
    account TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    created_at REAL NOT NULL,
    status INTEGER,
    body TEXT,
    PRIMARY KEY (account, key)
);
"""

_LISTING_COLUMNS = (
    "account, sku, state, version, created_at, updated_at, draft, stock, price_amount, "
    "price_currency"
)
_IMAGE_COLUMNS = "name, media_type, format, width, height, size, sha256"


@attrs.frozen(kw_only=True)
class ListingRecord:
    """One stored listing (``draft`` is the draft data as stored)."""

    account: str
    sku: str
    state: str
    version: int
    created_at: str
    updated_at: str
    draft: dict[str, Any] = attrs.field(hash=False)
    stock: int
    price_amount: str
    price_currency: str

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> ListingRecord:
        """The record of a ``listings`` row, columns in schema order."""
        names = [field.name for field in attrs.fields(cls)]
        values = dict(zip(names, row, strict=True))
        values["draft"] = json.loads(values["draft"])
        return cls(**values)


@attrs.frozen(kw_only=True)
class ImageRecord:
    """What is known of one uploaded picture (its bytes are fetched separately)."""

    name: str
    media_type: str
    format: str
    width: int
    height: int
    size: int
    sha256: str


@attrs.frozen(kw_only=True)
class IdempotencyRecord:
    """An idempotency key's request hash and, once answered, the answer."""

    request_hash: str
    created_at: float
    status: int | None
    body: str | None


class Transaction:
    """The reads and writes of one transaction; made by :meth:`Storage.transaction`."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    # --- listings ---

    def count_listings(self) -> int:
        """How many listings are stored, of every account."""
        (count,) = self._db.execute("SELECT COUNT(*) FROM listings").fetchone()
        return int(count)

    def listing(self, account: str, sku: str) -> ListingRecord | None:
        """The account's listing of ``sku``, or None."""
        row = self._db.execute(
            f"SELECT {_LISTING_COLUMNS} FROM listings WHERE account = ? AND sku = ?",  # noqa: S608 - constant columns
            (account, sku),
        ).fetchone()
        return None if row is None else ListingRecord.from_row(row)

    def save_listing(self, record: ListingRecord) -> None:
        """Insert or replace a listing."""
        values = attrs.asdict(record)
        values["draft"] = json.dumps(record.draft, ensure_ascii=False)
        self._db.execute(
            f"INSERT OR REPLACE INTO listings ({_LISTING_COLUMNS}) "  # noqa: S608 - constant columns
            "VALUES (:account, :sku, :state, :version, :created_at, :updated_at, :draft, "
            ":stock, :price_amount, :price_currency)",
            values,
        )

    def listings(
        self, account: str, *, skus: Sequence[str] = (), after: str = "", limit: int = 100
    ) -> list[ListingRecord]:
        """The account's listings ordered by SKU, after ``after``, at most ``limit``."""
        where, params = "account = ? AND sku > ?", [account, after]
        if skus:
            where += f" AND sku IN ({', '.join('?' for _ in skus)})"
            params.extend(skus)
        rows = self._db.execute(
            f"SELECT {_LISTING_COLUMNS} FROM listings WHERE {where} ORDER BY sku LIMIT ?",  # noqa: S608 - placeholders only
            (*params, limit),
        ).fetchall()
        return [ListingRecord.from_row(row) for row in rows]

    def active_listings(self) -> list[ListingRecord]:
        """Every active listing, of every account, ordered by SKU."""
        rows = self._db.execute(
            f"SELECT {_LISTING_COLUMNS} FROM listings WHERE state = 'active' "  # noqa: S608 - constant columns
            "ORDER BY sku, account"
        ).fetchall()
        return [ListingRecord.from_row(row) for row in rows]

    def public_listing(self, sku: str) -> ListingRecord | None:
        """The active listing of ``sku`` (the first account's, if several have one)."""
        row = self._db.execute(
            f"SELECT {_LISTING_COLUMNS} FROM listings WHERE sku = ? AND state = 'active' "  # noqa: S608 - constant columns
            "ORDER BY account LIMIT 1",
            (sku,),
        ).fetchone()
        return None if row is None else ListingRecord.from_row(row)

    # --- images ---

    def images(self, account: str, sku: str) -> list[ImageRecord]:
        """The pictures uploaded for a listing, by name."""
        rows = self._db.execute(
            f"SELECT {_IMAGE_COLUMNS} FROM images WHERE account = ? AND sku = ? ORDER BY name",  # noqa: S608 - constant columns
            (account, sku),
        ).fetchall()
        return [
            ImageRecord(**dict(zip(_IMAGE_COLUMNS.split(", "), row, strict=True))) for row in rows
        ]

    def save_image(self, account: str, sku: str, image: ImageRecord, data: bytes) -> None:
        """Insert or replace one picture of a listing."""
        self._db.execute(
            "INSERT OR REPLACE INTO images (account, sku, name, media_type, format, width, "
            "height, size, sha256, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (account, sku, *attrs.astuple(image), data),
        )

    def image_data(
        self, sku: str, name: str, account: str | None = None
    ) -> tuple[str, bytes] | None:
        """A picture's media type and bytes; without ``account``, the active listing's first."""
        query = (
            "SELECT i.media_type, i.data FROM images i JOIN listings l "
            "ON l.account = i.account AND l.sku = i.sku WHERE i.sku = ? AND i.name = ?"
        )
        params: tuple[str, ...] = (sku, name)
        if account is not None:
            query, params = query + " AND i.account = ?", (*params, account)
        row = self._db.execute(
            query + " ORDER BY l.state = 'active' DESC, i.account LIMIT 1", params
        ).fetchone()
        return None if row is None else (str(row[0]), bytes(row[1]))

    # --- idempotency ---

    def idempotency(self, account: str, key: str) -> IdempotencyRecord | None:
        """The record of an idempotency key, or None."""
        row = self._db.execute(
            "SELECT request_hash, created_at, status, body FROM idempotency "
            "WHERE account = ? AND key = ?",
            (account, key),
        ).fetchone()
        return (
            None
            if row is None
            else IdempotencyRecord(
                request_hash=row[0], created_at=row[1], status=row[2], body=row[3]
            )
        )

    def claim_idempotency(self, account: str, key: str, request_hash: str, now: float) -> None:
        """Mark a key in flight for a request (replacing an expired record)."""
        self._db.execute(
            "INSERT OR REPLACE INTO idempotency (account, key, request_hash, created_at) "
            "VALUES (?, ?, ?, ?)",
            (account, key, request_hash, now),
        )

    def finish_idempotency(self, account: str, key: str, status: int, body: str) -> None:
        """Store the answer of a key's request."""
        self._db.execute(
            "UPDATE idempotency SET status = ?, body = ? WHERE account = ? AND key = ?",
            (status, body, account, key),
        )

    def release_idempotency(self, account: str, key: str) -> None:
        """Forget a key whose request failed, so that it may be retried."""
        self._db.execute(
            "DELETE FROM idempotency WHERE account = ? AND key = ? AND status IS NULL",
            (account, key),
        )


class Storage:
    """The sandbox's SQLite database (a file path, or ``":memory:"``)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One transaction, committed when the block ends and rolled back if it raises."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._db)
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

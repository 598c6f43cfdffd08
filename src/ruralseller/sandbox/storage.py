"""The sandbox's SQLite database: listings, pictures, idempotency records and EPCIS events.

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
from contextlib import contextmanager, suppress
from typing import Any

import attrs

from ruralseller.publishing import open_store, storage_errors

__all__ = [
    "CaptureRecord",
    "EpcisEventRecord",
    "EpcisLocationRecord",
    "IdempotencyRecord",
    "ImageRecord",
    "ListingRecord",
    "Storage",
    "Transaction",
]

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
CREATE TABLE IF NOT EXISTS epcis_events (
    account TEXT NOT NULL,
    event_id TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    event_time TEXT NOT NULL,
    capture_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (account, event_id)
);
CREATE TABLE IF NOT EXISTS epcis_event_lots (
    account TEXT NOT NULL,
    event_id TEXT NOT NULL,
    gtin TEXT NOT NULL,
    lot TEXT NOT NULL,
    PRIMARY KEY (account, event_id, gtin, lot)
);
CREATE INDEX IF NOT EXISTS epcis_event_lots_by_lot ON epcis_event_lots (gtin, lot);
CREATE TABLE IF NOT EXISTS epcis_locations (
    account TEXT NOT NULL,
    location_id TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (account, location_id)
);
CREATE TABLE IF NOT EXISTS epcis_captures (
    account TEXT NOT NULL,
    capture_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    event_ids TEXT NOT NULL,
    new_event_count INTEGER NOT NULL,
    PRIMARY KEY (account, capture_id)
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


@attrs.frozen(kw_only=True)
class EpcisEventRecord:
    """One captured EPCIS event.

    Attributes:
        account: who captured it.
        event_id: its ``eventID``, as sent or made from its content.
        content_sha256: the SHA-256 of its canonical JSON, to tell a repeat from a clash.
        event_time: its ``eventTime`` in UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (sorts as text).
        capture_id: the capture that stored it.
        data: the event's JSON object, as sent (with ``eventID`` added when it had none).
        lots: the (GTIN-14, lot) pairs it names.
    """

    account: str
    event_id: str
    content_sha256: str
    event_time: str
    capture_id: str
    data: dict[str, Any] = attrs.field(hash=False)
    lots: tuple[tuple[str, str], ...] = ()


@attrs.frozen(kw_only=True)
class EpcisLocationRecord:
    """A location's master data from a captured document's header.

    Attributes:
        account: who captured it.
        location_id: the location's identifier.
        data: ``name`` and the place's parts (``country``, ``province``, ``city``,
            ``county``, ``township``, ``village``), each text or None.
    """

    account: str
    location_id: str
    data: dict[str, str | None] = attrs.field(hash=False)


@attrs.frozen(kw_only=True)
class CaptureRecord:
    """One finished EPCIS capture: when, which events it carried, how many were new."""

    account: str
    capture_id: str
    created_at: str
    event_ids: tuple[str, ...]
    new_event_count: int


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

    # --- EPCIS events ---

    def epcis_event_sha256(self, account: str, event_id: str) -> str | None:
        """The content hash of the account's event ``event_id``, or None if there is none."""
        row = self._db.execute(
            "SELECT content_sha256 FROM epcis_events WHERE account = ? AND event_id = ?",
            (account, event_id),
        ).fetchone()
        return None if row is None else str(row[0])

    def save_epcis_event(self, record: EpcisEventRecord) -> None:
        """Insert a new event and the lots it names."""
        self._db.execute(
            "INSERT INTO epcis_events (account, event_id, content_sha256, event_time, "
            "capture_id, data) VALUES (?, ?, ?, ?, ?, ?)",
            (
                record.account,
                record.event_id,
                record.content_sha256,
                record.event_time,
                record.capture_id,
                json.dumps(record.data, ensure_ascii=False),
            ),
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO epcis_event_lots (account, event_id, gtin, lot) "
            "VALUES (?, ?, ?, ?)",
            [(record.account, record.event_id, gtin, lot) for gtin, lot in record.lots],
        )

    def count_epcis_events(self) -> int:
        """How many EPCIS events are stored, of every account."""
        (count,) = self._db.execute("SELECT COUNT(*) FROM epcis_events").fetchone()
        return int(count)

    def lot_events(self, gtin: str, lot: str) -> list[EpcisEventRecord]:
        """Every account's events naming a lot, in time order."""
        rows = self._db.execute(
            "SELECT e.account, e.event_id, e.content_sha256, e.event_time, e.capture_id, "
            "e.data FROM epcis_events e JOIN epcis_event_lots l "
            "ON l.account = e.account AND l.event_id = e.event_id "
            "WHERE l.gtin = ? AND l.lot = ? ORDER BY e.event_time, e.account, e.event_id",
            (gtin, lot),
        ).fetchall()
        return [
            EpcisEventRecord(
                account=row[0],
                event_id=row[1],
                content_sha256=row[2],
                event_time=row[3],
                capture_id=row[4],
                data=json.loads(row[5]),
                lots=((gtin, lot),),
            )
            for row in rows
        ]

    def has_lot_events(self, gtin: str, lot: str) -> bool:
        """Whether any account captured an event naming the lot."""
        row = self._db.execute(
            "SELECT 1 FROM epcis_event_lots WHERE gtin = ? AND lot = ? LIMIT 1", (gtin, lot)
        ).fetchone()
        return row is not None

    def save_epcis_location(self, record: EpcisLocationRecord) -> None:
        """Insert or replace a location's master data."""
        self._db.execute(
            "INSERT OR REPLACE INTO epcis_locations (account, location_id, data) VALUES (?, ?, ?)",
            (record.account, record.location_id, json.dumps(record.data, ensure_ascii=False)),
        )

    def epcis_location(self, account: str, location_id: str) -> EpcisLocationRecord | None:
        """The master data of one of the account's locations, or None."""
        row = self._db.execute(
            "SELECT data FROM epcis_locations WHERE account = ? AND location_id = ?",
            (account, location_id),
        ).fetchone()
        if row is None:
            return None
        return EpcisLocationRecord(
            account=account, location_id=location_id, data=json.loads(row[0])
        )

    def save_capture(self, record: CaptureRecord) -> None:
        """Insert a finished capture."""
        self._db.execute(
            "INSERT INTO epcis_captures (account, capture_id, created_at, event_ids, "
            "new_event_count) VALUES (?, ?, ?, ?, ?)",
            (
                record.account,
                record.capture_id,
                record.created_at,
                json.dumps(list(record.event_ids)),
                record.new_event_count,
            ),
        )

    def capture(self, account: str, capture_id: str) -> CaptureRecord | None:
        """One of the account's captures, or None."""
        row = self._db.execute(
            "SELECT created_at, event_ids, new_event_count FROM epcis_captures "
            "WHERE account = ? AND capture_id = ?",
            (account, capture_id),
        ).fetchone()
        if row is None:
            return None
        return CaptureRecord(
            account=account,
            capture_id=capture_id,
            created_at=row[0],
            event_ids=tuple(json.loads(row[1])),
            new_event_count=row[2],
        )

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
        self._db = open_store(self.path, schema=_SCHEMA, table="listings", what="sandbox store")

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One transaction, committed when the block ends and rolled back if it raises.

        Raises:
            StorageError: the database file failed (a full disk, a read-only file...).
        """
        with self._lock, storage_errors(self.path, what="sandbox store"):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield Transaction(self._db)
            except BaseException:
                with suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

"""The stock ledger: an append-only record of every unit that came in, was held or went out.

Nothing is ever updated or deleted: stock is the sum of the moves. Per lot::

    on hand   = receipts − shipments − write-offs
    reserved  = reservations − releases − shipments
    available = on hand − reserved

A reservation holds units for an order that is taken in; a release gives them back (the
order was cancelled); a shipment takes reserved units out of the house; a write-off takes
spoiled or lost units out. Each move has a reference (an order's key, ``catalog``...), and a
move of one kind for one lot and reference is recorded once, so repeating a step after a
crash records nothing twice.

Example:
    >>> import datetime as dt
    >>> from ruralseller.publishing import Outbox
    >>> ledger = StockLedger(OrderStore(Outbox(":memory:")))
    >>> day = dt.date(2026, 11, 21)
    >>> ledger.receive("WJ261120A", 24, ref="slaughter", day=day)
    True
    >>> ledger.write_off("WJ261120A", 1, ref="torn-bag", day=day, note="torn bag")
    True
    >>> ledger.stock("WJ261120A")
    LotStock(lot='WJ261120A', on_hand=23, reserved=0)
"""

from __future__ import annotations

import datetime as dt
import enum
import time
from collections.abc import Callable, Iterable

import attrs

from ruralseller.catalog import Catalog, Lot
from ruralseller.orders.store import OrderStore
from ruralseller.publishing import Database

__all__ = ["LotStock", "MoveKind", "StockLedger", "StockMove", "units_on_offer"]


class MoveKind(enum.Enum):
    """What a stock move does."""

    RECEIPT = "receipt"
    RESERVATION = "reservation"
    RELEASE = "release"
    SHIPMENT = "shipment"
    WRITE_OFF = "write_off"


@attrs.frozen(kw_only=True)
class StockMove:
    """One line of the ledger."""

    id: int
    lot: str
    kind: MoveKind
    quantity: int
    ref: str
    note: str
    day: dt.date


@attrs.frozen
class LotStock:
    """A lot's stock: on hand, reserved for orders, and so available to sell."""

    lot: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        """Units that may still be promised: on hand less reserved."""
        return self.on_hand - self.reserved


_SIGNS = {
    # kind: (on hand, reserved)
    MoveKind.RECEIPT: (1, 0),
    MoveKind.RESERVATION: (0, 1),
    MoveKind.RELEASE: (0, -1),
    MoveKind.SHIPMENT: (-1, -1),
    MoveKind.WRITE_OFF: (-1, 0),
}


def units_on_offer(catalog: Catalog, lot: Lot) -> int:
    """How many sale units of ``lot`` the catalogue puts on offer (its offer's stock).

    The ledger counts in the offer's sale units, which is what listings show and buyers
    order. A lot with no offer counts its pieces (or nothing, when it has no count).
    """
    offer = catalog.offer_for(lot.id)
    if offer is not None:
        return offer.stock
    return lot.quantity.count or 0


def stock_in(db: Database, lots: Iterable[str]) -> dict[str, LotStock]:
    """The stock of ``lots`` as the connection sees it (inside a transaction: as it stands)."""
    wanted = list(dict.fromkeys(lots))
    found = {lot: [0, 0] for lot in wanted}
    if not wanted:
        return {}
    rows = db.execute(
        f"SELECT lot, kind, SUM(quantity) FROM stock_moves WHERE lot IN "  # noqa: S608
        f"({', '.join('?' for _ in wanted)}) GROUP BY lot, kind",
        wanted,
    ).fetchall()
    for lot, kind, total in rows:
        on_hand, reserved = _SIGNS[MoveKind(kind)]
        found[lot][0] += on_hand * int(total)  # PostgreSQL sums integers as numeric
        found[lot][1] += reserved * int(total)
    return {lot: LotStock(lot, *found[lot]) for lot in wanted}


def record_move(  # noqa: PLR0913 - one ledger line, every part named
    db: Database,
    *,
    lot: str,
    kind: MoveKind,
    quantity: int,
    ref: str,
    day: dt.date,
    at: float,
    note: str = "",
) -> bool:
    """Append one move (inside the caller's transaction); False when it was recorded before."""
    if quantity < 1:
        raise ValueError(f"a stock move moves at least 1 unit, not {quantity!r}")
    cursor = db.execute(
        "INSERT INTO stock_moves (lot, kind, quantity, ref, note, day, at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, lot, ref) DO NOTHING",
        (lot, kind.value, quantity, ref, note, day.isoformat(), at),
    )
    return cursor.rowcount == 1


class StockLedger:
    """The ledger of every lot's stock, in an :class:`OrderStore`.

    Args:
        store: where the moves are kept.
        clock: unix seconds, recorded with each move.
    """

    def __init__(self, store: OrderStore, *, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    def __repr__(self) -> str:
        return f"StockLedger({self.store.path!r})"

    def _append(self, kind: MoveKind, lot: str, quantity: int, ref: str, **rest: object) -> bool:
        with self.store.transaction() as db:
            if kind is MoveKind.WRITE_OFF:
                have = stock_in(db, [lot])[lot].available
                if quantity > have:
                    raise ValueError(
                        f"lot {lot} has {have} unreserved units; cannot write off {quantity} "
                        "(cancel or ship the orders holding the rest first)"
                    )
            return record_move(
                db,
                lot=lot,
                kind=kind,
                quantity=quantity,
                ref=ref,
                day=rest["day"],  # type: ignore[arg-type]
                at=self.clock(),
                note=str(rest.get("note", "")),
            )

    def receive(self, lot: str, quantity: int, *, ref: str, day: dt.date, note: str = "") -> bool:
        """Record units coming in (a lot slaughtered, a harvest weighed); False if already."""
        return self._append(MoveKind.RECEIPT, lot, quantity, ref, day=day, note=note)

    def write_off(self, lot: str, quantity: int, *, ref: str, day: dt.date, note: str = "") -> bool:
        """Record units spoiled or lost (only unreserved ones); False if already recorded."""
        return self._append(MoveKind.WRITE_OFF, lot, quantity, ref, day=day, note=note)

    def receive_catalog(self, catalog: Catalog, *, day: dt.date) -> list[str]:
        """Bring the ledger in line with what the catalogue offers; the lots that changed.

        A lot's offer is received once; when the partner raises the offer's stock later, the
        difference is received, and when she lowers it, the difference is written off (of
        what is not reserved). Moves made here have references starting ``catalog``.
        """
        changed = []
        with self.store.transaction() as db:
            for lot in catalog.lots:
                offered = units_on_offer(catalog, lot)
                row = db.execute(
                    "SELECT COALESCE(SUM(CASE kind WHEN 'receipt' THEN quantity "
                    "ELSE -quantity END), 0), COUNT(*) FROM stock_moves WHERE lot = ? "
                    "AND ref LIKE 'catalog:%' AND kind IN ('receipt', 'write_off')",
                    (lot.id,),
                ).fetchone()
                difference = offered - int(row[0])
                if difference == 0:
                    continue
                if difference < 0:
                    difference = -min(-difference, stock_in(db, [lot.id])[lot.id].available)
                    if difference == 0:
                        continue
                kind = MoveKind.RECEIPT if difference > 0 else MoveKind.WRITE_OFF
                record_move(
                    db,
                    lot=lot.id,
                    kind=kind,
                    quantity=abs(difference),
                    ref=f"catalog:{int(row[1]) + 1}",
                    day=day,
                    at=self.clock(),
                    note="the catalogue's offer",
                )
                changed.append(lot.id)
        return changed

    def stock(self, lot: str) -> LotStock:
        """One lot's stock now."""
        return stock_in(self.store.read(), [lot])[lot]

    def stocks(self, lots: Iterable[str]) -> dict[str, LotStock]:
        """Several lots' stock now, by lot code."""
        return stock_in(self.store.read(), lots)

    def moves_exist(self, lots: Iterable[str]) -> bool:
        """Whether the ledger has recorded any move of these lots."""
        wanted = list(lots)
        marks = ", ".join("?" for _ in wanted)
        query = f"SELECT 1 FROM stock_moves WHERE lot IN ({marks}) LIMIT 1"  # noqa: S608
        row = self.store.read().execute(query, wanted).fetchone()
        return row is not None

    def moves(self, lot: str | None = None) -> list[StockMove]:
        """The moves (of one lot, when given), in the order they were recorded."""
        query = "SELECT id, lot, kind, quantity, ref, note, day FROM stock_moves"
        params: tuple[str, ...] = ()
        if lot is not None:
            query, params = query + " WHERE lot = ?", (lot,)
        rows = self.store.read().execute(query + " ORDER BY id", params).fetchall()
        return [
            StockMove(
                id=row[0],
                lot=row[1],
                kind=MoveKind(row[2]),
                quantity=row[3],
                ref=row[4],
                note=row[5],
                day=dt.date.fromisoformat(row[6]),
            )
            for row in rows
        ]

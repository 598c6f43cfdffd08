"""The order inbox: every marketplace order taken in exactly once, its stock held at once.

An order is keyed by (marketplace, account, order id). Taking it in is one transaction: the
inbox row and the reservations of its units are written together, or not at all, so an
intake process killed at any moment leaves either the whole order or none of it, and taking
the same order again (a repeated page, a restarted run) changes nothing.

An order that cannot be filled is kept too, flagged with the reason (``oversold``: the lots
hold fewer units than ordered; ``expired``: the lots with stock are past their date;
``unknown_sku``), and its cancellation is prepared for the partner to confirm.

Order states::

    reserved ──► shipped
       │
       └──────► cancelled   (the buyer or the marketplace cancelled: units released)
    flagged ───► cancelled  (the partner confirmed the prepared cancellation)
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import time
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ruralseller.catalog import Catalog, Mass, Money
from ruralseller.errors import InvalidValueError
from ruralseller.marketplaces.orders import RemoteOrder
from ruralseller.orders.allocation import LotAvailability, allocate, lots_for_sku
from ruralseller.orders.ledger import MoveKind, record_move, stock_in
from ruralseller.orders.store import OrderStore
from ruralseller.publishing import Database

__all__ = ["FlagReason", "Order", "OrderInbox", "OrderStatus", "Taken"]


class OrderStatus(enum.Enum):
    """Where an order stands in the inbox."""

    RESERVED = "reserved"
    FLAGGED = "flagged"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class FlagReason(enum.Enum):
    """Why an order cannot be filled."""

    OVERSOLD = "oversold"
    EXPIRED = "expired"
    UNKNOWN_SKU = "unknown_sku"


@attrs.frozen(kw_only=True)
class Order:
    """An order as the inbox holds it.

    Attributes:
        marketplace: the adapter name.
        account: the seller account on the marketplace.
        order_id: the marketplace's order id.
        channel: the channel it came from.
        sku: our SKU.
        quantity: sale units ordered.
        unit_price: what the buyer paid for one unit, when known.
        placed_at: when the buyer ordered.
        day: the day it was taken in.
        status: where it stands.
        reason: why it cannot be filled (flagged orders).
        detail: the reason in words, for the partner.
        allocation: (lot code, units) held for it, first expired first.
        buyer: the buyer and address as the marketplace gave them.
        cancel: ``""``, ``"prepared"`` (waits for the partner) or ``"confirmed"``.
        weight: the weighed weight of what was shipped.
        final_price: what the order finally costs the buyer (after catch weight).
        shipped_day: the day it was shipped.
    """

    marketplace: str
    account: str
    order_id: str
    channel: str
    sku: str
    quantity: int
    unit_price: Money | None
    placed_at: dt.datetime
    day: dt.date
    status: OrderStatus
    reason: FlagReason | None = None
    detail: str = ""
    allocation: tuple[tuple[str, int], ...] = ()
    buyer: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    cancel: str = ""
    weight: Mass | None = None
    final_price: Money | None = None
    shipped_day: dt.date | None = None

    @property
    def key(self) -> str:
        """``marketplace/account/order_id``: the order's key in the inbox."""
        return f"{self.marketplace}/{self.account}/{self.order_id}"

    @property
    def charged(self) -> Money | None:
        """What the buyer paid: the unit price times the quantity, when known."""
        return None if self.unit_price is None else self.unit_price * self.quantity

    @property
    def lots(self) -> tuple[str, ...]:
        """The lots it draws on."""
        return tuple(lot for lot, _ in self.allocation)


@attrs.frozen(kw_only=True)
class Taken:
    """What taking a marketplace order in did.

    Attributes:
        order: the order as the inbox holds it now.
        new: whether it was seen for the first time.
        changed: whether stock moved (units reserved or released).
    """

    order: Order
    new: bool
    changed: bool


_COLUMNS = (
    "marketplace, account, order_id, channel, sku, quantity, unit_price, currency, placed_at, "
    "day, status, reason, detail, allocation, buyer, cancel, weight, final_price, shipped_day"
)


def _order(row: Sequence[Any]) -> Order:
    currency = row[7]
    return Order(
        marketplace=row[0],
        account=row[1],
        order_id=row[2],
        channel=row[3],
        sku=row[4],
        quantity=row[5],
        unit_price=Money(Decimal(row[6]), currency) if row[6] is not None else None,
        placed_at=dt.datetime.fromisoformat(row[8]),
        day=dt.date.fromisoformat(row[9]),
        status=OrderStatus(row[10]),
        reason=FlagReason(row[11]) if row[11] else None,
        detail=row[12],
        allocation=tuple((lot, n) for lot, n in json.loads(row[13])),
        buyer=json.loads(row[14]),
        cancel=row[15],
        weight=Mass.parse(row[16]) if row[16] else None,
        final_price=Money.parse(row[17]) if row[17] else None,
        shipped_day=dt.date.fromisoformat(row[18]) if row[18] else None,
    )


class OrderInbox:
    """Orders from every channel, each exactly once, holding their stock in the ledger.

    Args:
        store: the order tables (in the outbox file).
        catalog: the lots orders are filled from.
        clock: unix seconds, recorded with each change.
    """

    def __init__(
        self, store: OrderStore, catalog: Catalog, *, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.clock = clock

    def __repr__(self) -> str:
        return f"OrderInbox({self.store.path!r})"

    # --- taking orders in -----------------------------------------------------------------

    def take(self, remote: RemoteOrder, *, channel: str, day: dt.date) -> Taken:
        """Take ``remote`` in (once), reserving its units in the same transaction.

        Seen again, an order changes nothing, unless the marketplace cancelled it since:
        then its units are released.
        """
        key = f"{remote.marketplace}/{remote.account}/{remote.order_id}"
        with self.store.transaction() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM orders WHERE marketplace = ? AND account = ? "  # noqa: S608
                "AND order_id = ?",
                (remote.marketplace, remote.account, remote.order_id),
            ).fetchone()
            if row is not None:
                order = _order(row)
                if remote.state == "cancelled" and order.status in (
                    OrderStatus.RESERVED,
                    OrderStatus.FLAGGED,
                ):
                    order = self._cancel(db, order, day, cancel=order.cancel)
                    return Taken(order=order, new=False, changed=bool(order.allocation))
                return Taken(order=order, new=False, changed=False)
            order = self._new(db, remote, key, channel, day)
        return Taken(order=order, new=True, changed=order.status is OrderStatus.RESERVED)

    def _new(
        self,
        db: Database,
        remote: RemoteOrder,
        key: str,
        channel: str,
        day: dt.date,
    ) -> Order:
        lots = lots_for_sku(self.catalog, remote.sku)
        reason: FlagReason | None = None
        detail = ""
        lines: tuple[tuple[str, int], ...] = ()
        status = OrderStatus.RESERVED
        if remote.state == "cancelled":
            status = OrderStatus.CANCELLED
        elif not lots:
            status, reason = OrderStatus.FLAGGED, FlagReason.UNKNOWN_SKU
            detail = f"no lot in the catalogue has SKU {remote.sku!r}"
        else:
            stocks = stock_in(db, [lot.id for lot in lots])
            candidates = [
                LotAvailability(lot=lot, available=stocks[lot.id].available) for lot in lots
            ]
            plan = allocate(candidates, remote.quantity, day)
            if plan.filled:
                lines = plan.lines
                for lot, units in lines:
                    record_move(
                        db,
                        lot=lot,
                        kind=MoveKind.RESERVATION,
                        quantity=units,
                        ref=key,
                        day=day,
                        at=self.clock(),
                    )
            else:
                status = OrderStatus.FLAGGED
                sellable = sum(c.available for c in candidates if c.available > 0)
                if plan.expired:
                    reason = FlagReason.EXPIRED
                    detail = (
                        f"{remote.quantity} × {remote.sku} ordered on {day}, but the lots "
                        "with stock are past their use-by or best-before date"
                    )
                else:
                    reason = FlagReason.OVERSOLD
                    detail = (
                        f"{remote.quantity} × {remote.sku} ordered, {max(sellable, 0)} "
                        "available: sold on more channels than the lot holds"
                    )
        (seq,) = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM orders").fetchone()
        price = remote.unit_price
        db.execute(
            "INSERT INTO orders (marketplace, account, order_id, channel, sku, quantity, "
            "unit_price, currency, placed_at, day, taken_at, status, reason, detail, "
            "allocation, buyer, cancel, seq) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                remote.marketplace,
                remote.account,
                remote.order_id,
                channel,
                remote.sku,
                remote.quantity,
                str(price.amount) if price else None,
                price.currency if price else None,
                remote.placed_at.isoformat(),
                day.isoformat(),
                self.clock(),
                status.value,
                reason.value if reason else "",
                detail,
                json.dumps([list(line) for line in lines]),
                json.dumps(dict(remote.buyer), ensure_ascii=False),
                "prepared" if status is OrderStatus.FLAGGED else "",
                seq,
            ),
        )
        return self._get(db, remote.marketplace, remote.account, remote.order_id)

    # --- the partner's steps --------------------------------------------------------------

    def cancel(self, order: Order, *, day: dt.date) -> Order:
        """Cancel an order the partner confirmed cancelling; its units go back on sale."""
        with self.store.transaction() as db:
            current = self._get(db, order.marketplace, order.account, order.order_id)
            if current.status is OrderStatus.CANCELLED:
                return current
            if current.status is OrderStatus.SHIPPED:
                raise InvalidValueError(
                    f"order {order.key} is shipped; a shipped order cannot be cancelled"
                )
            return self._cancel(db, current, day, cancel="confirmed")

    def _cancel(self, db: Database, order: Order, day: dt.date, *, cancel: str) -> Order:
        for lot, units in order.allocation:
            record_move(
                db,
                lot=lot,
                kind=MoveKind.RELEASE,
                quantity=units,
                ref=order.key,
                day=day,
                at=self.clock(),
            )
        self._update(db, order, status=OrderStatus.CANCELLED.value, cancel=cancel)
        return self._get(db, order.marketplace, order.account, order.order_id)

    def ship(
        self,
        order: Order,
        *,
        day: dt.date,
        weight: Mass | None = None,
        final_price: Money | None = None,
    ) -> Order:
        """Record that a reserved order left the house: its units move out of stock."""
        with self.store.transaction() as db:
            current = self._get(db, order.marketplace, order.account, order.order_id)
            if current.status is OrderStatus.SHIPPED:
                return current
            if current.status is not OrderStatus.RESERVED:
                raise InvalidValueError(
                    f"order {order.key} is {current.status.value}"
                    + (f" ({current.reason.value})" if current.reason else "")
                    + "; only a reserved order can be shipped",
                    hint="cancel a flagged order with the marketplace instead",
                )
            for lot, units in current.allocation:
                record_move(
                    db,
                    lot=lot,
                    kind=MoveKind.SHIPMENT,
                    quantity=units,
                    ref=order.key,
                    day=day,
                    at=self.clock(),
                )
            self._update(
                db,
                current,
                status=OrderStatus.SHIPPED.value,
                weight=str(weight) if weight else None,
                final_price=str(final_price) if final_price else None,
                shipped_at=self.clock(),
                shipped_day=day.isoformat(),
            )
            return self._get(db, order.marketplace, order.account, order.order_id)

    @staticmethod
    def _update(db: Database, order: Order, **values: object) -> None:
        (seq,) = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM orders").fetchone()
        values["seq"] = seq
        sets = ", ".join(f"{name} = ?" for name in values)
        db.execute(
            f"UPDATE orders SET {sets} WHERE marketplace = ? AND account = ? AND order_id = ?",  # noqa: S608 - our column names
            (*values.values(), order.marketplace, order.account, order.order_id),
        )

    # --- reading --------------------------------------------------------------------------

    @staticmethod
    def _get(db: Database, marketplace: str, account: str, order_id: str) -> Order:
        row = db.execute(
            f"SELECT {_COLUMNS} FROM orders WHERE marketplace = ? AND account = ? "  # noqa: S608
            "AND order_id = ?",
            (marketplace, account, order_id),
        ).fetchone()
        return _order(row)

    def orders(self, *statuses: OrderStatus, channel: str | None = None) -> list[Order]:
        """The orders (in these states, from this channel, when given), in intake order."""
        where: list[str] = []
        params: list[str] = []
        if statuses:
            where.append(f"status IN ({', '.join('?' for _ in statuses)})")
            params.extend(s.value for s in statuses)
        if channel is not None:
            where.append("channel = ?")
            params.append(channel)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self.store.read().execute(
            f"SELECT {_COLUMNS} FROM orders{clause} ORDER BY taken_at, rowid",  # noqa: S608
            params,
        )
        return [_order(row) for row in rows.fetchall()]

    def order(self, ref: str) -> Order:
        """An order by its key (``marketplace/account/id``) or by its marketplace id alone.

        Raises:
            InvalidValueError: when no order, or several, match.
        """
        rows = (
            self.store.read()
            .execute(
                f"SELECT {_COLUMNS} FROM orders WHERE order_id = ? OR "  # noqa: S608
                "marketplace || '/' || account || '/' || order_id = ?",
                (ref, ref),
            )
            .fetchall()
        )
        if len(rows) == 1:
            return _order(rows[0])
        if not rows:
            raise InvalidValueError(
                f"the inbox has no order {ref!r}",
                hint="see the orders with `ruralseller orders list`",
            )
        keys = ", ".join(_order(row).key for row in rows)
        raise InvalidValueError(
            f"several orders have id {ref!r}: {keys}", hint="give the whole key"
        )

    def cursor(self, channel: str) -> str | None:
        """Where the channel's next order listing starts (None: from the first)."""
        row = (
            self.store.read()
            .execute("SELECT cursor FROM order_cursors WHERE channel = ?", (channel,))
            .fetchone()
        )
        return None if row is None else str(row[0])

    def save_cursor(self, channel: str, cursor: str) -> None:
        """Keep the channel's cursor (after the orders before it are taken in)."""
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO order_cursors (channel, cursor, at) VALUES (?, ?, ?) "
                "ON CONFLICT (channel) DO UPDATE SET cursor = excluded.cursor, at = excluded.at",
                (channel, cursor, self.clock()),
            )

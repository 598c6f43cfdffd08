"""Orders: stock true on every channel, orders taken in exactly once, shipped.

The :class:`StockLedger` records every unit that comes in, is held for an order, is
released, shipped or written off (append-only, in the outbox's SQLite file); the
:class:`OrderInbox` takes each marketplace order in once, reserving its units first expired
first (:func:`allocate`, never from a lot past its date: :func:`sellable_on`) in the same
transaction, or flags it with the reason it cannot be filled; :func:`push_stock` queues in
the outbox what each channel should show (buffers, :class:`SplitPolicy`) as stock-only writes.
"""

from ruralseller.orders.allocation import (
    Allocation,
    LotAvailability,
    allocate,
    last_sale_day,
    lots_for_sku,
    sellable_on,
)
from ruralseller.orders.channels import Channel, SplitPolicy, listed_quantities, on_channel
from ruralseller.orders.fulfil import (
    Fulfilment,
    ShippingRecord,
    final_price,
    fulfil,
    order_shipping_event,
)
from ruralseller.orders.inbox import FlagReason, Order, OrderInbox, OrderStatus, Taken
from ruralseller.orders.intake import IntakeReport, SyncReport, sync_channel, take_orders
from ruralseller.orders.ledger import LotStock, MoveKind, StockLedger, StockMove, units_on_offer
from ruralseller.orders.push import (
    StockPolicy,
    available_for,
    listed_for,
    load_policy,
    push_stock,
    save_policy,
    with_ledger_stock,
)
from ruralseller.orders.store import SCHEMA_VERSION, OrderStore

__all__ = [
    "SCHEMA_VERSION",
    "Allocation",
    "Channel",
    "FlagReason",
    "Fulfilment",
    "IntakeReport",
    "LotAvailability",
    "LotStock",
    "MoveKind",
    "Order",
    "OrderInbox",
    "OrderStatus",
    "OrderStore",
    "ShippingRecord",
    "SplitPolicy",
    "StockLedger",
    "StockMove",
    "StockPolicy",
    "SyncReport",
    "Taken",
    "allocate",
    "available_for",
    "final_price",
    "fulfil",
    "last_sale_day",
    "listed_for",
    "listed_quantities",
    "load_policy",
    "lots_for_sku",
    "on_channel",
    "order_shipping_event",
    "push_stock",
    "save_policy",
    "sellable_on",
    "sync_channel",
    "take_orders",
    "units_on_offer",
    "with_ledger_stock",
]

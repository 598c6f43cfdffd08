"""Taking a channel's orders in and pushing the stock that follows, losing and doubling nothing.

:func:`take_orders` pages through the orders a marketplace lists since the channel's
cursor, takes each into the :class:`~ruralseller.orders.OrderInbox` (one transaction per
order, reserving its units), keeps the cursor after each page, and acknowledges the orders
it reserved. Killed at any moment, the next run starts from the last kept cursor; orders
seen twice are taken once.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ruralseller.marketplaces import Marketplace
from ruralseller.marketplaces.orders import OrderIntake, supports_order_intake
from ruralseller.orders.channels import Channel, on_channel
from ruralseller.orders.inbox import Order, OrderInbox, OrderStatus
from ruralseller.orders.ledger import StockLedger
from ruralseller.orders.push import StockPolicy, push_stock
from ruralseller.publishing import Outbox, Publisher, PublishReport

__all__ = ["IntakeReport", "SyncReport", "sync_channel", "take_orders"]


@attrs.frozen(kw_only=True)
class IntakeReport:
    """What one intake run took in from one channel.

    Attributes:
        channel: the channel's name.
        new: orders seen for the first time (reserved, flagged or already cancelled).
        changed: orders seen before whose stock moved (cancelled since).
        seen: how many listed orders were read, new or not.
    """

    channel: str
    new: tuple[Order, ...]
    changed: tuple[Order, ...]
    seen: int

    @property
    def flagged(self) -> tuple[Order, ...]:
        """The new orders that cannot be filled."""
        return tuple(o for o in self.new if o.status is OrderStatus.FLAGGED)

    @property
    def skus(self) -> tuple[str, ...]:
        """The SKUs whose stock moved."""
        moved = [o for o in self.new if o.status is OrderStatus.RESERVED] + list(self.changed)
        return tuple(dict.fromkeys(o.sku for o in moved))


async def take_orders(  # noqa: PLR0913 - keyword-only after the essentials
    adapter: object,
    inbox: OrderInbox,
    channel: Channel,
    *,
    day: dt.date,
    page_size: int = 100,
    acknowledge: bool = True,
) -> IntakeReport:
    """Take in every order the channel lists since its cursor.

    Raises:
        TypeError: when the adapter cannot take orders in.
    """
    if not supports_order_intake(adapter):
        raise TypeError(
            f"the {getattr(adapter, 'name', adapter)!r} adapter cannot take orders in yet; "
            "see ruralseller.marketplaces.OrderIntake for what it needs"
        )
    assert isinstance(adapter, OrderIntake)  # noqa: S101 - narrowed for the type checker
    new: list[Order] = []
    changed: list[Order] = []
    seen = 0
    cursor = inbox.cursor(channel.name)
    while True:
        page = await adapter.list_orders(cursor, limit=page_size)
        for remote in page.orders:
            seen += 1
            taken = inbox.take(remote, channel=channel.name, day=day)
            if taken.new:
                new.append(taken.order)
            elif taken.changed:
                changed.append(taken.order)
            reserved = taken.order.status is OrderStatus.RESERVED
            if acknowledge and taken.new and reserved and remote.state == "placed":
                await adapter.acknowledge_order(remote.order_id)
        if page.cursor is not None and page.cursor != cursor:
            inbox.save_cursor(channel.name, page.cursor)
            cursor = page.cursor
        if not page.more:
            break
    return IntakeReport(channel=channel.name, new=tuple(new), changed=tuple(changed), seen=seen)


@attrs.frozen(kw_only=True)
class SyncReport:
    """What one sync of a channel did.

    Attributes:
        intake: the orders taken in.
        queued: the stock queued, by channel and SKU (other channels' writes wait in the
            outbox for their own publisher).
        published: what was sent to this channel.
    """

    intake: IntakeReport
    queued: dict[str, dict[str, int]] = attrs.field(hash=False)
    published: PublishReport


async def sync_channel(  # noqa: PLR0913 - keyword-only after the adapter
    adapter: Marketplace,
    *,
    outbox: Outbox,
    inbox: OrderInbox,
    policy: StockPolicy,
    channel: str,
    day: dt.date,
) -> SyncReport:
    """Take a channel's orders in, push the stock every channel should show, send this one's.

    The one pipeline the command line, the demo and scripts use: :func:`take_orders`, then
    :func:`~ruralseller.orders.push_stock` for every channel of ``policy``, then a
    :class:`~ruralseller.publishing.Publisher` sends what is due for ``channel``.
    """
    intake = await take_orders(adapter, inbox, policy.channel(channel), day=day)
    ledger = StockLedger(inbox.store, clock=inbox.clock)
    queued = push_stock(outbox, inbox.catalog, ledger, policy, day=day)
    published = await Publisher(outbox, on_channel(adapter, channel)).sync()
    return SyncReport(intake=intake, queued=queued, published=published)

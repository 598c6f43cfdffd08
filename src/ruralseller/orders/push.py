"""The stock push: what each channel should show, queued in the outbox as stock-only writes.

After every change of stock, :func:`push_stock` works out, for every listing queued or
published on each channel, the units the channel should show (:func:`listed_for`) and, where
that differs from what the outbox holds, queues the listing again with only its stock
changed. The publisher then sends just the stock (``set_stock``) for a listing on sale.
Pushing is idempotent: run twice, it queues nothing the second time, so a push lost in a
crash is made by the next one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from ruralseller.catalog import Catalog
from ruralseller.listing import ListingDraft
from ruralseller.orders.allocation import lots_for_sku, sellable_on
from ruralseller.orders.channels import Channel, SplitPolicy, listed_quantities
from ruralseller.orders.ledger import StockLedger
from ruralseller.orders.store import OrderStore
from ruralseller.publishing import JobState, Outbox

__all__ = [
    "StockPolicy",
    "available_for",
    "listed_for",
    "load_policy",
    "push_stock",
    "save_policy",
    "with_ledger_stock",
]


def _channels(value: Iterable[Channel]) -> tuple[Channel, ...]:
    channels = tuple(value)
    names = [c.name for c in channels]
    if len(set(names)) != len(names):
        raise ValueError(f"each channel needs a name of its own, got {names}")
    return channels


@attrs.frozen(kw_only=True)
class StockPolicy:
    """The partner's rules for what channels show.

    Attributes:
        channels: the channels, with their buffers.
        split: shared less buffers, or fixed shares.
        shares: each channel's share, for fixed shares.
    """

    channels: tuple[Channel, ...] = attrs.field(converter=_channels)
    split: SplitPolicy = SplitPolicy.SHARED
    shares: Mapping[str, int | Decimal | Fraction] = attrs.field(factory=dict, hash=False)

    def with_channel(self, channel: Channel) -> StockPolicy:
        """This policy with ``channel`` added (or put in place of the one of its name)."""
        others = tuple(c for c in self.channels if c.name != channel.name)
        if len(others) == len(self.channels):
            return attrs.evolve(self, channels=(*others, channel))
        return attrs.evolve(
            self, channels=tuple(channel if c.name == channel.name else c for c in self.channels)
        )

    def channel(self, name: str) -> Channel:
        """The channel called ``name``."""
        for channel in self.channels:
            if channel.name == name:
                return channel
        known = ", ".join(c.name for c in self.channels) or "none"
        raise KeyError(f"no channel is called {name!r} (channels: {known})")


def available_for(catalog: Catalog, ledger: StockLedger, sku: str, day: dt.date) -> int:
    """Units of ``sku`` that may be sold on ``day``: available in its sellable lots."""
    lots = [lot for lot in lots_for_sku(catalog, sku) if sellable_on(lot, day)]
    stocks = ledger.stocks(lot.id for lot in lots)
    return sum(max(stock.available, 0) for stock in stocks.values())


def listed_for(
    catalog: Catalog, ledger: StockLedger, sku: str, policy: StockPolicy, day: dt.date
) -> dict[str, int]:
    """What each channel should show of ``sku`` on ``day``."""
    available = available_for(catalog, ledger, sku, day)
    return listed_quantities(available, policy.channels, policy.split, shares=policy.shares)


_LIVE = (
    JobState.QUEUED,
    JobState.IN_FLIGHT,
    JobState.PUBLISHED,
    JobState.FAILED_RETRYABLE,
)


def with_ledger_stock(  # noqa: PLR0913 - keyword-only after the essentials
    draft: ListingDraft,
    catalog: Catalog,
    ledger: StockLedger,
    policy: StockPolicy,
    *,
    channel: str,
    day: dt.date,
) -> ListingDraft:
    """``draft`` with the stock ``channel`` should show, once the ledger keeps its lots' stock.

    A listing drafted from the catalogue carries the offer's stock; once orders are taken
    in, the ledger knows better. A draft whose lots the ledger has never seen is returned
    as it is.
    """
    lots = [lot.id for lot in lots_for_sku(catalog, draft.sku)]
    if not lots or not ledger.moves_exist(lots):
        return draft
    policy = (
        policy
        if any(c.name == channel for c in policy.channels)
        else (policy.with_channel(Channel(name=channel)))
    )
    return attrs.evolve(draft, stock=listed_for(catalog, ledger, draft.sku, policy, day)[channel])


def push_stock(  # noqa: PLR0913 - keyword-only after the essentials
    outbox: Outbox,
    catalog: Catalog,
    ledger: StockLedger,
    policy: StockPolicy,
    *,
    day: dt.date,
    skus: Sequence[str] | None = None,
) -> dict[str, dict[str, int]]:
    """Queue a stock-only write for each listing whose channel should show other stock.

    Args:
        outbox: where the listings' jobs are (a listing never queued on a channel is not
            on sale there, and is left alone).
        catalog: the lots behind each SKU.
        ledger: the stock.
        policy: the channels, buffers and split.
        day: today (lots past their date show nothing).
        skus: only these SKUs (all by default).

    Returns:
        the stock queued, by channel and SKU (empty when every channel is up to date).
    """
    queued: dict[str, dict[str, int]] = {}
    cache: dict[str, dict[str, int]] = {}
    for channel in policy.channels:
        for job in outbox.jobs(*_LIVE, marketplace=channel.name):
            if skus is not None and job.sku not in skus:
                continue
            if job.sku not in cache:
                cache[job.sku] = listed_for(catalog, ledger, job.sku, policy, day)
            wanted = cache[job.sku][channel.name]
            if job.data.get("stock") == wanted:
                continue
            draft = attrs.evolve(job.draft(), stock=wanted)
            outbox.enqueue(channel.name, draft, outbox.pictures(job))
            queued.setdefault(channel.name, {})[job.sku] = wanted
    return queued


def save_policy(store: OrderStore, policy: StockPolicy) -> None:
    """Keep ``policy`` in the store, for the next runs."""
    data = {
        "channels": [attrs.asdict(channel) for channel in policy.channels],
        "split": policy.split.value,
        "shares": {name: str(share) for name, share in policy.shares.items()},
    }
    with store.transaction() as db:
        db.execute(
            "INSERT INTO stock_policy (id, data) VALUES (1, ?) "
            "ON CONFLICT (id) DO UPDATE SET data = excluded.data",
            (json.dumps(data),),
        )


def load_policy(store: OrderStore) -> StockPolicy:
    """The policy kept in the store (no channels, shared stock, when none was kept)."""
    row = store.read().execute("SELECT data FROM stock_policy WHERE id = 1").fetchone()
    if row is None:
        return StockPolicy(channels=())
    data = json.loads(row[0])
    return StockPolicy(
        channels=tuple(Channel(**channel) for channel in data["channels"]),
        split=SplitPolicy(data["split"]),
        shares={name: Fraction(share) for name, share in data["shares"].items()},
    )

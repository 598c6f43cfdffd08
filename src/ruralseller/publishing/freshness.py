"""Listings whose lot reached its sell-by cut-off come off sale; queued ones are never sent.

The date printed on a lot's label bounds its sale (:mod:`ruralseller.compliance.freshness`).
On the day a lot passes its sell-by cut-off (the printed date, less the longest delivery to
its buyers, less the minimum remaining life), :func:`withdraw_stale` takes its listing off
the marketplace and stops any write still queued for it, so ``ruralseller sync`` never lists
food that cannot reach a buyer in time.

Example:
    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> outbox = Outbox(":memory:")
    >>> stale_listings(outbox, load_catalog(sample_path()), "sandbox", on=dt.date(2026, 12, 7))
    []
"""

from __future__ import annotations

import datetime as dt

import attrs

from ruralseller.catalog import Catalog
from ruralseller.compliance import DEFAULT_DELIVERY, Freshness, freshness
from ruralseller.errors import NotInCatalogError
from ruralseller.publishing.outbox import Job, JobState, Outbox
from ruralseller.publishing.publisher import Publisher, PublishReport, PublishResult

__all__ = ["LotStatus", "StaleListing", "lot_statuses", "stale_listings", "withdraw_stale"]

# Jobs that are, or will be, on sale.
_LIVE = (JobState.QUEUED, JobState.FAILED_RETRYABLE, JobState.IN_FLIGHT, JobState.PUBLISHED)


@attrs.frozen(kw_only=True)
class StaleListing:
    """A listing whose lot may no longer be sold.

    Attributes:
        job: the outbox job.
        freshness: where the lot stands against its printed date.
    """

    job: Job
    freshness: Freshness

    @property
    def on_sale(self) -> bool:
        """Whether the marketplace shows it (it was published)."""
        return self.job.state is JobState.PUBLISHED or self.job.published_data is not None


def stale_listings(  # noqa: PLR0913 - keyword-only after the essentials
    outbox: Outbox,
    catalog: Catalog,
    marketplace: str,
    *,
    on: dt.date,
    delivery: dt.timedelta = DEFAULT_DELIVERY,
    queue: str | None = None,
) -> list[StaleListing]:
    """The listings on ``marketplace`` (published or queued) whose lot is past its cut-off.

    ``queue`` is the outbox queue of the account looked at (default: the marketplace's own,
    the default account's); the marketplace's rules judge the cut-off either way.
    """
    found = []
    for job in outbox.jobs(*_LIVE, marketplace=queue or marketplace):
        try:
            lot_id = job.draft().lot
            state = freshness(catalog, lot_id, on=on, delivery=delivery, marketplace=marketplace)
        except NotInCatalogError:
            continue  # a lot no longer in the catalogue: not ours to judge
        if state is not None and not state.sellable:
            found.append(StaleListing(job=job, freshness=state))
    return found


async def withdraw_stale(
    publisher: Publisher,
    catalog: Catalog,
    *,
    on: dt.date,
    delivery: dt.timedelta = DEFAULT_DELIVERY,
) -> PublishReport:
    """Withdraw the listings whose lot passed its sell-by cut-off on ``on``.

    Published listings are withdrawn on the marketplace (outcome ``withdrawn``); writes still
    queued for such lots fail for good with the reason (outcome ``failed``), so they are never
    sent. Call it before :meth:`Publisher.sync`.
    """
    name = publisher.queue
    stale = stale_listings(
        publisher.outbox,
        catalog,
        publisher.marketplace.name,
        on=on,
        delivery=delivery,
        queue=name,
    )
    results: list[PublishResult] = []
    on_sale = [item for item in stale if item.on_sale]
    if on_sale:
        report = await publisher.withdraw([item.job.sku for item in on_sale])
        results += report.results
    for item in stale:
        if item.on_sale:
            continue
        reason = f"not sent: lot {item.freshness.lot}: {item.freshness.reason}"
        publisher.outbox.failed(item.job, reason, permanent=True)
        results.append(PublishResult(sku=item.job.sku, outcome="failed", message=reason))
    return PublishReport(marketplace=name, results=tuple(results))


@attrs.frozen(kw_only=True)
class LotStatus:
    """One lot on one day: its date, its cut-off, where it is listed and its stock.

    Attributes:
        lot: the lot id.
        product: the product id.
        on: the day looked at.
        freshness: where it stands against its printed date (None: the label has no date).
        stock: the offer's stock (None: not on offer).
        listed_on: the outbox queues it is published in: the marketplace's name for its
            default account, ``MARKETPLACE:ACCOUNT`` for another.
    """

    lot: str
    product: str
    on: dt.date
    freshness: Freshness | None
    stock: int | None
    listed_on: tuple[str, ...] = ()

    @property
    def sellable(self) -> bool:
        """Whether it may be sold on ``on`` (a lot without a printed date may)."""
        return self.freshness is None or self.freshness.sellable

    def to_dict(self) -> dict[str, object]:
        """Plain data, for JSON."""
        fresh = self.freshness
        return {
            "lot": self.lot,
            "product": self.product,
            "on": self.on.isoformat(),
            "printed_date": fresh.printed_date.isoformat() if fresh else None,
            "date_kind": fresh.date_kind if fresh else None,
            "days_left": fresh.days_left if fresh else None,
            "sell_by": fresh.sell_by.isoformat() if fresh else None,
            "sellable": self.sellable,
            "reason": fresh.reason if fresh else "",
            "stock": self.stock,
            "listed_on": list(self.listed_on),
        }


def lot_statuses(
    catalog: Catalog,
    *,
    on: dt.date,
    outbox: Outbox | None = None,
    delivery: dt.timedelta = DEFAULT_DELIVERY,
) -> list[LotStatus]:
    """Every lot of ``catalog`` on day ``on``, in catalogue order.

    Example:
        >>> from ruralseller.catalog import load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> rows = lot_statuses(load_catalog(sample_path()), on=dt.date(2026, 11, 26))
        >>> for row in rows:
        ...     print(row.lot, row.freshness.days_left, row.sellable)
        WJ261120A -1 False
        WJ261123A 2 True
        WE261118 16 True
        WP261115 50 True
    """
    listed: dict[str, list[str]] = {}
    if outbox is not None:
        for job in outbox.jobs(JobState.PUBLISHED):
            listed.setdefault(job.sku, []).append(job.marketplace)
    rows = []
    for lot in catalog.lots:
        offer = catalog.offer_for(lot.id)
        rows.append(
            LotStatus(
                lot=lot.id,
                product=lot.product,
                on=on,
                freshness=freshness(catalog, lot.id, on=on, delivery=delivery),
                stock=offer.stock if offer is not None else None,
                listed_on=tuple(sorted(listed.get(lot.id, ()))),
            )
        )
    return rows

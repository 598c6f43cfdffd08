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

__all__ = ["StaleListing", "stale_listings", "withdraw_stale"]

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


def stale_listings(
    outbox: Outbox,
    catalog: Catalog,
    marketplace: str,
    *,
    on: dt.date,
    delivery: dt.timedelta = DEFAULT_DELIVERY,
) -> list[StaleListing]:
    """The listings on ``marketplace`` (published or queued) whose lot is past its cut-off."""
    found = []
    for job in outbox.jobs(*_LIVE, marketplace=marketplace):
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
    name = publisher.marketplace.name
    stale = stale_listings(publisher.outbox, catalog, name, on=on, delivery=delivery)
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

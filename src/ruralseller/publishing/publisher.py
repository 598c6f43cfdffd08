"""Draining the outbox: publish every queued listing once, within the marketplace's limits.

The :class:`Publisher` sends through an adapter (whose HTTP layer already retries what is safe
and keeps the account's rate limit), with a bounded number of listings in flight. Each job's
outcome is written to the outbox as soon as it is known, so stopping at any point loses
nothing: the next run sends again only what was not confirmed, and adapters write by SKU, so
that never makes a duplicate listing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ruralseller.catalog import Catalog, Money
from ruralseller.errors import (
    InvalidValueError,
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceConflictError,
    MarketplaceError,
    RateLimitedError,
)
from ruralseller.listing import (
    ListingDraft,
    PictureCache,
    Prepared,
    ProcessedImage,
    prepare_listings,
)
from ruralseller.marketplaces import (
    ListingState,
    Marketplace,
    get_marketplace,
    idempotency_scope,
    marketplace_profile,
    redact_text,
)
from ruralseller.publishing.outbox import Job, JobState, Outbox
from ruralseller.publishing.postgres import is_database_url

__all__ = [
    "OUTCOMES",
    "Progress",
    "PublishReport",
    "PublishResult",
    "Publisher",
    "picture_cache",
    "publish",
]

#: What a job's outcome can be.
OUTCOMES = (
    "published",
    "updated",
    "stock_and_price",
    "unchanged",
    "withdrawn",
    "failed",
    "retry_later",
)


def _redacted_fields(fields: dict[str, str]) -> dict[str, str]:
    return {redact_text(name): redact_text(text) for name, text in fields.items()}


@attrs.frozen(kw_only=True)
class PublishResult:
    """What happened to one listing.

    Attributes:
        sku: our SKU.
        outcome: ``published`` (new), ``updated`` (sent again), ``stock_and_price`` (only
            those were sent), ``unchanged`` (nothing to send), ``withdrawn`` (taken off
            sale), ``failed`` (fix it, see
            ``message`` and ``field_errors``) or ``retry_later`` (the marketplace could not
            be reached; ``ruralseller sync`` sends it later).
        message: the error, for ``failed`` and ``retry_later`` (credentials redacted).
        field_errors: the marketplace's field errors of a rejection (credentials redacted).
        url: where the listing can be seen, when published.
    """

    sku: str
    outcome: str
    message: str = attrs.field(default="", converter=redact_text)
    field_errors: dict[str, str] = attrs.field(factory=dict, converter=_redacted_fields)
    url: str | None = None


@attrs.frozen(kw_only=True)
class Progress:
    """Sent to the progress callback after each listing."""

    done: int
    total: int
    result: PublishResult


@attrs.frozen(kw_only=True)
class PublishReport:
    """The outcome of a publishing run, one result per listing."""

    marketplace: str
    results: tuple[PublishResult, ...]

    def count(self, outcome: str) -> int:
        """How many listings had ``outcome``."""
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def failed(self) -> tuple[PublishResult, ...]:
        """The listings to fix."""
        return tuple(r for r in self.results if r.outcome == "failed")

    @property
    def ok(self) -> bool:
        """Whether every listing is published (none failed, none left for later)."""
        return all(r.outcome not in ("failed", "retry_later") for r in self.results)


def _remote(state: ListingState) -> dict[str, object]:
    return {"state": state.state, "version": state.version, "url": state.url}


class Publisher:
    """Publishes what an :class:`Outbox` holds for one marketplace.

    Args:
        outbox: where the intents are.
        marketplace: the adapter to send through.
        concurrency: listings in flight at once (the adapter's rate limit still applies).
        progress: called after each listing (the library never prints).
        retry_in: seconds before a listing the marketplace could not take is due again.
        queue: the outbox queue whose jobs it sends, one per account (default: the
            adapter's name, the default account's queue); another account's is
            ``MARKETPLACE:ACCOUNT``, see :func:`~ruralseller.marketplaces.queue_name`.
    """

    def __init__(  # noqa: PLR0913 - keyword-only tuning
        self,
        outbox: Outbox,
        marketplace: Marketplace,
        *,
        concurrency: int = 4,
        progress: Callable[[Progress], None] | None = None,
        retry_in: float = 60.0,
        queue: str | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency!r}")
        self.outbox = outbox
        self.marketplace = marketplace
        self.queue = queue or marketplace.name
        self.concurrency = concurrency
        self.progress = progress
        self.retry_in = retry_in
        self._results: list[PublishResult] = []
        self._total = 0
        self._stop = False

    def enqueue(
        self, items: Sequence[tuple[ListingDraft, Sequence[ProcessedImage]]]
    ) -> list[PublishResult]:
        """Write each draft (with its pictures) to the outbox; report those with nothing to send."""
        unchanged = []
        for draft, images in items:
            job = self.outbox.enqueue(self.queue, draft, images)
            if job.state is JobState.PUBLISHED:
                unchanged.append(
                    PublishResult(sku=job.sku, outcome="unchanged", url=job.remote.get("url"))
                )
        return unchanged

    async def publish(
        self, items: Sequence[tuple[ListingDraft, Sequence[ProcessedImage]]] = ()
    ) -> PublishReport:
        """Enqueue ``items`` (if any), then send everything due in this queue."""
        unchanged = self.enqueue(items)
        return await self.sync(already=unchanged)

    async def sync(self, already: Sequence[PublishResult] = ()) -> PublishReport:
        """Send every job that is due: queued, left in flight by a stopped run, or retryable."""
        name = self.queue
        self.outbox.requeue_in_flight(name)
        due = self.outbox.jobs(JobState.QUEUED, JobState.FAILED_RETRYABLE, marketplace=name)
        self._results = []
        self._total = len(due) + len(already)
        self._stop = False
        for result in already:
            self._record(result)
        # No more workers than jobs due: each worker ends on a claim that finds nothing, and
        # every claim is a write transaction (4 of a one-listing publish()'s 5 claims were).
        workers = [self._worker() for _ in range(max(1, min(self.concurrency, len(due))))]
        await asyncio.gather(*workers)
        return PublishReport(marketplace=name, results=tuple(self._results))

    async def withdraw(self, skus: Sequence[str]) -> PublishReport:
        """Take listings off sale and record it in the outbox (repeating it changes nothing)."""
        name = self.queue
        self._results, self._total = [], len(skus)
        for sku in skus:
            try:
                state = await self.marketplace.withdraw(sku)
            except MarketplaceError as error:
                self._record(PublishResult(sku=sku, outcome="failed", message=str(error)))
                continue
            self.outbox.withdrawn(name, sku, _remote(state))
            self._record(PublishResult(sku=sku, outcome="withdrawn", url=state.url))
        return PublishReport(marketplace=name, results=tuple(self._results))

    def sync_blocking(self) -> PublishReport:
        """:meth:`sync` for scripts (runs its own event loop)."""
        return asyncio.run(self.sync())

    async def _worker(self) -> None:
        while not self._stop:
            claimed = self.outbox.claim(self.queue, 1)
            if not claimed:
                return
            self._record(await self._send(claimed[0]))

    def _record(self, result: PublishResult) -> None:
        self._results.append(result)
        if self.progress is not None:
            self.progress(Progress(done=len(self._results), total=self._total, result=result))

    @property
    def halted(self) -> bool:
        """Whether the marketplace refused the credentials: every other listing would fail."""
        return self._stop

    async def send(self, job: Job) -> PublishResult:
        """Send one job already claimed from the outbox and record its outcome there.

        A :class:`~ruralseller.publishing.Worker` claims jobs itself (with leases it renews)
        and sends each through this.
        """
        return await self._send(job)

    async def _send(self, job: Job) -> PublishResult:
        # The job's key, kept across retries and restarts, keys its writes on marketplaces
        # that honour idempotency keys: each is carried out at most once.
        with idempotency_scope(job.idempotency_key):
            return await self._send_job(job)

    async def _send_job(self, job: Job) -> PublishResult:
        try:
            draft = job.draft()
            on_sale = job.remote.get("state") == "active"  # a withdrawn one is sent whole
            if (
                on_sale
                and job.only_inventory_changed()
                and self.marketplace.capabilities.stock_and_price
            ):
                state = await self.marketplace.set_stock(job.sku, draft.stock, draft.price)
                outcome = "stock_and_price"
            else:
                state = await self.marketplace.upsert(draft, self.outbox.pictures(job))
                outcome = "updated" if job.published_data is not None else "published"
        except (ListingRejectedError, MarketplaceConflictError, InvalidValueError) as error:
            fields = getattr(error, "field_errors", {})
            self.outbox.failed(job, str(error), permanent=True, field_errors=fields)
            return PublishResult(
                sku=job.sku, outcome="failed", message=str(error), field_errors=fields
            )
        except MarketplaceAuthError as error:
            self._stop = True  # every other listing would fail the same way
            self.outbox.failed(job, str(error), permanent=False)
            return PublishResult(sku=job.sku, outcome="retry_later", message=str(error))
        except MarketplaceError as error:
            wait = error.retry_after if isinstance(error, RateLimitedError) else None
            self.outbox.failed(job, str(error), permanent=False, retry_in=wait or self.retry_in)
            return PublishResult(sku=job.sku, outcome="retry_later", message=str(error))
        self.outbox.published(job, _remote(state))
        return PublishResult(sku=job.sku, outcome=outcome, url=state.url)


def picture_cache(
    outbox: Outbox | str | os.PathLike[str], *, folder: str | os.PathLike[str] | None = None
) -> PictureCache:
    """The processed pictures kept for an outbox: beside its file, as ``pictures-cache``.

    An outbox with no file (a PostgreSQL database, or one in memory) keeps them in
    ``folder``'s ``pictures-cache`` when a folder is given, else in memory for this run.

    Example:
        >>> picture_cache("shop/.ruralseller/outbox.db").folder.as_posix()
        'shop/.ruralseller/pictures-cache'
        >>> picture_cache("postgresql://seller@db/county").folder is None
        True
    """
    path = outbox.path if isinstance(outbox, Outbox) else os.fspath(outbox)
    if path != ":memory:" and not is_database_url(path):
        return PictureCache.beside(path)
    if folder is not None:
        return PictureCache(Path(folder) / "pictures-cache")
    return PictureCache()


def publish(  # noqa: PLR0913 - keyword-only after the essentials
    outbox: Outbox | str | os.PathLike[str],
    marketplace: str,
    items: Sequence[tuple[ListingDraft, Sequence[ProcessedImage]]] | Prepared = (),
    *,
    catalog: Catalog | None = None,
    lots: Sequence[str] = (),
    on: dt.date | None = None,
    prices: Mapping[str, Money] | None = None,
    concurrency: int = 4,
    progress: Callable[[Progress], None] | None = None,
    offline: bool = False,
    queue: str | None = None,
    **config: Any,
) -> PublishReport:
    """Queue ``items`` and publish everything due to ``marketplace``, for scripts (blocking).

    The adapter is made with :func:`~ruralseller.marketplaces.get_marketplace` from
    ``config`` (credentials, ``base_url``...) and closed afterwards. Given a ``catalog``,
    its ``lots`` (all when none are named) are first prepared for the adapter's own profile
    by :func:`~ruralseller.listing.prepare_listings`, as ``ruralseller publish`` does.

    Args:
        outbox: an :class:`Outbox`, the path of its SQLite file, or a ``postgresql://``
            URL of its database.
        marketplace: the adapter name, e.g. ``"sandbox"``.
        items: drafts with their processed pictures to queue first, or what
            :func:`~ruralseller.listing.prepare_listings` made for this marketplace (none:
            just send what is due, as ``ruralseller sync`` does).
        catalog: a catalogue whose lots to prepare and queue first.
        lots: the lots of ``catalog`` to publish (default: every lot).
        on: the day the listings are for (needed with ``catalog``).
        prices: the price per lot on this marketplace, when it differs from the offer's.
        concurrency: listings in flight at once.
        progress: called after each listing.
        offline: only queue; send nothing (a later call, or ``ruralseller sync``, sends).
        queue: the outbox queue (default: ``marketplace``, the default account's); give
            each other account of the marketplace its own, e.g.
            ``queue_name("ebay", "shop2")`` with that account's ``config``.
        config: the adapter's settings.

    Returns:
        what happened to each listing; a lot that may not be listed is ``failed``, never
        sent, with its problems; with ``offline``, only those and the ones with nothing to
        send.

    Raises:
        InvalidValueError: ``catalog`` without ``on``, drafts prepared for another
            marketplace, or an adapter whose profile cannot be read.
    """
    refused = _refusals(marketplace, items)
    queued = items.items if isinstance(items, Prepared) else list(items)
    if catalog is not None:
        if on is None:
            raise InvalidValueError(
                "publishing a catalogue's lots needs the day they are listed for",
                field="on",
                hint="pass on=datetime.date(...)",
            )
        prepared = prepare_listings(
            catalog,
            lots,
            marketplace_profile(marketplace, **config),
            marketplace=marketplace,
            on=on,
            prices=prices,
            cache=picture_cache(outbox),
        )
        refused += _refusals(marketplace, prepared)
        queued += prepared.items
    adapter = get_marketplace(marketplace, **config)
    box = outbox if isinstance(outbox, Outbox) else Outbox(outbox)

    async def run() -> PublishReport:
        try:
            publisher = Publisher(
                box, adapter, concurrency=concurrency, progress=progress, queue=queue
            )
            if offline:
                unchanged = publisher.enqueue(queued)
                return PublishReport(marketplace=publisher.queue, results=tuple(unchanged))
            return await publisher.publish(queued)
        finally:
            await adapter.aclose()

    try:
        report = asyncio.run(run())
    finally:
        if box is not outbox:
            box.close()
    return attrs.evolve(report, results=(*refused, *report.results))


def _refusals(
    marketplace: str, items: Sequence[tuple[ListingDraft, Sequence[ProcessedImage]]] | Prepared
) -> tuple[PublishResult, ...]:
    """The lots prepared for ``marketplace`` that may not be listed, as failed results."""
    if not isinstance(items, Prepared):
        return ()
    if items.marketplace != marketplace:
        raise InvalidValueError(
            f"these listings were prepared for {items.marketplace}, not {marketplace}",
            field="items",
            hint=f"prepare them with {marketplace}'s own profile: "
            f"prepare_listings(..., marketplace_profile({marketplace!r}))",
        )
    return tuple(
        PublishResult(
            sku=lot.draft.sku if lot.draft is not None else lot.lot,
            outcome="failed",
            message=f"not sent: lot {lot.lot} may not be listed: "
            + "; ".join(issue.message for issue in lot.errors),
            field_errors={
                issue.field: f"{issue.message}; fix: {issue.fix}" for issue in lot.errors
            },
        )
        for lot in items.refused
    )

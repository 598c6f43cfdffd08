"""Publishing workers: any number, on any number of machines, draining one outbox.

A :class:`Worker` runs until stopped. It claims due jobs from the outbox with a lease in its
own name (``host:pid:random``), sends each through the :class:`~ruralseller.publishing.Publisher`
of its queue (the adapter keeps the account's rate budget, shared by every worker when the
budget is kept in PostgreSQL), and records each outcome as soon as it is known::

    claim (lease L) ──► send ──► published / failed      (the outbox holds the outcome)
          │    ▲
          │    └── renew every L/3 while sending
          └──────► stop: finish within the grace time, else release (queued again, unsent)

A worker that dies (killed, machine off) stops renewing; when its lease runs out another
worker takes its jobs over (at once, on the same computer, when its process is gone). Sending
a job twice is harmless: each write carries the job's idempotency key and adapters write by
SKU, so no listing is ever made twice.

The library never prints: each outcome goes to the ``progress`` callback.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import math
import os
import socket
import time
import uuid
from collections.abc import Callable, Mapping, Sequence

import attrs

from ruralseller.errors import RuralSellerError
from ruralseller.marketplaces import Marketplace
from ruralseller.publishing.outbox import DEFAULT_LEASE, Job, Outbox
from ruralseller.publishing.publisher import Publisher, PublishResult

__all__ = ["Worker", "WorkerProgress", "WorkerReport", "new_owner"]


logger = logging.getLogger("ruralseller.publishing")


def new_owner() -> str:
    """A lease owner id unique across computers: ``host:pid:random``.

    The host and process id let a worker on the same computer see at once that the holder
    died (its jobs are taken back without waiting for the lease); the random part tells
    apart two workers in one process, or two runs that got the same process id.
    """
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


@attrs.frozen(kw_only=True)
class WorkerProgress:
    """Sent to the progress callback after each job a worker finished (or gave back).

    Attributes:
        queue: the outbox queue the jobs were enqueued under (the marketplace's name for its
            default account, ``MARKETPLACE:ACCOUNT`` for another).
        result: what happened; ``released`` when the worker stopped before sending it.
        done: jobs finished by this worker so far.
    """

    queue: str
    result: PublishResult
    done: int


@attrs.frozen(kw_only=True)
class WorkerReport:
    """What a worker did before it stopped.

    Attributes:
        owner: its lease owner id.
        counts: jobs per outcome (``published``, ``updated``, ``failed``, ``retry_later``...).
        released: jobs given back unsent when it stopped.
        lost: leases that ran out while it worked (another worker may have taken the job).
        halted: queues it stopped claiming because the marketplace refused the credentials.
    """

    owner: str
    counts: dict[str, int]
    released: int
    lost: int
    halted: tuple[str, ...]

    @property
    def done(self) -> int:
        """Jobs finished (every outcome)."""
        return sum(self.counts.values())


def _queues(
    adapters: Mapping[str, Marketplace] | Sequence[Marketplace],
) -> dict[str, Marketplace]:
    if isinstance(adapters, Mapping):
        return dict(adapters)
    return {adapter.name: adapter for adapter in adapters}


class Worker:
    """Claims, sends and records jobs from an outbox until stopped.

    Args:
        outbox: the outbox (SQLite file or PostgreSQL database) shared by all workers.
        adapters: the adapters to send through, by outbox queue; a sequence means each
            adapter's queue is its marketplace name. Several accounts on one marketplace are
            several queues (``{"sandbox:coop-1": adapter_1, "sandbox:coop-2": adapter_2}``).
        concurrency: jobs in flight at once (over all queues).
        lease: seconds a claimed job stays this worker's without renewal; it is renewed
            every third of that while the job is sent.
        poll: seconds to wait before looking again when nothing is due.
        grace: seconds a stopping worker lets jobs in flight finish before releasing them.
        retry_in: seconds before a job the marketplace could not take is due again.
        owner: the lease owner id (a new ``host:pid:random`` one by default).
        progress: called after each job (the library never prints).

    Example:
        >>> from ruralseller.marketplaces import get_marketplace
        >>> worker = Worker(Outbox(":memory:"), [get_marketplace("sandbox")], concurrency=2)
        >>> report = asyncio.run(worker.run(until_idle=True))
        >>> report.done, report.released
        (0, 0)
    """

    def __init__(  # noqa: PLR0913 - keyword-only tuning
        self,
        outbox: Outbox,
        adapters: Mapping[str, Marketplace] | Sequence[Marketplace],
        *,
        concurrency: int = 4,
        lease: float = DEFAULT_LEASE,
        poll: float = 1.0,
        grace: float = 30.0,
        retry_in: float = 60.0,
        owner: str | None = None,
        progress: Callable[[WorkerProgress], None] | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"concurrency must be at least 1, got {concurrency!r}")
        if not lease > 0:
            raise ValueError(f"lease must be positive seconds, got {lease!r}")
        self.outbox = outbox
        self.publishers = {
            queue: Publisher(outbox, adapter, concurrency=1, retry_in=retry_in, queue=queue)
            for queue, adapter in _queues(adapters).items()
        }
        if not self.publishers:
            raise ValueError("a worker needs at least one adapter to send through")
        self.concurrency = concurrency
        self.lease = lease
        self.poll = poll
        self.grace = grace
        self.owner = owner or new_owner()
        self.progress = progress
        self._held: dict[int, Job] = {}
        self._counts: dict[str, int] = {}
        self._released = 0
        self._lost = 0
        self._stopping: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_requested = False
        self._looked_for_orphans = -math.inf
        self._store_failed = False

    def __repr__(self) -> str:
        return (
            f"Worker(owner={self.owner!r}, queues={sorted(self.publishers)!r}, "
            f"concurrency={self.concurrency})"
        )

    def stop(self, *, now: bool = False) -> None:
        """Stop claiming; let jobs in flight finish (within ``grace``, or none when ``now``).

        Safe to call from a signal handler or another thread.
        """
        if now:
            self.grace = 0.0
        self._stop_requested = True
        loop, event = self._loop, self._stopping
        if loop is not None and event is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(event.set)

    async def run(self, *, until_idle: bool = False) -> WorkerReport:
        """Work until :meth:`stop` (or, with ``until_idle``, until nothing is due or held)."""
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        if self._stop_requested:
            self._stopping.set()
        tasks: set[asyncio.Task[None]] = set()
        renewer = asyncio.create_task(self._renew_forever())
        try:
            await self._claim_loop(tasks, until_idle=until_idle)
            await self._wind_down(tasks)
        finally:
            renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewer
            for task in tasks:
                task.cancel()
            self._give_back()
        halted = tuple(sorted(q for q, p in self.publishers.items() if p.halted))
        return WorkerReport(
            owner=self.owner,
            counts=dict(sorted(self._counts.items())),
            released=self._released,
            lost=self._lost,
            halted=halted,
        )

    def run_blocking(self, *, until_idle: bool = False) -> WorkerReport:
        """:meth:`run` for scripts (runs its own event loop)."""
        return asyncio.run(self.run(until_idle=until_idle))

    # --- the loop -------------------------------------------------------------------------

    async def _claim_loop(self, tasks: set[asyncio.Task[None]], *, until_idle: bool) -> None:
        assert self._stopping is not None  # noqa: S101 - set by run()
        order = itertools.cycle(sorted(self.publishers))
        while not self._stopping.is_set():
            if self._store_failed:  # wait a while before claiming what cannot be sent now
                self._store_failed = False
                await self._pause(set(), self.poll)
                continue
            open_queues = [q for q, p in self.publishers.items() if not p.halted]
            if not open_queues:
                return  # every marketplace refused our credentials
            claimed = 0
            for _ in range(len(self.publishers)):
                queue = next(order)
                free = self.concurrency - len(tasks)
                if free <= 0:
                    break
                if self.publishers[queue].halted:
                    continue
                share = max(1, math.ceil(self.concurrency / len(open_queues)))
                jobs = self.outbox.claim(
                    queue, min(free, share), lease=self.lease, owner=self.owner
                )
                for job in jobs:
                    self._held[job.id] = job
                    task = asyncio.create_task(self._work(queue, job))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                claimed += len(jobs)
            full = len(tasks) >= self.concurrency
            if claimed or (not full and self._take_over(open_queues)):
                continue
            if until_idle and not tasks:
                return
            await self._pause(tasks, None if full else self.poll)

    def _take_over(self, queues: Sequence[str]) -> int:
        """Queue again the jobs of workers that are gone; how many.

        On PostgreSQL a claim takes over a job whose lease ran out by itself; on SQLite this
        does it, and also at once for a worker on this computer whose process has ended.
        """
        now = time.monotonic()
        if now - self._looked_for_orphans < self.poll:
            return 0
        self._looked_for_orphans = now
        return sum(self.outbox.requeue_in_flight(queue) for queue in queues)

    async def _pause(self, tasks: set[asyncio.Task[None]], seconds: float | None) -> None:
        """Wait for a job to finish, a stop, or ``seconds`` (whichever comes first)."""
        assert self._stopping is not None  # noqa: S101 - set by run()
        stop = asyncio.create_task(self._stopping.wait())
        try:
            await asyncio.wait({stop, *tasks}, timeout=seconds, return_when="FIRST_COMPLETED")
        finally:
            stop.cancel()

    async def _wind_down(self, tasks: set[asyncio.Task[None]]) -> None:
        if tasks and self.grace > 0:
            await asyncio.wait(set(tasks), timeout=self.grace)
        for task in list(tasks):
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _work(self, queue: str, job: Job) -> None:
        try:
            result = await self.publishers[queue].send(job)
        except RuralSellerError as error:
            # Our own store failed (the outbox, the shared rate budget): give the job back
            # unsent, and let the next claim find out whether the store is back.
            self._give_back([job])
            self._store_failed = True
            result = PublishResult(sku=job.sku, outcome="released", message=str(error))
        except Exception as error:
            # Not ours to understand (a bug, a job the adapter cannot read): leave it to be
            # tried again later, rather than holding and renewing it for as long as we run.
            self._held.pop(job.id, None)
            message = f"unexpected {type(error).__name__}: {error}"
            retry_in = self.publishers[queue].retry_in
            with contextlib.suppress(RuralSellerError):
                self.outbox.failed(job, message, permanent=False, retry_in=retry_in)
            logger.exception("%s %s: %s", queue, job.sku, message)
            result = PublishResult(sku=job.sku, outcome="retry_later", message=message)
        else:
            self._held.pop(job.id, None)
        self._counts[result.outcome] = self._counts.get(result.outcome, 0) + 1
        if self.progress is not None:
            self.progress(
                WorkerProgress(queue=queue, result=result, done=sum(self._counts.values()))
            )

    def _give_back(self, jobs: Sequence[Job] | None = None) -> None:
        """Release ``jobs`` (all held, by default) to the queue, unsent."""
        chosen = list(self._held.values()) if jobs is None else list(jobs)
        for job in chosen:
            self._held.pop(job.id, None)
        if chosen:
            with contextlib.suppress(RuralSellerError):  # their leases will run out instead
                self._released += self.outbox.release(chosen, owner=self.owner)

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self.lease / 3)
            held = list(self._held.values())
            if not held:
                continue
            try:
                renewed = self.outbox.renew(held, lease=self.lease, owner=self.owner)
            except RuralSellerError:
                continue  # the store is away; try again at the next third
            # A job finished meanwhile is not renewed either; count only those still held.
            still = sum(1 for job in held if job.id in self._held)
            self._lost += max(0, still - renewed)

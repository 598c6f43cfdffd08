"""Publishing: a durable outbox and a publisher that drains it, losing nothing.

Every publish intent is written to the :class:`Outbox` (SQLite) before anything is sent; the
:class:`Publisher` sends what is due through a marketplace adapter with bounded concurrency,
records each outcome as soon as it is known, sends only stock and price when only those
changed, nothing when nothing changed, and picks up after a crash where it stopped.
:class:`Worker` processes, on any number of machines, drain one outbox together, claiming
jobs with leases they renew.
"""

from ruralseller.publishing.freshness import (
    LotStatus,
    StaleListing,
    lot_statuses,
    stale_listings,
    withdraw_stale,
)
from ruralseller.publishing.outbox import (
    DEFAULT_LEASE,
    INVENTORY_FIELDS,
    Job,
    JobState,
    Outbox,
    payload_hash,
)
from ruralseller.publishing.publisher import (
    OUTCOMES,
    Progress,
    Publisher,
    PublishReport,
    PublishResult,
    publish,
)
from ruralseller.publishing.store import open_store, storage_error, storage_errors
from ruralseller.publishing.worker import Worker, WorkerProgress, WorkerReport, new_owner

__all__ = [
    "DEFAULT_LEASE",
    "INVENTORY_FIELDS",
    "OUTCOMES",
    "Job",
    "JobState",
    "LotStatus",
    "Outbox",
    "Progress",
    "PublishReport",
    "PublishResult",
    "Publisher",
    "StaleListing",
    "Worker",
    "WorkerProgress",
    "WorkerReport",
    "lot_statuses",
    "new_owner",
    "open_store",
    "payload_hash",
    "publish",
    "stale_listings",
    "storage_error",
    "storage_errors",
    "withdraw_stale",
]

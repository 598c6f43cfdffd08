"""Publishing: a durable outbox and a publisher that drains it, losing nothing.

Every publish intent is written to the :class:`Outbox` (a SQLite file, or a PostgreSQL
database named by a ``postgresql://`` URL) before anything is sent; the
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
from ruralseller.publishing.migrations import SCHEMA_TABLE, apply_steps, reached_steps
from ruralseller.publishing.outbox import (
    DEFAULT_LEASE,
    INVENTORY_FIELDS,
    Job,
    JobState,
    Outbox,
    payload_hash,
)
from ruralseller.publishing.pg_outbox import PostgresOutbox
from ruralseller.publishing.postgres import (
    Database,
    database_error,
    database_errors,
    is_database_url,
    redact_url,
)
from ruralseller.publishing.publisher import (
    OUTCOMES,
    Progress,
    Publisher,
    PublishReport,
    PublishResult,
    picture_cache,
    publish,
)
from ruralseller.publishing.store import open_store, storage_error, storage_errors
from ruralseller.publishing.worker import Worker, WorkerProgress, WorkerReport, new_owner

__all__ = [
    "DEFAULT_LEASE",
    "INVENTORY_FIELDS",
    "OUTCOMES",
    "SCHEMA_TABLE",
    "Database",
    "Job",
    "JobState",
    "LotStatus",
    "Outbox",
    "PostgresOutbox",
    "Progress",
    "PublishReport",
    "PublishResult",
    "Publisher",
    "StaleListing",
    "Worker",
    "WorkerProgress",
    "WorkerReport",
    "apply_steps",
    "database_error",
    "database_errors",
    "is_database_url",
    "lot_statuses",
    "new_owner",
    "open_store",
    "payload_hash",
    "picture_cache",
    "publish",
    "reached_steps",
    "redact_url",
    "stale_listings",
    "storage_error",
    "storage_errors",
    "withdraw_stale",
]

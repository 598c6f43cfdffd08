"""The durable outbox: every publish intent is written down before anything is sent.

A village connection drops, a laptop is closed, a process dies: what was queued is still in
the outbox file (SQLite in WAL mode; each change one transaction, so several processes may
write at once), with its state, attempts, last error and the idempotency key that every retry
of the same write reuses. ``Outbox("postgresql://…")`` keeps the same outbox in a PostgreSQL
database instead, for many workers on many machines (:mod:`ruralseller.publishing.pg_outbox`).

Claimed jobs are *leased*: a worker that claims a job owns it until its lease runs out
(``renew`` extends it, ``release`` gives it back unsent), so another worker never sends what
a live one is sending, and takes over what a dead one left.

Job states::

    queued ──► in_flight ──► published
       ▲           │  ├────► failed_retryable ──► (queued again when due)
       │           │  └────► failed_permanent   (fix the listing, enqueue again)
       └───────────┘ (a crash leaves in_flight: the next run reconciles it by SKU)
    published ──► withdrawn
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Final

import attrs

from ruralseller.catalog import converter
from ruralseller.errors import StorageError
from ruralseller.listing import ListingDraft, ProcessedImage, draft_to_data
from ruralseller.marketplaces import redact_text
from ruralseller.publishing.migrations import Step, apply_steps
from ruralseller.publishing.postgres import Database, is_database_url
from ruralseller.publishing.store import open_store, storage_errors

__all__ = ["DEFAULT_LEASE", "INVENTORY_FIELDS", "Job", "JobState", "Outbox", "payload_hash"]

#: The draft fields a marketplace can change without the listing being sent again.
INVENTORY_FIELDS = ("stock", "price")


class JobState(enum.Enum):
    """Where a publish job stands."""

    QUEUED = "queued"
    IN_FLIGHT = "in_flight"
    PUBLISHED = "published"
    FAILED_RETRYABLE = "failed_retryable"
    FAILED_PERMANENT = "failed_permanent"
    WITHDRAWN = "withdrawn"


def payload_hash(data: dict[str, Any], images: Sequence[str] = ()) -> str:
    """A content hash of a draft's data and its pictures' hashes (stable key order)."""
    text = json.dumps({"draft": data, "images": list(images)}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@attrs.frozen(kw_only=True)
class Job:
    """One listing to publish on one marketplace, as the outbox holds it.

    Attributes:
        id: the job's number in the outbox.
        marketplace: the queue: the adapter name for its default account,
            ``MARKETPLACE:ACCOUNT`` for another (see :func:`~ruralseller.marketplaces.queue_name`).
        sku: our SKU.
        state: where it stands.
        data: the draft, as JSON-ready data.
        images: the SHA-256 of each picture, in order (the bytes are in the outbox too).
        payload_hash: the hash of ``data`` and ``images``.
        published_data: the data last published (to send only what changed), if any.
        published_hash: the hash last published, if any.
        idempotency_key: the key every try of this write reuses.
        attempts: tries so far of this write.
        last_error: the last error's message, for the partner.
        field_errors: the marketplace's field errors of a rejection.
        next_attempt_at: when a retryable failure may be tried again (unix seconds).
        remote: what the marketplace said of the listing last (state, version, url).
        published_images: the pictures last published, if any.
    """

    id: int
    marketplace: str
    sku: str
    state: JobState
    data: dict[str, Any]
    images: tuple[str, ...]
    payload_hash: str
    published_data: dict[str, Any] | None
    published_hash: str | None
    idempotency_key: str
    attempts: int
    last_error: str
    field_errors: dict[str, str]
    next_attempt_at: float
    remote: dict[str, Any]
    published_images: tuple[str, ...] | None = None

    def only_inventory_changed(self) -> bool:
        """Whether only stock and price differ from what was last published."""
        if self.published_data is None or self.published_images != self.images:
            return False
        rest = {k: v for k, v in self.data.items() if k not in INVENTORY_FIELDS}
        before = {k: v for k, v in self.published_data.items() if k not in INVENTORY_FIELDS}
        return rest == before

    def draft(self) -> ListingDraft:
        """The draft back as a :class:`~ruralseller.listing.ListingDraft`."""
        draft: ListingDraft = converter("json").structure(self.data, ListingDraft)
        return draft


_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY,
    marketplace TEXT NOT NULL,
    sku TEXT NOT NULL,
    state TEXT NOT NULL,
    data TEXT NOT NULL,
    images TEXT NOT NULL,
    payload_hash TEXT NOT NULL,
    published_data TEXT,
    published_hash TEXT,
    published_images TEXT,
    idempotency_key TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    field_errors TEXT NOT NULL DEFAULT '{}',
    next_attempt_at REAL NOT NULL DEFAULT 0,
    remote TEXT NOT NULL DEFAULT '{}',
    updated_at REAL NOT NULL,
    lease_owner TEXT,
    UNIQUE (marketplace, sku)
);
CREATE TABLE IF NOT EXISTS pictures (
    sha256 TEXT PRIMARY KEY,
    format TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    data BLOB NOT NULL
);
"""


def _add_lease_owner(db: Database) -> None:
    """An outbox written before leases existed gains the lease owner column."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(jobs)").fetchall()}
    if "lease_owner" not in columns:
        db.execute("ALTER TABLE jobs ADD COLUMN lease_owner TEXT")


#: The outbox's schema steps on SQLite (see :mod:`ruralseller.publishing.migrations`).
SQLITE_STEPS: Final[tuple[Step, ...]] = (_SCHEMA, _add_lease_owner)
_COLUMNS = (
    "id, marketplace, sku, state, data, images, payload_hash, published_data, published_hash, "
    "idempotency_key, attempts, last_error, field_errors, next_attempt_at, remote, published_images"
)


#: How long a claimed job belongs to the publisher that claimed it, in seconds.
DEFAULT_LEASE = 300.0

# Who holds a lease: this computer and process, and a token against a reused process id.
_OWNER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _lease_held(owner: str | None, until: float, now: float) -> bool:
    """Whether a job in flight still belongs to a live publisher.

    On this computer, a lease belongs to a live process exactly when that process still
    runs (a killed publisher's jobs are taken back at once, however long the lease); on
    another computer sharing the file, until the lease runs out.
    """
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid_text, _, _token = rest.partition(":")
    if owner == _OWNER:
        return False  # our own jobs from an earlier run of this process: take them back
    if host != socket.gethostname() or not pid_text.isdigit():
        return until > now
    return _alive(int(pid_text))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, run by someone else
    return True


def _job(row: Sequence[Any]) -> Job:
    return Job(
        id=row[0],
        marketplace=row[1],
        sku=row[2],
        state=JobState(row[3]),
        data=json.loads(row[4]),
        images=tuple(json.loads(row[5])),
        payload_hash=row[6],
        published_data=json.loads(row[7]) if row[7] else None,
        published_hash=row[8],
        idempotency_key=row[9],
        attempts=row[10],
        last_error=row[11],
        field_errors=json.loads(row[12]),
        next_attempt_at=row[13],
        remote=json.loads(row[14]),
        published_images=tuple(json.loads(row[15])) if row[15] else None,
    )


class Outbox:
    """The outbox: a SQLite file, or a PostgreSQL database when given a URL.

    ``Outbox("outbox.db")`` opens (or makes) the file; ``Outbox(":memory:")`` keeps it in
    memory (for tests only); ``Outbox("postgresql://user@host/db")`` opens the database (a
    :class:`~ruralseller.publishing.pg_outbox.PostgresOutbox`, with the same methods). Either
    is brought up to this version's schema steps on opening.

    Example:
        >>> outbox = Outbox(":memory:")
        >>> outbox.counts()
        {}
    """

    #: Which database holds the outbox: ``"sqlite"`` or ``"postgresql"``.
    dialect = "sqlite"

    def __new__(cls, path: str | os.PathLike[str], *, clock: Any = time.time) -> Outbox:  # noqa: ARG004, PYI034 - a subclass for a URL
        """A PostgreSQL outbox for a ``postgresql://`` URL, a SQLite one otherwise."""
        if cls is Outbox and is_database_url(path):
            from ruralseller.publishing.pg_outbox import PostgresOutbox  # noqa: PLC0415

            return super().__new__(PostgresOutbox)
        return super().__new__(cls)

    def __init__(self, path: str | os.PathLike[str], *, clock: Any = time.time) -> None:
        self.path = os.fspath(path)
        self._clock = clock
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = open_store(self.path, schema=_SCHEMA, table="jobs", what="outbox")
        with storage_errors(self.path, what="outbox"):
            db.execute("BEGIN IMMEDIATE")
            try:
                apply_steps(db, "outbox", SQLITE_STEPS, where=self.path, what="outbox")
            except BaseException:
                with suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                db.close()
                raise
            db.execute("COMMIT")
        return db

    def _now(self, db: Database) -> float:  # noqa: ARG002 - PostgreSQL may ask the database
        """Now, in unix seconds, as leases and retries count it."""
        return float(self._clock())

    def __repr__(self) -> str:
        return f"Outbox({self.path!r})"

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    # Locking the row read before it is changed: SQLite's BEGIN IMMEDIATE locks it all already.
    _for_update = ""

    def _lock_sku(self, db: Database, marketplace: str, sku: str) -> None:
        """Keep others from enqueueing ``sku`` until the transaction ends (SQLite: already)."""

    @contextmanager
    def _transaction(self) -> Iterator[Database]:
        with storage_errors(self.path, what="outbox"):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                with suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        self._keep_journal()

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with storage_errors(self.path, what="outbox"):
            return self._db.execute(sql, params).fetchall()

    def _keep_journal(self) -> None:
        """Save what a deleted journal (``-wal`` file) holds into the outbox, and start anew.

        SQLite keeps writing to a journal someone deleted while it is open, and all of it
        would be gone with the process; copying it into the outbox file at once (a
        checkpoint through the still-open handle) and reopening keeps every record.
        """
        if self.path == ":memory:" or Path(f"{self.path}-wal").exists():
            return
        with storage_errors(self.path, what="outbox"):
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()
        self._db = self._open()

    # --- writing intents ------------------------------------------------------------------

    def enqueue(
        self, marketplace: str, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> Job:
        """Write the intent to publish ``draft`` on ``marketplace``, pictures included.

        Enqueueing the same draft again while it is published changes nothing (nothing will
        be sent); a changed draft gets a new idempotency key and is queued.
        """
        data = draft_to_data(draft)
        shas = tuple(image.sha256 for image in images)
        digest = payload_hash(data, shas)
        with self._transaction() as db:
            now = self._now(db)
            self._lock_sku(db, marketplace, draft.sku)
            for image in images:
                db.execute(
                    "INSERT INTO pictures (sha256, format, width, height, data) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
                    (image.sha256, image.format, image.width, image.height, image.data),
                )
            row = db.execute(
                f"SELECT {_COLUMNS} FROM jobs WHERE marketplace = ? AND sku = ?"  # noqa: S608
                f"{self._for_update}",
                (marketplace, draft.sku),
            ).fetchone()
            if row is None:
                db.execute(
                    "INSERT INTO jobs (marketplace, sku, state, data, images, payload_hash, "
                    "idempotency_key, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        marketplace,
                        draft.sku,
                        JobState.QUEUED.value,
                        json.dumps(data, ensure_ascii=False),
                        json.dumps(shas),
                        digest,
                        uuid.uuid4().hex,
                        now,
                    ),
                )
            else:
                self._requeue(db, _job(row), data, shas, digest, now)
        return self.job(marketplace, draft.sku)

    @staticmethod
    def _requeue(  # noqa: PLR0913, PLR0917 - one job and the new intent's parts
        db: Database,
        job: Job,
        data: dict[str, Any],
        shas: tuple[str, ...],
        digest: str,
        now: float,
    ) -> None:
        pending = (JobState.QUEUED, JobState.IN_FLIGHT, JobState.FAILED_RETRYABLE)
        if job.payload_hash == digest and job.state in (JobState.PUBLISHED, *pending):
            return  # already published, or already on its way: keep its idempotency key
        live = job.state is not JobState.WITHDRAWN and job.state is not JobState.FAILED_PERMANENT
        state = JobState.PUBLISHED if live and digest == job.published_hash else JobState.QUEUED
        db.execute(
            "UPDATE jobs SET state = ?, data = ?, images = ?, payload_hash = ?, "
            "idempotency_key = ?, attempts = 0, last_error = '', field_errors = '{}', "
            "next_attempt_at = 0, updated_at = ? WHERE id = ?",
            (
                state.value,
                json.dumps(data, ensure_ascii=False),
                json.dumps(shas),
                digest,
                uuid.uuid4().hex,
                now,
                job.id,
            ),
        )

    # --- reading --------------------------------------------------------------------------

    def job(self, marketplace: str, sku: str) -> Job:
        """The job of ``sku`` on ``marketplace``.

        Raises:
            KeyError: when there is none.
        """
        rows = self._read(
            f"SELECT {_COLUMNS} FROM jobs WHERE marketplace = ? AND sku = ?",  # noqa: S608
            (marketplace, sku),
        )
        row = rows[0] if rows else None
        if row is None:
            raise KeyError(f"the outbox has no job for {sku!r} on {marketplace!r}")
        return _job(row)

    def jobs(self, *states: JobState, marketplace: str | None = None) -> list[Job]:
        """The jobs (in these states, on this marketplace, when given), oldest first."""
        where: list[str] = []
        params: list[str] = []
        if states:
            where.append(f"state IN ({', '.join('?' for _ in states)})")
            params.extend(s.value for s in states)
        if marketplace is not None:
            where.append("marketplace = ?")
            params.append(marketplace)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._read(
            f"SELECT {_COLUMNS} FROM jobs{clause} ORDER BY id",  # noqa: S608 - placeholders only
            params,
        )
        return [_job(row) for row in rows]

    def counts(self) -> dict[str, int]:
        """How many jobs are in each state."""
        return dict(self._read("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state"))

    def pictures(self, job: Job) -> list[ProcessedImage]:
        """The job's pictures, as they were enqueued."""
        images = []
        for sha in job.images:
            rows = self._read(
                "SELECT format, width, height, data FROM pictures WHERE sha256 = ?", (sha,)
            )
            if not rows:
                raise StorageError(
                    self.path,
                    f"the outbox has lost the picture {sha[:16]} of {job.sku!r} on "
                    f"{job.marketplace!r}",
                    hint="enqueue the listing again (publish it) so its pictures are stored anew",
                )
            row = rows[0]
            images.append(
                ProcessedImage(
                    data=bytes(row[3]),
                    format=row[0],
                    width=row[1],
                    height=row[2],
                    sha256=sha,
                    source=f"outbox picture {sha[:16]}",
                    quality=None,
                    steps=(),
                )
            )
        return images

    # --- the publisher's transitions ------------------------------------------------------

    def claim(
        self,
        marketplace: str,
        limit: int,
        *,
        lease: float = DEFAULT_LEASE,
        owner: str | None = None,
    ) -> list[Job]:
        """Move up to ``limit`` due jobs to in flight and return them (one transaction).

        The jobs are leased to ``owner`` (this process when not given) for ``lease`` seconds:
        another publisher on the same outbox leaves them alone while the lease runs (and, on
        this computer, while the owner's process is alive). On PostgreSQL a job whose lease
        ran out is claimed again by whoever asks next.
        """
        with self._transaction() as db:
            now = self._now(db)
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM jobs WHERE marketplace = ? AND (state = ? OR "  # noqa: S608
                "(state = ? AND next_attempt_at <= ?)) ORDER BY id LIMIT ?",
                (
                    marketplace,
                    JobState.QUEUED.value,
                    JobState.FAILED_RETRYABLE.value,
                    now,
                    limit,
                ),
            ).fetchall()
            for row in rows:
                db.execute(
                    "UPDATE jobs SET state = ?, attempts = attempts + 1, updated_at = ?, "
                    "next_attempt_at = ?, lease_owner = ? WHERE id = ?",
                    (JobState.IN_FLIGHT.value, now, now + lease, owner or _OWNER, row[0]),
                )
        return [attrs.evolve(_job(r), state=JobState.IN_FLIGHT, attempts=r[10] + 1) for r in rows]

    def renew(self, jobs: Sequence[Job], *, lease: float, owner: str | None = None) -> int:
        """Extend to ``lease`` seconds from now the leases ``owner`` still holds; how many.

        A job whose lease was taken over (it ran out and another worker claimed it), or
        that is no longer in flight, is not renewed: its worker should stop caring for it.
        """
        if not jobs:
            return 0
        renewed = 0
        with self._transaction() as db:
            now = self._now(db)
            for job in jobs:
                renewed += db.execute(
                    "UPDATE jobs SET next_attempt_at = ?, updated_at = ? "
                    "WHERE id = ? AND state = ? AND lease_owner = ?",
                    (now + lease, now, job.id, JobState.IN_FLIGHT.value, owner or _OWNER),
                ).rowcount
        return renewed

    def release(self, jobs: Sequence[Job], *, owner: str | None = None) -> int:
        """Give jobs ``owner`` holds back to the queue unsent (a worker stopping); how many.

        The try is not counted: the attempt the claim added is taken back, the idempotency
        key is kept, and the job is due at once for any worker.
        """
        if not jobs:
            return 0
        released = 0
        with self._transaction() as db:
            now = self._now(db)
            for job in jobs:
                released += db.execute(
                    "UPDATE jobs SET state = ?, lease_owner = NULL, next_attempt_at = 0, "
                    "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, "
                    "updated_at = ? WHERE id = ? AND state = ? AND lease_owner = ?",
                    (
                        JobState.QUEUED.value,
                        now,
                        job.id,
                        JobState.IN_FLIGHT.value,
                        owner or _OWNER,
                    ),
                ).rowcount
        return released

    def requeue_in_flight(self, marketplace: str) -> int:
        """Queue again the jobs a stopped run left in flight (it died before hearing back).

        A job still leased to a live process (another publisher on this computer, or one
        elsewhere whose lease has not run out) is left to it. Their idempotency keys are
        kept. Sending them again is safe because adapters write by SKU and look a listing up
        before creating it again; returns how many there were.
        """
        with self._transaction() as db:
            now = self._now(db)
            rows = db.execute(
                "SELECT id, next_attempt_at, lease_owner FROM jobs "  # noqa: S608 - a constant
                f"WHERE marketplace = ? AND state = ?{self._for_update}",
                (marketplace, JobState.IN_FLIGHT.value),
            ).fetchall()
            stale = [job for job, until, owner in rows if not _lease_held(owner, until, now)]
            for job in stale:
                db.execute(
                    "UPDATE jobs SET state = ?, updated_at = ?, lease_owner = NULL WHERE id = ?",
                    (JobState.QUEUED.value, now, job),
                )
        return len(stale)

    def published(
        self, job: Job, remote: dict[str, Any], *, state: JobState = JobState.PUBLISHED
    ) -> None:
        """Record that ``job``'s write was carried out (only if the job did not change since)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE jobs SET state = ?, published_data = data, "
                "published_hash = payload_hash, published_images = images, last_error = '', "
                "field_errors = '{}', remote = ?, updated_at = ?, lease_owner = NULL "
                "WHERE id = ? AND payload_hash = ?",
                (state.value, json.dumps(remote), self._now(db), job.id, job.payload_hash),
            )

    def failed(
        self,
        job: Job,
        message: str,
        *,
        permanent: bool,
        field_errors: dict[str, str] | None = None,
        retry_in: float = 0.0,
    ) -> None:
        """Record a failed try: retryable (again after ``retry_in`` s) or permanent.

        The message and field errors are stored with every credential redacted.
        """
        message = redact_text(message)
        field_errors = {redact_text(k): redact_text(v) for k, v in (field_errors or {}).items()}
        state = JobState.FAILED_PERMANENT if permanent else JobState.FAILED_RETRYABLE
        with self._transaction() as db:
            now = self._now(db)
            db.execute(
                "UPDATE jobs SET state = ?, last_error = ?, field_errors = ?, "
                "next_attempt_at = ?, updated_at = ?, lease_owner = NULL "
                "WHERE id = ? AND payload_hash = ?",
                (
                    state.value,
                    message,
                    json.dumps(field_errors or {}, ensure_ascii=False),
                    now + retry_in,
                    now,
                    job.id,
                    job.payload_hash,
                ),
            )

    def withdrawn(self, marketplace: str, sku: str, remote: dict[str, Any]) -> None:
        """Record that the listing was taken off sale (enqueue it again to republish)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE jobs SET state = ?, remote = ?, updated_at = ?, lease_owner = NULL "
                "WHERE marketplace = ? AND sku = ?",
                (JobState.WITHDRAWN.value, json.dumps(remote), self._now(db), marketplace, sku),
            )

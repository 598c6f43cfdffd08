"""The outbox: intents written before sending, states, change detection, durability."""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from ruralseller.catalog import Money
from ruralseller.errors import StorageError
from ruralseller.publishing import JobState, Outbox
from ruralseller.publishing import outbox as outbox_module

from .conftest import draft, picture


def test_enqueue_writes_the_intent_and_its_pictures(store_target: str) -> None:
    path = store_target
    outbox = Outbox(path)
    job = outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    assert job.state is JobState.QUEUED
    assert job.images == (picture().sha256,)
    outbox.close()
    reopened = Outbox(path)  # a new process finds it all
    again = reopened.job("sandbox", "HEN-1")
    assert again == job
    assert reopened.pictures(again)[0].data == picture().data
    assert again.draft() == draft("HEN-1")


def test_enqueueing_the_same_draft_twice_keeps_one_job_and_its_key(store_target: str) -> None:
    outbox = Outbox(store_target)
    first = outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    second = outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    assert second.id == first.id
    assert second.idempotency_key == first.idempotency_key
    assert outbox.counts() == {"queued": 1}


def test_a_published_draft_enqueued_again_unchanged_sends_nothing(store_target: str) -> None:
    outbox = Outbox(store_target)
    outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    (job,) = outbox.claim("sandbox", 10)
    outbox.published(job, {"state": "active"})
    assert outbox.enqueue("sandbox", draft("HEN-1"), [picture()]).state is JobState.PUBLISHED
    changed = outbox.enqueue("sandbox", draft("HEN-1", stock=3), [picture()])
    assert changed.state is JobState.QUEUED
    assert changed.idempotency_key != job.idempotency_key
    assert changed.only_inventory_changed()
    retitled = attrs.evolve(draft("HEN-1"), price=Money("40.00", "CNY"), min_order=2)
    assert not outbox.enqueue("sandbox", retitled, [picture()]).only_inventory_changed()
    back = outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    assert back.state is JobState.PUBLISHED  # back to what is already published


def test_claim_moves_due_jobs_in_flight_once(store_target: str) -> None:
    now = [1000.0]
    outbox = Outbox(store_target, clock=lambda: now[0])
    for n in range(3):
        outbox.enqueue("sandbox", draft(f"HEN-{n}"), [picture()])
    outbox.enqueue("other", draft("HEN-0"), [picture()])
    claimed = outbox.claim("sandbox", 2)
    assert [j.sku for j in claimed] == ["HEN-0", "HEN-1"]
    assert all(j.state is JobState.IN_FLIGHT and j.attempts == 1 for j in claimed)
    assert [j.sku for j in outbox.claim("sandbox", 5)] == ["HEN-2"]
    assert outbox.claim("sandbox", 5) == []
    outbox.failed(claimed[0], "down", permanent=False, retry_in=60)
    assert outbox.claim("sandbox", 5) == []  # not due yet
    now[0] += 61
    assert [j.sku for j in outbox.claim("sandbox", 5)] == ["HEN-0"]


def test_a_crash_leaves_jobs_in_flight_and_they_are_queued_again(store_target: str) -> None:
    outbox = Outbox(store_target)
    outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    (job,) = outbox.claim("sandbox", 1)
    assert outbox.requeue_in_flight("sandbox") == 1
    again = outbox.job("sandbox", "HEN-1")
    assert again.state is JobState.QUEUED
    assert again.idempotency_key == job.idempotency_key


def test_an_outcome_for_an_outdated_payload_is_not_recorded(store_target: str) -> None:
    """A draft changed while its old version was in flight stays queued."""
    outbox = Outbox(store_target)
    outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    (old,) = outbox.claim("sandbox", 1)
    outbox.enqueue("sandbox", draft("HEN-1", stock=1), [picture()])
    outbox.published(old, {"state": "active"})
    assert outbox.job("sandbox", "HEN-1").state is JobState.QUEUED


def test_permanent_failures_keep_the_field_errors(store_target: str) -> None:
    outbox = Outbox(store_target)
    outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    (job,) = outbox.claim("sandbox", 1)
    outbox.failed(job, "rejected", permanent=True, field_errors={"title": "too long"})
    failed = outbox.jobs(JobState.FAILED_PERMANENT)
    assert [(j.sku, j.field_errors) for j in failed] == [("HEN-1", {"title": "too long"})]
    assert outbox.claim("sandbox", 5) == []
    requeued = outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    assert requeued.state is JobState.QUEUED  # enqueued again after a fix: tried again


def test_renew_extends_only_the_leases_the_owner_holds(store_target: str) -> None:
    now = [1000.0]
    outbox = Outbox(store_target, clock=lambda: now[0])
    for sku in ("HEN-1", "HEN-2"):
        outbox.enqueue("sandbox", draft(sku), [picture()])
    mine = outbox.claim("sandbox", 1, lease=30, owner="me")
    theirs = outbox.claim("sandbox", 1, lease=30, owner="them")
    now[0] += 20
    assert outbox.renew(mine + theirs, lease=30, owner="me") == 1
    assert outbox.job("sandbox", "HEN-1").next_attempt_at == 1050.0
    assert outbox.job("sandbox", "HEN-2").next_attempt_at == 1030.0
    outbox.published(mine[0], {"state": "active"})
    assert outbox.renew(mine, lease=30, owner="me") == 0  # no longer in flight
    assert outbox.renew([], lease=30) == 0


def test_release_gives_jobs_back_unsent_without_counting_the_try(store_target: str) -> None:
    outbox = Outbox(store_target)
    outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    (job,) = outbox.claim("sandbox", 1, owner="me")
    assert outbox.release([job], owner="them") == 0  # not theirs
    assert outbox.release([job], owner="me") == 1
    back = outbox.job("sandbox", "HEN-1")
    assert (back.state, back.attempts) == (JobState.QUEUED, 0)
    assert back.idempotency_key == job.idempotency_key
    (again,) = outbox.claim("sandbox", 1)  # due at once, for anyone (this process here)
    assert again.attempts == 1
    assert outbox.release([again]) == 1


def test_an_outbox_from_a_newer_ruralseller_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    Outbox(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE ruralseller_schema SET version = 99 WHERE component = 'outbox'")
    db.close()
    with pytest.raises(StorageError, match="newer ruralseller") as refused:
        Outbox(path)
    assert refused.value.path == str(path)


def _lease(outbox: Outbox, sku: str, owner: str, until: float) -> None:
    """Pretend another publisher holds ``sku``'s job."""
    outbox._db.execute(
        "UPDATE jobs SET lease_owner = ?, next_attempt_at = ? WHERE sku = ?", (owner, until, sku)
    )


def test_jobs_leased_to_a_live_publisher_are_left_to_it(tmp_path: Path) -> None:
    """Two publishers on one outbox: the second never takes what the first is sending."""
    now = [1000.0]
    outbox = Outbox(tmp_path / "outbox.db", clock=lambda: now[0])
    for sku in ("ALIVE", "DEAD", "AWAY", "EXPIRED"):
        outbox.enqueue("sandbox", draft(sku), [picture()])
    assert len(outbox.claim("sandbox", 10)) == 4
    host = socket.gethostname()
    with subprocess.Popen([sys.executable, "-c", "pass"]) as gone:
        pass  # it has ended: its process id belongs to no one
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as other:
        dead_pid = gone.pid
        _lease(outbox, "ALIVE", f"{host}:{other.pid}:x", now[0] + 1)  # lease ran out: alive wins
        _lease(outbox, "DEAD", f"{host}:{dead_pid}:x", now[0] + 300)  # killed: taken back
        _lease(outbox, "AWAY", "other-computer:12:x", now[0] + 300)  # elsewhere, lease runs
        _lease(outbox, "EXPIRED", "other-computer:12:x", now[0] - 1)  # elsewhere, lease over
        now[0] += 10
        assert outbox.requeue_in_flight("sandbox") == 2
        other.kill()
    states = {job.sku: job.state for job in outbox.jobs()}
    assert states == {
        "ALIVE": JobState.IN_FLIGHT,
        "DEAD": JobState.QUEUED,
        "AWAY": JobState.IN_FLIGHT,
        "EXPIRED": JobState.QUEUED,
    }
    assert outbox.requeue_in_flight("sandbox") == 1  # the live one has died since


def test_an_outbox_from_before_leases_opens_and_works(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.executescript(
            outbox_module._SCHEMA.replace("    lease_owner TEXT,\n", "")  # the old layout
        )
    outbox = Outbox(path)
    outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    (job,) = outbox.claim("sandbox", 1)
    assert job.state is JobState.IN_FLIGHT
    assert outbox.requeue_in_flight("sandbox") == 1  # our own process's earlier claim

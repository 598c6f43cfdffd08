"""The outbox on PostgreSQL: concurrent claims, leases taken over, errors without secrets."""

from __future__ import annotations

import collections
import subprocess
import sys
import threading
from pathlib import Path

import psycopg
import pytest

from ruralseller.errors import StorageError
from ruralseller.orders import SCHEMA_VERSION, OrderStore
from ruralseller.publishing import JobState, Outbox, PostgresOutbox, redact_url

from .conftest import draft, picture

WORKER = Path(__file__).with_name("claim_worker.py")


def test_a_url_opens_a_postgresql_outbox_and_a_path_a_sqlite_one(
    postgres_url: str, tmp_path: Path
) -> None:
    assert isinstance(Outbox(postgres_url), PostgresOutbox)
    assert Outbox(postgres_url).dialect == "postgresql"
    assert type(Outbox(tmp_path / "outbox.db")) is Outbox
    assert Outbox(str(tmp_path / "o.db")).dialect == "sqlite"


def test_processes_claiming_at_once_take_each_job_exactly_once(postgres_url: str) -> None:
    outbox = Outbox(postgres_url)
    for n in range(240):
        outbox.enqueue("sandbox", draft(f"HEN-{n:03d}"), [picture()])
    workers = [
        subprocess.Popen(  # noqa: S603 - our own worker script
            [sys.executable, str(WORKER), postgres_url, "sandbox", str(n)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    claimed: list[int] = []
    per_worker = []
    for worker in workers:
        out, _ = worker.communicate(timeout=300)
        assert worker.returncode == 0
        ids = [int(line) for line in out.split()]
        per_worker.append(len(ids))
        claimed += ids
    duplicates = [job for job, times in collections.Counter(claimed).items() if times > 1]
    assert duplicates == []
    assert sorted(claimed) == sorted(job.id for job in outbox.jobs())  # none lost
    assert outbox.counts() == {"published": 240}
    assert sum(1 for n in per_worker if n > 0) >= 2, per_worker  # they really ran together


def test_a_job_whose_lease_ran_out_is_claimed_by_another_worker(postgres_url: str) -> None:
    now = [1000.0]
    outbox = Outbox(postgres_url, clock=lambda: now[0])
    outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    (first,) = outbox.claim("sandbox", 5, lease=30, owner="a")
    assert outbox.claim("sandbox", 5, owner="b") == []  # leased to a
    now[0] += 31
    (taken,) = outbox.claim("sandbox", 5, lease=30, owner="b")
    assert (taken.id, taken.attempts) == (first.id, 2)
    assert outbox.renew([first], lease=30, owner="a") == 0  # a lost it
    assert outbox.renew([taken], lease=30, owner="b") == 1


def test_without_a_clock_the_database_server_tells_the_time(postgres_url: str) -> None:
    outbox = Outbox(postgres_url)
    outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    (job,) = outbox.claim("sandbox", 1, lease=60)
    with psycopg.connect(postgres_url) as db:
        row = db.execute(
            "SELECT next_attempt_at - extract(epoch FROM now()) FROM jobs WHERE id = %s",
            (job.id,),
        ).fetchone()
    assert row is not None
    assert 55 < row[0] <= 61


def test_a_database_from_a_newer_ruralseller_is_refused(postgres_url: str) -> None:
    Outbox(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("UPDATE ruralseller_schema SET version = 99 WHERE component = 'outbox'")
    with pytest.raises(StorageError, match="newer ruralseller") as refused:
        Outbox(postgres_url)
    assert "upgrade" in refused.value.hint


def test_an_unreachable_database_is_a_storage_error_without_the_password(
    postgres_url: str,
) -> None:
    url = postgres_url.replace("postgresql://postgres@", "postgresql://nobody:s3cr3t-pw@")
    with pytest.raises(StorageError) as failed:
        Outbox(url)
    assert "s3cr3t-pw" not in str(failed.value)
    assert "nobody:***@" in failed.value.path
    assert "cannot reach" in str(failed.value)
    assert failed.value.hint


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://u:p%40ss@h:5432/db", "postgresql://u:***@h:5432/db"),
        (
            "postgres://u@h/db?password=xyz&sslmode=require",
            "postgres://u@h/db?password=***&sslmode=require",
        ),
        ("postgresql:///db?host=/run/postgresql", "postgresql:///db?host=/run/postgresql"),
        ("postgresql://u:p@ss/w@h/db?host=/x", "postgresql://u:***@h/db?host=/x"),
        ("postgresql://u@h:5432/db", "postgresql://u@h:5432/db"),
        ("postgresql://h:5432/db", "postgresql://h:5432/db"),
    ],
)
def test_passwords_are_masked_in_urls(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_a_password_in_the_url_is_used_but_never_shown(postgres_url: str) -> None:
    # The test server trusts local connections, so any password lets us in.
    url = postgres_url.replace("postgresql://postgres@", "postgresql://postgres:hidden-pw@")
    outbox = Outbox(url)
    outbox.enqueue("sandbox", draft("HEN-1"), [picture()])
    assert "hidden-pw" not in repr(outbox)
    assert "hidden-pw" not in outbox.path
    assert outbox.counts() == {"queued": 1}


def test_a_role_that_may_only_read_and_write_rows_works_once_upgraded(postgres_url: str) -> None:
    """The how-to's worker role: no right to change tables, only rows."""
    OrderStore(Outbox(postgres_url)).close()  # the owner made and upgraded the tables
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("CREATE ROLE publishing_worker LOGIN")
        db.execute(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
            "TO publishing_worker"
        )
    worker = Outbox(postgres_url.replace("postgres@", "publishing_worker@"))
    worker.enqueue("sandbox", draft("HEN-1"), [picture()])
    (job,) = worker.claim("sandbox", 1)
    assert job.sku == "HEN-1"
    assert OrderStore(worker).schema_version() == SCHEMA_VERSION


def test_enqueueing_the_same_listings_from_several_processes_at_once_makes_one_job_each(
    postgres_url: str,
) -> None:
    errors: list[BaseException] = []
    ready = threading.Barrier(4)

    def enqueue(stock: int) -> None:
        outbox = Outbox(postgres_url)  # a connection each, as separate processes have
        try:
            ready.wait()
            for n in range(30):
                outbox.enqueue("sandbox", draft(f"HEN-{n}", stock=stock), [picture()])
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            outbox.close()

    threads = [threading.Thread(target=enqueue, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    jobs = Outbox(postgres_url).jobs()
    assert sorted(job.sku for job in jobs) == sorted(f"HEN-{n}" for n in range(30))
    assert {job.state for job in jobs} == {JobState.QUEUED}


def test_without_the_driver_a_url_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg now fails
    with pytest.raises(StorageError) as missing:
        Outbox("postgresql://seller:s3cret@db.example/county")
    assert "ruralseller[postgres]" in missing.value.hint
    assert "s3cret" not in str(missing.value)


def test_another_programs_tables_are_refused_and_left_alone(postgres_url: str) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("CREATE TABLE jobs (id serial PRIMARY KEY, payload text)")
    with pytest.raises(StorageError, match="did not make") as refused:
        Outbox(postgres_url)
    assert "database of its own" in refused.value.hint
    with psycopg.connect(postgres_url) as db:
        columns = db.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_name = 'jobs'"
        ).fetchone()
    assert columns == (2,)

"""The outbox file is never silently replaced, and every storage failure says what to do."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from ruralseller.errors import StorageError
from ruralseller.marketplaces import Secret
from ruralseller.publishing import JobState, Outbox, open_store, storage_error

from .conftest import draft, picture


def _outbox_with_jobs(path: Path, count: int = 3) -> None:
    box = Outbox(path)
    for n in range(count):
        box.enqueue("sandbox", draft(f"HEN-{n}"), [picture()])
    box.close()


def test_a_new_outbox_is_made_whole(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "outbox.db"
    box = Outbox(path)
    assert box.counts() == {}
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".new")] == []


def test_an_empty_outbox_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    path.write_bytes(b"")
    with pytest.raises(StorageError, match=r"empty \(0 bytes\).*restore it from a backup"):
        Outbox(path)
    assert path.read_bytes() == b""


@pytest.mark.parametrize(
    "content", [b"not a database at all\n", b"\x00" * 4096, b"SQLite format 2\x00" + b"x" * 100]
)
def test_a_file_that_is_not_sqlite_is_refused_unchanged(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "outbox.db"
    path.write_bytes(content)
    with pytest.raises(StorageError, match="not a SQLite database"):
        Outbox(path)
    assert path.read_bytes() == content


@pytest.mark.parametrize("keep", [0.25, 0.5, 0.9])
def test_a_truncated_outbox_is_refused(tmp_path: Path, keep: float) -> None:
    path = tmp_path / "outbox.db"
    _outbox_with_jobs(path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(StorageError, match=r"outbox\.db: the outbox is damaged.*recover"):
        Outbox(path)


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.commit()
    db.close()
    with pytest.raises(StorageError, match=r"not an outbox \(its tables: notes\)"):
        Outbox(path)
    db = sqlite3.connect(path)
    assert [r[0] for r in db.execute("SELECT name FROM sqlite_master")] == ["notes"]
    db.close()


def test_paths_that_are_not_regular_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="not a regular file"):
        Outbox(tmp_path)
    with pytest.raises(StorageError, match="not a regular file"):
        Outbox("/dev/null")
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    with pytest.raises(StorageError, match="not a regular file"):
        Outbox(fifo)
    with pytest.raises(StorageError, match="/proc/"):
        Outbox("/proc/outbox.db")


def test_a_missing_outbox_whose_journal_remains_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    (tmp_path / "outbox.db-wal").write_bytes(b"x" * 100)
    with pytest.raises(StorageError, match="missing but its journal"):
        Outbox(path)
    assert not path.exists()


def test_a_full_disk_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    _outbox_with_jobs(path, 1)
    box = Outbox(path)
    pages = box._db.execute("PRAGMA page_count").fetchone()[0]
    box._db.execute(f"PRAGMA max_page_count = {pages}")  # the disk is full from here on

    def fill() -> None:
        for n in range(50):
            box.enqueue("sandbox", draft(f"FULL-{n}"), [picture((n, n, n))])

    with pytest.raises(StorageError, match=r"disk holding the outbox is full.*free some space"):
        fill()
    box.close()
    assert Outbox(path).job("sandbox", "HEN-0").state is JobState.QUEUED


def test_a_read_only_outbox_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    _outbox_with_jobs(path, 1)
    box = Outbox(path)
    box._db.execute("PRAGMA query_only = ON")  # as a read-only or immutable file behaves
    with pytest.raises(StorageError, match=r"cannot be written.*chmod u\+w"):
        box.enqueue("sandbox", draft("HEN-9"), [picture()])
    (job,) = box.jobs()
    assert job.sku == "HEN-0"


def test_a_deleted_journal_loses_no_record(tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    box = Outbox(path)
    box.enqueue("sandbox", draft("HEN-1"), [picture()])
    (job,) = box.claim("sandbox", 1)
    Path(f"{path}-wal").unlink()  # someone cleans up "temporary" files
    box.published(job, {"state": "active"})
    box.enqueue("sandbox", draft("HEN-2"), [picture()])
    assert Path(f"{path}-wal").exists()  # a new journal took the deleted one's place
    reopened = Outbox(path)  # another process, while this one is still running
    assert reopened.job("sandbox", "HEN-1").state is JobState.PUBLISHED
    assert reopened.job("sandbox", "HEN-2").state is JobState.QUEUED


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (13, "is full"),
        (8, "cannot be written"),
        (26, "not a SQLite database"),
        (11, "damaged"),
        (5, "locked by another program"),
        (14, "cannot be opened"),
        (10, "reading or writing"),
        (1, "failed"),
    ],
)
def test_every_sqlite_failure_names_the_file_and_what_to_do(code: int, words: str) -> None:
    exc = sqlite3.OperationalError("boom")
    exc.sqlite_errorcode = code
    error = storage_error("/farm/outbox.db", exc, what="outbox")
    assert str(error).startswith("/farm/outbox.db: ")
    assert words in str(error)
    assert error.hint


def test_an_os_failure_is_a_storage_error_too() -> None:
    error = storage_error("/x/outbox.db", OSError(28, "No space left on device"), what="outbox")
    assert "is full" in str(error)


def test_a_secret_in_an_error_never_reaches_the_outbox() -> None:
    token = Secret("Atzr|IwEBIRefreshToken/with+chars")
    box = Outbox(":memory:")
    box.enqueue("sandbox", draft("HEN-1"), [picture()])
    (job,) = box.claim("sandbox", 1)
    echoed = "invalid refresh_token Atzr%7CIwEBIRefreshToken%2Fwith%2Bchars"
    box.failed(job, echoed, permanent=False, field_errors={"auth": token.reveal()})
    stored = box.job("sandbox", "HEN-1")
    assert token.reveal() not in repr(stored)
    assert "Atzr%7C" not in stored.last_error
    assert stored.field_errors == {"auth": "[redacted]"}


def test_open_store_in_memory_runs_the_schema() -> None:
    db = open_store(":memory:", schema="CREATE TABLE t (x);", table="t")
    assert db.execute("SELECT count(*) FROM t").fetchone() == (0,)

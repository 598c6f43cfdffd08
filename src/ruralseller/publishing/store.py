"""Opening the SQLite files we keep (the outbox, the sandbox's store) without losing anything.

A file we keep holds work not done yet, so it is never silently replaced: a path that is not
a regular file, an empty (truncated) file, a file that is not a SQLite database, a damaged one,
or another program's database is refused with a :class:`~ruralseller.errors.StorageError`
naming the file and what to do. A new file is made whole beside the path and moved into
place, so no other process ever sees it half made. Every SQLite or operating-system failure
later (a full disk, a read-only or immutable file, a failing disk) becomes a
``StorageError`` too, through :func:`storage_errors`.

Example:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "store.db"
    >>> db = open_store(path, schema="CREATE TABLE IF NOT EXISTS jobs (id INTEGER);", table="jobs")
    >>> db.close()
    >>> _ = path.write_bytes(b"")
    >>> open_store(path, schema="", table="jobs")
    Traceback (most recent call last):
    ...
    ruralseller.errors.StorageError: .../store.db: the file is empty (0 bytes) ...
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

from ruralseller.errors import StorageError

__all__ = ["open_store", "storage_error", "storage_errors"]

_HEADER = b"SQLite format 3\x00"

# SQLite's primary result codes (https://www.sqlite.org/rescode.html).
_PERM, _BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = (
    3,
    5,
    6,
    8,
    10,
    11,
    13,
    14,
    26,
)


def _a(what: str) -> str:
    return f"{'an' if what[:1] in 'aeiou' else 'a'} {what}"


def storage_error(path: str, exc: BaseException, *, what: str = "file") -> StorageError:
    """The :class:`~ruralseller.errors.StorageError` for a SQLite or OS failure on ``path``."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    rolled_back = "; the unfinished change was rolled back, nothing already saved is lost"
    if primary == _FULL or (isinstance(exc, OSError) and exc.errno == 28):  # ENOSPC
        return StorageError(
            path,
            f"the disk holding the {what} is full{rolled_back}",
            hint="free some space on that disk and run the command again",
        )
    if primary in (_READONLY, _PERM) or (isinstance(exc, OSError) and exc.errno in (1, 13, 30)):
        return StorageError(
            path,
            f"the {what} cannot be written (the file or its folder is read-only, immutable "
            f"or on a read-only disk){rolled_back}",
            hint="make the file and its folder writable (chmod u+w; chattr -i), "
            "or name another file",
        )
    if primary == _NOTADB:
        return StorageError(
            path,
            f"the {what} is not a SQLite database",
            hint="name the right file, or move this one away if you are sure it holds nothing",
        )
    if primary == _CORRUPT:
        return StorageError(
            path,
            f"the {what} is damaged (SQLite: {exc})",
            hint=f"restore it from a backup, or rescue what is left with `sqlite3 {path} .recover`",
        )
    if primary in (_BUSY, _LOCKED):
        return StorageError(
            path,
            f"the {what} stayed locked by another program for too long",
            hint="wait for the other ruralseller run on this file to finish, then try again",
        )
    if primary == _CANTOPEN:
        return StorageError(
            path,
            f"the {what} cannot be opened",
            hint="check that the path names a file in a folder that exists and is writable",
        )
    if primary == _IOERR or isinstance(exc, OSError):
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return StorageError(
            path,
            f"reading or writing the {what} failed ({reason}){rolled_back}",
            hint="check the disk (space, permissions, a file size limit, a failing drive) "
            "and run the command again",
        )
    return StorageError(
        path,
        f"the {what} failed: {exc}",
        hint="check the file and the disk, then run the command again",
    )


@contextlib.contextmanager
def storage_errors(path: str, *, what: str = "file") -> Iterator[None]:
    """Turn any SQLite or OS failure inside the block into a ``StorageError`` naming ``path``."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        raise storage_error(path, exc, what=what) from exc


def _refuse_bad_file(path: Path, what: str) -> bool:
    """Refuse what cannot hold a store; whether the file exists (and looks like SQLite)."""
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        journal = Path(f"{name}-wal")
        if journal.is_file() and journal.stat().st_size > 0:
            raise StorageError(
                name,
                f"the {what} is missing but its journal {journal.name} is still there: "
                "the file was deleted or moved while it held work",
                hint=f"put the file back; to start afresh on purpose, delete {journal.name} too",
            ) from None
        return False
    if not stat.S_ISREG(info.st_mode):
        raise StorageError(
            name,
            f"the {what} path is not a regular file (it is a folder, device, pipe or socket)",
            hint="name a file, e.g. outbox.db in a folder of yours",
        )
    if info.st_size == 0:
        raise StorageError(
            name,
            f"the file is empty (0 bytes): it is no longer a usable {what}; a full disk, a "
            "failed copy or a truncation may have emptied it, and whatever it held is gone",
            hint="restore it from a backup; if you are sure nothing was waiting in it, "
            "delete it and the next command starts a new one",
        )
    with path.open("rb") as file:
        header = file.read(len(_HEADER))
    if header != _HEADER:
        raise StorageError(
            name,
            f"the file is not a SQLite database, so it is not {_a(what)} "
            f"(it starts with {header[:8]!r})",
            hint="name the right file, or move this one away if you are sure it holds nothing",
        )
    return True


def _create(path: Path, schema: str) -> None:
    """Make a new store whole beside ``path``, then move it into place (never half made)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.new")
    try:
        db = sqlite3.connect(staging, isolation_level=None)
        try:
            db.executescript(schema)
            db.execute("PRAGMA journal_mode=WAL")
        finally:
            db.close()
        with contextlib.suppress(FileExistsError):  # another process made it first: use that
            os.link(staging, path)
    finally:
        for leftover in (staging, Path(f"{staging}-wal"), Path(f"{staging}-shm")):
            leftover.unlink(missing_ok=True)


def open_store(
    path: str | os.PathLike[str],
    *,
    schema: str,
    table: str,
    what: str = "file",
    timeout: float = 30.0,
) -> sqlite3.Connection:
    """Open (or make) a SQLite store in WAL mode, refusing anything that is not one of ours.

    Args:
        path: the file, or ``":memory:"``.
        schema: the ``CREATE TABLE IF NOT EXISTS`` script (run on every open, to add tables
            a newer version needs).
        table: a table every store of this kind has; a database without it is refused.
        what: what the file is, in the user's words (``"outbox"``), for messages.
        timeout: how long to wait for another process's lock, in seconds.

    Raises:
        StorageError: the path is not a regular file, or is empty, not SQLite, damaged,
            another program's database, or cannot be opened or written.
    """
    name = os.fspath(path)
    with storage_errors(name, what=what):
        if name == ":memory:":
            db = sqlite3.connect(name, isolation_level=None, check_same_thread=False)
            db.executescript(schema)
            return db
        file = Path(name)
        if not _refuse_bad_file(file, what):
            _create(file, schema)
            _refuse_bad_file(file, what)
        db = sqlite3.connect(name, timeout=timeout, isolation_level=None, check_same_thread=False)
        try:
            _check(db, name, table, what)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(schema)
        except BaseException:
            db.close()
            raise
        return db


def _check(db: sqlite3.Connection, name: str, table: str, what: str) -> None:
    problems = [row[0] for row in db.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        raise StorageError(
            name,
            f"the {what} is damaged (SQLite's check says: {'; '.join(problems)})",
            hint=f"restore it from a backup, or rescue what is left with `sqlite3 {name} .recover`",
        )
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if table not in tables:
        found = ", ".join(sorted(tables)) or "none"
        raise StorageError(
            name,
            f"the file is a SQLite database but not {_a(what)} (its tables: {found})",
            hint="name the right file; ruralseller does not write into other programs' databases",
        )

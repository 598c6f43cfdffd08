"""Talking to PostgreSQL: telling a URL from a path, hiding passwords, pooled connections.

Everywhere ruralseller names a store (the outbox, the order tables) a path means a SQLite
file and a ``postgresql://`` (or ``postgres://``) URL means a PostgreSQL database. The URL is
shown only with its password masked (:func:`redact_url`), and every connection or SQL failure
becomes a :class:`~ruralseller.errors.StorageError` naming the masked URL and what to do.

The SQL the stores share is written once, with SQLite's ``?`` placeholders and statements
both databases accept (``INSERT … ON CONFLICT``); :class:`PgDatabase` hands it to psycopg 3
with psycopg's ``%s`` placeholders.

Example:
    >>> is_database_url("postgresql://seller:s3cret@db.example/county")
    True
    >>> is_database_url("outbox.db")
    False
    >>> redact_url("postgresql://seller:s3cret@db.example/county")
    'postgresql://seller:***@db.example/county'
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from ruralseller.errors import StorageError

if TYPE_CHECKING:
    import psycopg
    import psycopg_pool

__all__ = [
    "Database",
    "PgDatabase",
    "Rows",
    "connect",
    "database_error",
    "database_errors",
    "is_database_url",
    "open_pool",
    "redact_url",
]

_SCHEMES = ("postgresql://", "postgres://")
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&]password=)(?P<secret>[^&#]*)", re.IGNORECASE)


def is_database_url(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` names a PostgreSQL database (a URL) rather than a SQLite file."""
    return isinstance(target, str) and target.lower().startswith(_SCHEMES)


def _userinfo(url: str) -> tuple[int, int] | None:
    """Where the password of ``url``'s ``user:password@`` part starts and ends, if any.

    The part ends at the last ``@`` before the query, so a password someone forgot to
    percent-encode (holding ``@`` or ``/``) is still masked whole.
    """
    start = url.find("://")
    if start < 0:
        return None
    start += 3
    query = url.find("?", start)
    at = url.rfind("@", start, query if query >= 0 else len(url))
    if at < 0:
        return None
    colon = url.find(":", start, at)
    return None if colon < 0 else (colon + 1, at)


def redact_url(url: str) -> str:
    """``url`` with any password (in the authority or as ``?password=``) shown as ``***``."""
    span = _userinfo(url)
    if span is not None:
        url = f"{url[: span[0]]}***{url[span[1] :]}"
    return _QUERY_PASSWORD.sub(r"\g<head>***", url)


def _secrets(url: str) -> list[str]:
    span = _userinfo(url)
    found = [url[span[0] : span[1]]] if span is not None else []
    found += [m.group("secret") for m in _QUERY_PASSWORD.finditer(url)]
    return [secret for secret in found if secret]


class Rows(Protocol):
    """What a statement returns on either database (a cursor)."""

    def fetchone(self) -> Any: ...  # noqa: D102

    def fetchall(self) -> list[Any]: ...  # noqa: D102

    @property
    def rowcount(self) -> int: ...  # noqa: D102


class Database(Protocol):
    """A connection inside a transaction, on either database (``sqlite3`` or :class:`PgDatabase`).

    Statements use ``?`` placeholders.
    """

    def execute(self, sql: str, parameters: Any = (), /) -> Rows: ...  # noqa: D102


@functools.lru_cache(maxsize=512)
def _pg_sql(sql: str) -> str:
    # Our statements hold no "?" or "%" inside string literals other than LIKE patterns,
    # whose "%" psycopg must see doubled.
    return sql.replace("%", "%%").replace("?", "%s")


class _Fetched:
    """Rows already read from a connection given back to the pool."""

    def __init__(self, rows: list[Any], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def fetchone(self) -> Any:
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[Any]:
        return list(self._rows)


class PgDatabase:
    """A psycopg connection that runs our ``?``-placeholder SQL (see :class:`Database`)."""

    dialect = "postgresql"

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.connection = connection

    def execute(self, sql: str, parameters: Any = (), /) -> Rows:
        """Run one statement; its cursor."""
        return self.connection.execute(_pg_sql(sql), parameters or None)

    def executemany(self, sql: str, parameters: Sequence[Any], /) -> None:
        """Run one statement for each set of parameters."""
        with self.connection.cursor() as cursor:
            cursor.executemany(_pg_sql(sql), parameters)


class PgReader:
    """Reads outside a transaction: each statement on a pooled connection, rows read at once."""

    dialect = "postgresql"

    def __init__(self, pool: psycopg_pool.ConnectionPool[Any], url: str, what: str) -> None:
        self._pool = pool
        self._url = url
        self._what = what

    def execute(self, sql: str, parameters: Any = (), /) -> Rows:
        """Run one statement and read its rows."""
        with database_errors(self._url, what=self._what), self._pool.connection() as connection:
            cursor = connection.execute(_pg_sql(sql), parameters or None)
            rows = cursor.fetchall() if cursor.description is not None else []
            return _Fetched(rows, cursor.rowcount)


def _missing_driver() -> StorageError:
    return StorageError(
        "postgresql",
        "PostgreSQL support is not installed (psycopg 3 and psycopg-pool)",
        hint="pip install 'ruralseller[postgres]', or name a SQLite file instead of a URL",
    )


def database_error(url: str, exc: BaseException, *, what: str = "outbox") -> StorageError:
    """The :class:`~ruralseller.errors.StorageError` for a PostgreSQL failure on ``url``."""
    shown = redact_url(url)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    for secret in _secrets(url):
        text = text.replace(secret, "***")
    import psycopg  # noqa: PLC0415 - only with the postgres extra

    try:
        import psycopg_pool  # noqa: PLC0415
    except ImportError:  # pragma: no cover - installed together
        pool_timeout: tuple[type[BaseException], ...] = ()
    else:
        pool_timeout = (psycopg_pool.PoolTimeout,)
    if isinstance(exc, (psycopg.OperationalError, *pool_timeout)):
        return StorageError(
            shown,
            f"cannot reach the {what}'s PostgreSQL database ({text})",
            hint="check that the server runs and accepts connections, and the URL's host, "
            "port, database, user and password (ruralseller db status URL tries it)",
        )
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return StorageError(
            shown,
            f"the database user may not do this to the {what} ({text})",
            hint="grant the role the rights the how-to lists (own the database, or CREATE on "
            "its schema), or run `ruralseller db upgrade URL` as the database's owner",
        )
    if isinstance(exc, psycopg.errors.DiskFull):
        return StorageError(
            shown,
            f"the disk of the {what}'s database server is full; the unfinished change was "
            "rolled back, nothing already saved is lost",
            hint="free space on the database server and run the command again",
        )
    return StorageError(
        shown,
        f"the {what}'s PostgreSQL database failed: {text}; the unfinished change was rolled back",
        hint="check the server's log, then run the command again",
    )


@contextlib.contextmanager
def database_errors(url: str, *, what: str = "outbox") -> Iterator[None]:
    """Turn any psycopg failure inside the block into a ``StorageError`` naming ``url``."""
    try:
        import psycopg  # noqa: PLC0415 - only with the postgres extra
        import psycopg_pool  # noqa: PLC0415
    except ImportError:
        raise _missing_driver() from None
    try:
        yield
    except (psycopg.Error, psycopg_pool.PoolTimeout) as exc:
        raise database_error(url, exc, what=what) from None


def connect(url: str, *, what: str = "outbox", timeout: float = 10.0) -> psycopg.Connection[Any]:
    """One connection to ``url`` (for migrations and checks), failing fast with a StorageError."""
    with database_errors(url, what=what):
        import psycopg  # noqa: PLC0415

        return psycopg.connect(url, connect_timeout=max(1, int(timeout)))


def open_pool(
    url: str, *, what: str = "outbox", max_size: int = 4, timeout: float = 30.0
) -> psycopg_pool.ConnectionPool[Any]:
    """A connection pool to ``url`` (opened lazily: connections are made when needed)."""
    with database_errors(url, what=what):
        import psycopg_pool  # noqa: PLC0415

        return psycopg_pool.ConnectionPool(
            url,
            min_size=1,
            max_size=max_size,
            timeout=timeout,
            open=True,
            name=f"ruralseller {what}",
        )

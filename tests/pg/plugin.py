"""pytest fixtures: ``postgres_server`` (one per session), ``postgres_url`` (one database each)
and ``store_target`` (each test twice: on a SQLite file, then on a PostgreSQL database).

Tests that need PostgreSQL skip with the reason when no server can be started, except under
``CI=true``, where they fail: CI must run them.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.pg.server import PostgresServer, new_database, start_server

__all__ = ["postgres_server", "postgres_url", "store_target"]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole session."""
    if importlib.util.find_spec("psycopg") is None:  # pragma: no cover - in the test extra
        reason = "psycopg is not installed (pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        server = start_server()
    except RuntimeError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {exc}")
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty database on the session's server."""
    return new_database(postgres_server)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a store is: a new SQLite file's path, or a new PostgreSQL database's URL."""
    if request.param == "sqlite":
        return str(tmp_path / "outbox.db")
    url: str = request.getfixturevalue("postgres_url")
    return url

"""pytest fixtures: ``postgres_server`` (one per session) and ``postgres_url`` (one database each).

Tests that need PostgreSQL skip with the reason when no server can be started, except under
``CI=true``, where they fail: CI must run them.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator

import pytest
from tests.pg.server import PostgresServer, new_database, start_server

__all__ = ["postgres_server", "postgres_url"]


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

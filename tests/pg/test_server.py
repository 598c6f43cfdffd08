"""The throwaway server itself works: a database per test, isolated from the others."""

from __future__ import annotations

import psycopg
from tests.pg.server import PostgresServer


def test_each_test_gets_an_empty_database_of_its_own(postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as conn:
        conn.execute("CREATE TABLE t (x int)")
        conn.execute("INSERT INTO t VALUES (1)")
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_a_second_database_does_not_see_the_first(
    postgres_server: PostgresServer, postgres_url: str
) -> None:
    with psycopg.connect(postgres_url) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)
    assert postgres_url.startswith("postgresql://postgres@/t_")
    assert str(postgres_server.socket_dir) in postgres_url

"""A throwaway PostgreSQL server for the tests, started from the distribution's binaries.

The server runs as the database's own user (``postgres`` when the tests run as root, as CI
does; the current user otherwise), in a temporary folder, listening only on a Unix socket in
that folder, so tests on one machine never collide on a port. It lives for the whole test
session; each test gets a database of its own (``postgres_url``).

When no server can be started (no ``initdb`` on the machine) the tests that need one skip,
saying why; under ``CI=true`` they fail instead, because CI must run them (``.ci/run``
installs Debian's ``postgresql`` package).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import attrs
import psycopg

__all__ = ["PostgresServer", "find_binaries", "start_server"]


def find_binaries() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or None."""
    found = shutil.which("initdb")
    candidates = [Path(found).resolve().parent] if found else []
    # Debian keeps the server's programs out of PATH, one folder per major version.
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in candidates:
        if all((folder / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


@attrs.frozen
class PostgresServer:
    """A running server: its folder, socket folder and superuser."""

    root: Path
    socket_dir: Path
    user: str
    port: int
    bin_dir: Path
    run_as: str | None

    def url(self, database: str = "postgres") -> str:
        """A libpq URL for ``database`` over the server's Unix socket."""
        return f"postgresql://{self.user}@/{database}?host={self.socket_dir}&port={self.port}"

    def stop(self) -> None:
        """Stop the server at once and delete its folder."""
        with contextlib.suppress(subprocess.CalledProcessError, OSError):
            self._run(
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.root / "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return _run(self.run_as, *argv)


def _run(run_as: str | None, *argv: str) -> subprocess.CompletedProcess[str]:
    command = list(argv)
    if run_as is not None:
        command = ["runuser", "-u", run_as, "--", *command]
    return subprocess.run(  # noqa: S603 - our own argv, no shell
        command, check=True, capture_output=True, text=True, timeout=120
    )


def start_server() -> PostgresServer:
    """Start a server; raise RuntimeError saying why it could not be started."""
    bin_dir = find_binaries()
    if bin_dir is None:
        raise RuntimeError(
            "no PostgreSQL server programs (initdb, pg_ctl, postgres) were found on PATH or "
            "in /usr/lib/postgresql/*/bin; install Debian's postgresql package"
        )
    run_as: str | None = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise RuntimeError("running as root and there is no 'postgres' user") from exc
        run_as = "postgres"
    root = Path(tempfile.mkdtemp(prefix="rspg-"))
    socket_dir = root / "s"
    socket_dir.mkdir()
    if run_as is not None:
        entry = pwd.getpwnam(run_as)
        for path in (root, socket_dir):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    # A fixed port number is fine: with listen_addresses='' the server opens no TCP port,
    # and the socket lives in a folder of its own.
    port = 5432
    try:
        _run(
            run_as,
            str(bin_dir / "initdb"),
            "-D",
            str(root / "data"),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories='{socket_dir}' -p {port} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        _run(
            run_as,
            str(bin_dir / "pg_ctl"),
            "-D",
            str(root / "data"),
            "-o",
            options,
            "-l",
            str(root / "server.log"),
            "-w",
            "-t",
            "60",
            "start",
        )
    except (subprocess.CalledProcessError, OSError, subprocess.TimeoutExpired) as exc:
        detail = getattr(exc, "stderr", "") or ""
        log = root / "server.log"
        if log.exists():
            detail += log.read_text(errors="replace")[-2000:]
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc}\n{detail}") from exc
    return PostgresServer(root, socket_dir, "postgres", port, bin_dir, run_as)


def new_database(server: PostgresServer) -> str:
    """Create an empty database on ``server`` and return its URL."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server.url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.url(name)


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    """Start a server for the block and stop it after."""
    server = start_server()
    try:
        yield server
    finally:
        server.stop()

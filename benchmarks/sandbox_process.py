"""A sandbox marketplace in its own process, for benchmarks that must not share a CPU core.

The sandbox is a real HTTP server (uvicorn); run in the benchmark's own process it competes
with the client for the one Python interpreter lock, and the client can never go faster than
the server leaves it time to. In its own process, as a real marketplace would be, the
client's speed is the client's.
"""

from __future__ import annotations

import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

_SERVER = """
import sys
from ruralseller.sandbox import Faults, serve
port, db, rate, e500, e503, seed = sys.argv[1:7]
serve("127.0.0.1", int(port), db=db, rate=float(rate), burst=float(rate),
      faults=Faults(error_500=float(e500), error_503=float(e503), seed=int(seed)))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def sandbox_process(
    db: Path, *, rate: float, error_500: float = 0.0, error_503: float = 0.0, seed: int = 2026
) -> Iterator[str]:
    """Run a sandbox with ``rate`` requests/s and injected 5xx in a subprocess; yield its URL.

    The listings are kept in ``db`` (SQLite) so :func:`stored` can count them afterwards.
    """
    port = _free_port()
    args = [str(port), str(db), str(rate), str(error_500), str(error_503), str(seed)]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", _SERVER, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/openapi.json", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the sandbox process did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def stored(db: Path) -> tuple[int, int, int]:
    """Listings stored, distinct SKUs among them, and how many are published (active)."""
    with sqlite3.connect(db) as connection:
        total, distinct, active = connection.execute(
            "SELECT COUNT(*), COUNT(DISTINCT sku), SUM(state = 'active') FROM listings"
        ).fetchone()
    return int(total), int(distinct), int(active or 0)

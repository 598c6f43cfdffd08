"""Many publishing workers, several accounts, one rate limit each: throughput, duplicates, losses.

K marketplace accounts each allow R requests per second (the sandbox, run **in its own
process**, limits each account with a token bucket of R a second and R at once, and counts
when each request arrived). A few thousand listings are queued in one outbox, spread over the
K accounts (one queue per account), and W = 1..4 ``ruralseller worker`` processes drain it
together, each account's budget shared in PostgreSQL. Printed side by side, per outbox backend
(SQLite file, PostgreSQL database):

* requests per second the sandbox received, and that over K × R (the most the accounts allow;
  the target is close to 1 once enough workers run);
* duplicates (listings stored at the sandbox beyond one per SKU) and losses (listings asked
  for but not published), both to be 0;
* refusals (429 answers: the limit was overrun) and the busiest second of any account over
  its limit, R + its burst;
* the same with workers killed by SIGKILL at random moments and started again.

Then the cost of the shared budget per request: the time one request waits for its token when
none has to wait for the rate (an uncontended budget), in process (``TokenBucket``) and in
PostgreSQL (one statement a token, or 8 tokens reserved per statement).

PostgreSQL is started from the distribution's binaries in a temporary folder (as the tests
do: ``tests/pg/server.py``). Nothing is asserted.

    .venv/bin/python benchmarks/bench_workers.py [--quick] [--listings N] [--accounts K]
        [--rate R] [--backend sqlite|postgresql|both] [--workers W ...]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import json
import random
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import httpx
from PIL import Image
from sandbox_process import stored

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/pg/server.py
from tests.pg.server import PostgresServer, new_database, start_server

from ruralseller.catalog import load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.listing import generate_listing, get_profile, process_image
from ruralseller.marketplaces import PostgresBudgets, TokenBucket
from ruralseller.publishing import Outbox

REQUESTS_PER_LISTING = 3  # the listing, its picture, publishing it

# A sandbox with K accounts whose app notes each request's arrival, account and answer, and
# tells them at GET /_arrivals (not rate limited, not an API path).
_SERVER = """
import json, sys, time
import uvicorn
from starlette.responses import JSONResponse
from ruralseller.sandbox import create_app
port, db, rate, accounts = sys.argv[1], sys.argv[2], float(sys.argv[3]), json.loads(sys.argv[4])
inner = create_app(db=db, rate=rate, burst=rate, accounts=accounts)
arrivals = []

async def app(scope, receive, send):
    if scope["type"] == "http" and scope["path"] == "/_arrivals":
        await JSONResponse(arrivals)(scope, receive, send)
        return
    if scope["type"] != "http":
        await inner(scope, receive, send)
        return
    arrived = time.monotonic()
    account = dict(scope["headers"]).get(b"x-api-key", b"").decode()
    status = [0]
    async def noting(message):
        if message["type"] == "http.response.start":
            status[0] = message["status"]
        await send(message)
    await inner(scope, receive, noting)
    arrivals.append((arrived, account, status[0]))

uvicorn.run(app, host="127.0.0.1", port=int(port), log_level="warning", lifespan="off")
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def sandbox(db: Path, rate: float, accounts: dict[str, str]) -> Iterator[str]:
    """A sandbox with ``accounts``, each limited to ``rate`` a second, in its own process."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", _SERVER, str(port), str(db), str(rate), json.dumps(accounts)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/_arrivals", timeout=1)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the sandbox process did not start") from None
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def busiest_second(times: list[float]) -> int:
    """The most arrivals in any window of one second."""
    times = sorted(times)
    most, start = 0, 0
    for end, now in enumerate(times):
        while times[start] <= now - 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


@attrs.frozen
class Run:
    workers: int
    kills: int
    seconds: float
    requests: int
    refused: int
    busiest: float  # the busiest second of any account over its limit (rate + burst)
    duplicates: int
    lost: int
    cpu: float  # CPU seconds of the workers and the sandbox (not PostgreSQL) per request


def _fill(target: str, accounts: list[str], listings: int) -> None:
    base = generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))
    buffer = io.BytesIO()
    Image.new("RGB", (1300, 1300), (30, 28, 30)).save(buffer, "PNG")
    picture = process_image(buffer.getvalue(), get_profile("sandbox").images, name="hen.png")
    box = Outbox(target)
    try:
        for n in range(listings):
            account = accounts[n % len(accounts)]
            box.enqueue(account, attrs.evolve(base, sku=f"{account}-{n:05d}"), [picture])
    finally:
        box.close()


def _start(command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and command
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def one_run(  # noqa: PLR0913 - the scenario's knobs
    target: str,
    budget_url: str,
    folder: Path,
    *,
    accounts: dict[str, str],
    rate: float,
    listings: int,
    workers: int,
    kill_every: float | None,
    headroom: float,
) -> Run:
    """Drain ``listings`` with ``workers`` processes (killing one now and then, if asked)."""
    _fill(target, list(accounts), listings)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    rng = random.Random(2026)
    db = folder / f"sandbox-{workers}-{kill_every}.db"
    with sandbox(db, rate, accounts) as url:
        command = [
            sys.executable,
            "-c",
            "from ruralseller.cli import main; main()",
            "worker",
            "--outbox",
            target,
            "--rate-budget",
            budget_url,
            "--concurrency",
            "8",
            "--lease",
            "5",
            "--poll",
            "0.2",
            "-o",
            f"base_url={url}",
        ]
        for account, secret in accounts.items():
            command += ["--to", f"{account}=sandbox"]
            command += ["-o", f"{account}.key_id={account}", "-o", f"{account}.secret={secret}"]
        command += ["-o", f"rate={rate * (1 - headroom):g}"]
        box = Outbox(target)
        started = time.monotonic()
        processes = [_start(command) for _ in range(workers)]
        kills = 0
        # Kills land while the work would take at the accounts' limit; then it may finish.
        at_limit = listings * REQUESTS_PER_LISTING / (rate * len(accounts))
        stop_killing, deadline = started + at_limit, started + 60 + 4 * at_limit
        next_kill = started + (rng.uniform(0.5, 1.5) * kill_every if kill_every else 1e18)
        try:
            while box.counts().get("published", 0) < listings and time.monotonic() < deadline:
                time.sleep(0.1)
                if kill_every and stop_killing > time.monotonic() >= next_kill:
                    victim = rng.randrange(workers)
                    processes[victim].send_signal(signal.SIGKILL)
                    processes[victim].wait()
                    processes[victim] = _start(command)
                    kills += 1
                    next_kill = time.monotonic() + rng.uniform(0.5, 1.5) * kill_every
            seconds = time.monotonic() - started
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                process.wait(timeout=60)
        published = box.counts().get("published", 0)
        box.close()
        arrivals = httpx.get(f"{url}/_arrivals", timeout=30).json()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    total, distinct, _active = stored(db)
    api = [(t, a, s) for t, a, s in arrivals if a]
    busiest = max(busiest_second([t for t, a, _s in api if a == acct]) for acct in accounts)
    return Run(
        workers=workers,
        kills=kills,
        seconds=seconds,
        requests=len(api),
        refused=sum(1 for *_, s in api if s == 429),
        busiest=busiest / (2 * rate),
        duplicates=total - distinct,
        lost=listings - published,
        cpu=cpu / max(1, len(api)),
    )


def budget_cost(url: str, requests: int) -> list[tuple[str, float]]:
    """Microseconds per request spent getting a token when the rate never makes one wait."""
    results = []
    bucket = TokenBucket(rate=1e9, capacity=1e9)
    started = time.perf_counter()
    for _ in range(requests):
        bucket.reserve()
    results.append(("in process (TokenBucket)", (time.perf_counter() - started) / requests * 1e6))
    for ahead in (1, 8):
        budgets = PostgresBudgets(url, ahead=ahead)
        budget = budgets.budget("bench", f"ahead-{ahead}", rate=1e9, capacity=1e9)
        budget.acquire_sync()  # connect and make the row first
        started = time.perf_counter()
        for _ in range(requests):
            budget.acquire_sync()
        per = (time.perf_counter() - started) / requests * 1e6
        budgets.close()
        results.append((f"PostgreSQL, {ahead} token(s) a statement", per))
    # As a worker waits: from the event loop, through a thread, one statement a token.
    budgets = PostgresBudgets(url)
    budget = budgets.budget("bench", "async", rate=1e9, capacity=1e9)

    async def many() -> float:
        await budget.acquire()
        started = time.perf_counter()
        for _ in range(requests):
            await budget.acquire()
        return (time.perf_counter() - started) / requests * 1e6

    results.append(("PostgreSQL, from asyncio (acquire)", asyncio.run(many())))
    budgets.close()
    return results


def _target(backend: str, server: PostgresServer, folder: Path, name: str) -> str:
    return new_database(server) if backend == "postgresql" else str(folder / f"{name}.db")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="240 listings instead of 1,600")
    parser.add_argument("--listings", type=int, default=None)
    parser.add_argument("--accounts", type=int, default=4, help="K marketplace accounts")
    parser.add_argument("--rate", type=float, default=20.0, help="R requests/s per account")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--headroom",
        type=float,
        default=0.05,
        help="workers keep to R x (1 - this): room for the network's jitter",
    )
    parser.add_argument("--kill-every", type=float, default=5.0, help="seconds between kills")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=None, help="W values (default 1 2 3 4)"
    )
    args = parser.parse_args()
    listings = args.listings or (240 if args.quick else 1600)
    accounts = {f"acct-{k}": f"secret-{k}" for k in range(1, args.accounts + 1)}
    limit = args.rate * len(accounts)
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    counts = args.workers or ([1, 2, 4] if args.quick else [1, 2, 3, 4])
    print(
        f"{listings} listings ({REQUESTS_PER_LISTING} requests each) over {len(accounts)} "
        f"accounts of {args.rate:g} requests/s (K x R = {limit:g}/s); rate budget in PostgreSQL; "
        f"workers keep to {1 - args.headroom:.0%} of R"
    )
    header = ["W", "killed", "seconds", "req/s", "/ K x R", "dup", "lost", "429", "busiest"]
    header.append("cpu ms/req")
    server = start_server()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for backend in backends:
                print(f"\noutbox on {backend}")
                print("".join(f"{h:>9}" for h in header[:-1]) + f"{header[-1]:>11}")
                for workers in counts:
                    for kill_every in (None, args.kill_every):
                        name = f"{backend}-{workers}-{kill_every}"
                        run = one_run(
                            _target(backend, server, folder, name),
                            new_database(server),
                            folder,
                            accounts=accounts,
                            rate=args.rate,
                            listings=listings,
                            workers=workers,
                            kill_every=kill_every,
                            headroom=args.headroom,
                        )
                        per_second = run.requests / run.seconds
                        print(
                            f"{run.workers:>9}{run.kills:>9}{run.seconds:>9.1f}"
                            f"{per_second:>9.1f}{per_second / limit:>9.2f}{run.duplicates:>9}"
                            f"{run.lost:>9}{run.refused:>9}{run.busiest:>9.2f}"
                            f"{run.cpu * 1000:>11.1f}",
                            flush=True,
                        )
            print(
                "\n(req/s counts every request the sandbox received, retries included; "
                "busiest: the busiest second of any account / (R + burst), at most 1; cpu: "
                "CPU time of the workers and the sandbox per request, PostgreSQL not counted)"
            )
            print("\ncost of the rate budget per request (uncontended), microseconds")
            for what, micros in budget_cost(new_database(server), 300 if args.quick else 2000):
                print(f"  {what:<40}{micros:>10.1f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()

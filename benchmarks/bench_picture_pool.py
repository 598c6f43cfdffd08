"""A batch of pictures on every core: throughput with a process pool against one core.

Writes ``--pictures`` distinct photo-like JPEGs (4000 × 3000 px, as ``bench_images.py`` makes
them) and makes them all to the sandbox profile (1200 px) with
:func:`ruralseller.listing.process_images_many`, no cache, alternating in rounds between:

* ``1 worker``: everything in this process, one picture after another;
* ``N workers``: a process pool of N workers (2, and every core if that is more), at most
  two pictures per worker in flight.

It prints, per row, the best wall seconds of the rounds, pictures per second, the CPU
seconds (this process and its workers), the throughput over one worker's (the target on 2
cores is at least 1.7×) and whether every picture came out byte for byte as made serially;
then the peak resident memory of this process and of the largest worker.

The machine is shared, so the load average before and after is printed, with a control: the
same ratio for two processes running pure Python (no pictures, no pool of ours), which is the
most any pool could reach on the machine at that moment.

    .venv/bin/python benchmarks/bench_picture_pool.py [--quick] [--pictures N] [--rounds N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_images import write_photo

from ruralseller.listing import get_profile, process_images_many
from ruralseller.listing.images import _available_cores

FULL_PICTURES = 24
QUICK_PICTURES = 8
TARGET = 1.7


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _spin(count: int) -> int:
    total = 0
    for number in range(count):
        total += number
    return total


def headroom(count: int = 10_000_000) -> float:
    """What 2 processes get done on this machine now over 1: pure Python, no pictures.

    The control for the pool's ratio: on 2 free cores it is about 2.0; where other work holds
    the cores (or the host gives fewer than it shows), it is what any pool could reach.
    """
    start = time.perf_counter()
    _spin(count)
    one = time.perf_counter() - start
    with multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn").Pool(
        2
    ) as pool:
        start = time.perf_counter()
        pool.map(_spin, [count, count])
        two = time.perf_counter() - start
    return 2 * one / two


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PICTURES} pictures")
    parser.add_argument("--pictures", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    count = args.pictures or (QUICK_PICTURES if args.quick else FULL_PICTURES)
    rounds = args.rounds or (1 if args.quick else 3)
    spec = get_profile("sandbox").images
    cores = _available_cores()
    counts = sorted({1, 2, cores})
    with tempfile.TemporaryDirectory(prefix="bench-picture-pool-") as tmp:
        listings = []
        for number in range(count):
            path = Path(tmp) / f"photo-{number:03d}.jpg"
            write_photo(path, number)
            listings.append([str(path)])
        print(
            f"Python {sys.version.split()[0]}, {cores} cores this process may use; "
            f"load average before: {_load()}; {count} photos of 4000×3000 px → sandbox "
            f"profile (1200 px); best of {rounds} round(s)\n"
        )
        control = headroom()
        reference = process_images_many(listings, spec, workers=1)
        wall = {workers: float("inf") for workers in counts}
        cpu = dict.fromkeys(counts, 0.0)
        same = dict.fromkeys(counts, True)
        for number in range(rounds):
            order = counts if number % 2 == 0 else counts[::-1]
            for workers in order:
                start_cpu, start = _cpu(), time.perf_counter()
                done = process_images_many(listings, spec, workers=workers)
                seconds = time.perf_counter() - start
                if seconds < wall[workers]:
                    wall[workers], cpu[workers] = seconds, _cpu() - start_cpu
                same[workers] = same[workers] and done == reference
        head = (
            f"{'row':<11} {'wall s':>7} {'pictures/s':>10} {'CPU s':>7} {'vs 1 worker':>11} "
            f"{'same bytes':>10}"
        )
        print(head)
        print("-" * len(head))
        for workers in counts:
            name = "1 worker" if workers == 1 else f"{workers} workers"
            print(
                f"{name:<11} {wall[workers]:>7.2f} {count / wall[workers]:>10.2f} "
                f"{cpu[workers]:>7.2f} {wall[1] / wall[workers]:>10.2f}× "
                f"{'yes' if same[workers] else 'NO':>10}"
            )
        control = (control + headroom()) / 2
        print(
            f"\ncontrol: 2 processes running pure Python get {control:.2f}× the work of one "
            "on this machine now (mean of before and after; 2.0 on 2 free cores): the most a "
            "pool could reach here"
        )
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"\npeak RSS: this process {own:.0f} MB, largest worker {children:.0f} MB "
            f"(Linux ru_maxrss). load average after: {_load()}. "
            f"Target: 2 workers ≥ {TARGET:g}× one worker."
        )


if __name__ == "__main__":
    main()

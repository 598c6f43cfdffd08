"""Run every benchmark in this folder, one after another, and print their tables.

Each ``bench_*.py`` runs in its own Python process (the one running this script), so one
benchmark's caches and memory do not colour the next one's numbers. ``--quick`` is passed on
to each. The exit status is non-zero only when a benchmark crashes; slow numbers are printed,
never judged here.

    .venv/bin/python benchmarks/run_all.py [--quick]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks() -> list[Path]:
    """The benchmark scripts in this folder, by name."""
    return sorted(HERE.glob("bench_*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="pass --quick to each benchmark")
    args = parser.parse_args(argv)

    results: list[tuple[str, int, float]] = []
    for script in benchmarks():
        command = [sys.executable, str(script), *(["--quick"] if args.quick else [])]
        print(f"== {script.name}{' --quick' if args.quick else ''}", flush=True)
        start = time.perf_counter()
        # Output goes straight to ours, so a long benchmark shows its table as it prints.
        code = subprocess.run(command, check=False, cwd=HERE.parent).returncode  # noqa: S603
        results.append((script.name, code, time.perf_counter() - start))
        print(flush=True)

    print("== summary")
    for name, code, seconds in results:
        status = "ok" if code == 0 else f"CRASHED (exit status {code})"
        print(f"{name:<28} {seconds:>7.1f} s  {status}")
    if not results:
        print(f"no bench_*.py in {HERE}")
    return 1 if any(code != 0 for _, code, _ in results) else 0


if __name__ == "__main__":
    sys.exit(main())

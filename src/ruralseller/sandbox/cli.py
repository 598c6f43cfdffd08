"""``ruralseller sandbox``: run the sandbox marketplace from the command line.

The ``ruralseller`` command finds this group through the ``ruralseller.cli`` entry-point
group (the CLI may not import the sandbox: both sit on top of the stages).
"""

from __future__ import annotations

from pathlib import Path

import click

from ruralseller.sandbox.config import Faults
from ruralseller.sandbox.server import serve

__all__ = ["sandbox"]


@click.group(name="sandbox")
def sandbox() -> None:
    """The local sandbox marketplace: publish to it with no account and no network."""


@sandbox.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="SQLite file to keep listings in between runs. Default: in memory.",
)
@click.option("--rate", default=20.0, show_default=True, help="Requests per second allowed.")
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="KIND=RATE",
    help="Misbehave on purpose, e.g. --fault error_503=0.1 --fault lost_response=0.05 "
    "(kinds: error_500, error_503, slow, drop, lost_response).",
)
def sandbox_serve(
    host: str, port: int, db: Path | None, rate: float, faults: tuple[str, ...]
) -> None:
    """Run the sandbox marketplace until Ctrl+C (demo account: key `demo`)."""
    try:
        injected = _faults(faults)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--fault") from None
    click.echo(
        f"sandbox marketplace on http://{host}:{port} "
        f"(listings in {db or 'memory'}; pages at /, API at /openapi.json)",
        err=True,
    )
    serve(host, port, db=str(db) if db else ":memory:", rate=rate, burst=2 * rate, faults=injected)


_FAULT_KINDS = ("error_500", "error_503", "slow", "drop", "lost_response")


def _faults(options: tuple[str, ...]) -> Faults:
    """The ``Faults`` the ``--fault KIND=RATE`` options ask for."""
    rates: dict[str, float] = {}
    for kind, value in _key_values(options):
        if kind not in _FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; the kinds are {', '.join(_FAULT_KINDS)}")
        try:
            rates[kind] = float(value)
        except ValueError:
            raise ValueError(f"the rate of {kind} must be a number, got {value!r}") from None
    return Faults(
        error_500=rates.get("error_500", 0.0),
        error_503=rates.get("error_503", 0.0),
        slow=rates.get("slow", 0.0),
        drop=rates.get("drop", 0.0),
        lost_response=rates.get("lost_response", 0.0),
    )


def _key_values(items: tuple[str, ...]) -> list[tuple[str, str]]:
    pairs = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ValueError(f"expected KIND=RATE, e.g. error_503=0.1, got {item!r}")
        pairs.append((key.strip(), value.strip()))
    return pairs

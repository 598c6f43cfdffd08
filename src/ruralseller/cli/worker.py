"""``ruralseller worker``: a publishing worker that runs until stopped.

Start as many as the marketplaces' limits are worth, on as many machines, all on one outbox
(a ``postgresql://`` URL, or a SQLite file for workers on one computer). Each account's rate
limit is kept once for all of them: in the outbox's PostgreSQL database, or in the one given
with ``--rate-budget``.

SIGTERM (``systemctl stop``, ``docker stop``) stops claiming, lets jobs in flight finish for
``--grace`` seconds, gives back the rest unsent and exits 0; SIGINT (Ctrl-C) does the same and
exits 130 (a second Ctrl-C gives back at once).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from ruralseller.cli._errors import EXIT_INTERRUPTED
from ruralseller.cli._marketplaces import marketplace_name
from ruralseller.cli._output import err as _err
from ruralseller.cli._output import format_option, json_format
from ruralseller.cli._output import out as _out
from ruralseller.cli.publishing import _marketplace_options
from ruralseller.errors import InvalidValueError, RuralSellerError
from ruralseller.marketplaces import (
    Driver,
    Marketplace,
    PostgresBudgets,
    RateBudgets,
    get_marketplace,
    load_marketplace,
)
from ruralseller.marketplaces.accounts import queue_name, split_target
from ruralseller.publishing import Outbox, Worker, WorkerProgress, WorkerReport, is_database_url

__all__ = ["worker"]


def _destinations(values: tuple[str, ...]) -> dict[str, str]:
    """``--to`` values as queue -> adapter name (and saved account, after a colon).

    A value is ``MARKETPLACE[:ACCOUNT]``, whose queue is the account's as ``publish --to``
    fills it (``ebay`` for the default account, ``ebay:shop2`` for shop2), or
    ``QUEUE=MARKETPLACE[:ACCOUNT]`` for a queue of any other name.
    """
    found: dict[str, str] = {}
    for value in values:
        queue, sep, name = value.partition("=")
        queue, name = (queue.strip(), name.strip()) if sep else (_queue_of(value), value.strip())
        if not queue or not name:
            raise click.BadParameter(
                f"expected MARKETPLACE or QUEUE=MARKETPLACE, got {value!r}", param_hint="--to"
            )
        if queue in found:
            raise click.BadParameter(f"the queue {queue!r} is named twice", param_hint="--to")
        found[queue] = name
    return found


def _queue_of(target: str) -> str:
    """The queue ``publish --to MARKETPLACE[:ACCOUNT]`` fills, e.g. ``ebay:shop2``."""
    given, colon, account = target.strip().partition(":")
    if not given.strip():
        return ""
    name = marketplace_name(given.strip())
    if not colon:
        return name
    try:
        return queue_name(name, split_target(f"{name}:{account}")[1])
    except InvalidValueError as exc:
        raise click.BadParameter(exc.message, param_hint="--to") from None


def _options_for(queue: str, queues: dict[str, str], options: tuple[str, ...]) -> tuple[str, ...]:
    """The ``-o`` options of one queue: unprefixed ones, and ``QUEUE.KEY=VALUE`` ones."""
    chosen = []
    for option in options:
        key, sep, value = option.partition("=")
        prefix, dot, setting = key.partition(".")
        if sep and dot and prefix.strip() in queues:
            if prefix.strip() == queue:
                chosen.append(f"{setting}={value}")
        else:
            chosen.append(option)
    return tuple(chosen)


def _settings(name: str, account: str | None, options: tuple[str, ...]) -> dict[str, Any]:
    """An adapter's settings as ``publish`` reads them: saved account < environment < ``-o``."""
    settings: dict[str, Any] = _marketplace_options(name, options, account=account)
    return settings


def _adapters(
    queues: dict[str, str], options: tuple[str, ...], budgets: RateBudgets | None
) -> dict[str, Marketplace]:
    adapters: dict[str, Marketplace] = {}
    for queue, target in queues.items():
        given, colon, account = target.partition(":")
        name = marketplace_name(given.strip())
        try:
            if colon:
                split_target(f"{name}:{account}")  # a usable account name, or a clear error
            cls: Any = load_marketplace(name)
            config = _settings(name, account.strip() or None, _options_for(queue, queues, options))
            wiring = {}
            if budgets is not None:
                if isinstance(cls, type) and issubclass(cls, Driver):
                    wiring["budgets"] = budgets
                else:
                    _err.print(
                        f"[yellow]note:[/] the {escape(name)} adapter keeps its rate limit in "
                        "this process only (it is not built on ruralseller's Driver)"
                    )
            adapters[queue] = get_marketplace(name, **config, **wiring)
        except TypeError as exc:
            raise click.BadParameter(str(exc), param_hint="--option") from None
        except InvalidValueError as exc:
            hint = f"; {exc.hint}" if exc.hint else ""
            raise click.BadParameter(f"{exc.message}{hint}", param_hint="--option") from None
    return adapters


def _open_outbox(target: str) -> Outbox:
    if not is_database_url(target) and not Path(target).is_file():
        _err.print(
            f"[red]error:[/] no outbox at {escape(target)}; publish with --offline to fill one, "
            "or give a postgresql:// URL"
        )
        raise SystemExit(2)
    return Outbox(target)


def _json_line(kind: str, data: dict[str, Any]) -> None:
    """One JSON document on one line of stdout (a stream a service manager can log)."""
    click.echo(json.dumps({"format": json_format(kind), **data}, ensure_ascii=False))


def _show_json(step: WorkerProgress) -> None:
    result = step.result
    _json_line(
        "worker.listing",
        {
            "queue": step.queue,
            "sku": result.sku,
            "outcome": result.outcome,
            "url": result.url,
            "message": result.message,
            "field_errors": dict(result.field_errors),
        },
    )


def _show(step: WorkerProgress) -> None:
    result = step.result
    if result.outcome in ("failed", "retry_later", "released"):
        fields = "; ".join(f"{k}: {v}" for k, v in result.field_errors.items())
        _err.print(
            f"{escape(step.queue)} {escape(result.sku)}: {result.outcome}: "
            f"{escape(fields or result.message)}"
        )


async def _run(
    worker: Worker, *, until_idle: bool, started: Callable[[], None]
) -> tuple[WorkerReport, int]:
    loop = asyncio.get_running_loop()
    signals: list[int] = []

    def stopping(number: int) -> None:
        signals.append(number)
        # A second Ctrl-C: give back what is in flight now, without waiting.
        worker.stop(now=signals.count(signal.SIGINT) > 1)

    for number in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C stays an exception
            loop.add_signal_handler(number, stopping, number)
    started()  # said once a signal can stop it cleanly
    try:
        report = await worker.run(until_idle=until_idle)
    finally:
        for adapter in {
            id(p.marketplace): p.marketplace for p in worker.publishers.values()
        }.values():
            with contextlib.suppress(Exception):
                await adapter.aclose()
    return report, (EXIT_INTERRUPTED if signal.SIGINT in signals else 0)


@click.command(name="worker")
@click.option(
    "--outbox",
    "target",
    required=True,
    metavar="FILE|URL",
    help="The outbox every worker shares: a postgresql:// URL (workers on many machines) or "
    "a SQLite file (workers on this computer).",
)
@click.option(
    "--to",
    "destinations",
    multiple=True,
    required=True,
    metavar="[QUEUE=]MARKETPLACE[:ACCOUNT]",
    help="Send the jobs queued for this marketplace's account (repeatable): ebay sends the "
    "default account's queue, ebay:shop2 the saved account shop2's, as publish --to fills "
    "them. QUEUE=MARKETPLACE[:ACCOUNT] sends the jobs of any queue QUEUE through that adapter.",
)
@click.option(
    "-o",
    "--option",
    "options",
    multiple=True,
    metavar="[QUEUE.]KEY=VALUE",
    help="Adapter setting (repeatable), for every queue or, prefixed QUEUE., for one.",
)
@click.option(
    "--concurrency",
    default=4,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Jobs in flight at once.",
)
@click.option(
    "--lease",
    default=60.0,
    show_default=True,
    type=click.FloatRange(min=3.0),
    help="Seconds a claimed job stays this worker's unless renewed (renewed every third); "
    "the jobs of a worker that died are taken over when it runs out.",
)
@click.option(
    "--grace",
    default=30.0,
    show_default=True,
    type=click.FloatRange(min=0.0),
    help="On SIGTERM, seconds to let jobs in flight finish before giving them back.",
)
@click.option(
    "--poll",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Seconds between looks when nothing is due.",
)
@click.option(
    "--rate-budget",
    metavar="URL",
    help="Keep each account's rate budget in this PostgreSQL database, shared by every "
    "worker. Default: the outbox's database when it is one, else this process only.",
)
@click.option("--until-idle", is_flag=True, help="Stop once nothing is due or in flight.")
@format_option(
    help="text: problems as they happen and a summary; json: one JSON document a line on "
    "stdout, for each listing sent (ruralseller.worker.listing/1) and when stopped "
    "(ruralseller.worker/1)."
)
def worker(
    target: str,
    destinations: tuple[str, ...],
    options: tuple[str, ...],
    concurrency: int,
    lease: float,
    grace: float,
    poll: float,
    rate_budget: str | None,
    until_idle: bool,
    fmt: str,
) -> None:
    """Publish what the outbox holds, with other workers, until stopped (SIGTERM or Ctrl-C).

    Exits 0 when stopped by SIGTERM (or, with --until-idle, when nothing failed), 130 after
    Ctrl-C, 1 when listings failed or the marketplace refused the credentials, 2 on bad
    input or an outbox or budget database that cannot be used.
    """
    queues = _destinations(destinations)
    budget_url = rate_budget or (target if is_database_url(target) else None)
    if rate_budget is not None and not is_database_url(rate_budget):
        raise click.BadParameter(
            f"expected a postgresql:// URL, got {rate_budget!r}", param_hint="--rate-budget"
        )
    budgets = PostgresBudgets(budget_url) if budget_url else None
    box = _open_outbox(target)
    try:
        if budgets is not None:
            budgets.connect()  # a database that cannot be used is said now, not per job
        adapters = _adapters(queues, options, budgets)
        runner = Worker(
            box,
            adapters,
            concurrency=concurrency,
            lease=lease,
            grace=grace,
            poll=poll,
            progress=_show_json if fmt == "json" else _show,
        )

        def started() -> None:
            _err.print(
                f"worker {escape(runner.owner)} on {escape(box.path)}: "
                f"{', '.join(escape(q) for q in queues)}; {concurrency} in flight"
            )

        report, status = asyncio.run(_run(runner, until_idle=until_idle, started=started))
    except RuralSellerError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(2) from None
    finally:
        box.close()
        if budgets is not None:
            budgets.close()
    if fmt == "json":
        _json_line(
            "worker",
            {
                "owner": report.owner,
                "counts": dict(report.counts),
                "released": report.released,
                "halted": list(report.halted),
            },
        )
    else:
        counts = ", ".join(f"{n} {o}" for o, n in report.counts.items()) or "nothing"
        _out.print(
            f"worker {escape(report.owner)} stopped: {counts}; {report.released} given back unsent"
        )
    for queue in report.halted:
        _err.print(
            f"[red]stopped sending {escape(queue)}:[/] the marketplace refused the credentials"
        )
    if status:
        raise SystemExit(status)
    troubled = until_idle and (report.counts.get("failed") or report.counts.get("retry_later"))
    raise SystemExit(1 if report.halted or troubled else 0)

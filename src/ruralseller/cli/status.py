"""``ruralseller status CATALOG``: each lot's days left, sell-by cut-off, listings and stock.

A partner sees each morning what to sell first and what to withdraw.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ruralseller.catalog import load_catalog
from ruralseller.cli._store import STORE, outbox_target, store_exists
from ruralseller.cli._today import delivery_option, on_option, today
from ruralseller.errors import CatalogValidationError, RuralSellerError
from ruralseller.publishing import Outbox, lot_statuses

__all__ = ["status"]

# A table of seven columns: wide enough for its dates when written to a file or a pipe.
_out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 120)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


@click.command(name="status")
@click.argument("catalog_path", metavar="CATALOG", type=click.Path(path_type=Path))
@click.option(
    "--outbox",
    type=STORE,
    help="The outbox to read listings from: a file or a postgresql:// URL "
    "(default: CATALOG/.ruralseller/outbox.db).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@on_option
@delivery_option
def status(
    catalog_path: Path,
    outbox: Path | str | None,
    fmt: str,
    day: dt.datetime | None,
    delivery: dt.timedelta,
) -> None:
    """Show each lot's days left, sell-by cut-off, where it is listed and its stock.

    Exits 0 when every lot may be sold, 1 when some may not (withdraw them), 2 on bad input.
    """
    on = today(day)
    try:
        catalog = load_catalog(catalog_path)
        path = outbox_target(catalog_path, outbox)
        box = Outbox(path) if store_exists(path) else None
        rows = lot_statuses(catalog, on=on, outbox=box, delivery=delivery)
    except CatalogValidationError as exc:
        for problem in exc.problems:
            _err.print(f"[red]error:[/] {escape(str(problem))}")
        raise SystemExit(2) from None
    except RuralSellerError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(2) from None
    if fmt == "json":
        data = {"on": on.isoformat(), "lots": [row.to_dict() for row in rows]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        table = Table(title=f"{catalog_path} on {on.isoformat()}")
        for column in ("lot", "date on label", "days left", "sell by", "listed on", "stock", ""):
            table.add_column(column, no_wrap=True)
        for row in rows:
            fresh = row.freshness
            words = "use by" if fresh and fresh.date_kind == "use_by" else "best before"
            table.add_row(
                escape(row.lot),
                f"{words} {fresh.printed_date}" if fresh else "none",
                str(fresh.days_left) if fresh else "",
                str(fresh.sell_by) if fresh else "",
                escape(", ".join(row.listed_on)) or "-",
                "-" if row.stock is None else str(row.stock),
                "[green]sells[/]" if row.sellable else "[red]stop selling[/]",
            )
        _out.print(table)
        for row in rows:
            if row.freshness is not None and not row.sellable:
                _out.print(f"[red]{escape(row.lot)}[/]: {escape(row.freshness.reason)}")
    raise SystemExit(0 if all(row.sellable for row in rows) else 1)

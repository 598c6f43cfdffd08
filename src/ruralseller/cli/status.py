"""``ruralseller status CATALOG``: each lot's days left, sell-by cut-off, listings and stock.

A partner sees each morning what to sell first and what to withdraw.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.markup import escape

from ruralseller.catalog import load_catalog
from ruralseller.cli._errors import answer
from ruralseller.cli._output import Column, emit_json, format_option, out, print_table
from ruralseller.cli._store import STORE, outbox_target, store_exists
from ruralseller.cli._today import delivery_option, on_option, today
from ruralseller.publishing import Outbox, lot_statuses

__all__ = ["status"]


@click.command(name="status")
@click.argument("catalog_path", metavar="CATALOG", type=click.Path(path_type=Path))
@click.option(
    "--outbox",
    type=STORE,
    help="The outbox to read listings from: a file or a postgresql:// URL "
    "(default: CATALOG/.ruralseller/outbox.db).",
)
@format_option()
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
    catalog = load_catalog(catalog_path)
    path = outbox_target(catalog_path, outbox)
    box = Outbox(path) if store_exists(path) else None
    rows = lot_statuses(catalog, on=on, outbox=box, delivery=delivery)
    if fmt == "json":
        emit_json("status", {"on": on.isoformat(), "lots": [row.to_dict() for row in rows]})
        raise answer(all(row.sellable for row in rows))
    columns = [
        Column("lot"),
        Column("date on label", keep=2, wrap=True),
        Column("days left", justify="right"),
        Column("sell by", keep=3),
        Column("listed on", keep=1, wrap=True),
        Column("stock", keep=4, justify="right"),
        Column(""),
    ]
    cells = []
    for row in rows:
        fresh = row.freshness
        words = "use by" if fresh and fresh.date_kind == "use_by" else "best before"
        cells.append(
            [
                escape(row.lot),
                f"{words} {fresh.printed_date}" if fresh else "none",
                str(fresh.days_left) if fresh else "",
                str(fresh.sell_by) if fresh else "",
                escape(", ".join(row.listed_on)) or "-",
                "-" if row.stock is None else str(row.stock),
                "[green]sells[/]" if row.sellable else "[red]stop selling[/]",
            ]
        )
    print_table(out, columns, cells, title=f"{catalog_path} on {on.isoformat()}")
    for row in rows:
        if row.freshness is not None and not row.sellable:
            out.print(f"[red]{escape(row.lot)}[/]: {escape(row.freshness.reason)}")
    raise answer(all(row.sellable for row in rows))

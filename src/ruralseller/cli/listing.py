"""``ruralseller render`` and ``trace``: a lot's listing page, and its story as EPCIS events."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from rich.markup import escape

from ruralseller.catalog import Money, load_catalog
from ruralseller.cli._errors import answer
from ruralseller.cli._output import emit_json, err, format_option, out
from ruralseller.cli._plan_to import destination_place
from ruralseller.cli._today import on_option, today
from ruralseller.cli.shipping import _ship_at
from ruralseller.coldchain.plan import plan_shipment
from ruralseller.listing import PROFILES, draft_to_data, render_listing
from ruralseller.traceability import events_for_lot, timeline, timeline_text

__all__ = ["render", "trace"]


@click.command()
@click.argument("catalog_path", metavar="CATALOG", type=click.Path(path_type=Path))
@click.option("--lot", "lot_id", required=True, help="The lot to list.")
@click.option(
    "--marketplace",
    type=click.Choice(sorted(PROFILES), case_sensitive=False),
    default="sandbox",
    show_default=True,
    help="Whose text and picture rules the listing must meet.",
)
@click.option(
    "--locale",
    "locales",
    multiple=True,
    help="Write text in this locale (repeatable): zh-CN, en. Default: what the marketplace takes.",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False),
    help="Your own template folder.",
)
@click.option(
    "--price", help="The price on this marketplace, e.g. '9.80 USD' (default: the offer's)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="The folder to write preview.html, images/ and draft.json into "
    "(default: listings/LOT-MARKETPLACE).",
)
@on_option
@format_option()
def render(
    catalog_path: Path,
    lot_id: str,
    marketplace: str,
    locales: tuple[str, ...],
    templates: Path | None,
    price: str | None,
    output: Path | None,
    day: dt.datetime | None,
    fmt: str,
) -> None:
    """Write a lot's listing for a marketplace: preview page, pictures and draft JSON.

    Exits 0 when the listing meets the marketplace's rules, 1 when it does not (each problem
    with its fix), 2 on bad input.
    """
    output = output or Path("listings") / f"{lot_id}-{marketplace}"
    catalog = load_catalog(catalog_path)
    result = render_listing(
        catalog,
        lot_id,
        output,
        marketplace=marketplace,
        locales=locales or None,
        templates=templates,
        price=Money.parse(price) if price else None,
        on=today(day),
    )
    draft = result.draft
    if fmt == "json":
        emit_json(
            "render",
            {
                "lot": lot_id,
                "marketplace": marketplace,
                "folder": str(result.folder),
                "valid": result.valid,
                "pictures": len(result.images),
                "issues": [
                    {
                        "severity": issue.severity.value,
                        "field": issue.field,
                        "message": issue.message,
                        "fix": issue.fix,
                    }
                    for issue in result.issues
                ],
                "draft": draft_to_data(draft),
            },
        )
        raise answer(result.valid)
    out.print(
        f"Wrote the {escape(marketplace)} listing of lot {escape(lot_id)} to "
        f"[bold]{escape(str(result.folder))}[/]: preview.html, {len(result.images)} picture(s), "
        "draft.json"
    )
    for locale in draft.locales:
        out.print(f"  {locale}: {escape(draft.text(locale).title)}")
    if not result.issues:
        out.print("[green]✓ it meets the marketplace's rules[/]")
    for issue in result.issues:
        style = "red" if issue.severity.value == "error" else "yellow"
        out.print(
            f"  [{style}]{issue.severity.value}[/] {escape(issue.field)}: {escape(issue.message)}"
        )
        out.print(f"      [bold]fix:[/] {escape(issue.fix)}")
    raise answer(result.valid)


# --- traceability ----------------------------------------------------------------------------


@click.command()
@click.argument("catalog_path", metavar="CATALOG", type=click.Path(path_type=Path))
@click.option("--lot", "lot_id", required=True, help="The lot whose story to write.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the EPCIS 2.0 document here (events.jsonld) instead of printing it.",
)
@click.option("--to", "destination", help="Plan the shipping leg to this city for the readings.")
@click.option(
    "--ship-at", help="When the parcel is handed in (with --to), e.g. 2026-11-21T08:00+08:00."
)
@click.option(
    "--logger",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A temperature logger export (CSV: time, °C) for the shipping event's readings.",
)
@click.option(
    "--on",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Hand the parcel in at 14:00 on this day (with --to, when --ship-at is not given).",
)
@format_option(
    help="text: the EPCIS document (or, with -o, a line saying what was written); json: a "
    "summary with the document in it."
)
def trace(
    catalog_path: Path,
    lot_id: str,
    output: Path | None,
    destination: str | None,
    ship_at: str | None,
    logger: Path | None,
    day: dt.datetime | None,
    fmt: str,
) -> None:
    """Write a lot's story from farm to buyer as GS1 EPCIS 2.0 events (JSON-LD).

    Prints the story as a timeline too, one event a line: on standard output with -o, on
    standard error when the JSON-LD goes to standard output. Exits 0 when the story is
    written, 2 on bad input.
    """
    catalog = load_catalog(catalog_path)
    shipment = None
    if destination is not None:
        plan = plan_shipment(
            catalog, lot_id, [destination_place(destination)], _ship_at(ship_at, day)
        )
        shipment = plan.destinations[0].best or next(
            (o for o in plan.destinations[0].options if o.slow is not None), None
        )
    document = events_for_lot(catalog, lot_id, shipment=shipment, logger=logger)
    text = document.to_json()
    rows = timeline(document)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")
    if fmt == "json":
        emit_json(
            "trace",
            {
                "lot": lot_id,
                "file": str(output) if output is not None else None,
                "events": [type(event).__name__ for event in document.events],
                "timeline": [
                    {
                        "time": row.time.isoformat(),
                        "step": row.step,
                        "place": row.place,
                        "details": list(row.details),
                    }
                    for row in rows
                ],
                "document": json.loads(text),
            },
        )
        return
    story = f"The story of lot {lot_id}:\n{timeline_text(rows)}"
    if output is None:
        click.echo(text)
        click.echo(story, err=True)  # stdout stays the JSON-LD alone, for pipes
        return
    click.echo(story)
    kinds = ", ".join(type(event).__name__ for event in document.events)
    err.print(f"Wrote {len(document.events)} EPCIS events ({kinds}) to {escape(str(output))}.")

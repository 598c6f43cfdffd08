"""``ruralseller plan``: can a lot reach these places in time, how, at what cost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import click
from rich.markup import escape

from ruralseller.catalog import Catalog, Temperature, load_catalog
from ruralseller.cli._errors import answer
from ruralseller.cli._output import Column, emit_json, format_option, out, print_table
from ruralseller.cli._plan_to import print_by_province, resolve_destinations
from ruralseller.coldchain import summary_dict
from ruralseller.coldchain.classes import class_limits
from ruralseller.coldchain.plan import ShipmentOption, ShipmentPlan, plan_shipment
from ruralseller.coldchain.plot import plot_journey
from ruralseller.coldchain.routes import CHINA_STANDARD_TIME
from ruralseller.errors import InvalidValueError

__all__ = ["plan_command"]


@click.command(name="plan")
@click.argument("catalog_path", metavar="CATALOG", type=click.Path(path_type=Path))
@click.option("--lot", "lot_id", required=True, help="The lot to ship.")
@click.option(
    "--to",
    "destinations",
    multiple=True,
    required=True,
    help="A destination: a city, county, division code or address (黄山, 歙县, 341021, "
    "安徽省黄山市屯溪区…, Shanghai), or all-prefectures / all-counties for a by-province "
    "summary; repeatable.",
)
@click.option(
    "--ship-at",
    help="When parcels are handed in, e.g. 2026-07-20T14:00+08:00. Default: now.",
)
@click.option("--pieces", type=click.IntRange(min=1), default=1, show_default=True)
@click.option(
    "--min-remaining",
    type=click.FloatRange(0, 1),
    default=0.3,
    show_default=True,
    help="Share of shelf life the buyer must have left on arrival.",
)
@format_option()
@click.option(
    "--plot",
    "plot_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Draw the food's temperature on the first destination's best route to this PNG.",
)
@click.option(
    "--on",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Hand the parcels in at 14:00 on this day (YYYY-MM-DD), when --ship-at is not given.",
)
def plan_command(
    catalog_path: Path,
    lot_id: str,
    destinations: tuple[str, ...],
    ship_at: str | None,
    pieces: int,
    min_remaining: float,
    fmt: str,
    plot_path: Path | None,
    day: dt.datetime | None,
) -> None:
    """Plan shipping a lot to cities, counties or addresses: what works, why not, at what cost.

    Exits 0 when at least one destination can be reached, 1 when none can, 2 on bad input.
    """
    catalog = load_catalog(catalog_path)
    when = _ship_at(ship_at, day)
    places, whole_country = resolve_destinations(destinations)
    plan = plan_shipment(
        catalog,
        lot_id,
        places,
        when,
        pieces=pieces,
        min_remaining=Decimal(str(min_remaining)),
    )
    if plot_path is not None:
        _plot(catalog, plan, plot_path)
    if fmt == "json":
        emit_json("plan", summary_dict(plan) if whole_country else plan.to_dict())
    elif whole_country:
        print_by_province(out, plan)
    else:
        _print_shipment(plan)
        if plot_path is not None:
            out.print(f"\nDrew the temperatures to [bold]{escape(str(plot_path))}[/].")
    raise answer(bool(plan.reachable))


def _ship_at(text: str | None, day: dt.datetime | None = None) -> dt.datetime:
    if text is None and day is not None:
        # The afternoon parcel run, as in the demo: the morning's birds are chilled and packed.
        return dt.datetime.combine(day.date(), dt.time(14), tzinfo=CHINA_STANDARD_TIME)
    if text is None:
        return dt.datetime.now(CHINA_STANDARD_TIME).replace(second=0, microsecond=0)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidValueError(
            f"cannot read --ship-at {text!r}",
            hint="write it like 2026-07-20T14:00+08:00",
        ) from None
    if moment.utcoffset() is None:
        moment = moment.replace(tzinfo=CHINA_STANDARD_TIME)
    return moment


def _hours_text(delta: dt.timedelta | None) -> str:
    return "-" if delta is None else f"{delta.total_seconds() / 3600:.0f} h"


def _pack_text(option: ShipmentOption) -> str:
    pack = option.pack
    if pack is None:
        return "-"
    if pack.coolant is None:
        return pack.container.name
    return f"{pack.container.name} + {pack.coolant_units} × {pack.coolant.name}"


def _print_shipment(plan: ShipmentPlan) -> None:
    reachable = len(plan.reachable)
    out.print(
        f"[bold]Lot {escape(plan.lot)}[/], handed in {plan.ship_at.isoformat()} "
        f"({escape(plan.outside.name)}): {reachable} of {len(plan.destinations)} "
        f"destination(s) reachable"
    )
    rows: list[list[str]] = []
    why_not: list[str] = []
    for destination in plan.destinations:
        for index, option in enumerate(destination.options):
            typical, slow = option.typical, option.slow
            days = (
                f"{typical.duration.total_seconds() / 86400:.1f} / "
                f"{slow.duration.total_seconds() / 86400:.1f}"
                if typical and slow
                else "-"
            )
            shelf = (
                f"{slow.shelf_life.remaining:.0%}" if slow is not None and slow.shelf_life else "-"
            )
            rows.append(
                [
                    escape(destination.name) if index == 0 else "",
                    escape(option.service.id),
                    "[green]yes[/]" if option.feasible else "[red]no[/]",
                    days,
                    shelf,
                    str(option.cost) if option.cost is not None else "-",
                ]
            )
            why_not += [
                f"{destination.name} by {option.service.id}: {reason}" for reason in option.reasons
            ]
    columns = [
        Column("to", wrap=True),
        Column("service", wrap=True),
        Column("ok"),
        Column("days"),
        Column("left", keep=1, justify="right"),
        Column("cost", justify="right"),
    ]
    print_table(out, columns, rows)
    for destination in plan.destinations:
        best = destination.best
        if best is not None:
            out.print(
                f"[green]✓[/] {escape(destination.name)}: {escape(best.service.name)}, "
                f"{escape(_pack_text(best))} ({best.cost})"
            )
    if why_not:
        out.print("\n[bold]Why not:[/]")
        for line in why_not:
            out.print(f"  [dim]-[/] {escape(line)}")
    out.print(
        "\n[dim]Carrier services, prices and transit times are example data: replace them "
        "with your contracts (carriers.toml).[/]"
    )


def _plot(catalog: Catalog, plan: ShipmentPlan, path: Path) -> None:
    first = plan.destinations[0]
    option = first.best or next((o for o in first.options if o.slow is not None), None)
    if option is None or option.slow is None or option.route is None or option.typical is None:
        raise InvalidValueError(
            f"there is no simulated journey to {first.name} to draw",
            hint="every service was refused before any journey could be simulated",
        )
    product_limits = class_limits(catalog.product_of(catalog.lot(plan.lot)))
    outside = option.route.ambient(plan.outside, "p90")
    ambient = [
        (dt.timedelta(hours=h), outside.temperature_at(dt.timedelta(hours=h)))
        for h in range(int(option.slow.duration.total_seconds() // 3600) + 1)
    ]
    plot_journey(
        path,
        [("typical day (P50)", option.typical.history), ("slow day (P90)", option.slow.history)],
        limit=product_limits.high or Temperature(25, "°C"),
        floor=product_limits.freeze_floor,
        ambient=ambient,
        marks=option.route.leg_marks("p90"),
        title=f"Lot {plan.lot} to {first.name} by {option.service.id}",
    )

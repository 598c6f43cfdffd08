"""``ruralseller plan --to``: what a partner types for a destination; the whole-country summary."""

from __future__ import annotations

import json

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ruralseller.catalog import Place
from ruralseller.coldchain import (
    ShipmentPlan,
    all_counties,
    all_prefectures,
    by_province,
    find_place,
    find_province,
    summary_dict,
)
from ruralseller.errors import PlaceError

WHOLE_COUNTRY = {"all-prefectures": all_prefectures, "all-counties": all_counties}
"""``--to`` words that stand for every city or every county of mainland China."""

_CLI_FORMS = (
    "e.g. --to 黄山, --to 341002, --to 安徽省黄山市屯溪区黄山西路8号, --to Shanghai, or "
    "--to all-counties"
)


def destination_place(text: str) -> Place:
    """The place one ``--to`` names: ``CN/province/city``, or what :func:`find_place` reads."""
    if "/" in text:
        parts = [part.strip() or None for part in text.split("/")]
        country, province, city = [*parts, None, None][:3]
        return Place(country=country or "CN", province=province, city=city)
    try:
        return find_place(text)
    except PlaceError as exc:
        hint = f"{exc.hint}; " if exc.hint else ""
        raise PlaceError(exc.message, field="--to", hint=hint + _CLI_FORMS) from None


def resolve_destinations(texts: tuple[str, ...]) -> tuple[list[Place], bool]:
    """The places ``--to`` names, and whether any was a whole-country word.

    With a whole-country word the answer is the by-province summary.
    """
    places: list[Place] = []
    whole = False
    for text in texts:
        expand = WHOLE_COUNTRY.get(text.strip().casefold())
        if expand is not None:
            places.extend(expand())
            whole = True
        else:
            places.append(destination_place(text))
    return places, whole


def _short(province: str) -> str:
    try:
        return find_province(province).short
    except PlaceError:
        return province


def summary_json(plan: ShipmentPlan) -> str:
    """The by-province summary as JSON text."""
    return json.dumps(summary_dict(plan), ensure_ascii=False, indent=2)


def print_by_province(out: Console, plan: ShipmentPlan) -> None:
    """The by-province summary as a table, for the partner."""
    out.print(
        f"[bold]Lot {escape(plan.lot)}[/], handed in {plan.ship_at.isoformat()} "
        f"({escape(plan.outside.name)}): {len(plan.reachable)} of {len(plan.destinations)} "
        "destination(s) reachable"
    )
    table = Table(show_lines=False)
    table.add_column("province")
    table.add_column("reachable", justify="right")
    table.add_column("cheapest", justify="right")
    table.add_column("to")
    table.add_column("service", no_wrap=True)
    table.add_column("days", justify="right")
    for row in by_province(plan):
        days = f"{row.days_p50:.1f} / {row.days_p90:.1f}" if row.days_p50 is not None else "-"
        table.add_row(
            escape(_short(row.province)),
            f"{row.reachable} / {row.destinations}",
            str(row.cheapest) if row.cheapest is not None else "-",
            escape(row.cheapest_to or "-"),
            escape(row.service or "-"),
            days,
        )
    out.print(table)
    out.print(
        "[dim]days: typical / slow (P50 / P90) for the cheapest. Carrier services, prices, "
        "transit times, remote areas and coverage are example data: replace them with your "
        "contracts (carriers.toml).[/]"
    )

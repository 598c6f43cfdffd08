"""``ruralseller pack`` and ``label``: how a lot is packed for a journey, and its label."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import attrs
import click
from rich.markup import escape

from ruralseller.catalog import Mass, Temperature, load_catalog
from ruralseller.cli._errors import EXIT_NO
from ruralseller.cli._output import emit_json, err, format_option, out
from ruralseller.cli._today import on_option, today
from ruralseller.coldchain import outside_for
from ruralseller.errors import PackingError
from ruralseller.packaging import (
    DEFAULT_DIGITAL_LINK_BASE,
    DEFAULT_MARGIN,
    NO_GTIN_HINT,
    SOUTH_CHINA_SUMMER,
    SOUTH_CHINA_WINTER,
    AmbientProfile,
    HoldLimit,
    PackOption,
    PackPlan,
    plan_pack,
    save_label,
)
from ruralseller.packaging.lot_label import lot_label

__all__ = ["label", "pack"]

_PROFILES = {"summer": SOUTH_CHINA_SUMMER, "winter": SOUTH_CHINA_WINTER}


def _ambient(ambient: str | None, profile: str, hours: float) -> Temperature | AmbientProfile:
    """A constant temperature, or the chosen day/night profile long enough for the journey."""
    if ambient:
        return Temperature.parse(ambient)
    base = _PROFILES[profile]
    # The journey plus the margin, and a day to spare, so the profile never ends first.
    span = dt.timedelta(hours=math.ceil(hours * float(1 + DEFAULT_MARGIN)) + 24)
    if span <= base.duration:
        return base
    hours_text = f"{span.total_seconds() / 3600:.0f} h"
    return attrs.evolve(base, duration=span, name=f"{base.name.rsplit(', ', 1)[0]}, {hours_text}")


def _plan_dict(plan: PackPlan) -> dict[str, object]:
    hold = plan.hold
    return {
        "lot": plan.lot,
        "pieces": plan.pieces,
        "container": {"id": plan.container.id, "name": plan.container.name},
        "coolant": (
            {"id": plan.coolant.id, "name": plan.coolant.name, "units": plan.coolant_units}
            if plan.coolant is not None
            else None
        ),
        "coolant_mass": str(plan.coolant_mass),
        "liners": [liner.id for liner in plan.liners],
        "requirements": [
            {"code": r.code, "need": r.need, "basis": r.basis.value, "source": r.source}
            for r in plan.requirements
        ],
        "payload": str(plan.payload),
        "gross": str(plan.gross),
        "outer_cm": [str(d.decimal()) for d in plan.outer],
        "dimensional": str(plan.dimensional),
        "chargeable": str(plan.chargeable),
        "divisor": plan.divisor,
        "packaging_cost": str(plan.packaging_cost),
        "postage": str(plan.postage),
        "journey_hours": plan.journey.total_seconds() / 3600,
        "required_hold_hours": plan.required_hold.total_seconds() / 3600,
        "hold_hours": round(hold.hours, 1) if hold is not None else None,
        "ambient": plan.ambient.name,
        "dry_ice": plan.dry_ice.text if plan.dry_ice is not None else None,
        "notes": list(plan.notes),
        "options": [
            {
                "container": o.container.id,
                "coolant": o.coolant.id if o.coolant else None,
                "units": o.units,
                "feasible": o.feasible,
                "reason": o.reason,
                "cost": str(o.cost) if o.cost is not None else None,
            }
            for o in plan.options
        ],
    }


@click.command()
@click.argument("catalog_path", metavar="CATALOG", type=click.Path(path_type=Path))
@click.option("--lot", "lot_id", required=True, help="The lot to pack.")
@click.option(
    "--hours", type=click.FloatRange(min=0, min_open=True), required=True, help="Journey time."
)
@click.option("--ambient", help="A constant outside temperature, e.g. '30 °C' or '86 °F'.")
@click.option(
    "--profile",
    type=click.Choice(sorted(_PROFILES)),
    default=None,
    help="Outside temperature over the day, when --ambient is not given "
    "(southern Chinese mountains). Default: summer, or the season of --on.",
)
@click.option("--pieces", type=click.IntRange(min=1), default=1, show_default=True)
@format_option()
@click.option(
    "--on",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Pack for the season of this day (YYYY-MM-DD) when --ambient and --profile are not given.",
)
def pack(
    catalog_path: Path,
    lot_id: str,
    hours: float,
    ambient: str | None,
    profile: str | None,
    pieces: int,
    fmt: str,
    day: dt.datetime | None,
) -> None:
    """Plan how to pack a lot for a journey: box, coolant, liners, weights and why.

    Exits 0 with a plan, 1 when nothing in the packaging materials can make the journey,
    2 on bad input.
    """
    try:
        catalog = load_catalog(catalog_path)
        if ambient is None and profile is None and day is not None:
            outside: Temperature | AmbientProfile = outside_for(day.date())
        else:
            outside = _ambient(ambient, profile or "summer", hours)
        plan = plan_pack(
            catalog, lot_id, journey=dt.timedelta(hours=hours), ambient=outside, pieces=pieces
        )
    except PackingError as exc:
        _report_packing(exc, fmt)
        raise SystemExit(EXIT_NO) from None
    if fmt == "json":
        emit_json("pack", _plan_dict(plan))
        return
    _print_plan(plan)


def _report_packing(exc: PackingError, fmt: str) -> None:
    options = [o for o in exc.options if isinstance(o, PackOption)]
    if fmt == "json":
        data = {
            "feasible": False,
            "error": str(exc),
            "options": [
                {
                    "container": o.container.id,
                    "coolant": o.coolant.id if o.coolant else None,
                    "reason": o.reason,
                }
                for o in options
            ],
        }
        emit_json("pack", data)
        return
    err.print(f"[red]✗ {escape(str(exc))}[/]")
    for option in options:
        coolant = option.coolant.name if option.coolant else "no coolant"
        err.print(f"  {escape(option.container.name)} + {escape(coolant)}: {escape(option.reason)}")


def _print_plan(plan: PackPlan) -> None:
    hours = plan.journey.total_seconds() / 3600
    out.print(
        f"[bold]Pack for lot {escape(plan.lot)}[/]: {plan.pieces} piece(s), {hours:g} h in "
        f"{escape(plan.ambient.name)}"
    )
    out.print(f"  box:      {escape(plan.container.name)}")
    if plan.coolant is not None:
        out.print(
            f"  coolant:  {plan.coolant_units} × {escape(plan.coolant.name)} ({plan.coolant_mass})"
        )
    else:
        out.print("  coolant:  none needed")
    for liner in plan.liners:
        out.print(f"  inside:   {escape(liner.name)}")
    if plan.hold is not None:
        needed = plan.required_hold.total_seconds() / 3600
        at_least = "at least " if plan.hold.limited_by is HoldLimit.PROFILE_END else ""
        out.print(
            f"  holds:    {at_least}{plan.hold.hours:.0f} h (needs {needed:.0f} h with the margin)"
        )
    length, width, height = (d.decimal() for d in plan.outer)
    out.print(
        f"  weight:   {plan.gross} gross, {plan.dimensional} volumetric "
        f"({length}×{width}×{height} cm / {plan.divisor}), {plan.chargeable} charged"
    )
    out.print(f"  cost:     {plan.packaging_cost} packaging + {plan.postage} postage")
    if plan.dry_ice is not None:
        out.print(f"  [yellow]mark:[/]     {escape(plan.dry_ice.text)} (class 9 label, vented box)")
    for note in plan.notes:
        out.print(f"  [dim]- {escape(note)}[/]")


@click.command()
@click.argument("catalog_path", metavar="CATALOG", type=click.Path(path_type=Path))
@click.option("--lot", "lot_id", required=True, help="The lot the package is from.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Where to write the label: a .png or .pdf file.",
)
@click.option("--weight", help="The weighed net weight of this package, e.g. '1.3 kg'.")
@click.option("--dpi", type=click.IntRange(200, 600), default=203, show_default=True)
@click.option("-j", "--jurisdiction", default="CN", show_default=True, help="CN, EU or US.")
@click.option("--lang", "locale", help="Label language: zh-CN or en (default: the jurisdiction's).")
@click.option(
    "--link-base",
    default=DEFAULT_DIGITAL_LINK_BASE,
    show_default=True,
    help="Digital Link resolver for the QR code.",
)
@click.option(
    "--story-base",
    help="For a product without a GTIN: the address of your lots' story pages; the QR code "
    "links to STORY_BASE/LOT, e.g. https://your-site.example/lots.",
)
@on_option
@format_option()
def label(
    catalog_path: Path,
    lot_id: str,
    output: Path,
    weight: str | None,
    dpi: int,
    jurisdiction: str,
    locale: str | None,
    link_base: str,
    story_base: str | None,
    day: dt.datetime | None,
    fmt: str,
) -> None:
    """Print a 100×150 mm package label (PNG or PDF) with GS1-128 barcodes and a QR code.

    A product without a GTIN gets a label without barcodes, its QR code linking to the lot's
    story page at --story-base.

    Exits 0 when the label is written, 2 on bad input.
    """
    catalog = load_catalog(catalog_path)
    content = lot_label(
        catalog,
        lot_id,
        jurisdiction=jurisdiction,
        locale=locale,
        net_weight=Mass.parse(weight) if weight else None,
        digital_link_base=link_base,
        on=today(day),
        story_base=story_base,
    )
    written = save_label(content, output, dpi=dpi)
    if fmt == "json":
        emit_json(
            "label",
            {
                "lot": lot_id,
                "file": str(written),
                "dpi": dpi,
                "barcode": content.gs1.element_string() if content.gs1 is not None else None,
                "qr": content.digital_link,
            },
        )
        return
    out.print(
        f"Wrote the label for lot {escape(lot_id)} to [bold]{escape(str(written))}[/] ({dpi} dpi)."
    )
    if content.gs1 is not None:
        out.print(f"  barcode: {escape(content.gs1.element_string())}")
    else:
        out.print("  barcode: none (the product has no GTIN)")
        out.print(f"  [bold]hint:[/] {escape(NO_GTIN_HINT)}")
    out.print(f"  QR:      {escape(content.digital_link)}")

"""The click application behind ``ruralseller``."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
from decimal import Decimal
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import attrs
import click
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from ruralseller import __version__
from ruralseller.catalog import (
    CATALOG_FILE,
    Catalog,
    Mass,
    Money,
    Place,
    Temperature,
    load_catalog,
)
from ruralseller.catalog.samples import DEFAULT_SAMPLE, copy_sample, sample_names
from ruralseller.catalog.schema import catalog_schema
from ruralseller.cli._errors import GuardedGroup
from ruralseller.cli._plan_to import (
    destination_place,
    print_by_province,
    resolve_destinations,
    summary_json,
)
from ruralseller.cli._today import delivery_option, on_option, today
from ruralseller.cli._waiting import print_waiting, retry_text
from ruralseller.coldchain import outside_for
from ruralseller.coldchain.classes import class_limits
from ruralseller.coldchain.plan import ShipmentOption, ShipmentPlan, plan_shipment
from ruralseller.coldchain.plot import plot_journey
from ruralseller.coldchain.routes import CHINA_STANDARD_TIME
from ruralseller.compliance import (
    Report,
    Rule,
    RuleChange,
    RulePack,
    Sale,
    available_rule_packs,
    check,
    freshness,
    freshness_rules,
    rule_changes,
    rule_pack,
)
from ruralseller.errors import (
    CatalogError,
    CatalogValidationError,
    InvalidValueError,
    PackingError,
    Problem,
    RuralSellerError,
)
from ruralseller.listing import (
    PROFILES,
    IssueSeverity,
    ListingDraft,
    ListingIssue,
    PictureCache,
    ProcessedImage,
    draft_to_data,
    generate_listing,
    process_images_many,
    profile_locales,
    render_listing,
    validate_draft,
)
from ruralseller.marketplaces import (
    get_marketplace,
    image_name,
    installed_marketplaces,
    load_marketplace,
    marketplace_profile,
    settings_from_environment,
    settings_from_text,
)
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
from ruralseller.publishing import (
    OUTCOMES,
    JobState,
    Outbox,
    Publisher,
    PublishReport,
    withdraw_stale,
)
from ruralseller.publishing import Progress as PublishProgress
from ruralseller.traceability import events_for_lot

_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


#: Packages add ``ruralseller`` subcommands through this entry-point group; ours use it too
#: (``ruralseller sandbox`` lives with the sandbox, which the CLI may not import).
COMMANDS_GROUP = "ruralseller.cli"


class _PluginGroup(GuardedGroup):
    """A click group that also offers the commands registered as entry points, loaded lazily."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        plugins = {point.name for point in entry_points(group=COMMANDS_GROUP)}
        return sorted(set(super().list_commands(ctx)) | plugins)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        for point in entry_points(group=COMMANDS_GROUP, name=cmd_name):
            try:
                loaded = point.load()
            except ImportError as exc:
                extra = f"ruralseller[{cmd_name}]"
                raise click.UsageError(
                    f"`ruralseller {cmd_name}` needs packages that are not installed "
                    f'({exc}); install them with: pip install "{extra}"'
                ) from None
            if isinstance(loaded, click.Command):
                return loaded
        return None


@click.group(cls=_PluginGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="ruralseller")
def cli() -> None:
    """ruralseller: from the farm gate to a published listing.

    Start with `ruralseller init my-farm`, edit my-farm/catalog.toml, then
    `ruralseller validate my-farm`.
    """


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--sample",
    type=click.Choice(sample_names()),
    default=DEFAULT_SAMPLE,
    show_default=True,
    help="Which bundled sample catalogue to start from.",
)
def init(folder: Path, sample: str) -> None:
    """Create a working example catalogue in FOLDER (which must be new or empty)."""
    try:
        target = copy_sample(folder, sample)
    except CatalogError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(1) from None
    _out.print(f"Created the {sample} sample catalogue in [bold]{escape(str(target))}[/].")
    _out.print(f"Edit {escape(str(target / 'catalog.toml'))}, then run:")
    _out.print(f"  ruralseller validate {escape(str(target))}")


def _summary(catalog: Catalog) -> str:
    def count(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return ", ".join(
        [
            count(len(catalog.producers), "producer"),
            count(len(catalog.products), "product"),
            count(len(catalog.lots), "lot"),
            count(len(catalog.offers), "offer"),
        ]
    )


def _problem_json(problem: Problem) -> dict[str, object]:
    value = problem.value
    if value is not None and not isinstance(value, str | int | float | bool):
        value = problem.shown_value
    return {
        "file": problem.file,
        "path": problem.path,
        "message": problem.message,
        "value": value,
        "hint": problem.hint,
    }


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the result as JSON (for editors and scripts).",
)
def validate(path: Path, as_json: bool) -> None:
    """Check the catalogue at PATH (a folder or a catalog.toml/.json file).

    Exits 0 when it is valid, 1 with every problem listed when it is not.
    """
    try:
        catalog = load_catalog(path)
    except CatalogValidationError as exc:
        if as_json:
            problems = [_problem_json(p) for p in exc.problems]
            _out.print_json(json.dumps({"valid": False, "problems": problems}, ensure_ascii=False))
        else:
            _report(exc.problems)
        raise SystemExit(1) from None
    except CatalogError as exc:
        if as_json:
            _out.print_json(json.dumps({"valid": False, "error": str(exc)}, ensure_ascii=False))
        else:
            _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(1) from None
    if as_json:
        _out.print_json(json.dumps({"valid": True, "summary": _summary(catalog)}))
    else:
        _out.print(f"[green]✓[/] {escape(str(path))} is valid: {_summary(catalog)}.")


def _report(problems: tuple[Problem, ...]) -> None:
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    total = len(problems)
    _err.print(f"[red]✗[/] found {total} problem{'' if total == 1 else 's'}:")
    for file, items in by_file.items():
        _err.print(f"\n[bold]{escape(file)}[/]")
        for problem in items:
            where = escape(problem.path or "(whole file)")
            line = f"  [cyan]{where}[/]: {escape(problem.message)}"
            if problem.value is not None:
                line += f" [dim](got {escape(str(problem.shown_value))})[/]"
            _err.print(line)
            if problem.hint:
                _err.print(f"      [yellow]hint:[/] {escape(problem.hint)}")


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the schema to this file instead of printing it.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of catalogue files (for editor completion and checks)."""
    text = json.dumps(catalog_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        _err.print(f"Wrote the catalogue schema to {escape(str(output))}.")


# --- compliance ------------------------------------------------------------------------------


def _rule_row(rule: Rule) -> dict[str, object]:
    return {
        "code": rule.code,
        "title": rule.title,
        "jurisdiction": rule.jurisdiction,
        "topic": rule.topic.value,
        "kinds": sorted(rule.kinds),
        "profiles": sorted(profile.value for profile in rule.profiles),
        "severity": rule.effective_severity.value,
        "status": rule.status.value,
        "citation": {
            "instrument": rule.citation.instrument,
            "article": rule.citation.article,
            "url": rule.citation.url,
        },
        "effective_from": rule.effective_from.isoformat() if rule.effective_from else None,
        "superseded_on": rule.superseded_on.isoformat() if rule.superseded_on else None,
        "note": rule.note,
    }


@cli.command()
@click.option(
    "-j",
    "--jurisdiction",
    "jurisdictions",
    multiple=True,
    help="Only this jurisdiction's rules (repeatable). Default: every installed pack.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--changes",
    nargs=2,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="FROM TO",
    help="Only the rules that enter or leave force after FROM and up to TO (YYYY-MM-DD).",
)
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path),
    help="With --changes: only rules for the kinds of product in this catalogue.",
)
def rules(
    jurisdictions: tuple[str, ...],
    fmt: str,
    changes: tuple[dt.datetime, dt.datetime] | None,
    catalog_path: Path | None,
) -> None:
    """List the compliance rules: code, scope, severity, citation, status and dates."""
    codes = jurisdictions or tuple(available_rule_packs())
    try:
        packs = [rule_pack(code) for code in codes]
        if changes:
            kinds = None
            if catalog_path is not None:
                kinds = {product.kind for product in load_catalog(catalog_path).products}
            start, end = (day.date() for day in changes)
            found = rule_changes(start, end, packs=packs, kinds=kinds)
    except CatalogValidationError as exc:
        _report(exc.problems)
        raise SystemExit(2) from None
    except RuralSellerError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(2) from None
    if changes:
        _print_changes(found, start, end, fmt)
        return
    if fmt == "json":
        data = [_rule_row(rule) for pack in packs for rule in _pack_rules(pack)]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for pack in packs:
        _out.print(f"[bold]{escape(pack.jurisdiction)}: {escape(pack.name)}[/]")
        for rule in _pack_rules(pack):
            scope = ", ".join(sorted(rule.kinds)) or "all products"
            if rule.profiles:
                scope += "; sellers: " + ", ".join(sorted(p.value for p in rule.profiles))
            since = (
                f"in force from {rule.effective_from.isoformat()}"
                if rule.effective_from
                else "start date not recorded"
            )
            until = (
                f", superseded on {rule.superseded_on.isoformat()}" if rule.superseded_on else ""
            )
            severity = rule.effective_severity.value
            _out.print(
                f"  [{_STYLE[severity]}]{rule.code}[/]  {severity}, status {rule.status.value}"
            )
            _out.print(f"      {escape(rule.title)}")
            _out.print(f"      [dim]applies to: {escape(scope)}; {since}{until}[/]")
            _out.print(f"      [dim]source: {escape(str(rule.citation))}[/]")
        _out.print()


def _print_changes(found: tuple[RuleChange, ...], start: dt.date, end: dt.date, fmt: str) -> None:
    if fmt == "json":
        data = {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "changes": [change.to_dict() for change in found],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not found:
        _out.print(f"No rule enters or leaves force from {start} to {end}.")
        return
    _out.print(f"[bold]Rules that change from {start} to {end}[/]")
    for change in found:
        rule = change.rule
        severity = rule.effective_severity.value
        _out.print(
            f"  {change.on.isoformat()}  {change.change:<6} [{_STYLE[severity]}]{rule.code}[/]"
            f"  {severity}, status {rule.status.value}"
        )
        _out.print(f"      {escape(rule.title)}")
        _out.print(f"      [dim]source: {escape(str(rule.citation))}[/]")


def _pack_rules(pack: RulePack) -> tuple[Rule, ...]:
    """A pack's rules and the date rules every check adds to them."""
    return (*pack.rules, *freshness_rules(pack.jurisdiction))


def _parse_destination(text: str | None) -> Place | None:
    if text is None:
        return None
    country, _, province = text.partition("/")
    return Place(country=country, province=province or None)


@cli.command(name="check")
@click.argument("catalog_path", metavar="CATALOG", type=click.Path(path_type=Path))
@click.option(
    "-j",
    "--jurisdiction",
    "jurisdictions",
    multiple=True,
    default=("CN",),
    show_default=True,
    help="Rules of this jurisdiction (repeatable): CN, EU, US or an installed pack.",
)
@click.option("--lot", "lots", multiple=True, help="Check only this lot (repeatable).")
@click.option(
    "--on",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Check as of this day (YYYY-MM-DD); rules not in force then are skipped. Default: today.",
)
@click.option(
    "--to",
    "destination",
    help="Where the buyer is: a country code, with province or state if known (CN/上海市, US/CA).",
)
@click.option("--air", is_flag=True, help="The parcel travels by air.")
@click.option("--dry-ice", "dry_ice", help="Dry ice per parcel, e.g. '2 kg'.")
@click.option("--title", help="A listing title to check for banned wording.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Output format (the JSON shape is documented in docs/compliance.md).",
)
@delivery_option
@click.option(
    "--marketplace",
    help="The marketplace sold on, for an offer's minimum remaining life there "
    "(min_remaining_life_on).",
)
def check_command(
    catalog_path: Path,
    jurisdictions: tuple[str, ...],
    lots: tuple[str, ...],
    day: dt.datetime | None,
    destination: str | None,
    air: bool,
    dry_ice: str | None,
    title: str | None,
    fmt: str,
    delivery: dt.timedelta,
    marketplace: str | None,
) -> None:
    """Check the lots of CATALOG against compliance rules and the dates on their labels.

    Exits 0 when nothing blocks, 1 when something blocks, 2 when the input is bad.
    """
    try:
        catalog = load_catalog(catalog_path)
        sale = Sale(
            destination=_parse_destination(destination),
            mode="air" if air else "ground",
            dry_ice=Mass.parse(dry_ice) if dry_ice else None,
            texts={"title": title} if title else {},
            delivery=delivery,
            marketplace=marketplace,
        )
        report = check(
            catalog,
            jurisdictions=jurisdictions,
            lots=lots or None,
            on=day.date() if day else None,
            sale=sale,
        )
    except CatalogValidationError as exc:
        _report(exc.problems)
        raise SystemExit(2) from None
    except RuralSellerError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(2) from None
    if fmt == "json":
        click.echo(report.to_json())
    elif fmt == "markdown":
        click.echo(report.to_markdown(), nl=False)
    else:
        _print_report(report)
    raise SystemExit(0 if report.ok else 1)


_STYLE = {"blocking": "bold red", "warning": "yellow", "info": "cyan"}


def _print_report(report: Report) -> None:
    head = "[green]✓ nothing blocks the sale[/]" if report.ok else "[red]✗ the sale is blocked[/]"
    _out.print(
        f"{head}: {len(report.blocking)} blocking, {len(report.warnings)} warnings, "
        f"{len(report.infos)} info ({', '.join(report.jurisdictions)}, {report.on.isoformat()})"
    )
    for lot in report.lots:
        findings = report.for_lot(lot)
        _out.print(f"\n[bold]lot {escape(lot)}[/]" + ("" if findings else ": no findings"))
        for finding in findings:
            style = _STYLE[finding.severity.value]
            where = f" [dim]{escape(finding.field)}[/]" if finding.field else ""
            _out.print(f"  [{style}]{finding.severity.value:<8}[/] {finding.rule}{where}")
            _out.print(f"           {escape(finding.message)}")
            _out.print(f"           [bold]what to do:[/] {escape(finding.remedy)}")
            _out.print(
                f"           [dim]source: {escape(str(finding.citation))} "
                f"(status {finding.status.value})[/]"
            )


# --- packaging -------------------------------------------------------------------------------

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


@cli.command()
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
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
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
        raise SystemExit(1) from None
    except CatalogValidationError as exc:
        _report(exc.problems)
        raise SystemExit(2) from None
    except RuralSellerError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(2) from None
    if fmt == "json":
        click.echo(json.dumps(_plan_dict(plan), ensure_ascii=False, indent=2))
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
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _err.print(f"[red]✗ {escape(str(exc))}[/]")
    for option in options:
        coolant = option.coolant.name if option.coolant else "no coolant"
        _err.print(
            f"  {escape(option.container.name)} + {escape(coolant)}: {escape(option.reason)}"
        )


def _print_plan(plan: PackPlan) -> None:
    hours = plan.journey.total_seconds() / 3600
    _out.print(
        f"[bold]Pack for lot {escape(plan.lot)}[/]: {plan.pieces} piece(s), {hours:g} h in "
        f"{escape(plan.ambient.name)}"
    )
    _out.print(f"  box:      {escape(plan.container.name)}")
    if plan.coolant is not None:
        _out.print(
            f"  coolant:  {plan.coolant_units} × {escape(plan.coolant.name)} ({plan.coolant_mass})"
        )
    else:
        _out.print("  coolant:  none needed")
    for liner in plan.liners:
        _out.print(f"  inside:   {escape(liner.name)}")
    if plan.hold is not None:
        needed = plan.required_hold.total_seconds() / 3600
        at_least = "at least " if plan.hold.limited_by is HoldLimit.PROFILE_END else ""
        _out.print(
            f"  holds:    {at_least}{plan.hold.hours:.0f} h (needs {needed:.0f} h with the margin)"
        )
    length, width, height = (d.decimal() for d in plan.outer)
    _out.print(
        f"  weight:   {plan.gross} gross, {plan.dimensional} volumetric "
        f"({length}×{width}×{height} cm / {plan.divisor}), {plan.chargeable} charged"
    )
    _out.print(f"  cost:     {plan.packaging_cost} packaging + {plan.postage} postage")
    if plan.dry_ice is not None:
        _out.print(
            f"  [yellow]mark:[/]     {escape(plan.dry_ice.text)} (class 9 label, vented box)"
        )
    for note in plan.notes:
        _out.print(f"  [dim]- {escape(note)}[/]")


@cli.command()
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
) -> None:
    """Print a 100×150 mm package label (PNG or PDF) with GS1-128 barcodes and a QR code.

    A product without a GTIN gets a label without barcodes, its QR code linking to the lot's
    story page at --story-base.
    """
    try:
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
    except CatalogValidationError as exc:
        _report(exc.problems)
        raise SystemExit(2) from None
    except (RuralSellerError, OSError) as exc:
        hint = getattr(exc, "hint", "")
        _err.print(
            f"[red]error:[/] {escape(str(exc))}" + (f"\n  hint: {escape(hint)}" if hint else "")
        )
        raise SystemExit(2) from None
    _out.print(
        f"Wrote the label for lot {escape(lot_id)} to [bold]{escape(str(written))}[/] ({dpi} dpi)."
    )
    if content.gs1 is not None:
        _out.print(f"  barcode: {escape(content.gs1.element_string())}")
    else:
        _out.print("  barcode: none (the product has no GTIN)")
        _out.print(f"  [bold]hint:[/] {escape(NO_GTIN_HINT)}")
    _out.print(f"  QR:      {escape(content.digital_link)}")


# --- cold chain ------------------------------------------------------------------------------


@cli.command(name="plan")
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
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
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
    try:
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
    except CatalogValidationError as exc:
        _report(exc.problems)
        raise SystemExit(2) from None
    except RuralSellerError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        hint = getattr(exc, "hint", "")
        if hint:
            _err.print(f"  hint: {escape(hint)}")
        raise SystemExit(2) from None
    if fmt == "json":
        click.echo(summary_json(plan) if whole_country else plan.to_json())
    elif whole_country:
        print_by_province(_out, plan)
    else:
        _print_shipment(plan)
        if plot_path is not None:
            _out.print(f"\nDrew the temperatures to [bold]{escape(str(plot_path))}[/].")
    raise SystemExit(0 if plan.reachable else 1)


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
    _out.print(
        f"[bold]Lot {escape(plan.lot)}[/], handed in {plan.ship_at.isoformat()} "
        f"({escape(plan.outside.name)}): {reachable} of {len(plan.destinations)} "
        f"destination(s) reachable"
    )
    table = Table(show_lines=False)
    table.add_column("to")
    table.add_column("service", no_wrap=True)
    table.add_column("ok")
    table.add_column("days", justify="right")
    table.add_column("left", justify="right")
    table.add_column("cost", justify="right")
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
            table.add_row(
                escape(destination.name) if index == 0 else "",
                escape(option.service.id),
                "[green]yes[/]" if option.feasible else "[red]no[/]",
                days,
                shelf,
                str(option.cost) if option.cost is not None else "-",
            )
            why_not += [
                f"{destination.name} by {option.service.id}: {reason}" for reason in option.reasons
            ]
    _out.print(table)
    for destination in plan.destinations:
        best = destination.best
        if best is not None:
            _out.print(
                f"[green]✓[/] {escape(destination.name)}: {escape(best.service.name)}, "
                f"{escape(_pack_text(best))} ({best.cost})"
            )
    if why_not:
        _out.print("\n[bold]Why not:[/]")
        for line in why_not:
            _out.print(f"  [dim]-[/] {escape(line)}")
    _out.print(
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


# --- listing ---------------------------------------------------------------------------------


@cli.command()
@click.argument("catalog_path", metavar="CATALOG", type=click.Path(path_type=Path))
@click.option("--lot", "lot_id", required=True, help="The lot to list.")
@click.option(
    "--marketplace",
    type=click.Choice(sorted(PROFILES)),
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
def render(
    catalog_path: Path,
    lot_id: str,
    marketplace: str,
    locales: tuple[str, ...],
    templates: Path | None,
    price: str | None,
    output: Path | None,
    day: dt.datetime | None,
) -> None:
    """Write a lot's listing for a marketplace: preview page, pictures and draft JSON.

    Exits 0 when the listing meets the marketplace's rules, 1 when it does not (each problem
    with its fix), 2 on bad input.
    """
    output = output or Path("listings") / f"{lot_id}-{marketplace}"
    try:
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
    except CatalogValidationError as exc:
        _report(exc.problems)
        raise SystemExit(2) from None
    except RuralSellerError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        hint = getattr(exc, "hint", "")
        if hint:
            _err.print(f"  hint: {escape(hint)}")
        raise SystemExit(2) from None
    draft = result.draft
    _out.print(
        f"Wrote the {escape(marketplace)} listing of lot {escape(lot_id)} to "
        f"[bold]{escape(str(result.folder))}[/]: preview.html, {len(result.images)} picture(s), "
        "draft.json"
    )
    for locale in draft.locales:
        _out.print(f"  {locale}: {escape(draft.text(locale).title)}")
    if not result.issues:
        _out.print("[green]✓ it meets the marketplace's rules[/]")
    for issue in result.issues:
        style = "red" if issue.severity.value == "error" else "yellow"
        _out.print(
            f"  [{style}]{issue.severity.value}[/] {escape(issue.field)}: {escape(issue.message)}"
        )
        _out.print(f"      [bold]fix:[/] {escape(issue.fix)}")
    raise SystemExit(0 if result.valid else 1)


# --- traceability ----------------------------------------------------------------------------


@cli.command()
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
def trace(
    catalog_path: Path,
    lot_id: str,
    output: Path | None,
    destination: str | None,
    ship_at: str | None,
    logger: Path | None,
    day: dt.datetime | None,
) -> None:
    """Write a lot's story from farm to buyer as GS1 EPCIS 2.0 events (JSON-LD)."""
    try:
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
    except CatalogValidationError as exc:
        _report(exc.problems)
        raise SystemExit(2) from None
    except RuralSellerError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        hint = getattr(exc, "hint", "")
        if hint:
            _err.print(f"  hint: {escape(hint)}")
        raise SystemExit(2) from None
    text = document.to_json()
    if output is None:
        click.echo(text)
        return
    output.write_text(text + "\n", encoding="utf-8")
    kinds = ", ".join(type(event).__name__ for event in document.events)
    _err.print(f"Wrote {len(document.events)} EPCIS events ({kinds}) to {escape(str(output))}.")


@cli.command(name="marketplaces")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def marketplaces_command(fmt: str) -> None:
    """List the installed marketplace adapters and what each can do."""
    infos = installed_marketplaces()
    if fmt == "json":
        data = [
            {
                "name": info.name,
                "provider": info.provider,
                "target": info.target,
                "capabilities": list(info.capabilities.names()) if info.capabilities else None,
                "problem": info.problem or None,
            }
            for info in infos
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for info in infos:
        where = "built in" if info.provider == "ruralseller" else f"from {info.provider}"
        _out.print(f"[bold]{escape(info.name)}[/]  [dim]{escape(where)}, {escape(info.target)}[/]")
        if info.capabilities is not None:
            names = ", ".join(info.capabilities.names()) or "none declared"
            _out.print(f"    capabilities: {escape(names)}")
        if info.problem:
            _out.print(f"    [yellow]problem:[/] {escape(info.problem)}")


# --- publishing ------------------------------------------------------------------------------

_OUTBOX_HELP = "The outbox file. Default: .ruralseller/outbox.db inside the catalogue folder."


def _has_catalogue(path: Path) -> bool:
    """Whether ``path`` is a catalogue file or a folder holding one."""
    return path.is_file() or any(
        (path / name).is_file() for name in (CATALOG_FILE, Path(CATALOG_FILE).stem + ".json")
    )


def _outbox_path(catalog_path: Path, outbox: Path | None) -> Path:
    return outbox or catalog_path / ".ruralseller" / "outbox.db"


def _marketplace_options(marketplace: str, options: tuple[str, ...]) -> dict[str, Any]:
    """The adapter's settings: ``RURALSELLER_<NAME>_<KEY>`` variables, then ``-o KEY=VALUE``."""
    config = settings_from_environment(marketplace)
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key:
            raise click.BadParameter(
                f"expected KEY=VALUE, e.g. base_url=http://127.0.0.1:8765, got {option!r}",
                param_hint="--option",
            )
        config[key.strip()] = value.strip()
    try:
        return settings_from_text(marketplace, config)
    except InvalidValueError as exc:
        raise click.BadParameter(
            f"{exc.message} ({exc.hint})" if exc.hint else exc.message, param_hint="--option"
        ) from None


def _prices(items: tuple[str, ...]) -> dict[str, Money]:
    """``--price LOT=AMOUNT`` options, e.g. ``WJ261123A=5.20 USD``."""
    prices = {}
    for item in items:
        lot_id, sep, text = item.partition("=")
        message = "expected LOT=AMOUNT CURRENCY"
        if sep and lot_id.strip():
            try:
                prices[lot_id.strip()] = Money.parse(text.strip())
                continue
            except (ValueError, RuralSellerError) as exc:
                message = str(exc)
        raise click.BadParameter(
            f"{item!r}: {message}; e.g. --price WJ261123A='5.20 USD'", param_hint="--price"
        )
    return prices


def _drafts(
    catalog: Catalog,
    lot_ids: tuple[str, ...],
    marketplace: str,
    prices: dict[str, Money],
    on: dt.date,
    delivery: dt.timedelta,
    options: tuple[str, ...] = (),
    cache: PictureCache | None = None,
) -> tuple[list[tuple[ListingDraft, list[ProcessedImage]]], list[tuple[str, list[ListingIssue]]]]:
    # The adapter's own profile: a third-party adapter's drafts meet its rules, not ours.
    profile = (
        PROFILES[marketplace]
        if marketplace in PROFILES
        else marketplace_profile(marketplace, **_marketplace_options(marketplace, options))
    )
    locales = profile_locales(profile)
    drafts, refused = [], []
    for lot_id in lot_ids or tuple(lot.id for lot in catalog.lots):
        fresh = freshness(catalog, lot_id, on=on, delivery=delivery, marketplace=marketplace)
        if fresh is not None and not fresh.sellable:
            # The date on the label rules: such a lot is never listed.
            issue = ListingIssue(
                field=f"lots.{fresh.date_kind}",
                message=fresh.reason,
                fix="do not list it; withdraw it where it is listed and sell the next lot",
            )
            refused.append((lot_id, [issue]))
            continue
        draft = generate_listing(catalog, lot_id, locales=locales, price=prices.get(lot_id), on=on)
        errors = [
            issue
            for issue in validate_draft(draft, profile)
            if issue.severity is IssueSeverity.ERROR
        ]
        if errors:
            refused.append((lot_id, errors))
            continue
        drafts.append(draft)
    # Every lot's pictures at once: each distinct picture once, on every core.
    pictures = process_images_many([d.images for d in drafts], profile.images, cache=cache)
    ready = []
    for draft, images in zip(drafts, pictures, strict=True):
        if isinstance(images, InvalidValueError):
            raise images
        ready.append((draft, list(images)))
    return ready, refused


def _publish_report(report: PublishReport) -> None:
    table = Table(title=f"Published to {report.marketplace}")
    for column in ("SKU", "outcome", "details"):
        table.add_column(column)
    for result in report.results:
        details = result.url or ""
        if result.outcome in ("failed", "retry_later"):
            fields = "; ".join(f"{k}: {v}" for k, v in result.field_errors.items())
            details = fields or result.message
        style = {"failed": "red", "retry_later": "yellow"}.get(result.outcome, "green")
        table.add_row(escape(result.sku), f"[{style}]{result.outcome}[/]", escape(details))
    _out.print(table)
    counts = ", ".join(
        f"{report.count(outcome)} {outcome}" for outcome in OUTCOMES if report.count(outcome)
    )
    _out.print(counts or "nothing to publish")


def _run_publisher(
    outbox: Outbox,
    marketplace: str,
    config: dict[str, str],
    items: list[Any],
    concurrency: int,
    stale: tuple[Catalog, dt.date, dt.timedelta] | None = None,
) -> PublishReport:
    try:
        adapter = get_marketplace(marketplace, **config)
    except TypeError as exc:
        raise click.BadParameter(str(exc), param_hint="--option") from None
    except InvalidValueError as exc:  # a setting the adapter refuses (e.g. image_base_url)
        hint = f"; {exc.hint}" if exc.hint else ""
        raise click.BadParameter(f"{exc.message}{hint}", param_hint="--option") from None

    async def run(progress: Progress) -> PublishReport:
        task = progress.add_task("publishing", total=None)

        def advance(step: PublishProgress) -> None:
            progress.update(task, total=step.total, completed=step.done)

        try:
            publisher = Publisher(outbox, adapter, concurrency=concurrency, progress=advance)
            withdrawn: tuple[Any, ...] = ()
            if stale is not None:
                # Lots past their sell-by cut-off come off sale before anything is sent.
                catalog, day, delivery = stale
                report = await withdraw_stale(publisher, catalog, on=day, delivery=delivery)
                withdrawn = report.results
            report = await publisher.publish(items)
            return attrs.evolve(report, results=(*withdrawn, *report.results))
        finally:
            await adapter.aclose()

    with Progress(console=_err, transient=True) as bar:
        return asyncio.run(run(bar))


@cli.command()
@click.argument("catalog_path", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--to", "marketplace", required=True, help="The marketplace adapter, e.g. sandbox.")
@click.option("--lot", "lot_ids", multiple=True, help="Only this lot (repeatable). Default: all.")
@click.option(
    "-o",
    "--option",
    "options",
    multiple=True,
    metavar="KEY=VALUE",
    help="Adapter setting (repeatable), e.g. -o base_url=http://127.0.0.1:8765.",
)
@click.option("--outbox", type=click.Path(path_type=Path, dir_okay=False), help=_OUTBOX_HELP)
@click.option("--dry-run", is_flag=True, help="Check and show what would be sent; send nothing.")
@click.option("--offline", is_flag=True, help="Queue in the outbox now; `ruralseller sync` later.")
@click.option("--concurrency", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--price",
    "prices",
    multiple=True,
    metavar="LOT=AMOUNT",
    help="The price on this marketplace, e.g. --price WJ261123A='5.20 USD' (repeatable); "
    "default: the offer's.",
)
@on_option
@delivery_option
def publish(
    catalog_path: Path,
    marketplace: str,
    lot_ids: tuple[str, ...],
    options: tuple[str, ...],
    outbox: Path | None,
    dry_run: bool,
    offline: bool,
    concurrency: int,
    prices: tuple[str, ...],
    day: dt.datetime | None,
    delivery: dt.timedelta,
) -> None:
    """Publish a catalogue's lots to a marketplace, through the outbox.

    A lot past its printed date or its sell-by cut-off is refused, saying why.

    Exits 0 when every lot is published, 1 when some failed or wait for a retry, 2 on bad
    input.
    """
    try:
        load_marketplace(marketplace)
        catalog = load_catalog(catalog_path)
        # Pictures already made are kept beside the outbox (not on a dry run: it writes nothing).
        cache = (
            PictureCache() if dry_run else PictureCache.beside(_outbox_path(catalog_path, outbox))
        )
        items, refused = _drafts(
            catalog, lot_ids, marketplace, _prices(prices), today(day), delivery, options, cache
        )
        items = ledger_stock(
            catalog, _outbox_path(catalog_path, outbox), marketplace, items, today(day)
        )
    except CatalogValidationError as exc:
        _report(exc.problems)
        raise SystemExit(2) from None
    except RuralSellerError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(2) from None
    for lot_id, issues in refused:
        _err.print(f"[red]not sent:[/] lot {escape(lot_id)} may not be listed:")
        for issue in issues:
            _err.print(
                f"  {escape(issue.field)}: {escape(issue.message)}; fix: {escape(issue.fix)}"
            )
        if any(issue.field == "price" for issue in issues):
            _err.print(
                f"  to price it for {escape(marketplace)}: "
                f"--price {escape(lot_id)}='AMOUNT CURRENCY'"
            )
    if refused and not items:
        _err.print("nothing to send: every lot was refused")
        raise SystemExit(1)
    if dry_run:
        payloads = [
            {"sku": d.sku, "draft": draft_to_data(d), "pictures": [image_name(i) for i in imgs]}
            for d, imgs in items
        ]
        click.echo(json.dumps(payloads, ensure_ascii=False, indent=2))
        raise SystemExit(1 if refused else 0)
    box = Outbox(_outbox_path(catalog_path, outbox))
    if offline:
        for draft, images in items:
            box.enqueue(marketplace, draft, images)
        _out.print(
            f"queued {len(items)} listing(s) for {escape(marketplace)} in {escape(box.path)}; "
            "send them with `ruralseller sync`"
        )
        raise SystemExit(1 if refused else 0)
    config = _marketplace_options(marketplace, options)
    report = _run_publisher(box, marketplace, config, items, concurrency)
    _publish_report(report)
    raise SystemExit(0 if report.ok and not refused else 1)


@cli.command()
@click.argument("catalog_path", type=click.Path(path_type=Path, file_okay=False))
@click.option("--to", "marketplace", required=True, help="The marketplace adapter, e.g. sandbox.")
@click.option("-o", "--option", "options", multiple=True, metavar="KEY=VALUE")
@click.option("--outbox", type=click.Path(path_type=Path, dir_okay=False), help=_OUTBOX_HELP)
@click.option("--concurrency", default=4, show_default=True, type=click.IntRange(1, 64))
@on_option
@delivery_option
def sync(
    catalog_path: Path,
    marketplace: str,
    options: tuple[str, ...],
    outbox: Path | None,
    concurrency: int,
    day: dt.datetime | None,
    delivery: dt.timedelta,
) -> None:
    """Send what the outbox holds for a marketplace: queued, retryable, or cut off by a crash.

    Exits 0 when nothing is left to send, 1 while listings failed or wait for a retry (each
    is listed with its next try), 2 on bad input or an outbox that cannot be used.

    Listings whose lot passed its sell-by cut-off (its printed date less the delivery and the
    minimum remaining life) are withdrawn first, and writes queued for them are not sent.
    """
    path = _outbox_path(catalog_path, outbox)
    if not path.exists():
        _err.print(f"[red]error:[/] no outbox at {escape(str(path))}; publish something first")
        raise SystemExit(2)
    try:
        load_marketplace(marketplace)
        # Without the catalogue the lots' dates are unknown: send, but say what is skipped.
        catalog = load_catalog(catalog_path) if _has_catalogue(catalog_path) else None
    except CatalogValidationError as exc:
        _report(exc.problems)
        raise SystemExit(2) from None
    except RuralSellerError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(2) from None
    box = Outbox(path)
    report = _run_publisher(
        box,
        marketplace,
        _marketplace_options(marketplace, options),
        [],
        concurrency,
        stale=(catalog, today(day), delivery) if catalog is not None else None,
    )
    if catalog is None:
        _err.print(
            f"[yellow]note:[/] no catalogue in {escape(str(catalog_path))}, so listings past "
            "their sell-by cut-off were not withdrawn"
        )
    _publish_report(report)
    waiting = print_waiting(_err, box, marketplace)
    raise SystemExit(0 if report.ok and not waiting else 1)


@cli.command()
@click.argument("catalog_path", type=click.Path(path_type=Path, file_okay=False))
@click.option("--to", "marketplace", required=True, help="The marketplace adapter, e.g. sandbox.")
@click.option("--lot", "lot_ids", multiple=True, required=True, help="The lot (repeatable).")
@click.option("-o", "--option", "options", multiple=True, metavar="KEY=VALUE")
@click.option("--outbox", type=click.Path(path_type=Path, dir_okay=False), help=_OUTBOX_HELP)
def withdraw(
    catalog_path: Path,
    marketplace: str,
    lot_ids: tuple[str, ...],
    options: tuple[str, ...],
    outbox: Path | None,
) -> None:
    """Take lots off sale on a marketplace (publish them again to put them back)."""
    try:
        load_marketplace(marketplace)
        adapter = get_marketplace(marketplace, **_marketplace_options(marketplace, options))
    except RuralSellerError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(2) from None

    async def run() -> PublishReport:
        try:
            box = Outbox(_outbox_path(catalog_path, outbox))
            return await Publisher(box, adapter).withdraw(lot_ids)
        finally:
            await adapter.aclose()

    report = asyncio.run(run())
    _publish_report(report)
    raise SystemExit(0 if not report.failed else 1)


@cli.command(name="outbox")
@click.argument("catalog_path", type=click.Path(path_type=Path, file_okay=False))
@click.option("--outbox", type=click.Path(path_type=Path, dir_okay=False), help=_OUTBOX_HELP)
@click.option("--failed", is_flag=True, help="Only the listings that failed.")
def outbox_command(catalog_path: Path, outbox: Path | None, failed: bool) -> None:
    """Show what the outbox holds: each listing's state, tries and last error."""
    path = _outbox_path(catalog_path, outbox)
    if not path.exists():
        _out.print(f"no outbox at {escape(str(path))}: nothing was published from here yet")
        return
    states = (JobState.FAILED_PERMANENT, JobState.FAILED_RETRYABLE) if failed else ()
    table = Table(title=str(path))
    for column in ("marketplace", "SKU", "state", "tries"):
        table.add_column(column, no_wrap=True)
    table.add_column("next try")
    table.add_column("last error")
    for job in Outbox(path).jobs(*states):
        error = "; ".join(f"{k}: {v}" for k, v in job.field_errors.items()) or job.last_error
        table.add_row(
            escape(job.marketplace),
            escape(job.sku),
            job.state.value,
            str(job.attempts),
            retry_text(job),
            escape(error),
        )
    _out.print(table)


from ruralseller.cli.certificate import certificate  # noqa: E402 - a command in its own module

cli.add_command(certificate)

# The order stage's commands live in their own module (registered last: it imports this one).
from ruralseller.cli.orders import ledger_stock, orders, settle_command, stock  # noqa: E402

cli.add_command(orders)
cli.add_command(stock)
cli.add_command(settle_command)

# `ruralseller status` lives in its own module.
from ruralseller.cli.status import status as _status  # noqa: E402

cli.add_command(_status)

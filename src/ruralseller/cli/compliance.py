"""``ruralseller rules`` and ``check``: which rules there are, and may these lots be sold."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from rich.markup import escape

from ruralseller.catalog import Mass, Place, load_catalog
from ruralseller.cli._errors import answer
from ruralseller.cli._marketplaces import sold_on_callback
from ruralseller.cli._output import out
from ruralseller.cli._today import delivery_option
from ruralseller.compliance import (
    Report,
    Rule,
    RuleChange,
    RulePack,
    Sale,
    available_rule_packs,
    check,
    freshness_rules,
    rule_changes,
    rule_pack,
)

__all__ = ["check_command", "rules"]


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


@click.command()
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
    packs = [rule_pack(code) for code in codes]
    if changes:
        kinds = None
        if catalog_path is not None:
            kinds = {product.kind for product in load_catalog(catalog_path).products}
        start, end = (day.date() for day in changes)
        found = rule_changes(start, end, packs=packs, kinds=kinds)
        _print_changes(found, start, end, fmt)
        return
    if fmt == "json":
        data = [_rule_row(rule) for pack in packs for rule in _pack_rules(pack)]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for pack in packs:
        out.print(f"[bold]{escape(pack.jurisdiction)}: {escape(pack.name)}[/]")
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
            out.print(
                f"  [{_STYLE[severity]}]{rule.code}[/]  {severity}, status {rule.status.value}"
            )
            out.print(f"      {escape(rule.title)}")
            out.print(f"      [dim]applies to: {escape(scope)}; {since}{until}[/]")
            out.print(f"      [dim]source: {escape(str(rule.citation))}[/]")
        out.print()


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
        out.print(f"No rule enters or leaves force from {start} to {end}.")
        return
    out.print(f"[bold]Rules that change from {start} to {end}[/]")
    for change in found:
        rule = change.rule
        severity = rule.effective_severity.value
        out.print(
            f"  {change.on.isoformat()}  {change.change:<6} [{_STYLE[severity]}]{rule.code}[/]"
            f"  {severity}, status {rule.status.value}"
        )
        out.print(f"      {escape(rule.title)}")
        out.print(f"      [dim]source: {escape(str(rule.citation))}[/]")


def _pack_rules(pack: RulePack) -> tuple[Rule, ...]:
    """A pack's rules and the date rules every check adds to them."""
    return (*pack.rules, *freshness_rules(pack.jurisdiction))


def _parse_destination(text: str | None) -> Place | None:
    if text is None:
        return None
    country, _, province = text.partition("/")
    return Place(country=country, province=province or None)


@click.command(name="check")
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
    callback=sold_on_callback,
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
    if fmt == "json":
        click.echo(report.to_json())
    elif fmt == "markdown":
        click.echo(report.to_markdown(), nl=False)
    else:
        _print_report(report)
    raise answer(report.ok)


_STYLE = {"blocking": "bold red", "warning": "yellow", "info": "cyan"}


def _print_report(report: Report) -> None:
    head = "[green]✓ nothing blocks the sale[/]" if report.ok else "[red]✗ the sale is blocked[/]"
    out.print(
        f"{head}: {len(report.blocking)} blocking, {len(report.warnings)} warnings, "
        f"{len(report.infos)} info ({', '.join(report.jurisdictions)}, {report.on.isoformat()})"
    )
    for lot in report.lots:
        findings = report.for_lot(lot)
        out.print(f"\n[bold]lot {escape(lot)}[/]" + ("" if findings else ": no findings"))
        for finding in findings:
            style = _STYLE[finding.severity.value]
            where = f" [dim]{escape(finding.field)}[/]" if finding.field else ""
            out.print(f"  [{style}]{finding.severity.value:<8}[/] {finding.rule}{where}")
            out.print(f"           {escape(finding.message)}")
            out.print(f"           [bold]what to do:[/] {escape(finding.remedy)}")
            out.print(
                f"           [dim]source: {escape(str(finding.citation))} "
                f"(status {finding.status.value})[/]"
            )

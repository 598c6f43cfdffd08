"""The click application behind ``ruralseller``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from ruralseller import __version__
from ruralseller.catalog import Catalog, Mass, Place, load_catalog
from ruralseller.catalog.samples import DEFAULT_SAMPLE, copy_sample, sample_names
from ruralseller.catalog.schema import catalog_schema
from ruralseller.compliance import Report, Rule, Sale, available_rule_packs, check, rule_pack
from ruralseller.errors import (
    CatalogError,
    CatalogValidationError,
    ComplianceError,
    Problem,
    RuralSellerError,
)

_out = Console(highlight=False, soft_wrap=True)
_err = Console(stderr=True, highlight=False, soft_wrap=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
def rules(jurisdictions: tuple[str, ...], fmt: str) -> None:
    """List the compliance rules: code, scope, severity, citation, status and dates."""
    codes = jurisdictions or tuple(available_rule_packs())
    try:
        packs = [rule_pack(code) for code in codes]
    except ComplianceError as exc:
        _err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(2) from None
    if fmt == "json":
        data = [_rule_row(rule) for pack in packs for rule in pack.rules]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for pack in packs:
        _out.print(f"[bold]{escape(pack.jurisdiction)}: {escape(pack.name)}[/]")
        for rule in pack.rules:
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
) -> None:
    """Check the lots of CATALOG against compliance rules.

    Exits 0 when nothing blocks, 1 when something blocks, 2 when the input is bad.
    """
    try:
        catalog = load_catalog(catalog_path)
        sale = Sale(
            destination=_parse_destination(destination),
            mode="air" if air else "ground",
            dry_ice=Mass.parse(dry_ice) if dry_ice else None,
            texts={"title": title} if title else {},
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

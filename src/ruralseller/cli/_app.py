"""The click application behind ``ruralseller``."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from ruralseller import __version__
from ruralseller.catalog import Catalog, load_catalog
from ruralseller.catalog.samples import DEFAULT_SAMPLE, copy_sample, sample_names
from ruralseller.catalog.schema import catalog_schema
from ruralseller.errors import CatalogError, CatalogValidationError, Problem

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

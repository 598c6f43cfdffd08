"""``ruralseller init``, ``validate`` and ``schema``: start a catalogue and check it."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape

from ruralseller.catalog import CATALOG_FILE, Catalog, load_catalog
from ruralseller.catalog.samples import DEFAULT_SAMPLE, copy_sample, sample_names
from ruralseller.catalog.schema import catalog_schema
from ruralseller.cli._errors import EXIT_BAD_INPUT, EXIT_NO
from ruralseller.cli._output import emit_json, err, format_option, out, print_problems
from ruralseller.errors import CatalogError, CatalogValidationError, Problem

__all__ = ["init", "schema", "validate"]


@click.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option(
    "--sample",
    type=click.Choice(sample_names()),
    default=DEFAULT_SAMPLE,
    show_default=True,
    help="Which bundled sample catalogue to start from.",
)
@format_option()
def init(folder: Path, sample: str, fmt: str) -> None:
    """Create a working example catalogue in FOLDER (which must be new or empty).

    Exits 1 when FOLDER is taken (it is left untouched).
    """
    try:
        target = copy_sample(folder, sample)
    except CatalogError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}")
        raise SystemExit(EXIT_NO) from None
    if fmt == "json":
        emit_json("init", {"sample": sample, "folder": str(target)})
        return
    out.print(f"Created the {sample} sample catalogue in [bold]{escape(str(target))}[/].")
    out.print(f"Edit {escape(str(target / 'catalog.toml'))}, then run:")
    out.print(f"  ruralseller validate {escape(str(target))}")


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


def _catalogue_there(path: Path) -> bool:
    """Whether ``path`` is a catalogue file, or a folder with one (readable or not)."""
    if not path.is_dir():
        return path.exists()
    stem = Path(CATALOG_FILE).stem
    return any((path / name).exists() for name in (CATALOG_FILE, f"{stem}.json"))


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


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@format_option()
@click.option("--json", "as_json", is_flag=True, hidden=True, help="Deprecated: --format json.")
def validate(path: Path, fmt: str, as_json: bool) -> None:
    """Check the catalogue at PATH (a folder or a catalog.toml/.json file).

    Exits 0 when it is valid, 1 with every problem listed when it is not, 2 when there is
    no catalogue at PATH.
    """
    if as_json:
        fmt = "json"
    try:
        catalog = load_catalog(path)
    except CatalogValidationError as exc:
        if fmt == "json":
            problems = [_problem_json(p) for p in exc.problems]
            emit_json("validate", {"valid": False, "problems": problems})
        else:
            print_problems(exc.problems)
        raise SystemExit(EXIT_NO) from None
    except CatalogError as exc:
        if fmt == "json":
            emit_json("validate", {"valid": False, "error": str(exc)})
        else:
            err.print(f"[red]error:[/] {escape(str(exc))}")
        # No catalogue there is bad input; one that is there but cannot be read is a "no".
        raise SystemExit(EXIT_NO if _catalogue_there(path) else EXIT_BAD_INPUT) from None
    if fmt == "json":
        emit_json("validate", {"valid": True, "summary": _summary(catalog)})
    else:
        out.print(f"[green]✓[/] {escape(str(path))} is valid: {_summary(catalog)}.")


@click.command()
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
        err.print(f"Wrote the catalogue schema to {escape(str(output))}.")

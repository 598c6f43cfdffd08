"""The one place where ``ruralseller`` commands decide how to print.

- :data:`out` and :data:`err`: the consoles for results (stdout) and for messages (stderr);
  their width follows the terminal, or ``COLUMNS`` when it is set (read on every run).
- :func:`format_option` adds ``--format text|json`` to a command; :func:`emit_json` prints a
  JSON answer with its ``format`` field (``ruralseller.<kind>/<version>``), so a script can
  tell which shape it reads, as ``ruralseller check`` has always done.
- :func:`print_problems` and :func:`print_error` print what is wrong with the input.
- :func:`fit_table` builds a table that keeps what matters at any width: ids and numbers are
  never wrapped nor cut, reasons fold over lines, and the least useful columns give way first.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypeVar

import attrs
import click
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ruralseller.errors import Problem

__all__ = [
    "JSON_VERSION",
    "Column",
    "emit_json",
    "err",
    "fit_table",
    "format_option",
    "json_format",
    "out",
    "print_error",
    "print_problems",
    "print_table",
    "reset_width",
]

F = TypeVar("F", bound=Callable[..., object])

#: The version of every JSON shape the commands print; it changes when a field's meaning does.
JSON_VERSION = 1

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def reset_width() -> None:
    """Take the consoles' width from ``COLUMNS`` (or the terminal) again, for this run."""
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() and int(columns) > 0 else None
    for console in (out, err):
        console._width = width  # noqa: SLF001 - rich reads COLUMNS only when built


def json_format(kind: str) -> str:
    """The ``format`` field of a command's JSON answer, e.g. ``ruralseller.publish/1``."""
    return f"ruralseller.{kind}/{JSON_VERSION}"


def emit_json(kind: str, data: Mapping[str, Any]) -> None:
    """Print ``data`` as JSON on stdout, its ``format`` field first (see :func:`json_format`)."""
    document = {"format": json_format(kind), **data}
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def format_option(*choices: str, help: str = "Output format.") -> Callable[[F], F]:  # noqa: A002
    """``--format`` with ``choices`` (default text, json), as the ``fmt`` parameter."""
    option = click.option(
        "--format",
        "fmt",
        type=click.Choice(choices or ("text", "json")),
        default="text",
        show_default=True,
        help=help,
    )

    def decorate(command: F) -> F:
        return option(command)

    return decorate


def print_error(message: str, hint: str = "") -> None:
    """``error: MESSAGE`` on stderr, and the hint on its own line."""
    err.print(f"[red]error:[/] {escape(message)}")
    if hint:
        err.print(f"  hint: {escape(hint)}")


def print_problems(problems: Sequence[Problem]) -> None:
    """Every problem of a catalogue, grouped by file, with where, what and how to fix it."""
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file, []).append(problem)
    total = len(problems)
    err.print(f"[red]✗[/] found {total} problem{'' if total == 1 else 's'}:")
    for file, items in by_file.items():
        err.print(f"\n[bold]{escape(file)}[/]")
        for problem in items:
            where = escape(problem.path or "(whole file)")
            line = f"  [cyan]{where}[/]: {escape(problem.message)}"
            if problem.value is not None:
                line += f" [dim](got {escape(str(problem.shown_value))})[/]"
            err.print(line)
            if problem.hint:
                err.print(f"      [yellow]hint:[/] {escape(problem.hint)}")


# --- tables that keep what matters ----------------------------------------------------------


@attrs.frozen
class Column:
    """A column of :func:`fit_table`.

    Attributes:
        header: the column's title.
        keep: the higher, the longer it stays when the terminal is narrow; ``None`` for a
            column that never goes (ids, and the numbers the table is for).
        wrap: whether the text may fold over lines (reasons, names); otherwise it is never
            wrapped nor cut.
        justify: ``"left"`` or ``"right"`` (numbers).
    """

    header: str
    keep: int | None = None
    wrap: bool = False
    justify: Literal["left", "right"] = "left"


# A folding column narrower than this is useless: it gives way instead.
_MIN_FOLD = 12


def _plain(cell: str) -> str:
    return Text.from_markup(cell).plain


def _chrome(columns: int, compact: bool) -> int:
    # Borders and padding: a full box has an edge each side, a rule between columns and a
    # space each side of a cell; a compact one keeps only one space between columns.
    return columns - 1 if compact else 3 * columns + 1


def fit_table(
    console: Console,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
) -> tuple[Table, list[str]]:
    """A table of ``rows`` (rich markup, escaped) that fits ``console``; the columns left out.

    At any width the columns kept (``keep=None``) are shown whole; folding columns share
    what is left; when that is not enough, columns with the lowest ``keep`` are left out
    (the caller says so and points to ``--format json``).
    """
    width = console.width
    natural = [
        max([cell_len(column.header), *(cell_len(_plain(row[i])) for row in rows)])
        for i, column in enumerate(columns)
    ]

    def needed(kept: list[int], compact: bool) -> int:
        return _chrome(len(kept), compact) + sum(
            min(natural[i], _MIN_FOLD) if columns[i].wrap else natural[i] for i in kept
        )

    kept = list(range(len(columns)))
    compact = needed(kept, compact=False) > width
    while needed(kept, compact) > width:
        optional = [i for i in kept if columns[i].keep is not None]
        if not optional:
            break
        kept.remove(min(optional, key=lambda i: (columns[i].keep or 0, -i)))
    # What the folding columns share: the width left, the narrowest content served first.
    room = (
        width - _chrome(len(kept), compact) - sum(natural[i] for i in kept if not columns[i].wrap)
    )
    folding = sorted((i for i in kept if columns[i].wrap), key=lambda i: natural[i])
    widths: dict[int, int] = {}
    for n, i in enumerate(folding):
        share = max(room // (len(folding) - n), 1)
        widths[i] = max(min(natural[i], share), 1)
        room -= widths[i]
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
        show_edge=not compact,
        pad_edge=not compact,
        padding=(0, 0) if compact else (0, 1),
        collapse_padding=compact,
        title_justify="left",
    )
    for i in kept:
        column = columns[i]
        table.add_column(
            column.header,
            justify=column.justify,
            no_wrap=not column.wrap,
            overflow="fold",
            width=widths.get(i, natural[i]),
        )
    for row in rows:
        table.add_row(*(row[i] for i in kept))
    return table, [columns[i].header for i in range(len(columns)) if i not in kept]


def print_table(
    console: Console,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
) -> None:
    """Print :func:`fit_table`'s table, and which columns had no room (wrapped to the width)."""
    table, hidden = fit_table(console, columns, rows, title=title)
    console.print(table)
    if hidden:
        console.print(
            f"[dim](no room for: {', '.join(hidden)}; a wider terminal or --format json "
            "shows them)[/]",
            soft_wrap=False,
        )

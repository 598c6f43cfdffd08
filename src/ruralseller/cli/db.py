"""``ruralseller db``: the schema steps of a store (a SQLite file or a PostgreSQL database).

``db status TARGET`` shows the step each part (the outbox, the order tables) is at and the
step this ruralseller brings it to, changing nothing; ``db upgrade TARGET`` applies the
missing steps (opening a store applies them too; an upgrade run first, by the database's
owner, lets the workers run with a role that may not change tables).
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ruralseller.cli._output import emit_json, format_option
from ruralseller.cli._output import out as _out
from ruralseller.cli._store import STORE, shown
from ruralseller.errors import StorageError
from ruralseller.orders import SCHEMA_VERSION, OrderStore
from ruralseller.publishing import Outbox, is_database_url, reached_steps, storage_errors
from ruralseller.publishing.outbox import SQLITE_STEPS
from ruralseller.publishing.pg_outbox import POSTGRES_STEPS
from ruralseller.publishing.postgres import PgDatabase, connect

__all__ = ["db"]


_TARGET_HELP = "TARGET is an outbox file, or a postgresql:// URL."


def _known(target: Path | str) -> dict[str, int]:
    """The step each component reaches with this ruralseller, on ``target``'s database."""
    outbox = len(POSTGRES_STEPS) if isinstance(target, str) else len(SQLITE_STEPS)
    return {"outbox": outbox, "orders": SCHEMA_VERSION}


def _reached(target: Path | str) -> dict[str, int]:
    """The steps ``target`` is at, read without changing anything."""
    if isinstance(target, str):
        with contextlib.closing(connect(target, what="store")) as connection:
            found = reached_steps(PgDatabase(connection))
            if "outbox" not in found:
                regclass = connection.execute("SELECT to_regclass('jobs')").fetchone()
                if regclass is not None and regclass[0] is not None:
                    raise StorageError(
                        shown(target),
                        "the database has a jobs table ruralseller did not make",
                        hint="use a database of ruralseller's own (see the how-to)",
                    )
            return found
    if not target.exists():
        raise StorageError(
            str(target),
            "there is no store here",
            hint="name the outbox file (default: CATALOG/.ruralseller/outbox.db)",
        )
    with (
        storage_errors(str(target), what="outbox"),
        contextlib.closing(sqlite3.connect(f"file:{target}?mode=ro", uri=True)) as connection,
    ):
        found = reached_steps(connection)
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    if "outbox" not in found and "jobs" in tables:
        found["outbox"] = 0  # an outbox written before schema steps were recorded
    return found


def _parts(
    target: Path | str, before: dict[str, int], after: dict[str, int]
) -> list[dict[str, object]]:
    """Each part of the store: its step, this ruralseller's, and what that means."""
    parts: list[dict[str, object]] = []
    for component, step in _known(target).items():
        at = after.get(component)
        if at is None:
            state = "not made"
        elif at > step:
            state = "newer"
        elif at < step:
            state = "to upgrade"
        elif before.get(component, 0) < at:
            state = "upgraded"
        else:
            state = "up to date"
        parts.append(
            {
                "part": component,
                "step": at,
                "latest": step,
                "state": state,
                "from": before.get(component, 0) if state == "upgraded" else None,
            }
        )
    return parts


_NOTES = {
    "not made": "not made yet (made when first used)",
    "newer": "[red]newer: upgrade ruralseller[/]",
    "to upgrade": "[yellow]to upgrade: ruralseller db upgrade[/]",
    "up to date": "[green]up to date[/]",
}


def _table(target: Path | str, parts: list[dict[str, object]]) -> Table:
    table = Table(title=shown(target))
    for column in ("part", "step", "this ruralseller", ""):
        table.add_column(column, no_wrap=True)
    for part in parts:
        state = str(part["state"])
        note = _NOTES.get(state, f"[green]upgraded from step {part['from']}[/]")
        step = "-" if part["step"] is None else str(part["step"])
        table.add_row(str(part["part"]), step, str(part["latest"]), note)
    return table


def _show(kind: str, target: Path | str, parts: list[dict[str, object]], fmt: str) -> None:
    if fmt == "json":
        emit_json(kind, {"store": shown(target), "parts": parts})
    else:
        _out.print(_table(target, parts))


@click.group(name="db")
def db() -> None:
    """The schema of a store: see its steps, apply the missing ones."""


@db.command(name="status", epilog=_TARGET_HELP)
@click.argument("target", type=STORE)
@format_option()
def status(target: Path | str, fmt: str) -> None:
    """Show the schema step of each part of a store, changing nothing.

    Exits 0 when every part is up to date (or not made yet), 1 when an upgrade is due, 2
    when the store cannot be read or is newer than this ruralseller.
    """
    found = _reached(target)
    _show("db.status", target, _parts(target, found, found), fmt)
    known = _known(target)
    if any(found.get(name, 0) > step for name, step in known.items()):
        raise SystemExit(2)
    raise SystemExit(
        1 if any(found[name] < step for name, step in known.items() if name in found) else 0
    )


@db.command(name="upgrade", epilog=_TARGET_HELP)
@click.argument("target", type=STORE)
@format_option()
def upgrade(target: Path | str, fmt: str) -> None:
    """Apply the schema steps a store lacks (made if it does not exist yet).

    The outbox's tables are made or upgraded; the order tables are upgraded when the store
    has them (the first `ruralseller stock` or `orders` command makes them). Steps run in one
    transaction under a lock, so running it while workers start is safe. Exits 0 when done,
    2 when the store cannot be used or is newer than this ruralseller.
    """
    before = _reached(target) if isinstance(target, str) or target.exists() else {}
    box = Outbox(target)
    try:
        if OrderStore.kept_in(box):
            OrderStore(box).close()
    finally:
        box.close()
    after = _reached(target)
    _show("db.upgrade", target, _parts(target, before, after), fmt)
    if fmt == "json":
        return
    if is_database_url(str(target)):
        _out.print("done; point --outbox at this URL (or run the workers)")
    else:
        _out.print(f"done; {escape(shown(target))} is up to date")

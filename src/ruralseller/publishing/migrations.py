"""Versioned schema steps for the stores, on SQLite and on PostgreSQL.

Each part of ruralseller that keeps tables (the outbox, the order tables) is a *component*
with a numbered list of steps per database; the step a database reached is one row of the
``ruralseller_schema`` table. Opening a store applies the steps it lacks, in order, in one
transaction under a lock (``BEGIN IMMEDIATE`` on SQLite, ``pg_advisory_xact_lock`` on
PostgreSQL), so two processes starting at once never apply a step twice; a database written
by a newer ruralseller (a step this one does not know) is refused, never rewritten.

A step is SQL (statements separated by ``;``) or a function of the connection, for a change
that depends on what is there. Add a step for a change; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from ruralseller.errors import StorageError
from ruralseller.publishing.postgres import Database

__all__ = ["SCHEMA_TABLE", "Step", "apply_steps", "reached_steps"]

#: The table recording the step each component reached.
SCHEMA_TABLE: Final = "ruralseller_schema"

#: One step: SQL statements separated by ``;``, or a function that changes the database.
Step = str | Callable[[Database], None]

# The key of PostgreSQL's advisory lock held while steps are applied ("rura" in ASCII).
_PG_LOCK: Final = 0x72757261


def _create_table(db: Database) -> None:
    db.execute(
        f"CREATE TABLE IF NOT EXISTS {SCHEMA_TABLE} "
        "(component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
    )


def reached_steps(db: Database) -> dict[str, int]:
    """The step each component reached (empty when the database has no schema table yet).

    ``db`` must be inside a transaction or able to read; nothing is created.
    """
    dialect = getattr(db, "dialect", "sqlite")
    if dialect == "postgresql":
        row = db.execute("SELECT to_regclass(?) IS NOT NULL", (SCHEMA_TABLE,)).fetchone()
    else:
        row = db.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
            (SCHEMA_TABLE,),
        ).fetchone()
    if not row[0]:
        return {}
    rows = db.execute(f"SELECT component, version FROM {SCHEMA_TABLE}").fetchall()  # noqa: S608
    return {str(component): int(version) for component, version in rows}


def apply_steps(
    db: Database,
    component: str,
    steps: Sequence[Step],
    *,
    where: str,
    what: str,
) -> tuple[int, int]:
    """Bring ``component`` up to ``len(steps)``, inside the caller's transaction.

    When steps are missing, PostgreSQL's transaction-scoped advisory lock is taken before
    they are applied (SQLite callers hold ``BEGIN IMMEDIATE`` already). Returns the step
    found and the step reached.

    Raises:
        StorageError: the database is at a later step than this ruralseller knows.
    """
    known = len(steps)
    # Read first, creating nothing: an up-to-date database needs no lock and no right to
    # change tables (workers may run as a role that can only read and write rows).
    found = reached_steps(db).get(component, 0)
    if found == known:
        return found, known
    if getattr(db, "dialect", "sqlite") == "postgresql":
        db.execute("SELECT pg_advisory_xact_lock(?)", (_PG_LOCK,))
        found = reached_steps(db).get(component, 0)  # as it stands under the lock
    if found > known:
        raise StorageError(
            where,
            f"the {what} was written by a newer ruralseller ({component} tables at step "
            f"{found}, this one knows {known})",
            hint="upgrade ruralseller (pip install -U ruralseller) on every computer using it",
        )
    _create_table(db)
    for step in steps[found:]:
        if callable(step):
            step(db)
            continue
        for statement in step.split(";"):
            if statement.strip():
                db.execute(statement)
    if found != known:
        db.execute(
            f"INSERT INTO {SCHEMA_TABLE} (component, version) VALUES (?, ?) "  # noqa: S608
            "ON CONFLICT (component) DO UPDATE SET version = excluded.version",
            (component, known),
        )
    return found, known

"""Naming a store on the command line: a path is a SQLite file, a URL a PostgreSQL database.

``--outbox outbox.db`` names a file; ``--outbox postgresql://seller@db.example/county`` (or
``postgres://…``) names a database. A URL is shown only with its password masked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ruralseller.publishing import is_database_url, redact_url

__all__ = ["STORE", "StoreTarget", "outbox_target", "shown", "store_exists"]


class StoreTarget(click.ParamType):  # type: ignore[type-arg]
    """A SQLite file's path (a :class:`~pathlib.Path`) or a PostgreSQL URL (a ``str``)."""

    name = "PATH|URL"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """The URL as given, or the path (refused when it is a folder)."""
        if isinstance(value, Path) or not is_database_url(str(value)):
            path = Path(value)
            if path.is_dir():
                self.fail(f"{str(path)!r} is a folder; name a file, e.g. outbox.db", param, ctx)
            return path
        return str(value)


#: The type of every ``--outbox`` (and ``db`` command) argument.
STORE = StoreTarget()


def outbox_target(catalog_path: Path, outbox: Path | str | None) -> Path | str:
    """The store given, or ``.ruralseller/outbox.db`` inside the catalogue folder."""
    return outbox or catalog_path / ".ruralseller" / "outbox.db"


def store_exists(target: Path | str) -> bool:
    """Whether the store may hold something: a file that exists, or any database URL."""
    if isinstance(target, str) and is_database_url(target):
        return True
    return Path(target).exists()


def shown(target: Path | str) -> str:
    """How to show ``target``: a path as it is, a URL with its password masked."""
    return redact_url(target) if isinstance(target, str) else str(target)

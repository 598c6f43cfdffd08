"""``--on YYYY-MM-DD``: every command whose answer depends on today takes the day to answer for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import click

__all__ = ["on_option", "today"]

F = TypeVar("F", bound=Callable[..., object])

ON_HELP = "Answer as of this day (YYYY-MM-DD), e.g. to see what sells next week. Default: today."


def on_option(command: F) -> F:
    """Add ``--on YYYY-MM-DD`` to a command, as the ``day`` parameter."""
    option = click.option(
        "--on", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, help=ON_HELP
    )
    return option(command)


def today(day: dt.datetime | dt.date | None) -> dt.date:
    """The day asked for with ``--on``, else today (UTC, as the library's default)."""
    if isinstance(day, dt.datetime):
        return day.date()
    if isinstance(day, dt.date):
        return day
    return dt.datetime.now(dt.UTC).date()

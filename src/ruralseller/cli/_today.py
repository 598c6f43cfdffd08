"""``--on YYYY-MM-DD``: every command whose answer depends on today takes the day to answer for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import click

from ruralseller.catalog import parse_duration
from ruralseller.compliance import DEFAULT_DELIVERY
from ruralseller.errors import RuralSellerError

__all__ = ["delivery_option", "on_option", "today"]

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


DELIVERY_HELP = (
    "The longest delivery to your buyers, e.g. '3 d' or '60 h', for the sell-by cut-off "
    "(printed date less this, less the offer's minimum remaining life). Default: 1 d."
)


def _delivery(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.timedelta:
    if value is None:
        return DEFAULT_DELIVERY
    try:
        return parse_duration(value)
    except RuralSellerError as exc:
        raise click.BadParameter(str(exc)) from None


def delivery_option(command: F) -> F:
    """Add ``--delivery DURATION`` to a command, as the ``delivery`` parameter."""
    option = click.option(
        "--delivery", "delivery", callback=_delivery, metavar="DURATION", help=DELIVERY_HELP
    )
    return option(command)

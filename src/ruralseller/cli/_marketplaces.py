"""Marketplace names on the command line: any case, and a did-you-mean for a typo."""

from __future__ import annotations

import difflib

import click

from ruralseller.marketplaces import marketplace_names

__all__ = ["marketplace_callback", "marketplace_name", "sold_on_callback"]


def marketplace_name(text: str) -> str:
    """The installed marketplace called ``text``, in any case (``Sandbox``, ``TAOBAO``).

    What follows a colon is kept as it is (``ebay:shop2``, an account). An unknown name is
    bad input, with the closest installed name.
    """
    name, colon, rest = text.partition(":")
    names = marketplace_names()
    found = name if name in names else {n.lower(): n for n in names}.get(name.strip().lower())
    if found is None:
        close = difflib.get_close_matches(name.strip().lower(), names, n=1)
        raise click.BadParameter(
            f"no marketplace adapter is called {name!r}"
            + (f" (did you mean {close[0]!r}?)" if close else "")
            + f"; installed: {', '.join(names)}"
        )
    return f"{found}{colon}{rest}"


def marketplace_callback(
    _ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    """A click callback: the option's marketplace, as :func:`marketplace_name` finds it."""
    if value is None:
        return None
    try:
        return marketplace_name(value)
    except click.BadParameter as exc:
        raise click.BadParameter(exc.message, param=param) from None


def sold_on_callback(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """An installed marketplace's own spelling; another name (not installed here) as given."""
    if value is None:
        return None
    names = {name.lower(): name for name in marketplace_names()}
    return names.get(value.strip().lower(), value)

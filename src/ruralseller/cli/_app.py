"""The ``ruralseller`` group: where each command lives, loaded when it is asked for.

A command group is one module of :mod:`ruralseller.cli`; it registers with one line in
:data:`COMMANDS` (name -> ``"module:attribute"``). Other packages add commands through the
``ruralseller.cli`` entry-point group (``ruralseller sandbox`` lives with the sandbox, which
the CLI may not import).
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points

import click

from ruralseller import __version__
from ruralseller.cli._errors import GuardedGroup

__all__ = ["COMMANDS", "COMMANDS_GROUP", "cli"]

#: Packages add ``ruralseller`` subcommands through this entry-point group; ours use it too.
COMMANDS_GROUP = "ruralseller.cli"

#: Our commands: name -> where the click command is, imported on first use.
COMMANDS: dict[str, str] = {
    "accounts": "ruralseller.cli.accounts:accounts",
    "certificate": "ruralseller.cli.certificate:certificate",
    "check": "ruralseller.cli.compliance:check_command",
    "db": "ruralseller.cli.db:db",
    "init": "ruralseller.cli.catalog:init",
    "label": "ruralseller.cli.packaging:label",
    "marketplaces": "ruralseller.cli.publishing:marketplaces_command",
    "orders": "ruralseller.cli.orders:orders",
    "outbox": "ruralseller.cli.publishing:outbox_command",
    "pack": "ruralseller.cli.packaging:pack",
    "plan": "ruralseller.cli.shipping:plan_command",
    "publish": "ruralseller.cli.publishing:publish",
    "render": "ruralseller.cli.listing:render",
    "rules": "ruralseller.cli.compliance:rules",
    "schema": "ruralseller.cli.catalog:schema",
    "settle": "ruralseller.cli.orders:settle_command",
    "status": "ruralseller.cli.status:status",
    "stock": "ruralseller.cli.orders:stock",
    "sync": "ruralseller.cli.publishing:sync",
    "trace": "ruralseller.cli.listing:trace",
    "worker": "ruralseller.cli.worker:worker",
    "validate": "ruralseller.cli.catalog:validate",
    "withdraw": "ruralseller.cli.publishing:withdraw",
}


def _load(target: str) -> click.Command:
    module, _, attribute = target.partition(":")
    command = getattr(importlib.import_module(module), attribute)
    if not isinstance(command, click.Command):  # pragma: no cover - a mistake in COMMANDS
        raise TypeError(f"{target} is not a click command")
    return command


class _PluginGroup(GuardedGroup):
    """A click group of our commands and those registered as entry points, loaded lazily."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        plugins = {point.name for point in entry_points(group=COMMANDS_GROUP)}
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS) | plugins)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        if cmd_name in COMMANDS:
            return _load(COMMANDS[cmd_name])
        for point in entry_points(group=COMMANDS_GROUP, name=cmd_name):
            try:
                loaded = point.load()
            except ImportError as exc:
                extra = f"ruralseller[{cmd_name}]"
                raise click.UsageError(
                    f"`ruralseller {cmd_name}` needs packages that are not installed "
                    f'({exc}); install them with: pip install "{extra}"'
                ) from None
            if isinstance(loaded, click.Command):
                return loaded
        return None


@click.group(cls=_PluginGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="ruralseller")
def cli() -> None:
    """ruralseller: from the farm gate to a published listing.

    Start with `ruralseller init my-farm`, edit my-farm/catalog.toml, then
    `ruralseller validate my-farm`.

    Exit status: 0 done (the answer is yes), 1 the answer is no (problems found, a sale
    blocked, a listing failed), 2 bad input, 130 interrupted, 70 a bug in ruralseller.
    """

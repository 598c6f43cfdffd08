"""``ruralseller accounts``: save a marketplace account once, then publish with ``--to NAME``.

``add`` saves an account's settings (secrets in the system keyring, or else in a file only
the user may read), ``list`` shows them without a secret, ``remove`` forgets one, and
``test`` makes one harmless authenticated read and says what is wrong. Every command that
takes ``--to MARKETPLACE[:ACCOUNT]`` starts from the saved account (``default`` when none is
named); the environment and ``-o KEY=VALUE`` still override it, in that order.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import attrs
import click
from rich.markup import escape
from rich.table import Table

from ruralseller.cli._marketplaces import marketplace_name
from ruralseller.cli._output import err as _err
from ruralseller.cli._output import out as _out
from ruralseller.errors import InvalidValueError, MarketplaceError
from ruralseller.marketplaces import (
    AccountStore,
    Driver,
    SavedAccount,
    account_settings,
    diagnose,
    get_marketplace,
    load_marketplace,
    queue_name,
    redact_text,
    secret_fields,
    settings_from_environment,
    settings_from_text,
    split_target,
)

__all__ = [
    "account_queue",
    "accounts",
    "marketplace_target",
    "saved_settings",
    "selected_account",
]


# Where the ``--to`` callback leaves the account it was given, for the settings to start from.
_ACCOUNT = "ruralseller.account"
LIST_FORMAT = "ruralseller.accounts/1"
ACCOUNT_FORMAT = "ruralseller.account/1"
TEST_FORMAT = "ruralseller.account-test/1"


def marketplace_target(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A ``--to MARKETPLACE[:ACCOUNT]`` callback: the installed marketplace's name.

    The marketplace is matched in any case, with a did-you-mean for a typo
    (:func:`~ruralseller.cli._marketplaces.marketplace_name`); the account named after the
    colon is kept for :func:`saved_settings`.
    """
    if value is None:
        return None
    name, colon, rest = value.partition(":")
    try:
        marketplace = marketplace_name(name)
        _, account = split_target(f"{marketplace}{colon}{rest}")
    except click.BadParameter as exc:
        raise click.BadParameter(exc.message, ctx=ctx, param=param) from None
    except InvalidValueError as exc:
        raise click.BadParameter(exc.message, ctx=ctx, param=param) from None
    ctx.meta[_ACCOUNT] = account if colon else None
    return marketplace


def selected_account() -> str | None:
    """The account ``--to MARKETPLACE:ACCOUNT`` named in this command, if any."""
    ctx = click.get_current_context(silent=True)
    account: str | None = ctx.meta.get(_ACCOUNT) if ctx is not None else None
    return account


def account_queue(marketplace: str) -> str:
    """The outbox queue of the account ``--to MARKETPLACE[:ACCOUNT]`` named in this command.

    ``ebay`` for the default account (as outboxes have always had it), ``ebay:shop2`` for
    another: each account sends only its own jobs, with its own credentials.
    """
    return queue_name(marketplace, selected_account())


def saved_settings(
    marketplace: str, options: dict[str, str], *, account: str | None = None
) -> dict[str, str]:
    """The settings as text: the saved account < ``RURALSELLER_*`` variables < ``-o``.

    The account is ``account`` when given, else the one ``--to MARKETPLACE:ACCOUNT`` named.
    """
    chosen = account if account is not None else selected_account()
    return account_settings(marketplace, chosen, options=options)


def _pairs(options: tuple[str, ...]) -> dict[str, str]:
    given: dict[str, str] = {}
    for option in options:
        key, sep, value = option.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(
                f"expected KEY=VALUE, e.g. base_url=http://127.0.0.1:8765, got {option!r}",
                param_hint="--option",
            )
        given[key.strip()] = value.strip()
    return given


def _target(marketplace: str, name: str | None) -> tuple[str, str]:
    try:
        adapter, account = split_target(marketplace)
        if name is not None:
            adapter, account = split_target(f"{adapter}:{name}")
        load_marketplace(adapter)  # an unknown one lists what is installed
    except InvalidValueError as exc:
        hint = f" ({exc.hint})" if exc.hint else ""
        raise click.BadParameter(exc.message + hint, param_hint="MARKETPLACE") from None
    return adapter, account


def _required(marketplace: str) -> tuple[str, ...]:
    cls = load_marketplace(marketplace)
    if isinstance(cls, type) and issubclass(cls, Driver):
        return tuple(f.name for f in attrs.fields(cls.settings_class) if f.default is attrs.NOTHING)
    return ()


def _secrets_with_a_value(marketplace: str) -> tuple[str, ...]:
    """Secrets that are not required but have a value of their own (the sandbox's demo one)."""
    cls = load_marketplace(marketplace)
    if isinstance(cls, type) and issubclass(cls, Driver):
        secrets = set(secret_fields(marketplace))
        return tuple(
            f.name
            for f in attrs.fields(cls.settings_class)
            if f.name in secrets and f.default not in (attrs.NOTHING, None)
        )
    return ()


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
_NAME = click.option(
    "--name",
    help="The account's name (default: `default`); publish to it with --to MARKETPLACE:NAME.",
)
_OPTIONS = click.option(
    "-o",
    "--option",
    "options",
    multiple=True,
    metavar="KEY=VALUE",
    help="An adapter setting (repeatable). Leave secrets out to be asked for them, hidden.",
)


@click.group()
def accounts() -> None:
    """Save a marketplace account once, then publish with `--to MARKETPLACE[:NAME]`.

    Settings go in your config folder (RURALSELLER_CONFIG_DIR overrides it), secrets in the
    system keyring, or else in a file only you may read. `-o KEY=VALUE` and
    RURALSELLER_<MARKETPLACE>_<KEY> variables still override a saved account.
    """


@accounts.command(name="add")
@click.argument("marketplace")
@_NAME
@_OPTIONS
@click.option(
    "--from-env",
    is_flag=True,
    help="Also save the RURALSELLER_<MARKETPLACE>_<KEY> variables set now (-o wins).",
)
@click.option(
    "--prompt/--no-prompt",
    default=None,
    help="Ask for missing required settings (secrets hidden). Default: when run in a terminal.",
)
@_FORMAT
def add(
    marketplace: str,
    name: str | None,
    options: tuple[str, ...],
    from_env: bool,
    prompt: bool | None,
    fmt: str,
) -> None:
    """Save (or replace) an account of MARKETPLACE, checked as the adapter's settings.

    Exits 0 when saved, 2 when a setting is missing, unknown or invalid.
    """
    adapter, account = _target(marketplace, name)
    values = {**(settings_from_environment(adapter) if from_env else {}), **_pairs(options)}
    secrets = set(secret_fields(adapter))
    _ask_for_missing(adapter, values, secrets, _interactive() if prompt is None else prompt)
    try:
        saved = AccountStore().save(adapter, account, values)
    except InvalidValueError as exc:
        hint = f" ({exc.hint})" if exc.hint else ""
        raise click.BadParameter(exc.message + hint, param_hint="--option") from None
    _report_saved(saved, sorted(secrets & set(_pairs(options))), fmt)


def _ask_for_missing(adapter: str, values: dict[str, str], secrets: set[str], ask: bool) -> None:
    """Ask for the required settings not given (secrets hidden), or say which are missing."""
    missing = [field for field in _required(adapter) if field not in values]
    if missing and not ask:
        first = missing[0]
        raise click.UsageError(
            f"the {adapter} adapter needs {', '.join(missing)}: give "
            + (
                f"{first} with -o {first}=... "
                if first not in secrets
                else f"{first} by running this in a terminal to be asked for it (hidden), "
                f"with --prompt to read it from standard input, or with -o {first}=... "
            )
            + "(or --from-env)"
        )
    for field in missing:
        hidden = field in secrets
        values[field] = click.prompt(
            f"{adapter} {field}" + (" (hidden)" if hidden else ""), hide_input=hidden, err=True
        ).strip()
    for field in _secrets_with_a_value(adapter) if ask else ():
        if field not in values:
            answer = click.prompt(
                f"{adapter} {field} (hidden; Enter keeps the built-in one)",
                default="",
                show_default=False,
                hide_input=True,
                err=True,
            ).strip()
            if answer:
                values[field] = answer


def _report_saved(saved: SavedAccount, on_command_line: list[str], fmt: str) -> None:
    storage = saved.secret_storage
    if fmt == "json":
        body = {
            "format": ACCOUNT_FORMAT,
            "saved": True,
            **_row(saved, tuple(sorted(saved.secrets))),
        }
        click.echo(json.dumps({**body, "why_file": storage.reason or None}, indent=2))
    else:
        where = "the system keyring" if storage.where == "keyring" else escape(str(storage.path))
        _out.print(
            f"saved {escape(saved.target)}: settings in {escape(str(saved.path))}, "
            f"secrets in {where}"
        )
    if storage.where == "file" and saved.secrets:
        _err.print(
            f"[yellow]warning:[/] the secrets are kept in {escape(str(storage.path))}, readable "
            f"by you only (mode 0600), because {escape(storage.reason)}; anyone who can act as "
            "you or read your backups can read them. Install a keyring backend (see the docs: "
            "Save a marketplace account once) and add the account again to move them into a "
            "keyring."
        )
    if on_command_line:
        _err.print(
            f"[yellow]note:[/] {', '.join(on_command_line)} came from the command line, which "
            "your shell history may keep; next time leave secrets out to be asked for them."
        )
    if fmt != "json":
        _out.print(f"publish with: ruralseller publish CATALOG --to {escape(_to(saved))}")


def _to(saved: SavedAccount) -> str:
    return saved.marketplace if saved.name == "default" else saved.target


def _row(saved: SavedAccount, secrets: tuple[str, ...]) -> dict[str, Any]:
    storage = saved.secret_storage
    return {
        "marketplace": saved.marketplace,
        "name": saved.name,
        "to": _to(saved),
        "settings": dict(saved.settings),
        "secrets": list(secrets),
        "secrets_in": storage.where,
        "secrets_file": str(storage.path) if storage.path is not None else None,
        "path": str(saved.path),
    }


@accounts.command(name="list")
@click.argument("marketplace", required=False)
@_FORMAT
def list_command(marketplace: str | None, fmt: str) -> None:
    """List the saved accounts (of MARKETPLACE), their settings and where their secrets are.

    Secrets are never shown, nor read: listing does not unlock a keyring.
    """
    store = AccountStore()
    adapter = _target(marketplace, None)[0] if marketplace else None
    rows = [
        _row(saved, store.secret_names(saved.marketplace, saved.name))
        for saved in store.accounts(adapter)
    ]
    if fmt == "json":
        click.echo(
            json.dumps(
                {"format": LIST_FORMAT, "folder": str(store.folder), "accounts": rows},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not rows:
        _out.print(
            f"no accounts saved in {escape(str(store.folder))}; "
            "add one with `ruralseller accounts add MARKETPLACE`"
        )
        return
    table = Table(title=f"accounts in {escape(str(store.folder))}")
    table.add_column("--to", no_wrap=True)
    table.add_column("settings")
    table.add_column("secrets (where)")
    for row in rows:
        where = "keyring" if row["secrets_in"] == "keyring" else f"file {row['secrets_file']}"
        table.add_row(
            escape(row["to"]),
            escape(", ".join(f"{k}={v}" for k, v in row["settings"].items())),
            escape(f"{', '.join(row['secrets']) or 'none'} ({where})"),
        )
    _out.print(table)


@accounts.command(name="remove")
@click.argument("marketplace")
@_NAME
@_FORMAT
def remove(marketplace: str, name: str | None, fmt: str) -> None:
    """Forget an account of MARKETPLACE and its secrets.

    Exits 0 when removed, 1 when no such account is saved.
    """
    adapter, account = _target(marketplace, name)
    removed = AccountStore().remove(adapter, account)
    if fmt == "json":
        body = {"format": ACCOUNT_FORMAT, "account": f"{adapter}:{account}", "removed": removed}
        click.echo(json.dumps(body, indent=2))
    elif removed:
        _out.print(f"removed {escape(adapter)}:{escape(account)} and its secrets")
    else:
        _err.print(f"no {escape(adapter)} account is saved as {escape(account)!r}; nothing removed")
    if not removed:
        raise SystemExit(1)


@accounts.command(name="test")
@click.argument("marketplace")
@_NAME
@_OPTIONS
@_FORMAT
def test_command(marketplace: str, name: str | None, options: tuple[str, ...], fmt: str) -> None:
    """Check an account with one harmless authenticated read (it changes nothing).

    Uses the saved account, overridden by RURALSELLER_<MARKETPLACE>_<KEY> variables and -o.
    Exits 0 when the marketplace accepted the credentials, 1 when it did not or could not
    be reached (saying which: credentials, permission, network or the marketplace), 2 on
    bad input.
    """
    adapter_name, account = _target(marketplace, name)
    chosen = account if (name is not None or ":" in marketplace) else None
    try:
        text = account_settings(adapter_name, chosen, options=_pairs(options))
        adapter = get_marketplace(adapter_name, **settings_from_text(adapter_name, text))
    except InvalidValueError as exc:
        hint = f" ({exc.hint})" if exc.hint else ""
        raise click.BadParameter(exc.message + hint, param_hint="--option") from None
    target = f"{adapter_name}:{account}"

    async def run() -> Any:
        try:
            return await adapter.check_account()  # type: ignore[attr-defined]
        finally:
            await adapter.aclose()

    if not callable(getattr(adapter, "check_account", None)):
        closing = getattr(adapter, "aclose", None)
        if closing is not None:
            asyncio.run(closing())
        raise click.UsageError(f"the {adapter_name} adapter cannot test an account")
    try:
        check = asyncio.run(run())
    except NotImplementedError as exc:
        raise click.UsageError(str(exc)) from None
    except MarketplaceError as exc:
        trouble, advice = diagnose(exc)
        message = redact_text(str(exc))  # the HTTP layer scrubbed it; once more costs nothing
        if fmt == "json":
            body = {"format": TEST_FORMAT, "account": target, "ok": False, "trouble": trouble}
            click.echo(json.dumps({**body, "advice": advice, "message": message}, indent=2))
        else:
            _err.print(f"[red]{escape(target)}: {trouble}:[/] {escape(advice)}")
            _err.print(f"  {escape(message)}")
        raise SystemExit(1) from None
    if fmt == "json":
        body = {"format": TEST_FORMAT, "account": target, "ok": True, "trouble": None}
        click.echo(json.dumps({**body, "as": check.account, "call": check.call}, indent=2))
        return
    who = f" as {escape(check.account)}" if check.account else ""
    _out.print(
        f"[green]ok:[/] {escape(target)}: {escape(adapter_name)} accepted the credentials{who}"
        f" ({escape(check.call)})"
    )

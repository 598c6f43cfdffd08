"""Marketplace accounts saved once: settings in the user's config folder, secrets in a keyring.

A partner who sells on eBay from two shops should not type eight ``-o`` options, or export
eight environment variables, for every publish. :class:`AccountStore` keeps each account's
settings under a name (``default`` unless told otherwise):

* the plain settings (ids, base URL, policies) in a TOML file in the user's config folder,
  found with platformdirs (``~/.config/ruralseller/accounts/<marketplace>/<name>.toml`` on
  Linux), or in the folder named by ``RURALSELLER_CONFIG_DIR``;
* the secrets, the settings an adapter types as :class:`~ruralseller.marketplaces.Secret`
  (API secrets, refresh tokens), in the system keyring through the keyring library (macOS
  Keychain, Windows Credential Locker, the freedesktop Secret Service); where no usable
  keyring exists (a headless server), in a file beside the settings that only the user may
  read (mode 0600, checked each time it is read), and :attr:`SavedAccount.secret_storage`
  says where and why, for the caller to warn.

Every file is written whole or not at all (a temporary file in the same folder, flushed to
disk, then renamed over the old one), and the settings file is written last: an account
whose secrets could not be stored does not exist.

:func:`account_settings` merges an account with the environment and explicit options, in
that order of strength: ``-o KEY=VALUE`` beats ``RURALSELLER_<MARKETPLACE>_<KEY>``, which
beats the saved account.

Example:
    >>> import tempfile, keyring.backends.fail
    >>> folder = tempfile.TemporaryDirectory()
    >>> store = AccountStore(folder.name, keyring=keyring.backends.fail.Keyring())
    >>> saved = store.save("Sandbox", "shop2", {"key_id": "shop2", "secret": "s3cret-shop2"})
    >>> saved.marketplace, saved.name, saved.settings, saved.secrets
    ('sandbox', 'shop2', {'key_id': 'shop2'}, {'secret': Secret('********')})
    >>> saved.secret_storage.where
    'file'
    >>> split_target("Sandbox:shop2"), split_target("ebay")
    (('sandbox', 'shop2'), ('ebay', 'default'))
    >>> account_settings("sandbox", "shop2", options={"key_id": "other"}, environ={}, store=store)
    {'key_id': 'other', 'secret': 's3cret-shop2'}
    >>> folder.cleanup()
"""

from __future__ import annotations

import contextlib
import inspect
import os
import re
import stat
import tempfile
import tomllib
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import attrs
import cattrs
import platformdirs
import tomli_w

from ruralseller.errors import (
    InvalidValueError,
    MarketplaceAuthError,
    MarketplaceError,
    MarketplaceUnavailableError,
    RateLimitedError,
    StorageError,
)
from ruralseller.marketplaces.driver import Driver
from ruralseller.marketplaces.registry import (
    load_marketplace,
    settings_from_environment,
    settings_from_text,
)
from ruralseller.marketplaces.secrets import Secret

if typing.TYPE_CHECKING:
    from keyring.backend import KeyringBackend

__all__ = [
    "CONFIG_DIR_VARIABLE",
    "DEFAULT_ACCOUNT",
    "KEYRING_SERVICE",
    "AccountStore",
    "SavedAccount",
    "SecretStorage",
    "account_settings",
    "config_dir",
    "diagnose",
    "queue_name",
    "secret_fields",
    "split_queue",
    "split_target",
]

#: The account used when none is named (``--to ebay`` is ``--to ebay:default``).
DEFAULT_ACCOUNT = "default"
#: The environment variable naming a config folder to use instead of the user's.
CONFIG_DIR_VARIABLE = "RURALSELLER_CONFIG_DIR"
#: The keyring "service" our secrets are filed under (each entry: ``marketplace/name/field``).
KEYRING_SERVICE = "ruralseller"

# Account and marketplace names become file names: keep them to a safe, portable alphabet.
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.\-]{0,63}$")
_SECRETS_SUFFIX = ".secrets.toml"
# Group and other may not read, write or enter the secrets file (as ssh insists of its keys).
_PRIVATE_BITS = stat.S_IRWXG | stat.S_IRWXO


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The folder ruralseller keeps the user's configuration in.

    ``RURALSELLER_CONFIG_DIR`` when set (tests, several setups on one machine), else the
    platform's user config folder (platformdirs): ``~/.config/ruralseller`` on Linux,
    ``~/Library/Application Support/ruralseller`` on macOS, ``%APPDATA%/ruralseller`` on
    Windows.

    >>> config_dir({"RURALSELLER_CONFIG_DIR": "/srv/coop/ruralseller"}).as_posix()
    '/srv/coop/ruralseller'
    """
    source = os.environ if environ is None else environ
    override = source.get(CONFIG_DIR_VARIABLE, "").strip()
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path("ruralseller", appauthor=False, roaming=True)


def _checked_name(text: str, what: str) -> str:
    name = text.strip().lower()
    if not _NAME.match(name):
        raise InvalidValueError(
            f"{text!r} is not a usable {what} name: use letters, digits, '.', '_' or '-' "
            "(up to 64, starting with a letter or digit)",
            field=what,
            hint=f"e.g. {'shop2' if what == 'account' else 'ebay'}",
        )
    return name


def split_target(text: str) -> tuple[str, str]:
    """``MARKETPLACE[:ACCOUNT]`` as the marketplace and the account, both in lower case.

    Marketplace and account names are case-insensitive; no account means ``default``.

    >>> split_target("eBay:Shop2")
    ('ebay', 'shop2')
    >>> split_target("ebay:")
    Traceback (most recent call last):
    ...
    ruralseller.errors.InvalidValueError: '' is not a usable account name: use letters, ...
    """
    marketplace, sep, account = text.partition(":")
    return (
        _checked_name(marketplace, "marketplace"),
        _checked_name(account, "account") if sep else DEFAULT_ACCOUNT,
    )


def queue_name(marketplace: str, account: str | None = None) -> str:
    """The outbox queue of ``account`` on ``marketplace``: one queue per account.

    The default account's queue is the marketplace's own name, as every outbox written
    before accounts existed has it; another account's is ``MARKETPLACE:ACCOUNT``, the same
    text ``--to`` takes, so two accounts keep their jobs (and SKUs) apart in one outbox.

    >>> queue_name("ebay"), queue_name("ebay", "default"), queue_name("ebay", "Shop2")
    ('ebay', 'ebay', 'ebay:shop2')

    Raises:
        InvalidValueError: ``account`` is not a usable account name.
    """
    if account is None:
        return marketplace
    checked = _checked_name(account, "account")
    return marketplace if checked == DEFAULT_ACCOUNT else f"{marketplace}:{checked}"


def split_queue(queue: str) -> tuple[str, str]:
    """An outbox queue as the marketplace and the account it sends for (see :func:`queue_name`).

    A queue without a colon (an outbox written before accounts, or a channel name of its own)
    is the ``default`` account's.

    >>> split_queue("ebay:shop2"), split_queue("ebay")
    (('ebay', 'shop2'), ('ebay', 'default'))
    """
    marketplace, sep, account = queue.partition(":")
    return marketplace, account if sep and account else DEFAULT_ACCOUNT


def _is_secret_type(kind: Any) -> bool:
    return kind is Secret or Secret in typing.get_args(kind)


def secret_fields(marketplace: str) -> tuple[str, ...]:
    """The settings of adapter ``marketplace`` that are secrets, in the adapter's order.

    A setting is secret when the adapter types it :class:`~ruralseller.marketplaces.Secret`
    (or ``Secret | None``): a :class:`~ruralseller.marketplaces.Driver`'s settings class, or
    a third-party adapter's constructor annotations.

    >>> secret_fields("ebay")
    ('client_secret', 'refresh_token', 'access_token')
    """
    cls = load_marketplace(marketplace)
    if isinstance(cls, type) and issubclass(cls, Driver):
        settings = attrs.resolve_types(cls.settings_class)
        return tuple(f.name for f in attrs.fields(settings) if _is_secret_type(f.type))
    try:
        hints = typing.get_type_hints(cls.__init__)
    except (NameError, TypeError):
        hints = {}
    names = [key for key in inspect.signature(cls.__init__).parameters if key != "self"]
    return tuple(key for key in names if _is_secret_type(hints.get(key)))


@attrs.frozen(kw_only=True)
class SecretStorage:
    """Where an account's secrets are kept, and why there.

    Attributes:
        where: ``"keyring"`` (the system keyring) or ``"file"`` (:attr:`path`, mode 0600).
        path: the secrets file, when :attr:`where` is ``"file"``.
        reason: why the keyring was not used (empty when it was).
    """

    where: Literal["keyring", "file"]
    path: Path | None = None
    reason: str = ""


@attrs.frozen(kw_only=True)
class SavedAccount:
    """One saved account of one marketplace.

    Attributes:
        marketplace: the adapter's name, e.g. ``"ebay"``.
        name: the account's name, e.g. ``"default"`` or ``"shop2"``.
        settings: the plain settings, as text.
        secrets: the secret settings; each shows only stars.
        secret_storage: where the secrets are kept.
        path: the account's settings file.
    """

    marketplace: str
    name: str
    settings: Mapping[str, str]
    secrets: Mapping[str, Secret] = attrs.field(repr=lambda value: repr(sorted(value)))
    secret_storage: SecretStorage
    path: Path

    @property
    def target(self) -> str:
        """``marketplace:name``, as ``--to`` takes it."""
        return f"{self.marketplace}:{self.name}"

    def values(self) -> dict[str, str]:
        """Every setting as text, secrets revealed: for the adapter, never for showing."""
        return {**self.settings, **{k: v.reveal() for k, v in self.secrets.items()}}


@attrs.frozen(kw_only=True)
class _AccountFile:
    """What an account's settings file holds (its secrets are elsewhere)."""

    marketplace: str
    name: str
    secrets_in: Literal["keyring", "file"] = "keyring"
    secret_fields: tuple[str, ...] = ()
    settings: dict[str, str] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class _SecretsFile:
    secrets: dict[str, str] = attrs.field(factory=dict)


# One converter for the account files (TOML): unknown keys are refused, not dropped.
_FILES = cattrs.Converter(forbid_extra_keys=True)

_HEADER = (
    "# A ruralseller marketplace account, written by `ruralseller accounts add`.\n"
    "# Its secrets are not in this file: see secrets_in.\n"
)
_SECRETS_HEADER = (
    "# The secrets of a ruralseller marketplace account, kept here because no system\n"
    "# keyring was usable. Only you may read this file (mode 0600); keep it so.\n"
)


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all, readable by the user only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if os.name == "posix":  # the rename is durable once the folder is synced
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _check_private(path: Path) -> None:
    """Refuse a secrets file others may read or that another user owns (POSIX only)."""
    if os.name != "posix":  # Windows: the file lives in the user's own profile folder
        return
    info = path.stat()
    if info.st_mode & _PRIVATE_BITS or info.st_uid != os.getuid():
        raise StorageError(
            str(path),
            "it holds marketplace secrets but others may read it "
            f"(mode {stat.S_IMODE(info.st_mode):04o}, owner uid {info.st_uid}); "
            "secrets there may have been seen",
            hint=f"run `chmod 600 {path}` and change the credentials it holds, "
            "or remove the account and add it again",
        )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise StorageError(
            str(path),
            f"the account file cannot be read: {exc}",
            hint="remove it with `ruralseller accounts remove` and add the account again",
        ) from None


def _keyring_user(marketplace: str, name: str, field: str) -> str:
    return f"{marketplace}/{name}/{field}"


class AccountStore:
    """Saved marketplace accounts, in ``folder`` and the system keyring.

    Args:
        folder: the config folder (:func:`config_dir` when None); accounts live in its
            ``accounts`` sub-folder.
        keyring: the keyring backend to keep secrets in (keyring's configured one when
            None); a backend that cannot hold secrets (keyring's ``fail`` or ``null``) makes
            the store keep them in a file readable by the user only.
    """

    def __init__(
        self, folder: str | Path | None = None, *, keyring: KeyringBackend | None = None
    ) -> None:
        self.folder = Path(folder) if folder is not None else config_dir()
        self._keyring = keyring

    def __repr__(self) -> str:
        return f"AccountStore({str(self.folder)!r})"

    @property
    def keyring(self) -> KeyringBackend:
        """The keyring backend in use."""
        if self._keyring is None:
            import keyring  # noqa: PLC0415 - finding the system's backend takes a while

            self._keyring = keyring.get_keyring()
        return self._keyring

    def keyring_problem(self) -> str:
        """Why the keyring cannot hold secrets, or ``""`` when it can."""
        backend = self.keyring
        try:
            priority = float(backend.priority)
        except Exception as exc:  # noqa: BLE001 - a backend that cannot say is not usable
            return f"the keyring backend {type(backend).__name__} is not usable ({exc})"
        if priority <= 0:
            return (
                "no system keyring is available here "
                f"(keyring's backend is {type(backend).__module__}.{type(backend).__name__})"
            )
        return ""

    def _path(self, marketplace: str, name: str) -> Path:
        return self.folder / "accounts" / marketplace / f"{name}.toml"

    def _secrets_path(self, marketplace: str, name: str) -> Path:
        return self.folder / "accounts" / marketplace / f"{name}{_SECRETS_SUFFIX}"

    # --- writing -------------------------------------------------------------------------

    def save(self, marketplace: str, name: str, values: Mapping[str, str]) -> SavedAccount:
        """Save (or replace) account ``name`` of ``marketplace`` with ``values`` (as text).

        The values are checked as the adapter's settings first (every required one given,
        none unknown, each of its type), so a saved account is one the adapter accepts.

        Raises:
            InvalidValueError: a bad marketplace or account name, or bad settings (naming
                each and how to fix it).
            StorageError: the config folder or the keyring cannot be written.
        """
        marketplace, name = (
            _checked_name(marketplace, "marketplace"),
            _checked_name(name, "account"),
        )
        values = {key: str(value) for key, value in values.items()}
        settings_from_text(marketplace, values)  # refuses, naming the bad setting
        secret_names = set(secret_fields(marketplace))
        secrets = {k: v for k, v in values.items() if k in secret_names}
        plain = {k: v for k, v in values.items() if k not in secret_names}
        old = self._file(marketplace, name)
        problem = self.keyring_problem()
        storage = SecretStorage(where="keyring") if not problem else self._secrets_to_file(problem)
        if storage.where == "keyring":
            try:
                self._to_keyring(marketplace, name, secrets)
            except Exception as exc:  # noqa: BLE001 - any keyring failure: fall back to the file
                storage = self._secrets_to_file(f"the system keyring refused to store them ({exc})")
        if storage.where == "file":
            path = self._secrets_path(marketplace, name)
            storage = attrs.evolve(storage, path=path)
            text = tomli_w.dumps(_FILES.unstructure(_SecretsFile(secrets=secrets)))
            self._write(path, _SECRETS_HEADER + text, f"{marketplace}:{name}")
            _check_private(path)
        record_target = f"{marketplace}:{name}"
        record = _AccountFile(
            marketplace=marketplace,
            name=name,
            secrets_in=storage.where,
            secret_fields=tuple(sorted(secrets)),
            settings=plain,
        )
        path = self._path(marketplace, name)
        self._write(path, _HEADER + tomli_w.dumps(_FILES.unstructure(record)), record_target)
        self._forget_stale(old, record)
        return SavedAccount(
            marketplace=marketplace,
            name=name,
            settings=plain,
            secrets={k: Secret(v) for k, v in secrets.items()},
            secret_storage=storage,
            path=path,
        )

    @staticmethod
    def _write(path: Path, text: str, target: str) -> None:
        try:
            _write_atomically(path, text)
        except OSError as exc:
            raise StorageError(
                str(path),
                f"the account {target} cannot be saved: {exc}",
                hint=f"check that the folder can be written, or set {CONFIG_DIR_VARIABLE}",
            ) from None

    @staticmethod
    def _secrets_to_file(reason: str) -> SecretStorage:
        return SecretStorage(where="file", reason=reason)

    def _to_keyring(self, marketplace: str, name: str, secrets: Mapping[str, str]) -> None:
        written: list[str] = []
        try:
            for field, value in secrets.items():
                user = _keyring_user(marketplace, name, field)
                self.keyring.set_password(KEYRING_SERVICE, user, value)
                written.append(user)
        except BaseException:
            for user in written:  # all or nothing
                with contextlib.suppress(Exception):
                    self.keyring.delete_password(KEYRING_SERVICE, user)
            raise

    def _forget_stale(self, old: _AccountFile | None, new: _AccountFile) -> None:
        """Remove secrets the new version of an account no longer keeps where the old one did."""
        if old is None:
            return
        if old.secrets_in == "file" and new.secrets_in != "file":
            self._secrets_path(new.marketplace, new.name).unlink(missing_ok=True)
        if old.secrets_in == "keyring":
            kept = set(new.secret_fields) if new.secrets_in == "keyring" else set()
            self._delete_from_keyring(new.marketplace, new.name, set(old.secret_fields) - kept)

    def _delete_from_keyring(self, marketplace: str, name: str, fields: set[str]) -> None:
        for field in sorted(fields):
            with contextlib.suppress(Exception):  # already gone, or no keyring: nothing to keep
                self.keyring.delete_password(
                    KEYRING_SERVICE, _keyring_user(marketplace, name, field)
                )

    def remove(self, marketplace: str, name: str = DEFAULT_ACCOUNT) -> bool:
        """Forget account ``name`` of ``marketplace`` and its secrets; False if there was none."""
        marketplace, name = (
            _checked_name(marketplace, "marketplace"),
            _checked_name(name, "account"),
        )
        old = self._file(marketplace, name)
        if old is None:
            return False
        self._path(marketplace, name).unlink()  # first: a half-removed account is no account
        self._secrets_path(marketplace, name).unlink(missing_ok=True)
        if old.secrets_in == "keyring":
            self._delete_from_keyring(marketplace, name, set(old.secret_fields))
        return True

    # --- reading -------------------------------------------------------------------------

    def _file(self, marketplace: str, name: str) -> _AccountFile | None:
        path = self._path(marketplace, name)
        if not path.is_file():
            return None
        try:
            record = _FILES.structure(_read_toml(path), _AccountFile)
        except (cattrs.BaseValidationError, ValueError, TypeError) as exc:
            problems = (
                "; ".join(cattrs.transform_error(exc))
                if isinstance(exc, cattrs.BaseValidationError)
                else str(exc)
            )
            raise StorageError(
                str(path),
                f"the account file is not valid: {problems}",
                hint="remove the account with `ruralseller accounts remove` and add it again",
            ) from None
        if (record.marketplace, record.name) != (marketplace, name):
            raise StorageError(
                str(path),
                f"the account file says it is {record.marketplace}:{record.name}",
                hint="account files are named after their account: rename or remove it",
            )
        return record

    def load(self, marketplace: str, name: str = DEFAULT_ACCOUNT) -> SavedAccount | None:
        """Account ``name`` of ``marketplace`` with its secrets, or None when none is saved.

        Raises:
            StorageError: the account's files cannot be read, its secrets file may be read
                by others, or a secret is missing from the keyring (each says how to fix).
        """
        marketplace, name = (
            _checked_name(marketplace, "marketplace"),
            _checked_name(name, "account"),
        )
        record = self._file(marketplace, name)
        if record is None:
            return None
        if record.secrets_in == "file":
            path = self._secrets_path(marketplace, name)
            secrets = self._secrets_from_file(path, record) if record.secret_fields else {}
            storage = SecretStorage(where="file", path=path)
        else:
            secrets = self._secrets_from_keyring(record)
            storage = SecretStorage(where="keyring")
        return SavedAccount(
            marketplace=marketplace,
            name=name,
            settings=dict(record.settings),
            secrets={k: Secret(v) for k, v in secrets.items()},
            secret_storage=storage,
            path=self._path(marketplace, name),
        )

    def _secrets_from_file(self, path: Path, record: _AccountFile) -> dict[str, str]:
        target = f"{record.marketplace}:{record.name}"
        if not path.is_file():
            raise StorageError(
                str(path),
                f"the secrets of account {target} should be in this file, which is missing",
                hint=f"add the account again: ruralseller accounts add {record.marketplace} "
                f"--name {record.name}",
            )
        _check_private(path)
        try:
            secrets = _FILES.structure(_read_toml(path), _SecretsFile).secrets
        except (cattrs.BaseValidationError, ValueError, TypeError):
            raise StorageError(
                str(path),
                "the secrets file is not valid",
                hint=f"add the account {target} again",
            ) from None
        return self._complete(record, secrets, str(path))

    def _secrets_from_keyring(self, record: _AccountFile) -> dict[str, str]:
        found: dict[str, str] = {}
        for field in record.secret_fields:
            user = _keyring_user(record.marketplace, record.name, field)
            try:
                value = self.keyring.get_password(KEYRING_SERVICE, user)
            except Exception as exc:  # noqa: BLE001 - locked, absent or broken: say which
                raise StorageError(
                    "system keyring",
                    f"the secrets of account {record.marketplace}:{record.name} are in the "
                    f"system keyring, which cannot be read now ({exc})",
                    hint="unlock the keyring (log in to the desktop session), or add the "
                    "account again where no keyring is used",
                ) from None
            if value is not None:
                found[field] = value
        return self._complete(record, found, "the system keyring")

    @staticmethod
    def _complete(record: _AccountFile, secrets: dict[str, str], where: str) -> dict[str, str]:
        missing = [field for field in record.secret_fields if field not in secrets]
        if missing:
            raise StorageError(
                where,
                f"the secret {missing[0]} of account {record.marketplace}:{record.name} is "
                "missing there",
                hint=f"add the account again: ruralseller accounts add {record.marketplace} "
                f"--name {record.name}",
            )
        return {field: secrets[field] for field in record.secret_fields}

    def accounts(self, marketplace: str | None = None) -> Iterator[SavedAccount]:
        """Every saved account (of ``marketplace`` when given), sorted, secrets not read.

        The accounts' :attr:`~SavedAccount.secrets` are empty here: listing accounts never
        unlocks a keyring; :meth:`load` reads them.
        """
        root = self.folder / "accounts"
        folders = (
            [root / _checked_name(marketplace, "marketplace")]
            if marketplace is not None
            else sorted(p for p in root.iterdir() if p.is_dir())
            if root.is_dir()
            else []
        )
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.toml")):
                if path.name.endswith(_SECRETS_SUFFIX) or not _NAME.match(path.stem):
                    continue
                record = self._file(folder.name, path.stem)
                if record is None:
                    continue
                yield SavedAccount(
                    marketplace=record.marketplace,
                    name=record.name,
                    settings=dict(record.settings),
                    secrets={},
                    secret_storage=SecretStorage(
                        where=record.secrets_in,
                        path=self._secrets_path(record.marketplace, record.name)
                        if record.secrets_in == "file"
                        else None,
                    ),
                    path=path,
                )

    def secret_names(self, marketplace: str, name: str = DEFAULT_ACCOUNT) -> tuple[str, ...]:
        """The names of the secrets account ``name`` keeps (without reading them)."""
        record = self._file(
            _checked_name(marketplace, "marketplace"), _checked_name(name, "account")
        )
        return record.secret_fields if record is not None else ()


def account_settings(
    marketplace: str,
    account: str | None = None,
    *,
    options: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    store: AccountStore | None = None,
) -> dict[str, str]:
    """The settings of ``marketplace`` as text: saved account < environment < options.

    Args:
        marketplace: the adapter's name (any case).
        account: the saved account to start from; None means ``default`` when one is saved
            (and nothing when none is).
        options: settings given explicitly (``-o KEY=VALUE``); they win.
        environ: the environment (``os.environ`` when None); ``RURALSELLER_<NAME>_<KEY>``.
        store: where accounts are saved (:class:`AccountStore` in :func:`config_dir`).

    Raises:
        InvalidValueError: ``account`` is named but not saved (saying how to add it).
        StorageError: the saved account cannot be read.
    """
    marketplace = _checked_name(marketplace, "marketplace")
    store = store if store is not None else AccountStore(config_dir(environ))
    saved = store.load(marketplace, account if account is not None else DEFAULT_ACCOUNT)
    if (
        saved is None
        and account is not None
        and _checked_name(account, "account") != (DEFAULT_ACCOUNT)
    ):
        known = [a.name for a in store.accounts(marketplace)]
        raise InvalidValueError(
            f"no {marketplace} account is saved as {account!r}"
            + (f"; saved: {', '.join(known)}" if known else ""),
            field="account",
            hint=f"add it with `ruralseller accounts add {marketplace} --name {account}`",
        )
    return {
        **(saved.values() if saved is not None else {}),
        **settings_from_environment(marketplace, environ),
        **dict(options or {}),
    }


# Error codes that name the credential itself (Shopee answers 403 to a wrong signature or
# token, OAuth's token endpoints 400/401 with invalid_client or invalid_grant).
_CREDENTIAL_CODES = ("sign", "token", "invalid_partner", "invalid_client", "invalid_grant")

#: What :func:`diagnose` finds wrong with an account.
Trouble = Literal["credentials", "permission", "network", "marketplace"]


def diagnose(error: MarketplaceError) -> tuple[Trouble, str]:
    """What an account check's failure means, and what to do, in a partner's words.

    * ``credentials``: the marketplace refused them (HTTP 401, a token that could not be
      refreshed, or a 403 whose code names the signature or token): wrong, expired or
      revoked;
    * ``permission``: it knows them but refused this read (any other HTTP 403): a missing
      scope or role, or an account that is restricted;
    * ``network``: no answer came (no connection, DNS, timeout);
    * ``marketplace``: it answered with trouble of its own (5xx, rate limit, odd answer).

    >>> diagnose(MarketplaceAuthError("no", status=403))[0]
    'permission'
    """
    if isinstance(error, MarketplaceAuthError):
        code = (error.code or "").lower()
        if error.status == 403 and not any(word in code for word in _CREDENTIAL_CODES):
            return "permission", (
                "the marketplace knows these credentials but refused this read: the app or "
                "token lacks a permission (scope, role), or the account is restricted; grant "
                "it in the marketplace's developer or seller settings (some marketplaces also "
                "answer so to a wrong key: check it too)"
            )
        return "credentials", (
            "the marketplace refused the credentials: they are wrong, expired or revoked; "
            "get new ones from its developer or seller settings and save them again"
        )
    if isinstance(error, MarketplaceUnavailableError) and error.status is None:
        return "network", (
            "no answer came from the marketplace: check the internet connection and the "
            "base_url setting, then try again"
        )
    if isinstance(error, MarketplaceUnavailableError | RateLimitedError):
        return "marketplace", "the marketplace is having trouble or is busy: try again later"
    return "marketplace", "the marketplace refused the read; its message says why"

"""Finding marketplace adapters by name: ours, and third parties' through entry points.

Built-in adapters are listed lazily as ``name → "module:Class"`` (libcloud's driver table), so
importing ruralseller imports no adapter. Third-party packages add adapters without touching
this repository by declaring an entry point in the group ``ruralseller.marketplaces`` (as
fsspec does for file systems)::

    [project.entry-points."ruralseller.marketplaces"]
    villagemart = "villagemart_ruralseller:VillageMart"

A third-party adapter cannot silently replace a built-in one of the same name: the built-in
wins and :func:`installed_marketplaces` reports the clash.
"""

from __future__ import annotations

import asyncio
import collections.abc
import difflib
import functools
import importlib
import inspect
import os
import types
import typing
from collections.abc import Callable, Mapping
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import attrs

from ruralseller.errors import InvalidValueError
from ruralseller.listing import PROFILES, MarketplaceProfile, get_profile
from ruralseller.marketplaces.base import Capabilities, Marketplace
from ruralseller.marketplaces.driver import Driver, structure_settings
from ruralseller.marketplaces.secrets import Secret

__all__ = [
    "BUILTIN_MARKETPLACES",
    "ENTRY_POINT_GROUP",
    "ENVIRONMENT_PREFIX",
    "MarketplaceInfo",
    "get_marketplace",
    "installed_marketplaces",
    "load_marketplace",
    "marketplace_names",
    "marketplace_profile",
    "settings_from_environment",
    "settings_from_text",
]

#: The entry-point group third-party adapters register under.
ENTRY_POINT_GROUP = "ruralseller.marketplaces"

#: Our own adapters, imported only when asked for.
BUILTIN_MARKETPLACES: dict[str, str] = {
    "amazon": "ruralseller.marketplaces.amazon:AmazonMarketplace",
    "ebay": "ruralseller.marketplaces.ebay:EbayMarketplace",
    "etsy": "ruralseller.marketplaces.etsy:EtsyMarketplace",
    "sandbox": "ruralseller.marketplaces.sandbox:SandboxMarketplace",
    "shopee": "ruralseller.marketplaces.shopee:ShopeeMarketplace",
    "shopify": "ruralseller.marketplaces.shopify:ShopifyMarketplace",
    "taobao": "ruralseller.marketplaces.taobao:TaobaoMarketplace",
    "woocommerce": "ruralseller.marketplaces.woocommerce:WooCommerceMarketplace",
}


@attrs.frozen(kw_only=True)
class MarketplaceInfo:
    """One installed adapter, as ``ruralseller marketplaces`` lists it.

    Attributes:
        name: the name to ask :func:`get_marketplace` for.
        target: where its class lives, ``"module:Class"``.
        provider: ``"ruralseller"`` for ours, else the distribution that declared it.
        capabilities: what it declares, or ``None`` when it could not be loaded.
        problem: why it could not be loaded (or is shadowed), else ``""``.
    """

    name: str
    target: str
    provider: str
    capabilities: Capabilities | None
    problem: str = ""


def _entry_points() -> dict[str, EntryPoint]:
    found: dict[str, EntryPoint] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(point.name, point)
    return found


def marketplace_names() -> tuple[str, ...]:
    """The names of every installed adapter, sorted (without importing any of them)."""
    return tuple(sorted(set(BUILTIN_MARKETPLACES) | set(_entry_points())))


def _import(target: str, name: str) -> type[Any]:
    module_name, _, attribute = target.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attribute.split(".") if attribute else ():
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise InvalidValueError(
            f"the marketplace adapter {name!r} is installed but cannot be loaded from "
            f"{target!r}: {exc}",
            field="marketplace",
            hint="reinstall the package that provides it, or install its extra dependencies",
        ) from exc
    _check_adapter(obj, name, target)
    cls: type[Any] = obj
    return cls


def _check_adapter(obj: object, name: str, target: str) -> None:
    missing = [
        attr
        for attr in ("name", "capabilities", "upsert", "fetch", "withdraw", "set_stock")
        if not hasattr(obj, attr)
    ]
    if not isinstance(obj, type) or missing:
        raise InvalidValueError(
            f"{target!r}, registered as marketplace {name!r}, is not a marketplace adapter"
            + (f": it lacks {', '.join(missing)}" if missing else ": it is not a class"),
            field="marketplace",
            hint="an adapter is a class following ruralseller.marketplaces.Marketplace",
        )
    if not isinstance(getattr(obj, "capabilities", None), Capabilities):
        raise InvalidValueError(
            f"marketplace adapter {name!r} ({target!r}) does not declare its capabilities",
            field="marketplace",
            hint="set `capabilities = Capabilities(...)` on the adapter class",
        )


def load_marketplace(name: str) -> type[Marketplace]:
    """The adapter class registered as ``name``.

    Raises:
        InvalidValueError: no adapter has that name (the message lists the installed ones),
            or it cannot be loaded.

    Names are matched in any case (``"Sandbox"`` is ``"sandbox"``).

    >>> load_marketplace("Sandbox").name
    'sandbox'
    >>> load_marketplace("taobaoo")
    Traceback (most recent call last):
    ...
    ruralseller.errors.InvalidValueError: no marketplace adapter is called 'taobaoo'; installed: ...
    """
    if name in BUILTIN_MARKETPLACES:
        return _import(BUILTIN_MARKETPLACES[name], name)
    points = _entry_points()
    if name not in points:
        name = {known.lower(): known for known in marketplace_names()}.get(name.lower(), name)
        if name in BUILTIN_MARKETPLACES:
            return _import(BUILTIN_MARKETPLACES[name], name)
    point = points.get(name)
    if point is None:
        installed = ", ".join(marketplace_names())
        close = difflib.get_close_matches(name.lower(), marketplace_names(), n=1)
        raise InvalidValueError(
            f"no marketplace adapter is called {name!r}; installed: {installed}",
            field="marketplace",
            hint=(f"did you mean {close[0]!r}? " if close else "check the spelling, ")
            + "or install the package that provides the adapter "
            "(`ruralseller marketplaces` lists what is installed)",
        )
    return _import(point.value, name)


def get_marketplace(name: str, **config: Any) -> Marketplace:
    """An adapter for the marketplace ``name``, made with ``config`` (credentials, base URL...).

    >>> sandbox = get_marketplace("sandbox", base_url="http://127.0.0.1:8765")
    >>> sandbox.capabilities.native_idempotency
    True
    """
    adapter: Marketplace = load_marketplace(name)(**config)
    return adapter


def marketplace_profile(name: str, **config: Any) -> MarketplaceProfile:
    """The listing profile adapter ``name``'s drafts and pictures must meet: its own.

    A built-in marketplace's is its built-in profile. A third-party adapter's is the one it
    declares: a :class:`~ruralseller.listing.MarketplaceProfile` as its class's ``profile``,
    a :class:`~ruralseller.marketplaces.driver.Driver`'s ``listing_profile`` or
    ``profile_name``, or else the ``profile`` of an adapter made with ``config`` (and closed).

    Raises:
        InvalidValueError: no adapter has that name, or it cannot be made with ``config`` to
            read its profile (the message says why and how to give its settings).

    >>> marketplace_profile("etsy").title_max
    140
    """
    if name in PROFILES:
        return PROFILES[name]
    cls = load_marketplace(name)
    declared = getattr(cls, "profile", None)
    if isinstance(declared, MarketplaceProfile):
        return declared
    if isinstance(cls, type) and issubclass(cls, Driver):
        return cls.listing_profile or get_profile(cls.profile_name or cls.name)
    try:
        adapter: Any = cls(**config)
    except (TypeError, InvalidValueError) as error:
        raise InvalidValueError(
            f"the {name} adapter's listing profile cannot be read: it cannot be made with "
            f"the settings given ({error})",
            field="marketplace",
            hint=f"give its settings with -o KEY=VALUE or RURALSELLER_{name.upper()}_KEY",
        ) from None
    try:
        profile = adapter.profile
    finally:
        closing = getattr(adapter, "aclose", None)
        if closing is not None:
            asyncio.run(closing())
    if not isinstance(profile, MarketplaceProfile):
        raise InvalidValueError(
            f"the {name} adapter's profile is not a MarketplaceProfile",
            field="marketplace",
            hint="an adapter's profile says what its listings must meet",
        )
    return profile


def _provider(point: EntryPoint) -> str:
    dist = point.dist
    return dist.name if dist is not None else "unknown distribution"


def installed_marketplaces() -> tuple[MarketplaceInfo, ...]:
    """Every installed adapter with its capabilities, sorted by name.

    Adapters that cannot be loaded are listed too, with the reason, so a partner sees why.
    """
    points = _entry_points()
    infos: list[MarketplaceInfo] = []
    for name in marketplace_names():
        builtin = name in BUILTIN_MARKETPLACES
        target = BUILTIN_MARKETPLACES[name] if builtin else points[name].value
        provider = "ruralseller" if builtin else _provider(points[name])
        problem = ""
        if builtin and name in points:
            problem = (
                f"{_provider(points[name])} also registers {name!r} ({points[name].value}); "
                "the built-in adapter is used"
            )
        try:
            capabilities: Capabilities | None = _import(target, name).capabilities
        except InvalidValueError as exc:
            capabilities, problem = None, exc.message
        infos.append(
            MarketplaceInfo(
                name=name,
                target=target,
                provider=provider,
                capabilities=capabilities,
                problem=problem,
            )
        )
    return tuple(infos)


#: Environment variables that carry adapter settings: ``RURALSELLER_EBAY_REFRESH_TOKEN``...
ENVIRONMENT_PREFIX = "RURALSELLER_"

_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


def settings_from_environment(
    name: str, environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The settings for adapter ``name`` found in environment variables.

    ``RURALSELLER_<NAME>_<SETTING>`` (upper case; a ``-`` in the name becomes ``_``) sets
    ``<setting>``: credentials stay out of the shell history and the process list.

    >>> environ = {"RURALSELLER_EBAY_REFRESH_TOKEN": "v^1.1#r", "HOME": "/root"}
    >>> settings_from_environment("ebay", environ)
    {'refresh_token': 'v^1.1#r'}
    """
    prefix = f"{ENVIRONMENT_PREFIX}{name.upper().replace('-', '_')}_"
    source = os.environ if environ is None else environ
    return {
        key[len(prefix) :].lower(): value
        for key, value in source.items()
        if key.startswith(prefix) and len(key) > len(prefix)
    }


def settings_from_text(name: str, text: Mapping[str, str]) -> dict[str, Any]:
    """Adapter settings given as text (``-o KEY=VALUE``, environment) as the adapter's types.

    Each value is read as its constructor parameter's annotation says: ``int``, ``float``,
    ``bool`` (true/false, yes/no, 1/0), a list (comma-separated) or text; credentials stay
    text, which the adapter wraps in a :class:`~ruralseller.marketplaces.Secret`.

    Raises:
        InvalidValueError: for a setting the adapter does not have (naming the ones it
            has), a value that is not of the setting's type, a setting that cannot be given
            as text, or a required setting that is missing.

    >>> settings_from_text("sandbox", {"base_url": "http://127.0.0.1:9000", "rate": "50"})
    {'base_url': 'http://127.0.0.1:9000', 'rate': 50.0}
    >>> settings_from_text("sandbox", {"rat": "50"})
    Traceback (most recent call last):
    ...
    ruralseller.errors.InvalidValueError: the sandbox adapter has no setting 'rat' (did you ...
    """
    cls = load_marketplace(name)
    if isinstance(cls, type) and issubclass(cls, Driver):
        return _driver_settings(cls, name, text)
    parameters = {
        key: parameter
        for key, parameter in inspect.signature(cls.__init__).parameters.items()
        if key != "self" and parameter.kind is not inspect.Parameter.VAR_KEYWORD
    }
    try:
        hints = typing.get_type_hints(cls.__init__)
    except (NameError, TypeError):  # an annotation we cannot resolve: read values as text
        hints = {}
    settable = sorted(key for key in parameters if _reader(hints.get(key)) is not None)
    result: dict[str, Any] = {}
    for key, value in text.items():
        if key not in parameters:
            close = difflib.get_close_matches(key, settable, n=1)
            raise InvalidValueError(
                f"the {name} adapter has no setting {key!r}"
                + (f" (did you mean {close[0]!r}?)" if close else "")
                + f"; its settings: {', '.join(settable)}",
                field=key,
                hint=f"see `ruralseller marketplaces` and the {name} adapter's page in the docs",
            )
        reader = _reader(hints.get(key))
        if reader is None:
            raise InvalidValueError(
                f"the {name} adapter's setting {key!r} cannot be given as text",
                field=key,
                hint="set it from Python: get_marketplace(name, **settings)",
            )
        try:
            result[key] = reader(value)
        except ValueError as exc:
            raise InvalidValueError(
                f"the {name} adapter's setting {key}={value!r} is not valid: {exc}",
                field=key,
                hint=f"give {key} as {_describe(hints.get(key))}",
            ) from None
    missing = [
        key
        for key, parameter in parameters.items()
        if parameter.default is inspect.Parameter.empty and key not in result
    ]
    if missing:
        prefix = f"{ENVIRONMENT_PREFIX}{name.upper()}_"
        raise InvalidValueError(
            f"the {name} adapter needs {', '.join(missing)}",
            field=missing[0],
            hint=f"give each with -o {missing[0]}=... or the environment variable "
            f"{prefix}{missing[0].upper()}",
        )
    return result


def _driver_settings(cls: type[Driver[Any]], name: str, text: Mapping[str, str]) -> dict[str, Any]:
    """Text settings of a :class:`Driver`, typed as its settings class says.

    The settings are structured (and refused, naming each bad one) by the driver's own
    converter; credentials stay text; the wiring's ``rate`` is read as a number.
    """
    wiring = {"rate": _number}
    known = sorted([*(f.name for f in attrs.fields(cls.settings_class)), *wiring])
    for key in text:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            raise InvalidValueError(
                f"the {name} adapter has no setting {key!r}"
                + (f" (did you mean {close[0]!r}?)" if close else "")
                + f"; its settings: {', '.join(known)}",
                field=key,
                hint=f"see `ruralseller marketplaces` and the {name} adapter's page in the docs",
            )
    settings = {key: value for key, value in text.items() if key not in wiring}
    structured = structure_settings(cls.settings_class, settings, name=name)  # names a bad one
    # Typed as the settings class says; credentials stay text (the driver wraps them).
    result: dict[str, Any] = {
        key: value if isinstance(getattr(structured, key), Secret) else getattr(structured, key)
        for key, value in settings.items()
    }
    for key, reader in wiring.items():
        if key in text:
            try:
                result[key] = reader(text[key])
            except ValueError as exc:
                raise InvalidValueError(
                    f"the {name} adapter's setting {key}={text[key]!r} is not valid: {exc}",
                    field=key,
                    hint=f"give {key} as a number",
                ) from None
    return result


def _reader(hint: Any) -> Callable[[str], Any] | None:
    """How to read a value of type ``hint`` from text; ``None`` if it cannot be."""
    simple: dict[Any, Callable[[str], Any]] = {
        None: str,
        str: str,
        Secret: str,
        int: _whole_number,
        float: _number,
        bool: _boolean,
    }
    if hint in simple:
        return simple[hint]
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if str in args or Secret in args:
            return str
        return _reader(args[0]) if len(args) == 1 else None
    if origin is typing.Literal:
        return functools.partial(_choice, options=tuple(str(a) for a in args))
    if origin in (collections.abc.Sequence, list, tuple) and args:
        return _list_reader(origin, args)
    return None


def _list_reader(origin: Any, args: list[Any]) -> Callable[[str], Any] | None:
    """A comma-separated list of one type (a tuple of mixed types cannot be read)."""
    item = _reader(args[0])
    if item is None or (origin is tuple and len(set(args)) > 1):
        return None
    return lambda text: tuple(item(part.strip()) for part in text.split(",") if part.strip())


def _describe(hint: Any) -> str:
    for kind, words in ((bool, "true or false"), (int, "a whole number"), (float, "a number")):
        if hint is kind or kind in typing.get_args(hint):
            return words
    if typing.get_origin(hint) is typing.Literal:
        return "one of " + ", ".join(str(a) for a in typing.get_args(hint))
    return "text (a list: comma-separated)"


def _whole_number(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError("expected a whole number") from None


def _number(text: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise ValueError("expected a number") from None


def _boolean(text: str) -> bool:
    word = text.strip().lower()
    if word in _TRUE | _FALSE:
        return word in _TRUE
    raise ValueError("expected true or false")


def _choice(text: str, *, options: tuple[str, ...]) -> str:
    if text not in options:
        raise ValueError(f"expected one of {', '.join(options)}")
    return text

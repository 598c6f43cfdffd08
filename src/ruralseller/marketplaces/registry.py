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

import importlib
from importlib.metadata import EntryPoint, entry_points
from typing import Any

import attrs

from ruralseller.errors import InvalidValueError
from ruralseller.marketplaces.base import Capabilities, Marketplace

__all__ = [
    "BUILTIN_MARKETPLACES",
    "ENTRY_POINT_GROUP",
    "MarketplaceInfo",
    "get_marketplace",
    "installed_marketplaces",
    "load_marketplace",
    "marketplace_names",
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

    >>> load_marketplace("sandbox").name
    'sandbox'
    >>> load_marketplace("taobaoo")
    Traceback (most recent call last):
    ...
    ruralseller.errors.InvalidValueError: no marketplace adapter is called 'taobaoo'; installed: ...
    """
    if name in BUILTIN_MARKETPLACES:
        return _import(BUILTIN_MARKETPLACES[name], name)
    point = _entry_points().get(name)
    if point is None:
        installed = ", ".join(marketplace_names())
        raise InvalidValueError(
            f"no marketplace adapter is called {name!r}; installed: {installed}",
            field="marketplace",
            hint="check the spelling, or install the package that provides the adapter "
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

"""The adapter protocol: what every marketplace adapter offers, and a sync facade for scripts.

An adapter translates a :class:`~ruralseller.listing.ListingDraft` into one marketplace's API.
It does not re-implement templates, pictures or compliance (those are done by the time a draft
exists), nor retries and rate limits (the shared HTTP layer does those). What it declares in
:class:`Capabilities` lets callers, and the publishing outbox, adapt to the platform.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, Protocol, Self, TypeVar, runtime_checkable

import attrs

from ruralseller.catalog import Money
from ruralseller.errors import MarketplaceError, RuralSellerError
from ruralseller.listing import ListingDraft, ListingIssue, MarketplaceProfile, ProcessedImage

__all__ = [
    "ANSWERING_METHODS",
    "AccountCheck",
    "Capabilities",
    "ListingState",
    "Marketplace",
    "SyncMarketplace",
    "guard_answers",
    "image_name",
]

#: The adapter methods that read a marketplace's answers, guarded by :func:`guard_answers`.
ANSWERING_METHODS = ("upsert", "upload_images", "set_stock", "withdraw", "fetch", "delete")
#: The order-intake methods (:mod:`ruralseller.marketplaces.orders`), guarded too, wherever
#: the adapter gets them from (an order mixin, usually).
ORDER_METHODS = ("list_orders", "fetch_order", "acknowledge_order", "ship_order", "cancel_order")
# What reading an answer of an unexpected shape raises in Python: a missing key or item, a
# value of another type, a body that is not JSON.
_SHAPE_ERRORS = (KeyError, IndexError, TypeError, AttributeError, json.JSONDecodeError)
# Orders are read into dates, numbers and money, whose parsers raise ValueError on a value of
# the wrong form.
_ORDER_SHAPE_ERRORS = (*_SHAPE_ERRORS, ValueError)
_LISTING_ADVICE = (
    "nothing is assumed about what it did: the job is released to be tried again later"
)
_ORDER_ADVICE = "nothing is assumed about the orders: run the intake again later"
_Adapter = TypeVar("_Adapter", bound=type)


def guard_answers(cls: _Adapter) -> _Adapter:
    """Class decorator: an answer of an unexpected shape becomes a :class:`MarketplaceError`.

    A marketplace that answers 200 without a field the adapter reads (Shopee's ``response``,
    WooCommerce's ``id``...) would otherwise raise ``KeyError`` out of the adapter and leave
    a publishing job in flight. Wrapped, each of :data:`ANSWERING_METHODS` raises a
    ``MarketplaceError`` (code ``unexpected_answer``) that names the marketplace and what was
    missing, so the job is released and tried again later. Our own errors pass unchanged.

    >>> @guard_answers
    ... class Shop:
    ...     name = "shop"
    ...     async def fetch(self, sku):
    ...         return {}["response"]
    >>> try:
    ...     asyncio.run(Shop().fetch("HEN-1"))
    ... except MarketplaceError as error:
    ...     print(error.code, str(error)[:58])
    unexpected_answer shop answered fetch in a shape ruralseller did not expect
    """
    for method_name in ANSWERING_METHODS:
        method = cls.__dict__.get(method_name)
        if method is not None and asyncio.iscoroutinefunction(method):
            setattr(cls, method_name, _guarded(method, method_name))
    for method_name in ORDER_METHODS:
        # Inherited too: order intake usually comes from a mixin of the adapter's package.
        method = getattr(cls, method_name, None)
        if (
            method is not None
            and asyncio.iscoroutinefunction(method)
            and not getattr(method, "guards_answers", False)
        ):
            setattr(cls, method_name, _guarded(method, method_name, orders=True))
    return cls


def _guarded(
    method: Callable[..., Awaitable[Any]], method_name: str, *, orders: bool = False
) -> Callable[..., Awaitable[Any]]:
    caught = _ORDER_SHAPE_ERRORS if orders else _SHAPE_ERRORS
    advice = _ORDER_ADVICE if orders else _LISTING_ADVICE

    @functools.wraps(method)
    async def guarded(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await method(self, *args, **kwargs)
        except RuralSellerError:
            raise
        except caught as error:
            name = getattr(self, "name", type(self).__name__)
            detail = f"{type(error).__name__}: {error}"[:200]
            raise MarketplaceError(
                f"{name} answered {method_name} in a shape ruralseller did not expect "
                f"({detail}); {advice} (report it if it keeps happening)",
                marketplace=str(name),
                code="unexpected_answer",
            ) from error

    guarded.guards_answers = True  # type: ignore[attr-defined] # marks it, never wrapped twice

    return guarded


@attrs.frozen(kw_only=True)
class Capabilities:
    """What a marketplace's API can do, as the adapter declares it.

    Attributes:
        multi_step_publish: a listing is created, then pictures added, then published.
        image_upload: pictures are uploaded as files.
        image_urls: pictures are given as public URLs for the marketplace to fetch.
        native_idempotency: the API honours an idempotency key (or upserts by SKU), so a
            write whose answer was lost can simply be sent again.
        variable_weight: the API can sell by weight (price per kg, actual piece weight).
        withdraw: a listing can be taken off sale without deleting it.
        stock_and_price: stock and price can be changed without resending the listing.
    """

    multi_step_publish: bool = False
    image_upload: bool = False
    image_urls: bool = False
    native_idempotency: bool = False
    variable_weight: bool = False
    withdraw: bool = True
    stock_and_price: bool = True

    def names(self) -> tuple[str, ...]:
        """The capabilities that are on, by name.

        >>> Capabilities(image_upload=True, withdraw=False, stock_and_price=False).names()
        ('image_upload',)
        """
        return tuple(a.name for a in attrs.fields(Capabilities) if getattr(self, a.name))


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    """Any iterable of names as a tuple (typed, so checkers accept lists and tuples alike)."""
    return tuple(values)


@attrs.frozen(kw_only=True)
class AccountCheck:
    """What one harmless authenticated read told about an account (``accounts test``).

    Attributes:
        marketplace: the adapter's name.
        account: who the marketplace says the credentials belong to (a shop, a seller id,
            a user), or ``""`` when its answer does not say.
        call: the read that was made, e.g. ``"GET /v1/listings?limit=1"``.
    """

    marketplace: str
    account: str
    call: str


@attrs.frozen(kw_only=True)
class ListingState:
    """A listing as the marketplace holds it, after a write or a fetch.

    Attributes:
        marketplace: the adapter name.
        sku: our SKU (the key we list under).
        state: ``"draft"``, ``"active"`` or ``"withdrawn"``; adapters map the platform's own
            states onto these and keep the original in ``extra``.
        version: the marketplace's version or revision of the listing, when it has one.
        stock: the stock the marketplace shows.
        price: the price the marketplace shows.
        images: the names or URLs of the pictures the marketplace holds, in order.
        url: where a buyer (or the partner) sees the listing.
        extra: marketplace-only data (platform ids, raw states).
    """

    marketplace: str
    sku: str
    state: str
    version: str | None = None
    stock: int | None = None
    price: Money | None = None
    images: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    url: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, hash=False)

    @property
    def active(self) -> bool:
        """Whether buyers can see and buy it."""
        return self.state == "active"


def image_name(image: ProcessedImage) -> str:
    """The name a picture is uploaded under: its content hash and extension.

    The same file has the same name everywhere, so an upload repeated after a lost answer
    changes nothing.

    >>> from ruralseller.listing import ProcessedImage
    >>> image_name(ProcessedImage(data=b"", format="JPEG", width=1, height=1,
    ...     sha256="0123456789abcdef" * 4, source="hen.jpg", quality=85, steps=()))
    '0123456789abcdef.jpg'
    """
    return f"{image.sha256[:16]}{image.extension}"


@runtime_checkable
class Marketplace(Protocol):
    """What every marketplace adapter offers (async; :class:`SyncMarketplace` for scripts).

    Writes are keyed by our SKU: calling :meth:`upsert` again with the same draft changes
    nothing, and never makes a second listing. Errors are the
    :class:`~ruralseller.errors.MarketplaceError` family.
    """

    name: ClassVar[str]
    capabilities: ClassVar[Capabilities]

    @property
    def profile(self) -> MarketplaceProfile:
        """The listing profile (limits and rules) this marketplace enforces."""
        ...

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """Every problem the marketplace would find with ``draft``, without sending it."""
        ...

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Create the listing for ``draft.sku``, or update it; upload ``images``; publish."""
        ...

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Upload pictures for an existing listing; return their names there."""
        ...

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock (and the price, when given) of a listing."""
        ...

    async def withdraw(self, sku: str) -> ListingState:
        """Take a listing off sale (repeating it changes nothing)."""
        ...

    async def fetch(self, sku: str) -> ListingState | None:
        """The listing as the marketplace holds it, or ``None`` when there is none."""
        ...

    async def aclose(self) -> None:
        """Close network connections."""
        ...


class SyncMarketplace:
    """Any :class:`Marketplace` with the same methods, synchronous, for scripts.

    It runs the adapter on its own event loop; use it from one thread, and close it (or use
    ``with``) when done.
    """

    def __init__(self, marketplace: Marketplace) -> None:
        self.marketplace = marketplace
        self._runner = asyncio.Runner()

    def __repr__(self) -> str:
        return f"SyncMarketplace({self.marketplace!r})"

    @property
    def name(self) -> str:
        """The adapter name."""
        return self.marketplace.name

    @property
    def capabilities(self) -> Capabilities:
        """What the marketplace can do."""
        return self.marketplace.capabilities

    @property
    def profile(self) -> MarketplaceProfile:
        """The listing profile the marketplace enforces."""
        return self.marketplace.profile

    def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """See :meth:`Marketplace.validate`."""
        return self._runner.run(self.marketplace.validate(draft))

    def upsert(self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()) -> ListingState:
        """See :meth:`Marketplace.upsert`."""
        return self._runner.run(self.marketplace.upsert(draft, images))

    def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """See :meth:`Marketplace.upload_images`."""
        return self._runner.run(self.marketplace.upload_images(sku, images))

    def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """See :meth:`Marketplace.set_stock`."""
        return self._runner.run(self.marketplace.set_stock(sku, stock, price))

    def withdraw(self, sku: str) -> ListingState:
        """See :meth:`Marketplace.withdraw`."""
        return self._runner.run(self.marketplace.withdraw(sku))

    def fetch(self, sku: str) -> ListingState | None:
        """See :meth:`Marketplace.fetch`."""
        return self._runner.run(self.marketplace.fetch(sku))

    def close(self) -> None:
        """Close the adapter's connections and the event loop."""
        try:
            self._runner.run(self.marketplace.aclose())
        finally:
            self._runner.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

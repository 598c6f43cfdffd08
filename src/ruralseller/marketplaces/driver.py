"""The driver base: the client wiring of an adapter, written once.

libcloud splits a provider into a connection (auth, retries, rate) and a driver (what the
provider's API means); :class:`Driver` is that split for ruralseller. A subclass declares its
``name``, ``capabilities`` and ``settings_class`` (an attrs class of its settings: credentials,
ids, base URL), and writes its payloads and auth; the base owns the rest once:

* the settings, structured by one cattrs converter from keyword arguments, ``-o KEY=VALUE``
  text or the environment, with errors that name each bad setting and say how to fix it
  (:func:`structure_settings`);
* the HTTP client (:class:`~ruralseller.marketplaces.http.AsyncMarketplaceHttp`): retry
  policy, a rate budget per account, transport, timeout, clock and sleep, all injectable;
* a repr that shows settings but never a :class:`~ruralseller.marketplaces.secrets.Secret`;
* the adapter's own listing profile (:attr:`Driver.profile`) and the ``validate`` that uses
  it, and ``aclose``.

Example:
    >>> import attrs
    >>> @attrs.frozen(kw_only=True)
    ... class CoopSettings:
    ...     api_key: Secret
    ...     base_url: str = "https://shop.coop.example"
    >>> class Coop(Driver[CoopSettings]):
    ...     name = "coop"
    ...     capabilities = Capabilities(image_upload=True)
    ...     settings_class = CoopSettings
    ...     profile_name = "sandbox"
    >>> coop = Coop(api_key="k-123", rate=2)
    >>> coop
    Coop(api_key=Secret('********'), base_url='https://shop.coop.example')
    >>> coop.profile.name, coop.rate
    ('sandbox', 2.0)
    >>> Coop(api_kee="k")
    Traceback (most recent call last):
    ...
    ruralseller.errors.InvalidValueError: the coop adapter has no setting 'api_kee' (did you ...
"""

from __future__ import annotations

import asyncio
import difflib
import time
import types
import typing
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

import attrs
import cattrs
import httpx

from ruralseller.errors import InvalidValueError, MarketplaceError, RuralSellerError
from ruralseller.listing import (
    ListingDraft,
    ListingIssue,
    MarketplaceProfile,
    get_profile,
    validate_draft,
)
from ruralseller.marketplaces.base import AccountCheck, Capabilities
from ruralseller.marketplaces.http import DEFAULT_TIMEOUT, AsyncMarketplaceHttp
from ruralseller.marketplaces.ratelimit import LOCAL_BUDGETS, RateBudget, RateBudgets
from ruralseller.marketplaces.retry import RetryPolicy
from ruralseller.marketplaces.secrets import Secret

__all__ = ["WIRING", "Driver", "settings_converter", "structure_settings"]

#: The keyword arguments every driver takes besides its settings: the client's wiring.
WIRING = ("retry", "rate", "budgets", "transport", "timeout", "sleep", "clock")

SettingsT = TypeVar("SettingsT")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def _boolean(value: Any, _type: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(f"{value!r} is not yes or no (true/false, 1/0)")


def _whole(value: Any, _type: Any) -> int:
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError(f"{value!r} is not a whole number")
    return int(str(value).strip()) if isinstance(value, str) else int(value)


def _sequence(converter: cattrs.Converter) -> Callable[[Any, Any], tuple[Any, ...]]:
    def structure(value: Any, kind: Any) -> tuple[Any, ...]:
        args = typing.get_args(kind)
        item = args[0] if args else str
        parts = (
            [p.strip() for p in value.split(",") if p.strip()] if isinstance(value, str) else value
        )
        return tuple(converter.structure(part, item) for part in parts)

    return structure


def _is_tuple(kind: Any) -> bool:
    origin: Any = typing.get_origin(kind)
    return origin is tuple


def settings_converter() -> cattrs.Converter:
    """The converter every driver's settings go through (text or Python values alike).

    Credentials become :class:`Secret`; ``int``, ``float`` and ``bool`` are read from text
    too (``yes``/``no``); a tuple from a comma-separated text; unknown settings are refused.

    >>> settings_converter().structure("80001, 80002", tuple[int, ...])
    (80001, 80002)
    """
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(
        Secret, lambda v, _: v if isinstance(v, Secret) else Secret(str(v))
    )
    converter.register_structure_hook(bool, _boolean)
    converter.register_structure_hook(int, _whole)
    converter.register_structure_hook(float, lambda v, _: float(str(v).strip()))
    converter.register_structure_hook(str, lambda v, _: v if isinstance(v, str) else str(v))
    # A value id or a text (Shopee's attributes): kept as given.
    converter.register_structure_hook(
        int | str, lambda v, _: v if isinstance(v, int | str) else str(v)
    )
    converter.register_structure_hook_func(_is_tuple, _sequence(converter))
    return converter


_CONVERTER = settings_converter()


def _our_error(error: BaseException) -> InvalidValueError | None:
    """The first :class:`InvalidValueError` inside a cattrs error group, if any."""
    if isinstance(error, InvalidValueError):
        return error
    for inner in getattr(error, "exceptions", ()):
        found = _our_error(inner)
        if found is not None:
            return found
    return None


def _literal_options(kind: Any) -> tuple[str, ...]:
    """The allowed values of a ``Literal`` type (or of one inside ``X | None``)."""
    if typing.get_origin(kind) is typing.Literal:
        return tuple(str(option) for option in typing.get_args(kind))
    for part in typing.get_args(kind):
        if typing.get_origin(part) is typing.Literal:
            return _literal_options(part)
    return ()


def structure_settings(cls: type[SettingsT], values: Mapping[str, Any], *, name: str) -> SettingsT:
    """``values`` as the settings class ``cls`` of adapter ``name``.

    Raises:
        InvalidValueError: naming each unknown, missing or invalid setting at once, with the
            settings the adapter has.
    """
    known = [field.name for field in attrs.fields(cls)]  # type: ignore[arg-type]
    unknown = [key for key in values if key not in known]
    if unknown:
        close = difflib.get_close_matches(unknown[0], known, n=1)
        raise InvalidValueError(
            f"the {name} adapter has no setting {unknown[0]!r}"
            + (f" (did you mean {close[0]!r}?)" if close else "")
            + f"; its settings: {', '.join(known)}",
            field=unknown[0],
            hint=f"see the {name} adapter's page in the docs",
        )
    fields = attrs.fields(attrs.resolve_types(cls))  # type: ignore[type-var, arg-type]
    for field in fields:
        options = _literal_options(field.type)
        if options and field.name in values and str(values[field.name]) not in options:
            raise InvalidValueError(
                f"the {name} adapter's setting {field.name} is {values[field.name]!r}, "
                f"expected one of {', '.join(options)}",
                field=field.name,
                hint=f"give {field.name} as one of {', '.join(options)}",
            )
    missing = [f.name for f in fields if f.default is attrs.NOTHING and f.name not in values]
    if missing:
        raise InvalidValueError(
            f"the {name} adapter needs {', '.join(missing)}",
            field=missing[0],
            hint=f"give each with -o {missing[0]}=... or the environment variable "
            f"RURALSELLER_{name.upper().replace('-', '_')}_{missing[0].upper()}",
        )
    try:
        return _CONVERTER.structure(dict(values), cls)
    except cattrs.ClassValidationError as error:
        ours = _our_error(error)
        if ours is not None:  # a converter or validator of the settings class said why
            raise ours from None
        problems = cattrs.transform_error(error, path="")
        named = "; ".join(
            problem.replace(" @ $.", " @ ").replace("@ .", "@ ") for problem in problems
        )
        first = problems[0].rsplit("@", 1)[-1].strip().lstrip("$.") if problems else None
        raise InvalidValueError(
            f"the {name} adapter's settings are not valid: {named}",
            field=first or None,
            hint="give each with -o KEY=VALUE, the environment (RURALSELLER_"
            f"{name.upper()}_KEY) or get_marketplace({name!r}, KEY=...)",
        ) from None


class Driver(Generic[SettingsT]):
    """The base of an adapter: settings, client wiring, repr, profile and validate, once.

    Subclasses set :attr:`name`, :attr:`capabilities` and :attr:`settings_class`, and may
    override the hooks :meth:`setup` (attributes from the settings), :meth:`api_root`,
    :meth:`make_auth`, :meth:`account_key`, :meth:`classify`, :meth:`connected` and
    :meth:`whoami` (the read :meth:`check_account` makes).

    Args:
        settings: the settings object; or give its fields as keyword arguments.
        retry: the retry policy.
        rate: requests per second for this account (:attr:`default_rate` when None); every
            driver for the same account shares one budget.
        budgets: where that budget is kept: this process (the default), or a store every
            worker shares (:class:`~ruralseller.marketplaces.postgres_budget.PostgresBudgets`).
        transport: an httpx transport (``httpx.MockTransport`` in tests).
        timeout: per-request timeouts (:attr:`default_timeout` when None).
        sleep: how to wait between tries; injectable for tests.
        clock: the time in seconds; injectable for tests.
        **values: the settings' fields, when no settings object is given.
    """

    name: ClassVar[str]
    capabilities: ClassVar[Capabilities]
    settings_class: ClassVar[type[Any]]
    #: The built-in listing profile the adapter's drafts and pictures must meet (by name);
    #: :attr:`name` if None.
    profile_name: ClassVar[str | None] = None
    #: A profile of the adapter's own, for a marketplace with no built-in one; wins.
    listing_profile: ClassVar[MarketplaceProfile | None] = None
    default_rate: ClassVar[float] = 10.0
    default_timeout: ClassVar[httpx.Timeout] = DEFAULT_TIMEOUT
    #: The settings a positional argument stands for (``Sandbox("http://...")``).
    positional: ClassVar[tuple[str, ...]] = ()
    #: Extra keyword arguments of the HTTP layer (an idempotency header...).
    http_options: ClassVar[Mapping[str, Any]] = types.MappingProxyType({})

    def __init__(  # noqa: PLR0913 - the wiring, all keyword-only
        self,
        *args: Any,
        retry: RetryPolicy | None = None,
        rate: float | None = None,
        budgets: RateBudgets | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.time,
        **values: Any,
    ) -> None:
        if len(args) == 1 and isinstance(args[0], self.settings_class) and not values:
            settings = args[0]
        else:
            if len(args) > len(self.positional):
                raise TypeError(
                    f"{type(self).__name__} takes its settings by name: "
                    f"{', '.join(f.name for f in attrs.fields(self.settings_class))}"
                )
            values = {**dict(zip(self.positional, args, strict=False)), **values}
            settings = structure_settings(self.settings_class, values, name=self.name)
        self.settings: SettingsT = settings
        self.clock = clock
        self.sleep = sleep
        #: The wiring as given, for an adapter that needs a second client (downloads).
        self.retry, self.transport = retry, transport
        self.timeout = self.default_timeout if timeout is None else timeout
        self.rate = float(self.default_rate if rate is None else rate)
        self.budgets: RateBudgets = LOCAL_BUDGETS if budgets is None else budgets
        self.setup()
        self.http = AsyncMarketplaceHttp(
            self.name,
            self.api_root(),
            auth=self.make_auth(),
            retry=retry,
            rate_limit=self.rate_limit(),
            classify=self.classify,
            secrets=self.secrets(),
            transport=transport,
            timeout=self.timeout,
            sleep=sleep,
            **self.http_options,
        )
        self.connected()

    # --- hooks --------------------------------------------------------------------------

    def setup(self) -> None:
        """Derive the adapter's attributes from :attr:`settings` (before the client exists)."""

    def api_root(self) -> str:
        """The API's root URL: the ``base_url`` :meth:`setup` set, else the settings' one."""
        root = getattr(self, "base_url", None) or getattr(self.settings, "base_url", None)
        return str(root or "").rstrip("/")

    def make_auth(self) -> httpx.Auth | None:
        """The request signer or token auth (``None`` for none)."""
        return None

    def account_key(self) -> str:
        """What identifies the account whose rate budget requests share."""
        return self.api_root()

    def rate_limit(self) -> RateBudget | None:
        """The account's request budget: :attr:`rate` a second, shared per :meth:`account_key`.

        ``None`` leaves pacing to the adapter (Shopify's query-cost bucket).
        """
        return self.account_budget(capacity=max(1.0, self.rate))

    def account_budget(self, *, capacity: float) -> RateBudget:
        """The account's budget in :attr:`budgets`: :attr:`rate` a second, ``capacity`` at once."""
        return self.budgets.budget(self.name, self.account_key(), self.rate, capacity)

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """The marketplace's own reading of an error answer (``None``: the shared one)."""
        del response
        return None

    def connected(self) -> None:
        """Called once the client exists (event hooks, caches)."""

    #: The read :meth:`whoami` makes, as ``ruralseller accounts test`` reports it.
    whoami_call: ClassVar[str] = ""

    async def whoami(self) -> str:
        """Make one harmless authenticated read; who the marketplace says the account is.

        An adapter overrides this with a read-only call of its API that needs the account's
        credentials (and changes nothing), and returns the shop, seller or user it answers
        with (``""`` if it names none). Errors are the usual
        :class:`~ruralseller.errors.MarketplaceError` family.
        """
        raise NotImplementedError(f"the {self.name} adapter cannot test an account yet")

    # --- what every adapter gets -----------------------------------------------------------

    async def check_account(self) -> AccountCheck:
        """Check the credentials with one harmless authenticated read (:meth:`whoami`).

        Raises:
            MarketplaceAuthError: the credentials were refused (HTTP 401: wrong, expired or
                revoked; 403: known but without the permission this read needs).
            MarketplaceUnavailableError: the marketplace could not be reached, or failed.
            MarketplaceError: any other refusal, or an answer of an unexpected shape.
            NotImplementedError: the adapter has no such read.
        """
        try:
            who = await self.whoami()
        except (RuralSellerError, NotImplementedError):
            raise
        except (KeyError, IndexError, TypeError, AttributeError, ValueError) as error:
            raise MarketplaceError(
                f"{self.name} answered the account check in a shape ruralseller did not "
                f"expect ({type(error).__name__}: {error})"[:300],
                marketplace=self.name,
                code="unexpected_answer",
            ) from error
        return AccountCheck(marketplace=self.name, account=who, call=self.whoami_call)

    def secrets(self) -> list[Secret]:
        """Every credential among the settings, for scrubbing messages and logs."""
        return [
            value
            for value in (getattr(self.settings, f.name) for f in attrs.fields(self.settings_class))
            if isinstance(value, Secret)
        ]

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{field.name}={getattr(self.settings, field.name)!r}"
            for field in attrs.fields(self.settings_class)
            if field.repr
        )
        return f"{type(self).__name__}({shown})"

    @property
    def profile(self) -> MarketplaceProfile:
        """The adapter's own listing profile, which its drafts and pictures must meet."""
        return self.listing_profile or get_profile(self.profile_name or self.name)

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """The issues of ``draft`` for this marketplace, checked locally against the profile."""
        return validate_draft(draft, self.profile)

    async def aclose(self) -> None:
        """Close the connections."""
        await self.http.aclose()

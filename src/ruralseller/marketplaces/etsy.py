"""The adapter for Etsy's Open API v3 (a listing, then its pictures, then activation).

Etsy creates a listing with a form-encoded ``POST`` (``createDraftListing``), takes pictures
one by one (``uploadListingImage``) and puts the listing on sale with ``updateListing``
(``PATCH``, ``state=active``). Stock and price live in the listing's inventory
(``updateListingInventory``), which is also where our SKU is kept.

Etsy has no idempotency key and cannot look a listing up by SKU, so a create whose answer is
lost (etsy/open-api#162: "Server Error", yet the listing was made) must not simply be sent
again. Every listing we create carries our SKU as one of its tags, and before any second try
:func:`~ruralseller.marketplaces.http.create_once` scans the shop's listings
(``getListingsByShop``) for that tag.

Sources: Etsy's Open API v3 description, https://www.etsy.com/openapi/generated/oas/3.0.0.json
(version 3.0.0, validated 2026-05-30; cited below by operationId), Etsy's developer
documentation (https://developers.etsy.com/documentation/essentials/rate-limits and
``.../essentials/oauth2``) and the etsy/open-api issues named where they are used.

Example:
    >>> etsy = EtsyMarketplace(shop_id=12345678, keystring="kk", shared_secret="ss",
    ...                        refresh_token="12.rr", taxonomy_id=1047,
    ...                        shipping_profile_id=555, readiness_state_id=7)
    >>> etsy
    EtsyMarketplace(shop_id=12345678, base_url='https://api.etsy.com')
    >>> etsy.capabilities.names()
    ('multi_step_publish', 'image_upload', 'withdraw', 'stock_and_price')
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, Final
from urllib.parse import urlencode

import attrs
import httpx

from ruralseller.catalog import Money
from ruralseller.errors import (
    InvalidValueError,
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceError,
    MarketplaceUnavailableError,
    RateLimitedError,
)
from ruralseller.listing import (
    IssueSeverity,
    ListingDraft,
    ListingIssue,
    LocalizedText,
    ProcessedImage,
    validate_draft,
)
from ruralseller.marketplaces.base import Capabilities, ListingState, guard_answers, image_name
from ruralseller.marketplaces.driver import Driver
from ruralseller.marketplaces.http import (
    create_once,
    error_from_response,
)
from ruralseller.marketplaces.retry import parse_retry_after
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text

__all__ = [
    "DEFAULT_ETSY_URL",
    "ETSY_DAILY_LIMIT",
    "ETSY_RATE",
    "ETSY_TOKEN_PATH",
    "WHEN_MADE",
    "WHO_MADE",
    "EtsyAuth",
    "EtsyMarketplace",
    "EtsySettings",
    "EtsyTokens",
    "classify_response",
    "create_listing_form",
    "inventory_payload",
    "sku_tag",
    "update_listing_form",
]

logger = logging.getLogger("ruralseller.marketplaces.etsy")

#: Etsy's API host today. The 2021 spec's ``servers`` says ``https://openapi.etsy.com``, the
#: host of the alpha; the paths are the same.
DEFAULT_ETSY_URL: Final = "https://api.etsy.com"
#: Where an OAuth 2.0 refresh token is exchanged for an access token (the spec's
#: ``securitySchemes.oauth2.flows.authorizationCode.tokenUrl``).
ETSY_TOKEN_PATH: Final = "/v3/public/oauth/token"  # noqa: S105 - a URL path, not a secret
#: Requests per second a new Etsy app may send (developers.etsy.com/documentation/essentials/
#: rate-limits, "Rate limits"; etsy/open-api discussion #1387).
ETSY_RATE: Final = 10.0
#: Requests a new Etsy app may send in a sliding 24 hours (same source).
ETSY_DAILY_LIMIT: Final = 10_000
#: Who made the product: createDraftListing's ``who_made`` enum.
WHO_MADE: Final = ("i_did", "someone_else", "collective")
#: When it was made: createDraftListing's ``when_made`` enum (spec of 2026-05-30; the year
#: ranges move with the calendar: 2021 had ``2020_2021``, 2025 ``2020_2025``).
WHEN_MADE: Final = (
    *("made_to_order", "2020_2026", "2010_2019", "2007_2009", "before_2007", "2000_2006"),
    *("1990s", "1980s", "1970s", "1960s", "1950s", "1940s", "1930s", "1920s", "1910s"),
    *("1900s", "1800s", "1700s", "before_1700"),
)

# A tag may hold letters, digits, spaces, -, ', ™, © and ® (spec, createDraftListing ``tags``:
# regex /[^\p{L}\p{Nd}\p{Zs}\-'™©®]/u) and 20 characters (community figure, unverified).
_TAG_BAD = re.compile(r"[^\w\s\-'™©®]|_")
_TAG_MAX = 20
# Every listing state Etsy has (spec, getListingsByShop ``state``); all are scanned for our SKU so
# that an old, withdrawn or sold-out listing is updated rather than duplicated.
# ("removed" listings are deleted ones: they are not brought back.)
_STATES: Final = ("active", "draft", "inactive", "sold_out", "expired")
# Etsy's rate-limit headers (developers.etsy.com "Rate limits"), kept in EtsyMarketplace.quota.
_QUOTA_HEADERS: Final = (
    *("x-limit-per-second", "x-remaining-this-second", "x-limit-per-day", "x-remaining-today"),
)
# Our states for Etsy's. A sold-out listing is still shown, with stock 0.
_OUR_STATE: Final = {"active": "active", "sold_out": "active", "draft": "draft"}
_PAGE = 100  # the most getListingsByShop returns at once (its ``limit`` maximum)
# The fields Etsy's error messages name (createDraftListing's form, and the image upload's).
_FIELDS: Final = (
    *("quantity", "title", "description", "price", "who_made", "when_made", "taxonomy_id"),
    *("shipping_profile_id", "readiness_state_id", "is_supply", "tags", "image", "images"),
    *("sku", "state", "rank", "offerings", "products"),
)
_FIELD_WORD = re.compile(r"\b(" + "|".join(_FIELDS) + r")\b", re.IGNORECASE)


# --- mapping: what is sent, as pure functions ------------------------------------------------


def sku_tag(sku: str) -> str:
    """The tag that marks a listing as ours: the SKU itself, when it can be an Etsy tag.

    Etsy cannot find a listing by SKU, and a create whose answer was lost has not had its
    inventory SKU set yet; the tag is what :meth:`EtsyMarketplace.fetch` and the lookup after
    a lost create search for.

    >>> sku_tag("WJ261120A")
    'WJ261120A'
    >>> sku_tag("WJ_26/11")
    Traceback (most recent call last):
    ...
    ruralseller.errors.InvalidValueError: the SKU 'WJ_26/11' cannot be an Etsy tag, ...

    Raises:
        InvalidValueError: when the SKU has characters a tag cannot hold, or is too long.
    """
    if not sku.strip() or len(sku) > _TAG_MAX or _TAG_BAD.search(sku):
        raise InvalidValueError(
            f"the SKU {sku!r} cannot be an Etsy tag, which is how ruralseller finds its "
            f"listings there (at most {_TAG_MAX} letters, digits, spaces, - and ')",
            field="sku",
            hint="use lot codes of letters, digits and hyphens, e.g. WJ261120A",
        )
    return sku


def _english(draft: ListingDraft) -> LocalizedText:
    try:
        return draft.text("en")
    except KeyError as error:
        raise InvalidValueError(
            f"the draft {draft.sku!r} has no English text; Etsy listings are written in "
            f"English (the draft has {', '.join(draft.texts) or 'no text'})",
            field="texts",
            hint="generate the listing with the 'en' locale",
        ) from error


def _choice(draft: ListingDraft, key: str, allowed: Sequence[str], default: str) -> str:
    value = str(_extra(draft).get(key, default))
    if value not in allowed:
        raise InvalidValueError(
            f"Etsy's {key} is {value!r}, not one of {', '.join(allowed)}",
            field=f"extra[etsy].{key}",
            hint=f"set draft.extra['etsy']['{key}'] to one of them",
        )
    return value


def _extra(draft: ListingDraft) -> Mapping[str, Any]:
    extra = draft.extra.get("etsy", {})
    return extra if isinstance(extra, Mapping) else {}


def _amount(money: Money) -> str:
    return str(money.rounded().amount)


def _who_when(draft: ListingDraft) -> dict[str, str]:
    # who_made, when_made and is_supply go together or not at all: with only some of them
    # Etsy fails with "images: array_too_short" (etsy/open-api#472, #511).
    return {
        "who_made": _choice(draft, "who_made", WHO_MADE, "i_did"),
        "when_made": _choice(draft, "when_made", WHEN_MADE, "made_to_order"),
        "is_supply": "true" if _extra(draft).get("is_supply") else "false",
    }


def create_listing_form(
    draft: ListingDraft,
    *,
    taxonomy_id: int,
    shipping_profile_id: int | None = None,
    readiness_state_id: int | None = None,
) -> dict[str, str]:
    """The form fields of ``createDraftListing`` for ``draft``.

    The English text gives the title and the plain-text description; the price is the price
    of one sale unit in the shop's currency (Etsy takes no currency here); our SKU is the
    listing's one tag (:func:`sku_tag`). ``who_made`` (default ``i_did``), ``when_made``
    (default ``made_to_order``) and ``is_supply`` (default false) come from
    ``draft.extra["etsy"]``. The packed weight of one unit (``draft.shipping_weight``), when
    known, is the listing's ``item_weight`` in grams, which calculated shipping uses.

    Args:
        draft: the listing draft.
        taxonomy_id: Etsy's category (seller taxonomy) id; ``draft.extra["etsy"]["taxonomy_id"]``
            wins when set.
        shipping_profile_id: the shop's shipping profile ("Required when listing type is
            ``physical``", createDraftListing).
        readiness_state_id: the shop's processing profile ("ready to ship in N days").

    Returns:
        The form, every value as text, in the order it is sent.

    Example:
        >>> import datetime as dt, attrs
        >>> from ruralseller.catalog import Money, load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> from ruralseller.listing import generate_listing
        >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
        ...                          on=dt.date(2026, 11, 21))
        >>> form = create_listing_form(attrs.evolve(draft, price=Money("5.20", "USD")),
        ...                            taxonomy_id=1047, shipping_profile_id=555)
        >>> form["price"], form["quantity"], form["tags"], form["who_made"], form["is_supply"]
        ('5.20', '40', 'WJ261120A', 'i_did', 'false')
    """
    text = _english(draft)
    form = {
        "quantity": str(draft.stock),
        "title": text.title,
        "description": text.description,
        "price": _amount(draft.price),
        **_who_when(draft),
        "taxonomy_id": str(int(_extra(draft).get("taxonomy_id", taxonomy_id))),
        "type": "physical",
        "tags": sku_tag(draft.sku),
    }
    if shipping_profile_id is not None:
        form["shipping_profile_id"] = str(shipping_profile_id)
    if readiness_state_id is not None:
        form["readiness_state_id"] = str(readiness_state_id)
    form.update(_weight_form(draft))
    return form


def _weight_form(draft: ListingDraft) -> dict[str, str]:
    if draft.shipping_weight is None:
        return {}
    grams = draft.shipping_weight.grams
    return {
        "item_weight": format(Decimal(grams.numerator) / Decimal(grams.denominator), "f"),
        "item_weight_unit": "g",
    }


def update_listing_form(
    draft: ListingDraft, *, taxonomy_id: int, shipping_profile_id: int | None = None
) -> dict[str, str]:
    """The form fields of ``updateListing`` that bring an existing listing up to ``draft``.

    Stock and price are not here: they go to the inventory (:func:`inventory_payload`).

    >>> import datetime as dt
    >>> from ruralseller.catalog import load_catalog
    >>> from ruralseller.catalog.samples import sample_path
    >>> from ruralseller.listing import generate_listing
    >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
    ...                          on=dt.date(2026, 11, 21))
    >>> sorted(update_listing_form(draft, taxonomy_id=1047))
    ['description', 'tags', 'taxonomy_id', 'title']
    """
    text = _english(draft)
    form = {
        "title": text.title,
        "description": text.description,
        "taxonomy_id": str(int(_extra(draft).get("taxonomy_id", taxonomy_id))),
        "tags": sku_tag(draft.sku),
    }
    if shipping_profile_id is not None:
        form["shipping_profile_id"] = str(shipping_profile_id)
    form.update(_weight_form(draft))
    return form


def inventory_payload(
    sku: str, stock: int, price: Money, *, readiness_state_id: int
) -> dict[str, Any]:
    """The JSON body of ``updateListingInventory``: one product with our SKU, one offering.

    Each offering carries the shop's processing profile (``readiness_state_id``, required
    there by today's description).

    >>> inventory_payload("WJ261120A", 12, Money("5.20", "USD"), readiness_state_id=7)
    {'products': [{'sku': 'WJ261120A', 'property_values': [], 'offerings': [{'price': 5.2, \
'quantity': 12, 'is_enabled': True, 'readiness_state_id': 7}]}]}
    """
    # The spec types the offering price as a JSON number (updateListingInventory); two
    # decimals survive the round trip through a float exactly enough for Etsy's cents.
    return {
        "products": [
            {
                "sku": sku,
                "property_values": [],
                "offerings": [
                    {
                        "price": float(price.rounded().amount),
                        "quantity": stock,
                        "is_enabled": True,
                        "readiness_state_id": readiness_state_id,
                    }
                ],
            }
        ]
    }


# --- errors ---------------------------------------------------------------------------------


def _etsy_body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        return None


def _field_errors(body: Any) -> tuple[str, dict[str, str]]:
    """Etsy's own words and the fields they name.

    Etsy answers ``{"error": "..."}`` (spec, ``ErrorSchema``), and for invalid fields often a
    list of ``{"path": "/title/1", "type": "...", "message": "..."}`` (etsy/open-api#622,
    #472), sometimes under ``error_list``.
    """
    items: list[Any] = []
    said = ""
    if isinstance(body, list):
        items = body
    elif isinstance(body, dict):
        said = str(body.get("error_description") or body.get("error") or "")
        if isinstance(body.get("error_list"), list):
            items = body["error_list"]
    fields: dict[str, str] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        path = str(item.get("path") or "").strip("/")
        field = path.split("/", maxsplit=1)[0] or "listing"
        reason = " ".join(str(item[k]) for k in ("type", "message") if item.get(k))
        fields[field] = f"{fields[field]}; {reason}" if field in fields else reason
    if not fields and said:
        for name in dict.fromkeys(word.lower() for word in _FIELD_WORD.findall(said)):
            fields[name] = said
    if not said:
        said = "; ".join(f"{k}: {v}" for k, v in fields.items())
    return said, fields


def _throttle(
    response: httpx.Response, said: str, secrets: Iterable[Secret | str]
) -> RateLimitedError:
    headers = response.headers
    retry_after = parse_retry_after(headers.get("retry-after"))
    if headers.get("x-remaining-today") == "0":
        what = (
            f"the daily limit of {headers.get('x-limit-per-day', str(ETSY_DAILY_LIMIT))} requests"
        )
        advice = "the outbox will send the rest when the 24-hour window has room again"
    else:
        what = (
            f"the limit of {headers.get('x-limit-per-second', f'{ETSY_RATE:g}')} requests a second"
        )
        advice = "wait a moment and try again"
        if retry_after is None and headers.get("x-remaining-this-second") == "0":
            retry_after = 1.0  # the per-second window is at most a second away
    wait = f" (Etsy asks to wait {retry_after:g} s)" if retry_after is not None else ""
    tail = f" (etsy said: {redact_text(said, secrets)})" if said else ""
    return RateLimitedError(
        f"etsy is limiting how fast we send: this app used {what}{wait}; {advice}{tail} "
        f"[HTTP {response.status_code}]",
        retry_after=retry_after,
        marketplace="etsy",
        status=response.status_code,
        code="rate_limited",
        headers=redact_headers(response.headers),
    )


def classify_response(
    response: httpx.Response, *, secrets: Iterable[Secret | str] = ()
) -> MarketplaceError | None:
    """The error an Etsy response stands for, or ``None`` for a success.

    Adds to :func:`~ruralseller.marketplaces.http.error_from_response` what Etsy does its
    own way: its error bodies (``{"error": ...}`` or a list of ``{path, type, message}``),
    the fields they name, and its rate-limit headers on 429 (``retry-after``,
    ``x-remaining-this-second``, ``x-remaining-today``; developers.etsy.com "Rate limits").

    >>> r = httpx.Response(400, json=[{"path": "/title", "type": "string_too_long",
    ...                                "message": "cannot be longer than 140 characters"}])
    >>> error = classify_response(r)
    >>> error.field_errors
    {'title': 'string_too_long cannot be longer than 140 characters'}
    >>> classify_response(httpx.Response(429, headers={"x-remaining-this-second": "0"}))
    RateLimitedError('etsy is limiting how fast we send: ...')
    """
    if response.status_code < 400:
        return None
    secrets = list(secrets)
    said, fields = _field_errors(_etsy_body(response))
    said = redact_text(said, secrets)
    if response.status_code == 429:
        return _throttle(response, said, secrets)
    error = error_from_response("etsy", response, secrets=secrets)
    if error is None:  # pragma: no cover - every status from 400 up is an error there
        return None
    if isinstance(error, ListingRejectedError):
        fields = {k: redact_text(v, secrets) for k, v in fields.items()}
        listed = "; ".join(f"{k}: {v}" for k, v in fields.items()) or said
        message = (
            "etsy rejected the listing"
            + (f": {listed}" if listed else "")
            + f"; fix these and publish again [HTTP {response.status_code}]"
        )
        return ListingRejectedError(
            message,
            field_errors=fields,
            marketplace="etsy",
            status=error.status,
            code=error.code,
            request_id=error.request_id,
            headers=error.headers,
        )
    if said and said not in error.message:
        error.message = f"{error.message} (etsy said: {said})"
        error.args = (error.message,)
    return error


# --- auth -----------------------------------------------------------------------------------


@attrs.frozen
class EtsyTokens:
    """A fresh pair of OAuth tokens, handed to ``on_tokens`` to keep for the next run.

    Etsy's refresh tokens are replaced at each refresh, so the newest one must be stored.

    Attributes:
        access_token: the bearer token (good for ``expires_in`` seconds).
        refresh_token: the token to get the next access token with.
        expires_at: when the access token expires, in the adapter clock's seconds.
    """

    access_token: Secret
    refresh_token: Secret
    expires_at: float


class EtsyAuth(httpx.Auth):
    """Etsy's authentication: ``x-api-key`` and an OAuth 2.0 bearer.

    "Every request to a v3 API endpoint must include [x-api-key] in the format
    ``keystring:shared_secret``" (the spec's ``securitySchemes.api_key``). The access token
    is refreshed (``grant_type=refresh_token`` at :data:`ETSY_TOKEN_PATH`, with the keystring
    as ``client_id``; developers.etsy.com/documentation/essentials/oauth2) when there is none
    yet, when it is about to expire, and once when Etsy answers 401. It runs again on every
    retry.

    Args:
        keystring: the app's API key (keystring).
        shared_secret: the app's shared secret, from the same "Your apps" page.
        refresh_token: the shop owner's refresh token (from the OAuth consent).
        token_url: where tokens are refreshed.
        access_token: a current access token, if one is at hand.
        expires_at: when ``access_token`` expires (clock seconds); unknown means "use it
            until Etsy says 401".
        clock: the time, injectable for tests.
        on_tokens: called with each fresh :class:`EtsyTokens`, to store them.
    """

    requires_response_body = True
    #: Refresh this long before the access token expires, so a slow request still carries
    #: a valid one.
    margin = 60.0

    def __init__(  # noqa: PLR0913 - keyword-only credentials and hooks
        self,
        keystring: Secret,
        refresh_token: Secret,
        *,
        shared_secret: Secret,
        token_url: str,
        access_token: Secret | None = None,
        expires_at: float | None = None,
        clock: Callable[[], float] = time.time,
        on_tokens: Callable[[EtsyTokens], None] | None = None,
    ) -> None:
        self._keystring = keystring
        self._shared_secret = shared_secret
        self._refresh = refresh_token
        self._access = access_token
        self._expires_at = expires_at
        self.token_url = token_url
        self._clock = clock
        self._on_tokens = on_tokens

    def __repr__(self) -> str:
        return f"EtsyAuth(token_url={self.token_url!r})"

    @property
    def secrets(self) -> tuple[Secret, ...]:
        """Every credential this auth holds now, for scrubbing messages."""
        held = (self._keystring, self._shared_secret, self._refresh, self._access)
        return tuple(s for s in held if s is not None)

    def _stale(self) -> bool:
        if self._access is None:
            return True
        return self._expires_at is not None and self._clock() >= self._expires_at - self.margin

    def _refresh_request(self) -> httpx.Request:
        form = {
            "grant_type": "refresh_token",
            "client_id": self._keystring.reveal(),
            "refresh_token": self._refresh.reveal(),
        }
        return httpx.Request(
            "POST",
            self.token_url,
            content=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def _store(self, response: httpx.Response) -> None:
        body = _etsy_body(response)
        if response.status_code >= 500 or response.status_code == 429:
            raise MarketplaceUnavailableError(
                "etsy could not renew the access token just now; nothing to fix on our "
                f"side, try again later [HTTP {response.status_code}]",
                marketplace="etsy",
                status=response.status_code,
            )
        if response.status_code != 200 or not isinstance(body, dict):
            said, _ = _field_errors(body)
            said = redact_text(said, self.secrets)
            raise MarketplaceAuthError(
                "etsy did not renew the access token: the refresh token is wrong, expired "
                "or revoked; have the shop owner connect the app again and store the new "
                "refresh token"
                + (f" (etsy said: {said})" if said else "")
                + f" [HTTP {response.status_code}]",
                marketplace="etsy",
                status=response.status_code,
                code=str(body.get("error")) if isinstance(body, dict) else None,
            )
        self._access = Secret(str(body["access_token"]))
        if body.get("refresh_token"):
            self._refresh = Secret(str(body["refresh_token"]))
        expires_in = body.get("expires_in")
        self._expires_at = self._clock() + float(expires_in) if expires_in else None
        logger.debug("etsy: access token renewed")
        if self._on_tokens is not None:
            self._on_tokens(
                EtsyTokens(self._access, self._refresh, self._expires_at or self._clock())
            )

    def _sign(self, request: httpx.Request) -> None:
        if self._access is None:  # pragma: no cover - _store always sets it
            raise AssertionError("no access token after a refresh")
        request.headers["x-api-key"] = f"{self._keystring.reveal()}:{self._shared_secret.reveal()}"
        request.headers["Authorization"] = f"Bearer {self._access.reveal()}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Refresh the access token when needed, and sign ``request`` with it."""
        refreshed = False
        if self._stale():
            self._store((yield self._refresh_request()))
            refreshed = True
        self._sign(request)
        response = yield request
        if response.status_code == 401 and not refreshed:
            self._store((yield self._refresh_request()))
            self._sign(request)
            yield request


# --- the adapter ----------------------------------------------------------------------------


def _money(value: Any) -> Money | None:
    """Our money from Etsy's ``Money`` (amount in minor units, divisor, currency_code)."""
    if not isinstance(value, dict):
        return None
    divisor = int(value.get("divisor") or 1)
    amount = Decimal(int(value["amount"])) / Decimal(divisor)
    places = len(str(divisor)) - 1 if str(divisor).strip("0") == "1" else 2
    return Money(amount.quantize(Decimal(1).scaleb(-places)), str(value["currency_code"]))


def _root(url: str) -> str:
    return url.rstrip("/")


@attrs.frozen(kw_only=True)
class EtsySettings:
    """The settings of one Etsy shop.

    Attributes:
        shop_id: the shop's numeric id.
        keystring: the app's API key (keystring) from developers.etsy.com "Your apps".
        shared_secret: the app's shared secret, from the same page; Etsy wants
            ``keystring:shared_secret`` in every request's ``x-api-key``.
        refresh_token: the shop owner's OAuth refresh token (scopes ``listings_r`` and
            ``listings_w``; ``listings_d`` is not needed).
        access_token: a current access token, if at hand (otherwise one is fetched).
        taxonomy_id: Etsy's category for the listings (``getSellerTaxonomyNodes``); a draft's
            ``extra["etsy"]["taxonomy_id"]`` wins.
        shipping_profile_id: the shop's shipping profile for the listings; Etsy requires one
            for physical listings (createDraftListing), so a new listing without it is refused
            before anything is sent.
        readiness_state_id: the shop's processing profile ("ready to ship in N days"), which
            every offering of the inventory carries (updateListingInventory).
        currency: the shop's currency, when known: drafts in another one are refused locally.
        base_url: the API root.
        token_url: where tokens are refreshed (``base_url`` + :data:`ETSY_TOKEN_PATH`).
    """

    shop_id: int
    keystring: Secret = attrs.field(repr=False)
    shared_secret: Secret = attrs.field(repr=False)
    refresh_token: Secret = attrs.field(repr=False)
    access_token: Secret | None = attrs.field(default=None, repr=False)
    taxonomy_id: int | None = attrs.field(default=None, repr=False)
    shipping_profile_id: int | None = attrs.field(default=None, repr=False)
    readiness_state_id: int | None = attrs.field(default=None, repr=False)
    currency: str | None = attrs.field(default=None, repr=False)
    base_url: str = attrs.field(default=DEFAULT_ETSY_URL, converter=_root)
    token_url: str | None = attrs.field(default=None, repr=False)


@guard_answers
class EtsyMarketplace(Driver[EtsySettings]):
    """Publishes listings to one Etsy shop through the Open API v3.

    Its settings are :class:`EtsySettings`; the wiring (``retry``, ``rate``, ``transport``,
    ``timeout``, ``sleep``, ``clock``) is the :class:`~ruralseller.marketplaces.driver.Driver`'s:
    a create is never retried blindly (see :meth:`upsert`), and ``rate`` is requests per
    second for this app (Etsy's default is 10, "Rate limits"), shared by every adapter of
    the app.

    Args:
        on_tokens: called with every fresh :class:`EtsyTokens`, to store the new refresh token.
    """

    name: ClassVar[str] = "etsy"
    capabilities: ClassVar[Capabilities] = Capabilities(
        multi_step_publish=True,
        image_upload=True,
        native_idempotency=False,
        withdraw=True,
        stock_and_price=True,
    )
    settings_class: ClassVar[type[EtsySettings]] = EtsySettings
    default_rate: ClassVar[float] = ETSY_RATE

    def __init__(
        self, *args: Any, on_tokens: Callable[[EtsyTokens], None] | None = None, **kwargs: Any
    ) -> None:
        self._on_tokens = on_tokens
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        """The shop's ids, the auth and the caches, from the settings."""
        settings = self.settings
        self.shop_id = settings.shop_id
        self.taxonomy_id = settings.taxonomy_id
        self.shipping_profile_id = settings.shipping_profile_id
        self.readiness_state_id = settings.readiness_state_id
        self.currency = settings.currency
        self.base_url = settings.base_url
        self.auth = EtsyAuth(
            settings.keystring,
            settings.refresh_token,
            shared_secret=settings.shared_secret,
            token_url=settings.token_url or self.base_url + ETSY_TOKEN_PATH,
            access_token=settings.access_token,
            clock=self.clock,
            on_tokens=self._on_tokens,
        )
        #: The rate-limit headers of Etsy's last answer (``x-remaining-today``...).
        self.quota: dict[str, str] = {}
        self._listing_ids: dict[str, int] = {}

    def make_auth(self) -> httpx.Auth:
        """Etsy's ``x-api-key`` and OAuth 2.0 bearer (:class:`EtsyAuth`)."""
        return self.auth

    def account_key(self) -> str:
        """The app: Etsy counts per app (keystring), not per shop ("Rate limits").

        Keyed by a digest, so the keystring is not kept in one more place.
        """
        digest = hashlib.sha256(self.settings.keystring.reveal().encode()).hexdigest()
        return f"{self.base_url} {digest}"

    def connected(self) -> None:
        """Keep Etsy's rate-limit headers of every answer in :attr:`quota`."""
        self.http.client.event_hooks["response"].append(self._note_quota)

    def secrets(self) -> list[Secret]:
        """Every credential the auth holds now (tokens are renewed)."""
        return list(self.auth.secrets)

    # --- checks ---------------------------------------------------------------------------

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """Etsy's own error bodies and rate-limit headers (:func:`classify_response`)."""
        return classify_response(response, secrets=self.auth.secrets)

    async def _note_quota(self, response: httpx.Response) -> None:
        for header in _QUOTA_HEADERS:
            if header in response.headers:
                self.quota[header] = response.headers[header]

    def _taxonomy(self, draft: ListingDraft) -> int:
        taxonomy = _extra(draft).get("taxonomy_id", self.taxonomy_id)
        if taxonomy is None:
            raise InvalidValueError(
                "Etsy needs a category (taxonomy_id) for every listing",
                field="taxonomy_id",
                hint="pass taxonomy_id= to EtsyMarketplace, or set "
                "draft.extra['etsy']['taxonomy_id'] (see getSellerTaxonomyNodes)",
            )
        return int(taxonomy)

    def _shipping_profile(self) -> int:
        if self.shipping_profile_id is None:
            raise InvalidValueError(
                "Etsy requires a shipping profile for physical listings "
                "(createDraftListing: shipping_profile_id)",
                field="shipping_profile_id",
                hint="set the etsy shipping_profile_id setting to one of the shop's shipping "
                "profiles (getShopShippingProfiles)",
            )
        return self.shipping_profile_id

    def _readiness(self) -> int:
        if self.readiness_state_id is None:
            raise InvalidValueError(
                "Etsy requires a processing profile for every offering of a physical listing "
                "(updateListingInventory: offerings[].readiness_state_id)",
                field="readiness_state_id",
                hint="set the etsy readiness_state_id setting to one of the shop's processing "
                "profiles (getShopReadinessStateDefinitions)",
            )
        return self.readiness_state_id

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """The issues Etsy would refuse or warn about, checked locally (English text)."""
        issues = list(validate_draft(draft, self.profile, locale="en"))
        checks: list[Callable[[], object]] = [
            lambda: sku_tag(draft.sku),
            lambda: self._taxonomy(draft),
            self._shipping_profile,
            self._readiness,
            lambda: _who_when(draft),
            lambda: _english(draft),
            lambda: self._check_currency(draft.price),
        ]
        for check in checks:
            try:
                check()
            except InvalidValueError as error:
                issues.append(
                    ListingIssue(
                        error.field or "listing", error.message, error.hint, IssueSeverity.ERROR
                    )
                )
        return tuple(issues)

    def _check_currency(self, price: Money) -> None:
        if self.currency is not None and price.currency != self.currency:
            raise InvalidValueError(
                f"the price is in {price.currency}, but this Etsy shop sells in "
                f"{self.currency} and Etsy takes prices only in the shop's currency",
                field="price",
                hint=f"price the draft in {self.currency}",
            )

    # --- requests -------------------------------------------------------------------------

    def _shop(self, *rest: str | int) -> str:
        return "/".join(["/v3/application/shops", str(self.shop_id), *map(str, rest)])

    async def _form(
        self, method: str, url: str, form: Mapping[str, str], *, idempotent: bool
    ) -> Any:
        response = await self.http.request(
            method,
            url,
            idempotent=idempotent,
            content=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        return response.json()

    async def _get(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        return (await self.http.request("GET", url, idempotent=True, params=params)).json()

    async def _get_or_none(self, url: str) -> Any:
        try:
            return await self._get(url)
        except MarketplaceError as error:
            if error.status == 404:  # Not Found
                return None
            raise

    def _is_ours(self, listing: Mapping[str, Any], sku: str) -> bool:
        return any(str(t).casefold() == sku.casefold() for t in listing.get("tags") or ())

    async def _find(self, sku: str) -> dict[str, Any] | None:
        """Our listing for ``sku``: by the id seen before, else by scanning the shop's tags."""
        known = self._listing_ids.get(sku)
        if known is not None:
            listing = await self._get_or_none(f"/v3/application/listings/{known}")
            if isinstance(listing, dict) and self._is_ours(listing, sku):
                return listing
            del self._listing_ids[sku]
        for state in _STATES:
            offset = 0
            while True:
                page = await self._get(
                    self._shop("listings"), {"state": state, "limit": _PAGE, "offset": offset}
                )
                results = page.get("results") or []
                for listing in results:
                    if self._is_ours(listing, sku):
                        self._listing_ids[sku] = int(listing["listing_id"])
                        return dict(listing)
                offset += len(results)
                if not results or offset >= int(page.get("count", 0)):
                    break
        return None

    async def _require(self, sku: str) -> dict[str, Any]:
        listing = await self._find(sku)
        if listing is None:
            raise MarketplaceError(
                f"etsy has no listing with SKU {sku!r} in shop {self.shop_id}; publish it "
                "with upsert() first",
                marketplace=self.name,
                status=404,
            )
        return listing

    async def _create(self, form: Mapping[str, str]) -> dict[str, Any]:
        # Not idempotent: Etsy has no idempotency key, so a lost answer is reconciled by
        # create_once's lookup, never by sending it again blind.
        listing: dict[str, Any] = await self._form(
            "POST", self._shop("listings"), form, idempotent=False
        )
        return listing

    async def _update(self, listing_id: int, form: Mapping[str, str]) -> dict[str, Any]:
        listing: dict[str, Any] = await self._form(
            "PATCH", self._shop("listings", listing_id), form, idempotent=True
        )
        return listing

    async def _put_inventory(self, listing_id: int, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.request(
            "PUT", f"/v3/application/listings/{listing_id}/inventory", idempotent=True, json=body
        )
        inventory: dict[str, Any] = response.json()
        return inventory

    async def _images(self, listing_id: int) -> list[dict[str, Any]]:
        page = await self._get(f"/v3/application/listings/{listing_id}/images")
        return sorted(page.get("results") or [], key=lambda image: int(image.get("rank", 0)))

    async def _upload(self, listing_id: int, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        names = []
        for rank, image in enumerate(images, start=1):
            name = image_name(image)
            # overwrite=true replaces whatever picture holds this rank (spec,
            # uploadListingImage), so sending it again never adds a second copy.
            built = httpx.Request(
                "POST",
                self.base_url,
                data={"rank": str(rank), "overwrite": "true"},
                files={"image": (name, image.data, image.media_type)},
            )
            await self.http.request(
                "POST",
                self._shop("listings", listing_id, "images"),
                idempotent=True,
                content=built.read(),
                headers={"Content-Type": built.headers["Content-Type"]},
            )
            names.append(name)
        return tuple(names)

    async def _trim_images(self, listing_id: int, keep: int) -> None:
        """Delete pictures ranked after the ``keep`` the draft has."""
        for image in await self._images(listing_id):
            if int(image.get("rank", 0)) > keep:
                try:
                    await self.http.request(
                        "DELETE",
                        self._shop("listings", listing_id, "images", image["listing_image_id"]),
                        idempotent=True,
                    )
                except MarketplaceError as error:
                    if error.status != 404:  # already gone: what we wanted
                        raise

    async def _state(
        self,
        sku: str,
        listing: Mapping[str, Any],
        inventory: Mapping[str, Any] | None = None,
        images: Sequence[Mapping[str, Any]] | None = None,
    ) -> ListingState:
        listing_id = int(listing["listing_id"])
        if inventory is None:
            inventory = await self._get(f"/v3/application/listings/{listing_id}/inventory")
        if images is None:
            images = await self._images(listing_id)
        offerings = [
            offering
            for product in (inventory or {}).get("products", [])
            if not product.get("is_deleted")
            for offering in product.get("offerings", [])
            if offering.get("is_enabled", True) and not offering.get("is_deleted")
        ]
        stock = (
            sum(int(o.get("quantity", 0)) for o in offerings)
            if offerings
            else listing.get("quantity")
        )
        price = _money(offerings[0].get("price")) if offerings else _money(listing.get("price"))
        etsy_state = str(listing.get("state", ""))
        modified = listing.get("last_modified_timestamp")
        # Any: mypy's attrs plugin cannot solve the generic ``converter=tuple`` of ``images``.
        pictures = tuple(
            str(image.get("url_fullxfull") or image["listing_image_id"]) for image in images
        )
        return ListingState(
            marketplace=self.name,
            sku=sku,
            state=_OUR_STATE.get(etsy_state, "withdrawn"),
            version=str(modified) if modified is not None else None,
            stock=stock,
            price=price,
            images=pictures,
            url=listing.get("url"),
            extra={"listing_id": listing_id, "shop_id": self.shop_id, "etsy_state": etsy_state},
        )

    # --- the protocol ---------------------------------------------------------------------

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Create or update the listing for ``draft.sku``, upload its pictures, activate it.

        A new listing is created as a draft (``createDraftListing``) through
        :func:`~ruralseller.marketplaces.http.create_once`: when the answer is lost, the
        shop's listings are searched for the SKU tag before anything is sent again. Then the
        inventory gets our SKU, stock and price, the pictures are uploaded by rank (replacing
        what was there; surplus ones are deleted), and ``updateListing`` sets
        ``state=active``. Activating a sold-out or expired listing is a renewal, which Etsy
        charges for.

        Raises:
            InvalidValueError: when the draft cannot be mapped (no English text, no
                taxonomy or shipping profile, a SKU that cannot be a tag, a price in another
                currency).
        """
        self._check_currency(draft.price)
        taxonomy = self._taxonomy(draft)
        shipping_profile = self._shipping_profile()
        self._readiness()
        listing = await self._find(draft.sku)
        if listing is None:
            form = create_listing_form(
                draft,
                taxonomy_id=taxonomy,
                shipping_profile_id=shipping_profile,
                readiness_state_id=self.readiness_state_id,
            )
            listing = await create_once(lambda: self._create(form), lambda: self._find(draft.sku))
        else:
            form = update_listing_form(
                draft, taxonomy_id=taxonomy, shipping_profile_id=self.shipping_profile_id
            )
            listing = await self._update(int(listing["listing_id"]), form)
        listing_id = int(listing["listing_id"])
        self._listing_ids[draft.sku] = listing_id
        inventory = await self._put_inventory(
            listing_id,
            inventory_payload(
                draft.sku, draft.stock, draft.price, readiness_state_id=self._readiness()
            ),
        )
        await self._upload(listing_id, images)
        await self._trim_images(listing_id, len(images))
        active = await self._update(listing_id, {"state": "active"})
        return await self._state(draft.sku, active, inventory)

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Upload pictures to the listing, ranked in order (replacing those ranks)."""
        listing = await self._require(sku)
        return await self._upload(int(listing["listing_id"]), images)

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock, and the price when given, in the listing's inventory.

        Nothing is written when the inventory already holds that stock and price.
        """
        if price is not None:
            self._check_currency(price)
        listing = await self._require(sku)
        listing_id = int(listing["listing_id"])
        current = await self._state(sku, listing)
        if price is None:
            price = current.price
            if price is None:  # pragma: no cover - Etsy listings always have a price
                raise MarketplaceError("etsy returned a listing without a price", status=None)
        if current.stock == stock and current.price == price:
            return current
        body = inventory_payload(sku, stock, price, readiness_state_id=self._readiness())
        inventory = await self._put_inventory(listing_id, body)
        listing = await self._get(f"/v3/application/listings/{listing_id}")
        return await self._state(sku, listing, inventory)

    async def withdraw(self, sku: str) -> ListingState:
        """Take the listing off sale (``state=inactive``); it can be activated again."""
        listing = await self._require(sku)
        listing_id = int(listing["listing_id"])
        if listing.get("state") != "inactive":
            listing = await self._update(listing_id, {"state": "inactive"})
        return await self._state(sku, listing)

    async def fetch(self, sku: str) -> ListingState | None:
        """The listing as Etsy holds it, or ``None`` when the shop has none with the SKU."""
        listing = await self._find(sku)
        return None if listing is None else await self._state(sku, listing)

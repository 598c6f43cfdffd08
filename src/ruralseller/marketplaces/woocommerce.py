"""The adapter for WooCommerce stores: WooCommerce REST API v3, pictures through WordPress media.

A WooCommerce store is a WordPress site; each one is its own marketplace, at its own address.
Products are keyed by ``sku``, which WooCommerce keeps unique, so our SKU is the key here too
(woocommerce/woocommerce-rest-api-docs, ``source/includes/wp-api-v3/_products.md``):

* look up: ``GET /wp-json/wc/v3/products?sku=…``;
* create: ``POST /wp-json/wc/v3/products``. There is no idempotency key, so a create whose
  answer was lost is reconciled by looking the SKU up before it is sent again
  (:func:`~ruralseller.marketplaces.http.create_once`; wc-api-python#61 "Timeout exception yet
  uploaded the data"). WooCommerce answers a create with a SKU it already has with HTTP 400
  ``woocommerce_rest_product_not_created`` (``data.resource_id`` is the existing product):
  that product is updated instead;
* update, stock, price, withdraw: ``PUT /wp-json/wc/v3/products/{id}`` (safe to repeat);
* many at once: ``POST /wp-json/wc/v3/products/batch``, at most :data:`BATCH_LIMIT` products
  per call (:meth:`WooCommerceMarketplace.upsert_many` splits larger lists).

Pictures are not given as URLs for the store to download: the store's server fetches each
``images[].src`` itself and times out on slow hosts (wc-api-php#116, WooCommerce.NET#90). Each
picture is uploaded to the WordPress media library (``POST /wp-json/wp/v2/media``) and the
product refers to it by id; a picture already uploaded is found by its content name and used
again, so a retry never uploads it twice.

Authentication (``_authentication.md``): over HTTPS, HTTP Basic with the consumer key and
secret; over plain HTTP, one-legged OAuth 1.0a signed with HMAC-SHA1 in the query string
(RFC 5849 §3.4). Basic credentials are never sent over plain HTTP.

Example:
    >>> shop = WooCommerceMarketplace(base_url="https://shop.example", consumer_key="ck_1",
    ...                               consumer_secret="cs_2", currency="CNY")
    >>> shop
    WooCommerceMarketplace(base_url='https://shop.example', currency='CNY', locale='en')
    >>> shop.capabilities.names()
    ('image_upload', 'withdraw', 'stock_and_price')
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
import secrets as secrets_module
import time
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from decimal import Decimal
from functools import partial
from types import SimpleNamespace
from typing import Any, ClassVar, Final

import attrs
import httpx
from oauthlib.oauth1.rfc5849 import signature as oauth_signature
from oauthlib.oauth1.rfc5849 import utils as oauth_utils

from ruralseller.catalog import Mass, Money
from ruralseller.errors import (
    InvalidValueError,
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceError,
    MarketplaceUnavailableError,
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
from ruralseller.marketplaces.http import create_once, error_from_response
from ruralseller.marketplaces.secrets import Secret, redact_text

__all__ = [
    "API_ROOT",
    "BATCH_LIMIT",
    "DEFAULT_RATE",
    "DUPLICATE_SKU_CODES",
    "MEDIA_ROOT",
    "META_PREFIX",
    "WOOCOMMERCE_TIMEOUT",
    "MediaImage",
    "WooCommerceBasicAuth",
    "WooCommerceMarketplace",
    "WooCommerceOAuth1",
    "WooCommerceSettings",
    "hmac_sha1_signature",
    "normalized_parameters",
    "percent_encode",
    "product_payload",
    "signature_base_string",
    "signature_base_uri",
    "stock_payload",
    "store_auth",
]

logger = logging.getLogger("ruralseller.marketplaces")

#: The WooCommerce REST API v3 root inside a WordPress site (``_introduction.md``).
API_ROOT: Final = "/wp-json/wc/v3"
#: The WordPress REST API media collection, where pictures are uploaded.
MEDIA_ROOT: Final = "/wp-json/wp/v2/media"
#: Products per ``POST /products/batch``: "up to 100 objects" by default
#: (``_products.md`` "Batch update products"); the store answers more with HTTP 413.
BATCH_LIMIT: Final = 100
#: Requests per second. WooCommerce has no rate limit of its own, the host decides (the REST
#: API docs set none); shared hosting, where many village shops live, is slow, so we stay
#: gentle (unverified).
DEFAULT_RATE: Final = 4.0
#: A long read timeout: a product save with pictures takes many seconds on shared hosting, and
#: 5 s was too low for the official Python client (wc-api-python PR #78).
WOOCOMMERCE_TIMEOUT: Final = httpx.Timeout(120.0, connect=10.0)
#: What prefixes the keys of the product meta data we write (our attributes, lot, GTIN...).
META_PREFIX: Final = "ruralseller_"
#: The error codes of a create whose SKU the store already has: ``WC_Product::set_sku`` raises
#: ``product_invalid_sku`` with ``resource_id``; the REST controller wraps it as
#: ``woocommerce_rest_product_not_created``.
DUPLICATE_SKU_CODES: Final = frozenset(
    {"product_invalid_sku", "woocommerce_rest_product_not_created"}
)

_NAME: Final = "woocommerce"
# Our draft's field names for the product fields WooCommerce reports errors on, so that a
# partner reads "title (name)" and knows which of our fields to fix.
_OUR_FIELDS: Final = {
    "name": "title",
    "regular_price": "price",
    "description": "description",
    "short_description": "bullets",
    "stock_quantity": "stock",
    "manage_stock": "stock",
    "sku": "sku",
    "images": "images",
    "weight": "weight",
    "meta_data": "attributes",
    "attributes": "attributes",
    "categories": "categories",
    "shipping_class": "shipping",
    "status": "status",
}
# WordPress's own weight units, as WooCommerce > Settings > Products names them.
_WEIGHT_UNITS: Final = {"kg": "kg", "g": "g", "lbs": "lb", "oz": "oz"}
_WITHDRAW_STATUSES: Final = ("private", "draft")
# WooCommerce status -> our state: "private" is what we withdraw to (only shop managers see it).
_STATES: Final = {"publish": "active", "private": "withdrawn"}


# --- signing (RFC 5849 §3.4, WooCommerce _authentication.md) ----------------------------------
# OAuth 1.0a comes from oauthlib (the maintained reference implementation of RFC 5849); the
# functions below name its steps so a dry run can show what is signed.


def percent_encode(text: str) -> str:
    """Percent-encode as OAuth 1.0a does (RFC 5849 §3.6): UTF-8, all but ``A-Za-z0-9-._~``.

    >>> percent_encode("r b/=é~")
    'r%20b%2F%3D%C3%A9~'
    """
    return str(oauth_utils.escape(text))


def normalized_parameters(params: Iterable[tuple[str, str]]) -> str:
    """The request parameters as the signature covers them (RFC 5849 §3.4.1.3.2).

    Each name and value is percent-encoded, the pairs sorted by name then value, and joined
    with ``=`` and ``&``.

    >>> normalized_parameters([("b", "2 q"), ("a", "x"), ("b", "1")])
    'a=x&b=1&b=2%20q'
    """
    return str(oauth_signature.normalize_parameters(list(params)))


def signature_base_uri(url: httpx.URL | str) -> str:
    """The base string URI (RFC 5849 §3.4.1.2): no query, lowercase host, no default port.

    >>> signature_base_uri("HTTP://Shop.Example:80/wp-json/wc/v3/products?sku=A")
    'http://shop.example/wp-json/wc/v3/products'
    """
    return str(oauth_signature.base_string_uri(str(httpx.URL(url))))


def signature_base_string(
    method: str, url: httpx.URL | str, params: Iterable[tuple[str, str]]
) -> str:
    """What the signature covers (RFC 5849 §3.4.1.1): method, base URI and parameters.

    ``params`` are every parameter of the request except ``oauth_signature``: the query's, the
    ``oauth_*`` ones and any form body's (WooCommerce sends JSON, whose body is not signed).

    >>> signature_base_string("GET", "http://shop.example/wp-json/wc/v3/orders",
    ...                       [("oauth_consumer_key", "abc123"),
    ...                        ("oauth_signature_method", "HMAC-SHA1")])
    'GET&http%3A%2F%2Fshop.example%2Fwp-json%2Fwc%2Fv3%2Forders&oauth_consumer_key%3Dabc123%26oauth_signature_method%3DHMAC-SHA1'
    """
    return str(
        oauth_signature.signature_base_string(
            method.upper(), signature_base_uri(url), normalized_parameters(params)
        )
    )


def hmac_sha1_signature(base_string: str, consumer_secret: str, token_secret: str = "") -> str:
    """The HMAC-SHA1 signature of ``base_string``, base64-encoded (RFC 5849 §3.4.2).

    The key is the encoded consumer secret and the encoded token secret joined by ``&``;
    WooCommerce's one-legged flow has no token, so the key ends with ``&``.

    >>> hmac_sha1_signature("GET&x&y", "cs_secret")
    'ZP51oHO4aaEdFnduDjskivQSOb0='
    """
    keys = SimpleNamespace(client_secret=consumer_secret, resource_owner_secret=token_secret)
    return str(oauth_signature.sign_hmac_sha1_with_client(base_string, keys))


def _new_nonce() -> str:
    # "any randomly generated 32 character (recommended) string" (_authentication.md).
    return secrets_module.token_hex(16)


class WooCommerceOAuth1(httpx.Auth):
    """Signs each request with one-legged OAuth 1.0a (HMAC-SHA1), for stores on plain HTTP.

    The ``oauth_*`` parameters and the signature go in the query string, which WordPress reads
    more reliably than the ``Authorization`` header (``_authentication.md``, "OAuth tips").
    The body is not signed, as WooCommerce expects. The store refuses a timestamp more than
    15 minutes off and a nonce used before, so signing runs again on every retry.

    Args:
        consumer_key: the REST API consumer key (``ck_…``).
        consumer_secret: the consumer secret (``cs_…``).
        clock: the time in seconds since the epoch; injectable for tests.
        nonce: makes a fresh nonce; injectable for tests.
    """

    def __init__(
        self,
        consumer_key: Secret,
        consumer_secret: Secret,
        *,
        clock: Callable[[], float] = time.time,
        nonce: Callable[[], str] = _new_nonce,
    ) -> None:
        self._key = consumer_key
        self._secret = consumer_secret
        self._clock = clock
        self._nonce = nonce

    def __repr__(self) -> str:
        return "WooCommerceOAuth1(consumer_key=Secret('********'))"

    def sign(self, request: httpx.Request) -> None:
        """Add the ``oauth_*`` parameters and the signature to the query of ``request``.

        oauthlib normalises the parameters, builds the base string and signs (RFC 5849,
        HMAC-SHA1); ``oauth_version`` is left out, as WooCommerce asks ("not required and
        should be omitted", ``_authentication.md``), which oauthlib's client would not do.
        The JSON body is not signed, as WooCommerce expects.
        """
        params = [(k, v) for k, v in request.url.params.multi_items() if not k.startswith("oauth_")]
        oauth = [
            ("oauth_consumer_key", self._key.reveal()),
            ("oauth_nonce", self._nonce()),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", str(int(self._clock()))),
        ]
        base = signature_base_string(request.method, request.url, [*params, *oauth])
        signature = hmac_sha1_signature(base, self._secret.reveal())
        pairs = [*params, *oauth, ("oauth_signature", signature)]
        query = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in pairs)
        request.url = request.url.copy_with(query=query.encode("ascii"))

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign ``request`` (see :meth:`sign`)."""
        self.sign(request)
        yield request


class WooCommerceBasicAuth(httpx.Auth):
    """HTTP Basic authentication, refused on anything but HTTPS.

    WooCommerce takes the consumer key and secret as user name and password over HTTPS; the
    WordPress media library takes a user name and an application password the same way.
    Over plain HTTP these would travel readable by anyone on the way, so a request to an
    ``http://`` address is refused before it is sent.

    Args:
        username: the consumer key, or the WordPress user name.
        password: the consumer secret, or the WordPress application password.
        what: what the credentials are, for the error message.
    """

    def __init__(self, username: Secret, password: Secret, *, what: str = "consumer key") -> None:
        self._username = username
        self._password = password
        self._what = what

    def __repr__(self) -> str:
        return f"WooCommerceBasicAuth(what={self._what!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the ``Authorization`` header, or refuse a plain HTTP address."""
        if request.url.scheme != "https":
            raise MarketplaceAuthError(
                f"{_NAME}: refusing to send the {self._what} and its secret over plain HTTP, "
                f"where anyone on the way can read them; use the store's https:// address "
                f"(consumer keys are then signed with OAuth 1.0a only for http:// stores)",
                marketplace=_NAME,
            )
        pair = f"{self._username.reveal()}:{self._password.reveal()}".encode()
        request.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        yield request


def store_auth(
    base_url: str,
    consumer_key: Secret,
    consumer_secret: Secret,
    *,
    clock: Callable[[], float] = time.time,
    nonce: Callable[[], str] = _new_nonce,
) -> httpx.Auth:
    """The authentication WooCommerce expects at ``base_url``: Basic on HTTPS, else OAuth 1.0a.

    >>> key, secret = Secret("ck_1"), Secret("cs_2")
    >>> store_auth("https://shop.example", key, secret)
    WooCommerceBasicAuth(what='consumer key')
    >>> store_auth("http://shop.example", key, secret)
    WooCommerceOAuth1(consumer_key=Secret('********'))
    """
    scheme = httpx.URL(base_url).scheme
    if scheme == "https":
        return WooCommerceBasicAuth(consumer_key, consumer_secret)
    if scheme == "http":
        return WooCommerceOAuth1(consumer_key, consumer_secret, clock=clock, nonce=nonce)
    raise InvalidValueError(
        f"a WooCommerce store address starts with https:// or http://, got {base_url!r}",
        field="base_url",
        hint="give the store's address as its browser shows it, e.g. https://shop.example",
    )


class _RoutedAuth(httpx.Auth):
    """The store's authentication, but the media library's own where one is configured."""

    def __init__(self, store: httpx.Auth, media: httpx.Auth | None) -> None:
        self.store = store
        self.media = media

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        use_media = self.media is not None and "/wp-json/wp/" in request.url.path
        auth = self.media if use_media and self.media is not None else self.store
        yield from auth.auth_flow(request)


# --- mapping (pure: what is sent for a draft) -------------------------------------------------


@attrs.frozen
class MediaImage:
    """A picture in the store's media library.

    Attributes:
        id: the attachment id the product refers to.
        name: the content name it was uploaded under (:func:`~ruralseller.marketplaces.image_name`).
        url: where the store serves it.
    """

    id: int
    name: str
    url: str = ""


def _price_text(price: Money) -> str:
    # WooCommerce takes prices as strings with a dot, in the store's decimals (_products.md).
    return format(price.rounded().amount, "f")


def _bullets_html(bullets: Sequence[str]) -> str:
    if not bullets:
        return ""
    items = "".join(f"<li>{html.escape(bullet)}</li>" for bullet in bullets)
    return f"<ul>{items}</ul>"


def _weight(draft: ListingDraft, text: LocalizedText, unit: str) -> str | None:
    """The shipping weight of one sale unit, in the store's weight unit.

    The packed weight of one unit (``draft.shipping_weight``) when the draft has it; else the
    sale unit's mass, or the heavier end of the ``net_weight`` attribute.
    """
    mass: Mass | None = draft.shipping_weight
    try:
        if mass is None:
            mass = Mass.parse(draft.sale_unit)
    except InvalidValueError:
        attribute = text.attribute("net_weight")
        raw = attribute.raw if attribute is not None else None
        if raw:
            try:  # a range such as "1 kg..1.4 kg": ship by the heavier end
                mass = Mass.parse(raw.split("..")[-1])
            except InvalidValueError:
                mass = None
    if mass is None:
        return None
    exact = mass.in_unit(_WEIGHT_UNITS[unit])
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    return format(value.quantize(Decimal("0.001")).normalize(), "f")


def _meta_data(draft: ListingDraft, text: LocalizedText) -> list[dict[str, str]]:
    meta: dict[str, str | None] = {
        "lot": draft.lot,
        "product": draft.product,
        "kind": draft.kind,
        "gtin": draft.gtin,
        "sale_unit": draft.sale_unit,
        "price_per_kg": str(draft.price_per_kg) if draft.price_per_kg is not None else None,
        "min_order": str(draft.min_order),
        "max_order": str(draft.max_order) if draft.max_order is not None else None,
        "traceability_url": draft.traceability_url,
        "certifications": "; ".join(draft.certifications) or None,
        "temperature_class": draft.shipping.temperature_class if draft.shipping else None,
    }
    for attribute in text.attributes:
        meta[f"attribute_{attribute.key}"] = attribute.raw or attribute.value
    return [{"key": META_PREFIX + key, "value": value} for key, value in meta.items() if value]


def product_payload(  # noqa: PLR0913 - keyword-only store settings, each with a default
    draft: ListingDraft,
    *,
    locale: str = "en",
    images: Sequence[MediaImage] = (),
    category_ids: Sequence[int] = (),
    shipping_classes: Mapping[str, str] | None = None,
    weight_unit: str = "kg",
    status: str = "publish",
) -> dict[str, Any]:
    """The WooCommerce product for ``draft``: the body of a create, an update or a batch item.

    Args:
        draft: the listing draft.
        locale: which of the draft's texts the store shows.
        images: the pictures, already in the store's media library, main picture first.
        category_ids: the store's product category ids to file it under.
        shipping_classes: the store's shipping class slug per temperature class
            (``{"chilled": "cold-chain"}``).
        weight_unit: the store's weight unit (WooCommerce > Settings > Products): ``kg``,
            ``g``, ``lbs`` or ``oz``.
        status: ``publish`` to sell it, ``draft`` to keep it hidden.

    Example:
        >>> import datetime as dt
        >>> from ruralseller.catalog import load_catalog
        >>> from ruralseller.catalog.samples import sample_path
        >>> from ruralseller.listing import generate_listing
        >>> draft = generate_listing(load_catalog(sample_path()), "WJ261120A",
        ...                          on=dt.date(2026, 11, 21))
        >>> body = product_payload(draft, images=[MediaImage(41, "9f2c.jpg")])
        >>> body["sku"], body["regular_price"], body["stock_quantity"], body["weight"]
        ('WJ261120A', '36.00', 40, '0.5')
        >>> body["images"][0]["id"], body["images"][0]["name"]
        (41, '9f2c.jpg')
    """
    if weight_unit not in _WEIGHT_UNITS:
        raise InvalidValueError(
            f"WooCommerce weighs in kg, g, lbs or oz, got weight unit {weight_unit!r}",
            field="weight_unit",
            hint="use the unit set in WooCommerce > Settings > Products",
        )
    text = draft.text(locale)
    payload: dict[str, Any] = {
        "name": text.title,
        "type": "simple",
        "status": status,
        "sku": draft.sku,
        "regular_price": _price_text(draft.price),
        "description": text.description_html,
        "short_description": _bullets_html(text.bullets),
        "manage_stock": True,
        "stock_quantity": draft.stock,
        "attributes": [
            {
                "name": attribute.label,
                "position": position,
                "visible": True,
                "variation": False,
                "options": [attribute.value],
            }
            for position, attribute in enumerate(text.attributes)
        ],
        "meta_data": _meta_data(draft, text),
    }
    weight = _weight(draft, text, weight_unit)
    if weight is not None:
        payload["weight"] = weight
    if category_ids:
        payload["categories"] = [{"id": int(category)} for category in category_ids]
    if draft.shipping and shipping_classes and draft.shipping.temperature_class in shipping_classes:
        payload["shipping_class"] = shipping_classes[draft.shipping.temperature_class]
    if images:
        payload["images"] = [
            {"id": image.id, "name": image.name, "alt": text.title} for image in images
        ]
    return payload


def stock_payload(stock: int, price: Money | None = None) -> dict[str, Any]:
    """The body of a stock (and price) change.

    >>> stock_payload(0, Money("39.5", "CNY"))
    {'manage_stock': True, 'stock_quantity': 0, 'regular_price': '39.50'}
    """
    body: dict[str, Any] = {"manage_stock": True, "stock_quantity": stock}
    if price is not None:
        body["regular_price"] = _price_text(price)
    return body


# --- errors -----------------------------------------------------------------------------------


class _SkuTakenError(ListingRejectedError):
    """A create refused because the store has a product with that SKU (``resource_id``)."""

    def __init__(self, message: str, *, resource_id: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.resource_id = resource_id


def _field_name(theirs: str) -> str:
    ours = _OUR_FIELDS.get(theirs.split("[", 1)[0])
    return f"{ours} ({theirs})" if ours and ours != theirs else theirs


def _wp_field_errors(code: str | None, message: str, data: Any) -> dict[str, str]:
    """Field errors of a WordPress REST error: ``data.params`` is ``{field: message}``."""
    fields: dict[str, str] = {}
    params = data.get("params") if isinstance(data, dict) else None
    if isinstance(params, dict):
        fields = {_field_name(str(k)): str(v) for k, v in params.items()}
    if not fields and code in DUPLICATE_SKU_CODES:
        fields = {"sku": message or "the store already has a product with this SKU"}
    elif not fields and code and "image" in code:
        fields = {"images": message}
    return fields


def _common(error: MarketplaceError) -> dict[str, Any]:
    return {
        "marketplace": error.marketplace,
        "status": error.status,
        "code": error.code,
        "request_id": error.request_id,
        "headers": error.headers,
    }


def _classify(response: httpx.Response, *, secrets: Sequence[Secret]) -> MarketplaceError | None:
    """Our error for a WordPress REST error body (``{"code", "message", "data"}``)."""
    base = error_from_response(_NAME, response, secrets=secrets)
    if base is None:
        return None
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        return base
    code = body.get("code") if isinstance(body.get("code"), str) else None
    data = body.get("data")
    ref = f" [HTTP {response.status_code}, {code}]" if code else f" [HTTP {response.status_code}]"
    said = redact_text(str(body.get("message") or ""), secrets)
    if isinstance(base, ListingRejectedError):
        fields = base.field_errors or _wp_field_errors(code, said, data)
        listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
        message = (
            f"{_NAME} rejected the listing" + (f": {listed}" if listed else f" ({said})")
        ) + f"; fix these and publish again{ref}"
        resource_id = data.get("resource_id") if isinstance(data, dict) else None
        if code in DUPLICATE_SKU_CODES and isinstance(resource_id, int) and resource_id > 0:
            return _SkuTakenError(
                message, resource_id=resource_id, field_errors=fields, **_common(base)
            )
        return ListingRejectedError(message, field_errors=fields, **_common(base))
    if isinstance(base, MarketplaceAuthError):
        if "/wp-json/wp/" in response.request.url.path:
            hint = (
                "WordPress did not let these credentials upload pictures to the media "
                "library: WooCommerce consumer keys work only on /wp-json/wc/ unless the store "
                "allows them there; give media_username and media_password (a WordPress "
                "application password of a user who may upload files)"
            )
        else:
            hint = (
                "the store did not accept the consumer key: check the key and secret "
                "(WooCommerce > Settings > Advanced > REST API), that the key has Read/Write "
                "permission, and, on http:// stores, that this computer's clock is right "
                "(signatures older than 15 minutes are refused)"
            )
        tail = f" ({_NAME} said: {said})" if said else ""
        return MarketplaceAuthError(f"{_NAME}: {hint}{tail}{ref}", **_common(base))
    return base


def _item_error(sku: str, item: Mapping[str, Any]) -> ListingRejectedError:
    """The error of one product in a batch answer (HTTP 200 with ``{"error": {...}}``)."""
    found = item.get("error")
    error: Mapping[str, Any] = found if isinstance(found, dict) else {}
    code = str(error.get("code") or "") or None
    message = str(error.get("message") or "")
    given = error.get("data")
    data: Mapping[str, Any] = given if isinstance(given, dict) else {}
    fields = _wp_field_errors(code, message, data)
    listed = "; ".join(f"{k}: {v}" for k, v in fields.items()) or message
    status = data.get("status")
    common: dict[str, Any] = {
        "field_errors": fields,
        "marketplace": _NAME,
        "status": status if isinstance(status, int) else None,
        "code": code,
    }
    text = f"{_NAME} rejected the listing {sku}: {listed}; fix these and publish again [{code}]"
    resource_id = data.get("resource_id")
    if code in DUPLICATE_SKU_CODES and isinstance(resource_id, int) and resource_id > 0:
        return _SkuTakenError(text, resource_id=resource_id, **common)
    return ListingRejectedError(text, **common)


def _image_names(images: Any) -> tuple[str, ...]:
    if not isinstance(images, list):
        return ()
    return tuple(str(i.get("name") or i.get("src") or "") for i in images if isinstance(i, dict))


def _chunks(items: Sequence[ListingDraft], size: int) -> list[Sequence[ListingDraft]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _store_root(url: str) -> str:
    return url.rstrip("/")


def _upper(value: str | None) -> str | None:
    return value.upper() if value else None


def _one_of(allowed: Sequence[str], hint: str) -> Callable[[Any, Any, str], None]:
    def check(_instance: Any, attribute: Any, value: str) -> None:
        if value not in allowed:
            raise InvalidValueError(
                f"{attribute.name} is one of {', '.join(allowed)}, got {value!r}",
                field=attribute.name,
                hint=hint,
            )

    return check


def _both_or_neither(instance: Any, _attribute: Any, value: Secret | None) -> None:
    if (instance.media_username is None) != (value is None):
        raise InvalidValueError(
            "give both media_username and media_password, or neither",
            field="media_password",
            hint="create an application password under Users > Profile in WordPress",
        )


@attrs.frozen(kw_only=True)
class WooCommerceSettings:
    """The settings of one WooCommerce store.

    Attributes:
        base_url: the store's address, e.g. ``https://shop.example`` (a WordPress site in a
            folder keeps its folder: ``https://example.com/shop``).
        consumer_key: the REST API consumer key (``ck_…``), with Read/Write permission.
        consumer_secret: its consumer secret (``cs_…``).
        media_username: a WordPress user who may upload files, for the media library.
        media_password: that user's application password (Users > Profile > Application
            Passwords). Without them the consumer key is used, which works only on stores that
            let WooCommerce keys into ``/wp-json/wp/v2/media``.
        currency: the store's currency (WooCommerce > Settings > General); asked of the store
            once when not given. A draft priced in another currency is refused: WooCommerce
            shows every price in the store's currency, so 36 CNY would sell as 36 USD.
        locale: which of the draft's texts the store shows.
        category_ids: the store's product category ids to file new products under.
        shipping_classes: the store's shipping class slug per temperature class.
        weight_unit: the store's weight unit: ``kg``, ``g``, ``lbs`` or ``oz``.
        withdraw_status: what withdrawing sets: ``private`` (only shop managers see it; the
            default) or ``draft``.
    """

    base_url: str = attrs.field(converter=_store_root)
    currency: str | None = attrs.field(default=None, converter=_upper)
    locale: str = "en"
    consumer_key: Secret = attrs.field(repr=False)
    consumer_secret: Secret = attrs.field(repr=False)
    media_username: Secret | None = attrs.field(default=None, repr=False)
    media_password: Secret | None = attrs.field(
        default=None, repr=False, validator=_both_or_neither
    )
    category_ids: tuple[int, ...] = attrs.field(default=(), converter=tuple, repr=False)
    shipping_classes: dict[str, str] = attrs.field(factory=dict, repr=False)
    weight_unit: str = attrs.field(
        default="kg",
        repr=False,
        validator=_one_of(
            tuple(_WEIGHT_UNITS), "use the unit set in WooCommerce > Settings > Products"
        ),
    )
    withdraw_status: str = attrs.field(
        default="private",
        repr=False,
        validator=_one_of(
            _WITHDRAW_STATUSES,
            "private hides it from buyers; draft also from the shop's product lists",
        ),
    )


@guard_answers
class WooCommerceMarketplace(Driver[WooCommerceSettings]):
    """Publishes to a WooCommerce store (REST API v3).

    Its settings are :class:`WooCommerceSettings`; the wiring (``retry``, ``rate``,
    ``transport``, ``timeout``, ``sleep``, ``clock``) is the
    :class:`~ruralseller.marketplaces.driver.Driver`'s: creates are never retried blindly
    (see the module docs); ``rate`` is shared by every adapter on this store; reads are long
    by default (:data:`WOOCOMMERCE_TIMEOUT`); ``clock`` times OAuth 1.0a signatures.

    Args:
        nonce: makes OAuth 1.0a nonces; injectable for tests.
    """

    name: ClassVar[str] = _NAME
    capabilities: ClassVar[Capabilities] = Capabilities(
        image_upload=True,
        native_idempotency=False,
        withdraw=True,
        stock_and_price=True,
    )

    settings_class: ClassVar[type[WooCommerceSettings]] = WooCommerceSettings
    default_rate: ClassVar[float] = DEFAULT_RATE
    default_timeout: ClassVar[httpx.Timeout] = WOOCOMMERCE_TIMEOUT

    def __init__(self, *args: Any, nonce: Callable[[], str] = _new_nonce, **kwargs: Any) -> None:
        self._nonce = nonce
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        """The store's settings as attributes."""
        settings = self.settings
        self.base_url = settings.base_url
        self.currency = settings.currency
        self.locale = settings.locale
        self.category_ids = settings.category_ids
        self.shipping_classes = dict(settings.shipping_classes)
        self.weight_unit = settings.weight_unit
        self.withdraw_status = settings.withdraw_status

    def make_auth(self) -> httpx.Auth:
        """Basic on HTTPS, OAuth 1.0a on HTTP; the media library by application password."""
        settings = self.settings
        media: httpx.Auth | None = None
        if settings.media_username is not None and settings.media_password is not None:
            media = WooCommerceBasicAuth(
                settings.media_username,
                settings.media_password,
                what="WordPress application password",
            )
        store = store_auth(
            self.base_url,
            settings.consumer_key,
            settings.consumer_secret,
            clock=self.clock,
            nonce=self._nonce,
        )
        return _RoutedAuth(store, media)

    def account_key(self) -> str:
        """The store and (a digest of) its key."""
        digest = hashlib.sha256(self.settings.consumer_key.reveal().encode()).hexdigest()
        return f"{self.base_url} {digest[:12]}"

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """WordPress's error bodies."""
        return _classify(response, secrets=tuple(self.secrets()))

    def __repr__(self) -> str:
        return (
            f"WooCommerceMarketplace(base_url={self.base_url!r}, currency={self.currency!r}, "
            f"locale={self.locale!r})"
        )

    # --- checks -------------------------------------------------------------------------------

    async def store_currency(self) -> str:
        """The store's currency: as configured, else asked of the store once."""
        if self.currency is None:
            response = await self.http.request(
                "GET", f"{API_ROOT}/settings/general/woocommerce_currency", idempotent=True
            )
            self.currency = str(response.json()["value"]).upper()
        return self.currency

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """The listing profile's issues, and what this store would get wrong.

        Beyond the profile: the text in the store's locale, the price in the store's currency,
        and a SKU without commas (``?sku=a,b`` asks WooCommerce for two SKUs).
        """
        issues = list(validate_draft(draft, self.profile))
        try:
            draft.text(self.locale)
        except KeyError:
            issues.append(
                ListingIssue(
                    f"texts[{self.locale}]",
                    f"the store shows {self.locale} text; the draft has {', '.join(draft.texts)}",
                    f"generate the listing in {self.locale}, or set locale= to one it has",
                )
            )
        currency = await self.store_currency()
        if draft.price.currency != currency:
            issues.append(
                ListingIssue(
                    "price",
                    f"the price is in {draft.price.currency}; this store sells in {currency}",
                    f"price the lot in {currency}; WooCommerce shows every price in the store's "
                    "currency and would not convert it",
                )
            )
        if "," in draft.sku:
            issues.append(
                ListingIssue(
                    "sku",
                    f"the SKU {draft.sku!r} has a comma, which WooCommerce's SKU search reads as "
                    "a list of SKUs",
                    "use a lot code without commas",
                )
            )
        return tuple(issues)

    async def _refuse_invalid(self, draft: ListingDraft) -> None:
        errors = [i for i in await self.validate(draft) if i.severity is IssueSeverity.ERROR]
        if errors:
            fields = {issue.field: f"{issue.message} (fix: {issue.fix})" for issue in errors}
            listed = "; ".join(f"{issue.field}: {issue.message}" for issue in errors)
            raise ListingRejectedError(
                f"{_NAME} would not sell listing {draft.sku} as it is: {listed}; fix these and "
                "publish again (checked before sending; nothing was sent)",
                field_errors=fields,
                marketplace=_NAME,
                code="ruralseller_profile",
            )

    # --- reads --------------------------------------------------------------------------------

    async def _find(self, sku: str) -> dict[str, Any] | None:
        response = await self.http.request(
            "GET", f"{API_ROOT}/products", idempotent=True, params={"sku": sku}
        )
        found = [p for p in response.json() if isinstance(p, dict) and p.get("sku") == sku]
        return found[0] if found else None

    async def _find_many(self, skus: Sequence[str]) -> dict[str, int]:
        if not skus:
            return {}
        response = await self.http.request(
            "GET",
            f"{API_ROOT}/products",
            idempotent=True,
            params={"sku": ",".join(skus), "per_page": str(BATCH_LIMIT)},
        )
        wanted = set(skus)
        return {
            p["sku"]: int(p["id"])
            for p in response.json()
            if isinstance(p, dict) and p.get("sku") in wanted
        }

    async def _require(self, sku: str) -> dict[str, Any]:
        found = await self._find(sku)
        if found is None:
            raise MarketplaceError(
                f"{_NAME} has no product with SKU {sku!r}; publish it first with upsert()",
                marketplace=_NAME,
                status=404,
            )
        return found

    async def fetch(self, sku: str) -> ListingState | None:
        """The product with SKU ``sku`` as the store holds it, or ``None``."""
        found = await self._find(sku)
        return await self._state(found) if found is not None else None

    # --- pictures -----------------------------------------------------------------------------

    async def _find_media(self, name: str) -> MediaImage | None:
        slug = name.rsplit(".", 1)[0].lower()  # WordPress makes the slug from the file name
        response = await self.http.request(
            "GET", MEDIA_ROOT, idempotent=True, params={"slug": slug}
        )
        for item in response.json():
            if isinstance(item, dict) and item.get("slug") == slug:
                return MediaImage(int(item["id"]), name, str(item.get("source_url") or ""))
        return None

    async def _post_media(self, image: ProcessedImage, name: str) -> MediaImage:
        response = await self.http.request(
            "POST",
            MEDIA_ROOT,
            idempotent=False,
            content=image.data,
            headers={
                "Content-Type": image.media_type,
                # WordPress names the file from this header (rest_upload_no_content_type and
                # rest_upload_no_content_disposition otherwise; odoo-woocommerce-sync#13).
                "Content-Disposition": f'attachment; filename="{name}"',
            },
        )
        item = response.json()
        return MediaImage(int(item["id"]), name, str(item.get("source_url") or ""))

    async def _upload_media(self, images: Sequence[ProcessedImage]) -> list[MediaImage]:
        uploaded = []
        for image in images:
            name = image_name(image)
            found = await self._find_media(name)
            if found is None:
                found = await create_once(
                    partial(self._post_media, image, name), partial(self._find_media, name)
                )
            uploaded.append(found)
        return uploaded

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Upload pictures to the media library and make them the product's pictures.

        The product's pictures become exactly these, main picture first. A picture already in
        the media library (same content) is used again, not uploaded twice.
        """
        product = await self._require(sku)
        media = await self._upload_media(images)
        alt = str(product.get("name") or "")
        body = {"images": [{"id": m.id, "name": m.name, "alt": alt} for m in media]}
        await self._put(int(product["id"]), body)
        return tuple(m.name for m in media)

    # --- writes -------------------------------------------------------------------------------

    def _payload(self, draft: ListingDraft, media: Sequence[MediaImage]) -> dict[str, Any]:
        return product_payload(
            draft,
            locale=self.locale,
            images=media,
            category_ids=self.category_ids,
            shipping_classes=self.shipping_classes,
            weight_unit=self.weight_unit,
        )

    async def _put(self, product_id: int, body: Mapping[str, Any]) -> dict[str, Any]:
        response = await self.http.request(
            "PUT", f"{API_ROOT}/products/{product_id}", idempotent=True, json=dict(body)
        )
        result: dict[str, Any] = response.json()
        return result

    async def _create(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        try:
            response = await self.http.request(
                "POST", f"{API_ROOT}/products", idempotent=False, json=dict(payload)
            )
        except _SkuTakenError as taken:
            # The store has this SKU already (made by a create whose answer was lost, or by
            # hand): bring that product up to date instead.
            logger.info(
                "%s: SKU %s exists as product %d; updating it",
                _NAME,
                payload["sku"],
                taken.resource_id,
            )
            return await self._put(taken.resource_id, payload)
        result: dict[str, Any] = response.json()
        return result

    async def _write(self, sku: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        found = await self._find(sku)
        if found is not None:
            return await self._put(int(found["id"]), payload)
        # Found after a lost answer, the product is the one our create made from ``payload``.
        return await create_once(partial(self._create, payload), partial(self._find, sku))

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Upload the pictures, then create or update the product with ``draft.sku``.

        The draft is checked first (:meth:`validate`): a draft this store would show wrongly
        is refused with :class:`~ruralseller.errors.ListingRejectedError` before anything is
        sent.
        """
        await self._refuse_invalid(draft)
        media = await self._upload_media(images)
        product = await self._write(draft.sku, self._payload(draft, media))
        return await self._state(product)

    async def batch_upsert(
        self,
        drafts: Sequence[ListingDraft],
        images: Mapping[str, Sequence[ProcessedImage]] | None = None,
        *,
        attempts: int = 3,
    ) -> dict[str, ListingState | MarketplaceError]:
        """Create or update up to :data:`BATCH_LIMIT` products in one ``products/batch`` call.

        A batch creates, so it is never retried blindly: before each try the SKUs are looked
        up, and those the store already has are sent as updates. WooCommerce answers a batch
        with HTTP 200 and an ``error`` in each product it refused; those come back as
        :class:`~ruralseller.errors.ListingRejectedError`, the others as their state.

        Args:
            drafts: at most :data:`BATCH_LIMIT` drafts with different SKUs.
            images: the pictures of each SKU, uploaded first.
            attempts: how many batch calls to send at most.

        Returns:
            Per SKU, in the order of ``drafts``: the product's state, or the error that kept
            it out.
        """
        if len(drafts) > BATCH_LIMIT:
            raise ValueError(
                f"a WooCommerce batch takes at most {BATCH_LIMIT} products, got {len(drafts)}; "
                "use upsert_many(), which splits them"
            )
        skus = [draft.sku for draft in drafts]
        if len(set(skus)) != len(skus):
            raise ValueError("each draft in a batch needs its own SKU")
        results: dict[str, ListingState | MarketplaceError] = {}
        payloads: dict[str, dict[str, Any]] = {}
        for draft in drafts:
            try:
                await self._refuse_invalid(draft)
            except ListingRejectedError as error:
                results[draft.sku] = error
                continue
            media = await self._upload_media((images or {}).get(draft.sku, ()))
            payloads[draft.sku] = self._payload(draft, media)
        pending = list(payloads)
        known: dict[str, int] = {}  # SKUs the store said it has, with their product ids
        for attempt in range(1, attempts + 1):
            if not pending:
                break
            try:
                pending = await self._batch_round(
                    pending, payloads, results, known, last=attempt == attempts
                )
            except MarketplaceUnavailableError:
                if attempt == attempts:
                    raise
                logger.info("%s: batch answer lost; looking the SKUs up again", _NAME)
        for sku in skus:
            results.setdefault(
                sku,
                MarketplaceError(
                    f"{_NAME} did not answer for {sku} in the batch; publish it again",
                    marketplace=_NAME,
                ),
            )
        return {sku: results[sku] for sku in skus}

    async def _batch_round(
        self,
        pending: Sequence[str],
        payloads: Mapping[str, Mapping[str, Any]],
        results: dict[str, ListingState | MarketplaceError],
        known: dict[str, int],
        *,
        last: bool,
    ) -> list[str]:
        """Send one batch; record what it did; return the SKUs to send again as updates."""
        existing = await self._find_many([sku for sku in pending if sku not in known])
        existing |= {sku: known[sku] for sku in pending if sku in known}
        creates = [sku for sku in pending if sku not in existing]
        updates = [sku for sku in pending if sku in existing]
        body = {
            "create": [payloads[sku] for sku in creates],
            "update": [{"id": existing[sku], **payloads[sku]} for sku in updates],
        }
        response = await self.http.request(
            "POST", f"{API_ROOT}/products/batch", idempotent=False, json=body
        )
        answer = response.json()
        again: list[str] = []
        for kind, sent in (("create", creates), ("update", updates)):
            for sku, item in zip(sent, answer.get(kind, []), strict=False):
                if not isinstance(item, dict):
                    continue
                if not isinstance(item.get("error"), dict):
                    results[sku] = await self._state(item)
                    continue
                refused = _item_error(sku, item)
                if isinstance(refused, _SkuTakenError) and not last:
                    # The store has it (made by a lost try, by hand, or in the bin, where the
                    # SKU search does not look): update that product next round.
                    known[sku] = refused.resource_id
                    again.append(sku)
                else:
                    results[sku] = refused
        return again

    async def upsert_many(
        self,
        drafts: Sequence[ListingDraft],
        images: Mapping[str, Sequence[ProcessedImage]] | None = None,
    ) -> dict[str, ListingState | MarketplaceError]:
        """Create or update any number of products, :data:`BATCH_LIMIT` per batch call.

        See :meth:`batch_upsert` for what each SKU's result is.
        """
        results: dict[str, ListingState | MarketplaceError] = {}
        for chunk in _chunks(drafts, BATCH_LIMIT):
            results.update(await self.batch_upsert(chunk, images))
        return results

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock, and the price when given (in the store's currency).

        Only what differs from the product as the store holds it is written (one ``PUT``, or
        none when nothing changed).
        """
        if price is not None:
            currency = await self.store_currency()
            if price.currency != currency:
                raise ListingRejectedError(
                    f"{_NAME} sells in {currency}, not {price.currency}: give the price of "
                    f"{sku} in {currency}",
                    field_errors={"price": f"in {price.currency}, the store sells in {currency}"},
                    marketplace=_NAME,
                    code="ruralseller_currency",
                )
        product = await self._require(sku)
        now = await self._state(product)
        if price is not None and now.price == price:
            price = None  # unchanged: only the stock is written
        if price is None and now.stock == stock and product.get("manage_stock"):
            return now  # nothing changed: nothing is written
        return await self._state(await self._put(int(product["id"]), stock_payload(stock, price)))

    async def withdraw(self, sku: str) -> ListingState:
        """Take the product off sale: status ``private`` (or ``draft``, as configured)."""
        product = await self._require(sku)
        if product.get("status") != self.withdraw_status:
            product = await self._put(int(product["id"]), {"status": self.withdraw_status})
        return await self._state(product)

    async def aclose(self) -> None:
        """Close the connections."""
        await self.http.aclose()

    async def _state(self, product: Mapping[str, Any]) -> ListingState:
        status = str(product.get("status") or "")
        price = product.get("regular_price")
        names = _image_names(product.get("images"))
        return ListingState(
            marketplace=self.name,
            sku=str(product["sku"]),
            state=_STATES.get(status, "draft"),
            version=str(product["date_modified_gmt"]) if product.get("date_modified_gmt") else None,
            stock=product.get("stock_quantity"),
            price=Money(str(price), await self.store_currency()) if price else None,
            images=names,
            url=str(product["permalink"]) if product.get("permalink") else None,
            extra={
                "id": product.get("id"),
                "status": status,
                "stock_status": product.get("stock_status"),
            },
        )

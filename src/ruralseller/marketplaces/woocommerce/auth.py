"""How requests to WooCommerce are authenticated."""

from __future__ import annotations

import base64
import secrets as secrets_module
import time
from collections.abc import Callable, Generator, Iterable
from types import SimpleNamespace

import httpx
from oauthlib.oauth1.rfc5849 import signature as oauth_signature
from oauthlib.oauth1.rfc5849 import utils as oauth_utils

from ruralseller.errors import (
    InvalidValueError,
    MarketplaceAuthError,
)
from ruralseller.marketplaces.secrets import Secret
from ruralseller.marketplaces.woocommerce.constants import (
    _NAME,
)

__all__ = [
    "WooCommerceBasicAuth",
    "WooCommerceOAuth1",
    "hmac_sha1_signature",
    "normalized_parameters",
    "percent_encode",
    "signature_base_string",
    "signature_base_uri",
    "store_auth",
]

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

"""How Shopee requests are signed."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Generator

import attrs
import httpx

from ruralseller.marketplaces.secrets import Secret
from ruralseller.marketplaces.shopee.constants import (
    _PUBLIC_PATHS,
)
from ruralseller.marketplaces.shopee.regions import (
    _maybe_secret,
    _secret,
)

__all__ = [
    "ShopeeAuth",
    "ShopeeTokens",
    "base_string",
    "sign",
]

# --- signing ---------------------------------------------------------------------------------


def base_string(
    partner_id: int,
    path: str,
    timestamp: int,
    access_token: str | None = None,
    shop_id: int | None = None,
) -> str:
    """The text Shopee's signature covers ("API calls" guide, step 1).

    Public calls: ``partner_id + api_path + timestamp``; shop calls add
    ``access_token + shop_id``.

    >>> base_string(2001887, "/api/v2/public/get_shops_by_partner", 1655714431)
    '2001887/api/v2/public/get_shops_by_partner1655714431'
    >>> base_string(2001887, "/api/v2/shop/get_shop_info", 1655714431,
    ...             "59777174636562737266615546704c6d", 14701711)
    '2001887/api/v2/shop/get_shop_info165571443159777174636562737266615546704c6d14701711'
    """
    text = f"{partner_id}{path}{timestamp}"
    if access_token is not None:
        text += f"{access_token}{shop_id if shop_id is not None else ''}"
    return text


def sign(partner_key: Secret | str, message: str) -> str:
    """Lowercase hex HMAC-SHA256 of ``message`` keyed with the partner key (RFC 2104).

    >>> sign("testkey", base_string(2001887, "/api/v2/product/add_item", 1655714431,
    ...      "59777174636562737266615546704c6d", 14701711))
    'a9748bcb189b2eedd0f4f0cf7bca4940eb3b8795d92b683a7b3f7c9697aabe1f'
    """
    key = partner_key.reveal() if isinstance(partner_key, Secret) else partner_key
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


@attrs.define(kw_only=True)
class ShopeeTokens:
    """A shop's access token and refresh token, as they change over time.

    The access token lives 4 hours, the refresh token 30 days, and each refresh hands out a
    new pair ("Authorization and Authentication" guide, getting and refreshing the
    access_token). The adapter replaces them here when it refreshes; pass ``on_refresh`` to
    the adapter to store the new pair.

    Attributes:
        access_token: the token shop calls are signed with.
        refresh_token: the token to get a new access token with, if known.
        expires_at: when the access token expires (seconds since the epoch), if known.
    """

    access_token: Secret = attrs.field(converter=_secret)
    refresh_token: Secret | None = attrs.field(default=None, converter=_maybe_secret)
    expires_at: float | None = None


class ShopeeAuth(httpx.Auth):
    """Signs each request as Shopee v2 expects ("API calls" guide).

    ``partner_id``, ``timestamp`` and ``sign`` go in the query string, plus ``access_token``
    and ``shop_id`` for shop calls; the signature is :func:`sign` over :func:`base_string`.
    It runs again on every retry, so each try carries a fresh timestamp (Shopee refuses one
    older than :data:`TIMESTAMP_VALIDITY`), and it reads the current access token from
    ``tokens`` each time, so a refreshed token is used at once.
    """

    def __init__(
        self,
        partner_id: int,
        partner_key: Secret,
        *,
        shop_id: int,
        tokens: ShopeeTokens,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.partner_id = partner_id
        self.shop_id = shop_id
        self._partner_key = partner_key
        self._tokens = tokens
        self._clock = clock

    def __repr__(self) -> str:
        return f"ShopeeAuth(partner_id={self.partner_id!r}, shop_id={self.shop_id!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the common parameters and the signature to ``request``'s query string."""
        path = request.url.path
        timestamp = int(self._clock())
        params: dict[str, str | int] = {"partner_id": self.partner_id, "timestamp": timestamp}
        if path in _PUBLIC_PATHS or path.startswith("/api/v2/public/"):
            message = base_string(self.partner_id, path, timestamp)
        else:
            token = self._tokens.access_token.reveal()
            message = base_string(self.partner_id, path, timestamp, token, self.shop_id)
            params |= {"access_token": token, "shop_id": self.shop_id}
        params["sign"] = sign(self._partner_key, message)
        url = request.url
        for name, value in params.items():
            url = url.copy_set_param(name, value)
        request.url = url
        yield request

"""Shopify's answers read as errors of the MarketplaceError family."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Generator, Iterable, Mapping
from typing import Any

import httpx

from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceError,
    RateLimitedError,
)
from ruralseller.marketplaces.ratelimit import TokenBucket
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text
from ruralseller.marketplaces.shopify.constants import (
    _BUCKET_SECONDS,
    _NAME,
    _SKEW,
    STANDARD_RESTORE_RATE,
)

__all__ = [
    "QueryCostBucket",
    "ShopifyTokenAuth",
    "classify_graphql",
    "shop_cost_bucket",
    "throttle_wait",
]

# --- throttling and errors ------------------------------------------------------------------


def throttle_wait(cost: Any) -> float | None:
    """Seconds until the bucket can pay for a throttled query, from ``extensions.cost``.

    That is ``(requestedQueryCost - currentlyAvailable + 1) / restoreRate`` (shopify.dev
    "GraphQL Admin API rate limits"), so at least one restore tick; ``None`` when the numbers
    are missing. The extra point is there because Shopify reports ``currentlyAvailable`` in
    whole points while its bucket refills continuously: the report may read up to a point more
    than the bucket holds, even as much as the query costs, and waiting the bare difference
    (0 s then) would be throttled again.

    >>> throttle_wait({"requestedQueryCost": 72, "actualQueryCost": None, "throttleStatus":
    ...     {"maximumAvailable": 2000.0, "currentlyAvailable": 22, "restoreRate": 100.0}})
    0.51
    >>> throttle_wait({"requestedQueryCost": 57, "actualQueryCost": None, "throttleStatus":
    ...     {"maximumAvailable": 2000.0, "currentlyAvailable": 57, "restoreRate": 100.0}})
    0.01
    """
    if not isinstance(cost, Mapping):
        return None
    status = cost.get("throttleStatus")
    requested = cost.get("requestedQueryCost")
    if not isinstance(status, Mapping) or not isinstance(requested, int | float):
        return None
    available, rate = status.get("currentlyAvailable"), status.get("restoreRate")
    if not isinstance(available, int | float) or not isinstance(rate, int | float) or rate <= 0:
        return None
    return (max(0.0, float(requested) - float(available)) + 1.0) / float(rate)


def _field_path(field: Any) -> str:
    """A userError's ``field`` path as one name, without the argument it starts from."""
    parts = [str(part) for part in field] if isinstance(field, list) else [str(field or "")]
    if len(parts) > 1 and parts[0] in {"input", "product"}:
        parts = parts[1:]
    return ".".join(part for part in parts if part)


def classify_graphql(
    response: httpx.Response, *, secrets: Iterable[Secret | str] = ()
) -> MarketplaceError | None:
    """The error hidden in a GraphQL answer with HTTP 200, or ``None``.

    * ``errors`` with code ``THROTTLED``: :class:`~ruralseller.errors.RateLimitedError`, with
      ``retry_after`` from :func:`throttle_wait`;
    * ``errors`` with code ``ACCESS_DENIED``: :class:`~ruralseller.errors.MarketplaceAuthError`
      (the app lacks an access scope);
    * any other ``errors``: :class:`~ruralseller.errors.MarketplaceError`;
    * a mutation's ``userErrors``: :class:`~ruralseller.errors.ListingRejectedError`, each
      ``field`` path joined with dots (``["input", "title"]`` becomes ``title``).

    Other statuses are left to the shared mapping (401, 429 with ``Retry-After``, 5xx...).

    >>> answer = httpx.Response(200, json={"data": {"productSet": {"product": None,
    ...     "userErrors": [{"field": ["input", "title"], "message": "Title is too long",
    ...                     "code": "INVALID"}]}}})
    >>> error = classify_graphql(answer)
    >>> error.field_errors
    {'title': 'Title is too long'}
    """
    if response.status_code != httpx.codes.OK:  # GraphQL errors ride on a 200
        return None
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(body, dict):
        return None
    secrets = tuple(secrets)
    common: dict[str, Any] = {
        "marketplace": _NAME,
        "status": response.status_code,
        "request_id": response.headers.get("x-request-id"),
        "headers": redact_headers(response.headers),
    }
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        return _top_level_error(errors, body.get("extensions"), secrets, common)
    data = body.get("data")
    if not isinstance(data, dict):
        return None
    for operation, payload in data.items():
        user_errors = payload.get("userErrors") if isinstance(payload, dict) else None
        if user_errors:
            fields = {
                _field_path(e.get("field")) or operation: redact_text(
                    str(e.get("message")), secrets
                )
                for e in user_errors
                if isinstance(e, dict)
            }
            listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
            code = next((e.get("code") for e in user_errors if isinstance(e, dict)), None)
            return ListingRejectedError(
                f"{_NAME} rejected the listing ({operation}): {listed}; fix these and "
                "publish again",
                field_errors=fields,
                code=str(code) if code else None,
                **common,
            )
    return None


def _top_level_error(
    errors: list[Any], extensions: Any, secrets: tuple[Secret | str, ...], common: dict[str, Any]
) -> MarketplaceError:
    codes = [
        str(e.get("extensions", {}).get("code", ""))
        for e in errors
        if isinstance(e, dict) and isinstance(e.get("extensions"), dict)
    ]
    said = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)
    said = redact_text(said, secrets)
    if "THROTTLED" in codes or said.strip() == "Throttled":
        cost = extensions.get("cost") if isinstance(extensions, dict) else None
        wait = throttle_wait(cost)
        after = f"wait {wait:g} s and " if wait is not None else "wait and "
        return RateLimitedError(
            f"{_NAME} is limiting how fast we send (query cost): {after}try again",
            retry_after=wait,
            code="THROTTLED",
            **common,
        )
    if "ACCESS_DENIED" in codes:
        return MarketplaceAuthError(
            f"{_NAME} refused: the app's access token lacks a scope this needs (products, "
            f"inventory, locations, files); add it to the app and reinstall ({_NAME} said: "
            f"{said})",
            code="ACCESS_DENIED",
            **common,
        )
    return MarketplaceError(
        f"{_NAME} could not run the request; this is a bug in the adapter or an API version "
        f"change, please report it ({_NAME} said: {said})",
        code=codes[0] if codes else None,
        **common,
    )


class QueryCostBucket(TokenBucket):
    """A leaky bucket of query-cost points, kept in step with what Shopify reports.

    Before a request, :meth:`reserve` takes the points it is expected to cost and says how
    long to wait until the bucket can pay; after each answer, :meth:`observe` adopts
    Shopify's ``throttleStatus`` (its bucket size, restore rate and the points left), so a
    wrong guess (or another program using the same app and store) is corrected at once.

    Example:
        >>> now = [0.0]
        >>> bucket = QueryCostBucket(rate=100, capacity=200, clock=lambda: now[0])
        >>> bucket.reserve(150), bucket.reserve(100)
        (0.0, 0.5)
        >>> bucket.observe({"maximumAvailable": 1000.0, "currentlyAvailable": 10.0,
        ...                 "restoreRate": 50.0})
        >>> bucket.reserve(59)
        1.0
    """

    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not rate > 0:
            raise ValueError(f"QueryCostBucket rate must be positive points per second: {rate!r}")
        size = capacity if capacity is not None else rate * _BUCKET_SECONDS
        super().__init__(rate, size, clock=clock)

    def __repr__(self) -> str:
        return f"QueryCostBucket(rate={self.rate:g}, capacity={self.capacity:g})"

    def observe(self, status: Any) -> None:
        """Adopt Shopify's ``extensions.cost.throttleStatus`` (ignored when malformed)."""
        if not isinstance(status, Mapping):
            return
        values = [status.get(k) for k in ("maximumAvailable", "currentlyAvailable", "restoreRate")]
        numbers = [float(v) for v in values if isinstance(v, int | float)]
        if len(numbers) != len(values):
            return
        maximum, available, rate = numbers
        if maximum <= 0 or rate <= 0:
            return
        with self._lock:
            self._refill()
            self.capacity, self.rate = maximum, rate
            # Shopify reports whole points of a bucket that refills continuously, so a report
            # of a bucket not full may be up to a point above what it holds: count one less.
            self._tokens = maximum if available >= maximum else max(0.0, available - 1.0)

    async def acquire(
        self, cost: float = 1.0, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> None:
        """Wait until the bucket can pay ``cost`` points (and a little more, for clock skew)."""
        wait = self.reserve(cost)
        if wait > 0:
            await sleep(wait + _SKEW)


_BUCKETS: dict[str, QueryCostBucket] = {}
_BUCKETS_LOCK = threading.Lock()


def shop_cost_bucket(shop: str, rate: float = STANDARD_RESTORE_RATE) -> QueryCostBucket:
    """The one cost bucket of a shop in this process, made on first use.

    Shopify counts points per app and store: every adapter for the same shop shares one
    bucket, and a later call with another rate keeps the first.

    >>> shop_cost_bucket("doc-shop.myshopify.com") is shop_cost_bucket("doc-shop.myshopify.com")
    True
    """
    with _BUCKETS_LOCK:
        if shop not in _BUCKETS:
            _BUCKETS[shop] = QueryCostBucket(rate)
        return _BUCKETS[shop]


class ShopifyTokenAuth(httpx.Auth):
    """Sends the Admin API access token in ``X-Shopify-Access-Token``, to the shop only.

    Staged picture uploads go to another host (a storage bucket); the token is never sent
    there.
    """

    def __init__(self, token: Secret, host: str) -> None:
        self._token = token
        self.host = host

    def __repr__(self) -> str:
        return f"ShopifyTokenAuth(host={self.host!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the token when ``request`` goes to the shop."""
        if request.url.host == self.host:
            request.headers["X-Shopify-Access-Token"] = self._token.reveal()
        yield request

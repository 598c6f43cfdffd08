"""The HTTP layer every adapter shares: timeouts, retries, rate limits and error mapping.

An adapter says *what* to send; :class:`AsyncMarketplaceHttp` (and its synchronous mirror
:class:`MarketplaceHttp`) decide *how*: wait for the account's rate limit, send, turn the
response into a :class:`~ruralseller.errors.MarketplaceError` when it is one, and retry what is
safe to retry. Signing is an ``httpx.Auth`` passed in, so it is re-applied on every try.

What is retried (stripe's client and libcloud's ``RetryConnection`` are the models):

* a connection that could not be opened: always, the marketplace never saw the request;
* HTTP 429, or a throttle the adapter's ``classify`` hook found in a 200 body: always, the
  marketplace refused before doing anything; waiting at least its ``Retry-After``;
* a timeout or dropped connection after sending, and 5xx: only when ``idempotent=True`` (a GET,
  a PUT keyed by SKU, a POST with an idempotency key the marketplace honours). A lost create on
  a marketplace without idempotency keys is the adapter's job to reconcile by looking the SKU
  up before trying again; retrying blindly here would make a duplicate listing.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import hashlib
import json
import logging
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from typing import Any, Self, TypeVar

import httpx

from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceConflictError,
    MarketplaceError,
    MarketplaceUnavailableError,
    RateLimitedError,
)
from ruralseller.marketplaces.ratelimit import RateBudget
from ruralseller.marketplaces.retry import RetryPolicy, parse_retry_after
from ruralseller.marketplaces.secrets import Secret, redact_headers, redact_text

__all__ = [
    "DEFAULT_TIMEOUT",
    "AsyncMarketplaceHttp",
    "ClassifyHook",
    "MarketplaceHttp",
    "create_once",
    "current_write_key",
    "error_from_response",
    "idempotency_scope",
]

logger = logging.getLogger("ruralseller.marketplaces")

T = TypeVar("T")

#: Generous for a village uplink: 10 s to connect, 60 s for a read (image uploads are slow).
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)

#: An adapter's hook to find errors a marketplace returns in a 2xx body (a throttle, an
#: invalid field). It returns the error to raise, or ``None`` to fall back to the status code.
ClassifyHook = Callable[[httpx.Response], MarketplaceError | None]

_REQUEST_ID_HEADERS = ("x-request-id", "x-amzn-requestid", "request-id", "x-correlation-id")


def _body_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (ValueError, UnicodeDecodeError):
        return None


def _field_errors(body: Any) -> dict[str, str]:
    """Field errors in the shapes marketplaces commonly use.

    A list under ``errors`` or ``detail`` of ``{field|loc|path, message|msg}`` items, or a
    ``{field: message}`` mapping.
    """
    if not isinstance(body, dict):
        return {}
    found = body.get("field_errors") or body.get("errors") or body.get("detail")
    if isinstance(found, dict):
        return {str(k): str(v) for k, v in found.items()}
    result: dict[str, str] = {}
    if isinstance(found, list):
        for item in found:
            if not isinstance(item, dict):
                continue
            where = item.get("field") or item.get("loc") or item.get("path") or ""
            if isinstance(where, list):
                where = ".".join(str(part) for part in where)
            what = item.get("message") or item.get("msg") or item.get("reason") or ""
            if where:
                result[str(where)] = str(what)
    return result


def _summary(body: Any, response: httpx.Response) -> tuple[str, str | None]:
    """The marketplace's own message and error code, when its body has them."""
    if isinstance(body, dict):
        message = body.get("message") or body.get("error_description") or body.get("title")
        code = body.get("code") or body.get("error")
        if isinstance(body.get("error"), dict):
            message = message or body["error"].get("message")
            code = body["error"].get("code")
        return (str(message) if message else ""), (str(code) if code is not None else None)
    text = response.text.strip() if response.content else ""
    return text[:200], None


def error_from_response(
    marketplace: str,
    response: httpx.Response,
    *,
    secrets: Iterable[Secret | str] = (),
) -> MarketplaceError | None:
    """The error a response stands for, or ``None`` for a success (any 1xx, 2xx or 3xx).

    Messages say what to do; the marketplace's own words follow, with secrets redacted.
    """
    status = response.status_code
    if status < 400:
        return None
    body = _body_json(response)
    said, code = _summary(body, response)
    secrets = list(secrets)
    said = redact_text(said, secrets)
    request_id = next(
        (response.headers[h] for h in _REQUEST_ID_HEADERS if h in response.headers), None
    )
    common: dict[str, Any] = {
        "marketplace": marketplace,
        "status": status,
        "code": code,
        "request_id": request_id,
        "headers": redact_headers(response.headers),
    }
    tail = f" ({marketplace} said: {said})" if said else ""
    ref = f" [HTTP {status}" + (f", request id {request_id}]" if request_id else "]")
    if status in (401, 403):
        return MarketplaceAuthError(
            f"{marketplace} did not accept the credentials: check the API key and secret "
            f"for this account, and that they are not expired{tail}{ref}",
            **common,
        )
    if status == 429:
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        wait = f"wait {retry_after:g} s and " if retry_after is not None else "wait and "
        return RateLimitedError(
            f"{marketplace} is limiting how fast we send: {wait}try again{tail}{ref}",
            retry_after=retry_after,
            **common,
        )
    if status in (409, 412):
        return MarketplaceConflictError(
            f"{marketplace} reports a conflict: the listing changed there since we last read "
            f"it, or an idempotency key was reused; fetch its state and try again{tail}{ref}",
            **common,
        )
    if status in (400, 413, 415, 422):
        fields = {
            redact_text(k, secrets): redact_text(v, secrets) for k, v in _field_errors(body).items()
        }
        listed = "; ".join(f"{k}: {v}" for k, v in fields.items())
        return ListingRejectedError(
            f"{marketplace} rejected the listing"
            + (f": {listed}" if listed else "")
            + f"; fix these and publish again{tail if not listed else ''}{ref}",
            field_errors=fields,
            **common,
        )
    if status >= 500:
        return MarketplaceUnavailableError(
            f"{marketplace} is having trouble (server error); nothing to fix on our side, "
            f"try again later{tail}{ref}",
            **common,
        )
    return MarketplaceError(f"{marketplace} refused the request{tail}{ref}", **common)


def _transport_error(marketplace: str, exc: httpx.TransportError) -> MarketplaceUnavailableError:
    what = {
        httpx.ConnectError: "could not be reached (check the internet connection)",
        httpx.ConnectTimeout: "could not be reached in time (check the internet connection)",
        httpx.ReadTimeout: "took too long to answer",
        httpx.RemoteProtocolError: "dropped the connection before answering",
    }.get(type(exc), "could not be reached")
    return MarketplaceUnavailableError(
        f"{marketplace} {what}; try again when the connection is better ({type(exc).__name__})",
        marketplace=marketplace,
    )


def _never_sent(exc: httpx.TransportError) -> bool:
    """Whether the request certainly did not reach the marketplace."""
    return isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


_WRITE_KEY: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "ruralseller_write_key", default=None
)
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


@contextlib.contextmanager
def idempotency_scope(key: str) -> Iterator[None]:
    """Send the writes made inside the block under idempotency keys derived from ``key``.

    The publisher wraps each outbox job's sending in its job's key, which is kept across
    retries and restarts. An adapter whose marketplace honours idempotency keys (the
    ``idempotency_header`` of :class:`AsyncMarketplaceHttp`) then sends each write with a key
    made from the job's key, the method and the URL: the same on every try of the same job,
    different for each write within it. The marketplace carries out each write at most
    once, even when an answer was lost and the job is sent again after a restart.

    >>> with idempotency_scope("job-7f3a"):
    ...     current_write_key("PUT", "/v1/listings/HEN-1")
    '12c617671440bd4663ee5afc88ac0977'
    >>> current_write_key("PUT", "/v1/listings/HEN-1") is None
    True
    """
    token = _WRITE_KEY.set(key)
    try:
        yield
    finally:
        _WRITE_KEY.reset(token)


def current_write_key(method: str, url: str) -> str | None:
    """The idempotency key for a write inside :func:`idempotency_scope`, else ``None``."""
    key = _WRITE_KEY.get()
    if key is None or method.upper() in _READS:
        return None
    return hashlib.sha256(f"{key}\n{method.upper()}\n{url}".encode()).hexdigest()[:32]


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One certificate-verifying TLS context for every client in this process.

    Loading the system's CA certificates takes about 50 ms; an httpx client made without a
    context loads them again, which made a one-listing ``publish()`` four times slower than
    its requests (benchmarks/bench_overhead.py). Verification stays on: there is no switch
    to turn it off.
    """
    return httpx.create_ssl_context()


class _Core:
    """What the async and sync clients share: configuration and the retry decision."""

    def __init__(
        self,
        marketplace: str,
        *,
        retry: RetryPolicy | None,
        rate_limit: RateBudget | None,
        classify: ClassifyHook | None,
        secrets: Iterable[Secret | str],
    ) -> None:
        self.marketplace = marketplace
        self.retry = retry or RetryPolicy()
        self.rate_limit = rate_limit
        self.classify = classify
        self.secrets = tuple(secrets)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.marketplace!r}, retry={self.retry!r})"

    def check(self, response: httpx.Response) -> MarketplaceError | None:
        error = self.classify(response) if self.classify else None
        return error or error_from_response(self.marketplace, response, secrets=self.secrets)

    def wait_before_retry(
        self, error: MarketplaceError, attempt: int, *, idempotent: bool, sent: bool
    ) -> float | None:
        """Seconds to wait before trying again, or ``None`` to raise ``error`` now."""
        if attempt >= self.retry.max_attempts:
            return None
        retry_after: float | None = None
        if isinstance(error, RateLimitedError):
            retry_after = error.retry_after
            if not self.retry.should_wait_for(retry_after):
                return None
        elif isinstance(error, MarketplaceUnavailableError):
            if sent and not idempotent:
                return None
        else:
            return None
        delay = self.retry.delay(attempt, retry_after)
        logger.info(
            "%s: %s; try %d of %d in %.2f s",
            self.marketplace,
            type(error).__name__,
            attempt + 1,
            self.retry.max_attempts,
            delay,
        )
        return delay


def _kwargs(
    json_body: Any, content: bytes | None, headers: Mapping[str, str] | None, params: Any
) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"headers": headers, "params": params}
    if json_body is not None:
        kwargs["content"] = json.dumps(json_body, ensure_ascii=False).encode()
        kwargs["headers"] = {"Content-Type": "application/json", **(headers or {})}
    elif content is not None:
        kwargs["content"] = content
    return kwargs


class AsyncMarketplaceHttp(_Core):
    """The async HTTP client an adapter sends its requests through.

    Args:
        marketplace: the adapter name, used in messages.
        base_url: the marketplace's API root.
        auth: an ``httpx.Auth`` that signs each request (re-run on every retry).
        retry: the retry policy; :meth:`RetryPolicy.never` to try once.
        rate_limit: a bucket shared by everything using this account.
        classify: the adapter's hook for errors hidden in 2xx bodies.
        secrets: credentials to scrub from error messages.
        transport: an httpx transport (``httpx.MockTransport`` in tests, ASGI for the sandbox).
        timeout: per-request timeouts, :data:`DEFAULT_TIMEOUT` unless given.
        sleep: how to wait; injectable so tests run instantly.
        idempotency_header: the header the marketplace reads idempotency keys from (e.g.
            ``Idempotency-Key``); writes inside :func:`idempotency_scope` then carry one.
    """

    def __init__(  # noqa: PLR0913 - all keyword-only after the base URL
        self,
        marketplace: str,
        base_url: str,
        *,
        auth: httpx.Auth | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: RateBudget | None = None,
        classify: ClassifyHook | None = None,
        secrets: Iterable[Secret | str] = (),
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        idempotency_header: str | None = None,
    ) -> None:
        super().__init__(
            marketplace, retry=retry, rate_limit=rate_limit, classify=classify, secrets=secrets
        )
        self._sleep = sleep
        self.idempotency_header = idempotency_header
        self.client = httpx.AsyncClient(
            base_url=base_url,
            auth=auth,
            transport=transport,
            timeout=timeout,
            verify=_tls_context(),
        )

    async def request(  # noqa: PLR0913 - keyword-only, as httpx's own
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        params: Any = None,
    ) -> httpx.Response:
        """Send a request, retrying what is safe to retry; raise a ``MarketplaceError``.

        ``idempotent`` says whether repeating the request after it may have been carried out
        is harmless. Pass the same ``Idempotency-Key`` header on every try yourself: the key
        belongs to the logical write, not to this call.
        """
        key = current_write_key(method, url) if self.idempotency_header else None
        if key is not None and self.idempotency_header:
            headers = {self.idempotency_header: key, **(headers or {})}
        kwargs = _kwargs(json, content, headers, params)
        attempt = 0
        while True:
            attempt += 1
            if self.rate_limit is not None:
                await self.rate_limit.acquire()
            sent = True
            try:
                response = await self.client.request(method, url, **kwargs)
                await response.aread()
                error = self.check(response)
            except httpx.TransportError as exc:
                error, sent = _transport_error(self.marketplace, exc), not _never_sent(exc)
                error.__cause__ = exc
            if error is None:
                return response
            delay = self.wait_before_retry(error, attempt, idempotent=idempotent, sent=sent)
            if delay is None:
                raise error
            await self._sleep(delay)

    async def aclose(self) -> None:
        """Close the connections."""
        await self.client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class MarketplaceHttp(_Core):
    """The synchronous mirror of :class:`AsyncMarketplaceHttp`, for scripts.

    Same arguments, except ``transport`` is an ``httpx.BaseTransport`` and ``sleep`` blocks.

    Example:
        >>> import httpx
        >>> def shop(request):
        ...     return httpx.Response(422, json={"errors": [
        ...         {"field": "title", "message": "longer than 60 characters"}]})
        >>> http = MarketplaceHttp("sandbox", "https://sandbox.test",
        ...                        transport=httpx.MockTransport(shop))
        >>> http.request("PUT", "/listings/HEN-1", idempotent=True, json={"title": "..."})
        Traceback (most recent call last):
        ...
        ruralseller.errors.ListingRejectedError: sandbox rejected the listing: title: longer \
than 60 characters; fix these and publish again [HTTP 422]
    """

    def __init__(  # noqa: PLR0913 - all keyword-only after the base URL
        self,
        marketplace: str,
        base_url: str,
        *,
        auth: httpx.Auth | None = None,
        retry: RetryPolicy | None = None,
        rate_limit: RateBudget | None = None,
        classify: ClassifyHook | None = None,
        secrets: Iterable[Secret | str] = (),
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(
            marketplace, retry=retry, rate_limit=rate_limit, classify=classify, secrets=secrets
        )
        self._sleep = sleep
        self.client = httpx.Client(
            base_url=base_url,
            auth=auth,
            transport=transport,
            timeout=timeout,
            verify=_tls_context(),
        )

    def request(  # noqa: PLR0913 - keyword-only, as httpx's own
        self,
        method: str,
        url: str,
        *,
        idempotent: bool,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        params: Any = None,
    ) -> httpx.Response:
        """Send a request, retrying what is safe to retry; raise a ``MarketplaceError``."""
        kwargs = _kwargs(json, content, headers, params)
        attempt = 0
        while True:
            attempt += 1
            if self.rate_limit is not None:
                self.rate_limit.acquire_sync()
            sent = True
            try:
                response = self.client.request(method, url, **kwargs)
                response.read()
                error = self.check(response)
            except httpx.TransportError as exc:
                error, sent = _transport_error(self.marketplace, exc), not _never_sent(exc)
                error.__cause__ = exc
            if error is None:
                return response
            delay = self.wait_before_retry(error, attempt, idempotent=idempotent, sent=sent)
            if delay is None:
                raise error
            self._sleep(delay)

    def close(self) -> None:
        """Close the connections."""
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


async def create_once(
    create: Callable[[], Awaitable[T]],
    lookup: Callable[[], Awaitable[T | None]],
    *,
    attempts: int = 3,
) -> T:
    """Create something on a marketplace without idempotency keys, never twice.

    When the answer to a create is lost (a timeout, a dropped connection, a 5xx), the
    marketplace may or may not have made it. Sending the create again could make a duplicate
    listing (ebaysdk-python#234), so this first looks it up by our SKU: found, the create
    happened and the found item is returned; not found, the create is sent again, up to
    ``attempts`` times in all.

    Args:
        create: sends the create (a non-idempotent request) and returns the result.
        lookup: finds the item by our SKU (an idempotent request); ``None`` when absent.
        attempts: how many creates to send at most.
    """
    if attempts < 1:
        raise ValueError(f"create_once needs at least 1 attempt, got {attempts!r}")
    for attempt in range(1, attempts + 1):
        try:
            return await create()
        except MarketplaceUnavailableError:
            found = await lookup()
            if found is not None:
                logger.info("create answer lost; found it by SKU on try %d", attempt)
                return found
            if attempt == attempts:
                raise
    raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

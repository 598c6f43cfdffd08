"""The shared HTTP layer: what is retried, what is raised, what is hidden.

Every scenario runs through both the async client and its sync mirror.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable, Generator, Iterator
from typing import Any

import httpx
import pytest

from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceConflictError,
    MarketplaceError,
    MarketplaceUnavailableError,
    RateLimitedError,
)
from ruralseller.marketplaces import (
    REDACTED,
    AsyncMarketplaceHttp,
    MarketplaceHttp,
    RetryPolicy,
    Secret,
    TokenBucket,
)
from ruralseller.marketplaces.http import _tls_context, current_write_key, idempotency_scope

KEY = Secret("sk_test_HEN_0042")
Step = httpx.Response | Exception


class Script:
    """A mock marketplace that answers each request with the next scripted step."""

    def __init__(self, *steps: Step) -> None:
        self.steps: Iterator[Step] = iter(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        step = next(self.steps)
        if isinstance(step, Exception):
            raise step
        return step


class CountingAuth(httpx.Auth):
    """Signs each try with a fresh counter, as an HMAC over a timestamp would."""

    def __init__(self) -> None:
        self.signed = 0

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.signed += 1
        request.headers["X-Api-Key"] = KEY.reveal()
        request.headers["X-Signature"] = f"sig-{self.signed}"
        yield request


Send = Callable[..., httpx.Response]


def make(mode: str, script: Script, sleeps: list[float], **kwargs: Any) -> Send:
    """A function that sends one request through the async or the sync client."""
    kwargs.setdefault("retry", RetryPolicy(jitter=0.0, base_delay=0.5, max_attempts=4))
    kwargs.setdefault("secrets", [KEY])
    if mode == "sync":
        http = MarketplaceHttp(
            "sandbox",
            "https://sandbox.test/api",
            transport=httpx.MockTransport(script),
            sleep=sleeps.append,
            **kwargs,
        )

        def send_sync(method: str, url: str, **kw: Any) -> httpx.Response:
            with http:
                return http.request(method, url, **kw)

        return send_sync

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    async def send_async(method: str, url: str, **kw: Any) -> httpx.Response:
        async with AsyncMarketplaceHttp(
            "sandbox",
            "https://sandbox.test/api",
            transport=httpx.MockTransport(script),
            sleep=record,
            **kwargs,
        ) as http:
            return await http.request(method, url, **kw)

    return lambda method, url, **kw: asyncio.run(send_async(method, url, **kw))


@pytest.fixture(params=["async", "sync"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_success_returns_the_response(mode: str) -> None:
    script = Script(httpx.Response(200, json={"sku": "HEN-1"}))
    sleeps: list[float] = []
    response = make(mode, script, sleeps)("GET", "/listings/HEN-1", idempotent=True)
    assert response.json() == {"sku": "HEN-1"}
    assert str(script.requests[0].url) == "https://sandbox.test/api/listings/HEN-1"
    assert sleeps == []


def test_json_body_keeps_chinese_text(mode: str) -> None:
    script = Script(httpx.Response(200))
    make(mode, script, [])("PUT", "/listings/HEN-1", idempotent=True, json={"title": "乌鸡"})
    request = script.requests[0]
    assert request.headers["content-type"] == "application/json"
    assert request.content.decode() == '{"title": "乌鸡"}'


def test_server_errors_are_retried_when_idempotent(mode: str) -> None:
    script = Script(httpx.Response(503), httpx.Response(500), httpx.Response(200))
    sleeps: list[float] = []
    make(mode, script, sleeps)("PUT", "/listings/HEN-1", idempotent=True)
    assert len(script.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_server_errors_are_not_retried_when_the_write_may_have_happened(mode: str) -> None:
    script = Script(httpx.Response(500))
    with pytest.raises(MarketplaceUnavailableError, match="try again later") as caught:
        make(mode, script, [])("POST", "/listings", idempotent=False)
    assert len(script.requests) == 1
    assert caught.value.status == 500


def test_gives_up_after_max_attempts(mode: str) -> None:
    script = Script(*(httpx.Response(503) for _ in range(3)))
    sleeps: list[float] = []
    with pytest.raises(MarketplaceUnavailableError):
        make(mode, script, sleeps, retry=RetryPolicy(max_attempts=3, jitter=0.0))(
            "GET", "/listings", idempotent=True
        )
    assert len(script.requests) == 3
    assert len(sleeps) == 2


def test_rate_limit_is_waited_out_even_for_creates(mode: str) -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(201))
    sleeps: list[float] = []
    response = make(mode, script, sleeps)("POST", "/listings", idempotent=False)
    assert response.status_code == 201
    assert sleeps == [3.0]


def test_a_long_retry_after_is_raised_not_waited(mode: str) -> None:
    script = Script(httpx.Response(429, headers={"Retry-After": "3600"}))
    sleeps: list[float] = []
    with pytest.raises(RateLimitedError, match="wait 3600 s and try again") as caught:
        make(mode, script, sleeps)("GET", "/listings", idempotent=True)
    assert caught.value.retry_after == 3600.0
    assert sleeps == []


def test_connection_refused_is_retried_even_for_creates(mode: str) -> None:
    script = Script(httpx.ConnectError("refused"), httpx.Response(201))
    make(mode, script, [])("POST", "/listings", idempotent=False)
    assert len(script.requests) == 2


@pytest.mark.parametrize(
    "lost", [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped")], ids=repr
)
def test_a_lost_response_is_retried_only_when_idempotent(mode: str, lost: Exception) -> None:
    script = Script(lost)
    with pytest.raises(MarketplaceUnavailableError, match="try again when") as caught:
        make(mode, script, [])("POST", "/listings", idempotent=False)
    assert len(script.requests) == 1
    assert isinstance(caught.value.__cause__, httpx.TransportError)

    script = Script(lost, httpx.Response(200))
    make(mode, script, [])("PUT", "/listings/HEN-1", idempotent=True)
    assert len(script.requests) == 2


def test_each_try_is_signed_again_and_keeps_its_idempotency_key(mode: str) -> None:
    auth = CountingAuth()
    script = Script(httpx.Response(502), httpx.Response(200))
    make(mode, script, [], auth=auth)(
        "POST", "/listings", idempotent=True, headers={"Idempotency-Key": "k-1"}
    )
    assert [r.headers["X-Signature"] for r in script.requests] == ["sig-1", "sig-2"]
    assert {r.headers["Idempotency-Key"] for r in script.requests} == {"k-1"}


def test_auth_errors_hide_the_key(mode: str) -> None:
    script = Script(
        httpx.Response(
            401,
            json={"message": f"unknown key {KEY.reveal()}", "code": "bad_key"},
            headers={"X-Request-Id": "req-9", "X-Api-Key": KEY.reveal()},
        )
    )
    with pytest.raises(MarketplaceAuthError) as caught:
        make(mode, script, [], auth=CountingAuth())("GET", "/listings", idempotent=True)
    error = caught.value
    assert KEY.reveal() not in str(error)
    assert KEY.reveal() not in repr(error.__dict__)
    assert error.headers["x-api-key"] == REDACTED
    assert (error.status, error.code, error.request_id) == (401, "bad_key", "req-9")
    assert "check the API key" in str(error)
    assert "request id req-9" in str(error)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"errors": [{"field": "title", "message": "too long"}]},
            {"title": "too long"},
        ),
        (
            {"detail": [{"loc": ["body", "price", "amount"], "msg": "must be positive"}]},
            {"body.price.amount": "must be positive"},
        ),
        ({"field_errors": {"images": "at least one image"}}, {"images": "at least one image"}),
        ({"message": "bad listing"}, {}),
    ],
)
def test_rejections_carry_field_errors(
    mode: str, body: dict[str, Any], fields: dict[str, str]
) -> None:
    script = Script(httpx.Response(422, json=body))
    with pytest.raises(ListingRejectedError, match="rejected the listing") as caught:
        make(mode, script, [])("PUT", "/listings/HEN-1", idempotent=True)
    assert caught.value.field_errors == fields
    for name, reason in fields.items():
        assert f"{name}: {reason}" in str(caught.value)
    assert len(script.requests) == 1  # an invalid listing does not get better by retrying


def test_conflicts_and_other_refusals(mode: str) -> None:
    with pytest.raises(MarketplaceConflictError, match="fetch its state"):
        make(mode, Script(httpx.Response(409)), [])("PUT", "/l/1", idempotent=True)
    with pytest.raises(MarketplaceError, match=r"refused the request .*HTTP 404") as caught:
        make(mode, Script(httpx.Response(404, text="no such listing")), [])(
            "GET", "/l/1", idempotent=True
        )
    assert type(caught.value) is MarketplaceError
    assert "no such listing" in str(caught.value)


def test_classify_hook_finds_a_throttle_in_a_200_body(mode: str) -> None:
    def classify(response: httpx.Response) -> MarketplaceError | None:
        body = response.json()
        if body.get("error") == "throttled":
            return RateLimitedError("sandbox throttled", marketplace="sandbox", retry_after=1.0)
        return None

    script = Script(httpx.Response(200, json={"error": "throttled"}), httpx.Response(200, json={}))
    sleeps: list[float] = []
    make(mode, script, sleeps, classify=classify)("POST", "/listings", idempotent=False)
    assert len(script.requests) == 2
    assert sleeps == [1.0]


def test_every_try_waits_for_the_rate_limit(mode: str) -> None:
    now = [0.0]
    bucket = TokenBucket(rate=1, capacity=2, clock=lambda: now[0])
    script = Script(httpx.Response(503), httpx.Response(200))
    make(mode, script, [], rate_limit=bucket)("GET", "/listings", idempotent=True)
    assert bucket.reserve() == pytest.approx(1.0)  # the two tries took the burst of two


def test_clients_do_not_show_secrets_in_reprs() -> None:
    sync = MarketplaceHttp("sandbox", "https://sandbox.test", secrets=[KEY])
    assert KEY.reveal() not in repr(sync)
    assert repr(sync).startswith("MarketplaceHttp('sandbox'")
    sync.close()


def test_tls_certificates_are_always_verified() -> None:
    """Every client verifies certificates and host names; no setting turns that off."""
    context = _tls_context()
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname
    async_http = AsyncMarketplaceHttp("shop", "https://shop.example")
    with MarketplaceHttp("shop", "https://shop.example") as sync_http:
        for client in (async_http.client, sync_http.client):
            assert client._transport._pool._ssl_context is context
    asyncio.run(async_http.aclose())


def test_writes_in_an_idempotency_scope_carry_a_stable_key() -> None:
    """Each write gets a key from the job's key, the same on every try, none for reads."""
    script = Script(
        httpx.Response(503),
        httpx.Response(200, json={}),
        httpx.Response(200, json={}),
        httpx.Response(200, json={}),
        httpx.Response(200, json={}),
    )
    http = AsyncMarketplaceHttp(
        "shop",
        "https://shop.example",
        transport=httpx.MockTransport(script),
        retry=RetryPolicy(base_delay=0.001, max_delay=0.001),
        idempotency_header="Idempotency-Key",
    )

    async def run() -> None:
        with idempotency_scope("job-1"):
            await http.request("PUT", "/items/HEN-1", idempotent=True, json={"a": 1})
            await http.request("GET", "/items/HEN-1", idempotent=True)
            await http.request("POST", "/items/HEN-1/publish", idempotent=True)
        await http.request("PUT", "/items/HEN-1", idempotent=True, json={"a": 1})
        await http.aclose()

    asyncio.run(run())
    keys = [r.headers.get("idempotency-key") for r in script.requests]
    assert keys[0] == keys[1] == current_write_key_for("job-1", "PUT", "/items/HEN-1")
    assert keys[2] is None  # a read
    assert keys[3] not in (None, keys[0])  # another write of the same job: its own key
    assert keys[4] is None  # outside the scope


def current_write_key_for(job: str, method: str, url: str) -> str | None:
    with idempotency_scope(job):
        return current_write_key(method, url)


def test_adapters_whose_marketplace_has_no_keys_send_none() -> None:
    script = Script(httpx.Response(200, json={}))
    http = AsyncMarketplaceHttp(
        "shop", "https://shop.example", transport=httpx.MockTransport(script)
    )

    async def run() -> None:
        with idempotency_scope("job-1"):
            await http.request("PUT", "/items/HEN-1", idempotent=True, json={})
        await http.aclose()

    asyncio.run(run())
    assert "idempotency-key" not in script.requests[0].headers

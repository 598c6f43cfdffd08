"""The protocol's helpers: capabilities, states, create_once, and the sandbox signer."""

from __future__ import annotations

import asyncio
import hashlib
import hmac

import httpx
import pytest

from ruralseller.catalog import Money
from ruralseller.errors import MarketplaceUnavailableError
from ruralseller.marketplaces import Capabilities, ListingState, Secret, create_once
from ruralseller.marketplaces.sandbox import SandboxAuth, SandboxMarketplace, canonical_request


def test_capability_names_in_declaration_order() -> None:
    caps = Capabilities(multi_step_publish=True, native_idempotency=True)
    assert caps.names() == (
        "multi_step_publish",
        "native_idempotency",
        "withdraw",
        "stock_and_price",
    )


def test_listing_state_active() -> None:
    state = ListingState(marketplace="m", sku="S", state="active", price=Money("1.00", "CNY"))
    assert state.active
    assert not ListingState(marketplace="m", sku="S", state="withdrawn").active


class Flaky:
    """A create whose answers are lost ``lose`` times; the item may exist regardless."""

    def __init__(self, lose: int, *, made_before_losing: bool) -> None:
        self.lose = lose
        self.made_before_losing = made_before_losing
        self.items: list[str] = []
        self.creates = 0
        self.lookups = 0

    async def create(self) -> str:
        self.creates += 1
        if self.lose:
            self.lose -= 1
            if self.made_before_losing:
                self.items.append("item")
            raise MarketplaceUnavailableError("answer lost", marketplace="m")
        self.items.append("item")
        return "created"

    async def lookup(self) -> str | None:
        self.lookups += 1
        return "found" if self.items else None


def test_create_once_finds_a_create_whose_answer_was_lost() -> None:
    flaky = Flaky(1, made_before_losing=True)
    assert asyncio.run(create_once(flaky.create, flaky.lookup)) == "found"
    assert (flaky.creates, flaky.lookups, len(flaky.items)) == (1, 1, 1)


def test_create_once_creates_again_when_nothing_was_made() -> None:
    flaky = Flaky(2, made_before_losing=False)
    assert asyncio.run(create_once(flaky.create, flaky.lookup)) == "created"
    assert (flaky.creates, flaky.lookups, len(flaky.items)) == (3, 2, 1)


def test_create_once_gives_up_after_its_attempts() -> None:
    flaky = Flaky(5, made_before_losing=False)
    with pytest.raises(MarketplaceUnavailableError):
        asyncio.run(create_once(flaky.create, flaky.lookup, attempts=2))
    assert flaky.creates == 2
    with pytest.raises(ValueError, match="at least 1 attempt"):
        asyncio.run(create_once(flaky.create, flaky.lookup, attempts=0))


def test_sandbox_auth_signs_method_path_query_time_and_body() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    auth = SandboxAuth("demo", Secret("s3cret"), clock=lambda: 1764000000.9)
    with httpx.Client(transport=httpx.MockTransport(record), auth=auth) as client:
        client.put("http://sandbox.test/v1/listings/HEN%201?x=1", content=b'{"a": 1}')
    request = seen[0]
    message = canonical_request("PUT", "/v1/listings/HEN%201?x=1", "1764000000", b'{"a": 1}')
    nonce = request.headers["X-Nonce"]  # new on every try, signed as a fifth line
    assert len(nonce) == 32
    message += b"\n" + nonce.encode()
    expected = hmac.new(b"s3cret", message, hashlib.sha256).hexdigest()
    assert request.headers["X-Api-Key"] == "demo"
    assert request.headers["X-Timestamp"] == "1764000000"
    assert request.headers["X-Signature"] == expected
    assert "s3cret" not in repr(auth)


def test_sandbox_adapter_hides_its_secret() -> None:
    adapter = SandboxMarketplace(secret="top-secret-key")  # noqa: S106 - a test value
    try:
        assert "top-secret-key" not in repr(adapter)
        assert "top-secret-key" not in repr(adapter.http)
    finally:
        asyncio.run(adapter.aclose())


def test_settings_from_text_read_each_adapters_types() -> None:
    from ruralseller.marketplaces import settings_from_text  # noqa: PLC0415

    shopee = settings_from_text(
        "shopee",
        {
            "partner_id": "2001887",
            "partner_key": "k",
            "shop_id": "14701711",
            "access_token": "t",
            "category_id": "100636",
            "logistic_ids": "80001, 80002",
            "sandbox": "yes",
            "rate": "2.5",
        },
    )
    assert shopee["partner_id"] == 2001887
    assert shopee["logistic_ids"] == (80001, 80002)
    assert shopee["sandbox"] is True
    assert shopee["rate"] == 2.5
    assert shopee["partner_key"] == "k"  # credentials stay text, the adapter wraps them
    taobao = settings_from_text(
        "taobao", {"app_key": "1", "app_secret": "s", "session": "x", "location": "江西, 吉安"}
    )
    assert taobao["location"] == ("江西", "吉安")

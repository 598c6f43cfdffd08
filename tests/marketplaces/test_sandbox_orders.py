"""The sandbox adapter's order intake against a real sandbox."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from tests.orders.shop import ACCOUNTS, CHANNELS, LOT, adapter, publish_everywhere

from ruralseller.catalog import Mass, Money
from ruralseller.errors import MarketplaceError
from ruralseller.marketplaces import OrderIntake, supports_order_intake
from ruralseller.marketplaces.sandbox import SandboxMarketplace
from ruralseller.publishing import Outbox
from ruralseller.sandbox import create_app, running


async def _walk(url: str) -> None:
    sandbox = adapter(url, CHANNELS[0])
    try:
        assert isinstance(sandbox, OrderIntake)
        page = await sandbox.list_orders()
        assert (len(page.orders), page.more) == (2, False)
        first = page.orders[0]
        assert (first.marketplace, first.account, first.sku, first.quantity) == (
            "sandbox",
            "shop-a",
            LOT,
            2,
        )
        # The listed price of one bird: 36.00 CNY per jin × 2.8 jin, the lot's heaviest bird.
        assert first.unit_price == Money("100.80", "CNY")
        assert first.buyer == {"name": "吴"}
        assert (await sandbox.list_orders(page.cursor)).orders == ()
        assert (await sandbox.acknowledge_order(first.order_id)).state == "acknowledged"
        shipped = await sandbox.ship_order(
            first.order_id, weight=Mass.parse("2.61 kg"), tracking="SF123"
        )
        assert (shipped.state, shipped.extra["tracking"]) == ("shipped", "SF123")
        cancelled = await sandbox.cancel_order(page.orders[1].order_id, reason="oversold")
        assert cancelled.state == "cancelled"
        assert await sandbox.fetch_order(first.order_id) == shipped
        assert await sandbox.fetch_order("nope") is None
        changed = await sandbox.list_orders(page.cursor)
        assert [o.state for o in changed.orders] == ["shipped", "cancelled"]
    finally:
        await sandbox.aclose()


def test_the_sandbox_adapter_takes_orders_in_and_moves_them_on(store_target: str) -> None:
    app = create_app(accounts=ACCOUNTS, rate=5000, burst=5000)
    with running(app=app) as url:
        asyncio.run(publish_everywhere(Outbox(store_target), url, stock=5, channels=CHANNELS[:1]))
        for quantity in (2, 1):
            answer = httpx.post(
                f"{url}/v1/shop/shop-a/orders",
                json={"sku": LOT, "quantity": quantity, "buyer": {"name": "吴"}},
            )
            assert answer.status_code == 201
        asyncio.run(_walk(url))
    assert supports_order_intake(adapter("http://127.0.0.1:1", CHANNELS[0]))


def test_an_order_answer_of_an_unexpected_shape_is_a_marketplace_error() -> None:
    """guard_answers covers order methods an adapter inherits from its order mixin."""

    def odd(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"no_orders_here": []})

    async def listing() -> None:
        shop = SandboxMarketplace(transport=httpx.MockTransport(odd))
        try:
            await shop.list_orders()
        finally:
            await shop.aclose()

    with pytest.raises(MarketplaceError, match="sandbox answered list_orders") as caught:
        asyncio.run(listing())
    assert caught.value.code == "unexpected_answer"
    assert "run the intake again later" in str(caught.value)

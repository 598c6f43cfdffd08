"""Each adapter's account check: one harmless authenticated read, and what a refusal means.

Every check runs against the marketplace's fake, which checks each request against the
marketplace's published API description (tests/specs/) where one is vendored.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from tests.marketplaces import fake_ebay, fake_etsy, fake_shopify
from tests.marketplaces.fake_amazon import FakeAmazon
from tests.marketplaces.fake_shopee import FakeShopee
from tests.marketplaces.fake_taobao import FakeTaobao
from tests.marketplaces.test_amazon import CLOCK, CREDENTIALS, SELLER, make_adapter
from tests.marketplaces.test_ebay import make_ebay
from tests.marketplaces.test_etsy import make_etsy
from tests.marketplaces.test_shopee import make_adapter as make_shopee
from tests.marketplaces.test_shopify import _adapter as make_shopify
from tests.marketplaces.test_taobao import make_taobao
from tests.marketplaces.test_woocommerce import adapter as make_woocommerce
from tests.marketplaces.test_woocommerce import http_store, https_store

from ruralseller.errors import MarketplaceAuthError, MarketplaceError
from ruralseller.marketplaces import AccountCheck, diagnose

WRONG_SECRET = "PRD-not-the-cert-id"  # noqa: S105 - test credentials that are refused
REVOKED = "v^1.1#revoked"
STALE = "27182818.stale"


def check(adapter: Any) -> AccountCheck:
    async def main() -> AccountCheck:
        try:
            result: AccountCheck = await adapter.check_account()
            return result
        finally:
            await adapter.aclose()

    return asyncio.run(main())


def trouble(adapter: Any) -> str:
    with pytest.raises(MarketplaceError) as caught:
        check(adapter)
    return diagnose(caught.value)[0]


def test_ebay_reads_one_inventory_item_with_the_refreshed_token() -> None:
    fake = fake_ebay.FakeEbay()
    result = check(make_ebay(fake))
    assert result == AccountCheck(
        marketplace="ebay", account="", call="GET /sell/inventory/v1/inventory_item?limit=1"
    )
    assert fake.calls == ["getInventoryItems"]
    assert fake.items == {}  # nothing written


def test_ebay_names_a_wrong_secret_or_refresh_token_as_credentials() -> None:
    assert trouble(make_ebay(fake_ebay.FakeEbay(), client_secret=WRONG_SECRET)) == ("credentials")
    assert trouble(make_ebay(fake_ebay.FakeEbay(), refresh_token=REVOKED)) == ("credentials")


def test_etsy_asks_whose_token_it_is() -> None:
    fake = fake_etsy.FakeEtsy()
    result = check(make_etsy(fake))
    assert result.account == f"user {fake_etsy.USER_ID}, shop {fake_etsy.SHOP_ID}"
    assert result.call == "GET /v3/application/users/me"
    assert fake.seen == ["getMe"]


def test_etsy_tells_a_wrong_key_a_stale_token_and_another_shop_apart() -> None:
    wrong_key = make_etsy(fake_etsy.FakeEtsy(), shared_secret=WRONG_SECRET)
    assert trouble(wrong_key) == "permission"  # Etsy answers 403 "Invalid API key"
    stale = make_etsy(fake_etsy.FakeEtsy(), access_token=None, refresh_token=STALE)
    assert trouble(stale) == "credentials"
    with pytest.raises(MarketplaceAuthError) as caught:
        check(make_etsy(fake_etsy.FakeEtsy(), shop_id=1234))
    assert "not shop_id 1234" in caught.value.message
    assert diagnose(caught.value)[0] == "permission"


def test_amazon_searches_the_sellers_listings_for_one() -> None:
    fake = FakeAmazon(seller_id=SELLER, **CREDENTIALS, clock=CLOCK)
    result = check(make_adapter(fake))
    assert result.account == f"seller {SELLER}"
    assert fake.operations == ["searchListingsItems"]
    assert fake.listings == {}


def test_amazon_tells_a_bad_refresh_token_from_another_sellers_id() -> None:
    fake = FakeAmazon(seller_id=SELLER, **CREDENTIALS, clock=CLOCK)
    assert trouble(make_adapter(fake, refresh_token=REVOKED)) == "credentials"
    # SP-API answers 403 Unauthorized for a seller id the token does not belong to.
    assert trouble(make_adapter(fake, seller_id="A-NOT-OURS")) == "permission"


def test_shopify_reads_the_shop_context_with_the_token() -> None:
    fake = fake_shopify.FakeShopify()
    result = check(make_shopify(fake))
    assert result.account == f"{fake_shopify.SHOP} ({fake.currency})"
    assert fake.operations() == ["ShopContext"]
    assert trouble(make_shopify(fake_shopify.FakeShopify(), access_token=WRONG_SECRET)) == (
        "credentials"
    )


@pytest.mark.parametrize("make_store", [https_store, http_store])
def test_woocommerce_lists_one_product_with_the_key(make_store: Any) -> None:
    store = make_store()
    result = check(make_woocommerce(store))
    assert result.account == store.base_url
    assert result.call == "GET /wp-json/wc/v3/products?per_page=1"
    assert trouble(make_woocommerce(make_store(), consumer_secret=WRONG_SECRET)) == "credentials"


def test_shopee_reads_the_shop_info_signed_with_the_token() -> None:
    fake = FakeShopee()
    result = check(make_shopee(fake))
    assert result.account == "Wu Family Farm (SG)"
    assert [r.url.path for r in fake.requests] == ["/api/v2/shop/get_shop_info"]


def test_shopee_tells_a_wrong_key_from_a_banned_shop() -> None:
    # Shopee answers 403 to a wrong signature too: its code says it is the credentials.
    assert trouble(make_shopee(FakeShopee(), partner_key=WRONG_SECRET)) == "credentials"
    banned = FakeShopee()
    banned.shop_status = "BANNED"
    with pytest.raises(MarketplaceAuthError) as caught:
        check(make_shopee(banned))
    assert "the shop Wu Family Farm is BANNED" in caught.value.message
    assert diagnose(caught.value)[0] == "permission"


def test_taobao_asks_whose_session_it_is() -> None:
    fake = FakeTaobao()
    result = check(make_taobao(fake))
    assert result.account == "吴家土鸡"
    assert fake.performed == ["taobao.user.seller.get"]


def test_taobao_names_a_wrong_secret_or_session_as_credentials() -> None:
    assert trouble(make_taobao(FakeTaobao(), app_secret=WRONG_SECRET)) == "credentials"
    assert trouble(make_taobao(FakeTaobao(), session=STALE)) == "credentials"

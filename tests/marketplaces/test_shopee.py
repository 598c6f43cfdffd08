"""The Shopee adapter against a fake Shopee shop: conformance, signing, tokens, errors, faults."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import hmac
import logging
from collections.abc import Iterator
from typing import Any, ClassVar

import attrs
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.marketplaces import fake_shopee
from tests.marketplaces.fake_shopee import (
    ACCESS_TOKEN,
    LOST,
    LOST_503,
    PARTNER_ID,
    PARTNER_KEY,
    REFRESH_TOKEN,
    REVOKE_TOKEN,
    SERVER_ERROR,
    SHOP_ID,
    THROTTLE_429,
    THROTTLE_BODY,
    FakeShopee,
)
from tests.marketplaces.origins import grown_in

from ruralseller.catalog import Mass, Money, load_catalog
from ruralseller.catalog.samples import sample_path
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
    ProcessedImage,
    generate_listing,
    get_profile,
)
from ruralseller.marketplaces import RetryPolicy, SyncMarketplace
from ruralseller.marketplaces.conformance import MarketplaceConformance
from ruralseller.marketplaces.shopee import (
    SHOPEE_PRODUCTION_URL,
    SHOPEE_REGIONS,
    SHOPEE_SANDBOX_URL,
    ShopeeMarketplace,
    ShopeeTokens,
    add_item_payload,
    base_string,
    item_weight_kg,
    shopee_error,
    sign,
    stock_payload,
    update_item_payload,
    update_price_payload,
)

CATEGORY_ID = 100629


class _Profile:
    profile = get_profile("shopee")


SHOPEE_PROFILE_HOLDER: Any = _Profile()
LOGISTIC_IDS = (18028, 18036)
SECRETS = (PARTNER_KEY, ACCESS_TOKEN, REFRESH_TOKEN)


class Sleeps:
    """An injectable ``sleep`` that records the waits and never waits."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_adapter(fake: FakeShopee, **overrides: Any) -> ShopeeMarketplace:
    options: dict[str, Any] = {
        "partner_id": PARTNER_ID,
        "partner_key": PARTNER_KEY,
        "shop_id": SHOP_ID,
        "access_token": ACCESS_TOKEN,
        "refresh_token": REFRESH_TOKEN,
        "category_id": CATEGORY_ID,
        "logistic_ids": LOGISTIC_IDS,
        "region": "SG",
        "retry": RetryPolicy(max_attempts=8, base_delay=0.01, max_delay=0.02),
        "rate": 10_000.0,
        "transport": httpx.MockTransport(fake),
        "sleep": Sleeps(),
        "clock": fake.clock,
    }
    return ShopeeMarketplace(**(options | overrides))


@functools.cache
def _sample_draft() -> ListingDraft:
    return generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))


@functools.cache
def _pictures() -> tuple[ProcessedImage, ...]:
    return tuple(MarketplaceConformance().make_images(SHOPEE_PROFILE_HOLDER))


def sg_draft(sku: str = "WJ261120A", **changes: Any) -> ListingDraft:
    draft = _sample_draft()
    return attrs.evolve(
        draft, sku=sku, price=Money("9.90", "SGD"), price_per_kg=None, **({"stock": 12} | changes)
    )


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def _upsert_and_close(adapter: ShopeeMarketplace, draft: ListingDraft, images: Any) -> Any:
    try:
        return await adapter.upsert(draft, images)
    finally:
        await adapter.aclose()


# --- the shared conformance suite ------------------------------------------------------------


class TestShopeeConformance(MarketplaceConformance):
    """The shared suite against a well-behaved fake shop."""

    chaos: ClassVar[float] = 0.0
    fake: ClassVar[FakeShopee]

    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _shop(cls) -> Iterator[None]:
        cls.fake = FakeShopee(chaos=cls.chaos, seed=7)
        yield
        skus = cls.fake.skus()
        assert len(skus) == len(set(skus)), skus  # nothing listed twice
        assert len(skus) >= 5

    def make_marketplace(self) -> Any:
        return make_adapter(self.fake, sleep=Sleeps())

    def make_images(self, marketplace: Any) -> list[ProcessedImage]:
        # The suite's two pictures, made once (image processing is the slow part).
        assert marketplace.profile == SHOPEE_PROFILE_HOLDER.profile
        return list(_pictures())

    def make_draft(self, sku: str) -> ListingDraft:
        # Singapore sells in SGD and English (the sample is priced in CNY).
        return sg_draft(sku)


class TestShopeeConformanceUnderFaults(TestShopeeConformance):
    """The same suite while the fake throttles, fails and loses answers at random."""

    chaos: ClassVar[float] = 0.15

    def test_faults_really_happened(self) -> None:
        self.test_upsert_publishes_and_fetch_reads_it_back()
        assert set(self.fake.faults_seen) >= {THROTTLE_429, THROTTLE_BODY, SERVER_ERROR}


# --- signing -----------------------------------------------------------------------------------


def test_the_research_vector_step_by_step() -> None:
    """A self-computed vector (Shopee publishes none): partner 2001887, add_item, key "testkey"."""
    partner_id, path, timestamp = 2001887, "/api/v2/product/add_item", 1655714431
    token, shop_id = "59777174636562737266615546704c6d", 14701711
    base = base_string(partner_id, path, timestamp, token, shop_id)
    assert base == "2001887" + path + "1655714431" + token + "14701711"
    digest = hmac.new(b"testkey", base.encode(), hashlib.sha256).hexdigest()
    expected = "a9748bcb189b2eedd0f4f0cf7bca4940eb3b8795d92b683a7b3f7c9697aabe1f"
    assert digest == expected
    assert sign("testkey", base) == expected


def test_a_public_call_signs_without_token_and_shop() -> None:
    assert base_string(2001887, "/api/v2/auth/access_token/get", 1655714431) == (
        "2001887/api/v2/auth/access_token/get1655714431"
    )


paths = st.from_regex(r"/api/v2/[a-z_]{1,12}/[a-z_]{1,16}", fullmatch=True)
tokens = st.text(alphabet="0123456789abcdef", min_size=8, max_size=40)


@given(
    partner_id=st.integers(1, 2**32 - 1),
    path=paths,
    timestamp=st.integers(1_500_000_000, 2_500_000_000),
    token=tokens,
    shop_id=st.integers(1, 2**40),
    key=st.text(min_size=1, max_size=64),
)
def test_signatures_are_lowercase_hex_hmac_of_the_base_string(  # noqa: PLR0917
    partner_id: int, path: str, timestamp: int, token: str, shop_id: int, key: str
) -> None:
    shop = base_string(partner_id, path, timestamp, token, shop_id)
    public = base_string(partner_id, path, timestamp)
    assert shop == public + token + str(shop_id)
    signature = sign(key, shop)
    assert len(signature) == 64
    assert signature == signature.lower()
    assert int(signature, 16) >= 0
    assert signature == hmac.new(key.encode(), shop.encode(), hashlib.sha256).hexdigest()
    assert sign(key, base_string(partner_id, path, timestamp + 1, token, shop_id)) != signature


def test_every_request_carries_the_common_parameters_and_a_fresh_timestamp() -> None:
    now = [1_800_000_000.0]
    fake = FakeShopee(clock=lambda: now[0])
    sleeps = Sleeps()

    async def advancing_sleep(seconds: float) -> None:
        await sleeps(seconds)
        now[0] += 7  # each retry happens later: a fresh timestamp must be signed

    fake.script("/api/v2/product/search_item", THROTTLE_429)
    adapter = make_adapter(fake, sleep=advancing_sleep)
    assert run(_fetch_and_close(adapter, "NOPE")) is None
    searches = [r for r in fake.requests if r.url.path.endswith("search_item")]
    assert len(searches) == 2
    first, second = (r.url.params for r in searches)
    assert int(second["timestamp"]) - int(first["timestamp"]) == 7
    assert first["sign"] != second["sign"]
    for request in fake.requests:
        assert {"partner_id", "timestamp", "sign", "access_token", "shop_id"} <= set(
            request.url.params
        )
    assert sleeps.waits
    assert sleeps.waits[0] >= 1.0


async def _fetch_and_close(adapter: ShopeeMarketplace, sku: str) -> Any:
    try:
        return await adapter.fetch(sku)
    finally:
        await adapter.aclose()


@pytest.mark.parametrize("skew", [-301, 301])
def test_a_stale_or_future_clock_is_refused_with_a_clock_hint(skew: int) -> None:
    fake = FakeShopee(clock=lambda: 1_800_000_000.0)
    adapter = make_adapter(fake, clock=lambda: 1_800_000_000.0 + skew)
    with pytest.raises(MarketplaceAuthError, match="clock") as caught:
        run(_fetch_and_close(adapter, "HEN-1"))
    assert caught.value.code == "error_param"
    assert caught.value.status == 403
    assert "Timestamp is expired" in str(caught.value)


def test_a_wrong_partner_key_is_an_auth_error_that_hides_every_secret() -> None:
    fake = FakeShopee()
    adapter = make_adapter(fake, partner_key="not-the-partner-key")
    with pytest.raises(MarketplaceAuthError, match="partner key") as caught:
        run(_fetch_and_close(adapter, "HEN-1"))
    assert caught.value.code == "error_sign"
    assert caught.value.request_id
    for secret in (*SECRETS, "not-the-partner-key"):
        assert secret not in str(caught.value)
        assert secret not in repr(caught.value.headers)


# --- access tokens -----------------------------------------------------------------------------


def test_an_expired_token_is_refreshed_before_the_call() -> None:
    now = [1_800_000_000.0]
    fake = FakeShopee(clock=lambda: now[0])
    stored: list[ShopeeTokens] = []
    adapter = make_adapter(fake, token_expires_at=now[0] + 4 * 3600, on_token_refresh=stored.append)
    now[0] += 4 * 3600 + 1  # four hours later, the token the fake gave has expired
    assert run(_fetch_and_close(adapter, "NOPE")) is None
    assert fake.refreshes == 1
    paths = [r.url.path for r in fake.requests]
    assert paths[0] == "/api/v2/auth/access_token/get"
    refresh = fake.requests[0]
    assert {"access_token", "shop_id"}.isdisjoint(refresh.url.params)  # a public call
    assert adapter.tokens.access_token.reveal() == "fake-access-1"
    assert adapter.tokens.refresh_token is not None
    assert adapter.tokens.refresh_token.reveal() == "fake-refresh-1"
    assert adapter.tokens.expires_at == now[0] + 4 * 3600
    assert stored == [adapter.tokens]
    assert fake.requests[-1].url.params["access_token"] == "fake-access-1"  # noqa: S105


def test_a_token_the_api_refuses_is_refreshed_and_the_call_sent_again() -> None:
    fake = FakeShopee()
    fake.script("/api/v2/product/search_item", REVOKE_TOKEN)
    adapter = make_adapter(fake)
    assert run(_fetch_and_close(adapter, "NOPE")) is None
    assert fake.refreshes == 1
    paths = [r.url.path for r in fake.requests]
    assert paths == [
        "/api/v2/product/search_item",
        "/api/v2/auth/access_token/get",
        "/api/v2/product/search_item",
    ]


def test_without_a_refresh_token_an_expired_token_is_an_auth_error() -> None:
    fake = FakeShopee()
    fake.script("/api/v2/product/search_item", REVOKE_TOKEN)
    adapter = make_adapter(fake, refresh_token=None)
    with pytest.raises(MarketplaceAuthError, match="access token") as caught:
        run(_fetch_and_close(adapter, "NOPE"))
    assert caught.value.code == "invalid_acceess_token"
    assert fake.refreshes == 0


# --- the flow ---------------------------------------------------------------------------------


def _images(_adapter: Any) -> list[ProcessedImage]:
    return list(_pictures())


def test_upsert_uploads_then_adds_the_item_as_mapped() -> None:
    fake = FakeShopee()
    adapter = make_adapter(fake)
    state = run(_upsert_and_close(adapter, sg_draft(), _images(adapter)))
    paths = [r.url.path for r in fake.requests]
    assert paths[:2] == ["/api/v2/media_space/upload_image"] * 2
    assert paths.count("/api/v2/product/add_item") == 1
    add = next(r for r in fake.requests if r.url.path.endswith("add_item"))
    assert add.read()
    assert add.headers["content-type"] == "application/json"
    (item,) = fake.items.values()
    assert item["item_sku"] == "WJ261120A"
    assert item["category_id"] == CATEGORY_ID
    assert item["condition"] == "NEW"
    assert item["logistic_info"] == [
        {"logistic_id": 18028, "enabled": True},
        {"logistic_id": 18036, "enabled": True},
    ]
    assert item["item_name"].startswith("Taihe black-bone silkie chicken")
    assert state.active
    assert state.price == Money("9.90", "SGD")
    assert state.stock == 12
    assert state.images == tuple(item["image"]["image_id_list"])
    assert state.url == f"https://shopee.sg/product/{SHOP_ID}/{item['item_id']}"
    assert state.extra["item_id"] == item["item_id"]


def test_withdraw_then_upsert_puts_the_item_back_on_sale() -> None:
    fake = FakeShopee()

    async def work(adapter: ShopeeMarketplace) -> tuple[Any, ...]:
        try:
            images = _images(adapter)
            await adapter.upsert(sg_draft(), images)
            withdrawn = await adapter.withdraw("WJ261120A")
            back = await adapter.upsert(sg_draft(stock=5), images)
            return withdrawn, back
        finally:
            await adapter.aclose()

    withdrawn, back = run(work(make_adapter(fake)))
    assert withdrawn.state == "withdrawn"
    assert withdrawn.extra["item_status"] == "UNLIST"
    assert back.active
    assert back.stock == 5
    assert len(fake.items) == 1


def test_the_search_is_narrowed_to_the_exact_sku() -> None:
    """Search may match loosely; an item whose SKU only contains ours is not ours."""
    fake = FakeShopee()
    images_adapter = make_adapter(fake)
    run(_upsert_and_close(images_adapter, sg_draft("HEN-10"), _images(images_adapter)))
    assert run(_fetch_and_close(make_adapter(fake), "HEN-1")) is None
    found = run(_fetch_and_close(make_adapter(fake), "HEN-10"))
    assert found is not None
    assert found.sku == "HEN-10"


def test_set_stock_and_withdraw_of_an_unknown_sku_say_so() -> None:
    fake = FakeShopee()

    async def work() -> None:
        adapter = make_adapter(fake)
        try:
            await adapter.set_stock("NOPE", 3)
        finally:
            await adapter.aclose()

    with pytest.raises(MarketplaceError, match="no item with SKU 'NOPE'"):
        run(work())


def test_a_price_in_another_currency_is_refused_before_anything_is_sent() -> None:
    fake = FakeShopee()
    adapter = make_adapter(fake)
    draft = attrs.evolve(sg_draft(), price=Money("9.90", "MYR"))
    with pytest.raises(InvalidValueError, match="sells in SGD"):
        run(_upsert_and_close(adapter, draft, _images(adapter)))
    assert fake.requests == []


# --- lost answers and throttling -------------------------------------------------------------


@pytest.mark.parametrize("fault", [LOST, LOST_503])
def test_a_lost_add_item_answer_never_makes_a_duplicate(fault: str) -> None:
    fake = FakeShopee()
    fake.script("/api/v2/product/add_item", fault)
    adapter = make_adapter(fake)
    state = run(_upsert_and_close(adapter, sg_draft(), _images(adapter)))
    assert fake.faults_seen == [fault]
    assert fake.skus() == ["WJ261120A"]  # performed once, found by SKU, not sent again
    paths = [r.url.path for r in fake.requests]
    assert paths.count("/api/v2/product/add_item") == 1
    assert state.active
    assert state.sku == "WJ261120A"


def test_a_lost_answer_with_nothing_made_is_sent_again() -> None:
    fake = FakeShopee()
    fake.script("/api/v2/product/add_item", SERVER_ERROR)
    adapter = make_adapter(fake)
    state = run(_upsert_and_close(adapter, sg_draft(), _images(adapter)))
    assert fake.skus() == ["WJ261120A"]
    assert [r.url.path for r in fake.requests].count("/api/v2/product/add_item") == 2
    assert state.active


@pytest.mark.parametrize("fault", [THROTTLE_429, THROTTLE_BODY])
def test_throttling_is_waited_out_and_retried(fault: str) -> None:
    fake = FakeShopee()
    fake.script("/api/v2/product/add_item", fault, fault)
    sleeps = Sleeps()
    adapter = make_adapter(fake, sleep=sleeps)
    state = run(_upsert_and_close(adapter, sg_draft(), _images(adapter)))
    assert state.active
    assert fake.skus() == ["WJ261120A"]
    assert len(sleeps.waits) == 2
    if fault == THROTTLE_429:
        assert min(sleeps.waits) >= 1.0  # Retry-After: 1


def test_throttling_that_outlasts_the_retries_is_a_rate_limited_error() -> None:
    fake = FakeShopee()
    fake.script("/api/v2/product/search_item", *[THROTTLE_429] * 3)
    adapter = make_adapter(fake, retry=RetryPolicy(max_attempts=3, base_delay=0.01))
    with pytest.raises(RateLimitedError) as caught:
        run(_fetch_and_close(adapter, "HEN-1"))
    assert caught.value.retry_after == 1.0


# --- error mapping --------------------------------------------------------------------------


def _answer(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


@pytest.mark.parametrize(
    ("status", "code", "message", "kind"),
    [
        (200, "product.error_param", "item_name length is too long", ListingRejectedError),
        (200, "error_param", "original_price is invalid.", ListingRejectedError),
        (200, "error_item_not_found", "Item not found.", ListingRejectedError),
        (403, "error_auth", "No permission.", MarketplaceAuthError),
        (403, "error_sign", "Wrong sign.", MarketplaceAuthError),
        (403, "invalid_acceess_token", "Invalid access_token.", MarketplaceAuthError),
        (403, "error_param", "Timestamp is expired.", MarketplaceAuthError),
        (200, "error_server", "Something wrong.", MarketplaceUnavailableError),
        (200, "error_inner", "Inner error.", MarketplaceUnavailableError),
        (500, "error_unknown", "Boom.", MarketplaceUnavailableError),
        (200, "error_busi", "Too many requests.", RateLimitedError),
        (429, "error_busi", "Slow down.", RateLimitedError),
        (200, "error_busi", "Item is under promotion.", MarketplaceError),
    ],
)
def test_shopee_errors_map_onto_the_error_tree(
    status: int, code: str, message: str, kind: type[MarketplaceError]
) -> None:
    error = shopee_error(_answer(status, {"error": code, "message": message, "request_id": "r9"}))
    assert type(error) is kind or (kind is MarketplaceAuthError and isinstance(error, kind))
    assert error is not None
    assert error.code == code
    assert error.request_id == "r9"
    assert error.status == status
    assert message in str(error)


def test_a_refused_title_is_keyed_by_our_field_name() -> None:
    error = shopee_error(
        _answer(200, {"error": "product.error_param", "message": "item_name is too long"})
    )
    assert isinstance(error, ListingRejectedError)
    assert error.field_errors == {"item_name (title)": "item_name is too long"}
    assert "title" in str(error)


def test_success_and_bodies_without_shopee_errors_are_left_alone() -> None:
    assert shopee_error(_answer(200, {"error": "", "message": "", "response": {}})) is None
    assert shopee_error(httpx.Response(502, text="<html>bad gateway</html>")) is None
    throttled = shopee_error(
        _answer(429, {"error": "error_busi", "message": "x"}, headers={"Retry-After": "3"})
    )
    assert isinstance(throttled, RateLimitedError)
    assert throttled.retry_after == 3.0


def test_a_secret_the_marketplace_echoes_is_redacted() -> None:
    body = {"error": "error_auth", "message": f"bad token {ACCESS_TOKEN}"}
    error = shopee_error(_answer(403, body), secrets=[ACCESS_TOKEN])
    assert error is not None
    assert ACCESS_TOKEN not in str(error)


# --- secrets ------------------------------------------------------------------------------------


def test_secrets_stay_out_of_reprs_errors_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeShopee()
    caplog.set_level(logging.DEBUG)
    adapter = make_adapter(fake)
    shown = repr(adapter) + repr(adapter.tokens) + repr(adapter.http) + repr(adapter.http.client)
    fake.script("/api/v2/product/search_item", REVOKE_TOKEN)
    run(_upsert_and_close(adapter, sg_draft(), _images(adapter)))
    bad = make_adapter(fake, partner_key="wrong-key")
    with pytest.raises(MarketplaceAuthError) as caught:
        run(_fetch_and_close(bad, "HEN-1"))
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "HTTP Request" in logged  # httpx did log each request, redacted
    for secret in (*SECRETS, "fake-access-1", "fake-refresh-1", "wrong-key"):
        assert secret not in shown
        assert secret not in logged
        assert secret not in str(caught.value)


# --- the mapping --------------------------------------------------------------------------------


def test_the_add_item_payload_for_singapore() -> None:
    body = add_item_payload(
        sg_draft(), image_ids=["a", "b"], category_id=1, logistic_ids=[2], brand_id=0
    )
    assert body == {
        "item_name": "Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each, from Jiangxi",
        "description": sg_draft().text("en").description,
        "original_price": 9.9,
        "seller_stock": [{"stock": 12}],
        "weight": 7.0,  # one bird packed in a foam box with ice (the sample's pack plan)
        "item_sku": "WJ261120A",
        "category_id": 1,
        "image": {"image_id_list": ["a", "b"]},
        "logistic_info": [{"logistic_id": 2, "enabled": True}],
        "condition": "NEW",
        "item_status": "NORMAL",
        "brand": {"brand_id": 0, "original_brand_name": "NoBrand"},
        "gtin_code": "99526000160017",  # the sample's GTIN under its GS1 prefix 952
    }


def test_a_brand_goes_with_its_name_and_attributes_with_their_values() -> None:
    draft = attrs.evolve(sg_draft(), extra={"shopee": {"attributes": {"100010": "Jiangxi"}}})
    body = add_item_payload(
        draft,
        image_ids=["a"],
        category_id=1,
        logistic_ids=[2],
        brand_id=1078,
        attributes={100037: 580},
    )
    assert body["brand"] == {"brand_id": 1078, "original_brand_name": "吴家乌鸡养殖场"}
    assert body["attribute_list"] == [
        {"attribute_id": 100037, "attribute_value_list": [{"value_id": 580}]},
        {
            "attribute_id": 100010,
            "attribute_value_list": [{"value_id": 0, "original_value_name": "Jiangxi"}],
        },
    ]
    named = add_item_payload(
        draft, image_ids=["a"], category_id=1, logistic_ids=[2], brand_id=7, brand_name="Wu"
    )
    assert named["brand"] == {"brand_id": 7, "original_brand_name": "Wu"}
    assert "gtin_code" not in add_item_payload(
        attrs.evolve(sg_draft(), gtin=None), image_ids=["a"], category_id=1, logistic_ids=[2]
    )


def test_the_parcel_weight_is_the_packed_unit_weight() -> None:
    draft = attrs.evolve(sg_draft(), shipping_weight=Mass("1.9", "kg"))
    body = add_item_payload(draft, image_ids=["a"], category_id=1, logistic_ids=[2])
    assert body["weight"] == 1.9
    assert body["original_price"] == 9.9


def test_regions_without_cents_take_whole_prices_only() -> None:
    draft = attrs.evolve(sg_draft(), price=Money("45000", "VND"))
    texts = {"vi": attrs.evolve(draft.text("en"), locale="vi")}
    vn = attrs.evolve(draft, texts=texts)
    body = add_item_payload(vn, image_ids=["a"], category_id=1, logistic_ids=[2], region="VN")
    assert body["original_price"] == 45000
    assert isinstance(body["original_price"], int)
    with pytest.raises(InvalidValueError, match="whole VND"):
        update_price_payload(1, Money("45000.5", "VND"), "VN")


def test_a_draft_without_text_in_the_region_language_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="no text in th, en") as caught:
        add_item_payload(
            attrs.evolve(
                sg_draft(), texts={"zh-CN": sg_draft().text("zh-CN")}, price=Money("99", "THB")
            ),
            image_ids=["a"],
            category_id=1,
            logistic_ids=[2],
            region="TH",
        )
    assert caught.value.field == "texts"


def test_update_item_leaves_price_stock_status_and_missing_pictures_out() -> None:
    body = update_item_payload(7, sg_draft(), category_id=1, logistic_ids=[2])
    assert body["item_id"] == 7
    assert {"original_price", "seller_stock", "item_status", "image"}.isdisjoint(body)
    assert stock_payload(7, 0) == {"item_id": 7, "stock_list": [{"seller_stock": [{"stock": 0}]}]}


def test_the_weight_comes_from_the_sale_unit_or_the_heaviest_piece() -> None:
    """The packed unit first; without a pack plan, the mass sold, else the heaviest piece."""
    # One bird packed in a foam box with ice, from the sample's pack plan.
    assert str(item_weight_kg(sg_draft())) == "7"
    unpacked = sg_draft(shipping_weight=None)
    assert unpacked.sale_unit == "piece"
    assert str(item_weight_kg(unpacked)) == "1.4"  # the heaviest bird of the lot
    assert str(item_weight_kg(attrs.evolve(unpacked, sale_unit="1 jin"))) == "0.5"
    bare = attrs.evolve(
        unpacked,
        texts={"en": attrs.evolve(unpacked.text("en"), attributes=())},
    )
    with pytest.raises(InvalidValueError, match="no weight"):
        item_weight_kg(bare)


def test_validate_adds_the_shops_own_checks() -> None:
    fake = FakeShopee()
    adapter = make_adapter(fake, region="MY")
    issues = run(adapter.validate(sg_draft()))
    errors = [i for i in issues if i.severity is IssueSeverity.ERROR]
    assert [i.field for i in errors] == ["price"]
    assert "MYR" in errors[0].message
    assert run(make_adapter(fake).validate(grown_in(sg_draft(), "MY"))) == ()
    # Meat from China for Singapore: a likely prohibition, not verified, so a warning.
    (warned,) = run(make_adapter(fake).validate(sg_draft()))
    assert (warned.field, warned.severity) == ("food_policy", IssueSeverity.WARNING)
    assert "not verified" in warned.message
    run(adapter.aclose())


def test_the_hosts_and_an_unknown_region() -> None:
    fake = FakeShopee()
    assert make_adapter(fake, transport=None).base_url == SHOPEE_PRODUCTION_URL
    assert make_adapter(fake, sandbox=True).base_url == SHOPEE_SANDBOX_URL
    assert set(SHOPEE_REGIONS) == {"SG", "MY", "PH", "TH", "VN", "ID", "TW", "BR"}
    with pytest.raises(InvalidValueError, match="no region 'XX'"):
        make_adapter(fake, region="XX")


def test_the_sync_facade() -> None:
    fake = FakeShopee()
    with SyncMarketplace(make_adapter(fake)) as shopee:
        state = shopee.upsert(sg_draft(), _images(shopee.marketplace))
        assert shopee.set_stock("WJ261120A", 3, Money("8.50", "SGD")).price == Money("8.5", "SGD")
        assert shopee.upload_images("WJ261120A", _images(shopee.marketplace)) == state.images
    assert shopee.profile.title_max == fake_shopee.TITLE_MAX


# --- only the change is sent ----------------------------------------------------------------

_SHOPEE_WRITES = ("add_item", "update_item", "update_stock", "update_price", "unlist_item")


def test_only_the_change_is_sent() -> None:
    fake = FakeShopee()
    run(_upsert_and_close(make_adapter(fake), sg_draft(), _pictures()))

    def writes(work: Any) -> list[str]:
        start = len(fake.requests)

        async def go() -> None:
            adapter = make_adapter(fake)
            try:
                await work(adapter)
            finally:
                await adapter.aclose()

        run(go())
        paths = [r.url.path.rsplit("/", 1)[-1] for r in fake.requests[start:]]
        return [p for p in paths if p in _SHOPEE_WRITES]

    price = sg_draft().price
    assert writes(lambda m: m.set_stock("WJ261120A", 5, price)) == ["update_stock"]
    assert writes(lambda m: m.set_stock("WJ261120A", 5, Money("8.50", "SGD"))) == ["update_price"]
    assert writes(lambda m: m.set_stock("WJ261120A", 5, Money("8.50", "SGD"))) == []
    # A text change through upsert: the item, not its stock or price again.
    text = attrs.evolve(sg_draft().text("en"), title="Taihe silkie, whole, chilled")
    renamed = attrs.evolve(
        sg_draft(texts={**sg_draft().texts, "en": text}, stock=5), price=Money("8.50", "SGD")
    )
    assert writes(lambda m: m.upsert(renamed, _pictures())) == ["update_item"]

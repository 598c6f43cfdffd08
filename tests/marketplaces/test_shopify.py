"""The Shopify adapter against the fake Admin GraphQL API (tests/marketplaces/fake_shopify.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import logging
import re
import time
from collections.abc import Iterator
from typing import Any, ClassVar

import attrs
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image
from tests.marketplaces.fake_shopify import (
    LOCATION,
    ONLINE_STORE,
    SHOP,
    TOKEN,
    UPLOAD_HOST,
    FakeShopify,
    check_value,
)

from ruralseller.catalog import Mass, Money, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceError,
    RateLimitedError,
)
from ruralseller.listing import (
    ImageSpec,
    ListingDraft,
    ProcessedImage,
    generate_listing,
    get_profile,
    process_image,
)
from ruralseller.marketplaces import RetryPolicy, SyncMarketplace
from ruralseller.marketplaces.conformance import MarketplaceConformance
from ruralseller.marketplaces.shopify import (
    STANDARD_RESTORE_RATE,
    QueryCostBucket,
    ShopifyMarketplace,
    classify_graphql,
    inventory_set_input,
    product_handle,
    product_set_input,
    sku_search_query,
    throttle_wait,
)


class Clock:
    """A clock the adapter's ``sleep`` advances, shared by the fake's and the adapter's buckets.

    Both cost buckets must run on it: an adapter bucket on the real clock would refill while
    the fake's does not, and send what the fake throttles, by amounts that vary with timing.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def _no_wait(_seconds: float) -> None:
    return None


def _adapter(fake: FakeShopify, clock: Clock | None = None, **kwargs: Any) -> ShopifyMarketplace:
    """An adapter for the fake shop, with a cost bucket of its own (not the process's).

    With ``clock`` (the fake's), the adapter waits on it and its bucket runs on it.
    """
    options: dict[str, Any] = {
        "access_token": TOKEN,
        "retry": RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, jitter=0.0),
        "transport": httpx.MockTransport(fake),
        "sleep": clock.sleep if clock else _no_wait,
        "cost_bucket": QueryCostBucket(STANDARD_RESTORE_RATE, clock=clock or time.monotonic),
    }
    options.update(kwargs)
    return ShopifyMarketplace(SHOP, **options)


@functools.cache
def _sample() -> ListingDraft:
    return generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))


def _draft(sku: str = "WJ261120A", **changes: Any) -> ListingDraft:
    return attrs.evolve(_sample(), sku=sku, **changes)


@functools.cache
def _picture(spec: ImageSpec, shade: int, size: int = 800) -> ProcessedImage:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (shade, 30, 30)).save(buffer, "PNG")
    return process_image(buffer.getvalue(), spec, name=f"{shade}.png")


def _pictures(adapter: Any, *shades: int) -> list[ProcessedImage]:
    return [_picture(adapter.profile.images, shade) for shade in shades]


def _run(adapter: ShopifyMarketplace, work: Any) -> Any:
    async def main() -> Any:
        try:
            return await work(adapter)
        finally:
            await adapter.aclose()

    return asyncio.run(main())


# --- the shared conformance suite -------------------------------------------------------------


class TestShopifyConformance(MarketplaceConformance):
    """The shared suite against one fake shop, kept for the whole class.

    The fake's cost bucket, and the adapters' (one for the class, as one process shares one
    per shop), run on a clock that the adapter's ``sleep`` advances, so waiting for them takes
    no time and throttling does not depend on how fast the tests run.
    """

    fake: ClassVar[FakeShopify]
    clock: ClassVar[Clock]
    bucket: ClassVar[QueryCostBucket]
    written: ClassVar[set[str]]

    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _shop(cls) -> Iterator[None]:
        cls.clock = Clock()
        cls.fake = FakeShopify(currency="CNY", clock=cls.clock)
        cls.bucket = QueryCostBucket(STANDARD_RESTORE_RATE, clock=cls.clock)
        cls.written = set()
        yield
        skus = [v["sku"] for p in cls.fake.products.values() for v in p["variants"]]
        assert len(skus) == len(set(skus)), "a SKU was listed twice"
        assert set(skus) <= cls.written
        assert len(skus) >= 5

    def new_sku(self) -> str:
        sku = super().new_sku()
        type(self).written.add(sku)
        return sku

    def make_marketplace(self) -> Any:
        cls = type(self)
        return _adapter(cls.fake, cls.clock, cost_bucket=cls.bucket)

    # The suite's draft and pictures, made once (generating them is most of its time).
    def make_draft(self, sku: str) -> ListingDraft:
        return _draft(sku, stock=12)

    def make_images(self, marketplace: Any) -> list[ProcessedImage]:
        return [_picture(marketplace.profile.images, s, 1600) for s in (40, 200)]


class TestShopifyConformanceWithLostAnswers(TestShopifyConformance):
    """The same suite while product writes lose their answers and search lags behind."""

    def make_marketplace(self) -> Any:
        fake = type(self).fake
        fake.search_lag = 1_000_000  # search never sees new products: the handle must
        if not fake.faults_pending:
            fake.lose("ProductSet", "timeout")
            fake.lose("ProductSet", "503")
        return super().make_marketplace()

    def test_answers_were_lost(self) -> None:
        self.test_upsert_publishes_and_fetch_reads_it_back()
        assert any(outcome.startswith("lost:") for _, outcome in type(self).fake.log)


# --- the mapping ------------------------------------------------------------------------------


def test_product_set_input_maps_the_draft() -> None:
    draft = _draft()
    text = draft.text("en")
    data = product_set_input(draft, text=text, location_id=LOCATION, handle="wj")
    assert data["title"] == text.title
    assert data["descriptionHtml"] == text.description_html
    assert data["handle"] == "wj"
    assert data["status"] == "ACTIVE"
    assert "files" not in data  # no pictures given: the product keeps its own
    (variant,) = data["variants"]
    assert variant["sku"] == "WJ261120A"
    # One bird: 36.00 CNY per jin × 2.8 jin (1.4 kg), the lot's heaviest bird.
    assert variant["price"] == "100.80"
    assert variant["barcode"] == draft.gtin
    assert variant["inventoryQuantities"] == [
        {"locationId": LOCATION, "name": "available", "quantity": draft.stock}
    ]
    assert "id" not in variant
    # It is exactly what the API accepts (the fake's copy of the 2025-10 input objects).
    assert check_value("ProductSetInput!", data, "input") == []


def test_an_existing_variant_is_updated_not_replaced() -> None:
    draft = _draft()
    data = product_set_input(
        draft,
        text=draft.text("en"),
        location_id=LOCATION,
        variant_id="gid://shopify/ProductVariant/9",
        vendor="Wu family",
        files=[{"id": "gid://shopify/MediaImage/3"}],
    )
    assert data["variants"][0]["id"] == "gid://shopify/ProductVariant/9"
    assert data["vendor"] == "Wu family"
    assert data["files"] == [{"id": "gid://shopify/MediaImage/3"}]
    assert "handle" not in data


def test_inventory_input_has_the_documented_shape() -> None:
    data = inventory_set_input("gid://shopify/InventoryItem/1", LOCATION, 7)
    assert check_value("InventorySetQuantitiesInput!", data, "input") == []


@given(st.text(min_size=1, max_size=60))
def test_handles_are_valid_and_stable(sku: str) -> None:
    handle = product_handle(sku)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", handle), handle
    assert product_handle(sku) == handle


@given(st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
def test_different_skus_get_different_handles(a: str, b: str) -> None:
    if a != b:
        assert product_handle(a) != product_handle(b)


@given(st.text(max_size=40))
def test_sku_search_query_round_trips(sku: str) -> None:
    query = sku_search_query(sku)
    match = re.fullmatch(r'sku:"((?:[^"\\]|\\.)*)"', query)
    assert match is not None
    assert re.sub(r"\\(.)", r"\1", match.group(1)) == sku


# --- auth and secrets -------------------------------------------------------------------------


def test_a_wrong_token_is_an_auth_error_that_hides_the_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    wrong = "shpat_wrong_but_secret_42"
    adapter = _adapter(FakeShopify(), access_token=wrong)
    assert wrong not in repr(adapter)
    assert wrong not in repr(adapter.http.client.auth)
    with caplog.at_level(logging.DEBUG), pytest.raises(MarketplaceAuthError) as caught:
        _run(adapter, lambda m: m.fetch("HEN-1"))
    assert caught.value.status == 401
    assert wrong not in str(caught.value)
    assert wrong not in repr(caught.value.headers)
    assert wrong not in caplog.text
    assert TOKEN not in caplog.text


def test_the_token_goes_to_the_shop_only_never_to_the_upload_bucket(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeShopify()
    adapter = _adapter(fake)
    images = _pictures(adapter, 10, 20)
    with caplog.at_level(logging.DEBUG):
        state = _run(adapter, lambda m: m.upsert(_draft(), images))
    assert len(state.images) == 2
    assert fake.seen_tokens
    assert set(fake.seen_tokens) == {TOKEN}
    assert len(fake.upload_headers) == 2
    for headers in fake.upload_headers:
        assert TOKEN not in str(headers)
    assert TOKEN not in caplog.text
    assert TOKEN not in repr(adapter)


# --- writes -----------------------------------------------------------------------------------


def test_pictures_are_uploaded_once_and_kept_on_later_writes() -> None:
    fake = FakeShopify()
    adapter = _adapter(fake)
    images = _pictures(adapter, 10, 20)

    async def work(m: ShopifyMarketplace) -> Any:
        first = await m.upsert(_draft(), images)
        again = await m.upsert(_draft(stock=3), images)
        fewer = await m.upsert(_draft(), images[1:])
        return first, again, fewer

    first, again, fewer = _run(adapter, work)
    assert fake.operations().count("StagedUploads") == 1
    assert len(fake.uploads) == 2
    assert again.images == first.images
    assert again.stock == 3
    assert fewer.images == first.images[1:]  # productSet's files list is the whole list
    (product,) = fake.products_with_sku("WJ261120A")
    assert product["status"] == "ACTIVE"


def test_a_picture_renamed_by_shopify_is_still_recognised() -> None:
    """Shopify appends a UUID to a file name already in use; the content hash still matches."""
    fake = FakeShopify()
    adapter = _adapter(fake)
    images = _pictures(adapter, 10)

    async def work(m: ShopifyMarketplace) -> Any:
        await m.upsert(_draft("HEN-A"), images)
        second = await m.upsert(_draft("HEN-B"), images)  # same picture, second product
        await m.upsert(_draft("HEN-B"), images)
        return second

    second = _run(adapter, work)
    assert re.fullmatch(r"[0-9a-f]{16}_[0-9a-f-]{36}\.jpg", second.images[0])
    assert fake.operations().count("StagedUploads") == 2


def test_upload_images_adds_to_the_pictures_a_listing_has() -> None:
    fake = FakeShopify()
    adapter = _adapter(fake)
    one, two = _pictures(adapter, 10, 20)

    async def work(m: ShopifyMarketplace) -> Any:
        await m.upsert(_draft(), [one])
        names = await m.upload_images("WJ261120A", [one, two])
        return names, await m.fetch("WJ261120A")

    names, state = _run(adapter, work)
    assert len(names) == 2
    assert state.images[0] == names[0]
    assert len(state.images) == 2
    assert fake.operations().count("StagedUploads") == 2  # one for each new picture


@pytest.mark.parametrize("how", ["timeout", "503"])
def test_a_lost_product_write_never_makes_a_duplicate(how: str) -> None:
    fake = FakeShopify()
    fake.lose("ProductSet", how)
    adapter = _adapter(fake)
    state = _run(adapter, lambda m: m.upsert(_draft(), _pictures(m, 10)))
    assert state.active
    assert fake.log.count(("ProductSet", f"lost:{how}")) == 1
    assert fake.operations().count("ProductSet") == 2  # sent again, by the same handle
    assert len(fake.products_with_sku("WJ261120A")) == 1
    assert len(fake.products) == 1


def test_a_lost_write_while_search_lags_still_makes_one_product() -> None:
    """The SKU lookup cannot see the new product yet; the handle finds it."""
    fake = FakeShopify()
    fake.search_lag = 3
    adapter = _adapter(fake)

    async def work(m: ShopifyMarketplace) -> Any:
        await m.upsert(_draft(), ())
        fake.lose("ProductSet", "timeout")
        return await m.upsert(_draft(stock=5), ())

    state = _run(adapter, work)
    assert state.stock == 5
    assert len(fake.products) == 1


def test_withdraw_sets_draft_and_upsert_makes_it_active_again() -> None:
    fake = FakeShopify()
    adapter = _adapter(fake)

    async def work(m: ShopifyMarketplace) -> Any:
        await m.upsert(_draft(), ())
        withdrawn = await m.withdraw("WJ261120A")
        return withdrawn, await m.upsert(_draft(), ())

    withdrawn, again = _run(adapter, work)
    assert withdrawn.state == "withdrawn"
    assert withdrawn.extra["status"] == "DRAFT"
    assert again.active


def test_publication_ids_publish_to_the_online_store() -> None:
    fake = FakeShopify()
    adapter = _adapter(fake, publication_ids=[ONLINE_STORE])
    state = _run(adapter, lambda m: m.upsert(_draft(), ()))
    assert state.url == f"https://{SHOP}/products/{product_handle('WJ261120A')}"
    assert "Publish" in fake.operations()


def test_products_go_on_the_online_store_by_default_and_are_active_only_there() -> None:
    fake = FakeShopify()
    state = _run(_adapter(fake), lambda m: m.upsert(_draft(), ()))
    assert state.active
    assert state.extra["channels"] == 1
    assert [p["publications"] for p in fake.products.values()] == [{ONLINE_STORE}]
    # Published nowhere, an ACTIVE product is seen by no buyer: reported as a draft.
    hidden = _run(_adapter(FakeShopify(), publish_to=()), lambda m: m.upsert(_draft(), ()))
    assert (hidden.state, hidden.extra["status"], hidden.extra["channels"]) == (
        "draft",
        "ACTIVE",
        0,
    )


def test_a_sales_channel_the_shop_lacks_is_named_with_those_it_has() -> None:
    fake = FakeShopify()
    with pytest.raises(MarketplaceError, match="no sales channel called 'Farm Stall'") as caught:
        _run(_adapter(fake, publish_to=("Farm Stall",)), lambda m: m.upsert(_draft(), ()))
    assert "Online Store, Point of Sale" in str(caught.value)


def test_the_unit_weight_goes_on_the_inventory_item() -> None:
    fake = FakeShopify()
    draft = _draft(shipping_weight=Mass("1.9", "kg"))
    _run(_adapter(fake), lambda m: m.upsert(draft, ()))
    (product,) = fake.products.values()
    assert product["variants"][0]["weight"] == (1900.0, "GRAMS")
    assert product["variants"][0]["price"] == draft.price.amount
    # The sample's pack plan packs a bird in 7 kg (foam box and ice); without one, no weight.
    sample = product_set_input(_draft(), text=_draft().text("en"), location_id=LOCATION)
    assert sample["variants"][0]["inventoryItem"]["measurement"] == {
        "weight": {"value": 7000.0, "unit": "GRAMS"}
    }
    unpacked = _draft(shipping_weight=None)
    unweighed = product_set_input(unpacked, text=unpacked.text("en"), location_id=LOCATION)
    assert "measurement" not in unweighed["variants"][0]["inventoryItem"]


def test_stock_is_set_with_a_fresh_idempotency_key_per_write() -> None:
    fake = FakeShopify()

    async def work(m: ShopifyMarketplace) -> None:
        await m.upsert(_draft(), ())
        await m.set_stock("WJ261120A", 5)
        await m.set_stock("WJ261120A", 3)

    _run(_adapter(fake), work)
    assert len(fake.idempotency_keys) == 2
    assert len(set(fake.idempotency_keys)) == 2


def test_a_lost_stock_answer_is_retried_with_the_same_key() -> None:
    fake = FakeShopify()
    _run(_adapter(fake), lambda m: m.upsert(_draft(), ()))
    fake.lose("InventorySet", "503")
    _run(_adapter(fake), lambda m: m.set_stock("WJ261120A", 4))
    assert len(fake.idempotency_keys) == 2
    assert len(set(fake.idempotency_keys)) == 1


def test_the_default_version_is_served_and_a_fallen_forward_one_is_warned_about(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake = FakeShopify()
    adapter = _adapter(fake)
    assert adapter.api_version == "2026-10"
    with caplog.at_level(logging.WARNING, logger="ruralseller.marketplaces.shopify"):
        _run(adapter, lambda m: m.fetch("NOPE"))
    assert adapter.served_version == "2026-10"
    assert not caplog.records
    old = _adapter(fake, api_version="2025-10")
    with caplog.at_level(logging.WARNING, logger="ruralseller.marketplaces.shopify"):
        _run(old, lambda m: m.fetch("NOPE"))
    assert old.served_version == "2026-01"
    (record,) = caplog.records
    assert "served API version 2026-01, not the 2025-10 asked for" in record.getMessage()


def test_a_price_in_another_currency_is_refused_before_sending() -> None:
    fake = FakeShopify(currency="USD")
    adapter = _adapter(fake)
    with pytest.raises(ListingRejectedError, match="sells in USD") as caught:
        _run(adapter, lambda m: m.upsert(_draft(), ()))
    assert "price.currency" in caught.value.field_errors
    assert "ProductSet" not in fake.operations()
    issues = _run(_adapter(fake, currency="USD"), lambda m: m.validate(_draft()))
    assert [i.field for i in issues] == ["price.currency"]


def test_a_draft_without_the_shops_language_is_refused() -> None:
    adapter = _adapter(FakeShopify(), locale="fr")
    issues = _run(adapter, lambda m: m.validate(_draft()))
    assert any(i.field == "texts" for i in issues)
    with pytest.raises(ListingRejectedError, match="no text in 'fr'"):
        _run(_adapter(FakeShopify(), locale="fr"), lambda m: m.upsert(_draft(), ()))


def test_stock_and_price_of_an_unknown_sku_is_an_error() -> None:
    with pytest.raises(MarketplaceError, match="no product with SKU 'NOPE'"):
        _run(_adapter(FakeShopify()), lambda m: m.set_stock("NOPE", 1))


# --- errors -----------------------------------------------------------------------------------


def test_user_errors_carry_the_field() -> None:
    adapter = _adapter(FakeShopify())
    draft = _draft()
    long = {k: attrs.evolve(t, title="x" * 256) for k, t in draft.texts.items()}
    with pytest.raises(ListingRejectedError) as caught:
        _run(adapter, lambda m: m.upsert(attrs.evolve(draft, texts=long), ()))
    assert caught.value.field_errors == {"title": "Title is too long (maximum is 255 characters)"}
    assert caught.value.code == "INVALID"
    assert caught.value.request_id


def test_a_malformed_request_is_a_marketplace_error_not_a_retry() -> None:
    fake = FakeShopify(check_schema=False)  # the point is how Shopify's refusal is read
    adapter = _adapter(fake)

    async def work(m: ShopifyMarketplace) -> Any:
        return await m._graphql(
            "InventorySet",
            "mutation InventorySet($input: InventorySetQuantitiesInput!) "
            "{ inventorySetQuantities(input: $input) { userErrors { field message } } }",
            {"input": {"name": "available", "quantities": [], "colour": "red"}},
        )

    with pytest.raises(MarketplaceError, match="Field is not defined") as caught:
        _run(adapter, work)
    assert type(caught.value) is MarketplaceError
    assert caught.value.code == "INVALID_VARIABLE"
    assert "input.reason: Expected value to not be null" in str(caught.value)
    assert fake.operations() == ["InventorySet"]


def test_access_denied_is_an_auth_error() -> None:
    response = httpx.Response(
        200,
        json={
            "errors": [
                {
                    "message": "Access denied for productSet field.",
                    "extensions": {"code": "ACCESS_DENIED"},
                }
            ]
        },
    )
    error = classify_graphql(response)
    assert isinstance(error, MarketplaceAuthError)
    assert "scope" in str(error)


def test_a_success_is_no_error() -> None:
    response = httpx.Response(200, json={"data": {"productSet": {"userErrors": []}}})
    assert classify_graphql(response) is None
    assert classify_graphql(httpx.Response(500)) is None  # left to the shared mapping


# --- throttling -------------------------------------------------------------------------------


def test_throttle_wait_follows_the_cost_numbers() -> None:
    cost = {
        "requestedQueryCost": 64,
        "throttleStatus": {
            "maximumAvailable": 2000,
            "currentlyAvailable": 14,
            "restoreRate": 100,
        },
    }
    # The 50 points missing, and one more: Shopify reports whole points.
    assert throttle_wait(cost) == pytest.approx(0.51)
    assert throttle_wait({"requestedQueryCost": 64}) is None
    assert throttle_wait(None) is None


def _fresh(fake: FakeShopify, clock: Clock, **kwargs: Any) -> ShopifyMarketplace:
    """An adapter with a cost bucket of its own, on the fake's clock."""
    kwargs.setdefault("retry", RetryPolicy(base_delay=0.001, jitter=0.0))
    return _adapter(fake, clock, **kwargs)


def test_a_throttled_answer_is_waited_out_and_retried() -> None:
    clock = Clock()
    fake = FakeShopify(clock=clock, capacity=200, restore_rate=50)
    fake.drain(0)  # another client of the same app spent the bucket
    state = _run(_fresh(fake, clock), lambda m: m.fetch("NOPE"))
    assert state is None
    assert fake.log[:2] == [("ShopContext", "throttled"), ("ShopContext", "ok")]
    # Shopify's numbers: 4 points requested, none available, 50 a second; and one more point.
    assert clock.slept[0] == pytest.approx(5 / 50)
    assert all(outcome == "ok" for _, outcome in fake.log[1:]), fake.log


def test_a_throttle_whose_whole_points_read_as_enough_is_still_waited_out() -> None:
    """Shopify reports whole points: 3.6 left reads as 4, all a 4-point query needs.

    The bare difference would be a wait of 0 s, throttled again on every try until the tries
    run out; the adapter waits one restore tick more.
    """
    clock = Clock()
    fake = FakeShopify(clock=clock, capacity=200, restore_rate=100)
    fake.drain(3.6)
    adapter = _fresh(fake, clock, retry=RetryPolicy(max_attempts=2, base_delay=0.001, jitter=0))
    assert _run(adapter, lambda m: m.fetch("NOPE")) is None
    assert fake.log[:2] == [("ShopContext", "throttled"), ("ShopContext", "ok")]
    assert clock.slept[0] == pytest.approx(1 / 100)


def test_the_cost_bucket_waits_before_shopify_has_to_throttle() -> None:
    clock = Clock()
    fake = FakeShopify(clock=clock, capacity=100, restore_rate=50)
    adapter = _fresh(fake, clock)

    async def work(m: ShopifyMarketplace) -> Any:
        for stock in range(4):
            await m.upsert(_draft(stock=stock), ())

    _run(adapter, work)
    assert clock.slept, "the adapter never waited for the bucket"
    assert all(outcome == "ok" for _, outcome in fake.log), [x for x in fake.log if x[1] != "ok"]
    assert adapter.cost_bucket.capacity == 100  # adopted from Shopify's throttleStatus
    assert adapter.cost_bucket.rate == 50


def test_a_429_is_retried_after_its_retry_after() -> None:
    clock = Clock()
    fake = FakeShopify(clock=clock)
    fake.reject_next_with_429(2)
    adapter = _adapter(fake, clock)
    assert _run(adapter, lambda m: m.fetch("NOPE")) is None
    assert max(clock.slept) >= 2


def test_a_long_throttle_is_raised_with_its_wait() -> None:
    clock = Clock()
    fake = FakeShopify(clock=clock, capacity=100, restore_rate=1)
    fake.drain(0)
    adapter = _fresh(fake, clock, retry=RetryPolicy(max_attempts=3, max_retry_after=2, jitter=0.0))
    with pytest.raises(RateLimitedError) as caught:
        _run(adapter, lambda m: m.fetch("NOPE"))
    assert caught.value.retry_after == pytest.approx(5.0)  # 4 points, and one more
    assert caught.value.code == "THROTTLED"
    assert caught.value.status == 200


def test_the_cost_bucket_adopts_what_shopify_reports() -> None:
    now = [0.0]
    bucket = QueryCostBucket(rate=100, clock=lambda: now[0])
    assert bucket.capacity == 2000
    assert bucket.reserve(1990) == 0.0
    assert bucket.reserve(20) == pytest.approx(0.1)
    bucket.observe({"maximumAvailable": 1000, "currentlyAvailable": 1000, "restoreRate": 50})
    assert bucket.reserve(1000) == 0.0
    bucket.observe({"maximumAvailable": "a lot"})  # malformed: ignored
    assert bucket.capacity == 1000
    now[0] = 1.0
    assert bucket.reserve(60) == pytest.approx(0.2)


@given(st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=30))
def test_the_cost_bucket_never_lets_more_through_than_it_restores(costs: list[int]) -> None:
    bucket = QueryCostBucket(rate=100, capacity=1000, clock=lambda: 0.0)
    waits = [bucket.reserve(cost) for cost in costs]
    assert waits == sorted(waits)
    assert waits[-1] == pytest.approx(max(0.0, (sum(costs) - 1000) / 100))


# --- the sync facade and the registry-free construction -----------------------------------------


def test_the_sync_facade_and_the_shop_name_forms() -> None:
    fake = FakeShopify()
    for shop in ("ruralseller-test", SHOP, f"https://{SHOP}/"):
        adapter = ShopifyMarketplace(shop, access_token=TOKEN, transport=httpx.MockTransport(fake))
        assert adapter.shop == SHOP
        asyncio.run(adapter.aclose())
    with SyncMarketplace(_adapter(fake)) as shop:
        state = shop.upsert(_draft(), _pictures(shop.marketplace, 10))  # type: ignore[arg-type]
        assert shop.set_stock("WJ261120A", 4, Money("30.00", "CNY")).stock == 4
    assert state.extra["handle"] == product_handle("WJ261120A")
    assert UPLOAD_HOST in fake.operations()


def test_many_pictures_are_a_warning() -> None:
    draft = _draft(images=[f"p{i}.jpg" for i in range(21)])
    issues = _run(_adapter(FakeShopify(), currency="CNY"), lambda m: m.validate(draft))
    assert [(i.field, i.severity.value) for i in issues] == [("images", "warning")]


def test_a_refused_price_names_the_variant_field() -> None:
    fake = FakeShopify()

    async def work(m: ShopifyMarketplace) -> Any:
        await m.upsert(_draft(), ())
        return await m.set_stock("WJ261120A", 1, Money("-1.00", "CNY"))

    with pytest.raises(ListingRejectedError) as caught:
        _run(_adapter(fake), work)
    assert caught.value.field_errors == {"variants.0.price": "Price must be positive"}
    assert "productVariantsBulkUpdate" in str(caught.value)


# --- only the change is sent ----------------------------------------------------------------

_WRITES = {
    "ProductSet",
    "StagedUploads",
    "InventorySet",
    "VariantPrice",
    "ProductStatus",
    "Publish",
}


def _writes_after(fake: FakeShopify, start: int) -> list[str]:
    return [op for op, outcome in fake.log[start:] if op in _WRITES and outcome == "ok"]


def test_only_the_change_is_sent() -> None:
    fake = FakeShopify()
    spec = get_profile("shopify").images
    images = [_picture(spec, 10), _picture(spec, 20)]
    _run(_adapter(fake), lambda m: m.upsert(_draft(), images))
    price = _draft().price

    def writes(work: Any) -> list[str]:
        start = len(fake.log)
        _run(_adapter(fake), work)
        return _writes_after(fake, start)

    assert writes(lambda m: m.set_stock("WJ261120A", 7, price)) == ["InventorySet"]
    assert writes(lambda m: m.set_stock("WJ261120A", 7, Money("38.00", "CNY"))) == ["VariantPrice"]
    assert writes(lambda m: m.set_stock("WJ261120A", 7, Money("38.00", "CNY"))) == []
    # A text change: the product is written again, its pictures are kept, not uploaded.
    text = attrs.evolve(_draft().text("en"), title="Taihe silkie, whole, chilled")
    renamed = _draft(texts={**_draft().texts, "en": text})
    assert writes(lambda m: m.upsert(renamed, images)) == ["ProductSet", "Publish"]
    # A new picture: only that one is uploaded.
    assert writes(lambda m: m.upsert(renamed, [*images, _picture(spec, 30)])) == [
        "StagedUploads",
        "ProductSet",
        "Publish",
    ]

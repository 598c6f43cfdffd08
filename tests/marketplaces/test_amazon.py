"""The Amazon SP-API adapter against a fake SP-API that checks every request against the spec."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
import logging
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import httpx
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.marketplaces.fake_amazon import (
    FEED_SCHEMA_FILE,
    LISTINGS,
    MEAT_SCHEMA,
    FakeAmazon,
    product_required_fields,
)
from tests.marketplaces.origins import grown_in
from tests.marketplaces.specs import SPECS

from ruralseller.catalog import Mass, Money, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import (
    InvalidValueError,
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceUnavailableError,
    RateLimitedError,
)
from ruralseller.listing import (
    ImageSpec,
    IssueSeverity,
    ListingDraft,
    ProcessedImage,
    generate_listing,
)
from ruralseller.marketplaces import RetryPolicy, SyncMarketplace
from ruralseller.marketplaces.amazon import (
    AmazonMarketplace,
    LwaAuth,
    image_attributes,
    listing_attributes,
    listings_feed,
    put_listing_body,
    stock_and_price_patches,
)
from ruralseller.marketplaces.amazon import adapter as amazon_adapter
from ruralseller.marketplaces.conformance import MarketplaceConformance
from ruralseller.marketplaces.secrets import Secret

T = TypeVar("T")

SELLER = "A2FAKESELLER01"
CLIENT_ID = "amzn1.application-oa2-client.fake0c1d2e3f"
CLIENT_SECRET = "amzn1.oa2-cs.v1.fake-secret-5b7e9a"  # noqa: S105 - fake, for the fake
REFRESH_TOKEN = "Atzr|fake-refresh-token-3c8d1f"  # noqa: S105 - fake, for the fake
IMAGE_BASE = "https://img.wu-farm.example/amazon"
CREDENTIALS = {
    "client_id": CLIENT_ID,
    "client_secret": CLIENT_SECRET,
    "refresh_token": REFRESH_TOKEN,
}


class Clock:
    """A monotonic clock the tests move by hand (token expiry)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


CLOCK = Clock()
# One account for the whole module: the conformance suite makes a fresh adapter per call.
FAKE = FakeAmazon(seller_id=SELLER, **CREDENTIALS, clock=CLOCK)
SLEEPS: list[float] = []


async def no_sleep(seconds: float) -> None:
    SLEEPS.append(seconds)


def make_adapter(fake: FakeAmazon = FAKE, **overrides: Any) -> AmazonMarketplace:
    options: dict[str, Any] = {
        "seller_id": fake.seller_id,
        **CREDENTIALS,
        "image_base_url": IMAGE_BASE,
        "transport": httpx.MockTransport(fake.handler),
        "retry": RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, jitter=0.0),
        "rate": 1000.0,
        "burst": 1000.0,
        "sleep": no_sleep,
        "clock": CLOCK,
    }
    options.update(overrides)
    return AmazonMarketplace(**options)


@functools.cache
def _sample() -> ListingDraft:
    return generate_listing(
        load_catalog(sample_path()),
        "WJ261120A",
        locales=("en",),
        price=Money("18.00", "USD"),
        on=dt.date(2026, 11, 21),
    )


def usd_draft(sku: str = "WJ261120A", **changes: Any) -> ListingDraft:
    return attrs.evolve(_sample(), sku=sku, **changes)


def run(work: Callable[[AmazonMarketplace], Awaitable[T]], **overrides: Any) -> T:
    fake = overrides.pop("fake", FAKE)

    async def main() -> T:
        adapter = make_adapter(fake, **overrides)
        try:
            return await work(adapter)
        finally:
            await adapter.aclose()

    return asyncio.run(main())


def new_fake(**changes: Any) -> FakeAmazon:
    options: dict[str, Any] = {"seller_id": SELLER, **CREDENTIALS, "clock": CLOCK, **changes}
    return FakeAmazon(**options)


class TestAmazonConformance(MarketplaceConformance):
    """The shared suite, against the fake SP-API."""

    def make_marketplace(self) -> AmazonMarketplace:
        return make_adapter()

    def make_draft(self, sku: str) -> ListingDraft:
        # Amazon.com sells in USD and English; the base draft is in CNY and Chinese.
        return usd_draft(sku, stock=12)

    def make_images(self, marketplace: Any) -> list[ProcessedImage]:
        # The same two pictures every time, made once: processing them is the slow part.
        return list(_pictures(marketplace.profile.images))


@functools.cache
def _pictures(spec: ImageSpec) -> tuple[ProcessedImage, ...]:
    return tuple(MarketplaceConformance().make_images(_Spec(spec)))


@attrs.frozen
class _Spec:
    """Just enough of an adapter for the suite's picture maker: a profile with an image spec."""

    images: ImageSpec

    @property
    def profile(self) -> _Spec:
        return self


# --- the mapping ---------------------------------------------------------------------------


def test_the_put_body_matches_the_spec_and_the_product_type_schema() -> None:
    urls = [f"{IMAGE_BASE}/{n}.jpg" for n in range(3)]
    body = put_listing_body(usd_draft(), image_urls=urls)
    assert list(LISTINGS.validate(body, "#/definitions/ListingsItemPutRequest")) == []
    assert list(jsonschema.Draft201909Validator(MEAT_SCHEMA).iter_errors(body["attributes"])) == []
    attributes = body["attributes"]
    assert attributes["item_name"] == [
        {
            "value": "Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each, from Jiangxi",
            "language_tag": "en_US",
            "marketplace_id": "ATVPDKIKX0DER",
        }
    ]
    assert attributes["brand"][0]["value"] == "吴家乌鸡养殖场"  # the producer
    assert attributes["purchasable_offer"][0]["currency"] == "USD"
    assert attributes["fulfillment_availability"] == [
        {"fulfillment_channel_code": "DEFAULT", "quantity": 40}
    ]
    # The sample's GTIN under its GS1 prefix 952.
    assert attributes["externally_assigned_product_identifier"][0]["value"] == "99526000160017"
    assert attributes["item_weight"][0] == {
        "value": 1.0,
        "unit": "kilograms",
        "marketplace_id": "ATVPDKIKX0DER",
    }
    assert attributes["country_of_origin"][0]["value"] == "CN"
    assert attributes["max_order_quantity"][0]["value"] == 6
    assert len(attributes["bullet_point"]) == 5
    assert attributes["main_product_image_locator"][0]["media_location"] == urls[0]
    assert attributes["other_product_image_locator_2"][0]["media_location"] == urls[2]
    assert "other_product_image_locator_3" not in attributes


def test_amazon_extras_in_the_draft_override_the_mapping() -> None:
    extra = {
        "amazon": {
            "brand": "Wu Family Farm",
            "product_type": "POULTRY",
            "attributes": {"condition_type": [{"value": "new_new"}]},
        }
    }
    body = put_listing_body(usd_draft(gtin=None, extra=extra))
    assert body["productType"] == "POULTRY"
    assert body["attributes"]["brand"][0]["value"] == "Wu Family Farm"
    assert body["attributes"]["condition_type"] == [{"value": "new_new"}]
    assert body["attributes"]["supplier_declared_has_product_identifier_exemption"][0]["value"]


def test_the_mapping_refuses_what_amazon_cannot_take() -> None:
    with pytest.raises(InvalidValueError, match="sells in USD") as caught:
        listing_attributes(usd_draft(price=Money("18.00", "GBP")))
    assert caught.value.field == "price"
    chinese_only = generate_listing(load_catalog(sample_path()), "WJ261120A", locales=("zh-CN",))
    with pytest.raises(InvalidValueError, match="no English text"):
        listing_attributes(attrs.evolve(chinese_only, price=Money("18.00", "USD")))
    with pytest.raises(InvalidValueError, match="HTTPS"):
        image_attributes(["http://img.example.com/a.jpg"])
    with pytest.raises(InvalidValueError, match="at most 9"):
        image_attributes([f"https://img.example.com/{n}.jpg" for n in range(10)])
    with pytest.raises(InvalidValueError, match="unknown Amazon marketplace id"):
        listing_attributes(usd_draft(), marketplace_id="A1PA6795UKMFR9")


@settings(max_examples=200)
@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2))
def test_a_price_survives_amazons_json_number(amount: Decimal) -> None:
    """value_with_tax is a JSON number: every price in cents reads back as the same cents."""
    patches = stock_and_price_patches(3, Money(amount, "USD"))
    sent = json.loads(json.dumps(patches))[1]["value"][0]["our_price"][0]["schedule"][0]
    assert Decimal(f"{sent['value_with_tax']:.2f}") == amount
    request_body = {"productType": "MEAT", "patches": patches}
    assert list(LISTINGS.validate(request_body, "#/definitions/ListingsItemPatchRequest")) == []


def test_a_feed_of_many_drafts_matches_the_json_listings_feed_schema() -> None:
    drafts = [usd_draft(f"WJ-{n}") for n in range(3)]
    feed = listings_feed(drafts, seller_id=SELLER, image_urls={"WJ-1": [f"{IMAGE_BASE}/main.jpg"]})
    schema = json.loads((SPECS / FEED_SCHEMA_FILE).read_text(encoding="utf-8"))
    assert list(jsonschema.Draft7Validator(schema).iter_errors(feed)) == []
    assert [m["messageId"] for m in feed["messages"]] == [1, 2, 3]
    assert {m["operationType"] for m in feed["messages"]} == {"UPDATE"}
    assert "main_product_image_locator" in feed["messages"][1]["attributes"]
    bad = listings_feed([], seller_id=SELLER)  # an empty feed is not a valid feed
    assert list(jsonschema.Draft7Validator(schema).iter_errors(bad))


# --- configuration -------------------------------------------------------------------------


def test_regions_and_marketplaces() -> None:
    uk = AmazonMarketplace(seller_id="A-UK", marketplace_id="A1F83G8C2ARO7P", **CREDENTIALS)
    fe = AmazonMarketplace(seller_id="A-FE", region="fe", **CREDENTIALS)
    assert uk.base_url == "https://sellingpartnerapi-eu.amazon.com"
    assert uk.site.currency == "GBP"
    assert fe.base_url == "https://sellingpartnerapi-fe.amazon.com"
    asyncio.run(uk.aclose())
    asyncio.run(fe.aclose())
    with pytest.raises(InvalidValueError, match="unknown SP-API region"):
        AmazonMarketplace(seller_id="A-X", region="sa", **CREDENTIALS)
    with pytest.raises(InvalidValueError, match="https"):
        AmazonMarketplace(seller_id="A-X", image_base_url="http://img.example.com", **CREDENTIALS)


def test_the_default_rate_is_amazons_usage_plan() -> None:
    adapter = AmazonMarketplace(seller_id="A-RATE-CHECK", **CREDENTIALS)
    assert adapter.http.rate_limit is not None
    assert adapter.http.rate_limit.rate == 5.0
    assert adapter.http.rate_limit.capacity == 5.0
    asyncio.run(adapter.aclose())


def test_a_uk_listing_goes_to_the_eu_host_in_pounds() -> None:
    fake = new_fake(marketplace_id="A1F83G8C2ARO7P", host="sellingpartnerapi-eu.amazon.com")

    async def work(m: AmazonMarketplace) -> Any:
        await m.upsert(usd_draft("UK-1", price=Money("15.00", "GBP")))
        return await m.fetch("UK-1")

    state = run(work, fake=fake, marketplace_id="A1F83G8C2ARO7P")
    assert state.price == Money("15.00", "GBP")
    assert state.url.startswith("https://www.amazon.co.uk/dp/B0")
    assert fake.listings["UK-1"]["attributes"]["item_name"][0]["language_tag"] == "en_GB"
    assert {r.url.host for r in fake.requests} >= {"sellingpartnerapi-eu.amazon.com"}


# --- auth ----------------------------------------------------------------------------------


def test_one_token_serves_many_requests_and_is_renewed_before_it_expires() -> None:
    fake = new_fake()

    async def work(m: AmazonMarketplace) -> None:
        await m.upsert(usd_draft("TOK-1"))
        await m.fetch("TOK-1")
        assert fake.token_requests == 1
        CLOCK.now += 3600 - 30  # within the last minute of the token's hour
        await m.fetch("TOK-1")
        assert fake.token_requests == 2

    run(work, fake=fake)
    api = [r for r in fake.requests if r.url.host == fake.host]
    assert all(r.headers["x-amz-access-token"].startswith("Atza|") for r in api)
    assert all("authorization" not in r.headers for r in api)  # no SigV4 since 2023-10-02


def test_a_revoked_token_is_replaced_once() -> None:
    fake = new_fake()

    async def work(m: AmazonMarketplace) -> Any:
        await m.upsert(usd_draft("TOK-2"))
        fake.revoke_tokens()
        return await m.fetch("TOK-2")

    assert run(work, fake=fake) is not None
    assert fake.token_requests == 2


def test_a_token_service_outage_is_retried() -> None:
    fake = new_fake()
    fake.token_outage_next = 2
    assert run(lambda m: m.fetch("NOPE"), fake=fake) is None
    assert fake.token_requests == 3


@pytest.mark.parametrize(
    ("field", "said"),
    [("client_secret", "invalid_client"), ("refresh_token", "invalid_grant")],
)
def test_bad_credentials_are_an_auth_error_without_the_secrets(field: str, said: str) -> None:
    wrong = f"wrong-{field}-value-0042"
    with pytest.raises(MarketplaceAuthError, match=said) as caught:
        run(lambda m: m.fetch("ANY"), **{field: wrong})
    text = str(caught.value) + repr(caught.value.headers)
    for secret in (wrong, CLIENT_SECRET, REFRESH_TOKEN, CLIENT_ID):
        assert secret not in text


def test_another_sellers_id_is_refused_as_auth() -> None:
    with pytest.raises(MarketplaceAuthError, match="merchant token") as caught:
        run(lambda m: m.fetch("ANY"), seller_id="A-SOMEONE-ELSE")
    assert caught.value.status == 403
    assert caught.value.code == "Unauthorized"
    assert caught.value.request_id


@given(
    st.text(st.characters(codec="ascii", exclude_categories=("Cc",)), min_size=6, max_size=40),
    st.text(st.characters(codec="ascii", exclude_categories=("Cc",)), min_size=6, max_size=40),
)
@settings(max_examples=50)
def test_the_token_request_carries_the_credentials_exactly(secret: str, refresh: str) -> None:
    """Whatever characters the credentials hold, they arrive intact and never show."""
    auth = LwaAuth(Secret(CLIENT_ID), Secret(secret), Secret(refresh))
    flow = auth.auth_flow(httpx.Request("GET", "https://sellingpartnerapi-na.amazon.com/x"))
    token_request = next(flow)
    token_request.read()
    form = dict(httpx.QueryParams(token_request.content.decode()))
    assert form == {
        "grant_type": "refresh_token",
        "refresh_token": refresh,
        "client_id": CLIENT_ID,
        "client_secret": secret,
    }
    api_request = flow.send(
        httpx.Response(200, json={"access_token": "Atza|t", "expires_in": 3600})
    )
    assert api_request.headers["x-amz-access-token"] == "Atza|t"
    assert secret not in repr(auth)
    assert refresh not in repr(auth)


# --- errors --------------------------------------------------------------------------------


def test_amazon_itself_rejects_a_long_title_with_the_field() -> None:
    bad = usd_draft("LONG-1", texts={"en": attrs.evolve(usd_draft().texts["en"], title="x" * 201)})
    with pytest.raises(ListingRejectedError) as caught:
        run(lambda m: m.upsert(bad), schema_check=False)  # only Amazon checks
    assert "title (item_name)" in caught.value.field_errors
    assert caught.value.status == 200
    assert caught.value.code == "INVALID"
    assert "LONG-1" not in FAKE.listings


def test_the_schema_check_refuses_before_sending() -> None:
    fake = new_fake()
    bad = usd_draft(
        "LONG-2", extra={"amazon": {"attributes": {"condition_type": [{"value": "x"}]}}}
    )
    with pytest.raises(ListingRejectedError, match="nothing was sent") as caught:
        run(lambda m: m.upsert(bad), fake=fake)
    assert "condition (condition_type)" in caught.value.field_errors
    assert "putListingsItem" not in fake.operations


def test_item_type_keyword_and_dangerous_goods_are_sent() -> None:
    attributes = put_listing_body(usd_draft())["attributes"]
    assert attributes["item_type_keyword"] == [
        {"value": "chicken", "marketplace_id": "ATVPDKIKX0DER"}
    ]
    assert attributes["supplier_declared_dg_hz_regulation"] == [
        {"value": "not_applicable", "marketplace_id": "ATVPDKIKX0DER"}
    ]
    for name in product_required_fields():  # Amazon's PRODUCT type, as documented
        assert name in attributes or name == "color", name


def test_a_missing_required_attribute_is_named_before_any_request() -> None:
    fake = new_fake()
    live = usd_draft("LIVE-1", kind="live_birds")  # no item type keyword known for it
    with pytest.raises(ListingRejectedError, match="nothing was sent") as caught:
        run(lambda m: m.upsert(live), fake=fake)
    assert list(caught.value.field_errors) == ["kind (item_type_keyword)"]
    assert "item_type_keyword" in caught.value.field_errors["kind (item_type_keyword)"]
    assert fake.requests == []
    issues = run(lambda m: m.validate(live), fake=fake)
    assert [i.field for i in issues if i.severity is IssueSeverity.ERROR] == [
        "kind (item_type_keyword)"
    ]
    assert fake.requests == []
    # The adapter's setting fills it.
    state = run(lambda m: m.upsert(live), fake=fake, item_type_keyword="live-poultry")
    assert state.sku == "LIVE-1"


def test_an_attribute_the_product_type_requires_is_named_with_how_to_give_it() -> None:
    schema = {**MEAT_SCHEMA, "required": [*MEAT_SCHEMA["required"], "color"]}
    fake = new_fake(schema=schema)
    with pytest.raises(ListingRejectedError, match="nothing was sent") as caught:
        run(lambda m: m.upsert(usd_draft("COLOUR-1")), fake=fake)
    assert caught.value.field_errors == {
        "color": "'color' is required but not supplied: give it in "
        "draft.extra['amazon']['attributes']['color'] as the product type's definition "
        "describes it"
    }
    assert "putListingsItem" not in fake.operations


def test_the_packed_unit_weight_is_the_package_weight() -> None:
    draft = usd_draft(shipping_weight=Mass("1.9", "kg"))
    attributes = put_listing_body(draft)["attributes"]
    assert attributes["item_package_weight"] == [
        {"value": 1.9, "unit": "kilograms", "marketplace_id": "ATVPDKIKX0DER"}
    ]
    # The price of one bird: 18.00 USD per jin × 2.8 jin (1.4 kg), the lot's heaviest bird.
    assert attributes["purchasable_offer"][0]["our_price"] == [
        {"schedule": [{"value_with_tax": 50.4}]}
    ]
    # The sample's pack plan packs a bird in 7 kg (foam box and ice); without one, no weight.
    assert put_listing_body(usd_draft())["attributes"]["item_package_weight"] == [
        {"value": 7.0, "unit": "kilograms", "marketplace_id": "ATVPDKIKX0DER"}
    ]
    unpacked = put_listing_body(usd_draft(shipping_weight=None))["attributes"]
    assert "item_package_weight" not in unpacked
    state = run(lambda m: m.upsert(draft), fake=new_fake())
    assert state.price == Money("50.40", "USD")


def test_the_schema_check_counts_utf8_bytes() -> None:
    fake = new_fake()
    # 160 characters (within maxLength 200) but 640 bytes (over maxUtf8ByteLength 600).
    text = attrs.evolve(usd_draft().texts["en"], title="𝄞" * 160)
    with pytest.raises(ListingRejectedError, match="bytes in UTF-8") as caught:
        run(lambda m: m.upsert(usd_draft("BYTES-1", texts={"en": text})), fake=fake)
    assert list(caught.value.field_errors) == ["title (item_name)"]


def test_the_schema_is_downloaded_once_per_checksum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(amazon_adapter, "_SCHEMAS", {})
    fake = new_fake()
    run(lambda m: m.upsert(usd_draft("SCHEMA-1")), fake=fake)
    run(lambda m: m.upsert(usd_draft("SCHEMA-2")), fake=fake)
    assert fake.schema_downloads == 1
    assert fake.operations.count("getDefinitionsProductType") == 2  # one per adapter
    fake.schema_version += 1  # Amazon publishes a new version: a new checksum
    run(lambda m: m.upsert(usd_draft("SCHEMA-3")), fake=fake)
    assert fake.schema_downloads == 2
    s3 = [r for r in fake.requests if r.url.host.endswith("s3.amazonaws.com")]
    assert s3
    assert all("x-amz-access-token" not in r.headers for r in s3)


def _response(
    status: int, body: Any, url: str = "https://x.test/listings", **headers: str
) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers, request=httpx.Request("PUT", url))


def test_error_bodies_map_onto_our_errors() -> None:
    adapter = make_adapter()
    classify = adapter._classify
    throttled = classify(
        _response(
            429,
            {"errors": [{"code": "QuotaExceeded", "message": "You exceeded your quota."}]},
            **{"x-amzn-RateLimit-Limit": "5.0", "x-amzn-RequestId": "req-1"},
        )
    )
    assert isinstance(throttled, RateLimitedError)
    assert throttled.retry_after == pytest.approx(0.2)
    assert throttled.request_id == "req-1"
    assert throttled.code == "QuotaExceeded"
    malformed = classify(_response(400, {"errors": [{"code": "InvalidInput", "message": "bad"}]}))
    assert isinstance(malformed, ListingRejectedError)
    assert malformed.field_errors == {"request (InvalidInput)": "bad"}
    warning_only = {
        "sku": "S",
        "status": "ACCEPTED",
        "submissionId": "1",
        "issues": [
            {"code": "18000", "message": "no image", "severity": "WARNING", "categories": []}
        ],
    }
    assert classify(_response(200, warning_only)) is None
    error_in_accepted = {
        **warning_only,
        "issues": [
            {
                "code": "90220",
                "message": "'brand' is required but not supplied.",
                "severity": "ERROR",
                "attributeNames": ["brand"],
                "categories": [],
            }
        ],
    }
    rejected = classify(_response(200, error_in_accepted))
    assert isinstance(rejected, ListingRejectedError)
    assert rejected.field_errors == {"brand": "'brand' is required but not supplied."}
    preview = {**error_in_accepted, "status": "INVALID"}
    assert classify(_response(200, preview, "https://x.test/l?mode=VALIDATION_PREVIEW")) is None
    assert classify(_response(404, {"errors": [{"code": "NOT_FOUND", "message": "no"}]})) is None
    asyncio.run(adapter.aclose())


def test_throttling_is_waited_out_and_retried() -> None:
    fake = new_fake()
    SLEEPS.clear()

    async def work(m: AmazonMarketplace) -> Any:
        await m.upsert(usd_draft("SLOW-1"))
        fake.throttle_next = 2
        return await m.fetch("SLOW-1")

    assert run(work, fake=fake) is not None
    assert len(SLEEPS) == 2
    assert all(wait >= 0.2 for wait in SLEEPS)  # 1 / x-amzn-RateLimit-Limit


def test_throttling_that_lasts_is_raised_with_the_wait() -> None:
    fake = new_fake()
    fake.throttle_next = 10
    with pytest.raises(RateLimitedError) as caught:
        run(lambda m: m.fetch("SLOW-2"), fake=fake)
    assert caught.value.retry_after == pytest.approx(0.2)
    assert fake.throttle_next == 6  # four tries


# --- idempotency ---------------------------------------------------------------------------


@pytest.mark.parametrize("loss", ["timeout", "503"])
def test_a_lost_upsert_answer_never_makes_two_listings(loss: str) -> None:
    fake = new_fake()
    fake.lose["putListingsItem"] = loss

    async def work(m: AmazonMarketplace) -> Any:
        written = await m.upsert(usd_draft("LOST-1"))
        return written, await m.fetch("LOST-1")

    written, fetched = run(work, fake=fake)
    assert written.active
    assert fetched.stock == 40
    assert fake.operations.count("putListingsItem") == 2  # sent again, as an upsert
    assert list(fake.listings) == ["LOST-1"]


def test_a_lost_stock_change_is_sent_again_harmlessly() -> None:
    fake = new_fake()

    async def work(m: AmazonMarketplace) -> Any:
        await m.upsert(usd_draft("LOST-2"))
        fake.lose["patchListingsItem"] = "timeout"
        await m.set_stock("LOST-2", 7)
        return await m.fetch("LOST-2")

    assert run(work, fake=fake).stock == 7
    assert fake.operations.count("patchListingsItem") == 2
    assert list(fake.listings) == ["LOST-2"]


def test_no_retry_policy_surfaces_the_lost_answer() -> None:
    fake = new_fake()
    fake.lose["putListingsItem"] = "timeout"
    with pytest.raises(MarketplaceUnavailableError, match="took too long"):
        run(lambda m: m.upsert(usd_draft("LOST-3")), fake=fake, retry=RetryPolicy.never())


# --- the rest of the adapter ---------------------------------------------------------------


def test_withdraw_sets_no_stock_and_set_stock_puts_it_back() -> None:
    fake = new_fake()

    async def work(m: AmazonMarketplace) -> Any:
        await m.upsert(usd_draft("OFF-1"))
        withdrawn = await m.withdraw("OFF-1")
        off = await m.fetch("OFF-1")
        await m.set_stock("OFF-1", 5)
        return withdrawn, off, await m.fetch("OFF-1")

    withdrawn, off, back = run(work, fake=fake)
    assert withdrawn.state == off.state == "withdrawn"
    assert off.stock == 0
    assert off.extra["status"] == ("DISCOVERABLE",)
    assert back.active
    assert back.stock == 5


def test_withdrawing_an_unknown_sku_is_rejected() -> None:
    with pytest.raises(ListingRejectedError, match="does not exist"):
        run(lambda m: m.withdraw("NEVER-LISTED"), fake=new_fake())


def test_a_price_in_another_currency_is_refused_before_sending() -> None:
    fake = new_fake()
    with pytest.raises(ListingRejectedError, match="price") as caught:
        run(lambda m: m.set_stock("ANY", 1, Money("3.00", "GBP")), fake=fake)
    assert "price (purchasable_offer)" in caught.value.field_errors
    assert fake.operations == []


def test_delete_removes_the_listing() -> None:
    fake = new_fake()

    async def work(m: AmazonMarketplace) -> Any:
        await m.upsert(usd_draft("DEL-1"))
        await m.delete("DEL-1")
        return await m.fetch("DEL-1")

    assert run(work, fake=fake) is None
    assert fake.listings == {}


def test_upload_images_points_the_listing_at_the_urls() -> None:
    fake = new_fake()
    conformance = TestAmazonConformance()

    async def work(m: AmazonMarketplace) -> Any:
        await m.upsert(usd_draft("PIC-1"))
        urls = await m.upload_images("PIC-1", conformance.make_images(m))
        return urls, await m.fetch("PIC-1")

    urls, state = run(work, fake=fake)
    assert len(urls) == 2
    assert all(url.startswith(IMAGE_BASE + "/") for url in urls)
    assert state.images == urls


def test_pictures_need_an_image_base_url() -> None:
    conformance = TestAmazonConformance()

    async def work(m: AmazonMarketplace) -> Any:
        return await m.upsert(usd_draft("PIC-2"), conformance.make_images(m))

    with pytest.raises(ListingRejectedError, match="image_base_url"):
        run(work, fake=new_fake(), image_base_url=None)


def test_validate_offline_sends_nothing() -> None:
    fake = new_fake()
    issues = run(lambda m: m.validate(usd_draft(price=Money("18.00", "GBP"))), fake=fake)
    assert any(issue.field == "price" for issue in issues)
    assert fake.requests == []


def test_chilled_chicken_from_china_is_refused_to_us_buyers_before_any_request() -> None:
    fake = new_fake()
    issues = run(lambda m: m.validate(usd_draft("CN-1"), preview=True), fake=fake)
    (blocked,) = [i for i in issues if i.severity is IssueSeverity.ERROR]
    assert blocked.field == "food_policy"
    assert "US-IMPORT-POULTRY-CN" in blocked.message
    assert "84 FR 60318" in blocked.message  # the source is named
    assert fake.requests == []


def test_validate_with_preview_asks_amazon_without_saving() -> None:
    fake = new_fake()
    draft = grown_in(usd_draft("DRY-1"), "US")
    issues = run(lambda m: m.validate(draft, preview=True), fake=fake)
    assert [i.severity for i in issues] == [IssueSeverity.WARNING]  # no main image
    assert issues[0].field == "images (main_product_image_locator)"
    put = next(r for r in fake.requests if r.method == "PUT")
    assert put.url.params["mode"] == "VALIDATION_PREVIEW"
    assert fake.listings == {}


def test_validate_with_preview_reports_amazons_errors() -> None:
    fake = new_fake()
    bad = grown_in(usd_draft("DRY-2", extra={"amazon": {"product_type": "LUGGAGE"}}), "US")
    issues = run(lambda m: m.validate(bad, preview=True), fake=fake, schema_check=False)
    errors = [i for i in issues if i.severity is IssueSeverity.ERROR]
    assert errors
    assert "not valid" in errors[0].message
    assert fake.listings == {}


# --- secrets -------------------------------------------------------------------------------


def test_secrets_stay_out_of_reprs_errors_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    fake = new_fake()
    caplog.set_level(logging.DEBUG)
    errors: list[str] = []

    async def work(m: AmazonMarketplace) -> None:
        errors.extend([repr(m), repr(m.auth), repr(m.http), repr(SyncMarketplace(m))])
        await m.upsert(usd_draft("SEC-1"))
        fake.throttle_next = 1
        fake.lose["patchListingsItem"] = "503"
        await m.set_stock("SEC-1", 2)
        fake.revoke_tokens()
        await m.fetch("SEC-1")
        fake.throttle_next = 10
        with pytest.raises(RateLimitedError) as throttled:
            await m.fetch("SEC-1")
        errors.extend([str(throttled.value), repr(throttled.value.headers)])

    run(work, fake=fake)
    with pytest.raises(MarketplaceAuthError) as refused:
        run(lambda m: m.fetch("SEC-1"), fake=fake, client_secret="wrong-secret-value-99")  # noqa: S106
    errors.append(str(refused.value))
    shown = "\n".join([*errors, caplog.text, *(r.getMessage() for r in caplog.records)])
    for secret in (CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, "wrong-secret-value-99", *fake.issued):
        assert secret not in shown
    assert len(fake.issued) >= 2  # real tokens were issued, and checked above


# --- only the change is sent ----------------------------------------------------------------


def test_a_stock_or_price_change_is_one_patch() -> None:
    fake = new_fake()
    run(lambda m: m.upsert(usd_draft("ONE-1")), fake=fake)
    start = len(fake.operations)
    run(lambda m: m.set_stock("ONE-1", 3, Money("19.00", "USD")), fake=fake)
    writes = [op for op in fake.operations[start:] if op != "getDefinitionsProductType"]
    assert writes == ["patchListingsItem"]
    patch = json.loads(fake.requests[-1].content)
    assert [p["path"] for p in patch["patches"]] == [
        "/attributes/fulfillment_availability",
        "/attributes/purchasable_offer",
    ]

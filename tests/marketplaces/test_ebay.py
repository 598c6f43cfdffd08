"""The eBay adapter against a fake eBay that checks every request against the official spec."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import functools
import logging
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, ClassVar, TypeVar
from urllib.parse import parse_qs

import attrs
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.marketplaces.fake_ebay import (
    CLIENT_ID,
    CLIENT_SECRET,
    REFRESH_TOKEN,
    FakeEbay,
    ebay_errors,
    error,
    load_spec,
)

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
from ruralseller.listing import IssueSeverity, ListingDraft, ProcessedImage, generate_listing
from ruralseller.marketplaces.base import ListingState, SyncMarketplace
from ruralseller.marketplaces.conformance import MarketplaceConformance
from ruralseller.marketplaces.ebay import (
    SANDBOX_TOKEN_URL,
    EbayAuth,
    EbayListingSettings,
    EbayMarketplace,
    OfferExistsError,
    ebay_error,
    image_urls,
    inventory_item_payload,
    item_aspects,
    offer_payload,
    price_quantity_payload,
)
from ruralseller.marketplaces.retry import RetryPolicy
from ruralseller.marketplaces.secrets import Secret

T = TypeVar("T")
PICTURES = "https://pictures.example.org/wu-farm"
SETTINGS = EbayListingSettings(
    category_id="177771",
    merchant_location_key="taihe-packhouse",
    fulfillment_policy_id="6010001",
    payment_policy_id="6020002",
    return_policy_id="6030003",
)
SECRETS = (CLIENT_SECRET, REFRESH_TOKEN)


class Sleeps:
    """An injected ``sleep`` that records the waits and never waits."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_ebay(fake: FakeEbay, **config: Any) -> EbayMarketplace:
    settings = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "refresh_token": REFRESH_TOKEN,
        "category_id": SETTINGS.category_id,
        "merchant_location_key": SETTINGS.merchant_location_key,
        "fulfillment_policy_id": SETTINGS.fulfillment_policy_id,
        "payment_policy_id": SETTINGS.payment_policy_id,
        "return_policy_id": SETTINGS.return_policy_id,
        "image_base_url": PICTURES,
        "retry": RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05),
        "rate": 10_000.0,
        "transport": fake.transport(),
        "sleep": Sleeps(),
    }
    return EbayMarketplace(**(settings | config))


@functools.cache
def _sample() -> ListingDraft:
    return generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))


def us_draft(sku: str = "WJ261120A", stock: int = 12) -> ListingDraft:
    """The sample draft as a US listing: English text, priced in USD."""
    draft = _sample()
    return attrs.evolve(
        draft,
        sku=sku,
        stock=stock,
        texts={"en": draft.text("en")},
        price=Money("36.00", "USD"),
        price_per_kg=None,
    )


@functools.cache
def _pictures() -> tuple[ProcessedImage, ...]:
    return tuple(MarketplaceConformance().make_images(make_ebay(FakeEbay())))


async def publish(m: EbayMarketplace, draft: ListingDraft) -> ListingState:
    """Upsert with two pictures (eBay publishes nothing without one)."""
    return await m.upsert(draft, _pictures())


def run(ebay: EbayMarketplace, work: Callable[[EbayMarketplace], Awaitable[T]]) -> T:
    async def main() -> T:
        try:
            return await work(ebay)
        finally:
            await ebay.aclose()

    return asyncio.run(main())


# --- the shared conformance suite -----------------------------------------------------------


class TestEbayConformance(MarketplaceConformance):
    """The shared suite against the fake eBay; every request checked against the spec."""

    fake: ClassVar[FakeEbay]

    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _fake(cls) -> Iterator[None]:
        cls.fake = FakeEbay()
        yield
        # Never two offers for one SKU, and every step of the flow was exercised.
        skus = {offer["sku"] for offer in cls.fake.offers.values()}
        assert len(skus) == len(cls.fake.offers) >= 5
        assert {
            "createOrReplaceInventoryItem",
            "getOffers",
            "createOffer",
            "updateOffer",
            "publishOffer",
            "withdrawOffer",
            "bulkUpdatePriceQuantity",
            "getInventoryItem",
        } <= set(cls.fake.calls)

    def make_marketplace(self) -> Any:
        return make_ebay(self.fake)

    def make_draft(self, sku: str) -> ListingDraft:
        return us_draft(sku)

    def make_images(self, marketplace: Any) -> list[ProcessedImage]:
        # The same two pictures to the ebay profile's spec, made once: Pillow is slow.
        assert marketplace.profile.name == "ebay"
        return list(_pictures())


# --- mapping -------------------------------------------------------------------------------


def test_the_inventory_item_carries_the_english_text_stock_and_pictures() -> None:
    urls = ("https://pictures.example.org/wu-farm/a.jpg",)
    body = inventory_item_payload(us_draft(stock=7), SETTINGS, urls)
    text = _sample().text("en")
    assert body["product"]["title"] == text.title
    assert body["product"]["description"] == text.description
    assert body["product"]["imageUrls"] == list(urls)
    assert body["availability"] == {"shipToLocationAvailability": {"quantity": 7}}
    assert body["condition"] == "NEW"
    # The sample's GTIN-14 starts with 9 (not a UPC or EAN): not sent.
    assert "ean" not in body["product"]
    assert "upc" not in body["product"]
    assert not list(load_spec().validate(body, "#/components/schemas/InventoryItem"))


def test_the_packed_unit_weight_is_the_package_weight() -> None:
    draft = attrs.evolve(us_draft(), shipping_weight=Mass("1.9", "kg"))
    body = inventory_item_payload(draft, SETTINGS)
    assert body["packageWeightAndSize"] == {"weight": {"value": 1900.0, "unit": "GRAM"}}
    assert not list(load_spec().validate(body, "#/components/schemas/InventoryItem"))
    # The sample's pack plan packs a bird in 7 kg (foam box and ice); without one, no weight.
    assert inventory_item_payload(us_draft(), SETTINGS)["packageWeightAndSize"] == {
        "weight": {"value": 7000.0, "unit": "GRAM"}
    }
    unpacked = attrs.evolve(us_draft(), shipping_weight=None)
    assert "packageWeightAndSize" not in inventory_item_payload(unpacked, SETTINGS)
    assert offer_payload(draft, SETTINGS)["pricingSummary"]["price"]["value"] == str(
        draft.price.amount
    )


def test_item_specifics_keep_to_ebays_lengths() -> None:
    aspects = item_aspects(us_draft())
    assert aspects["Breed"] == ["Taihe silkie (泰和乌鸡)"]
    assert all(len(name) <= 40 for name in aspects)
    assert all(len(v) <= 50 for values in aspects.values() for v in values)
    # The certification text is 57 characters: left out, and validate() says so.
    assert "Certifications" not in aspects
    issues = asyncio.run(make_ebay(FakeEbay()).validate(us_draft()))
    warned = [i.field for i in issues if i.severity is IssueSeverity.WARNING]
    assert "texts[en].attributes.certifications" in warned


def test_the_offer_is_fixed_price_in_the_sites_currency() -> None:
    draft = us_draft()
    body = offer_payload(draft, SETTINGS)
    assert body["format"] == "FIXED_PRICE"
    assert body["marketplaceId"] == "EBAY_US"
    assert body["listingDuration"] == "GTC"
    assert body["pricingSummary"] == {"price": {"value": "36.00", "currency": "USD"}}
    assert body["availableQuantity"] == 12
    assert body["quantityLimitPerBuyer"] == 6
    assert body["listingPolicies"] == {
        "fulfillmentPolicyId": "6010001",
        "paymentPolicyId": "6020002",
        "returnPolicyId": "6030003",
    }
    assert body["listingDescription"] == draft.text("en").description_html
    spec = load_spec()
    assert not list(spec.validate(body, "#/components/schemas/EbayOfferDetailsWithKeys"))
    update = offer_payload(draft, SETTINGS, for_update=True)
    assert not {"sku", "marketplaceId", "format"} & set(update)
    assert not list(spec.validate(update, "#/components/schemas/EbayOfferDetailsWithId"))


def test_a_price_in_another_currency_is_refused_before_sending() -> None:
    with pytest.raises(InvalidValueError, match="EBAY_US sells in USD") as caught:
        offer_payload(_sample(), SETTINGS)
    assert caught.value.field == "price"
    gb = attrs.evolve(SETTINGS, marketplace_id="EBAY_GB")
    with pytest.raises(InvalidValueError, match="EBAY_GB sells in GBP"):
        offer_payload(us_draft(), gb)
    issues = asyncio.run(make_ebay(FakeEbay()).validate(_sample()))
    assert any(i.field == "price" and i.severity is IssueSeverity.ERROR for i in issues)


def test_a_draft_without_english_text_is_refused_with_a_hint() -> None:
    draft = attrs.evolve(us_draft(), texts={"zh-CN": _sample().text("zh-CN")})
    with pytest.raises(InvalidValueError, match="no English text"):
        inventory_item_payload(draft, SETTINGS)


def test_a_draft_can_choose_its_category_and_add_aspects() -> None:
    draft = attrs.evolve(
        us_draft(), extra={"ebay": {"category_id": "11700", "aspects": {"Type": "Whole"}}}
    )
    assert offer_payload(draft, SETTINGS)["categoryId"] == "11700"
    assert item_aspects(draft)["Type"] == ["Whole"]


def test_unknown_sites_and_empty_settings_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="unknown eBay site 'EBAY_XX'"):
        attrs.evolve(SETTINGS, marketplace_id="EBAY_XX")
    with pytest.raises(InvalidValueError, match="payment_policy_id is empty"):
        attrs.evolve(SETTINGS, payment_policy_id=" ")


def test_stock_and_price_payload_matches_the_spec() -> None:
    body = price_quantity_payload("WJ1", 0, offer_id="1", price=Money("39.50", "USD"))
    assert not list(load_spec().validate(body, "#/components/schemas/BulkPriceQuantity"))
    with pytest.raises(InvalidValueError, match="has none yet") as caught:
        price_quantity_payload("WJ1", 0, price=Money("39.50", "USD"))
    assert "publish the listing first" in caught.value.hint


def test_pictures_need_an_https_home() -> None:
    with pytest.raises(InvalidValueError, match="only over HTTPS") as caught:
        make_ebay(FakeEbay(), image_base_url="http://pictures.example.org")
    assert caught.value.field == "image_base_url"
    ebay = make_ebay(FakeEbay(), image_base_url=None)
    images = _pictures()
    with pytest.raises(InvalidValueError, match="no image_base_url"):
        run(ebay, lambda m: m.upsert(us_draft(), images))
    issues = asyncio.run(make_ebay(FakeEbay(), image_base_url=None).validate(us_draft()))
    assert any(i.field == "images" for i in issues)


def test_picture_addresses_are_named_by_content() -> None:
    images = _pictures()
    urls = image_urls(images, PICTURES + "/")
    assert urls == tuple(f"{PICTURES}/{image.sha256[:16]}.jpg" for image in images)


def test_upload_images_points_the_item_at_the_pictures() -> None:
    fake = FakeEbay()
    images = _pictures()

    async def work(m: EbayMarketplace) -> tuple[tuple[str, ...], ListingState | None]:
        await m.upsert(us_draft("WJ-PICS"), images[:1])
        urls = await m.upload_images("WJ-PICS", images)
        return urls, await m.fetch("WJ-PICS")

    urls, state = run(make_ebay(fake), work)
    assert state is not None
    assert state.images == urls
    assert len(urls) == 2
    assert fake.items["WJ-PICS"]["product"]["title"] == us_draft().text("en").title


# --- the flow -------------------------------------------------------------------------------


def test_publishing_creates_one_offer_and_reads_back_the_listing() -> None:
    fake = FakeEbay()
    images = _pictures()

    async def work(m: EbayMarketplace) -> tuple[ListingState, ListingState | None]:
        return await m.upsert(us_draft("WJ-1"), images), await m.fetch("WJ-1")

    written, fetched = run(make_ebay(fake), work)
    assert fake.calls == [
        "createOrReplaceInventoryItem",
        "getOffers",
        "createOffer",
        "publishOffer",
        "getInventoryItem",
        "getOffers",
    ]
    (offer,) = fake.offers_for("WJ-1")
    listing_id = offer["listing"]["listingId"]
    assert written.url == fetched.url == f"https://www.ebay.com/itm/{listing_id}"  # type: ignore[union-attr]
    assert written.extra["offerId"] == offer["offerId"]
    assert fake.items["WJ-1"]["locale"] == "en-US"


def test_withdrawn_listings_come_back_on_the_next_upsert() -> None:
    fake = FakeEbay()

    async def work(m: EbayMarketplace) -> tuple[ListingState, ListingState | None]:
        await publish(m, us_draft("WJ-2"))
        withdrawn = await m.withdraw("WJ-2")
        await publish(m, us_draft("WJ-2"))
        return withdrawn, await m.fetch("WJ-2")

    withdrawn, again = run(make_ebay(fake), work)
    assert withdrawn.state == "withdrawn"
    assert again is not None
    assert again.state == "active"
    assert len(fake.offers_for("WJ-2")) == 1


def test_withdrawing_an_unknown_sku_says_to_publish_first() -> None:
    with pytest.raises(MarketplaceError, match=r"no offer for the SKU 'NOPE'.*publish it first"):
        run(make_ebay(FakeEbay()), lambda m: m.withdraw("NOPE"))


def test_sandbox_switch_uses_the_sandbox_hosts() -> None:
    fake = FakeEbay()
    ebay = make_ebay(fake, sandbox=True)
    assert ebay.base_url == "https://api.sandbox.ebay.com/sell/inventory/v1"
    assert ebay.auth.token_url == SANDBOX_TOKEN_URL
    seen: list[str] = []

    def spy(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.host)
        return fake(request)

    ebay = make_ebay(fake, sandbox=True, transport=httpx.MockTransport(spy))
    state = run(ebay, lambda m: publish(m, us_draft("WJ-SBX")))
    assert set(seen) == {"api.sandbox.ebay.com"}
    assert state.url is not None
    assert state.url.startswith("https://sandbox.ebay.com/itm/")


# --- idempotency: lost answers never make a second offer -----------------------------------


@pytest.mark.parametrize("fault", ["timeout", "503"])
def test_a_lost_create_answer_makes_exactly_one_offer(fault: str) -> None:
    fake = FakeEbay()
    fake.lose["createOffer"] = fault
    state = run(make_ebay(fake), lambda m: publish(m, us_draft("WJ-LOST")))
    assert state.active
    assert len(fake.offers_for("WJ-LOST")) == 1
    assert fake.calls.count("createOffer") == 1  # found by SKU, not sent again
    assert fake.offers_for("WJ-LOST")[0]["status"] == "PUBLISHED"


def test_ebays_offer_exists_answer_is_taken_as_found() -> None:
    fake = FakeEbay()
    run(make_ebay(fake), lambda m: publish(m, us_draft("WJ-DUP")))
    (offer,) = fake.offers_for("WJ-DUP")
    fake.hide_offers = 1  # eBay's read lags: the lookup misses the offer once
    state = run(make_ebay(fake), lambda m: publish(m, us_draft("WJ-DUP", stock=3)))
    assert fake.offers_for("WJ-DUP") == [offer]
    assert state.extra["offerId"] == offer["offerId"]
    assert fake.calls.count("createOffer") == 2  # the second was refused with 25002


def test_a_lost_publish_or_item_answer_is_simply_sent_again() -> None:
    fake = FakeEbay()
    fake.lose["publishOffer"] = "timeout"
    fake.lose["createOrReplaceInventoryItem"] = "503"
    state = run(make_ebay(fake), lambda m: publish(m, us_draft("WJ-RETRY")))
    assert state.active
    assert fake.calls.count("publishOffer") == 2
    assert fake.calls.count("createOrReplaceInventoryItem") == 2
    assert len(fake.offers_for("WJ-RETRY")) == 1


# --- auth ----------------------------------------------------------------------------------


def test_the_first_request_renews_the_token_with_basic_auth() -> None:
    fake = FakeEbay()
    requests: list[httpx.Request] = []

    def spy(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return fake(request)

    assert run(make_ebay(fake, transport=httpx.MockTransport(spy)), lambda m: m.fetch("X")) is None
    token, read = requests
    assert str(token.url) == "https://api.ebay.com/identity/v1/oauth2/token"
    form = parse_qs(token.content.decode())
    assert form["grant_type"] == ["refresh_token"]
    # The listing calls' scope, and the order calls' (the seller's consent must grant both).
    assert form["scope"][0].split() == [
        "https://api.ebay.com/oauth/api_scope/sell.inventory",
        "https://api.ebay.com/oauth/api_scope/sell.fulfillment",
    ]
    assert read.headers["authorization"].startswith("Bearer v^1.1#")


def test_an_expired_token_is_renewed_before_sending() -> None:
    fake = FakeEbay()
    now = [0.0]
    ebay = make_ebay(fake, clock=lambda: now[0])

    async def work(m: EbayMarketplace) -> None:
        await m.fetch("A")
        await m.fetch("B")
        now[0] = 7200.0 - 30  # within the minute before expires_in runs out
        fake.revoke_tokens()
        await m.fetch("C")

    run(ebay, work)
    assert fake.token_requests == 2
    assert fake.refused == 0  # renewed on time, not after a 401


def test_a_401_renews_the_token_and_tries_once_more() -> None:
    fake = FakeEbay()

    async def work(m: EbayMarketplace) -> ListingState | None:
        await publish(m, us_draft("WJ-401"))
        fake.revoke_tokens()
        return await m.fetch("WJ-401")

    state = run(make_ebay(fake), work)
    assert state is not None
    assert state.active
    assert fake.token_requests == 2
    assert fake.refused == 1


def test_an_access_token_given_is_used_until_refused() -> None:
    fake = FakeEbay()
    token = "v^1.1#given-token"  # noqa: S105 - a test credential
    fake.tokens.add(token)
    assert run(make_ebay(fake, access_token=token), lambda m: m.fetch("X")) is None
    assert fake.token_requests == 0


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"refresh_token": "v^1.1#revoked"}, "refresh token is invalid, revoked or expired"),
        ({"client_secret": "PRD-wrong-cert"}, "client id or client secret is wrong"),
    ],
)
def test_bad_credentials_are_auth_errors_that_hide_them(
    config: dict[str, str], message: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(MarketplaceAuthError, match=message) as caught:
        run(make_ebay(FakeEbay(), **config), lambda m: m.fetch("X"))
    shown = f"{caught.value} {caught.value.headers} {caplog.text}"
    for secret in (*SECRETS, *config.values()):
        assert secret not in shown


def test_a_token_refused_even_after_renewal_is_an_auth_error() -> None:
    fake = FakeEbay()

    def never(request: httpx.Request) -> httpx.Response:
        response = fake(request)
        fake.revoke_tokens()
        return response

    with pytest.raises(MarketplaceAuthError, match="did not accept the access token"):
        run(make_ebay(fake, transport=httpx.MockTransport(never)), lambda m: m.fetch("X"))
    assert fake.token_requests == 2  # renewed once on the 401, not in a loop


def test_secrets_never_show_in_reprs_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake = FakeEbay()
    ebay = make_ebay(fake)
    shown = [repr(ebay), repr(ebay.auth), repr(ebay.http)]

    def echo(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/offer"):  # a server that echoes the credentials
            return ebay_errors(400, error(25604, f"Input error. {REFRESH_TOKEN} {CLIENT_SECRET}"))
        return fake(request)

    with pytest.raises(ListingRejectedError) as caught:
        run(make_ebay(fake, transport=httpx.MockTransport(echo)), lambda m: publish(m, us_draft()))
    shown += [str(caught.value), str(caught.value.field_errors), caplog.text]
    token = next(iter(fake.tokens))
    for text in shown:
        for secret in (*SECRETS, token):
            assert secret not in text, text


@settings(max_examples=40)
@given(
    client_id=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1).filter(
        lambda s: ":" not in s
    ),
    secret=st.text(min_size=1),
    refresh=st.text(min_size=1),
)
def test_the_token_request_carries_exactly_the_credentials(
    client_id: str, secret: str, refresh: str
) -> None:
    auth = EbayAuth(
        client_id=client_id, client_secret=Secret(secret), refresh_token=Secret(refresh)
    )
    request = auth.refresh_request()
    scheme, _, encoded = request.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == f"{client_id}:{secret}"
    form = parse_qs(request.content.decode(), keep_blank_values=True)
    assert form["refresh_token"] == [refresh]
    assert form["grant_type"] == ["refresh_token"]


# --- errors and throttling ----------------------------------------------------------------


def test_an_over_long_title_names_the_field() -> None:
    fake = FakeEbay()
    draft = us_draft("WJ-LONG")
    text = attrs.evolve(draft.text("en"), title="Taihe silkie " * 7)
    bad = attrs.evolve(draft, texts={"en": text})
    with pytest.raises(ListingRejectedError) as caught:
        run(make_ebay(fake), lambda m: m.upsert(bad))
    assert caught.value.field_errors == {
        "product.title": "The value of the title field is invalid. Field must not exceed 80 "
        "characters."
    }
    assert caught.value.code == "25080"
    assert "fix these and publish again" in str(caught.value)
    assert fake.offers == {}


def test_throttling_is_waited_out_and_retried() -> None:
    fake = FakeEbay()
    fake.throttle, fake.retry_after = 2, "3"
    sleeps = Sleeps()
    state = run(make_ebay(fake, sleep=sleeps), lambda m: publish(m, us_draft("WJ-429")))
    assert state.active
    assert sleeps.waits[:2] == [3.0, 3.0]


def test_throttling_that_outlasts_the_retries_says_how_long_to_wait() -> None:
    fake = FakeEbay()
    fake.throttle, fake.retry_after = 99, "7"
    with pytest.raises(RateLimitedError, match="wait 7 s") as caught:
        run(make_ebay(fake), lambda m: m.fetch("X"))
    assert caught.value.retry_after == 7.0
    assert caught.value.code == "2001"


def test_a_stock_failure_inside_a_200_is_an_error() -> None:
    fake = FakeEbay()

    async def work(m: EbayMarketplace) -> ListingState:
        await publish(m, us_draft("WJ-BULK"))
        return await m.set_stock("WJ-BULK", 5, Money("0", "USD"))

    with pytest.raises(ListingRejectedError) as caught:
        run(make_ebay(fake), work)
    assert caught.value.status == 400
    assert caught.value.field_errors == {
        "pricingSummary.price": "Invalid value for price. The price must be greater than 0."
    }


@pytest.mark.parametrize(
    ("response", "kind", "fields"),
    [
        (
            ebay_errors(400, error(25005, "The eBay listing ... has an invalid category ID.")),
            ListingRejectedError,
            {"categoryId": "The eBay listing ... has an invalid category ID."},
        ),
        (
            ebay_errors(400, error(25709, "Invalid value for price.", fieldName="price")),
            ListingRejectedError,
            {"pricingSummary.price": "Invalid value for price."},
        ),
        (
            ebay_errors(
                500,
                error(25025, "Concurrent access of the same Inventory ...", "APPLICATION"),
            ),
            MarketplaceUnavailableError,
            None,
        ),
        (
            ebay_errors(400, error(25002, "A user error has occurred.", offerId="77")),
            OfferExistsError,
            None,
        ),
    ],
)
def test_ebay_errors_map_onto_our_tree(
    response: httpx.Response, kind: type[MarketplaceError], fields: dict[str, str] | None
) -> None:
    response.request = httpx.Request("PUT", "https://api.ebay.com/sell/inventory/v1/offer/1")
    found = ebay_error(response)
    assert type(found) is kind
    if fields is not None:
        assert isinstance(found, ListingRejectedError)
        assert found.field_errors == fields
    if isinstance(found, OfferExistsError):
        assert found.offer_id == "77"


def test_successes_and_foreign_errors_are_left_to_the_shared_mapping() -> None:
    request = httpx.Request("GET", "https://api.ebay.com/sell/inventory/v1/offer?sku=X")
    assert ebay_error(httpx.Response(200, json={"offers": []}, request=request)) is None
    assert ebay_error(httpx.Response(502, text="Bad Gateway", request=request)) is None


def test_a_concurrent_access_error_on_an_idempotent_write_is_retried() -> None:
    fake = FakeEbay()
    answers = iter(
        [ebay_errors(500, error(25025, "Concurrent access ... try again later.", "APPLICATION"))]
    )

    def busy(request: httpx.Request) -> httpx.Response:
        if request.method == "PUT" and "inventory_item" in request.url.path:
            for answer in answers:
                fake.spec.check(request)
                return answer
        return fake(request)

    state = run(
        make_ebay(fake, transport=httpx.MockTransport(busy)), lambda m: publish(m, us_draft())
    )
    assert state.active


def test_the_sync_facade_works_for_scripts() -> None:
    fake = FakeEbay()
    with SyncMarketplace(make_ebay(fake)) as ebay:
        ebay.upsert(us_draft("WJ-SYNC"), _pictures())
        state = ebay.set_stock("WJ-SYNC", 2, Money("30.00", "USD"))
    assert state.stock == 2
    assert state.price == Money("30.00", "USD")


# --- only the change is sent ----------------------------------------------------------------


def test_a_stock_or_price_change_is_one_write() -> None:
    fake = FakeEbay()
    run(make_ebay(fake), lambda m: publish(m, us_draft()))
    start = len(fake.calls)
    run(make_ebay(fake), lambda m: m.set_stock("WJ261120A", 3, Money("6.10", "USD")))
    writes = [c for c in fake.calls[start:] if not c.startswith("get")]
    assert writes == ["bulkUpdatePriceQuantity"]

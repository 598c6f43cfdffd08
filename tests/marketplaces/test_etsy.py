"""The Etsy adapter against a fake Etsy shop that checks every request with the official spec."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import logging
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

import attrs
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from tests.marketplaces.fake_etsy import (
    ACCESS_TOKEN,
    KEYSTRING,
    READINESS_STATE_ID,
    REFRESH_TOKEN,
    SHARED_SECRET,
    SHIPPING_PROFILE_ID,
    SHOP_ID,
    TAXONOMY_ID,
    FakeEtsy,
    etsy_spec,
)
from tests.marketplaces.origins import grown_in

from ruralseller.catalog import Money, load_catalog
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
    process_image,
)
from ruralseller.marketplaces import RetryPolicy, SyncMarketplace
from ruralseller.marketplaces.conformance import MarketplaceConformance
from ruralseller.marketplaces.etsy import (
    ETSY_RATE,
    EtsyAuth,
    EtsyMarketplace,
    EtsyTokens,
    classify_response,
    create_listing_form,
    inventory_payload,
    sku_tag,
    update_listing_form,
)
from ruralseller.marketplaces.secrets import Secret

T = TypeVar("T")
BASE = "https://api.etsy.test"
STALE = "27182818.stolen-or-stale"  # a refresh token the shop does not know


async def _no_wait(_seconds: float) -> None:
    """Tests never really wait."""


@functools.cache
def _sample() -> ListingDraft:
    return generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))


def us_draft(sku: str = "WJ261120A", **changes: Any) -> ListingDraft:
    """The sample lot, priced in USD with only its English text, as a US Etsy shop sells it."""
    draft = _sample()
    return attrs.evolve(
        draft,
        sku=sku,
        price=Money("5.20", "USD"),
        texts={"en": draft.text("en")},
        **changes,
    )


@functools.cache
def pictures(count: int = 2) -> tuple[ProcessedImage, ...]:
    spec = EtsyMarketplace(
        shop_id=1, keystring="k", shared_secret=SHARED_SECRET, refresh_token=REFRESH_TOKEN
    ).profile.images
    made = []
    for n in range(count):
        buffer = io.BytesIO()
        Image.new("RGB", (1200, 1200), (40 + 30 * n, 30, 30)).save(buffer, "PNG")
        made.append(process_image(buffer.getvalue(), spec, name=f"hen-{n}.png"))
    return tuple(made)


def make_etsy(fake: FakeEtsy, **kwargs: Any) -> EtsyMarketplace:
    options: dict[str, Any] = {
        "shop_id": SHOP_ID,
        "keystring": KEYSTRING,
        "shared_secret": SHARED_SECRET,
        "refresh_token": REFRESH_TOKEN,
        "access_token": ACCESS_TOKEN,
        "taxonomy_id": TAXONOMY_ID,
        "shipping_profile_id": SHIPPING_PROFILE_ID,
        "readiness_state_id": READINESS_STATE_ID,
        "base_url": BASE,
        "retry": RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05),
        "rate": 1000.0,
        "transport": httpx.MockTransport(fake),
        "sleep": _no_wait,
    }
    return EtsyMarketplace(**(options | kwargs))


def run(etsy: EtsyMarketplace, work: Callable[[EtsyMarketplace], Awaitable[T]]) -> T:
    async def main() -> T:
        try:
            return await work(etsy)
        finally:
            await etsy.aclose()

    return asyncio.run(main())


# --- the shared suite -----------------------------------------------------------------------


class TestEtsyConformance(MarketplaceConformance):
    """The shared conformance suite against one fake shop that lives for the whole class."""

    fake: ClassVar[FakeEtsy]

    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _shop(cls) -> Any:
        cls.fake = FakeEtsy()
        yield
        # Nothing stored twice: every SKU the suite wrote is on exactly one listing.
        skus = [p["sku"] for inv in cls.fake.inventories.values() for p in inv["products"]]
        assert len(skus) == len(set(skus)) == len(cls.fake.listings) >= 5

    def make_marketplace(self) -> Any:
        return make_etsy(self.fake)

    def make_draft(self, sku: str) -> ListingDraft:
        # A US shop: USD and English; the base suite's sku and stock=12.
        return us_draft(sku, stock=12)


# --- mapping --------------------------------------------------------------------------------


def test_the_create_form_is_what_the_spec_allows() -> None:
    draft = us_draft()
    form = create_listing_form(
        draft,
        taxonomy_id=TAXONOMY_ID,
        shipping_profile_id=SHIPPING_PROFILE_ID,
        readiness_state_id=READINESS_STATE_ID,
    )
    assert form == {
        "quantity": "40",
        "title": draft.text("en").title,
        "description": draft.text("en").description,
        "price": "5.20",
        "who_made": "i_did",
        "when_made": "made_to_order",
        "is_supply": "false",
        "taxonomy_id": str(TAXONOMY_ID),
        "type": "physical",
        "tags": "WJ261120A",
        "shipping_profile_id": str(SHIPPING_PROFILE_ID),
        "readiness_state_id": str(READINESS_STATE_ID),
        # One bird packed for the parcel (foam box and ice), from the sample's pack plan.
        "item_weight": "7000",
        "item_weight_unit": "g",
    }
    request = httpx.Request(
        "POST",
        f"{BASE}/v3/application/shops/{SHOP_ID}/listings",
        data=form,
    )
    assert etsy_spec().check(request) == "createDraftListing"


def test_who_made_when_made_and_is_supply_always_go_together() -> None:
    """etsy/open-api#472: with only some of the three, Etsy fails with images array_too_short."""
    draft = us_draft(extra={"etsy": {"when_made": "2020_2026", "is_supply": True}})
    form = create_listing_form(draft, taxonomy_id=TAXONOMY_ID)
    assert (form["who_made"], form["when_made"], form["is_supply"]) == (
        "i_did",
        "2020_2026",
        "true",
    )
    with pytest.raises(InvalidValueError, match="when_made is 'yesterday'"):
        create_listing_form(
            us_draft(extra={"etsy": {"when_made": "yesterday"}}), taxonomy_id=TAXONOMY_ID
        )


def test_the_draft_can_choose_its_taxonomy() -> None:
    draft = us_draft(extra={"etsy": {"taxonomy_id": 2078}})
    assert create_listing_form(draft, taxonomy_id=TAXONOMY_ID)["taxonomy_id"] == "2078"
    assert update_listing_form(draft, taxonomy_id=TAXONOMY_ID)["taxonomy_id"] == "2078"


def test_the_inventory_carries_our_sku_stock_and_price() -> None:
    body = inventory_payload("WJ261120A", 7, Money("39.5", "USD"), readiness_state_id=1)
    assert body["products"][0]["sku"] == "WJ261120A"
    assert body["products"][0]["offerings"] == [
        {"price": 39.5, "quantity": 7, "is_enabled": True, "readiness_state_id": 1}
    ]
    request = httpx.Request("PUT", f"{BASE}/v3/application/listings/1/inventory", json=body)
    assert etsy_spec().check(request) == "updateListingInventory"


@pytest.mark.parametrize("sku", ["", "WJ_261120", "WJ/26", "A" * 21, "hen.1"])
def test_a_sku_that_cannot_be_a_tag_is_refused(sku: str) -> None:
    with pytest.raises(InvalidValueError, match="cannot be an Etsy tag"):
        sku_tag(sku)


@given(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 \-']{0,19}", fullmatch=True))
def test_every_tag_shaped_sku_is_its_own_tag(sku: str) -> None:
    assert sku_tag(sku) == sku


def test_a_draft_without_english_text_cannot_be_mapped() -> None:
    draft = attrs.evolve(us_draft(), texts={"zh-CN": _sample().text("zh-CN")})
    with pytest.raises(InvalidValueError, match="no English text"):
        create_listing_form(draft, taxonomy_id=TAXONOMY_ID)


def test_validate_adds_what_etsy_needs() -> None:
    etsy = make_etsy(FakeEtsy(), taxonomy_id=None, currency="GBP")
    draft = us_draft("WJ_26")
    issues = asyncio.run(etsy.validate(draft))
    fields = {issue.field for issue in issues}
    assert {"sku", "taxonomy_id", "price"} <= fields
    assert all(issue.fix for issue in issues)
    assert not asyncio.run(make_etsy(FakeEtsy()).validate(grown_in(us_draft(), "US")))
    # The sample bird from Jiangxi may not go to US buyers (the food policy says why).
    (issue,) = asyncio.run(make_etsy(FakeEtsy()).validate(us_draft()))
    assert (issue.field, issue.severity) == ("food_policy", IssueSeverity.ERROR)


# --- publishing -----------------------------------------------------------------------------


def test_upsert_sends_the_flow_in_order_and_keeps_the_sku() -> None:
    fake = FakeEtsy()
    state = run(make_etsy(fake), lambda m: m.upsert(us_draft(), pictures()))
    assert fake.seen == [
        *["getListingsByShop"] * 5,  # no listing with this SKU tag in any state
        "createDraftListing",
        "updateListingInventory",
        "uploadListingImage",
        "uploadListingImage",
        "getListingImages",
        "updateListing",
        "getListingImages",
    ]
    (listing,) = fake.by_sku("WJ261120A")
    assert listing["state"] == "active"
    assert fake.inventories[listing["listing_id"]]["products"][0]["sku"] == "WJ261120A"
    assert state.active
    assert state.stock == 40
    assert state.price == Money("5.20", "USD")
    assert state.url == listing["url"]
    assert state.extra["listing_id"] == listing["listing_id"]
    assert len(state.images) == 2


def test_fewer_pictures_on_an_update_removes_the_surplus() -> None:
    fake = FakeEtsy()

    async def work(m: EtsyMarketplace) -> Any:
        await m.upsert(us_draft(), pictures(3))
        return await m.upsert(us_draft(), pictures(1))

    state = run(make_etsy(fake), work)
    (listing,) = fake.by_sku("WJ261120A")
    assert len(fake.images[listing["listing_id"]]) == len(state.images) == 1


def test_an_unknown_sku_cannot_be_restocked_or_withdrawn() -> None:
    fake = FakeEtsy()
    with pytest.raises(MarketplaceError, match="no listing with SKU 'NOPE'") as caught:
        run(make_etsy(fake), lambda m: m.set_stock("NOPE", 3))
    assert caught.value.status == 404
    assert not fake.listings


def test_the_lookup_pages_through_a_big_shop() -> None:
    fake = FakeEtsy()

    async def work(m: EtsyMarketplace) -> Any:
        await m.upsert(us_draft("OLD-1"), pictures(1))
        fake.stock_shop(120)  # newer listings come first: ours is on the second page
        fresh = make_etsy(fake)  # no memory of listing ids
        try:
            return await fresh.fetch("OLD-1")
        finally:
            await fresh.aclose()

    found = run(make_etsy(fake), work)
    assert found is not None
    assert found.sku == "OLD-1"
    assert found.active
    assert len(fake.listings) == 121


def test_currency_other_than_the_shops_is_refused_before_sending() -> None:
    fake = FakeEtsy()
    draft = attrs.evolve(us_draft(), price=Money("36.00", "CNY"))
    with pytest.raises(InvalidValueError, match="sells in USD"):
        run(make_etsy(fake, currency="USD"), lambda m: m.upsert(draft, pictures()))
    assert not fake.seen


# --- idempotency: a lost create never makes a duplicate -------------------------------------


@pytest.mark.parametrize("how", ["timeout", "503"])
def test_a_lost_create_is_found_by_sku_not_sent_again(how: str) -> None:
    fake = FakeEtsy()
    fake.lose("createDraftListing", how)
    state = run(make_etsy(fake), lambda m: m.upsert(us_draft(), pictures()))
    assert len(fake.by_sku("WJ261120A")) == len(fake.listings) == 1
    assert fake.seen.count("createDraftListing") == 1
    assert state.active


def test_a_create_that_failed_before_doing_anything_is_sent_again_once() -> None:
    fake = FakeEtsy()
    fake.fail("createDraftListing")
    state = run(make_etsy(fake), lambda m: m.upsert(us_draft(), pictures()))
    assert fake.seen.count("createDraftListing") == 1  # the refused one never reached the shop
    assert len(fake.listings) == 1
    assert state.active


def test_a_create_refused_every_time_is_tried_three_times_in_all() -> None:
    """The HTTP layer never repeats a create by itself; create_once looks up before each."""
    fake = FakeEtsy()
    fake.fail("createDraftListing", 5)
    with pytest.raises(MarketplaceUnavailableError, match="server error"):
        run(make_etsy(fake), lambda m: m.upsert(us_draft(), pictures()))
    assert fake.attempts.count("createDraftListing") == 3
    assert not fake.listings


def test_lost_answers_on_the_idempotent_steps_are_retried() -> None:
    fake = FakeEtsy()
    for operation in ("updateListingInventory", "uploadListingImage", "updateListing"):
        fake.lose(operation, "timeout")
    state = run(make_etsy(fake), lambda m: m.upsert(us_draft(), pictures()))
    (listing,) = fake.listings.values()
    assert len(fake.images[listing["listing_id"]]) == 2  # a repeated upload replaced its rank
    assert state.active


# --- auth -----------------------------------------------------------------------------------


def test_without_an_access_token_one_is_fetched_first() -> None:
    fake = FakeEtsy()
    kept: list[EtsyTokens] = []
    etsy = make_etsy(fake, access_token=None, on_tokens=kept.append)
    assert run(etsy, lambda m: m.fetch("NOPE")) is None
    assert fake.refreshes == [
        {"grant_type": "refresh_token", "client_id": KEYSTRING, "refresh_token": REFRESH_TOKEN}
    ]
    assert len(kept) == 1
    assert kept[0].refresh_token.reveal().endswith("fresh-refresh-1")


def test_an_expired_token_is_refreshed_once_and_the_request_repeated() -> None:
    fake = FakeEtsy()

    async def work(m: EtsyMarketplace) -> Any:
        await m.upsert(us_draft(), pictures())
        fake.expire_tokens()
        return await m.set_stock("WJ261120A", 5)

    state = run(make_etsy(fake), work)
    assert state.stock == 5
    assert len(fake.refreshes) == 1


def test_a_token_about_to_expire_is_refreshed_before_sending() -> None:
    fake = FakeEtsy()
    now = [1000.0]
    auth = EtsyAuth(
        Secret(KEYSTRING),
        Secret(REFRESH_TOKEN),
        shared_secret=Secret(SHARED_SECRET),
        token_url=f"{BASE}/v3/public/oauth/token",
        access_token=Secret(ACCESS_TOKEN),
        expires_at=1030.0,
        clock=lambda: now[0],
    )
    with httpx.Client(auth=auth, transport=httpx.MockTransport(fake)) as client:
        client.get(f"{BASE}/v3/application/shops/{SHOP_ID}/listings", params={"state": "draft"})
    assert len(fake.refreshes) == 1  # 30 s left is inside the 60 s margin


def test_a_refused_refresh_token_is_an_auth_error_without_secrets() -> None:
    fake = FakeEtsy()
    etsy = make_etsy(fake, access_token=None, refresh_token=STALE)
    with pytest.raises(MarketplaceAuthError, match="connect the app again") as caught:
        run(etsy, lambda m: m.fetch("WJ261120A"))
    assert "stolen-or-stale" not in str(caught.value)
    assert KEYSTRING not in str(caught.value)
    assert caught.value.code == "invalid_grant"


def test_a_token_endpoint_in_trouble_is_unavailable_not_an_auth_error() -> None:
    fake = FakeEtsy()

    def shop(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/oauth/token"):
            return httpx.Response(503, json={"error": "Server Error"})
        return fake(request)

    etsy = make_etsy(fake, access_token=None, transport=httpx.MockTransport(shop))
    with pytest.raises(MarketplaceUnavailableError, match="try again later"):
        run(etsy, lambda m: m.fetch("WJ261120A"))


def test_a_wrong_keystring_is_an_auth_error_that_hides_it() -> None:
    fake = FakeEtsy()
    with pytest.raises(MarketplaceAuthError, match="Invalid API key") as caught:
        run(make_etsy(fake, keystring="wrong-keystring-9"), lambda m: m.fetch("WJ261120A"))
    assert "wrong-keystring-9" not in str(caught.value)
    assert caught.value.status == 403


@settings(max_examples=25, deadline=None)
@given(
    keystring=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1),
    token=st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1),
)
def test_every_request_carries_the_key_secret_and_the_bearer(keystring: str, token: str) -> None:
    seen: list[httpx.Request] = []

    def shop(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"count": 0, "results": []})

    keystring, token = f"ks-{keystring}", f"tok-{token}"
    auth = EtsyAuth(
        Secret(keystring),
        Secret("r"),
        shared_secret=Secret("shh-9"),
        token_url=f"{BASE}/t",
        access_token=Secret(token),
    )
    with httpx.Client(auth=auth, transport=httpx.MockTransport(shop)) as client:
        client.get(f"{BASE}/v3/application/shops/1/listings?state=active")
        client.get(f"{BASE}/v3/application/shops/1/listings?state=draft")
    # The description's securitySchemes.api_key: "in the format keystring:shared_secret".
    assert [r.headers["x-api-key"] for r in seen] == [f"{keystring}:shh-9"] * 2
    assert [r.headers["authorization"] for r in seen] == [f"Bearer {token}"] * 2
    assert keystring not in repr(auth)
    assert "shh-9" not in repr(auth)
    assert token not in repr(auth)


# --- errors and throttling ------------------------------------------------------------------


def test_a_throttle_is_waited_out_as_etsy_asks() -> None:
    fake = FakeEtsy()
    fake.throttle(2, retry_after="3")
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    state = run(make_etsy(fake, sleep=sleep), lambda m: m.upsert(us_draft(), pictures()))
    assert state.active
    assert waits[:2] == [3.0, 3.0]
    assert len(fake.listings) == 1


def test_a_throttle_without_retry_after_uses_the_per_second_window() -> None:
    fake = FakeEtsy()
    fake.throttle(1, retry_after=None)
    with pytest.raises(RateLimitedError) as caught:
        run(make_etsy(fake, retry=RetryPolicy.never()), lambda m: m.fetch("WJ261120A"))
    assert caught.value.retry_after == 1.0
    assert "10 requests a second" in str(caught.value)


def test_the_daily_limit_is_named_and_not_waited_for() -> None:
    fake = FakeEtsy()
    fake.remaining_today = 0
    with pytest.raises(RateLimitedError, match="daily limit of 10000") as caught:
        run(make_etsy(fake), lambda m: m.fetch("WJ261120A"))
    assert caught.value.retry_after == 3600.0  # over RetryPolicy.max_retry_after: raised


def test_the_quota_headers_are_kept() -> None:
    fake = FakeEtsy()
    etsy = make_etsy(fake)
    run(etsy, lambda m: m.fetch("WJ261120A"))
    assert etsy.quota["x-limit-per-day"] == "10000"
    assert int(etsy.quota["x-remaining-today"]) < 10_000


def test_a_missing_shipping_or_processing_profile_is_refused_before_any_request() -> None:
    fake = FakeEtsy()
    draft = grown_in(us_draft(), "US")
    for setting in ("shipping_profile_id", "readiness_state_id"):
        with pytest.raises(InvalidValueError, match=setting) as caught:
            run(make_etsy(fake, **{setting: None}), lambda m: m.upsert(us_draft(), pictures()))
        assert caught.value.field == setting
        issues = run(make_etsy(fake, **{setting: None}), lambda m: m.validate(draft))
        assert [i.field for i in issues if i.severity is IssueSeverity.ERROR] == [setting]
    assert fake.seen == []


def test_etsy_field_errors_name_the_field() -> None:
    fake = FakeEtsy()
    long_title = us_draft()
    text = attrs.evolve(long_title.texts["en"], title="Hen " * 40)
    long_title = attrs.evolve(long_title, texts={"en": text})
    with pytest.raises(ListingRejectedError) as caught:
        run(make_etsy(fake), lambda m: m.upsert(long_title, pictures()))
    assert caught.value.field_errors == {
        "title": "string_too_long cannot be longer than 140 characters"
    }
    assert "title" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            [{"path": "/title/1", "type": "invalid_characters", "message": "contains invalid"}],
            {"title": "invalid_characters contains invalid"},
        ),
        (
            {"error": "unable to update", "error_list": [{"path": "/images", "type": "short"}]},
            {"images": "short"},
        ),
        ({"error": "price must be at least 0.20"}, {"price": "price must be at least 0.20"}),
        ({"error": "Title is too long"}, {"title": "Title is too long"}),
        ({"error": "Something else"}, {}),
    ],
)
def test_every_error_shape_etsy_uses_is_read(body: Any, fields: dict[str, str]) -> None:
    error = classify_response(httpx.Response(400, json=body))
    assert isinstance(error, ListingRejectedError)
    assert error.field_errors == fields


def test_errors_keep_etsys_words_and_lose_the_secrets() -> None:
    response = httpx.Response(404, json={"error": f"no such listing for key {KEYSTRING}"})
    error = classify_response(response, secrets=[Secret(KEYSTRING)])
    assert error is not None
    assert "no such listing" in str(error)
    assert KEYSTRING not in str(error)
    assert classify_response(httpx.Response(201, json={})) is None


def test_a_server_error_is_unavailable() -> None:
    error = classify_response(httpx.Response(500, json={"error": "Server Error"}))
    assert isinstance(error, MarketplaceUnavailableError)


# --- state mapping --------------------------------------------------------------------------


def test_withdraw_and_sold_out_map_onto_our_states() -> None:
    fake = FakeEtsy()

    async def work(m: EtsyMarketplace) -> Any:
        await m.upsert(us_draft(), pictures())
        sold_out = await m.set_stock("WJ261120A", 0)
        withdrawn = await m.withdraw("WJ261120A")
        back = await m.upsert(us_draft(), pictures())
        return sold_out, withdrawn, back

    sold_out, withdrawn, back = run(make_etsy(fake), work)
    assert (sold_out.state, sold_out.stock, sold_out.extra["etsy_state"]) == (
        "active",
        0,
        "sold_out",
    )
    assert (withdrawn.state, withdrawn.extra["etsy_state"]) == ("withdrawn", "inactive")
    assert back.active
    assert back.stock == 40
    assert len(fake.listings) == 1


def test_etsy_money_is_read_exactly() -> None:
    fake = FakeEtsy()

    async def work(m: EtsyMarketplace) -> Any:
        await m.upsert(us_draft(), pictures())
        return await m.set_stock("WJ261120A", 2, Money("1234.56", "USD"))

    state = run(make_etsy(fake), work)
    assert state.price == Money(Decimal("1234.56"), "USD")
    assert str(state.price.amount) == "1234.56"


# --- secrets --------------------------------------------------------------------------------


def test_secrets_stay_out_of_repr_errors_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake = FakeEtsy()
    fake.expire_tokens()
    fake.throttle(1)
    etsy = make_etsy(fake)
    shown = [repr(etsy), repr(etsy.auth), repr(etsy.http)]
    run(etsy, lambda m: m.upsert(us_draft(), pictures()))
    with pytest.raises(MarketplaceAuthError) as caught:
        run(make_etsy(fake, keystring="wrong"), lambda m: m.fetch("WJ261120A"))
    shown += [str(caught.value), repr(caught.value.headers), caplog.text]
    fresh = list(fake.access_tokens | fake.refresh_tokens)
    for secret in [KEYSTRING, ACCESS_TOKEN, REFRESH_TOKEN, *fresh]:
        for text in shown:
            assert secret not in text


def test_the_sync_facade_and_the_default_rate() -> None:
    fake = FakeEtsy()
    etsy = make_etsy(fake)
    assert ETSY_RATE == 10.0
    with SyncMarketplace(etsy) as sync:
        assert sync.upsert(us_draft(), pictures()).active
        assert sync.withdraw("WJ261120A").state == "withdrawn"


# --- only the change is sent ----------------------------------------------------------------

_ETSY_WRITES = (
    *("createDraftListing", "updateListing", "updateListingInventory"),
    *("uploadListingImage", "deleteListingImage"),
)


def test_only_the_change_is_sent() -> None:
    fake = FakeEtsy()
    run(make_etsy(fake), lambda m: m.upsert(us_draft(), pictures()))

    def writes(work: Callable[[EtsyMarketplace], Awaitable[Any]]) -> list[str]:
        start = len(fake.seen)
        run(make_etsy(fake), work)
        return [op for op in fake.seen[start:] if op in _ETSY_WRITES]

    price = us_draft().price
    assert writes(lambda m: m.set_stock("WJ261120A", 7, price)) == ["updateListingInventory"]
    assert writes(lambda m: m.set_stock("WJ261120A", 7, Money("6.10", "USD"))) == [
        "updateListingInventory"
    ]
    assert writes(lambda m: m.set_stock("WJ261120A", 7, Money("6.10", "USD"))) == []
    assert writes(lambda m: m.set_stock("WJ261120A", 7)) == []
    # A text change: the listing's text, not its inventory, nor a second activation.
    text = attrs.evolve(us_draft().text("en"), title="Taihe silkie, whole, chilled")
    renamed = attrs.evolve(
        us_draft(), texts={**us_draft().texts, "en": text}, stock=7, price=Money("6.10", "USD")
    )
    sent = writes(lambda m: m.upsert(renamed, pictures()))
    # Pictures are sent again by rank (overwrite): Etsy keeps nothing to tell them apart by.
    assert [w for w in sent if w != "uploadListingImage"] == ["updateListing"]

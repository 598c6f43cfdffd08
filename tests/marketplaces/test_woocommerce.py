"""The WooCommerce adapter against a fake store that answers as the real one does.

The conformance suite runs twice: on an HTTPS store (Basic authentication, pictures through a
WordPress application password) and on a plain-HTTP store (OAuth 1.0a signatures, checked by
the fake the way ``WC_REST_Authentication`` checks them). Focused tests cover the RFC 5849
signing examples, the mapping, error mapping, throttling, lost answers and secrets.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import logging
import types
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, ClassVar, TypeVar

import attrs
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from tests.marketplaces.fake_woocommerce import FakeWooCommerceStore, wp_error

from ruralseller.catalog import Mass, Money, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceError,
    RateLimitedError,
)
from ruralseller.listing import (
    ListingDraft,
    ProcessedImage,
    generate_listing,
    get_profile,
    process_image,
)
from ruralseller.marketplaces.base import ListingState, Marketplace, SyncMarketplace
from ruralseller.marketplaces.conformance import MarketplaceConformance
from ruralseller.marketplaces.retry import RetryPolicy
from ruralseller.marketplaces.secrets import Secret
from ruralseller.marketplaces.woocommerce import (
    API_ROOT,
    BATCH_LIMIT,
    MEDIA_ROOT,
    META_PREFIX,
    WOOCOMMERCE_TIMEOUT,
    MediaImage,
    WooCommerceBasicAuth,
    WooCommerceMarketplace,
    WooCommerceOAuth1,
    hmac_sha1_signature,
    normalized_parameters,
    percent_encode,
    product_payload,
    signature_base_string,
    signature_base_uri,
    stock_payload,
    store_auth,
)

T = TypeVar("T")

KEY = "ck_fake0123456789abcdef"
SECRET = "cs_fake_SECRET_9876543210"  # noqa: S105 - the fake store's fake secret
WP_USER = "village-shop"
WP_PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"  # noqa: S105 - a fake application password
PRODUCTS = f"{API_ROOT}/products"
FAST = RetryPolicy(max_attempts=5, base_delay=0.01, max_delay=0.05, jitter=0.0)


async def _no_wait(_seconds: float) -> None:
    return None


@functools.cache
def _sample() -> ListingDraft:
    return generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))


def draft(sku: str = "WJ-TEST-1", **changes: Any) -> ListingDraft:
    return attrs.evolve(_sample(), sku=sku, stock=12, **changes)


@functools.cache
def pictures() -> tuple[ProcessedImage, ...]:
    spec = get_profile("woocommerce").images
    made = []
    for colour in ((40, 30, 30), (200, 180, 150)):
        buffer = io.BytesIO()
        Image.new("RGB", (800, 800), colour).save(buffer, "PNG")
        made.append(process_image(buffer.getvalue(), spec, name=f"hen-{colour[0]}.png"))
    return tuple(made)


@functools.cache
def conformance_pictures() -> tuple[ProcessedImage, ...]:
    stand_in = types.SimpleNamespace(profile=get_profile("woocommerce"))
    return tuple(MarketplaceConformance().make_images(stand_in))  # type: ignore[arg-type]


def adapter(
    store: FakeWooCommerceStore,
    transport: httpx.AsyncBaseTransport | None = None,
    *,
    media: bool = True,
    **options: Any,
) -> WooCommerceMarketplace:
    """An adapter on ``store``, never waiting, with the store's credentials."""
    settings_: dict[str, Any] = {}
    if media and store.base_url.startswith("https"):
        settings_ |= {"media_username": WP_USER, "media_password": WP_PASSWORD}
    settings_ |= {
        "base_url": store.base_url,
        "consumer_key": KEY,
        "consumer_secret": SECRET,
        "retry": FAST,
        "rate": 10_000.0,
        "sleep": _no_wait,
        "transport": transport or store.transport(),
        **options,
    }
    return WooCommerceMarketplace(**settings_)


def run(
    marketplace: WooCommerceMarketplace, work: Callable[[WooCommerceMarketplace], Awaitable[T]]
) -> T:
    async def main() -> T:
        try:
            return await work(marketplace)
        finally:
            await marketplace.aclose()

    return asyncio.run(main())


def https_store(**options: Any) -> FakeWooCommerceStore:
    return FakeWooCommerceStore(app_passwords={WP_USER: WP_PASSWORD}, **options)


def http_store(**options: Any) -> FakeWooCommerceStore:
    return FakeWooCommerceStore(base_url="http://shop.test", consumer_keys_on_media=True, **options)


# --- the conformance suite --------------------------------------------------------------------


class TestWooCommerceConformance(MarketplaceConformance):
    """The shared suite against an HTTPS store (Basic auth, application password for media)."""

    store: ClassVar[FakeWooCommerceStore]

    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _store(cls) -> Iterator[None]:
        cls.store = cls.make_store()
        yield
        skus = [p["sku"] for p in cls.store.products.values()]
        assert len(skus) == len(set(skus)) >= 5  # nothing stored twice
        assert cls.store.ignored == []  # nothing sent that WooCommerce would silently drop
        hashes = [m["sha256"] for m in cls.store.media.values()]
        assert len(hashes) == len(set(hashes))  # no picture uploaded twice

    @classmethod
    def make_store(cls) -> FakeWooCommerceStore:
        return https_store()

    def make_marketplace(self) -> Marketplace:
        return adapter(self.store)

    def make_images(self, marketplace: Marketplace) -> list[ProcessedImage]:  # noqa: ARG002
        return list(conformance_pictures())  # the suite's own pictures, made once


class TestWooCommerceOAuthConformance(TestWooCommerceConformance):
    """The same suite against a plain-HTTP store: every request signed with OAuth 1.0a."""

    @classmethod
    def make_store(cls) -> FakeWooCommerceStore:
        return http_store()


# --- RFC 5849 §3.4 and WooCommerce's own example ---------------------------------------------


def test_rfc5849_section_3_4_1_example_step_by_step() -> None:
    """RFC 5849 §3.4.1.1-3.4.1.3: the POST /request example, each step as the RFC shows it."""
    url = "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b"
    query = httpx.URL(url).params.multi_items()
    body = [("c2", ""), ("a3", "2 q")]
    oauth = [
        ("oauth_consumer_key", "9djdj82h48djs9d2"),
        ("oauth_token", "kkk9d7dh3k39sjv7"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "137131201"),
        ("oauth_nonce", "7d8f3e4a"),
    ]
    # §3.4.1.3.1: the query is decoded before use.
    assert ("b5", "=%3D") in query
    assert ("a2", "r b") in query
    # §3.4.1.2: the base string URI.
    assert signature_base_uri(url) == "http://example.com/request"
    # §3.4.1.3.2: the normalized parameters.
    assert normalized_parameters([*query, *body, *oauth]) == (
        "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2"
        "&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201"
        "&oauth_token=kkk9d7dh3k39sjv7"
    )
    # §3.4.1.1: the signature base string.
    assert signature_base_string("post", url, [*query, *body, *oauth]) == (
        "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D"
        "%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce"
        "%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26"
        "oauth_token%3Dkkk9d7dh3k39sjv7"
    )


def test_rfc5849_section_1_2_initiate_example_signature() -> None:
    """RFC 5849 §1.2: POST https://photos.example.net/initiate signs to 74KNZ…XKycU=."""
    params = [
        ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "137131200"),
        ("oauth_nonce", "wIjqoS"),
        ("oauth_callback", "http://printer.example.com/ready"),
    ]
    base = signature_base_string("POST", "https://photos.example.net/initiate", params)
    assert base == (
        "POST&https%3A%2F%2Fphotos.example.net%2Finitiate&oauth_callback%3Dhttp%253A%252F%252F"
        "printer.example.com%252Fready%26oauth_consumer_key%3Ddpf43f3p2l4k3l03%26oauth_nonce"
        "%3DwIjqoS%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131200"
    )
    # The key is enc(client secret) & enc(token secret): no token yet, so it ends with "&".
    assert hmac_sha1_signature(base, "kd94hf93k423kf44") == "74KNZJeDHnMBp0EMJ9ZHt/XKycU="


def test_rfc5849_section_1_2_photos_example_signature_with_token() -> None:
    """RFC 5849 §1.2: GET /photos with the token credentials signs to MdpQc…9I=."""
    params = [
        ("file", "vacation.jpg"),
        ("size", "original"),
        ("oauth_consumer_key", "dpf43f3p2l4k3l03"),
        ("oauth_token", "nnch734d00sl2jdk"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "137131202"),
        ("oauth_nonce", "chapoH"),
    ]
    base = signature_base_string("GET", "http://photos.example.net/photos", params)
    signature = hmac_sha1_signature(base, "kd94hf93k423kf44", "pfkkdhi9sl3r4s00")
    assert signature == "MdpQcU8iPSUjWoN/UDMsK2sui9I="


def test_woocommerce_documented_base_string() -> None:
    """_authentication.md "Example signature base string"."""
    base = signature_base_string(
        "GET",
        "http://www.example.com/wp-json/wc/v3/orders",
        [("oauth_consumer_key", "abc123"), ("oauth_signature_method", "HMAC-SHA1")],
    )
    assert base == (
        "GET&http%3A%2F%2Fwww.example.com%2Fwp-json%2Fwc%2Fv3%2Forders&oauth_consumer_key"
        "%3Dabc123%26oauth_signature_method%3DHMAC-SHA1"
    )


def test_percent_encoding_is_rfc3986() -> None:
    assert percent_encode("abcXYZ019-._~") == "abcXYZ019-._~"
    assert percent_encode("a b+c*") == "a%20b%2Bc%2A"
    assert percent_encode("乌") == "%E4%B9%8C"


_texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


@settings(max_examples=60, deadline=None)
@given(
    params=st.lists(st.tuples(st.text("abcdefghij_", min_size=1, max_size=8), _texts), max_size=5),
    nonce=st.text("0123456789abcdef", min_size=8, max_size=32),
    timestamp=st.integers(min_value=1_700_000_000, max_value=1_900_000_000),
)
def test_oauth_signature_is_accepted_by_the_store(
    params: list[tuple[str, str]], nonce: str, timestamp: int
) -> None:
    """Whatever the query, the store (its own implementation) accepts what we sign."""
    store = FakeWooCommerceStore(base_url="http://shop.test", clock=lambda: float(timestamp))
    auth = WooCommerceOAuth1(
        Secret(KEY), Secret(SECRET), clock=lambda: float(timestamp), nonce=lambda: nonce
    )
    request = httpx.Request("GET", "http://shop.test" + PRODUCTS, params=dict(params))
    signed = next(auth.auth_flow(request))
    assert store.handle(signed).status_code == 200
    sent = dict(signed.url.params)
    assert sent["oauth_nonce"] == nonce
    assert sent["oauth_timestamp"] == str(timestamp)
    assert sent["oauth_signature_method"] == "HMAC-SHA1"
    assert "oauth_version" not in sent  # "not required and should be omitted"
    assert SECRET not in str(signed.url)


@settings(max_examples=40, deadline=None)
@given(
    params=st.dictionaries(st.text("abcdef", min_size=1, max_size=4), _texts, max_size=4),
    nonce=st.text("0123456789abcdef", min_size=8, max_size=32),
    timestamp=st.integers(min_value=0, max_value=2**31),
)
def test_signature_ignores_parameter_order_and_changes_with_any_value(
    params: dict[str, str], nonce: str, timestamp: int
) -> None:
    oauth = [("oauth_nonce", nonce), ("oauth_timestamp", str(timestamp))]
    url = "http://shop.test/wp-json/wc/v3/products"
    forward = signature_base_string("GET", url, [*params.items(), *oauth])
    backward = signature_base_string("GET", url, [*reversed(oauth), *reversed(params.items())])
    assert forward == backward
    changed = signature_base_string("GET", url, [*params.items(), ("oauth_nonce", nonce + "0")])
    assert hmac_sha1_signature(changed, SECRET) != hmac_sha1_signature(forward, SECRET)


def test_each_try_is_signed_again_with_a_fresh_nonce() -> None:
    """The store refuses a reused nonce, so a retry after a lost answer must sign anew."""
    store = http_store()
    store.lose_next("GET", PRODUCTS, "503")  # verified (nonce used up), then answer lost
    nonces = iter(f"nonce{n:027d}" for n in range(100))
    shop = adapter(store, nonce=lambda: next(nonces), currency="CNY")
    assert run(shop, lambda m: m.fetch("NOPE")) is None
    assert store.count("GET", PRODUCTS) == 2
    assert store.nonces == {f"nonce{n:027d}" for n in range(2)}


def test_a_replayed_nonce_is_refused() -> None:
    store = http_store()
    shop = adapter(store, nonce=lambda: "same-nonce-every-time-0000000000", currency="CNY")

    async def twice(m: WooCommerceMarketplace) -> None:
        await m.fetch("A")
        await m.fetch("B")

    with pytest.raises(MarketplaceAuthError, match="clock") as caught:
        run(shop, twice)
    assert "nonce has already been used" in str(caught.value)


def test_a_clock_off_by_more_than_15_minutes_is_refused_with_a_hint() -> None:
    store = http_store(clock=lambda: 1_800_000_000.0)
    shop = adapter(store, clock=lambda: 1_800_000_000.0 - 16 * 60, currency="CNY")
    with pytest.raises(MarketplaceAuthError, match="clock is right"):
        run(shop, lambda m: m.fetch("A"))


def test_basic_auth_is_never_sent_over_plain_http() -> None:
    store = http_store()
    auth = WooCommerceBasicAuth(Secret(KEY), Secret(SECRET))
    with pytest.raises(MarketplaceAuthError, match="plain HTTP"):
        next(auth.auth_flow(httpx.Request("GET", "http://shop.test" + PRODUCTS)))
    # An application password on an http:// store: refused before anything is sent.
    shop = adapter(store, media_username=WP_USER, media_password=WP_PASSWORD, currency="CNY")
    with pytest.raises(MarketplaceAuthError, match="plain HTTP"):
        run(shop, lambda m: m.upsert(draft(), pictures()))
    assert (("POST", MEDIA_ROOT)) not in store.calls


def test_the_scheme_chooses_the_authentication() -> None:
    assert isinstance(
        store_auth("https://a.test", Secret(KEY), Secret(SECRET)), WooCommerceBasicAuth
    )
    assert isinstance(store_auth("http://a.test", Secret(KEY), Secret(SECRET)), WooCommerceOAuth1)
    with pytest.raises(ValueError, match="https://"):
        store_auth("ftp://a.test", Secret(KEY), Secret(SECRET))


def test_wrong_credentials_are_an_auth_error_without_the_secret() -> None:
    store = https_store()
    shop = adapter(store, consumer_secret="cs_wrong_SECRET_000")  # noqa: S106
    with pytest.raises(MarketplaceAuthError) as caught:
        run(shop, lambda m: m.fetch("A"))
    assert "Consumer secret is invalid" in str(caught.value)
    assert "Read/Write" in str(caught.value)
    assert "cs_wrong_SECRET_000" not in str(caught.value)
    assert caught.value.status == 401


def test_consumer_keys_do_not_open_the_media_library() -> None:
    """WordPress's media routes ignore WooCommerce keys unless the store allows them."""
    store = https_store()
    shop = adapter(store, media=False, currency="CNY")
    with pytest.raises(MarketplaceAuthError, match="media_username"):
        run(shop, lambda m: m.upsert(draft(), pictures()))
    assert store.products == {}


# --- mapping ----------------------------------------------------------------------------------


def test_product_payload_maps_the_draft() -> None:
    body = product_payload(
        draft(),
        locale="zh-CN",
        images=[MediaImage(7, "a.jpg"), MediaImage(8, "b.jpg")],
        category_ids=[15],
        shipping_classes={"chilled": "cold-chain"},
    )
    text = draft().text("zh-CN")
    assert body["name"] == text.title
    assert body["type"] == "simple"
    assert body["status"] == "publish"
    assert body["sku"] == "WJ-TEST-1"
    # One bird: 36.00 CNY per jin × 2.8 jin (1.4 kg), the lot's heaviest bird.
    assert body["regular_price"] == "100.80"
    assert body["description"] == text.description_html
    assert body["short_description"].startswith("<ul><li>")
    assert body["manage_stock"] is True
    assert body["stock_quantity"] == 12
    # One sale unit packed: a bird in a foam box with ice, 7 kg (the sample's pack plan).
    assert body["weight"] == "7"
    assert body["categories"] == [{"id": 15}]
    assert [i["id"] for i in body["images"]] == [7, 8]
    assert all("src" not in image for image in body["images"])  # never a remote fetch
    meta = {m["key"]: m["value"] for m in body["meta_data"]}
    assert meta[META_PREFIX + "lot"] == "WJ261120A"
    assert meta[META_PREFIX + "traceability_url"].startswith("https://id.gs1.org/")
    assert meta[META_PREFIX + "attribute_breed"] == "Taihe silkie (泰和乌鸡)"
    assert [a["name"] for a in body["attributes"]][:2] == ["品种", "净重"]
    if draft().shipping is not None:
        assert body.get("shipping_class") == "cold-chain"


def test_payload_weight_by_the_piece_and_in_pounds() -> None:
    # Without a pack plan: the piece's heavier end, or the mass sold.
    by_piece = draft(sale_unit="piece", shipping_weight=None)
    assert product_payload(by_piece)["weight"] == "1.4"  # heavier end of 1-1.4 kg
    by_jin = draft(sale_unit="1 jin", shipping_weight=None)
    assert product_payload(by_jin)["weight"] == "0.5"
    assert product_payload(by_jin, weight_unit="lbs")["weight"] == "1.102"
    # The packed bird, 7 kg, in pounds: 7 / 0.45359237 = 15.4323... lb.
    assert product_payload(draft(), weight_unit="lbs")["weight"] == "15.432"
    with pytest.raises(ValueError, match="weight unit"):
        product_payload(draft(), weight_unit="jin")


def test_the_packed_unit_weight_wins() -> None:
    packed = draft(sale_unit="piece", shipping_weight=Mass("1.9", "kg"))
    assert product_payload(packed)["weight"] == "1.9"
    assert product_payload(packed, weight_unit="g")["weight"] == "1900"
    assert product_payload(packed)["regular_price"] == str(packed.price.amount)


def test_html_in_bullets_is_escaped() -> None:
    text = attrs.evolve(draft().text("en"), bullets=("<b>fresh</b> & free-range",))
    body = product_payload(draft(texts={"en": text}))
    assert (
        body["short_description"] == "<ul><li>&lt;b&gt;fresh&lt;/b&gt; &amp; free-range</li></ul>"
    )


def test_stock_payload() -> None:
    assert stock_payload(3) == {"manage_stock": True, "stock_quantity": 3}
    assert stock_payload(0, Money("7", "CNY"))["regular_price"] == "7.00"


# --- behaviour against the store -----------------------------------------------------------


def test_upsert_uploads_pictures_once_and_refers_to_them_by_id() -> None:
    store = https_store()

    async def work(m: WooCommerceMarketplace) -> tuple[ListingState, ListingState]:
        first = await m.upsert(draft(), pictures())
        return first, await m.upsert(draft(), pictures())

    first, again = run(adapter(store), work)
    assert len(store.media) == 2
    assert store.count("POST", MEDIA_ROOT) == 2
    assert (
        first.images == again.images == tuple(f"{p.sha256[:16]}{p.extension}" for p in pictures())
    )
    (product,) = store.by_sku("WJ-TEST-1")
    assert [i["id"] for i in product["images"]] == sorted(store.media)
    assert store.count("POST", PRODUCTS) == 1
    assert store.ignored == []


def test_the_store_currency_is_asked_once_and_enforced() -> None:
    store = https_store(currency="USD")
    shop = adapter(store)

    async def work(m: WooCommerceMarketplace) -> None:
        with pytest.raises(ListingRejectedError, match="sells in USD") as caught:
            await m.upsert(draft())
        assert "price" in caught.value.field_errors
        with pytest.raises(ListingRejectedError):
            await m.upsert(draft())

    run(shop, work)
    assert store.count("GET", f"{API_ROOT}/settings/general/woocommerce_currency") == 1
    assert store.count("POST", PRODUCTS) == 0


def test_an_overlong_title_is_refused_before_sending() -> None:
    store = https_store()
    texts = {k: attrs.evolve(t, title="乌" * 201) for k, t in draft().texts.items()}
    with pytest.raises(ListingRejectedError, match="title") as caught:
        run(adapter(store), lambda m: m.upsert(draft(texts=texts), pictures()))
    assert caught.value.code == "ruralseller_profile"
    assert store.count("POST", PRODUCTS) == 0
    assert store.media == {}


def test_wordpress_field_errors_name_our_fields() -> None:
    store = https_store()

    def refuse_name(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == PRODUCTS:
            return wp_error(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): name",
                params={"name": "name is too long for this store."},
            )
        return store.handle(request)

    shop = adapter(store, httpx.MockTransport(refuse_name))
    with pytest.raises(ListingRejectedError) as caught:
        run(shop, lambda m: m.upsert(draft()))
    assert caught.value.field_errors == {"title (name)": "name is too long for this store."}
    assert caught.value.code == "rest_invalid_param"
    assert "title (name)" in str(caught.value)


@pytest.mark.parametrize("code", ["product_invalid_sku", "woocommerce_rest_product_not_created"])
def test_a_duplicate_sku_answer_updates_the_existing_product(code: str) -> None:
    """A product the SKU search misses (in the bin) still holds the SKU: update it."""
    store = https_store(duplicate_code=code)
    hidden = store._create({"name": "old", "sku": "WJ-TEST-1", "status": "publish"})
    store.products[hidden["id"]]["status"] = "trash"
    state = run(adapter(store), lambda m: m.upsert(draft()))
    assert len(store.by_sku("WJ-TEST-1")) == 1
    assert state.extra["id"] == hidden["id"]
    assert store.products[hidden["id"]]["status"] == "publish"
    assert store.products[hidden["id"]]["stock_quantity"] == 12


@pytest.mark.parametrize("how", ["timeout", "503"])
def test_a_lost_create_answer_never_makes_a_second_product(how: str) -> None:
    store = https_store()
    store.lose_next("POST", PRODUCTS, how)
    state = run(adapter(store), lambda m: m.upsert(draft(), pictures()))
    assert state.active
    assert len(store.by_sku("WJ-TEST-1")) == 1
    assert store.count("POST", PRODUCTS) == 1  # the lookup found it: not sent again


def test_a_lost_media_answer_never_uploads_the_picture_twice() -> None:
    store = https_store()
    store.lose_next("POST", MEDIA_ROOT, "timeout")
    state = run(adapter(store), lambda m: m.upsert(draft(), pictures()))
    assert len(store.media) == 2
    assert len(state.images) == 2


def test_throttling_is_waited_out_for_as_long_as_the_host_asks() -> None:
    store = https_store()
    store.throttle_next(2, retry_after="3")
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)

    state = run(adapter(store, sleep=record), lambda m: m.upsert(draft()))
    assert state.active
    assert waits == [3.0, 3.0]


def test_throttling_past_the_retries_is_a_rate_limited_error() -> None:
    store = https_store()
    store.throttle_next(1, retry_after="7")
    shop = adapter(store, retry=RetryPolicy.never())
    with pytest.raises(RateLimitedError) as caught:
        run(shop, lambda m: m.fetch("A"))
    assert caught.value.retry_after == 7.0


def test_set_stock_withdraw_and_fetch() -> None:
    store = https_store()

    async def work(m: WooCommerceMarketplace) -> list[ListingState | None]:
        await m.upsert(draft())
        stocked = await m.set_stock("WJ-TEST-1", 0, Money("39.5", "CNY"))
        withdrawn = await m.withdraw("WJ-TEST-1")
        return [stocked, withdrawn, await m.withdraw("WJ-TEST-1"), await m.fetch("WJ-TEST-1")]

    stocked, withdrawn, again, fetched = run(adapter(store), work)
    assert stocked is not None
    assert stocked.stock == 0
    assert stocked.price == Money("39.50", "CNY")
    assert stocked.extra["stock_status"] == "outofstock"
    assert withdrawn is not None
    assert again is not None
    assert withdrawn.state == again.state == "withdrawn"
    assert fetched is not None
    assert fetched.extra["status"] == "private"
    assert store.count("PUT", f"{PRODUCTS}/{fetched.extra['id']}") == 2  # 2nd withdraw: no write


def test_withdraw_to_draft_and_unknown_skus() -> None:
    store = https_store()
    shop = adapter(store, withdraw_status="draft")

    async def work(m: WooCommerceMarketplace) -> ListingState:
        await m.upsert(draft())
        return await m.withdraw("WJ-TEST-1")

    assert run(shop, work).state == "draft"
    with pytest.raises(MarketplaceError, match="no product with SKU"):
        run(adapter(store), lambda m: m.withdraw("NOT-THERE"))
    with pytest.raises(ValueError, match="withdraw_status"):
        adapter(store, withdraw_status="trash")


def test_set_stock_refuses_a_price_in_another_currency() -> None:
    store = https_store()
    with pytest.raises(ListingRejectedError, match="sells in CNY"):
        run(adapter(store), lambda m: m.set_stock("WJ-TEST-1", 1, Money("1", "USD")))
    assert store.count("GET", PRODUCTS) == 0


def test_upload_images_replaces_the_product_pictures() -> None:
    store = https_store()

    async def work(m: WooCommerceMarketplace) -> tuple[str, ...]:
        await m.upsert(draft(), pictures())
        return await m.upload_images("WJ-TEST-1", pictures()[:1])

    names = run(adapter(store), work)
    (product,) = store.by_sku("WJ-TEST-1")
    assert [i["name"] for i in product["images"]] == list(names)
    assert len(store.media) == 2


def test_upsert_many_splits_into_batches_of_100() -> None:
    store = https_store()
    drafts = [draft(f"LOT-{n:03d}") for n in range(201)]
    results = run(adapter(store), lambda m: m.upsert_many(drafts))
    assert store.count("POST", f"{PRODUCTS}/batch") == 3
    assert BATCH_LIMIT == 100
    assert all(isinstance(r, ListingState) and r.active for r in results.values())
    assert list(results) == [d.sku for d in drafts]
    assert len(store.products) == 201
    # Again: everything is an update now, nothing is created twice.
    again = run(adapter(store), lambda m: m.upsert_many(drafts))
    assert len(store.products) == 201
    assert all(isinstance(r, ListingState) for r in again.values())


def test_a_lost_batch_answer_is_reconciled_by_sku() -> None:
    store = https_store()
    store.lose_next("POST", f"{PRODUCTS}/batch", "503")
    drafts = [draft(f"LOT-{n}") for n in range(5)]
    results = run(adapter(store), lambda m: m.upsert_many(drafts))
    assert store.count("POST", f"{PRODUCTS}/batch") == 2
    assert len(store.products) == 5
    assert all(isinstance(r, ListingState) for r in results.values())


def test_batch_item_errors_come_back_per_sku() -> None:
    store = https_store(duplicate_code="woocommerce_rest_product_not_created")
    hidden = store._create({"name": "old", "sku": "LOT-1"})
    store.products[hidden["id"]]["status"] = "trash"
    texts = {k: attrs.evolve(t, title="乌" * 201) for k, t in draft().texts.items()}
    drafts = [draft("LOT-0"), draft("LOT-1"), draft("LOT-2", texts=texts)]

    results = run(adapter(store), lambda m: m.batch_upsert(drafts, attempts=1))
    assert isinstance(results["LOT-0"], ListingState)
    taken = results["LOT-1"]
    assert isinstance(taken, ListingRejectedError)
    assert "sku" in taken.field_errors
    assert taken.code == "woocommerce_rest_product_not_created"
    too_long = results["LOT-2"]
    assert isinstance(too_long, ListingRejectedError)
    assert any("title" in field for field in too_long.field_errors)
    # With a second round the duplicate is sent as an update of the product in the bin.
    results = run(adapter(store), lambda m: m.batch_upsert(drafts[:2]))
    assert all(isinstance(r, ListingState) for r in results.values())
    assert len(store.by_sku("LOT-1")) == 1


def test_a_batch_over_the_limit_is_refused_here() -> None:
    store = https_store()
    with pytest.raises(ValueError, match="upsert_many"):
        run(adapter(store), lambda m: m.batch_upsert([draft(f"L{n}") for n in range(101)]))
    with pytest.raises(ValueError, match="own SKU"):
        run(adapter(store), lambda m: m.batch_upsert([draft("L"), draft("L")]))


def test_validate_checks_the_store_rules() -> None:
    store = https_store()

    async def work(m: WooCommerceMarketplace) -> list[str]:
        issues = await m.validate(draft("LOT,1"))
        return [issue.field for issue in issues]

    assert run(adapter(store, locale="fr"), work) == ["texts[fr]", "sku"]


def test_the_sync_facade_works_over_oauth() -> None:
    store = http_store()
    with SyncMarketplace(adapter(store)) as sync:
        assert sync.upsert(draft(), pictures()).active
        fetched = sync.fetch("WJ-TEST-1")
    assert fetched is not None
    assert fetched.price == Money("100.80", "CNY")  # 36.00 CNY per jin × 2.8 jin, one bird


def test_the_default_read_timeout_is_long() -> None:
    assert WOOCOMMERCE_TIMEOUT.read is not None
    assert WOOCOMMERCE_TIMEOUT.read >= 60
    assert WOOCOMMERCE_TIMEOUT.connect == 10.0


# --- secrets ----------------------------------------------------------------------------------


def test_credentials_stay_out_of_reprs_errors_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    store = https_store()
    shop = adapter(store)
    for secret in (KEY, SECRET, WP_USER, WP_PASSWORD):
        assert secret not in repr(shop)
        assert secret not in repr(shop.http)
    store.throttle_next(1, retry_after="0")
    store.lose_next("POST", PRODUCTS, "timeout")
    run(shop, lambda m: m.upsert(draft(), pictures()))
    errors: list[str] = []
    for bad in ({"consumer_secret": "cs_BAD_x1"}, {"media_password": "bad pass word"}):
        try:
            run(adapter(https_store(), **bad), lambda m: m.upsert(draft(), pictures()))
        except MarketplaceError as error:
            errors.append(str(error) + repr(error.headers))
    assert len(errors) == 2
    text = caplog.text + "".join(errors)
    for secret in (KEY, SECRET, WP_PASSWORD, "cs_BAD_x1", "bad pass word"):
        assert secret not in text


def test_over_http_the_secret_never_leaves_and_our_logs_hold_no_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    store = http_store()
    store.lose_next("POST", PRODUCTS, "timeout")
    run(adapter(store), lambda m: m.upsert(draft(), pictures()))
    assert SECRET not in caplog.text
    ours = "".join(r.getMessage() for r in caplog.records if r.name.startswith("ruralseller"))
    assert ours
    assert KEY not in ours


# --- only the change is sent ----------------------------------------------------------------


def test_only_the_change_is_sent() -> None:
    store = https_store()
    run(adapter(store), lambda m: m.upsert(draft(), pictures()))

    def writes(work: Callable[[WooCommerceMarketplace], Awaitable[Any]]) -> list[str]:
        start = len(store.calls)
        run(adapter(store), work)
        return [f"{method} {path}" for method, path in store.calls[start:] if method != "GET"]

    price = draft().price
    (stock_write,) = writes(lambda m: m.set_stock("WJ-TEST-1", 7, price))
    assert stock_write.startswith(f"PUT {PRODUCTS}/")
    assert len(writes(lambda m: m.set_stock("WJ-TEST-1", 7, Money("38.00", "CNY")))) == 1
    assert writes(lambda m: m.set_stock("WJ-TEST-1", 7, Money("38.00", "CNY"))) == []

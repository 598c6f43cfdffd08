"""The taobao adapter: signing, mapping, errors, throttling, lost answers, secrets.

Everything runs against the fake TOP gateway in ``fake_taobao.py`` (``httpx.MockTransport``);
nothing reaches Taobao.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import hmac
import io
import logging
import random
import time
from collections.abc import Callable, Iterator
from typing import Any, ClassVar
from urllib.parse import parse_qsl

import attrs
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from tests.marketplaces.fake_taobao import (
    APP_KEY,
    APP_SECRET,
    LEAF_CID,
    SESSION,
    FakeTaobao,
)

from ruralseller.catalog import Money, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import (
    InvalidValueError,
    ListingRejectedError,
    MarketplaceAuthError,
    MarketplaceConflictError,
    MarketplaceError,
    MarketplaceUnavailableError,
    RateLimitedError,
)
from ruralseller.listing import (
    Attribute,
    IssueSeverity,
    ListingDraft,
    ProcessedImage,
    generate_listing,
    get_profile,
    process_image,
)
from ruralseller.marketplaces import Marketplace, RetryPolicy, SyncMarketplace
from ruralseller.marketplaces.conformance import MarketplaceConformance
from ruralseller.marketplaces.secrets import Secret
from ruralseller.marketplaces.taobao import (
    TAOBAO_GATEWAY,
    TaobaoAuth,
    TaobaoMarketplace,
    item_add_params,
    item_location,
    item_update_params,
    sign,
    string_to_sign,
    top_error,
    top_timestamp,
)

# Not the production gateway: every adapter made for one (URL, app key) shares a token bucket,
# and the tests want theirs fast.
GATEWAY = "https://gw.fake-taobao.test/router/rest"
WRONG_SECRET = "wrong-secret-XYZ"  # noqa: S105 - made up, for the fake


async def _no_wait(_seconds: float) -> None:
    await asyncio.sleep(0)


class Sleeps:
    """Records the waits asked for, without waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_taobao(fake: FakeTaobao, **overrides: Any) -> TaobaoMarketplace:
    options: dict[str, Any] = {
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "session": SESSION,
        "cid": LEAF_CID,
        "base_url": GATEWAY,
        "retry": RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.02),
        "rate": 10_000.0,
        "transport": httpx.MockTransport(fake),
        "sleep": _no_wait,
    }
    return TaobaoMarketplace(**(options | overrides))


@functools.cache
def _sample() -> ListingDraft:
    return generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))


def sample_draft(sku: str = "WJ261120A", **changes: Any) -> ListingDraft:
    return attrs.evolve(_sample(), sku=sku, **changes)


@functools.cache
def _picture(index: int) -> ProcessedImage:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 900), (40 + 50 * index, 30, 30)).save(buffer, "PNG")
    spec = get_profile("taobao").images
    return process_image(buffer.getvalue(), spec, name=f"hen-{index}.png")


def pictures(count: int = 2) -> list[ProcessedImage]:
    """Pictures made to the taobao spec (made once: processing is the slow part)."""
    return [_picture(index) for index in range(count)]


def run(marketplace: TaobaoMarketplace, work: Callable[[TaobaoMarketplace], Any]) -> Any:
    """Run ``work(marketplace)`` on a fresh event loop, closing the adapter after."""

    async def main() -> Any:
        try:
            return await work(marketplace)
        finally:
            await marketplace.aclose()

    return asyncio.run(main())


# --- the shared conformance suite --------------------------------------------------------------

CONFORMANCE_FAKE = FakeTaobao()


class TestTaobaoConformance(MarketplaceConformance):
    """The shared suite against the fake gateway (its state outlives each fresh adapter)."""

    fake: ClassVar[FakeTaobao] = CONFORMANCE_FAKE
    written: ClassVar[set[str]] = set()

    @pytest.fixture(autouse=True, scope="class")
    @classmethod
    def _every_sku_once(cls) -> Iterator[None]:
        yield
        stored = [item["outer_id"] for item in cls.fake.items.values()]
        assert len(stored) == len(set(stored)), "a SKU was stored twice"
        assert set(stored) <= cls.written
        assert len(stored) >= 5

    def new_sku(self) -> str:
        sku = super().new_sku()
        type(self).written.add(sku)
        return sku

    def make_marketplace(self) -> Marketplace:
        return make_taobao(self.fake)

    def make_draft(self, sku: str) -> ListingDraft:
        return sample_draft(sku, stock=12)  # the suite's own draft, generated once

    def make_images(self, marketplace: Marketplace) -> list[ProcessedImage]:
        assert marketplace.profile.images == get_profile("taobao").images
        return pictures(2)


# --- signing -----------------------------------------------------------------------------------

DOCS_PARAMS = {"foo": "1", "bar": "2", "foo_bar": "3", "foobar": "4"}
RESEARCH_DIGESTS = {  # self-computed with secret "helloworld" (TOP publishes no digest)
    "md5": "5AAF1C690262A24768F5478B084C2C8A",
    "hmac": "E687005F819D6F9E6ED085311C8ACC75",
    "hmac-sha256": "339676BF36C50A8BD3D8F6B4A81B2F9AA614B05BFCFEBEFC169CB830D6B77D3B",
}


def test_the_signed_text_is_the_docs_example() -> None:
    assert string_to_sign(DOCS_PARAMS) == "bar2foo1foo_bar3foobar4"
    assert string_to_sign({**DOCS_PARAMS, "sign": "OLD"}) == "bar2foo1foo_bar3foobar4"


def test_the_digests_step_by_step() -> None:
    text, secret = b"bar2foo1foo_bar3foobar4", b"helloworld"
    # md5 wraps the secret around the text; the HMACs key with it and leave the text alone.
    by_hand = {
        "md5": hashlib.md5(secret + text + secret, usedforsecurity=False).hexdigest(),
        "hmac": hmac.new(secret, text, hashlib.md5).hexdigest(),
        "hmac-sha256": hmac.new(secret, text, hashlib.sha256).hexdigest(),
    }
    for method, digest in by_hand.items():
        assert digest.upper() == RESEARCH_DIGESTS[method]
        assert sign(DOCS_PARAMS, "helloworld", method) == RESEARCH_DIGESTS[method]  # type: ignore[arg-type]


def test_an_unknown_sign_method_is_refused() -> None:
    with pytest.raises(ValueError, match="sign method"):
        sign(DOCS_PARAMS, "helloworld", "sha1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="sign method"):
        TaobaoAuth(APP_KEY, Secret(APP_SECRET), Secret(SESSION), sign_method="sha1")  # type: ignore[arg-type]


param_names = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1)
param_dicts = st.dictionaries(param_names.filter(lambda n: n != "sign"), st.text(), min_size=1)
methods = st.sampled_from(["md5", "hmac", "hmac-sha256"])


@settings(max_examples=50)
@given(params=param_dicts, method=methods, seed=st.randoms())
def test_the_order_of_parameters_does_not_matter(
    params: dict[str, str], method: Any, seed: random.Random
) -> None:
    shuffled = list(params.items())
    seed.shuffle(shuffled)
    assert sign(dict(shuffled), "secret", method) == sign(params, "secret", method)


@settings(max_examples=50)
@given(params=param_dicts, method=methods, data=st.data())
def test_changing_any_parameter_changes_the_signature(
    params: dict[str, str], method: Any, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(sorted(params)))
    value = data.draw(st.text().filter(lambda v: v != params[name]))
    assert sign({**params, name: value}, "secret", method) != sign(params, "secret", method)
    assert sign(params, "secret", method) != sign(params, "other-secret", method)


def test_timestamps_are_china_time() -> None:
    assert top_timestamp(0) == "1970-01-01 08:00:00"


def _sent(auth: TaobaoAuth, **request: Any) -> httpx.Request:
    seen: list[httpx.Request] = []

    def gateway(sent: httpx.Request) -> httpx.Response:
        sent.read()
        seen.append(sent)
        return httpx.Response(200, json={})

    with httpx.Client(auth=auth, transport=httpx.MockTransport(gateway)) as client:
        client.post(GATEWAY, **request)
    return seen[0]


def test_the_auth_signs_the_form_body_and_keeps_the_url_clean() -> None:
    auth = TaobaoAuth(APP_KEY, Secret(APP_SECRET), Secret(SESSION), clock=lambda: 1764000000)
    sent = _sent(auth, data={"method": "taobao.items.custom.get", "outer_id": "HEN-1"})
    assert sent.url == GATEWAY  # nothing in the query: the session key never reaches a log
    params = dict(parse_qsl(sent.content.decode()))
    assert params["session"] == SESSION
    assert params["timestamp"] == "2025-11-25 00:00:00"
    assert (params["v"], params["format"], params["simplify"]) == ("2.0", "json", "true")
    assert params["sign_method"] == "hmac-sha256"
    text = "".join(k + params[k] for k in sorted(params) if k != "sign")
    expected = hmac.new(APP_SECRET.encode(), text.encode(), hashlib.sha256).hexdigest().upper()
    assert params["sign"] == expected


def test_pictures_are_sent_but_not_signed() -> None:
    auth = TaobaoAuth(APP_KEY, Secret(APP_SECRET), Secret(SESSION), sign_method="md5")
    picture = b"\xff\xd8\xff\xe0 a jpeg\r\n--not-a-boundary\r\n\x00\xff"
    sent = _sent(
        auth,
        data={"method": "taobao.item.img.upload", "num_iid": "7"},
        files={"image": ("hen.jpg", picture, "image/jpeg")},
    )
    assert sent.headers["content-type"].startswith("multipart/form-data")
    assert picture in sent.content
    fake = FakeTaobao()
    fake.items[7] = {"num_iid": 7, "outer_id": "HEN", "item_imgs": []}
    # The fake reads the multipart body on its own and checks the signature over the text only.
    answer = fake(sent)
    assert "error_response" not in answer.json(), answer.json()
    assert fake.received[-1]["sign_method"] == "md5"
    assert "image" not in fake.received[-1]
    url = fake.items[7]["item_imgs"][0]["url"]
    assert hashlib.sha256(picture).hexdigest()[:16] in url


@pytest.mark.parametrize("method", ["md5", "hmac", "hmac-sha256"])
def test_every_sign_method_is_accepted(method: Any) -> None:
    fake = FakeTaobao()
    sku = f"SIGN-{method}"
    state = run(make_taobao(fake, sign_method=method), lambda m: m.upsert(sample_draft(sku)))
    assert state.active
    assert {params["sign_method"] for params in fake.received} == {method}


def test_a_retry_gets_a_fresh_timestamp_and_signature() -> None:
    fake = FakeTaobao()
    fake.throttle(times=1, ban_seconds=3)
    ticks = iter(range(0, 1000, 5))
    sleeps = Sleeps()
    taobao = make_taobao(fake, clock=lambda: time.time() + next(ticks), sleep=sleeps)
    assert run(taobao, lambda m: m.fetch("NOBODY")) is None
    first, second = fake.received
    assert first["timestamp"] != second["timestamp"]
    assert first["sign"] != second["sign"]
    assert sleeps.waits
    assert sleeps.waits[0] >= 3  # the ban time TOP gave


# --- mapping -----------------------------------------------------------------------------------


def test_item_add_params_of_the_sample() -> None:
    draft = sample_draft()
    params = item_add_params(draft, cid=LEAF_CID)
    text = draft.text("zh-CN")
    assert params == {
        "method": "taobao.item.add",
        "type": "fixed",
        "title": text.title,
        "desc": text.description_html,
        "num": "40",
        "price": "100.80",  # one bird: 36.00 CNY per jin × 2.8 jin, the lot's heaviest bird
        "stuff_status": "new",
        "location.state": "江西",
        "location.city": "吉安",
        "cid": str(LEAF_CID),
        "outer_id": "WJ261120A",
        "food_security.factory": "吴家乌鸡养殖场",
        "food_security.factory_site": "江西省吉安市泰和县武山镇汪陂村",
        "food_security.plan_storage": "0~4 °C 冷藏",
        "food_security.period": "5",
        "food_security.product_date_start": "2026-11-20",
        "food_security.product_date_end": "2026-11-20",
        "approve_status": "onsale",
    }


def test_the_default_gateway_is_tops_https_one() -> None:
    assert TAOBAO_GATEWAY == "https://eco.taobao.com/router/rest"
    adapter = TaobaoMarketplace(
        app_key=APP_KEY, app_secret=APP_SECRET, session=SESSION, cid=LEAF_CID
    )
    assert adapter.base_url == TAOBAO_GATEWAY


def test_food_security_takes_the_licence_and_the_drafts_own_fields() -> None:
    draft = attrs.evolve(
        sample_draft(),
        extra={"taobao": {"food_security": {"contact": "0796-5300000", "mix": ""}}},
    )
    params = item_add_params(draft, cid=LEAF_CID, licence_no="SC10436082600012")
    assert params["food_security.prd_license_no"] == "SC10436082600012"
    assert params["food_security.contact"] == "0796-5300000"
    assert "food_security.mix" not in params  # empty: not sent
    bad = attrs.evolve(sample_draft(), extra={"taobao": {"food_security": {"colour": "x"}}})
    with pytest.raises(InvalidValueError, match=r"taobao has no food_security\.colour"):
        item_add_params(bad, cid=LEAF_CID)
    live = attrs.evolve(sample_draft(), kind="live_birds")
    assert not [k for k in item_add_params(live, cid=LEAF_CID) if k.startswith("food_")]


def test_processed_food_without_a_licence_number_is_warned_about() -> None:
    cured = attrs.evolve(sample_draft(), kind="cured_meat")
    adapter = TaobaoMarketplace(
        app_key=APP_KEY, app_secret=APP_SECRET, session=SESSION, cid=LEAF_CID
    )
    issues = asyncio.run(adapter.validate(cured))
    (issue,) = [i for i in issues if i.field == "food_security.prd_license_no"]
    assert issue.severity is IssueSeverity.WARNING
    licensed = TaobaoMarketplace(
        app_key=APP_KEY, app_secret=APP_SECRET, session=SESSION, cid=LEAF_CID, food_licence_no="SC1"
    )
    issues = asyncio.run(licensed.validate(cured))
    assert not [i for i in issues if i.field == "food_security.prd_license_no"]


def test_empty_parameters_are_neither_sent_nor_signed() -> None:
    seen: list[httpx.Request] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"time_get_response": {}})

    auth = TaobaoAuth(APP_KEY, Secret(APP_SECRET), Secret(SESSION), clock=lambda: 1764000000)
    with httpx.Client(auth=auth, transport=httpx.MockTransport(gateway)) as client:
        client.post(GATEWAY, data={"method": "taobao.time.get", "props": "", "num": "3"})
    form = dict(parse_qsl(seen[0].content.decode(), keep_blank_values=True))
    assert "props" not in form
    assert form["num"] == "3"
    assert form["sign"] == sign({k: v for k, v in form.items() if k != "sign"}, APP_SECRET)


def test_item_update_params_set_every_field_again() -> None:
    params = item_update_params(
        sample_draft(), "601", cid=LEAF_CID, props="20000:3275069", location=("浙江", "杭州")
    )
    assert params["method"] == "taobao.item.update"
    assert params["num_iid"] == "601"
    assert params["props"] == "20000:3275069"
    assert (params["location.state"], params["location.city"]) == ("浙江", "杭州")
    assert "type" not in params
    assert "approve_status" not in params


def _with_origin(raw: str | None) -> ListingDraft:
    draft = sample_draft()
    texts = {
        locale: attrs.evolve(
            text,
            attributes=[
                a if a.key != "origin" else Attribute("origin", a.label, a.value, raw)
                for a in text.attributes
            ],
        )
        for locale, text in draft.texts.items()
    }
    return attrs.evolve(draft, texts=texts)


@pytest.mark.parametrize(
    ("raw", "location"),
    [
        ("江西省 吉安市 泰和县 武山镇 汪陂村, CN", ("江西", "吉安")),
        ("北京市 延庆区 井庄镇, CN", ("北京", "北京")),
        ("广西壮族自治区 河池市 巴马瑶族自治县, CN", ("广西", "河池")),
        ("新疆维吾尔自治区 吐鲁番市, CN", ("新疆", "吐鲁番")),
    ],
)
def test_the_location_comes_from_the_origin(raw: str, location: tuple[str, str]) -> None:
    assert item_location(_with_origin(raw)) == location


@pytest.mark.parametrize("raw", [None, "Bavaria Munich, DE", "江西省, CN", "CN"])
def test_an_unusable_origin_is_an_error_with_a_hint(raw: str | None) -> None:
    with pytest.raises(InvalidValueError) as caught:
        item_location(_with_origin(raw))
    assert caught.value.field == "origin"
    assert caught.value.hint


def test_only_cny_in_whole_fen() -> None:
    with pytest.raises(InvalidValueError, match="CNY"):
        item_add_params(sample_draft(price=Money("5.00", "USD")), cid=LEAF_CID)
    with pytest.raises(InvalidValueError, match="fen"):
        item_add_params(sample_draft(price=Money("36.005", "CNY")), cid=LEAF_CID)


def test_the_category_comes_from_config_or_the_draft() -> None:
    fake = FakeTaobao()
    without = make_taobao(fake, cid=None)
    with pytest.raises(InvalidValueError, match="cid"):
        without.item_params(sample_draft())
    own = sample_draft(extra={"taobao": {"cid": 123, "props": "1:2"}})
    assert without.item_params(own)["cid"] == "123"
    assert without.item_params(own)["props"] == "1:2"
    issues = asyncio.run(without.validate(sample_draft()))
    assert [i.field for i in issues if i.severity is IssueSeverity.ERROR] == ["extra.taobao.cid"]
    asyncio.run(without.aclose())


def test_validate_finds_a_missing_location() -> None:
    taobao = make_taobao(FakeTaobao())
    assert not [
        i for i in asyncio.run(taobao.validate(sample_draft())) if i.severity.value == "error"
    ]
    issues = asyncio.run(taobao.validate(_with_origin("Bavaria Munich, DE")))
    assert "origin" in [i.field for i in issues]
    asyncio.run(taobao.aclose())


# --- errors ------------------------------------------------------------------------------------


def _top(body: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json={"error_response": {"request_id": "r1", **body}})


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ({"code": 7, "msg": "App Call Limited"}, RateLimitedError),
        ({"code": 15, "sub_code": "isp.call-limited", "sub_msg": "流控"}, RateLimitedError),
        ({"code": 25, "msg": "Invalid Signature"}, MarketplaceAuthError),
        ({"code": 27, "msg": "Invalid Session"}, MarketplaceAuthError),
        ({"code": 11, "msg": "Insufficient ISV Permissions"}, MarketplaceAuthError),
        ({"code": 31, "msg": "Invalid Timestamp"}, MarketplaceAuthError),
        ({"code": 10, "msg": "Service Currently Unavailable"}, MarketplaceUnavailableError),
        (
            {"code": 15, "sub_code": "isp.remote-service-timeout", "sub_msg": "timeout"},
            MarketplaceUnavailableError,
        ),
        ({"code": 15, "sub_code": "isv.item-not-exist", "sub_msg": "不存在"}, MarketplaceError),
        ({"code": 41, "msg": "Invalid Arguments"}, ListingRejectedError),
    ],
)
def test_top_errors_map_onto_our_tree(body: dict[str, Any], kind: type[Exception]) -> None:
    error = top_error(_top(body))
    assert type(error) is kind
    assert error is not None
    assert error.request_id == "r1"
    assert str(body["code"]) in str(error.code)


def test_a_ban_time_becomes_retry_after() -> None:
    body = {
        "code": 7,
        "msg": "App Call Limited",
        "sub_code": "accesscontrol.limited-by-app-access-count",
        "sub_msg": "This ban will last for 71 more seconds",
    }
    error = top_error(_top(body))
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 71
    assert "wait 71 s" in str(error)


def test_an_invalid_parameter_names_the_field() -> None:
    body = {
        "code": 15,
        "msg": "Remote service error",
        "sub_code": "isv.invalid-parameter:location.city",
        "sub_msg": "所在地城市错误",
    }
    error = top_error(_top(body))
    assert isinstance(error, ListingRejectedError)
    assert error.field_errors == {"location.city": "所在地城市错误"}
    assert "location.city" in str(error)


def test_a_success_is_no_error() -> None:
    assert top_error(httpx.Response(200, json={"item": {"num_iid": 1}})) is None
    assert top_error(httpx.Response(200, text="<html>")) is None


def test_an_echoed_secret_is_redacted() -> None:
    body = {"code": 27, "msg": "Invalid Session", "sub_msg": f"session {SESSION} expired"}
    error = top_error(_top(body), secrets=[Secret(SESSION)])
    assert error is not None
    assert SESSION not in str(error)


def test_a_wrong_secret_or_session_is_an_auth_error_without_the_secret() -> None:
    for overrides in ({"app_secret": "not-the-secret"}, {"session": "6100expired"}):
        taobao = make_taobao(FakeTaobao(), **overrides)
        with pytest.raises(MarketplaceAuthError) as caught:
            run(taobao, lambda m: m.fetch("HEN"))
        for secret in (*overrides.values(), APP_SECRET, SESSION):
            assert secret not in str(caught.value)
            assert secret not in repr(caught.value.headers)


def test_a_clock_more_than_ten_minutes_off_is_refused() -> None:
    taobao = make_taobao(FakeTaobao(), clock=lambda: time.time() - 11 * 60)
    with pytest.raises(MarketplaceAuthError, match="clock"):
        run(taobao, lambda m: m.fetch("HEN"))
    nine_off = make_taobao(FakeTaobao(), clock=lambda: time.time() - 9 * 60)
    assert run(nine_off, lambda m: m.fetch("HEN")) is None


def test_the_marketplace_rejects_a_long_title_with_the_field() -> None:
    long = {k: attrs.evolve(t, title="乌" * 31) for k, t in sample_draft().texts.items()}
    taobao = make_taobao(FakeTaobao())
    with pytest.raises(ListingRejectedError) as caught:
        run(taobao, lambda m: m.upsert(sample_draft(texts=long)))
    assert list(caught.value.field_errors) == ["title"]
    assert caught.value.status == 200
    assert caught.value.code == "15:isv.invalid-parameter:title"


# --- throttling --------------------------------------------------------------------------------


def test_a_throttle_is_waited_out_and_retried() -> None:
    fake = FakeTaobao()
    fake.throttle(times=2, ban_seconds=2)
    sleeps = Sleeps()
    state = run(make_taobao(fake, sleep=sleeps), lambda m: m.upsert(sample_draft("THR-1")))
    assert state.active
    assert sleeps.waits == [2.0, 2.0]  # the ban time TOP gave, each time
    assert len(fake.by_outer_id("THR-1")) == 1


def test_a_long_ban_is_raised_for_the_outbox() -> None:
    fake = FakeTaobao()
    fake.throttle(times=1, ban_seconds=600)
    sleeps = Sleeps()
    with pytest.raises(RateLimitedError) as caught:
        run(make_taobao(fake, sleep=sleeps), lambda m: m.fetch("HEN"))
    assert caught.value.retry_after == 600
    assert sleeps.waits == []


# --- never twice -------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["timeout", "503", "isp"])
def test_a_lost_create_answer_never_makes_a_second_item(how: str) -> None:
    fake = FakeTaobao()
    fake.lose("taobao.item.add", how=how)
    sku = f"LOST-{how}"
    state = run(make_taobao(fake), lambda m: m.upsert(sample_draft(sku), pictures(2)))
    assert state.active
    assert len(fake.by_outer_id(sku)) == 1
    assert fake.performed.count("taobao.item.add") == 1
    assert len(state.images) == 2


def test_a_lost_picture_answer_never_adds_it_twice() -> None:
    fake = FakeTaobao()
    fake.lose("taobao.item.img.upload", how="timeout")
    images = pictures(3)
    state = run(make_taobao(fake), lambda m: m.upsert(sample_draft("LOST-PIC"), images))
    assert len(state.images) == 3
    for image, url in zip(images, state.images, strict=True):
        assert image.sha256[:16] in url


def test_an_item_create_is_retried_when_the_lookup_finds_nothing() -> None:
    fake = FakeTaobao()
    real = fake.__call__

    def refuse_first_add(request: httpx.Request) -> httpx.Response:
        request.read()
        if "taobao.item.add" in request.content.decode(errors="replace") and not fake.performed:
            return httpx.Response(503, text="busy")  # refused before doing anything
        return real(request)

    taobao = make_taobao(fake, transport=httpx.MockTransport(refuse_first_add))
    state = run(taobao, lambda m: m.upsert(sample_draft("RETRY-ADD")))
    assert state.active
    assert fake.performed.count("taobao.item.add") == 1


# --- the rest of the lifecycle -----------------------------------------------------------------


def test_withdraw_then_upsert_lists_it_again() -> None:
    fake = FakeTaobao()

    async def work(m: TaobaoMarketplace) -> tuple[Any, ...]:
        await m.upsert(sample_draft("RELIST"))
        gone = await m.withdraw("RELIST")
        back = await m.upsert(sample_draft("RELIST", stock=5))
        return gone, back

    gone, back = run(make_taobao(fake), work)
    assert gone.state == "withdrawn"
    assert back.active
    assert back.stock == 5
    assert "taobao.item.update.listing" in fake.performed


def test_set_stock_alone_uses_the_quantity_call() -> None:
    fake = FakeTaobao()

    async def work(m: TaobaoMarketplace) -> Any:
        await m.upsert(sample_draft("STOCK"))
        return await m.set_stock("STOCK", 7)

    state = run(make_taobao(fake), work)
    assert state.stock == 7
    assert state.price == Money("100.80", "CNY")  # the listed price of one bird, kept
    assert fake.performed[-2:] == ["taobao.item.quantity.update", "taobao.items.custom.get"]


def test_changing_an_unknown_sku_says_to_publish_first() -> None:
    with pytest.raises(MarketplaceError, match="publish it first"):
        run(make_taobao(FakeTaobao()), lambda m: m.set_stock("NOBODY", 1))


def test_two_items_with_one_sku_are_a_conflict() -> None:
    fake = FakeTaobao()
    for num_iid in (1, 2):
        fake.items[num_iid] = {"num_iid": num_iid, "outer_id": "TWIN", "item_imgs": []}
    with pytest.raises(MarketplaceConflictError, match="2 items"):
        run(make_taobao(fake), lambda m: m.fetch("TWIN"))


def test_fetch_reads_the_unsimplified_shape_too() -> None:
    item = {
        "num_iid": 9,
        "outer_id": "OLD",
        "num": 3,
        "price": "12.50",
        "approve_status": "instock",
        "item_imgs": {"item_img": [{"id": 1, "url": "https://img/b.jpg", "position": 1}]},
    }

    def gateway(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"items_custom_get_response": {"items": {"item": [item]}}})

    state = run(
        make_taobao(FakeTaobao(), transport=httpx.MockTransport(gateway)), lambda m: m.fetch("OLD")
    )
    assert state.state == "withdrawn"
    assert state.price == Money("12.50", "CNY")
    assert state.images == ("https://img/b.jpg",)
    assert state.extra["num_iid"] == "9"


# --- secrets -----------------------------------------------------------------------------------


def test_secrets_stay_out_of_reprs_errors_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeTaobao()
    fake.throttle(times=1, ban_seconds=1)
    taobao = make_taobao(fake)
    assert APP_SECRET not in repr(taobao)
    assert SESSION not in repr(taobao)
    assert SESSION not in repr(taobao.http.client.auth)
    bad = make_taobao(FakeTaobao(), app_secret=WRONG_SECRET)
    long = {k: attrs.evolve(t, title="乌" * 31) for k, t in sample_draft().texts.items()}
    errors: list[Exception] = []
    with caplog.at_level(logging.DEBUG):
        run(taobao, lambda m: m.upsert(sample_draft("SECRET"), pictures(1)))
        for marketplace, work in (
            (bad, lambda m: m.fetch("SECRET")),
            (make_taobao(fake), lambda m: m.upsert(sample_draft("SECRET-2", texts=long))),
        ):
            with pytest.raises(MarketplaceError) as caught:
                run(marketplace, work)
            errors.append(caught.value)
    assert caplog.records  # httpx and our retries did log
    shown = caplog.text + "".join(f"{e!s}{e!r}{e.headers}" for e in errors)
    for secret in (APP_SECRET, SESSION, WRONG_SECRET):
        assert secret not in shown


def test_the_sync_facade_works_with_taobao() -> None:
    fake = FakeTaobao()
    with SyncMarketplace(make_taobao(fake)) as sync:
        assert sync.upsert(sample_draft("SYNC")).active
        assert sync.withdraw("SYNC").state == "withdrawn"


def test_a_draft_that_cannot_be_mapped_fails_before_any_call() -> None:
    fake = FakeTaobao()
    with pytest.raises(InvalidValueError, match="CNY"):
        run(make_taobao(fake), lambda m: m.upsert(sample_draft(price=Money("5.00", "USD"))))
    assert fake.received == []


# --- only the change is sent ----------------------------------------------------------------

_TOP_WRITES = ("item.add", "item.update", "item.quantity.update", "item.img.upload")


def test_only_the_change_is_sent() -> None:
    fake = FakeTaobao()
    run(make_taobao(fake), lambda m: m.upsert(sample_draft(), pictures()))

    def writes(work: Callable[[TaobaoMarketplace], Any]) -> list[str]:
        start = len(fake.performed)
        run(make_taobao(fake), work)
        return [
            m.removeprefix("taobao.")
            for m in fake.performed[start:]
            if m.removeprefix("taobao.") in _TOP_WRITES
        ]

    price = sample_draft().price
    assert writes(lambda m: m.set_stock("WJ261120A", 7, price)) == ["item.quantity.update"]
    assert writes(lambda m: m.set_stock("WJ261120A", 7, Money("38.00", "CNY"))) == ["item.update"]
    assert writes(lambda m: m.set_stock("WJ261120A", 7, Money("38.00", "CNY"))) == []
    assert writes(lambda m: m.set_stock("WJ261120A", 9)) == ["item.quantity.update"]

"""Any answer of an unexpected shape is a clear MarketplaceError, never a KeyError.

A marketplace can answer 200 with a body that lacks what the adapter reads (Shopee without
``response``, WooCommerce without ``id``), with a list where an object was expected, or with
something that is not JSON. Each built-in adapter, made with plausible settings, meets such
answers on every request; whatever it does, what comes out is ``None`` (nothing found) or a
``RuralSellerError``, so the publishing job that called it is released, never left in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import io
from collections.abc import Callable
from typing import Any

import attrs
import httpx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ruralseller.catalog import Money, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.cli._app import cli
from ruralseller.errors import MarketplaceError, RuralSellerError
from ruralseller.listing import ListingDraft, ProcessedImage, generate_listing, process_image
from ruralseller.marketplaces import RetryPolicy, get_marketplace
from ruralseller.publishing import JobState, Outbox, Publisher

_FAST = RetryPolicy(max_attempts=1)

# Plausible settings for each built-in adapter (every credential made up).
SETTINGS: dict[str, dict[str, Any]] = {
    "sandbox": {"base_url": "https://sandbox.test", "key_id": "k", "secret": "s"},
    "shopee": {
        "partner_id": 2001887,
        "partner_key": "pk",
        "shop_id": 14701711,
        "access_token": "at",
        "category_id": 100629,
        "logistic_ids": [18028],
        "region": "SG",
        "base_url": "https://shopee.test",
    },
    "woocommerce": {
        "base_url": "https://shop.test",
        "consumer_key": "ck_x",
        "consumer_secret": "cs_x",
    },
    "shopify": {"shop": "hens", "access_token": "shpat_x", "base_url": "https://hens.test"},
    "taobao": {
        "app_key": "1234",
        "app_secret": "s",
        "session": "t",
        "cid": 50050359,
        "base_url": "https://top.test/router/rest",
    },
    "etsy": {
        "shop_id": 1,
        "keystring": "k",
        "shared_secret": "s",
        "refresh_token": "1.r",
        "access_token": "1.a",
        "taxonomy_id": 1047,
        "shipping_profile_id": 2,
        "readiness_state_id": 3,
        "base_url": "https://etsy.test",
    },
    "amazon": {
        "seller_id": "A1",
        "client_id": "c",
        "client_secret": "s",
        "refresh_token": "r",
        "base_url": "https://sp.test",
        "token_url": "https://sp.test/auth/o2/token",
        "image_base_url": "https://img.test",
        "schema_check": False,
    },
    "ebay": {
        "client_id": "c",
        "client_secret": "s",
        "refresh_token": "r",
        "category_id": "177771",
        "merchant_location_key": "taihe",
        "fulfillment_policy_id": "1",
        "payment_policy_id": "2",
        "return_policy_id": "3",
        "image_base_url": "https://img.test",
        "base_url": "https://ebay.test",
    },
}

BODIES: list[Callable[[], httpx.Response]] = [
    lambda: httpx.Response(200, json={}),
    lambda: httpx.Response(200, json=[]),
    lambda: httpx.Response(200, json={"response": None, "data": None, "error": ""}),
    lambda: httpx.Response(200, json={"results": [{}], "count": 1, "items": [{}]}),
    lambda: httpx.Response(200, text="<html>gateway</html>"),
    lambda: httpx.Response(200, json={"access_token": "a", "expires_in": 3600}),
]


@functools.cache
def _draft() -> ListingDraft:
    draft = generate_listing(load_catalog(sample_path()), "WJ261120A", on=dt.date(2026, 11, 21))
    return attrs.evolve(draft, stock=5)


@functools.cache
def _pictures() -> tuple[ProcessedImage, ...]:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 1200), (80, 30, 30)).save(buffer, "JPEG")
    from ruralseller.listing import get_profile  # noqa: PLC0415

    return (process_image(buffer.getvalue(), get_profile("sandbox").images, name="hen.jpg"),)


def _draft_for(name: str) -> ListingDraft:
    prices = {
        "shopee": Money("9.90", "SGD"),
        "amazon": Money("18.00", "USD"),
        "ebay": Money("18.00", "USD"),
        "etsy": Money("18.00", "USD"),
    }
    return attrs.evolve(_draft(), price=prices.get(name, _draft().price))


async def _no_wait(_seconds: float) -> None:
    return None


def _call(name: str, answer: Callable[[], httpx.Response], work: str) -> Any:
    async def main() -> Any:
        adapter = get_marketplace(
            name,
            **SETTINGS[name],
            transport=httpx.MockTransport(lambda _request: answer()),
            retry=_FAST,
            sleep=_no_wait,
        )
        try:
            if work == "upsert":
                return await adapter.upsert(_draft_for(name), _pictures())
            if work == "set_stock":
                return await adapter.set_stock("WJ261120A", 3, _draft_for(name).price)
            if work == "withdraw":
                return await adapter.withdraw("WJ261120A")
            return await adapter.fetch("WJ261120A")
        finally:
            await adapter.aclose()

    return asyncio.run(main())


@pytest.mark.parametrize("name", sorted(SETTINGS))
@pytest.mark.parametrize("work", ["upsert", "set_stock", "withdraw", "fetch"])
@pytest.mark.parametrize("body", range(len(BODIES)))
def test_an_odd_answer_is_a_clear_error_or_nothing_found(name: str, work: str, body: int) -> None:
    try:
        result = _call(name, BODIES[body], work)
    except RuralSellerError:
        return  # a clear error: what we want
    # Nothing raised: only "nothing found" or a real state may come back.
    assert result is None or hasattr(result, "state")


@settings(max_examples=30, deadline=None)
@given(
    body=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(["response", "id", "data", "results", "item", "item_id"]),
                inner,
                max_size=3,
            )
        ),
        max_leaves=8,
    ),
    name=st.sampled_from(["shopee", "woocommerce", "taobao", "shopify"]),
)
def test_any_json_answer_never_escapes_as_a_python_error(body: Any, name: str) -> None:
    with contextlib.suppress(RuralSellerError):
        _call(name, lambda: httpx.Response(200, json=body), "upsert")


def test_shopee_without_response_names_the_missing_field() -> None:
    with pytest.raises(MarketplaceError) as caught:
        _call(
            "shopee",
            lambda: httpx.Response(200, json={"error": "", "message": "", "request_id": "r"}),
            "set_stock",
        )
    assert caught.value.marketplace == "shopee"
    assert caught.value.code == "unexpected_answer"  # not "no item": nothing was learnt
    assert "without its 'response' object" in str(caught.value)


def test_woocommerce_without_id_is_a_marketplace_error() -> None:
    with pytest.raises(MarketplaceError) as caught:
        _call("woocommerce", lambda: httpx.Response(200, json={"name": "hen"}), "set_stock")
    assert caught.value.code == "unexpected_answer"
    assert isinstance(caught.value.__cause__, LookupError | TypeError)


@pytest.mark.parametrize("marketplace", ["amazon", "ebay"])
def test_a_bad_image_base_url_is_a_clear_cli_error(marketplace: str, tmp_path: Any) -> None:
    config = [f"-o{key}={value}" for key, value in SETTINGS[marketplace].items()]
    config = [c for c in config if not c.startswith("-oimage_base_url=")]
    result = CliRunner().invoke(
        cli,
        [
            "publish",
            str(sample_path()),
            "--to",
            marketplace,
            "--outbox",
            str(tmp_path / "outbox.db"),
            "--price",
            "WE261118=5.20 USD",
            *config,
            "-oimage_base_url=http://img.example",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "image_base_url" in result.output
    assert "https" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_publishing_job_is_released_not_left_in_flight(store_target: str) -> None:
    outbox = Outbox(store_target)
    adapter = get_marketplace(
        "woocommerce",
        **SETTINGS["woocommerce"],
        transport=httpx.MockTransport(lambda _r: httpx.Response(200, json=[{"sku": 1}])),
        retry=_FAST,
        sleep=_no_wait,
    )

    async def main() -> Any:
        try:
            return await Publisher(outbox, adapter).publish([(_draft(), list(_pictures()))])
        finally:
            await adapter.aclose()

    report = asyncio.run(main())
    assert [r.outcome for r in report.results] == ["retry_later"]
    assert outbox.jobs(JobState.IN_FLIGHT) == []
    (job,) = outbox.jobs(JobState.FAILED_RETRYABLE)
    assert "did not expect" in (job.last_error or "")

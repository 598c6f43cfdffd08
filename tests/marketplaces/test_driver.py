"""The Driver base: settings with errors that name them, the wiring once, no secret shown."""

from __future__ import annotations

import asyncio

import attrs
import httpx
import pytest

from ruralseller.errors import InvalidValueError
from ruralseller.marketplaces import Capabilities, Secret, get_marketplace, settings_from_text
from ruralseller.marketplaces.driver import Driver, settings_converter, structure_settings
from ruralseller.marketplaces.etsy import EtsyMarketplace, EtsySettings
from ruralseller.marketplaces.sandbox import SandboxMarketplace

ETSY = {
    "shop_id": "31415926",
    "keystring": "ks-visible-nowhere",
    "shared_secret": "ss-visible-nowhere",
    "refresh_token": "rt-visible-nowhere",
    "shipping_profile_id": "555",
}


def test_text_settings_are_structured_as_the_settings_class_says() -> None:
    etsy = get_marketplace("etsy", **ETSY)
    assert isinstance(etsy, EtsyMarketplace)
    assert etsy.settings.shop_id == 31415926
    assert etsy.settings.shipping_profile_id == 555
    assert isinstance(etsy.settings.keystring, Secret)
    asyncio.run(etsy.aclose())


def test_every_bad_setting_is_named_with_how_to_fix_it() -> None:
    with pytest.raises(InvalidValueError, match="shop_id") as caught:
        EtsyMarketplace(**{**ETSY, "shop_id": "twelve"})
    assert caught.value.field == "shop_id"
    assert "-o KEY=VALUE" in caught.value.hint
    missing = {k: v for k, v in ETSY.items() if k != "keystring"}
    with pytest.raises(InvalidValueError, match="keystring"):
        EtsyMarketplace(**missing)
    with pytest.raises(InvalidValueError, match="did you mean 'shop_id'"):
        EtsyMarketplace(**ETSY, shopid=1)


def test_the_repr_shows_settings_and_never_a_secret() -> None:
    etsy = EtsyMarketplace(**ETSY)
    text = repr(etsy)
    assert text == "EtsyMarketplace(shop_id=31415926, base_url='https://api.etsy.com')"
    for value in ETSY.values():
        if "visible" in value:
            assert value not in text
            assert value not in repr(etsy.settings)
    asyncio.run(etsy.aclose())


def test_the_wiring_is_the_drivers_and_a_transport_can_be_given() -> None:
    seen: list[httpx.Request] = []

    def shop(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404, json={"error": "Listing not found"})

    sandbox = get_marketplace(
        "sandbox", base_url="http://sandbox.test", rate=3, transport=httpx.MockTransport(shop)
    )
    assert isinstance(sandbox, SandboxMarketplace)
    assert sandbox.rate == 3.0
    assert sandbox.profile.name == "sandbox"
    assert asyncio.run(sandbox.fetch("HEN-1")) is None
    assert seen
    assert seen[0].url.host == "sandbox.test"
    assert "Idempotency-Key" not in seen[0].headers  # a read carries none
    asyncio.run(sandbox.aclose())
    local = SandboxMarketplace("http://127.0.0.1:9")
    assert repr(local) == "SandboxMarketplace(base_url='http://127.0.0.1:9', key_id='demo')"
    asyncio.run(local.aclose())


def test_settings_from_text_checks_a_drivers_settings() -> None:
    assert settings_from_text("etsy", {**ETSY, "rate": "2"})["rate"] == 2.0
    with pytest.raises(InvalidValueError, match="did you mean 'rate'"):
        settings_from_text("etsy", {**ETSY, "rat": "2"})


def test_the_converter_reads_text_as_python() -> None:
    converter = settings_converter()
    assert converter.structure("yes", bool) is True
    assert converter.structure("0", bool) is False
    assert converter.structure("80001, 80002", tuple[int, ...]) == (80001, 80002)
    with pytest.raises(ValueError, match="not yes or no"):
        converter.structure("perhaps", bool)


def test_writing_a_driver_is_settings_and_hooks() -> None:
    @attrs.frozen(kw_only=True)
    class CoopSettings:
        api_key: Secret
        base_url: str = "https://coop.test"

    class Coop(Driver[CoopSettings]):
        name = "coop"
        capabilities = Capabilities()
        settings_class = CoopSettings
        profile_name = "sandbox"

    coop = Coop(api_key="k-1")
    assert coop.secrets() == [Secret("k-1")]
    assert coop.http.client.base_url.host == "coop.test"
    assert structure_settings(CoopSettings, {"api_key": "x"}, name="coop").base_url.endswith(
        "coop.test"
    )
    with pytest.raises(TypeError, match="takes its settings by name"):
        Coop("k-1")
    asyncio.run(coop.aclose())
    assert (
        EtsySettings(
            shop_id=1, keystring=Secret("a"), shared_secret=Secret("b"), refresh_token=Secret("c")
        ).base_url
        == "https://api.etsy.com"
    )

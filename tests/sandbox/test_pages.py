from __future__ import annotations

import datetime as dt
import re
from typing import Any

import httpx
import pytest
from tests.sandbox.conftest import IMAGE_NAMES, SKU, picture

from ruralseller.catalog import converter
from ruralseller.listing import ShippingPromise
from ruralseller.sandbox.pages import _LABELS


def publish(client: httpx.Client, data: dict[str, Any]) -> None:
    assert client.put(f"/v1/listings/{data['sku']}", json=data).status_code in {200, 201}
    for name in IMAGE_NAMES:
        client.put(
            f"/v1/listings/{data['sku']}/images/{name}",
            content=picture(),
            headers={"Content-Type": "image/jpeg"},
        )
    assert client.post(f"/v1/listings/{data['sku']}/publish").status_code == 200


@pytest.fixture
def shipped(draft_data: dict[str, Any]) -> dict[str, Any]:
    promise = ShippingPromise(
        temperature_class="chilled",
        regions=("南昌", "Shanghai"),
        dispatch_days=("Mon", "Thu"),
        handling=dt.timedelta(days=1),
    )
    draft_data["shipping"] = converter("json").unstructure(promise)
    return draft_data


def test_the_page_shows_the_listing(
    client: httpx.Client, anonymous: httpx.Client, shipped: dict[str, Any]
) -> None:
    publish(client, shipped)
    page = anonymous.get(f"/listings/{SKU}")
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    html = page.text
    assert '<html lang="zh-CN">' in html  # the seller's first language
    assert "<h1>泰和乌鸡 整只 冰鲜 1-1.4 kg/只</h1>" in html
    assert '<span class="price">¥100.80/只</span>' in html  # one bird, at its upper weight
    assert "(¥36.00/斤, 按 1.4 kg 计价, 称重后多退少补)" in html  # by weight, with the policy
    assert "山里散养 150 天以上的泰和乌鸡" in html  # the description
    assert "<tr><th>品种</th><td>Taihe silkie (泰和乌鸡)</td></tr>" in html
    assert "<li>地理标志产品 (泰和乌鸡 地理标志保护产品 (GB/T 21004))</li>" in html
    for name in IMAGE_NAMES:
        assert f'<img src="/images/{SKU}/{name}"' in html
    assert "运输温度: 冷藏" in html
    assert "配送地区: 南昌, Shanghai" in html
    assert "发货日: 周一, 周四" in html
    assert "库存: 40" in html
    assert "江西省吉安市泰和县武山镇汪陂村" in html
    assert 'href="https://id.gs1.org/01/99526000160017/10/WJ261120A?17=261125"' in html
    assert '<a href="?lang=en" hreflang="en" lang="en">English</a>' in html
    index = anonymous.get("/").text
    assert f'href="/listings/{SKU}"' in index


def visible_text(html: str) -> str:
    """The words a buyer reads: the body, less its tags (and less the head's title)."""
    return re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[1])


@pytest.mark.parametrize("language", ["zh", "en", "es", "pt"])
def test_every_label_comes_from_the_pages_language(language: str) -> None:
    assert set(_LABELS[language]) == set(_LABELS["en"])


def test_one_language_at_a_time(
    client: httpx.Client, anonymous: httpx.Client, shipped: dict[str, Any]
) -> None:
    publish(client, shipped)
    chinese = visible_text(anonymous.get(f"/listings/{SKU}").text)
    english = visible_text(anonymous.get(f"/listings/{SKU}", params={"lang": "en"}).text)
    for key, label in _LABELS["en"].items():
        if key == "per_unit":
            continue
        assert label not in chinese, f"the Chinese page shows the English label {label!r}"
        assert _LABELS["zh"][key] not in english
    assert "Taihe black-bone silkie chicken, whole, chilled, 1-1.4 kg each" in english
    assert "CN¥100.80 per bird" in english
    assert "Delivers to: 南昌, Shanghai" in english
    assert "Dispatched on: Mon, Thu" in english
    assert "泰和乌鸡 整只 冰鲜" not in english  # the other language's title is not shown
    assert "Taihe black-bone" not in chinese
    # A language the draft lacks shows its first; a language alone finds its locale.
    assert '<html lang="zh-CN">' in anonymous.get(f"/listings/{SKU}?lang=fr").text
    assert '<html lang="en">' in anonymous.get(f"/listings/{SKU}?lang=EN-gb").text


def test_the_price_and_each_detail_are_shown_once(
    client: httpx.Client, anonymous: httpx.Client, shipped: dict[str, Any]
) -> None:
    publish(client, shipped)
    for lang in ("zh-CN", "en"):
        html = anonymous.get(f"/listings/{SKU}", params={"lang": lang}).text
        text = visible_text(html)
        data = shipped["texts"][lang]
        unit_price = data["price_text"].split(" (")[0]
        assert text.count(unit_price) == 1, unit_price
        assert text.count("36.00") == 1  # the price by weight
        assert text.count(data["title"]) == 1
        for attribute in data["attributes"]:
            label, value = attribute["label"], attribute["value"]
            assert text.count(value) >= 1
            # The description repeats the details for other marketplaces; here they are not.
            assert f"{label}: {value}" not in text, attribute


def test_a_new_price_is_shown_not_the_drafts(
    client: httpx.Client, anonymous: httpx.Client, shipped: dict[str, Any]
) -> None:
    publish(client, shipped)
    update = {"stock": 12, "price": {"amount": "88.00", "currency": "CNY"}}
    assert client.put(f"/v1/listings/{SKU}/inventory", json=update).status_code == 200
    html = anonymous.get(f"/listings/{SKU}").text
    assert '<span class="price">¥88.00/只</span>' in html
    assert "100.80" not in html
    assert "CN¥88.00 per bird" in anonymous.get(f"/listings/{SKU}?lang=en").text


def test_text_is_escaped(
    client: httpx.Client, anonymous: httpx.Client, draft_data: dict[str, Any]
) -> None:
    draft_data["texts"]["zh-CN"]["title"] = '<script>alert("hen")</script> 乌鸡'
    draft_data["traceability_url"] = "javascript:alert(1)"
    publish(client, draft_data)
    for html in (anonymous.get(f"/listings/{SKU}").text, anonymous.get("/").text):
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&#34;hen&#34;)&lt;/script&gt;" in html
        assert "javascript:" not in html


def test_only_active_listings_have_a_page(
    client: httpx.Client, anonymous: httpx.Client, draft_data: dict[str, Any]
) -> None:
    assert client.put(f"/v1/listings/{SKU}", json=draft_data).status_code == 201
    page = anonymous.get(f"/listings/{SKU}")
    assert page.status_code == 404
    assert page.headers["Content-Type"].startswith("text/html")
    publish(client, draft_data)
    assert anonymous.get(f"/listings/{SKU}").status_code == 200
    client.post(f"/v1/listings/{SKU}/withdraw")
    assert anonymous.get(f"/listings/{SKU}").status_code == 404
    assert "No listing is active yet" in anonymous.get("/").text

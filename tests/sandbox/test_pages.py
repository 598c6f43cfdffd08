from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
from tests.sandbox.conftest import IMAGE_NAMES, SKU, picture

from ruralseller.catalog import converter
from ruralseller.listing import ShippingPromise


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
    assert "泰和乌鸡 整只 冰鲜 1-1.4 kg/只" in html
    assert "100.80 CNY" in html  # one bird, at its upper weight
    assert "¥36.00/斤" in html  # and the price by weight, with the policy stated
    assert "多退少补" in html
    for name in IMAGE_NAMES:
        assert f'<img src="/images/{SKU}/{name}"' in html
    assert "chilled" in html
    assert "南昌, Shanghai" in html
    assert "Mon, Thu" in html
    assert "江西省吉安市泰和县武山镇汪陂村" in html
    assert 'href="https://id.gs1.org/01/99526000160017/10/WJ261120A?17=261125"' in html
    index = anonymous.get("/").text
    assert f'href="/listings/{SKU}"' in index


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

"""The sandbox sells: buyers order without credentials; the seller lists orders since a cursor."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema
from tests.sandbox.conftest import SKU
from tests.sandbox.test_pages import publish


def _validate(document: dict[str, Any], name: str, instance: object) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(instance)


def _stock(client: httpx.Client) -> int:
    return int(client.get(f"/v1/listings/{SKU}").json()["stock"])


def test_a_buyer_orders_and_the_shop_shows_less(
    client: httpx.Client, anonymous: httpx.Client, draft_data: dict[str, Any]
) -> None:
    draft_data["stock"] = 3
    publish(client, draft_data)
    document = anonymous.get("/openapi.json").json()
    order = anonymous.post("/v1/shop/demo/orders", json={"sku": SKU, "quantity": 2})
    assert order.status_code == 201
    _validate(document, "Order", order.json())
    assert order.json()["state"] == "placed"
    assert _stock(client) == 1
    refused = anonymous.post("/v1/shop/demo/orders", json={"sku": SKU, "quantity": 2})
    assert (refused.status_code, refused.json()["code"]) == (409, "out_of_stock")
    _validate(document, "Error", refused.json())
    assert _stock(client) == 1


def test_orders_are_listed_since_a_cursor_and_each_change_lists_them_again(
    client: httpx.Client, anonymous: httpx.Client, draft_data: dict[str, Any]
) -> None:
    publish(client, draft_data)
    document = anonymous.get("/openapi.json").json()
    ids = [anonymous.post("/v1/shop/demo/orders", json={"sku": SKU}).json()["id"] for _ in range(3)]
    first = client.get("/v1/orders", params={"limit": 2}).json()
    _validate(document, "OrderPage", first)
    assert [o["id"] for o in first["orders"]] == ids[:2]
    assert first["more"] is True
    rest = client.get("/v1/orders", params={"since": first["cursor"]}).json()
    assert ([o["id"] for o in rest["orders"]], rest["more"]) == ([ids[2]], False)
    assert client.get("/v1/orders", params={"since": rest["cursor"]}).json()["orders"] == []
    shipped = client.post(f"/v1/orders/{ids[0]}/ship", json={"weight": "1.32 kg"}).json()
    assert (shipped["state"], shipped["weight"]) == ("shipped", "1.32 kg")
    changed = client.get("/v1/orders", params={"since": rest["cursor"]}).json()["orders"]
    assert [o["id"] for o in changed] == [ids[0]]
    assert client.get(f"/v1/orders/{ids[0]}").json() == shipped


def test_a_cancelled_order_puts_its_units_back_and_a_shipped_one_cannot_be_cancelled(
    client: httpx.Client, anonymous: httpx.Client, draft_data: dict[str, Any]
) -> None:
    draft_data["stock"] = 2
    publish(client, draft_data)
    a, b = (anonymous.post("/v1/shop/demo/orders", json={"sku": SKU}).json()["id"] for _ in "ab")
    assert _stock(client) == 0
    cancelled = client.post(f"/v1/orders/{a}/cancel", json={"reason": "oversold"}).json()
    assert (cancelled["state"], cancelled["reason"]) == ("cancelled", "oversold")
    assert _stock(client) == 1
    assert client.post(f"/v1/orders/{a}/cancel", json={}).json()["state"] == "cancelled"
    assert _stock(client) == 1  # once
    assert client.post(f"/v1/orders/{b}/ship", json={}).status_code == 200
    late = client.post(f"/v1/orders/{b}/cancel", json={})
    assert (late.status_code, late.json()["code"]) == (409, "order_state")


def test_bad_orders_are_refused_with_what_to_fix(
    client: httpx.Client, anonymous: httpx.Client, draft_data: dict[str, Any]
) -> None:
    publish(client, draft_data)
    assert anonymous.post("/v1/shop/nobody/orders", json={"sku": SKU}).status_code == 404
    assert anonymous.post("/v1/shop/demo/orders", json={"sku": "NOPE"}).status_code == 404
    bad = anonymous.post("/v1/shop/demo/orders", json={"sku": SKU, "quantity": 0})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "quantity")
    assert anonymous.post("/v1/shop/demo/orders", content=b"{").status_code == 400
    huge = anonymous.post("/v1/shop/demo/orders", content=b" " * 1_000_001)
    assert (huge.status_code, huge.json()["code"]) == (413, "too_large")
    assert anonymous.get("/v1/orders").status_code == 401  # the seller's side is signed
    assert client.get("/v1/orders", params={"since": "x"}).status_code == 422
    assert client.get("/v1/orders/nope").status_code == 404

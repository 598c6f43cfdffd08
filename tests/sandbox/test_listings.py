from __future__ import annotations

import hashlib
import json
import time
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from tests.sandbox.conftest import IMAGE_NAMES, SKU, picture


def put(client: httpx.Client, data: dict[str, Any], sku: str = SKU) -> httpx.Response:
    return client.put(f"/v1/listings/{sku}", json=data)


def test_put_creates_then_updates(client: httpx.Client, draft_data: dict[str, Any]) -> None:
    created = put(client, draft_data)
    assert created.status_code == 201
    listing = created.json()
    assert listing["sku"] == SKU
    assert listing["state"] == "draft"
    assert listing["version"] == 1
    assert listing["stock"] == 40
    # The price of one bird (36.00 CNY per jin at its upper weight of 1.4 kg), not per jin.
    assert listing["price"] == {"amount": "100.80", "currency": "CNY"}
    assert listing["page_url"] == f"/listings/{SKU}"
    assert listing["draft"] == draft_data
    assert listing["images"] == []
    assert listing["created_at"].endswith("Z")

    same = put(client, draft_data)
    assert (same.status_code, same.json()["version"]) == (200, 1)

    draft_data["stock"] = 12
    changed = put(client, draft_data)
    assert changed.status_code == 200
    assert (changed.json()["version"], changed.json()["stock"]) == (2, 12)
    assert client.get(f"/v1/listings/{SKU}").json() == changed.json()


def test_get_unknown_listing(client: httpx.Client) -> None:
    answer = client.get("/v1/listings/NOPE")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")


def test_sku_must_match_the_url(client: httpx.Client, draft_data: dict[str, Any]) -> None:
    answer = put(client, draft_data, sku="OTHER")
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_listing"
    assert [e["field"] for e in body["errors"]] == ["sku"]


def test_a_too_long_title_is_refused(client: httpx.Client, draft_data: dict[str, Any]) -> None:
    draft_data["texts"]["en"]["title"] = "Silkie " * 40
    answer = put(client, draft_data)
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_listing"
    assert body["errors"][0]["field"] == "texts[en].title"
    assert "at most 200" in body["errors"][0]["message"]


def test_bad_fields_are_named_by_path(client: httpx.Client, draft_data: dict[str, Any]) -> None:
    draft_data["stock"] = "many"
    draft_data["price"] = "cheap"
    draft_data["colour"] = "black"
    answer = put(client, draft_data)
    assert answer.status_code == 422
    fields = {e["field"] for e in answer.json()["errors"]}
    assert {"stock", "price", "colour"} <= fields


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_a_malformed_body_is_refused(client: httpx.Client, body: bytes) -> None:
    answer = client.put(f"/v1/listings/{SKU}", content=body)
    assert (answer.status_code, answer.json()["code"]) == (422, "invalid_listing")
    assert answer.json()["errors"]


def test_a_huge_json_body_is_refused(client: httpx.Client) -> None:
    answer = client.put(f"/v1/listings/{SKU}", content=b" " * 1_000_001)
    assert (answer.status_code, answer.json()["code"]) == (413, "too_large")


def test_post_creates_once(
    client: httpx.Client, draft_data: dict[str, Any], app: Starlette
) -> None:
    assert client.post("/v1/listings", json=draft_data).status_code == 201
    again = client.post("/v1/listings", json=draft_data)
    assert (again.status_code, again.json()["code"]) == (409, "sku_exists")
    assert app.state.sandbox.count_listings() == 1


def test_idempotency_key_replays(
    client: httpx.Client, draft_data: dict[str, Any], app: Starlette
) -> None:
    body = json.dumps(draft_data).encode()
    headers = {"Idempotency-Key": "key-1", "Content-Type": "application/json"}
    first = client.post("/v1/listings", content=body, headers=headers)
    second = client.post("/v1/listings", content=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert app.state.sandbox.count_listings() == 1


def test_idempotency_key_reused_for_another_request(
    client: httpx.Client, draft_data: dict[str, Any]
) -> None:
    headers = {"Idempotency-Key": "key-2"}
    assert client.post("/v1/listings", json=draft_data, headers=headers).status_code == 201
    draft_data["stock"] = 1
    answer = client.post("/v1/listings", json=draft_data, headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (409, "idempotency_key_reused")


def test_idempotency_key_in_flight(
    client: httpx.Client, draft_data: dict[str, Any], app: Starlette
) -> None:
    body = json.dumps(draft_data).encode()
    request_hash = hashlib.sha256(b"POST\n/v1/listings\n" + body).hexdigest()
    with app.state.sandbox.storage.transaction() as tx:
        tx.claim_idempotency("demo", "key-3", request_hash, time.time())
    answer = client.post("/v1/listings", content=body, headers={"Idempotency-Key": "key-3"})
    assert (answer.status_code, answer.json()["code"]) == (409, "idempotency_key_in_flight")
    assert app.state.sandbox.count_listings() == 0


def test_idempotency_keeps_errors_too(client: httpx.Client, draft_data: dict[str, Any]) -> None:
    assert put(client, draft_data).status_code == 201
    headers = {"Idempotency-Key": "key-4"}
    first = client.post("/v1/listings", json=draft_data, headers=headers)
    second = client.post("/v1/listings", json=draft_data, headers=headers)
    assert first.status_code == second.status_code == 409
    assert second.headers["Idempotent-Replayed"] == "true"


def test_inventory(client: httpx.Client, draft_data: dict[str, Any]) -> None:
    put(client, draft_data)
    url = f"/v1/listings/{SKU}/inventory"
    answer = client.put(url, json={"stock": 5, "price": {"amount": "38.50", "currency": "CNY"}})
    assert answer.status_code == 200
    listing = answer.json()
    assert (listing["stock"], listing["price"]["amount"], listing["version"]) == (5, "38.50", 2)
    unchanged = client.put(url, json={"stock": 5})
    assert unchanged.json()["version"] == 2
    for bad in ({"stock": -1}, {"stock": "5"}, {"stock": 1, "price": {"amount": "x"}}, {}):
        refused = client.put(url, json=bad)
        assert (refused.status_code, refused.json()["code"]) == (422, "invalid_inventory")
    assert client.put("/v1/listings/NOPE/inventory", json={"stock": 1}).status_code == 404


def upload_all(client: httpx.Client) -> None:
    for name in IMAGE_NAMES:
        answer = client.put(
            f"/v1/listings/{SKU}/images/{name}",
            content=picture(),
            headers={"Content-Type": "image/jpeg"},
        )
        assert answer.status_code == 201


def test_publish_needs_the_pictures(client: httpx.Client, draft_data: dict[str, Any]) -> None:
    put(client, draft_data)
    refused = client.post(f"/v1/listings/{SKU}/publish")
    assert (refused.status_code, refused.json()["code"]) == (422, "not_publishable")
    fields = [e["field"] for e in refused.json()["errors"]]
    assert fields == ["images", *(f"images/{n}" for n in IMAGE_NAMES)]

    upload_all(client)
    published = client.post(f"/v1/listings/{SKU}/publish")
    assert published.status_code == 200
    listing = published.json()
    assert listing["state"] == "active"
    assert listing["images"] == list(IMAGE_NAMES)
    again = client.post(f"/v1/listings/{SKU}/publish")
    assert again.json()["version"] == listing["version"]

    draft_data["stock"] = 3
    assert put(client, draft_data).json()["state"] == "active"


def test_withdraw(client: httpx.Client, draft_data: dict[str, Any]) -> None:
    put(client, draft_data)
    first = client.post(f"/v1/listings/{SKU}/withdraw")
    second = client.post(f"/v1/listings/{SKU}/withdraw")
    assert first.json()["state"] == second.json()["state"] == "withdrawn"
    assert first.json()["version"] == second.json()["version"] == 2
    assert client.post("/v1/listings/NOPE/withdraw").status_code == 404


def test_query_pages_by_sku(client: httpx.Client, draft_data: dict[str, Any]) -> None:
    skus = [f"HEN-{n}" for n in range(5)]
    for sku in skus:
        draft_data["sku"] = sku
        assert put(client, draft_data, sku=sku).status_code == 201
    seen, after = [], ""
    while True:
        page = client.get("/v1/listings", params={"limit": 2, "after": after}).json()
        seen += [listing["sku"] for listing in page["listings"]]
        if page["next"] is None:
            break
        after = page["next"]
    assert seen == skus
    chosen = client.get("/v1/listings", params=[("sku", "HEN-3"), ("sku", "HEN-1")]).json()
    assert [item["sku"] for item in chosen["listings"]] == ["HEN-1", "HEN-3"]
    refused = client.get("/v1/listings", params={"limit": 501})
    assert (refused.status_code, refused.json()["code"]) == (422, "invalid_request")

"""The spec checker the adapter tests rely on finds what the official specs forbid."""

from __future__ import annotations

import re

import httpx
import pytest
from tests.marketplaces.specs import GraphQLSpec, OpenApiSpec, SpecViolationError

EBAY = "https://api.ebay.com/sell/inventory/v1"
AMAZON = "https://sellingpartnerapi-na.amazon.com/listings/2021-08-01/items/A1"


def test_a_request_the_spec_allows_passes_and_is_recorded() -> None:
    spec = OpenApiSpec.load("ebay/sell_inventory_v1_oas3.json")
    request = httpx.Request("POST", f"{EBAY}/offer/123/publish")
    assert spec.check(request) == "publishOffer"
    assert "publishOffer" in spec.seen


def test_literal_paths_win_over_parameters() -> None:
    spec = OpenApiSpec.load("ebay/sell_inventory_v1_oas3.json")
    template, _, params = spec.operation("POST", "/sell/inventory/v1/offer/get_listing_fees")
    assert template == "/offer/get_listing_fees"
    assert params == {}


@pytest.mark.parametrize(
    ("request_", "problem"),
    [
        (httpx.Request("GET", f"{EBAY}/nowhere"), "no path in the spec matches /nowhere"),
        (httpx.Request("PATCH", f"{EBAY}/offer/1"), "PATCH is not an operation"),
        (
            httpx.Request("PUT", f"{EBAY}/inventory_item/X", json={"condition": "NEW"}),
            "required header parameter 'Content-Language'",
        ),
        (
            httpx.Request(
                "PUT",
                f"{EBAY}/inventory_item/X",
                json={"condition": 5},
                headers={"Content-Language": "en-US"},
            ),
            "body.condition: 5 is not of type 'string'",
        ),
        (
            httpx.Request(
                "PUT",
                f"{EBAY}/inventory_item/X",
                json={"availabilty": {}},
                headers={"Content-Language": "en-US"},
            ),
            "body.availabilty: not a field of the schema",
        ),
        (
            httpx.Request("PUT", f"{AMAZON}/HEN-1", json={"productType": "X"}),
            "required query parameter 'marketplaceIds'",
        ),
        (
            httpx.Request(
                "PUT", f"{AMAZON}/HEN-1?marketplaceIds=M", json={"productType": "X", "mode": "NO"}
            ),
            "'attributes' is a required property",
        ),
        (
            httpx.Request(
                "POST",
                "https://openapi.etsy.com/v3/application/shops/5/listings",
                data={"title": "x", "quantity": "many"},
            ),
            "'who_made' is a required property",
        ),
    ],
)
def test_what_the_spec_forbids_is_named(request_: httpx.Request, problem: str) -> None:
    specs = {
        "api.ebay.com": "ebay/sell_inventory_v1_oas3.json",
        "sellingpartnerapi-na.amazon.com": "amazon-sp-api/listingsItems_2021-08-01.json",
        "openapi.etsy.com": "etsy/openapi_2021-06-01_official-repo.json",
    }
    spec = OpenApiSpec.load(specs[request_.url.host])
    with pytest.raises(SpecViolationError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        spec.check(request_)


def test_a_patch_must_say_why_and_changes_only_its_copy() -> None:
    spec = OpenApiSpec.load("ebay/sell_inventory_v1_oas3.json")
    pointer = "/components/schemas/Product/properties/aspects"
    with pytest.raises(ValueError, match="say why"):
        spec.with_patch(pointer, {"type": "object"}, because=" ")
    patched = spec.with_patch(pointer, {"type": "object"}, because="the live API takes a map")
    body = {"product": {"aspects": {"Breed": ["Silkie"]}}}
    request = httpx.Request(
        "PUT", f"{EBAY}/inventory_item/X", json=body, headers={"Content-Language": "en-US"}
    )
    assert patched.check(request) == "createOrReplaceInventoryItem"
    assert patched.patches == {pointer: "the live API takes a map"}
    with pytest.raises(SpecViolationError, match="is not of type 'string'"):
        spec.check(request)


def test_responses_are_checked_too() -> None:
    spec = OpenApiSpec.load("amazon-sp-api/listingsItems_2021-08-01.json")
    path = "/listings/2021-08-01/items/A1/HEN-1"
    good = {"sku": "HEN-1", "status": "ACCEPTED", "submissionId": "1"}
    assert spec.response_problems("PUT", path, 200, good) == []
    bad = spec.response_problems("PUT", path, 200, {"sku": "HEN-1", "status": "WHAT"})
    assert any("'WHAT' is not one of" in p for p in bad)


_SHOPIFY = "shopify-admin-graphql/admin-2026-01.graphql"
_SET_STOCK = (
    "mutation InventorySet($input: InventorySetQuantitiesInput!, $key: String!) "
    "{ inventorySetQuantities(input: $input) @idempotent(key: $key) { userErrors { message } } }"
)
_QUANTITY = {"inventoryItemId": "gid://shopify/InventoryItem/1", "locationId": "gid://x/1"}


def test_a_graphql_request_the_schema_allows_passes() -> None:
    spec = GraphQLSpec.load(_SHOPIFY)
    body = {
        "query": _SET_STOCK,
        "operationName": "InventorySet",
        "variables": {
            "key": "k-1",
            "input": {
                "name": "available",
                "reason": "correction",
                "quantities": [{**_QUANTITY, "quantity": 3, "changeFromQuantity": None}],
            },
        },
    }
    assert spec.check(body) == "InventorySet"


@pytest.mark.parametrize(
    ("query", "input_", "problem"),
    [
        (_SET_STOCK, {"ignoreCompareQuantity": True}, "ignoreCompareQuantity is deprecated"),
        (_SET_STOCK, {"colour": "red"}, "not to include unknown field 'colour'"),
        (
            _SET_STOCK.replace(" @idempotent(key: $key)", "").replace(", $key: String!", ""),
            {},
            "inventorySetQuantities needs @idempotent",
        ),
        (_SET_STOCK.replace("message", "mesage"), {}, "Cannot query field 'mesage'"),
    ],
)
def test_a_graphql_request_the_schema_refuses_is_named(
    query: str, input_: dict[str, object], problem: str
) -> None:
    spec = GraphQLSpec.load(_SHOPIFY)
    variables: dict[str, object] = {
        "input": {
            "name": "available",
            "reason": "correction",
            "quantities": [{**_QUANTITY, "quantity": 3}],
            **input_,
        }
    }
    if "$key" in query:
        variables["key"] = "k-1"
    body = {"query": query, "operationName": "InventorySet", "variables": variables}
    with pytest.raises(SpecViolationError, match=re.escape(problem)):
        spec.check(body)


def test_openapi_nullable_allows_null() -> None:
    spec = OpenApiSpec.load("etsy-v3-2026/etsy-openapi-original.yml")
    listing = {"listing_id": 1, "shop_section_id": None, "item_weight_unit": None}
    assert list(spec.validate(listing, "#/components/schemas/ShopListing")) == []
    assert list(spec.validate({"item_weight_unit": "stone"}, "#/components/schemas/ShopListing"))

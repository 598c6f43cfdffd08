"""The spec checker the adapter tests rely on finds what the official specs forbid."""

from __future__ import annotations

import httpx
import pytest
from tests.marketplaces.specs import OpenApiSpec, SpecViolationError

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

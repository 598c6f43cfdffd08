from __future__ import annotations

import re
from typing import Any

import httpx
import jsonschema
from starlette.applications import Starlette
from starlette.routing import Route
from tests.sandbox.conftest import SKU


def test_every_route_is_documented(app: Starlette, anonymous: httpx.Client) -> None:
    document = anonymous.get("/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    routes = [route for route in app.routes if isinstance(route, Route)]
    assert routes
    for route in routes:
        assert route.path in document["paths"], route.path
        for method in route.methods or ():
            if method != "HEAD":
                assert method.lower() in document["paths"][route.path], (route.path, method)


def test_the_schemas_are_valid(anonymous: httpx.Client) -> None:
    schemas = anonymous.get("/openapi.json").json()["components"]["schemas"]
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)


def validate(document: dict[str, Any], name: str, instance: object) -> None:
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    jsonschema.Draft202012Validator(schema).validate(instance)


def test_answers_match_the_schemas(
    client: httpx.Client, anonymous: httpx.Client, draft_data: dict[str, Any]
) -> None:
    document = anonymous.get("/openapi.json").json()
    validate(document, "Listing", client.put(f"/v1/listings/{SKU}", json=draft_data).json())
    validate(document, "ListingPage", client.get("/v1/listings").json())
    validate(document, "Error", client.get("/v1/listings/NOPE").json())
    validate(document, "Error", anonymous.get("/v1/listings").json())
    validate(document, "Health", anonymous.get("/health").json())
    draft_data["sku"] = "bad sku"
    refused = client.put(f"/v1/listings/{SKU}", json=draft_data).json()
    validate(document, "Error", refused)


def test_unknown_routes_answer_json(anonymous: httpx.Client) -> None:
    answer = anonymous.get("/v2/nothing")
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
    wrong = anonymous.delete("/v1/listings")
    assert (wrong.status_code, wrong.json()["code"]) == (405, "method_not_allowed")
    assert re.fullmatch("[0-9a-f]{32}", wrong.headers["X-Request-Id"])

"""The OpenAPI description of the sandbox shop (:mod:`ruralseller.sandbox.shop`).

Example:
    >>> sorted(order_paths())[:2]
    ['/v1/orders', '/v1/orders/{id}']
"""

from __future__ import annotations

from typing import Any

__all__ = ["order_paths", "order_schemas"]

_REF = "#/components/schemas/"


def _answer(description: str, schema: str = "Error") -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": _REF + schema}}},
    }


_SIGNED_ERRORS = {
    "401": _answer("missing_credentials, unknown_key, stale_timestamp or bad_signature"),
    "429": _answer("rate_limited; see Retry-After"),
    "500": _answer("internal_error (an injected fault)"),
    "503": _answer("unavailable (an injected fault); see Retry-After"),
}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}


def order_schemas() -> dict[str, Any]:
    """The shop's schemas: Order, OrderPage, NewOrder, OrderAction."""
    text = {"type": ["string", "null"]}
    return {
        "Order": {
            "type": "object",
            "required": [
                *("id", "sku", "quantity", "state", "placed_at", "updated_at"),
                *("unit_price", "buyer", "weight", "tracking", "reason", "seq"),
            ],
            "properties": {
                "id": {"type": "string"},
                "sku": {"type": "string"},
                "quantity": {"type": "integer", "minimum": 1},
                "state": {"enum": ["placed", "acknowledged", "shipped", "cancelled"]},
                "placed_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": "string", "format": "date-time"},
                "unit_price": {"$ref": _REF + "Price"},
                "buyer": {"type": "object", "additionalProperties": {"type": "string"}},
                "weight": {**text, "description": "the weighed weight shipped, e.g. '1.32 kg'"},
                "tracking": text,
                "reason": {**text, "description": "why it was cancelled"},
                "seq": {
                    "type": "integer",
                    "description": "raised at every change of the order; orders are listed by it",
                },
            },
        },
        "OrderPage": {
            "type": "object",
            "required": ["orders", "cursor", "more"],
            "properties": {
                "orders": {"type": "array", "items": {"$ref": _REF + "Order"}},
                "cursor": {
                    "type": "string",
                    "description": "give it as ?since= to list what changed after this page",
                },
                "more": {"type": "boolean"},
            },
        },
        "NewOrder": {
            "type": "object",
            "required": ["sku"],
            "properties": {
                "sku": {"type": "string"},
                "quantity": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1},
                "buyer": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        "OrderAction": {
            "type": "object",
            "properties": {
                "weight": {"type": "string"},
                "tracking": {"type": "string"},
                "reason": {"type": "string"},
            },
        },
    }


def _action(summary: str) -> dict[str, Any]:
    return {
        "parameters": [_ID],
        "post": {
            "summary": summary,
            "requestBody": {
                "required": False,
                "content": {"application/json": {"schema": {"$ref": _REF + "OrderAction"}}},
            },
            "responses": {
                "200": _answer("the order", "Order"),
                "404": _answer("not_found"),
                "409": _answer("order_state: the order cannot make this step from its state"),
                **_SIGNED_ERRORS,
            },
        },
    }


def order_paths() -> dict[str, Any]:
    """The shop's paths: the buyer's order and the seller's order API."""
    return {
        "/v1/shop/{account}/orders": {
            "parameters": [
                {"name": "account", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "post": {
                "summary": "A buyer orders a SKU (no seller credentials)",
                "security": [],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": _REF + "NewOrder"}}},
                },
                "responses": {
                    "201": _answer("the order; the listing's stock fell by its quantity", "Order"),
                    "404": _answer("not_found: no such shop, or no active listing of the SKU"),
                    "409": _answer("out_of_stock: the listing shows fewer units than ordered"),
                    "413": _answer("too_large: the body is over 1 MB"),
                    "422": _answer("invalid_order; errors name each field"),
                },
            },
        },
        "/v1/orders": {
            "get": {
                "summary": "The account's orders new or changed since a cursor, oldest first",
                "parameters": [
                    {"name": "since", "in": "query", "schema": {"type": "string", "default": "0"}},
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100},
                    },
                ],
                "responses": {
                    "200": _answer("a page", "OrderPage"),
                    "422": _answer("invalid_request"),
                    **_SIGNED_ERRORS,
                },
            }
        },
        "/v1/orders/{id}": {
            "parameters": [_ID],
            "get": {
                "summary": "One order",
                "responses": {
                    "200": _answer("the order", "Order"),
                    "404": _answer("not_found"),
                    **_SIGNED_ERRORS,
                },
            },
        },
        "/v1/orders/{id}/acknowledge": _action("Mark the order taken in"),
        "/v1/orders/{id}/ship": _action("Mark the order shipped, with weight and tracking"),
        "/v1/orders/{id}/cancel": _action("Cancel the order; its units go back on sale"),
    }

"""The OpenAPI 3.1 document of the sandbox API, served at ``/openapi.json``.

Example:
    >>> document = openapi_document()
    >>> document["openapi"], sorted(document["paths"])[:3]
    ('3.1.0', ['/', '/01/{gtin}/10/{lot}', '/health'])
"""

from __future__ import annotations

from typing import Any

from ruralseller import __version__
from ruralseller.sandbox.capture import MEDIA_TYPES as _EPCIS_MEDIA_TYPES
from ruralseller.sandbox.shop_openapi import order_paths, order_schemas

__all__ = ["openapi_document"]

_REF = "#/components/schemas/"


def _json(schema: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF + schema}}}


def _answer(description: str, schema: str = "Error") -> dict[str, Any]:
    return {"description": description, "content": _json(schema)}


def _errors(*statuses: str) -> dict[str, Any]:
    texts = {
        "400": "invalid_epcis_document; errors name each problem with its path",
        "401": "missing_credentials, unknown_key, stale_timestamp or bad_signature",
        "404": "not_found",
        "409": "sku_exists, event_id_conflict, idempotency_key_reused or idempotency_key_in_flight",
        "413": "too_large: the body is over the limit",
        "415": "unsupported_media_type",
        "422": "invalid_listing, invalid_image, invalid_inventory, invalid_request or "
        "not_publishable; errors name each field",
        "429": "rate_limited; see Retry-After",
        "500": "internal_error (an injected fault)",
        "503": "unavailable (an injected fault); see Retry-After",
    }
    return {status: _answer(texts[status]) for status in ("401", "429", "500", "503", *statuses)}


_SKU = {"name": "sku", "in": "path", "required": True, "schema": {"type": "string"}}
_NAME = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
_IDEMPOTENCY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Answers a repeated request with the stored answer (24 h).",
    "schema": {"type": "string"},
}
_DRAFT_BODY = {
    "required": True,
    "description": "ruralseller.listing.draft_to_data(draft)",
    "content": {"application/json": {"schema": {"type": "object"}}},
}
_PICTURE = {"type": "string", "contentMediaType": "image/*"}


def _schemas() -> dict[str, Any]:
    price = {
        "type": "object",
        "required": ["amount", "currency"],
        "properties": {
            "amount": {"type": "string", "pattern": r"^\d+(\.\d+)?$"},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        },
    }
    listing = {
        "type": "object",
        "required": [
            *("sku", "state", "version", "created_at", "updated_at", "draft"),
            *("images", "stock", "price", "page_url"),
        ],
        "properties": {
            "sku": {"type": "string"},
            "state": {"enum": ["draft", "active", "withdrawn"]},
            "version": {"type": "integer", "minimum": 1},
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {"type": "string", "format": "date-time"},
            "draft": {"type": "object"},
            "images": {"type": "array", "items": {"type": "string"}},
            "stock": {"type": "integer", "minimum": 0},
            "price": {"$ref": _REF + "Price"},
            "page_url": {"type": "string"},
        },
    }
    return {
        "Error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                "message": {"type": "string"},
                "errors": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "message"],
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        },
        "Price": price,
        "Listing": listing,
        "ListingPage": {
            "type": "object",
            "required": ["listings", "next"],
            "properties": {
                "listings": {"type": "array", "items": {"$ref": _REF + "Listing"}},
                "next": {"type": ["string", "null"]},
            },
        },
        "Inventory": {
            "type": "object",
            "required": ["stock"],
            "additionalProperties": False,
            "properties": {
                "stock": {"type": "integer", "minimum": 0},
                "price": {"$ref": _REF + "Price"},
            },
        },
        "Image": {
            "type": "object",
            "required": ["name", "width", "height", "format", "bytes", "sha256"],
            "properties": {
                "name": {"type": "string"},
                "width": {"type": "integer"},
                "height": {"type": "integer"},
                "format": {"enum": ["JPEG", "PNG", "WEBP"]},
                "bytes": {"type": "integer"},
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            },
        },
        "Health": {
            "type": "object",
            "required": ["ok"],
            "properties": {"ok": {"const": True}},
        },
        "CaptureJob": {
            "type": "object",
            "description": "The EPCIS 2.0 REST binding's capture job, with the sandbox's counts",
            "required": [
                *("captureID", "createdAt", "finishedAt", "running", "success"),
                *("captureErrorBehaviour", "errors", "eventCount", "newEventCount", "eventIDs"),
            ],
            "properties": {
                "captureID": {"type": "string"},
                "createdAt": {"type": "string", "format": "date-time"},
                "finishedAt": {"type": "string", "format": "date-time"},
                "running": {"const": False},
                "success": {"const": True},
                "captureErrorBehaviour": {"const": "rollback"},
                "errors": {"type": "array", "maxItems": 0},
                "eventCount": {"type": "integer", "minimum": 0},
                "newEventCount": {"type": "integer", "minimum": 0},
                "eventIDs": {"type": "array", "items": {"type": "string"}},
            },
        },
    }


def _listing_paths() -> dict[str, Any]:
    listing = {"200": _answer("the listing", "Listing")}
    return {
        "/v1/listings": {
            "get": {
                "summary": "The account's listings, by SKU, a page at a time",
                "parameters": [
                    {
                        "name": "sku",
                        "in": "query",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100},
                    },
                    {"name": "after", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {"200": _answer("a page", "ListingPage"), **_errors("422")},
            },
            "post": {
                "summary": "Create a listing",
                "parameters": [_IDEMPOTENCY],
                "requestBody": _DRAFT_BODY,
                "responses": {"201": _answer("created", "Listing"), **_errors("409", "413", "422")},
            },
        },
        "/v1/listings/{sku}": {
            "parameters": [_SKU],
            "get": {"summary": "One listing", "responses": {**listing, **_errors("404")}},
            "put": {
                "summary": "Create or update a listing",
                "requestBody": _DRAFT_BODY,
                "responses": {
                    **listing,
                    "201": _answer("created", "Listing"),
                    **_errors("413", "422"),
                },
            },
        },
        "/v1/listings/{sku}/inventory": {
            "parameters": [_SKU],
            "put": {
                "summary": "Set stock and price",
                "requestBody": {"required": True, "content": _json("Inventory")},
                "responses": {**listing, **_errors("404", "413", "422")},
            },
        },
        "/v1/listings/{sku}/publish": {
            "parameters": [_SKU],
            "post": {
                "summary": "Make a listing active",
                "parameters": [_IDEMPOTENCY],
                "responses": {**listing, **_errors("404", "409", "422")},
            },
        },
        "/v1/listings/{sku}/withdraw": {
            "parameters": [_SKU],
            "post": {
                "summary": "Withdraw a listing",
                "parameters": [_IDEMPOTENCY],
                "responses": {**listing, **_errors("404", "409")},
            },
        },
    }


def _image_paths() -> dict[str, Any]:
    picture = {
        "200": {
            "description": "the picture",
            "content": {t: {"schema": _PICTURE} for t in ("image/jpeg", "image/png", "image/webp")},
        },
        "404": _answer("not_found"),
    }
    return {
        "/v1/listings/{sku}/images/{name}": {
            "parameters": [_SKU, _NAME],
            "put": {
                "summary": "Upload a picture (JPEG, PNG or WebP)",
                "requestBody": {
                    "required": True,
                    "content": {
                        t: {"schema": _PICTURE} for t in ("image/jpeg", "image/png", "image/webp")
                    },
                },
                "responses": {
                    "200": _answer("the same picture was there, or it was replaced", "Image"),
                    "201": _answer("uploaded", "Image"),
                    **_errors("404", "413", "415", "422"),
                },
            },
            "get": {"summary": "A picture (public)", "security": [], "responses": picture},
        },
        "/images/{sku}/{name}": {
            "parameters": [_SKU, _NAME],
            "get": {"summary": "A picture (public)", "security": [], "responses": picture},
        },
    }


def _epcis_paths() -> dict[str, Any]:
    capture_id = {"name": "captureID", "in": "path", "required": True, "schema": {"type": "string"}}
    document = {"type": "object", "description": "an EPCIS 2.0 EPCISDocument"}
    return {
        "/v1/epcis/capture": {
            "post": {
                "summary": "Capture an EPCIS 2.0 document's events (stored once per eventID)",
                "description": "Read with ruralseller.traceability.read_document; an event "
                "without an eventID is named urn:ruralseller:event:sha256:<hex> by its content. "
                "All or nothing. The answer's Location is the capture job.",
                "parameters": [_IDEMPOTENCY],
                "requestBody": {
                    "required": True,
                    "content": {t: {"schema": document} for t in _EPCIS_MEDIA_TYPES},
                },
                "responses": {
                    "202": {
                        "description": "captured",
                        "headers": {
                            "Location": {
                                "description": "the capture job",
                                "schema": {"type": "string"},
                            }
                        },
                        "content": _json("CaptureJob"),
                    },
                    **_errors("400", "409", "413", "415"),
                },
            }
        },
        "/v1/epcis/capture/{captureID}": {
            "parameters": [capture_id],
            "get": {
                "summary": "A capture job",
                "responses": {"200": _answer("the job", "CaptureJob"), **_errors("404")},
            },
        },
    }


def _public_paths() -> dict[str, Any]:
    html = {"text/html": {"schema": {"type": "string"}}}
    return {
        "/": {
            "get": {
                "summary": "The active listings (HTML)",
                "security": [],
                "responses": {"200": {"description": "the page", "content": html}},
            }
        },
        "/listings/{sku}": {
            "parameters": [_SKU],
            "get": {
                "summary": "An active listing's page (HTML)",
                "security": [],
                "responses": {
                    "200": {"description": "the page", "content": html},
                    "404": {"description": "no active listing", "content": html},
                },
            },
        },
        "/01/{gtin}/10/{lot}": {
            "parameters": [
                {
                    "name": "gtin",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "pattern": r"^\d{14}$"},
                },
                {"name": "lot", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
            "get": {
                "summary": "A lot's story from its captured EPCIS events: the GS1 Digital Link "
                "resolver (HTML; query attributes such as 17 or 3101 are ignored)",
                "security": [],
                "responses": {
                    "200": {"description": "the page", "content": html},
                    "404": {
                        "description": "no event of the lot, or not a lot link",
                        "content": html,
                    },
                },
            },
        },
        "/health": {
            "get": {
                "summary": "Whether the sandbox is up",
                "security": [],
                "responses": {"200": _answer("up", "Health")},
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "This document",
                "security": [],
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    }
                },
            }
        },
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the sandbox's routes."""
    headers = {
        name: {"type": "apiKey", "in": "header", "name": header, "description": text}
        for name, header, text in (
            ("apiKey", "X-Api-Key", "the key id"),
            ("timestamp", "X-Timestamp", "integer unix seconds, within 300 s of the server"),
            (
                "signature",
                "X-Signature",
                (
                    "lowercase hex HMAC-SHA256(secret, METHOD\\nPATH_WITH_QUERY\\nTIMESTAMP\\n"
                    "sha256_hex(body)[\\nNONCE])"
                ),
            ),
            (
                "nonce",
                "X-Nonce",
                (
                    "1 to 64 of [A-Za-z0-9_-], new for every request and signed as a fifth line; "
                    "a repeated nonce, or a repeated signature of a write sent without one, is "
                    "refused 401 replayed_request"
                ),
            ),
        )
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ruralseller sandbox marketplace",
            "version": __version__,
            "description": "A local marketplace for trying and testing ruralseller. Every "
            "answer has X-Request-Id; errors are {code, message, errors}.",
        },
        "security": [{"apiKey": [], "timestamp": [], "signature": []}],
        "paths": {
            **_public_paths(),
            **_listing_paths(),
            **_image_paths(),
            **_epcis_paths(),
            **order_paths(),
        },
        "components": {"schemas": {**_schemas(), **order_schemas()}, "securitySchemes": headers},
    }

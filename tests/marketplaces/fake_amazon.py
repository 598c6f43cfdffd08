"""A fake Amazon Selling Partner API (Listings Items + Product Type Definitions) and LWA.

It answers on ``httpx.MockTransport`` as the official specs say
(``tests/specs/amazon-sp-api``): every request is checked against listingsItems_2021-08-01
or definitionsProductTypes_2020-09-01 with :class:`OpenApiSpec`, and every answer of the API
against the spec's response schemas. It keeps listings in memory, issues and checks LWA access
tokens, validates attributes against a product type schema, and can throttle or lose answers.

``MEAT_SCHEMA`` is a FIXTURE written for these tests: a small product type schema in the
shape Amazon publishes (JSON Schema draft 2019-09, Amazon's ``maxUtf8ByteLength`` keyword,
attributes as arrays of ``{value, language_tag, marketplace_id}``). Its required attributes
are those of Amazon's generic ``PRODUCT`` type, read from its published documentation
(``tests/specs/amazon-product-types``), but ``color`` (no food product type schema is public
to say whether a food type asks for a colour; a test shows a schema that does is answered
with the attribute named). Its limits (item_name 200 characters, 5 bullet points...) mirror
our ``amazon`` listing profile, not a schema downloaded from Amazon; the real MEAT schema,
if that product type exists, has many more attributes.

What the specs do not say and the fake assumes: the LWA error bodies (``error`` and
``error_description``, as OAuth 2 has them), the issue codes other than 90220 (the spec's own
example), and the answer to a patch or delete of an unknown SKU (200 ``INVALID`` with an
issue, since neither operation declares a 404).
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
import itertools
import json
import re
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import jsonschema
from tests.marketplaces.specs import OpenApiSpec

LISTINGS = OpenApiSpec.load("amazon-sp-api/listingsItems_2021-08-01.json")
DEFINITIONS = OpenApiSpec.load("amazon-sp-api/definitionsProductTypes_2020-09-01.json")
FEED_SCHEMA_FILE = "amazon-sp-api/listings-feed-schema-v2.json"

TOKEN_HOST = "api.amazon.com"  # noqa: S105 - a host name
SCHEMA_HOST = "selling-partner-definitions-prod-iad.s3.amazonaws.com"
ISSUE_LOCALES = ("en_US", "en_CA", "en_GB", "en_AU")


def _texts(max_length: int, max_bytes: int | None = None) -> dict[str, Any]:
    value: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": max_length}
    if max_bytes is not None:
        value["maxUtf8ByteLength"] = max_bytes
    return {
        "type": "array",
        "minItems": 1,
        "items": {
            "type": "object",
            "required": ["value", "language_tag"],
            "additionalProperties": False,
            "properties": {
                "value": value,
                "language_tag": {"type": "string", "enum": list(ISSUE_LOCALES)},
                "marketplace_id": {"type": "string"},
            },
        },
    }


def product_required_fields() -> list[str]:
    """The "Required Fields" of Amazon's PRODUCT type, from its published documentation."""
    text = (
        Path(__file__).parents[1] / "specs" / "amazon-product-types" / "PRODUCT_documentation.md"
    ).read_text(encoding="utf-8")
    section = text.split("## Required Fields", 1)[1].split("##", 1)[0]
    return re.findall(r"^- `(\w+)`$", section, flags=re.MULTILINE)


def _single(value: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "type": "array",
        "minItems": 1,
        "maxItems": 1,
        "items": {
            "type": "object",
            "required": ["value", *more],
            "additionalProperties": False,
            "properties": {"value": value, "marketplace_id": {"type": "string"}, **more},
        },
    }


_IMAGE = {
    "type": "array",
    "minItems": 1,
    "maxItems": 1,
    "items": {
        "type": "object",
        "required": ["media_location"],
        "additionalProperties": False,
        "properties": {
            "media_location": {"type": "string", "pattern": "^https://", "maxLength": 2000},
            "marketplace_id": {"type": "string"},
        },
    },
}

#: FIXTURE: a small product type schema for fresh meat, in Amazon's shape (see the docstring).
MEAT_SCHEMA: dict[str, Any] = {
    "$schema": "https://schemas.amazon.com/selling-partners/definitions/product-types/meta-schema/v1",
    "$id": "https://schemas.amazon.com/selling-partners/definitions/product-types/schema/v1/MEAT",
    "$comment": "ruralseller test fixture, not downloaded from Amazon",
    "title": "Amazon Product Type Definition JSON Schema for MEAT (fixture)",
    "type": "object",
    "required": [
        *(name for name in product_required_fields() if name != "color"),
        "condition_type",
        "purchasable_offer",
        "fulfillment_availability",
        "is_expiration_dated_product",
    ],
    "additionalProperties": False,
    "properties": {
        "item_name": _texts(200, 600),
        "brand": _texts(100),
        "product_description": _texts(2000, 8000),
        "bullet_point": {**_texts(255), "maxItems": 5},
        "condition_type": _single({"type": "string", "enum": ["new_new"]}),
        "externally_assigned_product_identifier": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "value"],
                "additionalProperties": False,
                "properties": {
                    "type": {"type": "string", "enum": ["ean", "gtin", "upc"]},
                    "value": {"type": "string", "pattern": "^[0-9]{8,14}$"},
                    "marketplace_id": {"type": "string"},
                },
            },
        },
        "supplier_declared_has_product_identifier_exemption": _single({"type": "boolean"}),
        "purchasable_offer": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["currency", "our_price", "marketplace_id"],
                "additionalProperties": False,
                "properties": {
                    "currency": {"type": "string", "enum": ["USD", "CAD", "GBP", "AUD"]},
                    "marketplace_id": {"type": "string"},
                    "our_price": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["schedule"],
                            "properties": {
                                "schedule": {
                                    "type": "array",
                                    "minItems": 1,
                                    "maxItems": 1,
                                    "items": {
                                        "type": "object",
                                        "required": ["value_with_tax"],
                                        "properties": {
                                            "value_with_tax": {
                                                "type": "number",
                                                "exclusiveMinimum": 0,
                                                "maximum": 100000,
                                            }
                                        },
                                    },
                                }
                            },
                        },
                    },
                },
            },
        },
        "fulfillment_availability": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["fulfillment_channel_code", "quantity"],
                "additionalProperties": False,
                "properties": {
                    "fulfillment_channel_code": {"type": "string", "enum": ["DEFAULT"]},
                    "quantity": {"type": "integer", "minimum": 0},
                },
            },
        },
        "max_order_quantity": _single({"type": "integer", "minimum": 1}),
        "item_weight": _single(
            {"type": "number", "exclusiveMinimum": 0},
            unit={"type": "string", "enum": ["grams", "kilograms", "ounces", "pounds"]},
        ),
        "item_package_weight": _single(
            {"type": "number", "exclusiveMinimum": 0},
            unit={"type": "string", "enum": ["grams", "kilograms", "ounces", "pounds"]},
        ),
        "item_type_keyword": _single({"type": "string", "minLength": 1}),
        "supplier_declared_dg_hz_regulation": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["value"],
                "additionalProperties": False,
                "properties": {
                    # Values as Amazon's listing files use them (not from a food schema).
                    "value": {
                        "type": "string",
                        "enum": [
                            *("ghs", "not_applicable", "other", "storage"),
                            *("transportation", "unknown", "waste"),
                        ],
                    },
                    "marketplace_id": {"type": "string"},
                },
            },
        },
        "color": _texts(100),
        "country_of_origin": _single({"type": "string", "pattern": "^[A-Z]{2}$"}),
        "is_expiration_dated_product": _single({"type": "boolean"}),
        "main_product_image_locator": _IMAGE,
        **{f"other_product_image_locator_{n}": _IMAGE for n in range(1, 9)},
    },
}


def _utf8_limit(_validator: Any, limit: int, instance: Any, _schema: Any) -> Any:
    if isinstance(instance, str) and len(instance.encode("utf-8")) > limit:
        yield jsonschema.ValidationError(f"is longer than {limit} bytes (UTF-8)")


#: The fake's own checker (written independently of the adapter's, as an oracle).
_MeatValidator = jsonschema.validators.extend(
    jsonschema.Draft201909Validator, {"maxUtf8ByteLength": _utf8_limit}
)


def _issue(
    code: str, message: str, name: str | None, category: str, severity: str = "ERROR"
) -> dict[str, Any]:
    """An Issue (listingsItems_2021-08-01.json), as the spec's examples have them."""
    category = "MISSING_ATTRIBUTE" if category == "MISSING" else category
    issue: dict[str, Any] = {
        "code": code,
        "message": message,
        "severity": severity,
        "categories": [category],
    }
    if name is not None:
        issue["attributeNames"] = [name]
    return issue


def _errors(*items: tuple[str, str]) -> dict[str, Any]:
    return {"errors": [{"code": code, "message": message} for code, message in items]}


class FakeAmazon:
    """One seller account on a fake SP-API region, with its LWA app credentials.

    Attributes:
        listings: stored listings by SKU.
        requests: every request received, in order (to inspect headers and bodies).
        operations: the spec operation id of each API request, in order.
        token_requests: how many access tokens were asked for.
        issued: every access token issued.
        schema_downloads: how many times the product type schema was downloaded.
        throttle_next: answer this many API requests with 429 QuotaExceeded.
        token_outage_next: answer this many token requests with 503.
        lose: per operation id, how to lose the answer of the next such request after doing
            it: ``"timeout"`` (raise ``httpx.ReadTimeout``) or ``"503"``.
    """

    def __init__(
        self,
        *,
        seller_id: str,
        client_id: str,
        client_secret: str,
        refresh_token: str,
        marketplace_id: str = "ATVPDKIKX0DER",
        host: str = "sellingpartnerapi-na.amazon.com",
        clock: Callable[[], float] = time.monotonic,
        schema: dict[str, Any] | None = None,
    ) -> None:
        self.schema = MEAT_SCHEMA if schema is None else schema
        self.seller_id = seller_id
        self.client_id = client_id
        self.client_secret = client_secret
        self.refresh_token = refresh_token
        self.marketplace_id = marketplace_id
        self.host = host
        self.clock = clock
        self.listings: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, float] = {}
        self.issued: list[str] = []
        self.requests: list[httpx.Request] = []
        self.operations: list[str] = []
        self.token_requests = 0
        self.schema_downloads = 0
        self.schema_version = 1
        self.throttle_next = 0
        self.token_outage_next = 0
        self.lose: dict[str, str] = {}
        self._ids = itertools.count(1)

    # --- routing ---------------------------------------------------------------------------

    def handler(self, request: httpx.Request) -> httpx.Response:
        """The MockTransport handler."""
        request.read()
        self.requests.append(request)
        if request.url.host == TOKEN_HOST:
            return self._token(request)
        if request.url.host == SCHEMA_HOST:
            return self._schema_file(request)
        spec = DEFINITIONS if request.url.path.startswith("/definitions/") else LISTINGS
        operation = spec.check(request)  # every API request, against the official spec
        self.operations.append(operation)
        refused = self._refuse(request)
        if refused is not None:
            return self._reply(spec, request, *refused)
        if self.throttle_next > 0:
            self.throttle_next -= 1
            return self._reply(
                spec,
                request,
                429,
                _errors(("QuotaExceeded", "You exceeded your quota for the requested resource.")),
            )
        status, body = getattr(self, f"_{operation}")(request)
        loss = self.lose.pop(operation, None)
        if loss == "timeout":
            raise httpx.ReadTimeout("the answer was lost on the way back", request=request)
        if loss == "503":
            return self._reply(
                spec,
                request,
                503,
                _errors(("ServiceUnavailable", "Service temporarily unavailable.")),
            )
        return self._reply(spec, request, status, body)

    def _reply(
        self, spec: OpenApiSpec, request: httpx.Request, status: int, body: dict[str, Any]
    ) -> httpx.Response:
        problems = spec.response_problems(request.method, request.url.path, status, body)
        assert not problems, f"the fake answered against the spec: {problems}"
        headers = {"x-amzn-RequestId": str(uuid.uuid4()), "x-amzn-RateLimit-Limit": "5.0"}
        return httpx.Response(status, json=body, headers=headers)

    def _refuse(self, request: httpx.Request) -> tuple[int, dict[str, Any]] | None:
        token = request.headers.get("x-amz-access-token")
        expires = self.tokens.get(token or "")
        if token is None or expires is None:
            details = "The access token you provided is revoked, malformed or invalid."
        elif self.clock() >= expires:
            details = "The access token you provided has expired."
        elif request.url.host != self.host:
            details = "The seller is not registered in this region."
        else:
            details = ""
        if details:
            return 403, {
                "errors": [
                    {
                        "code": "Unauthorized",
                        "message": "Access to requested resource is denied.",
                        "details": details,
                    }
                ]
            }
        found = re.match(r"^/listings/2021-08-01/items/([^/]+)", request.url.path)
        if found and found.group(1) != self.seller_id:
            return 403, _errors(("Unauthorized", "Access to requested resource is denied."))
        if request.url.params.get("marketplaceIds") != self.marketplace_id:
            return 400, _errors(("InvalidInput", "Invalid 'marketplaceIds' provided."))
        return None

    # --- Login with Amazon -----------------------------------------------------------------

    def _token(self, request: httpx.Request) -> httpx.Response:
        assert request.method == "POST"
        assert request.url.path == "/auth/o2/token"
        assert request.headers["content-type"] == "application/x-www-form-urlencoded"
        assert "x-amz-access-token" not in request.headers
        self.token_requests += 1
        if self.token_outage_next > 0:
            self.token_outage_next -= 1
            return httpx.Response(503, json={"error": "temporarily_unavailable"})
        form = {k: v[-1] for k, v in parse_qs(request.content.decode()).items()}
        if form.get("grant_type") != "refresh_token":
            return httpx.Response(400, json={"error": "unsupported_grant_type"})
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return httpx.Response(
                401,
                json={
                    "error": "invalid_client",
                    "error_description": "Client authentication failed",
                },
            )
        if form.get("refresh_token") != self.refresh_token:
            return httpx.Response(
                400,
                json={
                    "error": "invalid_grant",
                    "error_description": (
                        "The request has an invalid grant parameter : refresh_token"
                    ),
                },
            )
        token = f"Atza|fake-access-{uuid.uuid4().hex}"
        self.tokens[token] = self.clock() + 3600
        self.issued.append(token)
        return httpx.Response(
            200,
            json={
                "access_token": token,
                "refresh_token": self.refresh_token,
                "token_type": "bearer",
                "expires_in": 3600,
            },
        )

    def revoke_tokens(self) -> None:
        """Make every issued access token invalid (as a revoked authorisation does)."""
        self.tokens.clear()

    # --- Product Type Definitions ----------------------------------------------------------

    def _schema_bytes(self) -> bytes:
        schema = {**self.schema, "$comment": f"{self.schema['$comment']} v{self.schema_version}"}
        return json.dumps(schema).encode()

    def _schema_file(self, request: httpx.Request) -> httpx.Response:
        assert request.method == "GET"
        # A presigned S3 link: an access token sent here would leak it to another service.
        assert "x-amz-access-token" not in request.headers, "the LWA token was sent to S3"
        self.schema_downloads += 1
        return httpx.Response(
            200, content=self._schema_bytes(), headers={"Content-Type": "application/json"}
        )

    def _getDefinitionsProductType(self, request: httpx.Request) -> tuple[int, dict[str, Any]]:  # noqa: N802
        product_type = request.url.path.rsplit("/", 1)[1]
        if product_type != "MEAT":
            return 404, _errors(("NOT_FOUND", f"Product type {product_type} not found."))
        data = self._schema_bytes()
        checksum = base64.b64encode(hashlib.md5(data).digest()).decode()  # noqa: S324 - Amazon's checksum
        url = f"https://{SCHEMA_HOST}/schema/MEAT.json?X-Amz-Expires=604800&v={self.schema_version}"
        return 200, {
            "metaSchema": {
                "link": {"resource": f"https://{SCHEMA_HOST}/meta-schema/v1.json", "verb": "GET"},
                "checksum": "bWV0YS1zY2hlbWE=",
            },
            "schema": {"link": {"resource": url, "verb": "GET"}, "checksum": checksum},
            "requirements": request.url.params.get("requirements", "LISTING"),
            "requirementsEnforced": request.url.params.get("requirementsEnforced", "ENFORCED"),
            "propertyGroups": {
                "offer": {
                    "title": "Offer",
                    "propertyNames": ["purchasable_offer", "fulfillment_availability"],
                }
            },
            "locale": request.url.params.get("locale", "en_US"),
            "marketplaceIds": [self.marketplace_id],
            "productType": "MEAT",
            "displayName": "Meat",
            "productTypeVersion": {"version": f"FIXTURE{self.schema_version}", "latest": True},
        }

    # --- Listings Items ----------------------------------------------------------------------

    def _issues(self, product_type: str, attributes: dict[str, Any]) -> list[dict[str, Any]]:
        if product_type != "MEAT":
            message = f"The product type '{product_type}' is not valid in this marketplace."
            return [_issue("4000003", message, None, "INVALID_ATTRIBUTE")]
        issues = []
        for error in _MeatValidator(MEAT_SCHEMA).iter_errors(attributes):
            if error.validator == "required" and not error.path:
                issues.extend(
                    _issue("90220", f"'{name}' is required but not supplied.", name, "MISSING")
                    for name in error.validator_value
                    if name not in attributes
                )
                continue
            name = str(error.path[0]) if error.path else "attributes"
            message = f"The value provided for '{name}' is invalid: {error.message[:120]}"
            issues.append(_issue("4000001", message, name, "INVALID_ATTRIBUTE"))
        issues.extend(
            _issue("4000002", f"'{name}' is for another marketplace.", name, "INVALID_ATTRIBUTE")
            for name, values in attributes.items()
            for value in (values if isinstance(values, list) else ())
            if isinstance(value, dict)
            and value.get("marketplace_id", self.marketplace_id) != self.marketplace_id
        )
        if "main_product_image_locator" not in attributes:
            message = "The listing has no main image and will not be shown to shoppers."
            issues.append(
                _issue("18000", message, "main_product_image_locator", "MISSING_IMAGE", "WARNING")
            )
        return issues

    def _submission(self, sku: str, status: str, issues: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "sku": sku,
            "status": status,
            "submissionId": f"fake-{next(self._ids):06d}",
            "issues": issues,
        }

    @staticmethod
    def _sku(request: httpx.Request) -> str:
        return request.url.path.rsplit("/", 1)[1]

    def _putListingsItem(self, request: httpx.Request) -> tuple[int, dict[str, Any]]:  # noqa: N802
        sku = self._sku(request)
        body = json.loads(request.content)
        issues = self._issues(body["productType"], body["attributes"])
        invalid = any(i["severity"] == "ERROR" for i in issues)
        if request.url.params.get("mode") == "VALIDATION_PREVIEW":
            return 200, self._submission(sku, "INVALID" if invalid else "VALID", issues)
        if invalid:
            return 200, self._submission(sku, "INVALID", issues)
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        old = self.listings.get(sku)
        self.listings[sku] = {
            "productType": body["productType"],
            "attributes": copy.deepcopy(body["attributes"]),
            "created": old["created"] if old else now,
            "updated": now,
            "asin": "B0" + hashlib.sha256(sku.encode()).hexdigest()[:8].upper(),
        }
        return 200, self._submission(sku, "ACCEPTED", issues)

    def _patchListingsItem(self, request: httpx.Request) -> tuple[int, dict[str, Any]]:  # noqa: N802
        sku = self._sku(request)
        listing = self.listings.get(sku)
        body = json.loads(request.content)
        if listing is None:
            return 200, self._submission(
                sku,
                "INVALID",
                [
                    {
                        "code": "4000004",
                        "message": f"SKU '{sku}' does not exist.",
                        "severity": "ERROR",
                        "categories": [],
                    }
                ],
            )
        attributes = copy.deepcopy(listing["attributes"])
        for patch in body["patches"]:
            found = re.fullmatch(r"/attributes/([a-z0-9_]+)", patch["path"])
            if found is None:
                return 400, _errors(
                    ("InvalidInput", f"Only top-level attributes can be patched: {patch['path']}")
                )
            if patch["op"] == "delete":
                attributes.pop(found.group(1), None)
            else:
                attributes[found.group(1)] = patch["value"]
        issues = self._issues(body["productType"], attributes)
        if body["productType"] != listing["productType"]:
            issues.append(
                {
                    "code": "4000005",
                    "message": "The product type does not match the listing's.",
                    "severity": "ERROR",
                    "categories": [],
                }
            )
        if any(i["severity"] == "ERROR" for i in issues):
            return 200, self._submission(sku, "INVALID", issues)
        listing["attributes"] = attributes
        listing["updated"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return 200, self._submission(sku, "ACCEPTED", issues)

    def _deleteListingsItem(self, request: httpx.Request) -> tuple[int, dict[str, Any]]:  # noqa: N802
        sku = self._sku(request)
        if self.listings.pop(sku, None) is None:
            return 200, self._submission(
                sku,
                "INVALID",
                [
                    {
                        "code": "4000004",
                        "message": f"SKU '{sku}' does not exist.",
                        "severity": "ERROR",
                        "categories": [],
                    }
                ],
            )
        return 200, self._submission(sku, "ACCEPTED", [])

    def _searchListingsItems(self, request: httpx.Request) -> tuple[int, dict[str, Any]]:  # noqa: N802
        size = int(request.url.params.get("pageSize", "10"))
        skus = sorted(self.listings)
        return 200, {"numberOfResults": len(skus), "items": [{"sku": s} for s in skus[:size]]}

    def _getListingsItem(self, request: httpx.Request) -> tuple[int, dict[str, Any]]:  # noqa: N802
        sku = self._sku(request)
        listing = self.listings.get(sku)
        if listing is None:
            return 404, _errors(
                ("NOT_FOUND", f"SKU '{sku}' not found in marketplace {self.marketplace_id}")
            )
        attributes = listing["attributes"]
        quantity = attributes["fulfillment_availability"][0]["quantity"]
        offer = attributes["purchasable_offer"][0]
        amount = offer["our_price"][0]["schedule"][0]["value_with_tax"]
        summary: dict[str, Any] = {
            "marketplaceId": self.marketplace_id,
            "asin": listing["asin"],
            "productType": listing["productType"],
            "conditionType": attributes["condition_type"][0]["value"],
            "status": ["BUYABLE", "DISCOVERABLE"] if quantity > 0 else ["DISCOVERABLE"],
            "itemName": attributes["item_name"][0]["value"],
            "createdDate": listing["created"],
            "lastUpdatedDate": listing["updated"],
        }
        if "main_product_image_locator" in attributes:
            link = attributes["main_product_image_locator"][0]["media_location"]
            summary["mainImage"] = {"link": link, "height": 2000, "width": 2000}
        sections: dict[str, Any] = {
            "summaries": [summary],
            "attributes": attributes,
            "issues": [],
            "offers": [
                {
                    "marketplaceId": self.marketplace_id,
                    "offerType": "B2C",
                    "price": {"currencyCode": offer["currency"], "amount": f"{amount:.2f}"},
                }
            ],
            "fulfillmentAvailability": [
                {"fulfillmentChannelCode": "DEFAULT", "quantity": quantity}
            ],
        }
        wanted = request.url.params.get("includedData", "summaries").split(",")
        return 200, {"sku": sku, **{k: v for k, v in sections.items() if k in wanted}}

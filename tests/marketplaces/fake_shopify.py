"""A small fake of Shopify's Admin GraphQL API and its staged-upload storage, for tests.

Every GraphQL request is first checked against Shopify's Admin API schema (2026-01 SDL,
``tests/specs/shopify-admin-graphql``) with :class:`~tests.marketplaces.specs.GraphQLSpec`:
the document must validate, its variables coerce, it must use nothing deprecated (removed by
2026-04 or later) and carry ``@idempotent`` where the schema says the key is required. A
violation fails the test that sent it. Then, as a real server would, it checks:

* the access token (``X-Shopify-Access-Token``; a wrong one gets Shopify's 401 body);
* that the document declares the operation (``mutation ProductSet(``), calls the root field
  it claims, and declares exactly the variables, with the types, of the documented signature;
* that the variables have the documented input shapes (input objects, enums, scalars): an
  unknown field or a missing required one is a GraphQL error, as Shopify returns it (HTTP
  200, ``errors``);
* the API version in the path: a supported one is served; an older one falls forward to the
  oldest supported version, which ``X-Shopify-API-Version`` names on every answer
  (shopify.dev/docs/api/usage/versioning);
* the query cost, with a real leaky bucket of points (``THROTTLED`` with ``extensions.cost``).

Products live in memory. Staged uploads go to a second host (the storage bucket), which
checks the signed form parameters and refuses a request that carries the shop's token.
Faults can be injected: lose the answer to an operation after carrying it out (a read
timeout or a 503), answer 429 with ``Retry-After``, drain the cost bucket, or lag the search
index so a product just made is not found by SKU for the next few searches.

Sources: the schema above, and shopify.dev Admin GraphQL reference pages for productSet,
ProductSetInput, ProductVariantSetInput, FileSetInput, stagedUploadsCreate, StagedUploadInput,
inventorySetQuantities, productVariantsBulkUpdate, productUpdate, publishablePublish; rate
limits from shopify.dev/docs/api/usage/limits.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.parser
import email.policy
import hashlib
import hmac
import itertools
import json
import re
import time
import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
from tests.marketplaces.specs import GraphQLSpec

SHOP = "ruralseller-test.myshopify.com"
TOKEN = "shpat_fake_0123456789abcdef"  # noqa: S105 - a test credential for the fake
VERSION = "2026-10"
# The versions the fake serves; an older one falls forward to the first (12 months of support).
SUPPORTED = ("2026-01", "2026-04", "2026-07", "2026-10")
UPLOAD_HOST = "shopify-staged-uploads.storage.googleapis.com"
CDN = "https://cdn.shopify.com/s/files/1/0700/0001/files"
LOCATION = "gid://shopify/Location/70001"
ONLINE_STORE = "gid://shopify/Publication/1"
MAX_UPLOAD_BYTES = 20_000_000

# --- the documented input shapes (2026-01 schema) --------------------------------------------

ENUMS: dict[str, set[str]] = {
    "ProductStatus": {"ACTIVE", "ARCHIVED", "DRAFT"},
    "FileContentType": {"IMAGE", "FILE", "VIDEO", "EXTERNAL_VIDEO", "MODEL_3D"},
    "FileCreateInputDuplicateResolutionMode": {"APPEND_UUID", "RAISE_ERROR", "REPLACE"},
    "StagedUploadHttpMethodType": {"POST", "PUT"},
    "StagedUploadTargetGenerateUploadResource": {
        "BULK_MUTATION_VARIABLES",
        "COLLECTION_IMAGE",
        "FILE",
        "IMAGE",
        "MODEL_3D",
        "PRODUCT_IMAGE",
        "RETURN_LABEL",
        "SHOP_IMAGE",
        "URL_REDIRECT_IMPORT",
        "VIDEO",
    },
    "ProductVariantInventoryPolicy": {"DENY", "CONTINUE"},
    "WeightUnit": {"KILOGRAMS", "GRAMS", "POUNDS", "OUNCES"},
    "OrderCancelReason": {"CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "STAFF", "OTHER"},
}

INPUTS: dict[str, dict[str, str]] = {
    "ProductSetIdentifiers": {
        "id": "ID",
        "handle": "String",
        "customId": "UniqueMetafieldValueInput",
    },
    "ProductIdentifierInput": {
        "id": "ID",
        "handle": "String",
        "customId": "UniqueMetafieldValueInput",
    },
    "UniqueMetafieldValueInput": {"namespace": "String", "key": "String!", "value": "String!"},
    "ProductSetInput": {
        "category": "ID",
        "collections": "[ID!]",
        "descriptionHtml": "String",
        "files": "[FileSetInput!]",
        "giftCard": "Boolean",
        "handle": "String",
        "id": "ID",
        "productOptions": "[OptionSetInput!]",
        "productType": "String",
        "redirectNewHandle": "Boolean",
        "requiresSellingPlan": "Boolean",
        "seo": "SEOInput",
        "status": "ProductStatus",
        "tags": "[String!]",
        "templateSuffix": "String",
        "title": "String",
        "variants": "[ProductVariantSetInput!]",
        "vendor": "String",
    },
    "SEOInput": {"title": "String", "description": "String"},
    "OptionSetInput": {
        "id": "ID",
        "name": "String",
        "position": "Int",
        "values": "[OptionValueSetInput!]",
    },
    "OptionValueSetInput": {"id": "ID", "name": "String"},
    "ProductVariantSetInput": {
        "barcode": "String",
        "compareAtPrice": "Money",
        "file": "FileSetInput",
        "id": "ID",
        "inventoryItem": "InventoryItemInput",
        "inventoryPolicy": "ProductVariantInventoryPolicy",
        "inventoryQuantities": "[ProductSetInventoryInput!]",
        "optionValues": "[VariantOptionValueInput!]!",
        "position": "Int",
        "price": "Money",
        "requiresComponents": "Boolean",
        "sku": "String",
        "taxable": "Boolean",
        "taxCode": "String",
    },
    "VariantOptionValueInput": {
        "id": "ID",
        "linkedMetafieldValue": "String",
        "name": "String",
        "optionId": "ID",
        "optionName": "String",
    },
    "ProductSetInventoryInput": {"locationId": "ID!", "name": "String!", "quantity": "Int!"},
    "InventoryItemInput": {
        "cost": "Decimal",
        "countryCodeOfOrigin": "String",
        "harmonizedSystemCode": "String",
        "measurement": "InventoryItemMeasurementInput",
        "provinceCodeOfOrigin": "String",
        "requiresShipping": "Boolean",
        "sku": "String",
        "tracked": "Boolean",
    },
    "InventoryItemMeasurementInput": {"weight": "WeightInput", "shippingPackageId": "ID"},
    "WeightInput": {"value": "Float!", "unit": "WeightUnit!"},
    "FileSetInput": {
        "alt": "String",
        "contentType": "FileContentType",
        "duplicateResolutionMode": "FileCreateInputDuplicateResolutionMode",
        "filename": "String",
        "id": "ID",
        "originalSource": "String",
    },
    "StagedUploadInput": {
        "fileSize": "UnsignedInt64",
        "filename": "String!",
        "httpMethod": "StagedUploadHttpMethodType",
        "mimeType": "String!",
        "resource": "StagedUploadTargetGenerateUploadResource!",
    },
    "InventorySetQuantitiesInput": {
        "name": "String!",
        "quantities": "[InventoryQuantityInput!]!",
        "reason": "String!",
        "referenceDocumentUri": "String",
    },
    "InventoryQuantityInput": {
        "changeFromQuantity": "Int",
        "inventoryItemId": "ID!",
        "locationId": "ID!",
        "quantity": "Int!",
    },
    "ProductVariantsBulkInput": {
        "barcode": "String",
        "compareAtPrice": "Money",
        "id": "ID",
        "inventoryPolicy": "ProductVariantInventoryPolicy",
        "price": "Money",
        "taxable": "Boolean",
    },
    "ProductUpdateInput": {
        "descriptionHtml": "String",
        "handle": "String",
        "id": "ID",
        "productType": "String",
        "status": "ProductStatus",
        "tags": "[String!]",
        "title": "String",
        "vendor": "String",
    },
    "PublicationInput": {"publicationId": "ID", "publishDate": "DateTime"},
    "FulfillmentInput": {
        "trackingInfo": "FulfillmentTrackingInput",
        "notifyCustomer": "Boolean",
        "lineItemsByFulfillmentOrder": "[FulfillmentOrderLineItemsInput!]!",
        "originAddress": "FulfillmentOriginAddressInput",
    },
    "FulfillmentOrderLineItemsInput": {
        "fulfillmentOrderId": "ID!",
        "fulfillmentOrderLineItems": "[FulfillmentOrderLineItemInput!]",
    },
    "FulfillmentOrderLineItemInput": {"id": "ID!", "quantity": "Int!"},
    "FulfillmentTrackingInput": {
        "number": "String",
        "url": "String",
        "company": "String",
        "numbers": "[String!]",
        "urls": "[String!]",
    },
    "FulfillmentOriginAddressInput": {
        "address1": "String",
        "address2": "String",
        "city": "String",
        "zip": "String",
        "provinceCode": "String",
        "countryCode": "String!",
    },
    "OrderCancelRefundMethodInput": {
        "originalPaymentMethodsRefund": "Boolean",
        "storeCreditRefund": "OrderCancelStoreCreditRefundInput",
    },
    "OrderCancelStoreCreditRefundInput": {"expiresAt": "DateTime"},
}

# Each operation the adapter sends: its kind, root field, variable signature, and the cost
# Shopify would request for the adapter's selection (1 an object, 2 + first a connection,
# 10 a mutation: shopify.dev "GraphQL Admin API rate limits").
OPERATIONS: dict[str, tuple[str, str, dict[str, str], int]] = {
    "ShopContext": ("query", "shop", {}, 4),
    "Publications": ("query", "publications", {}, 42),
    "ProductBySku": ("query", "productVariants", {"query": "String!"}, 8),
    "ProductByIdentifier": (
        "query",
        "productByIdentifier",
        {"identifier": "ProductIdentifierInput!"},
        47,
    ),
    "ProductSet": (
        "mutation",
        "productSet",
        {
            "identifier": "ProductSetIdentifiers",
            "input": "ProductSetInput!",
            "synchronous": "Boolean!",
        },
        57,
    ),
    "StagedUploads": ("mutation", "stagedUploadsCreate", {"input": "[StagedUploadInput!]!"}, 12),
    "InventorySet": (
        "mutation",
        "inventorySetQuantities",
        {"input": "InventorySetQuantitiesInput!", "idempotencyKey": "String!"},
        12,
    ),
    "VariantPrice": (
        "mutation",
        "productVariantsBulkUpdate",
        {"productId": "ID!", "variants": "[ProductVariantsBulkInput!]!"},
        12,
    ),
    "ProductStatus": ("mutation", "productUpdate", {"product": "ProductUpdateInput!"}, 57),
    "Publish": (
        "mutation",
        "publishablePublish",
        {"id": "ID!", "input": "[PublicationInput!]!"},
        11,
    ),
    # Orders (intake): the adapter's selections, priced by the same rule.
    "Orders": (
        "query",
        "orders",
        {"first": "Int!", "after": "String", "query": "String"},
        2 + 20 * (2 + 2 + 10 * 3),
    ),
    "Order": ("query", "order", {"id": "ID!"}, 1 + 1 + 2 + 100 * 3),
    "FulfillmentOrders": ("query", "order", {"id": "ID!"}, 1 + 2 + 10 * (1 + 2 + 50 * 2)),
    "FulfillmentCreate": (
        "mutation",
        "fulfillmentCreate",
        {"fulfillment": "FulfillmentInput!"},
        11,
    ),
    "OrderCancel": (
        "mutation",
        "orderCancel",
        {
            "orderId": "ID!",
            "reason": "OrderCancelReason!",
            "restock": "Boolean!",
            "refundMethod": "OrderCancelRefundMethodInput",
            "notifyCustomer": "Boolean",
            "staffNote": "String",
        },
        11,
    ),
}

INVENTORY_REASONS = {"correction", "cycle_count_available", "received", "restock", "other"}
_VARIABLE = re.compile(r"\$(\w+)\s*:\s*([\w\[\]!]+)")


def _scalar_ok(kind: str, value: Any) -> bool:
    if kind in ENUMS:
        return value in ENUMS[kind]
    if kind in {"String", "DateTime"}:
        return isinstance(value, str)
    if kind == "ID":
        return isinstance(value, str) and value.startswith("gid://shopify/")
    if kind == "Int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "Boolean":
        return isinstance(value, bool)
    if kind == "Float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "UnsignedInt64":
        return isinstance(value, str) and value.isdigit()
    if kind in {"Money", "Decimal"}:
        try:
            Decimal(str(value))
        except InvalidOperation:
            return False
        return isinstance(value, str | int)
    raise AssertionError(f"the fake does not know the type {kind}")


def check_value(kind: str, value: Any, path: str) -> list[str]:
    """Problems of ``value`` against the GraphQL input type ``kind`` (``[X!]!`` notation)."""
    required = kind.endswith("!")
    kind = kind.removesuffix("!")
    if value is None:
        return [f"{path}: Expected value to not be null"] if required else []
    if kind.startswith("["):
        if not isinstance(value, list):
            return [f"{path}: Expected a list of {kind}"]
        if len(value) > 250:  # input arrays: at most 250 items (shopify.dev api/usage/limits)
            return [f"{path}: The input array size of {len(value)} is greater than 250"]
        inner = kind[1:-1]
        return [p for i, item in enumerate(value) for p in check_value(inner, item, f"{path}.{i}")]
    if kind in INPUTS:
        if not isinstance(value, dict):
            return [f"{path}: Expected an object of type {kind}"]
        fields = INPUTS[kind]
        problems = [
            f"{path}.{name}: Field is not defined on {kind}" for name in value if name not in fields
        ]
        for name, field_kind in fields.items():
            problems += check_value(field_kind, value.get(name), f"{path}.{name}")
        return problems
    return (
        [] if _scalar_ok(kind, value) else [f"{path}: Could not coerce value {value!r} to {kind}"]
    )


def _graphql_error(message: str, code: str, **more: Any) -> httpx.Response:
    return httpx.Response(
        200, json={"errors": [{"message": message, "extensions": {"code": code, **more}}]}
    )


class FakeShopify:
    """The fake: call it with an ``httpx.Request`` (it is an ``httpx.MockTransport`` handler).

    Args:
        currency: the shop's currency.
        capacity: the cost bucket's size in points.
        restore_rate: points restored per second.
        clock: the server's clock (a test advances it from the adapter's ``sleep``).
        check_schema: fail the test on a request the schema refuses (off only for a test of
            how Shopify's own answer to a malformed request is read).
    """

    def __init__(
        self,
        *,
        currency: str = "CNY",
        capacity: float = 2000.0,
        restore_rate: float = 100.0,
        clock: Callable[[], float] = time.monotonic,
        check_schema: bool = True,
    ) -> None:
        self.check_schema = check_schema
        self.currency = currency
        self.capacity = capacity
        self.restore_rate = restore_rate
        self.clock = clock
        self.points = capacity
        self.updated = clock()
        self.products: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, bytes] = {}
        self.targets: dict[str, dict[str, str]] = {}
        self.file_names: set[str] = set()
        self.log: list[tuple[str, str]] = []  # (operation or host, outcome)
        self.seen_tokens: list[str | None] = []
        self.upload_headers: list[dict[str, str]] = []
        self.search_lag = 0
        self._unindexed: dict[str, int] = {}
        self._faults: list[tuple[str, str]] = []
        self._ids = itertools.count(1001)
        self._signing_key = uuid.uuid4().bytes
        self.spec = GraphQLSpec.load("shopify-admin-graphql/admin-2026-01.graphql")
        self.served: list[str] = []  # the API version of each GraphQL answer
        self.idempotency_keys: list[str] = []
        self.orders: dict[str, dict[str, Any]] = {}
        #: Called after every ``Orders`` answer is made (to change orders while a client pages).
        self.between_pages: Callable[[], None] | None = None
        self.now = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)

    # --- fault injection ------------------------------------------------------------------

    def lose(self, operation: str, how: str = "timeout") -> None:
        """Carry out the next ``operation``, then lose its answer (``timeout`` or ``503``)."""
        self._faults.append((operation, how))

    @property
    def faults_pending(self) -> int:
        """How many injected faults have not happened yet."""
        return len(self._faults)

    def reject_next_with_429(self, retry_after: float) -> None:
        """Answer the next GraphQL request with 429 and ``Retry-After`` (not carried out)."""
        self._faults.append(("*", f"429:{retry_after:g}"))

    def drain(self, points: float = 0.0) -> None:
        """Leave ``points`` in the bucket, as if another client of the app had spent them."""
        self._refill()
        self.points = points

    # --- views ----------------------------------------------------------------------------

    def products_with_sku(self, sku: str) -> list[dict[str, Any]]:
        """Every product with a variant of ``sku`` (a duplicate shows up here)."""
        return [p for p in self.products.values() if any(v["sku"] == sku for v in p["variants"])]

    def operations(self) -> list[str]:
        """The operation names received, in order (throttled and failed ones too)."""
        return [op for op, _ in self.log]

    # --- dispatch -------------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == UPLOAD_HOST:
            return self._upload(request)
        if request.url.host != SHOP:
            return httpx.Response(404, text="no such host in the fake")
        self.seen_tokens.append(request.headers.get("x-shopify-access-token"))
        if request.headers.get("x-shopify-access-token") != TOKEN:
            # The body Shopify sends for a missing or wrong token.
            return httpx.Response(
                401,
                json={
                    "errors": "[API] Invalid API key or access token (unrecognized login or "
                    "wrong password)"
                },
            )
        asked = re.fullmatch(r"/admin/api/([\w-]+)/graphql\.json", request.url.path)
        if request.method != "POST" or asked is None or asked.group(1) > SUPPORTED[-1]:
            return httpx.Response(404, json={"errors": "Not Found"})
        served = asked.group(1) if asked.group(1) in SUPPORTED else SUPPORTED[0]
        self.served.append(served)
        if not request.headers.get("content-type", "").startswith("application/json"):
            return httpx.Response(415, json={"errors": "Unsupported Media Type"})
        body = json.loads(request.content)
        operation = body.get("operationName")
        if self._faults and self._faults[0][0] == "*":
            _, how = self._faults.pop(0)
            self.log.append((str(operation), how))
            return httpx.Response(
                429,
                headers={"Retry-After": how.split(":", 1)[1]},
                json={
                    "errors": "Exceeded 2 calls per second for api client. Reduce request "
                    "rates to resume uninterrupted service."
                },
            )
        if self.check_schema:
            self.spec.check(body)  # fails the test on a request the schema refuses
        response = self._graphql(body, request)
        response.headers["X-Shopify-API-Version"] = served
        if self._faults and self._faults[0][0] == operation:
            _, how = self._faults.pop(0)
            self.log[-1] = (operation, f"lost:{how}")  # carried out, answer lost
            if how == "timeout":
                raise httpx.ReadTimeout("the fake lost the answer", request=request)
            return httpx.Response(503, json={"errors": "Service Unavailable"})
        return response

    def _refill(self) -> None:
        now = self.clock()
        self.points = min(self.capacity, self.points + (now - self.updated) * self.restore_rate)
        self.updated = now

    def _cost(self, requested: float, actual: float | None) -> dict[str, Any]:
        return {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": {
                "maximumAvailable": self.capacity,
                # Whole points, as Shopify reports them, while the bucket refills
                # continuously: rounded, the report may read a fraction of a point more than
                # the bucket holds (even the whole cost of a query it has just throttled).
                "currentlyAvailable": round(self.points),
                "restoreRate": self.restore_rate,
            },
        }

    def _graphql(self, body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        operation = body.get("operationName")
        document = body.get("query")
        variables = body.get("variables") or {}
        if operation not in OPERATIONS or not isinstance(document, str):
            self.log.append((str(operation), "unknown"))
            return _graphql_error(f"No operation named {operation!r}", "OPERATION_NOT_FOUND")
        kind, root, signature, requested = OPERATIONS[operation]
        problems = self._check_document(document, kind, operation, root, signature)
        problems += [
            f"Variable ${name} is not declared by the operation"
            for name in variables
            if name not in signature
        ]
        for name, type_ in signature.items():
            problems += check_value(type_, variables.get(name), name)
        if problems:
            self.log.append((operation, "invalid"))
            return _graphql_error(
                "; ".join(problems), "INVALID_VARIABLE", problems=problems, request=request.url.path
            )
        self._refill()
        if requested > self.points:
            self.log.append((operation, "throttled"))
            return httpx.Response(
                200,
                json={
                    "errors": [
                        {
                            "message": "Throttled",
                            "extensions": {
                                "code": "THROTTLED",
                                "documentation": "https://shopify.dev/api/usage/rate-limits",
                            },
                        }
                    ],
                    "extensions": {"cost": self._cost(requested, None)},
                },
            )
        data = getattr(self, f"_op_{operation}")(variables)
        actual = max(1, requested - 3)
        self.points -= actual
        self.log.append((operation, "ok"))
        return httpx.Response(
            200,
            headers={"X-Request-Id": str(uuid.uuid4())},
            json={"data": data, "extensions": {"cost": self._cost(requested, actual)}},
        )

    @staticmethod
    def _check_document(
        document: str, kind: str, operation: str, root: str, signature: dict[str, str]
    ) -> list[str]:
        head = re.search(rf"\b{kind}\s+{operation}\b\s*(\(([^)]*)\))?\s*\{{", document)
        if head is None:
            return [f"the document does not declare `{kind} {operation}`"]
        declared = dict(_VARIABLE.findall(head.group(2) or ""))
        problems = []
        if declared != signature:
            problems.append(f"{operation} declares {declared}, the API expects {signature}")
        if not re.search(rf"\b{root}\s*[({{]", document[head.end() :]):
            problems.append(f"{operation} does not call {root}")
        return problems

    # --- staged uploads -------------------------------------------------------------------

    def _upload(self, request: httpx.Request) -> httpx.Response:
        self.upload_headers.append(dict(request.headers))
        self.log.append((UPLOAD_HOST, request.method))
        if any(name.lower().startswith("x-shopify") for name in request.headers):
            return _denied("a Shopify header was sent to the storage bucket")
        if request.method != "POST" or request.url.path != "/":
            return _denied("staged uploads are POSTed to the target url")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: "
            + request.headers["content-type"].encode()
            + b"\r\n\r\n"
            + request.content
        )
        parts = [
            (str(part.get_param("name", header="content-disposition")), part)
            for part in message.iter_parts()
        ]
        fields: dict[str, Any] = dict(parts)
        target = self.targets.get(str(fields["key"].get_content()) if "key" in fields else "")
        if target is None:
            return _denied("unknown key: ask stagedUploadsCreate for a target first")
        problem = _form_problem(target, fields, [name for name, _ in parts])
        if problem:
            return _denied(problem)
        resource = f"https://{UPLOAD_HOST}/{target['key']}"
        self.uploads[resource] = fields["file"].get_payload(decode=True)
        return httpx.Response(
            201,
            headers={"Content-Type": "application/xml"},
            text=f"<PostResponse><Location>{resource}</Location><Key>{target['key']}</Key>"
            "</PostResponse>",
        )

    # --- operations -----------------------------------------------------------------------

    def _gid(self, kind: str) -> str:
        return f"gid://shopify/{kind}/{next(self._ids)}"

    def _op_ShopContext(self, _variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {
            "shop": {"currencyCode": self.currency},
            "locations": {"nodes": [{"id": LOCATION, "name": "Village store"}]},
        }

    def _op_Publications(self, _variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {
            "publications": {
                "nodes": [
                    {"id": ONLINE_STORE, "catalog": {"title": "Online Store"}},
                    {"id": "gid://shopify/Publication/2", "catalog": {"title": "Point of Sale"}},
                ]
            }
        }

    def _op_ProductBySku(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        match = re.fullmatch(r'sku:"((?:[^"\\]|\\.)*)"', variables["query"])
        if match is None:
            return {"productVariants": {"nodes": []}}
        sku = re.sub(r"\\(.)", r"\1", match.group(1))
        nodes = [
            {"id": v["id"], "sku": v["sku"], "product": {"id": p["id"]}}
            for p in self.products.values()
            if p["id"] not in self._unindexed
            for v in p["variants"]
            if v["sku"] == sku
        ]
        for product_id in list(self._unindexed):  # each search brings the index closer
            self._unindexed[product_id] -= 1
            if self._unindexed[product_id] <= 0:
                del self._unindexed[product_id]
        return {"productVariants": {"nodes": nodes[:5]}}

    def _op_ProductByIdentifier(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        identifier = variables["identifier"]
        if "id" in identifier:
            product = self.products.get(identifier["id"])
        else:
            handle = identifier.get("handle")
            product = next((p for p in self.products.values() if p["handle"] == handle), None)
        return {"productByIdentifier": self._view(product) if product else None}

    def _view(self, product: dict[str, Any]) -> dict[str, Any]:
        published = product["status"] == "ACTIVE" and ONLINE_STORE in product["publications"]
        return {
            "id": product["id"],
            "handle": product["handle"],
            "status": product["status"],
            "updatedAt": f"2026-11-21T08:00:{product['version']:02d}Z",
            "onlineStoreUrl": f"https://{SHOP}/products/{product['handle']}" if published else None,
            "resourcePublicationsCount": {"count": len(product["publications"])},
            "variants": {
                "nodes": [
                    {
                        "id": v["id"],
                        "sku": v["sku"],
                        "price": f"{v['price']:.2f}",
                        "inventoryQuantity": v["quantity"],
                        "inventoryItem": {"id": v["inventory_item"]},
                    }
                    for v in product["variants"][:1]
                ]
            },
            "media": {
                "nodes": [
                    {
                        "id": m["id"],
                        "alt": m["alt"],
                        "mediaContentType": "IMAGE",
                        "image": {"url": m["url"]},
                    }
                    for m in product["media"][:20]  # the adapter reads media(first: 20)
                ]
            },
        }

    def _op_ProductSet(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        identifier = variables.get("identifier") or {}
        data = variables["input"]
        errors: list[dict[str, Any]] = []
        product = self._identified(identifier, errors)
        title = data.get("title", product["title"] if product else None)
        errors += _title_errors(title)
        if product is None and "variants" in data and not data.get("productOptions"):
            errors.append(
                _user_error(["input", "productOptions"], "Options are required with variants")
            )
        variants = self._set_variants(product, data.get("variants"), errors)
        media = self._set_media(product, data.get("files"), errors)
        if errors:
            return {"productSet": {"product": None, "userErrors": errors}}
        if product is None:
            product = self._create(data.get("handle") or identifier.get("handle") or _slug(title))
        for key in (
            "title",
            "descriptionHtml",
            "vendor",
            "productType",
            "status",
            "tags",
            "handle",
        ):
            if key in data:
                product[key] = data[key]
        if variants is not None:
            product["variants"] = variants
        if media is not None:
            product["media"] = media
        product["version"] += 1
        return {"productSet": {"product": self._view(product), "userErrors": []}}

    def _identified(
        self, identifier: dict[str, Any], errors: list[dict[str, Any]]
    ) -> dict[str, Any] | None:
        """The product a productSet identifier names (by id: it must exist)."""
        if "id" in identifier:
            product = self.products.get(identifier["id"])
            if product is None:
                errors.append(_user_error(["identifier", "id"], "Product does not exist"))
            return product
        handle = identifier.get("handle")
        return next((p for p in self.products.values() if handle and p["handle"] == handle), None)

    def _create(self, handle: str) -> dict[str, Any]:
        product: dict[str, Any] = {
            "id": self._gid("Product"),
            "handle": handle,
            "status": "ACTIVE",
            "version": 0,
            "variants": [],
            "media": [],
            "publications": set(),
        }
        self.products[product["id"]] = product
        if self.search_lag:
            self._unindexed[product["id"]] = self.search_lag
        return product

    def _set_variants(
        self,
        product: dict[str, Any] | None,
        given: list[dict[str, Any]] | None,
        errors: list[dict[str, Any]],
    ) -> list[dict[str, Any]] | None:
        if given is None:
            return None
        old = {v["id"]: v for v in (product or {}).get("variants", [])}
        result = []
        for i, item in enumerate(given):
            if item.get("id") and item["id"] not in old:
                errors.append(_user_error(["input", "variants", str(i), "id"], "Not found"))
                continue
            variant = dict(old.get(item.get("id", ""), {}))
            if not variant:
                variant = {
                    "id": self._gid("ProductVariant"),
                    "inventory_item": self._gid("InventoryItem"),
                    "quantity": 0,
                    "sku": "",
                    "price": Decimal(0),
                }
            variant["sku"] = item.get("sku", variant["sku"])
            weight = ((item.get("inventoryItem") or {}).get("measurement") or {}).get("weight")
            if weight is not None:
                variant["weight"] = (weight["value"], weight["unit"])
            if "price" in item:
                variant["price"] = Decimal(str(item["price"]))
            for j, level in enumerate(item.get("inventoryQuantities") or ()):
                if level["locationId"] != LOCATION or level["name"] not in {"available", "on_hand"}:
                    errors.append(
                        _user_error(
                            ["input", "variants", str(i), "inventoryQuantities", str(j)],
                            "Location or quantity name is invalid",
                        )
                    )
                else:
                    variant["quantity"] = level["quantity"]
            result.append(variant)
        return result

    def _set_media(
        self,
        product: dict[str, Any] | None,
        files: list[dict[str, Any]] | None,
        errors: list[dict[str, Any]],
    ) -> list[dict[str, Any]] | None:
        if files is None:
            return None
        old = {m["id"]: m for m in (product or {}).get("media", [])}
        media = []
        for i, item in enumerate(files):
            if item.get("id"):
                if item["id"] not in old:
                    errors.append(_user_error(["input", "files", str(i), "id"], "File not found"))
                else:
                    media.append(old[item["id"]])
                continue
            source = item.get("originalSource")
            if source not in self.uploads:
                errors.append(
                    _user_error(
                        ["input", "files", str(i), "originalSource"],
                        "Image URL is invalid: upload the file to the staged target first",
                    )
                )
                continue
            name = item.get("filename") or source.rsplit("/", 1)[-1]
            if name in self.file_names:  # APPEND_UUID, the default duplicateResolutionMode
                stem, _, extension = name.rpartition(".")
                name = f"{stem}_{uuid.uuid4()}.{extension}"
            self.file_names.add(name)
            media.append(
                {
                    "id": self._gid("MediaImage"),
                    "alt": item.get("alt", ""),
                    "url": f"{CDN}/{name}?v=1",
                }
            )
        return media

    def _op_StagedUploads(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        targets = []
        errors = []
        for i, item in enumerate(variables["input"]):
            if item.get("httpMethod") != "POST" or not item["mimeType"].startswith("image/"):
                errors.append(_user_error(["input", str(i)], "the fake stages POSTed images only"))
                continue
            key = f"tmp/70001/products/{uuid.uuid4()}/{item['filename']}"
            policy = base64.b64encode(json.dumps({"key": key}).encode()).decode()
            signature = hmac.new(self._signing_key, policy.encode(), hashlib.sha256).hexdigest()
            parameters = {
                "Content-Type": item["mimeType"],
                "success_action_status": "201",
                "acl": "private",
                "key": key,
                "x-goog-algorithm": "GOOG4-RSA-SHA256",
                "x-goog-credential": "fake-uploads@shopify-fake.iam.gserviceaccount.com",
                "x-goog-date": "20261121T080000Z",
                "x-goog-signature": signature,
                "policy": policy,
            }
            self.targets[key] = parameters
            targets.append(
                {
                    "url": f"https://{UPLOAD_HOST}/",
                    "resourceUrl": f"https://{UPLOAD_HOST}/{key}",
                    "parameters": [{"name": k, "value": v} for k, v in parameters.items()],
                }
            )
        return {"stagedUploadsCreate": {"stagedTargets": targets, "userErrors": errors}}

    def _variant_by(self, key: str, value: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
        for product in self.products.values():
            for variant in product["variants"]:
                if variant[key] == value:
                    return product, variant
        return None

    def _op_InventorySet(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        self.idempotency_keys.append(variables["idempotencyKey"])
        data = variables["input"]
        errors = []
        if data["name"] not in {"available", "on_hand"}:
            errors.append(_user_error(["input", "name"], "The quantity name is invalid"))
        if data["reason"] not in INVENTORY_REASONS:
            errors.append(_user_error(["input", "reason"], "The reason is invalid"))
        changes = []
        for i, item in enumerate(data["quantities"]):
            found = self._variant_by("inventory_item", item["inventoryItemId"])
            if found is None or item["locationId"] != LOCATION:
                errors.append(
                    _user_error(["input", "quantities", str(i)], "Inventory item not stocked here")
                )
            elif "changeFromQuantity" not in item:
                errors.append(
                    _user_error(
                        ["input", "quantities", str(i), "changeFromQuantity"],
                        "changeFromQuantity is required: the expected quantity, or null to "
                        "skip the check",
                    )
                )
            else:
                changes.append((found, item["quantity"]))
        if errors:
            return {
                "inventorySetQuantities": {"inventoryAdjustmentGroup": None, "userErrors": errors}
            }
        for (product, variant), quantity in changes:
            variant["quantity"] = quantity
            product["version"] += 1
        return {
            "inventorySetQuantities": {
                "inventoryAdjustmentGroup": {"reason": data["reason"]},
                "userErrors": [],
            }
        }

    def _op_VariantPrice(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        product = self.products.get(variables["productId"])
        errors = []
        if product is None:
            errors.append(_user_error(["productId"], "Product does not exist"))
        updated = []
        for i, item in enumerate(variables["variants"]):
            variant = next(
                (v for v in (product or {}).get("variants", []) if v["id"] == item.get("id")), None
            )
            if variant is None:
                errors.append(_user_error(["variants", str(i), "id"], "Variant does not exist"))
            elif "price" in item and Decimal(str(item["price"])) < 0:
                errors.append(_user_error(["variants", str(i), "price"], "Price must be positive"))
            else:
                updated.append((variant, item))
        if errors or product is None:
            return {"productVariantsBulkUpdate": {"productVariants": None, "userErrors": errors}}
        for variant, item in updated:
            if "price" in item:
                variant["price"] = Decimal(str(item["price"]))
        product["version"] += 1
        return {
            "productVariantsBulkUpdate": {
                "productVariants": [
                    {"id": v["id"], "price": f"{v['price']:.2f}"} for v, _ in updated
                ],
                "userErrors": [],
            }
        }

    def _op_ProductStatus(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        data = variables["product"]
        product = self.products.get(data.get("id", ""))
        if product is None:
            return {
                "productUpdate": {
                    "product": None,
                    "userErrors": [_user_error(["id"], "Product does not exist")],
                }
            }
        for key in ("status", "title", "handle", "vendor", "productType", "tags"):
            if key in data:
                product[key] = data[key]
        product["version"] += 1
        return {"productUpdate": {"product": self._view(product), "userErrors": []}}

    def _op_Publish(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        product = self.products.get(variables["id"])
        errors = []
        if product is None:
            errors.append(_user_error(["id"], "Publishable does not exist"))
        for i, item in enumerate(variables["input"]):
            if item.get("publicationId") != ONLINE_STORE:
                errors.append(_user_error(["input", str(i), "publicationId"], "Not found"))
        if not errors and product is not None:
            product["publications"].update(i["publicationId"] for i in variables["input"])
        return {"publishablePublish": {"userErrors": errors}}

    # --- orders -----------------------------------------------------------------------------

    def _tick(self, at: dt.datetime | None = None) -> dt.datetime:
        self.now = at or self.now + dt.timedelta(seconds=1)
        return self.now

    def sell(
        self,
        lines: list[tuple[str, int, str]],
        *,
        at: dt.datetime | None = None,
        name: str = "Wu Lan",
    ) -> dict[str, Any]:
        """A buyer's order of ``(sku, quantity, unit price paid)`` lines, without requests."""
        now = self._tick(at)
        order_id = self._gid("Order")
        order = {
            "id": order_id,
            "name": f"#{1000 + len(self.orders) + 1}",
            "created": now,
            "updated": now,
            "cancelled": None,
            "address": {
                "name": name,
                "address1": "8 Tea Garden Road",
                "address2": None,
                "city": "Taihe",
                "province": "Jiangxi",
                "zip": "343700",
                "countryCodeV2": "CN",
                "phone": "+86 138 0000 0000",
            },
            "lines": [
                {
                    "id": self._gid("LineItem"),
                    "sku": sku,
                    "quantity": quantity,
                    "current": quantity,
                    "fulfilled": 0,
                    "paid": price,
                    "fo_line": self._gid("FulfillmentOrderLineItem"),
                }
                for sku, quantity, price in lines
            ],
            "fulfillment_order": self._gid("FulfillmentOrder"),
            "fo_status": "OPEN",
            "fulfillments": [],
        }
        self.orders[order_id] = order
        return order

    def touch(self, order_id: str, at: dt.datetime | None = None) -> None:
        """The merchant or buyer changes the order (a note, an address): a newer updatedAt."""
        self.orders[order_id]["updated"] = self._tick(at)

    def _order_view(self, order: dict[str, Any], lines: int) -> dict[str, Any]:
        current = [line for line in order["lines"] if line["current"] > 0]
        fulfilled = sum(line["fulfilled"] for line in current)
        wanted = sum(line["current"] for line in current)
        status = (
            "FULFILLED"
            if current and fulfilled == wanted
            else "PARTIALLY_FULFILLED"
            if fulfilled
            else "UNFULFILLED"
        )
        return {
            "id": order["id"],
            "name": order["name"],
            "createdAt": order["created"].strftime("%Y-%m-%dT%H:%M:%SZ"),
            "updatedAt": order["updated"].strftime("%Y-%m-%dT%H:%M:%SZ"),
            "cancelledAt": order["cancelled"],
            "displayFulfillmentStatus": status,
            "displayFinancialStatus": "REFUNDED" if order["cancelled"] else "PAID",
            "shippingAddress": order["address"],
            "lineItems": {
                "pageInfo": {"hasNextPage": len(order["lines"]) > lines},
                "nodes": [
                    {
                        "id": line["id"],
                        "sku": line["sku"] or None,
                        "quantity": line["quantity"],
                        "currentQuantity": line["current"],
                        "unfulfilledQuantity": line["current"] - line["fulfilled"],
                        "discountedUnitPriceAfterAllDiscountsSet": {
                            "shopMoney": {"amount": line["paid"], "currencyCode": self.currency}
                        },
                    }
                    for line in order["lines"][:lines]
                ],
            },
        }

    def _op_Orders(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        query = variables.get("query")
        since = None
        if query is not None:
            match = re.fullmatch(r"updated_at:>='([^']+)'", query)
            assert match, f"the fake knows only updated_at:>= searches, not {query!r}"
            since = dt.datetime.fromisoformat(match.group(1))
        found = sorted(
            (o for o in self.orders.values() if since is None or o["updated"] >= since),
            key=lambda o: (o["updated"], o["id"]),
        )
        if variables.get("after"):
            # Shopify's cursor holds the sort value and id of the last node read.
            last = json.loads(base64.b64decode(variables["after"]))
            key = (dt.datetime.fromisoformat(last["value"]), last["id"])
            found = [o for o in found if (o["updated"], o["id"]) > key]
        page = found[: variables["first"]]
        end = (
            base64.b64encode(
                json.dumps(
                    {"value": page[-1]["updated"].isoformat(), "id": page[-1]["id"]}
                ).encode()
            ).decode()
            if page
            else None
        )
        answer = {
            "orders": {
                "pageInfo": {"hasNextPage": len(found) > len(page), "endCursor": end},
                "nodes": [self._order_view(o, 10) for o in page],
            }
        }
        if self.between_pages is not None:
            self.between_pages()
        return answer

    def _op_Order(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        order = self.orders.get(variables["id"])
        return {"order": self._order_view(order, 100) if order else None}

    def _op_FulfillmentOrders(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        order = self.orders.get(variables["id"])
        if order is None:
            return {"order": None}
        return {
            "order": {
                "fulfillmentOrders": {
                    "nodes": [
                        {
                            "id": order["fulfillment_order"],
                            "status": order["fo_status"],
                            "lineItems": {
                                "nodes": [
                                    {
                                        "id": line["fo_line"],
                                        "remainingQuantity": line["current"] - line["fulfilled"],
                                        "lineItem": {"id": line["id"]},
                                    }
                                    for line in order["lines"]
                                ]
                            },
                        }
                    ]
                }
            }
        }

    def _op_FulfillmentCreate(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        fulfillment = variables["fulfillment"]
        errors = []
        moves = []
        for group in fulfillment["lineItemsByFulfillmentOrder"]:
            order = next(
                (
                    o
                    for o in self.orders.values()
                    if o["fulfillment_order"] == group["fulfillmentOrderId"]
                ),
                None,
            )
            if order is None or order["fo_status"] not in ("OPEN", "IN_PROGRESS"):
                errors.append(_user_error(["fulfillment"], "Fulfillment order is not open"))
                continue
            for item in group.get("fulfillmentOrderLineItems") or []:
                line = next((x for x in order["lines"] if x["fo_line"] == item["id"]), None)
                left = line["current"] - line["fulfilled"] if line else 0
                if line is None or not 0 < item["quantity"] <= left:
                    errors.append(
                        _user_error(["fulfillment"], "Invalid fulfillment order line item quantity")
                    )
                else:
                    moves.append((order, line, item["quantity"]))
        if errors:
            return {"fulfillmentCreate": {"fulfillment": None, "userErrors": errors}}
        fulfillment_id = self._gid("Fulfillment")
        for order, line, quantity in moves:
            line["fulfilled"] += quantity
            order["fulfillments"].append(
                {"id": fulfillment_id, "tracking": fulfillment.get("trackingInfo")}
            )
            if all(x["fulfilled"] == x["current"] for x in order["lines"]):
                order["fo_status"] = "CLOSED"
            order["updated"] = self._tick()
        return {
            "fulfillmentCreate": {
                "fulfillment": {"id": fulfillment_id, "status": "SUCCESS"},
                "userErrors": [],
            }
        }

    def _op_OrderCancel(self, variables: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        order = self.orders.get(variables["orderId"])
        if order is None or order["cancelled"]:
            problem = _user_error(["orderId"], "Order cannot be cancelled.", "INVALID")
            return {"orderCancel": {"job": None, "orderCancelUserErrors": [problem]}}
        now = self._tick()
        order["cancelled"] = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        order["cancel"] = dict(variables)
        order["fo_status"] = "CLOSED"
        order["updated"] = now
        return {
            "orderCancel": {
                "job": {"id": self._gid("Job"), "done": True},
                "orderCancelUserErrors": [],
            }
        }


def _user_error(field: list[str], message: str, code: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"field": field, "message": message}
    if code:
        error["code"] = code
    return error


def _denied(why: str) -> httpx.Response:
    """The storage bucket's refusal (an XML error, as Google Cloud Storage answers)."""
    return httpx.Response(
        403,
        text=f"<Error><Code>AccessDenied</Code><Message>{why}</Message></Error>",
        headers={"Content-Type": "application/xml"},
    )


def _form_problem(target: dict[str, str], fields: dict[str, Any], order: list[str]) -> str:
    """What is wrong with a staged-upload form, or an empty string."""
    for name, value in target.items():
        if name not in fields or fields[name].get_content().strip() != value:
            return f"the form parameter {name} is missing or altered"
    if order[-1:] != ["file"]:
        return "the file must be the last field of the form"
    if fields["file"].get_content_type() != target["Content-Type"]:
        return "the file's content type is not the one the policy allows"
    if len(fields["file"].get_payload(decode=True)) > MAX_UPLOAD_BYTES:
        return "EntityTooLarge"
    return ""


def _title_errors(title: str | None) -> list[dict[str, Any]]:
    if not title:
        return [_user_error(["input", "title"], "Title can't be blank", "BLANK")]
    if len(title) > 255:
        return [
            _user_error(
                ["input", "title"], "Title is too long (maximum is 255 characters)", "INVALID"
            )
        ]
    return []


def _slug(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")[:255] or "product"

"""The Shopify adapter: a Driver with Shopify's settings, auth and calls."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx

from ruralseller.catalog import Money
from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceError,
)
from ruralseller.listing import (
    IssueSeverity,
    ListingDraft,
    ListingIssue,
    LocalizedText,
    ProcessedImage,
    validate_draft,
)
from ruralseller.marketplaces.base import Capabilities, ListingState, guard_answers, image_name
from ruralseller.marketplaces.driver import Driver
from ruralseller.marketplaces.shopify.constants import (
    _ESTIMATED_COST,
    _NAME,
    _STATES,
    _VERSION_HEADER,
    MEDIA_PAGE,
    STANDARD_RESTORE_RATE,
)
from ruralseller.marketplaces.shopify.documents import (
    _INVENTORY_SET,
    _PRODUCT_BY_IDENTIFIER,
    _PRODUCT_BY_SKU,
    _PRODUCT_SET,
    _PRODUCT_STATUS,
    _PUBLICATIONS,
    _PUBLISH,
    _SHOP_CONTEXT,
    _STAGED_UPLOADS,
    _VARIANT_PRICE,
    _picture_name,
)
from ruralseller.marketplaces.shopify.errors import (
    QueryCostBucket,
    ShopifyTokenAuth,
    classify_graphql,
    shop_cost_bucket,
)
from ruralseller.marketplaces.shopify.orders import ORDER_COSTS, ShopifyOrders
from ruralseller.marketplaces.shopify.payloads import (
    file_inputs,
    inventory_set_input,
    product_handle,
    product_set_input,
    sku_search_query,
    staged_upload_input,
)
from ruralseller.marketplaces.shopify.settings import (
    ShopifySettings,
)

__all__ = [
    "ShopifyMarketplace",
]

logger = logging.getLogger("ruralseller.marketplaces.shopify")

# --- the adapter ----------------------------------------------------------------------------


@guard_answers
class ShopifyMarketplace(ShopifyOrders, Driver[ShopifySettings]):
    """Publishes to a Shopify store through the Admin GraphQL API.

    Its settings are :class:`ShopifySettings` (``shop`` may come first, by position); the
    wiring (``retry``, ``rate``, ``transport``, ``timeout``, ``sleep``, ``clock``) is the
    :class:`~ruralseller.marketplaces.driver.Driver`'s. Every request this adapter sends can
    be repeated, so all are retried; ``rate`` is the query-cost points restored per second
    (the plan's; Standard 100), and requests wait for the shop's query-cost bucket, not a
    request count. It takes the store's orders in too
    (:class:`~ruralseller.marketplaces.shopify.orders.ShopifyOrders`).

    Args:
        cost_bucket: the shop's query-cost bucket; by default the one every adapter for the
            shop in this process shares (:func:`shop_cost_bucket`). Tests pass one on the
            fake shop's clock.
    """

    name: ClassVar[str] = _NAME
    capabilities: ClassVar[Capabilities] = Capabilities(
        image_upload=True,
        native_idempotency=True,
        withdraw=True,
        stock_and_price=True,
    )
    settings_class: ClassVar[type[ShopifySettings]] = ShopifySettings
    default_rate: ClassVar[float] = STANDARD_RESTORE_RATE
    positional: ClassVar[tuple[str, ...]] = ("shop",)

    def __init__(
        self, *args: Any, cost_bucket: QueryCostBucket | None = None, **kwargs: Any
    ) -> None:
        self._given_bucket = cost_bucket
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        """The store's settings as attributes, and its query-cost bucket."""
        settings = self.settings
        self.shop = settings.shop
        self.api_version = settings.api_version
        self.base_url = (settings.base_url or f"https://{self.shop}").rstrip("/")
        self.currency = settings.currency
        self.locale = settings.locale
        self.location_id = settings.location_id
        self.vendor = settings.vendor
        self.publish_to = settings.publish_to
        self.publication_ids = settings.publication_ids
        #: The API version Shopify last said it served (``X-Shopify-API-Version``).
        self.served_version: str | None = None
        self._sleep = self.sleep
        self._secrets = (settings.access_token,)
        self.cost_bucket = (
            self._given_bucket
            if self._given_bucket is not None
            else shop_cost_bucket(self.shop, self.rate)
        )
        self._costs: dict[str, float] = {}

    def make_auth(self) -> httpx.Auth:
        """The access token, sent to the shop only (:class:`ShopifyTokenAuth`)."""
        host = urlsplit(self.base_url).hostname or self.shop
        return ShopifyTokenAuth(self.settings.access_token, host)

    def rate_limit(self) -> None:
        """None: requests wait for the query-cost bucket (:class:`QueryCostBucket`)."""
        return

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """Shopify's GraphQL errors, and its cost report for the bucket."""
        return self._classify(response)

    @property
    def endpoint(self) -> str:
        """The GraphQL endpoint every request goes to."""
        return f"{self.base_url}/admin/api/{self.api_version}/graphql.json"

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """The issues Shopify would refuse, checked locally, for the text that is sent.

        Besides the profile's checks: the draft must have text in the adapter's ``locale``,
        and its price must be in the shop's currency (when known: configured, or read by an
        earlier write); more than :data:`MEDIA_PAGE` pictures is a warning.
        """
        issues = list(validate_draft(draft, self.profile, locale=self._locale_of(draft)))
        if self._locale_of(draft) is None:
            issues.append(
                ListingIssue(
                    "texts",
                    f"the draft has no text in {self.locale!r}, the language sent to Shopify",
                    f"generate the listing with locale {self.locale!r}, or make the adapter "
                    f"with locale= one of {', '.join(draft.locales)}",
                )
            )
        if len(draft.images) > MEDIA_PAGE:
            issues.append(
                ListingIssue(
                    "images",
                    f"{len(draft.images)} pictures: the adapter reads back the first "
                    f"{MEDIA_PAGE} of a product, so the others are uploaded again on every write",
                    f"keep at most {MEDIA_PAGE} pictures",
                    IssueSeverity.WARNING,
                )
            )
        if self.currency and draft.price.currency != self.currency:
            issues.append(
                ListingIssue(
                    "price.currency",
                    f"the price is in {draft.price.currency}, the shop sells in {self.currency}",
                    f"price the offer in {self.currency} in the catalogue",
                )
            )
        return tuple(issues)

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Write the product for ``draft.sku`` with its pictures, active, in one ``productSet``.

        Pictures the product already has (by content name) are kept, not uploaded again; with
        no ``images`` the product's pictures are left as they are.
        """
        text = self._text(draft)
        location = await self._context()
        self._check_currency(draft.price)
        found = await self._find(draft.sku)
        product = found["product"] if found else None
        files = await self._files(images, product, alt=text.title) if images else None
        handle = None if product else product_handle(draft.sku)
        identifier = {"id": product["id"]} if product else {"handle": handle}
        payload = product_set_input(
            draft,
            text=text,
            location_id=location,
            files=files,
            variant_id=found["id"] if found else None,
            handle=handle,
            vendor=self.vendor,
        )
        data = await self._graphql(
            "ProductSet",
            _PRODUCT_SET,
            {"identifier": identifier, "input": payload, "synchronous": True},
        )
        written = data["productSet"]["product"]
        channels = await self._publications()
        if channels:
            await self._graphql(
                "Publish",
                _PUBLISH,
                {"id": written["id"], "input": [{"publicationId": pid} for pid in channels]},
            )
            # Read it again: the Online Store URL exists only once it is published there.
            found = await self._find(draft.sku)
            written = found["product"] if found else written
        return self._state(written)

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Add pictures to an existing listing (those it has already are kept, not re-sent).

        The product's pictures become its current ones followed by the new ones.
        """
        found = await self._require(sku)
        product = found["product"]
        have = self._media_by_name(product)
        new = [image for image in images if image_name(image) not in have]
        if new:
            files = [{"id": media_id} for media_id in have.values()]
            files += await self._files(new, product, alt=None)
            await self._graphql(
                "ProductSet",
                _PRODUCT_SET,
                {
                    "identifier": {"id": product["id"]},
                    "input": {"files": files},
                    "synchronous": True,
                },
            )
        return tuple(image_name(image) for image in images)

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Set the ``available`` stock at the location, and the price when given.

        Only what differs from the product as Shopify holds it is written: a stock-only
        change is one ``inventorySetQuantities``, a price-only change one
        ``productVariantsBulkUpdate``.
        """
        location = await self._context()
        if price is not None:
            self._check_currency(price)
        found = await self._require(sku)
        variant = self._variant(found["product"])
        now = self._state(found["product"])
        if now.stock != stock:
            # One key per logical write, kept across the retries of this request (the body
            # is sent again as it is), so a repeat after a lost answer is not applied twice.
            await self._graphql(
                "InventorySet",
                _INVENTORY_SET,
                {
                    "input": inventory_set_input(variant["inventoryItem"]["id"], location, stock),
                    "idempotencyKey": str(uuid.uuid4()),
                },
            )
        if price is not None and now.price != price:
            await self._graphql(
                "VariantPrice",
                _VARIANT_PRICE,
                {
                    "productId": found["product"]["id"],
                    "variants": [{"id": variant["id"], "price": str(price.amount)}],
                },
            )
        state = await self.fetch(sku)
        if state is None:  # pragma: no cover - deleted between two requests
            raise self._missing(sku)
        return state

    async def withdraw(self, sku: str) -> ListingState:
        """Take the product off sale: status ``DRAFT`` (hidden from every sales channel).

        ``DRAFT`` rather than ``ARCHIVED``: the merchant still sees it among products, and the
        next :meth:`upsert` makes it active again.
        """
        await self._context()
        found = await self._require(sku)
        data = await self._graphql(
            "ProductStatus",
            _PRODUCT_STATUS,
            {"product": {"id": found["product"]["id"], "status": "DRAFT"}},
        )
        return self._state(data["productUpdate"]["product"])

    async def fetch(self, sku: str) -> ListingState | None:
        """The product whose variant has ``sku``, or ``None``."""
        await self._context()
        found = await self._find(sku)
        return self._state(found["product"]) if found else None

    # --- helpers ------------------------------------------------------------------------

    def _classify(self, response: httpx.Response) -> MarketplaceError | None:
        if response.request.url.host == self.http.client.base_url.host:
            try:
                body = response.json()
            except (ValueError, UnicodeDecodeError):
                body = None
            if isinstance(body, dict):
                cost = (body.get("extensions") or {}).get("cost") or {}
                self.cost_bucket.observe(cost.get("throttleStatus"))
            return classify_graphql(response, secrets=self._secrets)
        return None

    async def _graphql(
        self, operation: str, document: str, variables: Mapping[str, Any]
    ) -> dict[str, Any]:
        cost = (
            self._costs.get(operation)
            or _ESTIMATED_COST.get(operation)
            or ORDER_COSTS.get(operation, _ESTIMATED_COST["Publish"])
        )
        await self.cost_bucket.acquire(cost, self._sleep)
        # Every document this adapter sends is safe to repeat: reads, productSet keyed by id
        # or handle, absolute stock and price, a status. So all are retried after a lost answer.
        response = await self.http.request(
            "POST",
            self.endpoint,
            idempotent=True,
            json={"query": document, "operationName": operation, "variables": dict(variables)},
        )
        self._note_version(response)
        body = response.json()
        if not isinstance(body, dict):
            raise MarketplaceError(
                f"{self.name} answered {operation} with something that is not a GraphQL "
                "response; try again later",
                marketplace=self.name,
                status=response.status_code,
            )
        requested = ((body.get("extensions") or {}).get("cost") or {}).get("requestedQueryCost")
        if isinstance(requested, int | float) and requested > 0:
            self._costs[operation] = float(requested)
        data = body.get("data")
        if not isinstance(data, dict):
            raise MarketplaceError(
                f"{self.name} answered {operation} without data; try again later",
                marketplace=self.name,
                status=response.status_code,
            )
        return data

    def _note_version(self, response: httpx.Response) -> None:
        served = response.headers.get(_VERSION_HEADER)
        if served is None or served == self.served_version:
            return
        self.served_version = served
        if served != self.api_version:
            logger.warning(
                "shopify served API version %s, not the %s asked for: Shopify falls forward "
                "from a version past its support; set api_version to a supported one "
                "(shopify.dev/docs/api/usage/versioning)",
                served,
                self.api_version,
            )

    async def _publications(self) -> tuple[str, ...]:
        """The publication ids to publish to: given, or looked up by title once."""
        if self.publication_ids or not self.publish_to:
            return self.publication_ids
        data = await self._graphql("Publications", _PUBLICATIONS, {})
        by_title = {
            str((node.get("catalog") or {}).get("title")): str(node["id"])
            for node in (data.get("publications") or {}).get("nodes") or ()
            if isinstance(node, dict) and node.get("id")
        }
        missing = [title for title in self.publish_to if title not in by_title]
        if missing:
            raise MarketplaceError(
                f"the shop {self.shop} has no sales channel called "
                f"{', '.join(map(repr, missing))} (it has: {', '.join(sorted(by_title)) or 'none'})"
                "; set publish_to to the channels to sell on",
                marketplace=self.name,
            )
        self.publication_ids = tuple(by_title[title] for title in self.publish_to)
        return self.publication_ids

    whoami_call: ClassVar[str] = "POST /admin/api/{version}/graphql.json (query ShopContext)"

    async def whoami(self) -> str:
        """Read the shop's currency and first location (GraphQL Admin API): changes nothing.

        The same query the adapter makes before its first write, so it checks the access
        token and the ``read_locations`` access scope the adapter needs. Returns the shop.
        """
        data = await self._graphql("ShopContext", _SHOP_CONTEXT, {})
        return f"{self.shop} ({data['shop']['currencyCode']})"

    async def _context(self) -> str:
        """The location id, reading the shop's currency and first location once."""
        if self.location_id is None or self.currency is None:
            data = await self._graphql("ShopContext", _SHOP_CONTEXT, {})
            self.currency = self.currency or str(data["shop"]["currencyCode"])
            if self.location_id is None:
                nodes = data["locations"]["nodes"]
                if not nodes:
                    raise MarketplaceError(
                        f"the shop {self.shop} has no location to hold stock; add one in "
                        "Settings > Locations, or pass location_id",
                        marketplace=self.name,
                    )
                self.location_id = str(nodes[0]["id"])
        return self.location_id

    def _locale_of(self, draft: ListingDraft) -> str | None:
        try:
            return draft.text(self.locale).locale
        except KeyError:
            return None

    def _text(self, draft: ListingDraft) -> LocalizedText:
        try:
            return draft.text(self.locale)
        except KeyError as error:
            raise ListingRejectedError(
                f"{self.name}: {error.args[0]}; make the adapter with locale= one of those",
                marketplace=self.name,
                field_errors={"texts": f"no text in {self.locale!r}"},
            ) from None

    def _check_currency(self, price: Money) -> None:
        if self.currency and price.currency != self.currency:
            raise ListingRejectedError(
                f"{self.name}: the price is in {price.currency} but the shop {self.shop} sells "
                f"in {self.currency}; price the offer in {self.currency}",
                marketplace=self.name,
                field_errors={"price.currency": f"must be {self.currency}"},
            )

    async def _find(self, sku: str) -> dict[str, Any] | None:
        """The variant with ``sku`` and its product: found by search, else by our handle.

        Search reads an index that lags behind writes by a few seconds, so a product made
        moments ago may not be found there; its handle (:func:`product_handle`) finds it.
        """
        data = await self._graphql(
            "ProductBySku", _PRODUCT_BY_SKU, {"query": sku_search_query(sku)}
        )
        # Search matches words; only the exact SKU is ours.
        ids = [
            node["product"]["id"]
            for node in data["productVariants"]["nodes"]
            if node.get("sku") == sku and node.get("product")
        ]
        identifier = {"id": ids[0]} if ids else {"handle": product_handle(sku)}
        data = await self._graphql(
            "ProductByIdentifier", _PRODUCT_BY_IDENTIFIER, {"identifier": identifier}
        )
        product = data.get("productByIdentifier")
        variant = self._variant(product) if product else {}
        if product and variant.get("sku") == sku:
            return {"id": variant["id"], "sku": sku, "product": product}
        return None

    def _missing(self, sku: str) -> MarketplaceError:
        return MarketplaceError(
            f"{self.name} has no product with SKU {sku!r}; publish it with upsert first",
            marketplace=self.name,
            status=404,
        )

    async def _require(self, sku: str) -> dict[str, Any]:
        found = await self._find(sku)
        if found is None:
            raise self._missing(sku)
        return found

    @staticmethod
    def _variant(product: Mapping[str, Any]) -> dict[str, Any]:
        nodes = product.get("variants", {}).get("nodes") or [{}]
        return dict(nodes[0])

    @staticmethod
    def _media_by_name(product: Mapping[str, Any] | None) -> dict[str, str]:
        """Media id by our picture name, for the product's pictures named by content hash."""
        found: dict[str, str] = {}
        for node in (product or {}).get("media", {}).get("nodes") or ():
            url = (node.get("image") or {}).get("url")
            if url:
                name = _picture_name(url)
                stem, _, extension = name.rpartition(".")
                # Shopify may append a UUID to a file name already in use (APPEND_UUID).
                found[f"{stem[:16]}.{extension}"] = str(node["id"])
        return found

    async def _files(
        self, images: Sequence[ProcessedImage], product: Mapping[str, Any] | None, alt: str | None
    ) -> list[dict[str, Any]]:
        existing = self._media_by_name(product)
        new = [image for image in images if image_name(image) not in existing]
        uploaded = await self._stage(new) if new else {}
        files = file_inputs(images, existing=existing, uploaded=uploaded, alt=alt or "")
        if alt is None:
            for item in files:
                item.pop("alt", None)
        return files

    async def _stage(self, images: Sequence[ProcessedImage]) -> dict[str, str]:
        """Upload pictures through staged upload targets; their ``resourceUrl`` by name."""
        data = await self._graphql(
            "StagedUploads",
            _STAGED_UPLOADS,
            {"input": [staged_upload_input(image) for image in images]},
        )
        targets = data["stagedUploadsCreate"]["stagedTargets"]
        uploaded: dict[str, str] = {}
        for image, target in zip(images, targets, strict=True):
            form = {p["name"]: p["value"] for p in target["parameters"]}
            encoded = httpx.Request(
                "POST",
                target["url"],
                data=form,
                files={"file": (image_name(image), image.data, image.media_type)},
            )
            # The same bytes to the same signed target: harmless to repeat.
            await self.http.request(
                "POST",
                target["url"],
                idempotent=True,
                content=encoded.read(),
                headers={"Content-Type": encoded.headers["Content-Type"]},
            )
            uploaded[image_name(image)] = str(target["resourceUrl"])
        return uploaded

    def _state(self, product: Mapping[str, Any]) -> ListingState:
        variant = self._variant(product)
        status = str(product.get("status", ""))
        channels = (product.get("resourcePublicationsCount") or {}).get("count")
        state = _STATES.get(status, "draft")
        if state == "active" and channels == 0:
            state = "draft"  # active, but on no sales channel: no buyer can see it
        price = variant.get("price")
        images = tuple(
            _picture_name(node["image"]["url"])
            for node in product.get("media", {}).get("nodes") or ()
            if (node.get("image") or {}).get("url")
        )
        return ListingState(
            marketplace=self.name,
            sku=str(variant.get("sku", "")),
            state=state,
            version=product.get("updatedAt"),
            stock=variant.get("inventoryQuantity"),
            price=Money(Decimal(str(price)), self.currency)
            if price is not None and self.currency
            else None,
            images=images,
            url=product.get("onlineStoreUrl"),
            extra={
                "product_id": product.get("id"),
                "variant_id": variant.get("id"),
                "inventory_item_id": (variant.get("inventoryItem") or {}).get("id"),
                "handle": product.get("handle"),
                "status": status,
                "channels": channels,
            },
        )

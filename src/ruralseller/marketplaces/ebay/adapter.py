"""The eBay adapter: a Driver with eBay's settings, auth and calls."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import httpx

from ruralseller.catalog import Money
from ruralseller.errors import (
    InvalidValueError,
    MarketplaceError,
)
from ruralseller.listing import (
    IssueSeverity,
    ListingDraft,
    ListingIssue,
    LocalizedText,
    ProcessedImage,
    validate_draft,
    with_food_statements,
)
from ruralseller.marketplaces.base import Capabilities, ListingState, guard_answers
from ruralseller.marketplaces.driver import Driver
from ruralseller.marketplaces.ebay.auth import (
    EbayAuth,
)
from ruralseller.marketplaces.ebay.constants import (
    _NOT_FOUND,
    ASPECT_NAME_MAX,
    ASPECT_VALUE_MAX,
    DEFAULT_RATE,
    IMAGE_MAX,
    INVENTORY_SCOPE,
    PRODUCTION_URL,
    SANDBOX_TOKEN_URL,
    SANDBOX_URL,
    TOKEN_URL,
    EbayListingSettings,
    EbaySite,
)
from ruralseller.marketplaces.ebay.errors import (
    OfferExistsError,
    ebay_error,
)
from ruralseller.marketplaces.ebay.orders import FULFILLMENT_SCOPE, EbayOrders
from ruralseller.marketplaces.ebay.payloads import (
    image_urls,
    inventory_item_payload,
    offer_payload,
    price_quantity_payload,
)
from ruralseller.marketplaces.ebay.settings import (
    _ITEM_FIELDS,
    EbaySettings,
    _path,
)
from ruralseller.marketplaces.http import create_once
from ruralseller.marketplaces.secrets import Secret

__all__ = [
    "EbayMarketplace",
]

logger = logging.getLogger("ruralseller.marketplaces")

# --- the adapter -----------------------------------------------------------------------------


@guard_answers
class EbayMarketplace(EbayOrders, Driver[EbaySettings]):
    """Publishes to eBay through the Sell Inventory API (one eBay site per adapter).

    Its settings are :class:`EbaySettings`; the wiring (``retry``, ``rate``, ``transport``,
    ``timeout``, ``sleep``, ``clock``) is the :class:`~ruralseller.marketplaces.driver.Driver`'s:
    ``rate`` is requests per second to stay under (:data:`DEFAULT_RATE`), shared by the
    adapters of the same app. The listing settings (category, location, policies, site) are
    :attr:`listing_settings`. Orders come in through the Fulfillment API (:class:`EbayOrders`).
    """

    name: ClassVar[str] = "ebay"
    capabilities: ClassVar[Capabilities] = Capabilities(
        multi_step_publish=True,
        image_upload=False,
        image_urls=True,
        native_idempotency=False,  # createOffer has no idempotency key: create_once instead
        variable_weight=False,
        withdraw=True,
        stock_and_price=True,
    )

    settings_class: ClassVar[type[EbaySettings]] = EbaySettings
    default_rate: ClassVar[float] = DEFAULT_RATE

    def setup(self) -> None:
        """The listing settings, the environment's hosts and the OAuth auth."""
        settings = self.settings
        self.listing_settings = EbayListingSettings(
            category_id=settings.category_id,
            merchant_location_key=settings.merchant_location_key,
            fulfillment_policy_id=settings.fulfillment_policy_id,
            payment_policy_id=settings.payment_policy_id,
            return_policy_id=settings.return_policy_id,
            marketplace_id=settings.marketplace_id,
        )
        self.image_base_url = settings.image_base_url
        self.sandbox = settings.sandbox
        default = SANDBOX_URL if settings.sandbox else PRODUCTION_URL
        self.base_url = (settings.base_url or default).rstrip("/")
        self.auth = EbayAuth(
            client_id=settings.client_id,
            client_secret=settings.client_secret,
            refresh_token=settings.refresh_token,
            access_token=settings.access_token,
            scopes=(INVENTORY_SCOPE, FULFILLMENT_SCOPE),
            token_url=settings.token_url or (SANDBOX_TOKEN_URL if settings.sandbox else TOKEN_URL),
            clock=self.clock,
        )

    def make_auth(self) -> httpx.Auth:
        """EBay's user token, renewed with the refresh token (:class:`EbayAuth`)."""
        return self.auth

    def account_key(self) -> str:
        """EBay's quota is per app, for all sites."""
        return f"{self.base_url} {self.settings.client_id}"

    def secrets(self) -> list[Secret]:
        """The app's and the seller's credentials."""
        return list(self.auth.secrets)

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """EBay's error bodies (:func:`ebay_error`)."""
        return ebay_error(response, secrets=self.auth.secrets)

    def __repr__(self) -> str:
        return (
            f"EbayMarketplace(base_url={self.base_url!r}, "
            f"marketplace_id={self.listing_settings.marketplace_id!r}, "
            f"client_id={self.auth.client_id!r})"
        )

    @property
    def site(self) -> EbaySite:
        """The eBay site this adapter lists on."""
        return self.listing_settings.site

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """The issues eBay would refuse or warn about, checked locally.

        The ``ebay`` profile's checks, plus: the price in the site's currency, English text,
        somewhere to host the pictures, and item specifics within eBay's lengths.
        """
        issues = list(validate_draft(draft, self.profile, locale="en"))
        site = self.site
        if draft.price.currency != site.currency:
            issues.append(
                ListingIssue(
                    "price",
                    f"{site.marketplace_id} sells in {site.currency}, the price is in "
                    f"{draft.price.currency}",
                    f"price the listing in {site.currency}, or list on the eBay site of "
                    f"{draft.price.currency} (marketplace_id)",
                )
            )
        if draft.images and self.image_base_url is None:
            issues.append(
                ListingIssue(
                    "images",
                    "eBay fetches pictures from HTTPS addresses, and no image_base_url is set",
                    "host the pictures on an https:// site and give its address as image_base_url",
                )
            )
        if any(key.split("-")[0] == "en" for key in draft.texts):
            issues.extend(_aspect_issues(draft.text("en")))
        return tuple(issues)

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Write the inventory item, create or update its offer, and publish it.

        Nothing here makes a second offer: the offer is looked up by SKU first, a create
        whose answer is lost is reconciled by SKU (:func:`create_once`), and eBay's "offer
        already exists" answer is taken as found. The statement eBay's food policy asks of a
        perishable (how it reaches the buyer cold) is written into the description
        (:func:`~ruralseller.listing.with_food_statements`).
        """
        draft = with_food_statements(draft, self.profile.food_policy, marketplace=self.name)
        urls = self._urls(images)
        await self._put_item(draft.sku, inventory_item_payload(draft, self.listing_settings, urls))
        offer = await self._offer(draft.sku)
        published: str | None = None
        if offer is None:
            offer_id = await self._create_offer(draft)
        else:
            offer_id = str(offer["offerId"])
            await self.http.request(
                "PUT",
                _path("offer", offer_id),
                idempotent=True,
                json=offer_payload(draft, self.listing_settings, for_update=True),
                headers=self._language(),
            )
            if offer.get("status") == "PUBLISHED":
                published = str((offer.get("listing") or {}).get("listingId") or "") or None
        if published is None:
            # publishOffer on an offer already live only re-publishes it: safe to repeat.
            response = await self.http.request(
                "POST", _path("offer", offer_id, "publish"), idempotent=True
            )
            published = str(response.json().get("listingId") or "") or None
        shown = urls
        return ListingState(
            marketplace=self.name,
            sku=draft.sku,
            state="active",
            stock=draft.stock,
            price=draft.price,
            images=shown,
            url=self._listing_url(published),
            extra={"offerId": offer_id, "listingId": published, "status": "PUBLISHED"},
        )

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Point the inventory item at the pictures' HTTPS addresses; return them.

        eBay takes no picture files through this API: the partner hosts each picture at
        ``image_base_url`` under its :func:`image_name`, and eBay fetches it from there.
        """
        urls = self._urls(images)
        response = await self.http.request("GET", _path("inventory_item", sku), idempotent=True)
        item = response.json()
        body = {k: item[k] for k in _ITEM_FIELDS if k in item}
        if "availability" in body:  # the answer's availability has read-only parts
            quantity = body["availability"].get("shipToLocationAvailability", {}).get("quantity")
            body["availability"] = {"shipToLocationAvailability": {"quantity": quantity or 0}}
        body.setdefault("product", {})["imageUrls"] = list(urls)
        await self._put_item(sku, body)
        return urls

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock, and the price when given, of the item and its offer."""
        offer = await self._offer(sku)
        offer_id = str(offer["offerId"]) if offer is not None else None
        body = price_quantity_payload(sku, stock, offer_id=offer_id, price=price, site=self.site)
        await self.http.request("POST", "/bulk_update_price_quantity", idempotent=True, json=body)
        state = await self.fetch(sku)
        if state is None:
            raise self._missing(sku)
        return state

    async def withdraw(self, sku: str) -> ListingState:
        """End the eBay listing and keep the offer, unpublished, to publish again later."""
        offer = await self._offer(sku)
        if offer is None:
            raise self._missing(sku)
        offer_id = str(offer["offerId"])
        if offer.get("status") == "PUBLISHED":
            await self.http.request("POST", _path("offer", offer_id, "withdraw"), idempotent=True)
        state = await self.fetch(sku)
        if state is None:  # pragma: no cover - the offer was just there
            raise self._missing(sku)
        return state

    whoami_call: ClassVar[str] = "GET /sell/inventory/v1/inventory_item?limit=1"

    async def whoami(self) -> str:
        """Read one inventory item (getInventoryItems, Sell Inventory API v1): changes nothing.

        It needs the ``sell.inventory`` scope the adapter works with, after the refresh
        token has been exchanged, so it checks the client id and secret, the refresh token
        and the scope at once. eBay's answer names no seller: nothing is returned.
        """
        response = await self.http.request(
            "GET", "/inventory_item", idempotent=True, params={"limit": "1", "offset": "0"}
        )
        int(response.json()["total"])  # the answer must be an inventory page
        return ""

    async def fetch(self, sku: str) -> ListingState | None:
        """The inventory item and its offer as eBay holds them, or ``None``."""
        try:
            response = await self.http.request("GET", _path("inventory_item", sku), idempotent=True)
        except MarketplaceError as error:
            if _is_not_found(error):
                return None
            raise
        return self._state(sku, response.json(), await self._offer(sku))

    async def aclose(self) -> None:
        """Close the connections."""
        await self.http.aclose()

    # --- steps -------------------------------------------------------------------------------

    def _language(self) -> dict[str, str]:
        return {"Content-Language": self.site.content_language}

    def _urls(self, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        if not images:
            return ()
        if self.image_base_url is None:
            raise InvalidValueError(
                "eBay fetches pictures from HTTPS addresses, and no image_base_url is set",
                field="image_base_url",
                hint="host the pictures on an https:// site, each under its image_name(), and "
                "give that site's address as image_base_url",
            )
        if len(images) > IMAGE_MAX:
            raise InvalidValueError(
                f"eBay takes at most {IMAGE_MAX} pictures per listing, got {len(images)}",
                field="images",
                hint=f"keep the best {IMAGE_MAX}",
            )
        return image_urls(images, self.image_base_url)

    async def _put_item(self, sku: str, body: dict[str, Any]) -> None:
        await self.http.request(
            "PUT",
            _path("inventory_item", sku),
            idempotent=True,
            json=body,
            headers=self._language(),
        )

    async def _offer(self, sku: str) -> dict[str, Any] | None:
        """The fixed-price offer for ``sku`` on this site (getOffers), or ``None``."""
        try:
            response = await self.http.request(
                "GET",
                "/offer",
                idempotent=True,
                params={"sku": sku, "marketplace_id": self.site.marketplace_id},
            )
        except MarketplaceError as error:
            if _is_not_found(error):
                return None
            raise
        offers = response.json().get("offers") or []
        for offer in offers:
            if (
                offer.get("sku") == sku
                and offer.get("marketplaceId", self.site.marketplace_id) == self.site.marketplace_id
                and offer.get("format", "FIXED_PRICE") == "FIXED_PRICE"
            ):
                return dict(offer)
        return None

    async def _create_offer(self, draft: ListingDraft) -> str:
        body = offer_payload(draft, self.listing_settings)

        async def create() -> str:
            try:
                response = await self.http.request(
                    "POST", "/offer", idempotent=False, json=body, headers=self._language()
                )
            except OfferExistsError as exists:
                logger.info("ebay: offer %s already exists for the SKU; using it", exists.offer_id)
                return exists.offer_id
            return str(response.json()["offerId"])

        async def lookup() -> str | None:
            offer = await self._offer(draft.sku)
            return str(offer["offerId"]) if offer is not None else None

        return await create_once(create, lookup)

    def _listing_url(self, listing_id: str | None) -> str | None:
        if not listing_id:
            return None
        if self.sandbox:
            return f"https://sandbox.ebay.com/itm/{listing_id}"
        return self.site.item_url + listing_id

    def _missing(self, sku: str) -> MarketplaceError:
        return MarketplaceError(
            f"ebay has no offer for the SKU {sku!r} on {self.site.marketplace_id}; "
            "publish it first (upsert)",
            marketplace=self.name,
            status=404,
        )

    def _state(
        self, sku: str, item: Mapping[str, Any], offer: Mapping[str, Any] | None
    ) -> ListingState:
        product = item.get("product") or {}
        listing = (offer or {}).get("listing") or {}
        status = (offer or {}).get("status")
        if status == "PUBLISHED" and listing.get("listingStatus") != "ENDED":
            state = "active"
        elif listing.get("listingId"):
            state = "withdrawn"  # was live once; its offer is unpublished now
        else:
            state = "draft"
        stock = (offer or {}).get("availableQuantity")
        if stock is None:
            ship = (item.get("availability") or {}).get("shipToLocationAvailability") or {}
            stock = ship.get("quantity")
        price = ((offer or {}).get("pricingSummary") or {}).get("price")
        listing_id = listing.get("listingId")
        return ListingState(
            marketplace=self.name,
            sku=sku,
            state=state,
            stock=int(stock) if stock is not None else None,
            price=Money(Decimal(price["value"]), price["currency"]) if price else None,
            images=tuple(product.get("imageUrls") or ()),
            url=self._listing_url(str(listing_id) if listing_id else None),
            extra={
                "offerId": (offer or {}).get("offerId"),
                "listingId": listing_id,
                "status": status,
                "listingStatus": listing.get("listingStatus"),
                "marketplaceId": (offer or {}).get("marketplaceId"),
            },
        )


def _secret(value: Secret | str) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


def _is_not_found(error: MarketplaceError) -> bool:
    if error.status == 404:
        return True
    return (
        error.status == 400
        and error.code is not None
        and error.code.isdigit()
        and (int(error.code) in _NOT_FOUND)
    )


def _aspect_issues(text: LocalizedText) -> list[ListingIssue]:
    issues = []
    for attribute in text.attributes:
        name, value = attribute.label.strip(), attribute.value.strip()
        if len(name) > ASPECT_NAME_MAX or len(value) > ASPECT_VALUE_MAX:
            issues.append(
                ListingIssue(
                    f"texts[{text.locale}].attributes.{attribute.key}",
                    f"eBay item specifics take names up to {ASPECT_NAME_MAX} and values up to "
                    f"{ASPECT_VALUE_MAX} characters; {name!r} ({len(name)}) = {value!r} "
                    f"({len(value)}) is left out of the item specifics",
                    "shorten it in the catalogue to show it as an item specific; it stays in "
                    "the description either way",
                    IssueSeverity.WARNING,
                )
            )
    return issues

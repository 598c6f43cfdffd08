"""The WooCommerce adapter: a Driver with WooCommerce's settings, auth and calls."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any, ClassVar

import httpx

from ruralseller.catalog import Money
from ruralseller.errors import (
    ListingRejectedError,
    MarketplaceError,
    MarketplaceUnavailableError,
)
from ruralseller.listing import (
    IssueSeverity,
    ListingDraft,
    ListingIssue,
    ProcessedImage,
    validate_draft,
)
from ruralseller.marketplaces.base import Capabilities, ListingState, guard_answers, image_name
from ruralseller.marketplaces.driver import Driver
from ruralseller.marketplaces.http import create_once
from ruralseller.marketplaces.woocommerce.auth import (
    WooCommerceBasicAuth,
    _new_nonce,
    _RoutedAuth,
    store_auth,
)
from ruralseller.marketplaces.woocommerce.constants import (
    _NAME,
    _STATES,
    API_ROOT,
    BATCH_LIMIT,
    DEFAULT_RATE,
    MEDIA_ROOT,
    WOOCOMMERCE_TIMEOUT,
)
from ruralseller.marketplaces.woocommerce.errors import (
    _chunks,
    _classify,
    _image_names,
    _item_error,
    _SkuTakenError,
)
from ruralseller.marketplaces.woocommerce.orders import WooCommerceOrders
from ruralseller.marketplaces.woocommerce.payloads import (
    MediaImage,
    product_payload,
    stock_payload,
)
from ruralseller.marketplaces.woocommerce.settings import (
    WooCommerceSettings,
)

__all__ = [
    "WooCommerceMarketplace",
]

logger = logging.getLogger("ruralseller.marketplaces")

# --- the adapter -----------------------------------------------------------------------------


@guard_answers
class WooCommerceMarketplace(WooCommerceOrders, Driver[WooCommerceSettings]):
    """Publishes to a WooCommerce store (REST API v3).

    Its settings are :class:`WooCommerceSettings`; the wiring (``retry``, ``rate``,
    ``transport``, ``timeout``, ``sleep``, ``clock``) is the
    :class:`~ruralseller.marketplaces.driver.Driver`'s: creates are never retried blindly
    (see the module docs); ``rate`` is shared by every adapter on this store; reads are long
    by default (:data:`WOOCOMMERCE_TIMEOUT`); ``clock`` times OAuth 1.0a signatures.
    It takes orders in (:class:`~ruralseller.marketplaces.woocommerce.orders.WooCommerceOrders`).

    Args:
        nonce: makes OAuth 1.0a nonces; injectable for tests.
    """

    name: ClassVar[str] = _NAME
    capabilities: ClassVar[Capabilities] = Capabilities(
        image_upload=True,
        native_idempotency=False,
        withdraw=True,
        stock_and_price=True,
    )

    settings_class: ClassVar[type[WooCommerceSettings]] = WooCommerceSettings
    default_rate: ClassVar[float] = DEFAULT_RATE
    default_timeout: ClassVar[httpx.Timeout] = WOOCOMMERCE_TIMEOUT

    def __init__(self, *args: Any, nonce: Callable[[], str] = _new_nonce, **kwargs: Any) -> None:
        self._nonce = nonce
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        """The store's settings as attributes."""
        settings = self.settings
        self.base_url = settings.base_url
        self.currency = settings.currency
        self.locale = settings.locale
        self.category_ids = settings.category_ids
        self.shipping_classes = dict(settings.shipping_classes)
        self.weight_unit = settings.weight_unit
        self.withdraw_status = settings.withdraw_status

    def make_auth(self) -> httpx.Auth:
        """Basic on HTTPS, OAuth 1.0a on HTTP; the media library by application password."""
        settings = self.settings
        media: httpx.Auth | None = None
        if settings.media_username is not None and settings.media_password is not None:
            media = WooCommerceBasicAuth(
                settings.media_username,
                settings.media_password,
                what="WordPress application password",
            )
        store = store_auth(
            self.base_url,
            settings.consumer_key,
            settings.consumer_secret,
            clock=self.clock,
            nonce=self._nonce,
        )
        return _RoutedAuth(store, media)

    def account_key(self) -> str:
        """The store and (a digest of) its key."""
        digest = hashlib.sha256(self.settings.consumer_key.reveal().encode()).hexdigest()
        return f"{self.base_url} {digest[:12]}"

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """WordPress's error bodies."""
        return _classify(response, secrets=tuple(self.secrets()))

    def __repr__(self) -> str:
        return (
            f"WooCommerceMarketplace(base_url={self.base_url!r}, currency={self.currency!r}, "
            f"locale={self.locale!r})"
        )

    # --- checks -------------------------------------------------------------------------------

    async def store_currency(self) -> str:
        """The store's currency: as configured, else asked of the store once."""
        if self.currency is None:
            response = await self.http.request(
                "GET", f"{API_ROOT}/settings/general/woocommerce_currency", idempotent=True
            )
            self.currency = str(response.json()["value"]).upper()
        return self.currency

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """The listing profile's issues, and what this store would get wrong.

        Beyond the profile: the text in the store's locale, the price in the store's currency,
        and a SKU without commas (``?sku=a,b`` asks WooCommerce for two SKUs).
        """
        issues = list(validate_draft(draft, self.profile))
        try:
            draft.text(self.locale)
        except KeyError:
            issues.append(
                ListingIssue(
                    f"texts[{self.locale}]",
                    f"the store shows {self.locale} text; the draft has {', '.join(draft.texts)}",
                    f"generate the listing in {self.locale}, or set locale= to one it has",
                )
            )
        currency = await self.store_currency()
        if draft.price.currency != currency:
            issues.append(
                ListingIssue(
                    "price",
                    f"the price is in {draft.price.currency}; this store sells in {currency}",
                    f"price the lot in {currency}; WooCommerce shows every price in the store's "
                    "currency and would not convert it",
                )
            )
        if "," in draft.sku:
            issues.append(
                ListingIssue(
                    "sku",
                    f"the SKU {draft.sku!r} has a comma, which WooCommerce's SKU search reads as "
                    "a list of SKUs",
                    "use a lot code without commas",
                )
            )
        return tuple(issues)

    async def _refuse_invalid(self, draft: ListingDraft) -> None:
        errors = [i for i in await self.validate(draft) if i.severity is IssueSeverity.ERROR]
        if errors:
            fields = {issue.field: f"{issue.message} (fix: {issue.fix})" for issue in errors}
            listed = "; ".join(f"{issue.field}: {issue.message}" for issue in errors)
            raise ListingRejectedError(
                f"{_NAME} would not sell listing {draft.sku} as it is: {listed}; fix these and "
                "publish again (checked before sending; nothing was sent)",
                field_errors=fields,
                marketplace=_NAME,
                code="ruralseller_profile",
            )

    whoami_call: ClassVar[str] = "GET /wp-json/wc/v3/products?per_page=1"

    async def whoami(self) -> str:
        """List one product (WooCommerce REST API v3, ``GET /products``): changes nothing.

        It needs the consumer key and secret (signed with OAuth 1.0a over plain HTTP), with
        at least read permission; whether the key may also write is not checked, as that
        would take a write. Returns the store's address.
        """
        response = await self.http.request(
            "GET", f"{API_ROOT}/products", idempotent=True, params={"per_page": "1"}
        )
        if not isinstance(response.json(), list):  # not a WooCommerce store answering
            raise TypeError("the answer to GET /products is not a list")
        return self.base_url

    # --- reads --------------------------------------------------------------------------------

    async def _find(self, sku: str) -> dict[str, Any] | None:
        response = await self.http.request(
            "GET", f"{API_ROOT}/products", idempotent=True, params={"sku": sku}
        )
        found = [p for p in response.json() if isinstance(p, dict) and p.get("sku") == sku]
        return found[0] if found else None

    async def _find_many(self, skus: Sequence[str]) -> dict[str, int]:
        if not skus:
            return {}
        response = await self.http.request(
            "GET",
            f"{API_ROOT}/products",
            idempotent=True,
            params={"sku": ",".join(skus), "per_page": str(BATCH_LIMIT)},
        )
        wanted = set(skus)
        return {
            p["sku"]: int(p["id"])
            for p in response.json()
            if isinstance(p, dict) and p.get("sku") in wanted
        }

    async def _require(self, sku: str) -> dict[str, Any]:
        found = await self._find(sku)
        if found is None:
            raise MarketplaceError(
                f"{_NAME} has no product with SKU {sku!r}; publish it first with upsert()",
                marketplace=_NAME,
                status=404,
            )
        return found

    async def fetch(self, sku: str) -> ListingState | None:
        """The product with SKU ``sku`` as the store holds it, or ``None``."""
        found = await self._find(sku)
        return await self._state(found) if found is not None else None

    # --- pictures -----------------------------------------------------------------------------

    async def _find_media(self, name: str) -> MediaImage | None:
        slug = name.rsplit(".", 1)[0].lower()  # WordPress makes the slug from the file name
        response = await self.http.request(
            "GET", MEDIA_ROOT, idempotent=True, params={"slug": slug}
        )
        for item in response.json():
            if isinstance(item, dict) and item.get("slug") == slug:
                return MediaImage(int(item["id"]), name, str(item.get("source_url") or ""))
        return None

    async def _post_media(self, image: ProcessedImage, name: str) -> MediaImage:
        response = await self.http.request(
            "POST",
            MEDIA_ROOT,
            idempotent=False,
            content=image.data,
            headers={
                "Content-Type": image.media_type,
                # WordPress names the file from this header (rest_upload_no_content_type and
                # rest_upload_no_content_disposition otherwise; odoo-woocommerce-sync#13).
                "Content-Disposition": f'attachment; filename="{name}"',
            },
        )
        item = response.json()
        return MediaImage(int(item["id"]), name, str(item.get("source_url") or ""))

    async def _upload_media(self, images: Sequence[ProcessedImage]) -> list[MediaImage]:
        uploaded = []
        for image in images:
            name = image_name(image)
            found = await self._find_media(name)
            if found is None:
                found = await create_once(
                    partial(self._post_media, image, name), partial(self._find_media, name)
                )
            uploaded.append(found)
        return uploaded

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Upload pictures to the media library and make them the product's pictures.

        The product's pictures become exactly these, main picture first. A picture already in
        the media library (same content) is used again, not uploaded twice.
        """
        product = await self._require(sku)
        media = await self._upload_media(images)
        alt = str(product.get("name") or "")
        body = {"images": [{"id": m.id, "name": m.name, "alt": alt} for m in media]}
        await self._put(int(product["id"]), body)
        return tuple(m.name for m in media)

    # --- writes -------------------------------------------------------------------------------

    def _payload(self, draft: ListingDraft, media: Sequence[MediaImage]) -> dict[str, Any]:
        return product_payload(
            draft,
            locale=self.locale,
            images=media,
            category_ids=self.category_ids,
            shipping_classes=self.shipping_classes,
            weight_unit=self.weight_unit,
        )

    async def _put(self, product_id: int, body: Mapping[str, Any]) -> dict[str, Any]:
        response = await self.http.request(
            "PUT", f"{API_ROOT}/products/{product_id}", idempotent=True, json=dict(body)
        )
        result: dict[str, Any] = response.json()
        return result

    async def _create(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        try:
            response = await self.http.request(
                "POST", f"{API_ROOT}/products", idempotent=False, json=dict(payload)
            )
        except _SkuTakenError as taken:
            # The store has this SKU already (made by a create whose answer was lost, or by
            # hand): bring that product up to date instead.
            logger.info(
                "%s: SKU %s exists as product %d; updating it",
                _NAME,
                payload["sku"],
                taken.resource_id,
            )
            return await self._put(taken.resource_id, payload)
        result: dict[str, Any] = response.json()
        return result

    async def _write(self, sku: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        found = await self._find(sku)
        if found is not None:
            return await self._put(int(found["id"]), payload)
        # Found after a lost answer, the product is the one our create made from ``payload``.
        return await create_once(partial(self._create, payload), partial(self._find, sku))

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Upload the pictures, then create or update the product with ``draft.sku``.

        The draft is checked first (:meth:`validate`): a draft this store would show wrongly
        is refused with :class:`~ruralseller.errors.ListingRejectedError` before anything is
        sent.
        """
        await self._refuse_invalid(draft)
        media = await self._upload_media(images)
        product = await self._write(draft.sku, self._payload(draft, media))
        return await self._state(product)

    async def batch_upsert(
        self,
        drafts: Sequence[ListingDraft],
        images: Mapping[str, Sequence[ProcessedImage]] | None = None,
        *,
        attempts: int = 3,
    ) -> dict[str, ListingState | MarketplaceError]:
        """Create or update up to :data:`BATCH_LIMIT` products in one ``products/batch`` call.

        A batch creates, so it is never retried blindly: before each try the SKUs are looked
        up, and those the store already has are sent as updates. WooCommerce answers a batch
        with HTTP 200 and an ``error`` in each product it refused; those come back as
        :class:`~ruralseller.errors.ListingRejectedError`, the others as their state.

        Args:
            drafts: at most :data:`BATCH_LIMIT` drafts with different SKUs.
            images: the pictures of each SKU, uploaded first.
            attempts: how many batch calls to send at most.

        Returns:
            Per SKU, in the order of ``drafts``: the product's state, or the error that kept
            it out.
        """
        if len(drafts) > BATCH_LIMIT:
            raise ValueError(
                f"a WooCommerce batch takes at most {BATCH_LIMIT} products, got {len(drafts)}; "
                "use upsert_many(), which splits them"
            )
        skus = [draft.sku for draft in drafts]
        if len(set(skus)) != len(skus):
            raise ValueError("each draft in a batch needs its own SKU")
        results: dict[str, ListingState | MarketplaceError] = {}
        payloads: dict[str, dict[str, Any]] = {}
        for draft in drafts:
            try:
                await self._refuse_invalid(draft)
            except ListingRejectedError as error:
                results[draft.sku] = error
                continue
            media = await self._upload_media((images or {}).get(draft.sku, ()))
            payloads[draft.sku] = self._payload(draft, media)
        pending = list(payloads)
        known: dict[str, int] = {}  # SKUs the store said it has, with their product ids
        for attempt in range(1, attempts + 1):
            if not pending:
                break
            try:
                pending = await self._batch_round(
                    pending, payloads, results, known, last=attempt == attempts
                )
            except MarketplaceUnavailableError:
                if attempt == attempts:
                    raise
                logger.info("%s: batch answer lost; looking the SKUs up again", _NAME)
        for sku in skus:
            results.setdefault(
                sku,
                MarketplaceError(
                    f"{_NAME} did not answer for {sku} in the batch; publish it again",
                    marketplace=_NAME,
                ),
            )
        return {sku: results[sku] for sku in skus}

    async def _batch_round(
        self,
        pending: Sequence[str],
        payloads: Mapping[str, Mapping[str, Any]],
        results: dict[str, ListingState | MarketplaceError],
        known: dict[str, int],
        *,
        last: bool,
    ) -> list[str]:
        """Send one batch; record what it did; return the SKUs to send again as updates."""
        existing = await self._find_many([sku for sku in pending if sku not in known])
        existing |= {sku: known[sku] for sku in pending if sku in known}
        creates = [sku for sku in pending if sku not in existing]
        updates = [sku for sku in pending if sku in existing]
        body = {
            "create": [payloads[sku] for sku in creates],
            "update": [{"id": existing[sku], **payloads[sku]} for sku in updates],
        }
        response = await self.http.request(
            "POST", f"{API_ROOT}/products/batch", idempotent=False, json=body
        )
        answer = response.json()
        again: list[str] = []
        for kind, sent in (("create", creates), ("update", updates)):
            for sku, item in zip(sent, answer.get(kind, []), strict=False):
                if not isinstance(item, dict):
                    continue
                if not isinstance(item.get("error"), dict):
                    results[sku] = await self._state(item)
                    continue
                refused = _item_error(sku, item)
                if isinstance(refused, _SkuTakenError) and not last:
                    # The store has it (made by a lost try, by hand, or in the bin, where the
                    # SKU search does not look): update that product next round.
                    known[sku] = refused.resource_id
                    again.append(sku)
                else:
                    results[sku] = refused
        return again

    async def upsert_many(
        self,
        drafts: Sequence[ListingDraft],
        images: Mapping[str, Sequence[ProcessedImage]] | None = None,
    ) -> dict[str, ListingState | MarketplaceError]:
        """Create or update any number of products, :data:`BATCH_LIMIT` per batch call.

        See :meth:`batch_upsert` for what each SKU's result is.
        """
        results: dict[str, ListingState | MarketplaceError] = {}
        for chunk in _chunks(drafts, BATCH_LIMIT):
            results.update(await self.batch_upsert(chunk, images))
        return results

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock, and the price when given (in the store's currency).

        Only what differs from the product as the store holds it is written (one ``PUT``, or
        none when nothing changed).
        """
        if price is not None:
            currency = await self.store_currency()
            if price.currency != currency:
                raise ListingRejectedError(
                    f"{_NAME} sells in {currency}, not {price.currency}: give the price of "
                    f"{sku} in {currency}",
                    field_errors={"price": f"in {price.currency}, the store sells in {currency}"},
                    marketplace=_NAME,
                    code="ruralseller_currency",
                )
        product = await self._require(sku)
        now = await self._state(product)
        if price is not None and now.price == price:
            price = None  # unchanged: only the stock is written
        if price is None and now.stock == stock and product.get("manage_stock"):
            return now  # nothing changed: nothing is written
        return await self._state(await self._put(int(product["id"]), stock_payload(stock, price)))

    async def withdraw(self, sku: str) -> ListingState:
        """Take the product off sale: status ``private`` (or ``draft``, as configured)."""
        product = await self._require(sku)
        if product.get("status") != self.withdraw_status:
            product = await self._put(int(product["id"]), {"status": self.withdraw_status})
        return await self._state(product)

    async def aclose(self) -> None:
        """Close the connections."""
        await self.http.aclose()

    async def _state(self, product: Mapping[str, Any]) -> ListingState:
        status = str(product.get("status") or "")
        price = product.get("regular_price")
        names = _image_names(product.get("images"))
        return ListingState(
            marketplace=self.name,
            sku=str(product["sku"]),
            state=_STATES.get(status, "draft"),
            version=str(product["date_modified_gmt"]) if product.get("date_modified_gmt") else None,
            stock=product.get("stock_quantity"),
            price=Money(str(price), await self.store_currency()) if price else None,
            images=names,
            url=str(product["permalink"]) if product.get("permalink") else None,
            extra={
                "id": product.get("id"),
                "status": status,
                "stock_status": product.get("stock_status"),
            },
        )

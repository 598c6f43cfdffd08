"""The Shopee adapter: a Driver with Shopee's settings, auth and calls."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import httpx

from ruralseller.catalog import Money
from ruralseller.errors import (
    InvalidValueError,
    MarketplaceAuthError,
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
from ruralseller.marketplaces.secrets import Secret
from ruralseller.marketplaces.shopee.constants import (
    _ADD_ITEM,
    _BASE_INFO,
    _BASE_INFO_BATCH,
    _REFRESH_MARGIN,
    _REFRESH_PATH,
    _SEARCH_ITEM,
    _SEARCH_PAGE,
    _SEARCH_PAGES_MAX,
    _UNLIST_ITEM,
    _UPDATE_ITEM,
    _UPDATE_PRICE,
    _UPDATE_STOCK,
    _UPLOAD_IMAGE,
    SHOPEE_DEFAULT_RATE,
    SHOPEE_PRODUCTION_URL,
    SHOPEE_SANDBOX_URL,
)
from ruralseller.marketplaces.shopee.errors import (
    _RedactHttpxLog,
    _TokenRejectedError,
    shopee_error,
)
from ruralseller.marketplaces.shopee.orders import ShopeeOrders
from ruralseller.marketplaces.shopee.payloads import (
    _text,
    add_item_payload,
    item_weight_kg,
    shopee_price,
    stock_payload,
    unlist_payload,
    update_item_payload,
    update_price_payload,
)
from ruralseller.marketplaces.shopee.regions import (
    _region,
)
from ruralseller.marketplaces.shopee.settings import (
    _LIVE_STATUSES,
    _STATES,
    ShopeeSettings,
)
from ruralseller.marketplaces.shopee.signing import (
    ShopeeAuth,
    ShopeeTokens,
)

__all__ = [
    "ShopeeMarketplace",
]

logger = logging.getLogger("ruralseller.marketplaces")

# --- the adapter -----------------------------------------------------------------------------


@guard_answers
class ShopeeMarketplace(ShopeeOrders, Driver[ShopeeSettings]):
    """Publishes to one Shopee shop through Open Platform v2.

    Its settings are :class:`ShopeeSettings`; the wiring (``retry``, ``rate``, ``transport``,
    ``timeout``, ``sleep``, ``clock``) is the :class:`~ruralseller.marketplaces.driver.Driver`'s:
    ``rate`` is requests per second to stay under (:data:`SHOPEE_DEFAULT_RATE`), shared by
    every adapter for the same host and shop; ``clock`` times signatures and token expiry.
    It takes orders in (:class:`~ruralseller.marketplaces.shopee.orders.ShopeeOrders`).

    Args:
        on_token_refresh: called with the new :class:`ShopeeTokens` after each refresh, so
            they can be stored (Shopee hands out a new refresh token each time).
    """

    name: ClassVar[str] = "shopee"
    capabilities: ClassVar[Capabilities] = Capabilities(
        multi_step_publish=True,
        image_upload=True,
        native_idempotency=False,
        withdraw=True,
        stock_and_price=True,
    )

    settings_class: ClassVar[type[ShopeeSettings]] = ShopeeSettings
    default_rate: ClassVar[float] = SHOPEE_DEFAULT_RATE

    def __init__(
        self,
        *args: Any,
        on_token_refresh: Callable[[ShopeeTokens], None] | None = None,
        **kwargs: Any,
    ) -> None:
        self._on_token_refresh = on_token_refresh
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        """The shop's settings as attributes, and its tokens."""
        settings = self.settings
        self.region = _region(settings.region)
        self.partner_id = settings.partner_id
        self.shop_id = settings.shop_id
        self.category_id = settings.category_id
        self.logistic_ids = settings.logistic_ids
        self.locale = settings.locale
        self.brand_id = settings.brand_id
        self.brand_name = settings.brand_name
        self.attributes = dict(settings.attributes)
        default_url = SHOPEE_SANDBOX_URL if settings.sandbox else SHOPEE_PRODUCTION_URL
        self.base_url = (settings.base_url or default_url).rstrip("/")
        self.tokens = ShopeeTokens(
            access_token=settings.access_token,
            refresh_token=settings.refresh_token,
            expires_at=settings.token_expires_at,
        )
        self._partner_key = settings.partner_key
        self._clock = self.clock
        self._refresh_lock = asyncio.Lock()
        self._image_ids: dict[str, str] = {}

    def make_auth(self) -> httpx.Auth:
        """Shopee's v2 signature (:class:`ShopeeAuth`)."""
        return ShopeeAuth(
            self.partner_id,
            self._partner_key,
            shop_id=self.shop_id,
            tokens=self.tokens,
            clock=self.clock,
        )

    def account_key(self) -> str:
        """The host and the shop."""
        return f"{self.base_url} {self.shop_id}"

    def secrets(self) -> list[Secret]:
        """The partner key (the tokens, which change, are scrubbed by :meth:`classify`)."""
        return [self._partner_key]

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """Shopee's errors, in the body (:func:`shopee_error`)."""
        return shopee_error(response, secrets=self._secrets())

    def connected(self) -> None:
        """Scrub the access token, which Shopee wants in the URL, from httpx's log."""
        self._log_filter = _RedactHttpxLog(self)
        logging.getLogger("httpx").addFilter(self._log_filter)

    def __repr__(self) -> str:
        return (
            f"ShopeeMarketplace(base_url={self.base_url!r}, partner_id={self.partner_id!r}, "
            f"shop_id={self.shop_id!r}, region={self.region.code!r})"
        )

    def _secrets(self) -> list[Secret]:
        tokens = [self.tokens.access_token, self.tokens.refresh_token]
        return [self._partner_key, *(t for t in tokens if t is not None)]

    def _options(self) -> dict[str, Any]:
        return {
            "category_id": self.category_id,
            "logistic_ids": self.logistic_ids,
            "region": self.region.code,
            "locale": self.locale,
            "brand_id": self.brand_id,
            "brand_name": self.brand_name,
            "attributes": self.attributes,
        }

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """The issues Shopee would refuse or warn about, checked locally.

        The ``shopee`` profile's checks for the text sent (see ``locale``), plus this shop's:
        the price in the region's currency (whole units where Shopee takes no cents) and a
        weight Shopee can ship by.
        """
        try:
            locale = _text(draft, self.region, self.locale).locale
        except InvalidValueError as error:
            issues = [ListingIssue("texts", error.message, error.hint)]
            locale = None
        else:
            issues = []
        issues += validate_draft(draft, self.profile, locale=locale)
        for check in (
            lambda: shopee_price(draft.price, self.region),
            lambda: item_weight_kg(draft),
        ):
            try:
                check()
            except InvalidValueError as error:
                field = error.field or ""
                # The profile already says when the currency is not one Shopee sells in.
                if not any(i.field == field and i.severity is IssueSeverity.ERROR for i in issues):
                    issues.append(ListingIssue(field, error.message, error.hint))
        return tuple(issues)

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Create the item for ``draft.sku`` or bring it up to date, with pictures, on sale.

        A create whose answer is lost is looked up by SKU before it is sent again, so a
        retry never makes a second item.
        """
        options = self._options()
        add_item_payload(draft, image_ids=["-"], **options)  # refuse a bad draft before sending
        image_ids = await self._upload(images)
        found = await self._find(draft.sku)
        if found is None:
            body = add_item_payload(draft, image_ids=image_ids, **options)

            async def create() -> int:
                response = await self._call("POST", _ADD_ITEM, idempotent=False, json=body)
                return int(response.json()["response"]["item_id"])

            async def lookup() -> int | None:
                item = await self._find(draft.sku)
                return None if item is None else int(item["item_id"])

            item_id = await create_once(create, lookup)
        else:
            item_id = int(found["item_id"])
            body = update_item_payload(item_id, draft, image_ids=image_ids, **options)
            await self._call("POST", _UPDATE_ITEM, idempotent=True, json=body)
            now = self._state(found)
            await self._set_stock_and_price(item_id, draft.stock, draft.price, now=now)
            if found.get("item_status") == "UNLIST":
                await self._unlist(item_id, unlist=False)
        return await self._state_of(item_id, draft.sku)

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Upload pictures and make them the item's pictures (in order); return their ids."""
        item = await self._require(sku)
        image_ids = await self._upload(images)
        if image_ids:
            body = {"item_id": int(item["item_id"]), "image": {"image_id_list": list(image_ids)}}
            await self._call("POST", _UPDATE_ITEM, idempotent=True, json=body)
        return image_ids

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock, and the price when given (in the region's currency).

        Only what differs from the item as Shopee holds it is written: a stock-only change is
        one ``update_stock``, a price-only change one ``update_price``.
        """
        if price is not None:
            shopee_price(price, self.region)  # refuse a wrong currency before sending
        item = await self._require(sku)
        item_id = int(item["item_id"])
        await self._set_stock_and_price(item_id, stock, price, now=self._state(item))
        return await self._state_of(item_id, sku)

    async def withdraw(self, sku: str) -> ListingState:
        """Take the item off sale (``unlist_item``); repeating it changes nothing."""
        item = await self._require(sku)
        item_id = int(item["item_id"])
        if item.get("item_status") != "UNLIST":
            await self._unlist(item_id, unlist=True)
        return await self._state_of(item_id, sku)

    async def fetch(self, sku: str) -> ListingState | None:
        """The item listed under ``sku``, or ``None`` when the shop has none."""
        item = await self._find(sku)
        return None if item is None else self._state(item)

    async def aclose(self) -> None:
        """Close the connections."""
        logging.getLogger("httpx").removeFilter(self._log_filter)
        await self.http.aclose()

    # --- requests ----------------------------------------------------------------------------

    async def _call(  # noqa: PLR0913 - keyword-only, as the HTTP layer's own
        self,
        method: str,
        path: str,
        *,
        idempotent: bool,
        json: Any = None,
        params: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        wrapped: bool = True,
    ) -> httpx.Response:
        """Send a shop call; refresh the access token when it expired, and send it again.

        ``wrapped``: the answer carries Shopee's ``response`` object (all but a few calls).
        """
        if self._token_expired():
            await self._refresh(self.tokens.access_token)
        used = self.tokens.access_token
        kwargs = {"json": json, "params": params, "content": content, "headers": headers}
        try:
            response = await self.http.request(method, path, idempotent=idempotent, **kwargs)
        except _TokenRejectedError:
            if self.tokens.refresh_token is None:
                raise
            await self._refresh(used)
            response = await self.http.request(method, path, idempotent=idempotent, **kwargs)
        return self._with_response(response, path) if wrapped else response

    whoami_call: ClassVar[str] = "GET /api/v2/shop/get_shop_info"

    async def whoami(self) -> str:
        """Read the shop's name, region and status (v2.shop.get_shop_info): changes nothing.

        The call is signed with the partner key, the access token and the shop id (the
        token is refreshed first when it expired), so each is checked. Unlike most v2
        calls it answers its fields at the top level (``shop_name``, ``region``,
        ``status``); a shop whose status is not ``NORMAL`` (``BANNED``, ``FROZEN``) is
        reported as a permission problem. The endpoint and its fields are partly verified:
        they agree with public Shopee v2 clients, not with a vendored copy of Shopee's docs.
        """
        response = await self._call(
            "GET", "/api/v2/shop/get_shop_info", idempotent=True, wrapped=False
        )
        body = response.json()
        info = body["response"] if isinstance(body.get("response"), dict) else body
        name, status = str(info["shop_name"]), str(info.get("status") or "NORMAL")
        if status != "NORMAL":
            raise MarketplaceAuthError(
                f"shopee accepted the credentials, but the shop {name} is {status}: it may "
                "not sell until Shopee lifts that (see the Seller Centre)",
                marketplace=self.name,
                status=403,
                code=f"shop_{status.lower()}",
            )
        return f"{name} ({info.get('region', self.settings.region)})"

    def _with_response(self, response: httpx.Response, path: str) -> httpx.Response:
        """``response``, when it carries Shopee's ``response`` object; else a clear error.

        Every successful v2 shop call answers ``{"error": "", "response": {...}}``. Without
        it nothing can be told of what Shopee did (a search without it is not "nothing
        found"), so the call fails as a marketplace error rather than a ``KeyError``.
        """
        try:
            body = response.json()
        except (ValueError, UnicodeDecodeError):
            body = None
        if isinstance(body, dict) and isinstance(body.get("response"), dict):
            return response
        raise MarketplaceError(
            f"shopee answered {path} without its 'response' object; nothing is assumed "
            "about what it did: try again later (report it if it keeps happening) "
            f"[HTTP {response.status_code}]",
            marketplace=self.name,
            status=response.status_code,
            code="unexpected_answer",
            request_id=body.get("request_id") if isinstance(body, dict) else None,
        )

    def _token_expired(self) -> bool:
        expires_at = self.tokens.expires_at
        return (
            self.tokens.refresh_token is not None
            and expires_at is not None
            and self._clock() >= expires_at - _REFRESH_MARGIN
        )

    async def _refresh(self, stale: Secret) -> None:
        """Get a new access token with the refresh token (``v2.auth.access_token.get``)."""
        async with self._refresh_lock:
            if self.tokens.access_token != stale:
                return  # another task refreshed it while this one waited
            refresh_token = self.tokens.refresh_token
            if refresh_token is None:  # pragma: no cover - callers check first
                return
            body = {
                "refresh_token": refresh_token.reveal(),
                "partner_id": self.partner_id,
                "shop_id": self.shop_id,
            }
            response = await self.http.request("POST", _REFRESH_PATH, idempotent=True, json=body)
            answer = response.json()
            self.tokens.access_token = Secret(str(answer["access_token"]))
            if answer.get("refresh_token"):
                self.tokens.refresh_token = Secret(str(answer["refresh_token"]))
            expire_in = answer.get("expire_in")
            self.tokens.expires_at = (
                self._clock() + float(expire_in) if expire_in is not None else None
            )
            logger.info("shopee: renewed the access token of shop %s", self.shop_id)
            if self._on_token_refresh is not None:
                self._on_token_refresh(self.tokens)

    async def _upload(self, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Upload each picture once per adapter (by content name); return the image ids."""
        ids = []
        for image in images:
            name = image_name(image)
            if name not in self._image_ids:
                form = httpx.Request(
                    "POST",
                    "https://form.invalid",
                    files={"image": (name, image.data, image.media_type)},
                )
                content = form.read()
                # Repeating an upload only leaves an unused picture in Shopee's media space.
                response = await self._call(
                    "POST",
                    _UPLOAD_IMAGE,
                    idempotent=True,
                    content=content,
                    headers={"Content-Type": form.headers["Content-Type"]},
                )
                info = response.json()["response"]["image_info"]
                self._image_ids[name] = str(info["image_id"])
            ids.append(self._image_ids[name])
        return tuple(ids)

    async def _find(self, sku: str) -> dict[str, Any] | None:
        """The item whose ``item_sku`` is exactly ``sku`` (search, then base info)."""
        item_ids: list[int] = []
        offset = 0
        for _ in range(_SEARCH_PAGES_MAX):
            params: dict[str, Any] = {
                "item_sku": sku,
                "page_size": _SEARCH_PAGE,
                "offset": offset,
                "item_status": list(_LIVE_STATUSES),
            }
            response = await self._call("GET", _SEARCH_ITEM, idempotent=True, params=params)
            page = response.json().get("response") or {}
            item_ids += [int(i) for i in page.get("item_id_list") or ()]
            if not page.get("has_next_page"):
                break
            offset = int(page.get("next_offset") or offset + _SEARCH_PAGE)
        matches = [item for item in await self._base_info(item_ids) if item.get("item_sku") == sku]
        if len(matches) > 1:
            logger.warning(
                "shopee: %d items carry SKU %s; using the oldest (%s)",
                len(matches),
                sku,
                min(int(m["item_id"]) for m in matches),
            )
        return min(matches, key=lambda m: int(m["item_id"])) if matches else None

    async def _base_info(self, item_ids: Sequence[int]) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for start in range(0, len(item_ids), _BASE_INFO_BATCH):
            batch = item_ids[start : start + _BASE_INFO_BATCH]
            params = {"item_id_list": ",".join(str(i) for i in batch)}
            response = await self._call("GET", _BASE_INFO, idempotent=True, params=params)
            items += (response.json().get("response") or {}).get("item_list") or []
        return items

    async def _require(self, sku: str) -> dict[str, Any]:
        item = await self._find(sku)
        if item is None:
            raise MarketplaceError(
                f"shopee shop {self.shop_id} has no item with SKU {sku!r}; publish it first "
                "(upsert), or check the SKU",
                marketplace=self.name,
                code="not_found",
            )
        return item

    async def _set_stock_and_price(
        self, item_id: int, stock: int, price: Money | None, *, now: ListingState | None = None
    ) -> None:
        if now is None or now.stock != stock:
            body = stock_payload(item_id, stock)
            await self._call("POST", _UPDATE_STOCK, idempotent=True, json=body)
        if price is not None and (now is None or now.price != price):
            body = update_price_payload(item_id, price, self.region.code)
            await self._call("POST", _UPDATE_PRICE, idempotent=True, json=body)

    async def _unlist(self, item_id: int, *, unlist: bool) -> None:
        response = await self._call(
            "POST", _UNLIST_ITEM, idempotent=True, json=unlist_payload(item_id, unlist=unlist)
        )
        failures = (response.json().get("response") or {}).get("failure_list") or []
        if failures:
            reason = "; ".join(str(f.get("failed_reason", "")) for f in failures)
            raise MarketplaceError(
                f"shopee could not {'unlist' if unlist else 'relist'} item {item_id}: {reason}",
                marketplace=self.name,
                code="unlist_failed",
            )

    async def _state_of(self, item_id: int, sku: str) -> ListingState:
        items = await self._base_info([item_id])
        if not items:
            raise MarketplaceUnavailableError(
                f"shopee did not show item {item_id} ({sku}) right after writing it; fetch it "
                "again in a moment",
                marketplace=self.name,
            )
        return self._state(items[0])

    def _state(self, item: Mapping[str, Any]) -> ListingState:
        status = str(item.get("item_status", ""))
        prices = item.get("price_info") or []
        price = None
        if prices:
            first = prices[0]
            currency = str(first.get("currency") or self.region.currency)
            price = Money(Decimal(str(first["original_price"])), currency)
        summary = (item.get("stock_info_v2") or {}).get("summary_info") or {}
        stock = summary.get("total_available_stock")
        item_id = int(item["item_id"])
        return ListingState(
            marketplace=self.name,
            sku=str(item.get("item_sku", "")),
            state=_STATES.get(status, "withdrawn"),
            version=str(item["update_time"]) if item.get("update_time") is not None else None,
            stock=int(stock) if stock is not None else None,
            price=price,
            images=tuple((item.get("image") or {}).get("image_id_list") or ()),
            # The buyer page's path is as Shopee's sites link items (unverified).
            url=f"https://{self.region.site}/product/{self.shop_id}/{item_id}",
            extra={"item_id": item_id, "item_status": status, "region": self.region.code},
        )

"""The Etsy adapter: a Driver with Etsy's settings, auth and calls."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import urlencode

import httpx

from ruralseller.catalog import Money
from ruralseller.errors import (
    InvalidValueError,
    MarketplaceAuthError,
    MarketplaceError,
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
from ruralseller.marketplaces.etsy.auth import (
    EtsyAuth,
    EtsyTokens,
)
from ruralseller.marketplaces.etsy.errors import (
    classify_response,
)
from ruralseller.marketplaces.etsy.orders import EtsyOrders
from ruralseller.marketplaces.etsy.payloads import (
    _english,
    _extra,
    _who_when,
    create_listing_form,
    inventory_payload,
    sku_tag,
    update_listing_form,
)
from ruralseller.marketplaces.etsy.settings import (
    _OUR_STATE,
    _PAGE,
    _QUOTA_HEADERS,
    _STATES,
    ETSY_RATE,
    ETSY_TOKEN_PATH,
    EtsySettings,
)
from ruralseller.marketplaces.http import (
    create_once,
)
from ruralseller.marketplaces.secrets import Secret

__all__ = [
    "EtsyMarketplace",
]

# --- the adapter ----------------------------------------------------------------------------


def _money(value: Any) -> Money | None:
    """Our money from Etsy's ``Money`` (amount in minor units, divisor, currency_code)."""
    if not isinstance(value, dict):
        return None
    divisor = int(value.get("divisor") or 1)
    amount = Decimal(int(value["amount"])) / Decimal(divisor)
    places = len(str(divisor)) - 1 if str(divisor).strip("0") == "1" else 2
    return Money(amount.quantize(Decimal(1).scaleb(-places)), str(value["currency_code"]))


@guard_answers
class EtsyMarketplace(EtsyOrders, Driver[EtsySettings]):
    """Publishes listings to one Etsy shop through the Open API v3.

    Its settings are :class:`EtsySettings`; the wiring (``retry``, ``rate``, ``transport``,
    ``timeout``, ``sleep``, ``clock``) is the :class:`~ruralseller.marketplaces.driver.Driver`'s:
    a create is never retried blindly (see :meth:`upsert`), and ``rate`` is requests per
    second for this app (Etsy's default is 10, "Rate limits"), shared by every adapter of
    the app.

    It takes the shop's orders in too (:class:`~ruralseller.marketplaces.etsy.orders.EtsyOrders`).

    Args:
        on_tokens: called with every fresh :class:`EtsyTokens`, to store the new refresh token.
    """

    name: ClassVar[str] = "etsy"
    capabilities: ClassVar[Capabilities] = Capabilities(
        multi_step_publish=True,
        image_upload=True,
        native_idempotency=False,
        withdraw=True,
        stock_and_price=True,
    )
    settings_class: ClassVar[type[EtsySettings]] = EtsySettings
    default_rate: ClassVar[float] = ETSY_RATE

    def __init__(
        self, *args: Any, on_tokens: Callable[[EtsyTokens], None] | None = None, **kwargs: Any
    ) -> None:
        self._on_tokens = on_tokens
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        """The shop's ids, the auth and the caches, from the settings."""
        settings = self.settings
        self.shop_id = settings.shop_id
        self.taxonomy_id = settings.taxonomy_id
        self.shipping_profile_id = settings.shipping_profile_id
        self.readiness_state_id = settings.readiness_state_id
        self.currency = settings.currency
        self.base_url = settings.base_url
        self.auth = EtsyAuth(
            settings.keystring,
            settings.refresh_token,
            shared_secret=settings.shared_secret,
            token_url=settings.token_url or self.base_url + ETSY_TOKEN_PATH,
            access_token=settings.access_token,
            clock=self.clock,
            on_tokens=self._on_tokens,
        )
        #: The rate-limit headers of Etsy's last answer (``x-remaining-today``...).
        self.quota: dict[str, str] = {}
        self._listing_ids: dict[str, int] = {}

    def make_auth(self) -> httpx.Auth:
        """Etsy's ``x-api-key`` and OAuth 2.0 bearer (:class:`EtsyAuth`)."""
        return self.auth

    def account_key(self) -> str:
        """The app: Etsy counts per app (keystring), not per shop ("Rate limits").

        Keyed by a digest, so the keystring is not kept in one more place.
        """
        digest = hashlib.sha256(self.settings.keystring.reveal().encode()).hexdigest()
        return f"{self.base_url} {digest}"

    def connected(self) -> None:
        """Keep Etsy's rate-limit headers of every answer in :attr:`quota`."""
        self.http.client.event_hooks["response"].append(self._note_quota)

    def secrets(self) -> list[Secret]:
        """Every credential the auth holds now (tokens are renewed)."""
        return list(self.auth.secrets)

    # --- checks ---------------------------------------------------------------------------

    def classify(self, response: httpx.Response) -> MarketplaceError | None:
        """Etsy's own error bodies and rate-limit headers (:func:`classify_response`)."""
        return classify_response(response, secrets=self.auth.secrets)

    async def _note_quota(self, response: httpx.Response) -> None:
        for header in _QUOTA_HEADERS:
            if header in response.headers:
                self.quota[header] = response.headers[header]

    def _taxonomy(self, draft: ListingDraft) -> int:
        taxonomy = _extra(draft).get("taxonomy_id", self.taxonomy_id)
        if taxonomy is None:
            raise InvalidValueError(
                "Etsy needs a category (taxonomy_id) for every listing",
                field="taxonomy_id",
                hint="pass taxonomy_id= to EtsyMarketplace, or set "
                "draft.extra['etsy']['taxonomy_id'] (see getSellerTaxonomyNodes)",
            )
        return int(taxonomy)

    def _shipping_profile(self) -> int:
        if self.shipping_profile_id is None:
            raise InvalidValueError(
                "Etsy requires a shipping profile for physical listings "
                "(createDraftListing: shipping_profile_id)",
                field="shipping_profile_id",
                hint="set the etsy shipping_profile_id setting to one of the shop's shipping "
                "profiles (getShopShippingProfiles)",
            )
        return self.shipping_profile_id

    def _readiness(self) -> int:
        if self.readiness_state_id is None:
            raise InvalidValueError(
                "Etsy requires a processing profile for every offering of a physical listing "
                "(updateListingInventory: offerings[].readiness_state_id)",
                field="readiness_state_id",
                hint="set the etsy readiness_state_id setting to one of the shop's processing "
                "profiles (getShopReadinessStateDefinitions)",
            )
        return self.readiness_state_id

    async def validate(self, draft: ListingDraft) -> tuple[ListingIssue, ...]:
        """The issues Etsy would refuse or warn about, checked locally (English text)."""
        issues = list(validate_draft(draft, self.profile, locale="en"))
        checks: list[Callable[[], object]] = [
            lambda: sku_tag(draft.sku),
            lambda: self._taxonomy(draft),
            self._shipping_profile,
            self._readiness,
            lambda: _who_when(draft),
            lambda: _english(draft),
            lambda: self._check_currency(draft.price),
        ]
        for check in checks:
            try:
                check()
            except InvalidValueError as error:
                issues.append(
                    ListingIssue(
                        error.field or "listing", error.message, error.hint, IssueSeverity.ERROR
                    )
                )
        return tuple(issues)

    def _check_currency(self, price: Money) -> None:
        if self.currency is not None and price.currency != self.currency:
            raise InvalidValueError(
                f"the price is in {price.currency}, but this Etsy shop sells in "
                f"{self.currency} and Etsy takes prices only in the shop's currency",
                field="price",
                hint=f"price the draft in {self.currency}",
            )

    # --- requests -------------------------------------------------------------------------

    whoami_call: ClassVar[str] = "GET /v3/application/users/me"

    async def whoami(self) -> str:
        """Ask Etsy whose token this is (getMe, Open API v3): changes nothing.

        The call needs the API key (keystring and shared secret) and an OAuth token (the
        refresh token is exchanged first). The token must belong to the ``shop_id`` set: a
        token of another shop is refused as a permission problem (HTTP 403), since every
        write would be refused too.
        """
        body = await self._get("/v3/application/users/me")
        user_id, shop_id = int(body["user_id"]), body.get("shop_id")
        if shop_id is None or int(shop_id) != self.shop_id:
            owner = f"shop {shop_id}" if shop_id is not None else "no shop"
            raise MarketplaceAuthError(
                f"etsy accepted the credentials of user {user_id}, who has {owner}, not "
                f"shop_id {self.shop_id}: set shop_id to the user's shop, or sign in as the "
                "shop's owner",
                marketplace=self.name,
                status=403,
            )
        return f"user {user_id}, shop {shop_id}"

    def _shop(self, *rest: str | int) -> str:
        return "/".join(["/v3/application/shops", str(self.shop_id), *map(str, rest)])

    async def _form(
        self, method: str, url: str, form: Mapping[str, str], *, idempotent: bool
    ) -> Any:
        response = await self.http.request(
            method,
            url,
            idempotent=idempotent,
            content=urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        return response.json()

    async def _get(self, url: str, params: Mapping[str, Any] | None = None) -> Any:
        return (await self.http.request("GET", url, idempotent=True, params=params)).json()

    async def _get_or_none(self, url: str) -> Any:
        try:
            return await self._get(url)
        except MarketplaceError as error:
            if error.status == 404:  # Not Found
                return None
            raise

    def _is_ours(self, listing: Mapping[str, Any], sku: str) -> bool:
        return any(str(t).casefold() == sku.casefold() for t in listing.get("tags") or ())

    async def _find(self, sku: str) -> dict[str, Any] | None:
        """Our listing for ``sku``: by the id seen before, else by scanning the shop's tags."""
        known = self._listing_ids.get(sku)
        if known is not None:
            listing = await self._get_or_none(f"/v3/application/listings/{known}")
            if isinstance(listing, dict) and self._is_ours(listing, sku):
                return listing
            del self._listing_ids[sku]
        for state in _STATES:
            offset = 0
            while True:
                page = await self._get(
                    self._shop("listings"), {"state": state, "limit": _PAGE, "offset": offset}
                )
                results = page.get("results") or []
                for listing in results:
                    if self._is_ours(listing, sku):
                        self._listing_ids[sku] = int(listing["listing_id"])
                        return dict(listing)
                offset += len(results)
                if not results or offset >= int(page.get("count", 0)):
                    break
        return None

    async def _require(self, sku: str) -> dict[str, Any]:
        listing = await self._find(sku)
        if listing is None:
            raise MarketplaceError(
                f"etsy has no listing with SKU {sku!r} in shop {self.shop_id}; publish it "
                "with upsert() first",
                marketplace=self.name,
                status=404,
            )
        return listing

    async def _create(self, form: Mapping[str, str]) -> dict[str, Any]:
        # Not idempotent: Etsy has no idempotency key, so a lost answer is reconciled by
        # create_once's lookup, never by sending it again blind.
        listing: dict[str, Any] = await self._form(
            "POST", self._shop("listings"), form, idempotent=False
        )
        return listing

    async def _update(self, listing_id: int, form: Mapping[str, str]) -> dict[str, Any]:
        listing: dict[str, Any] = await self._form(
            "PATCH", self._shop("listings", listing_id), form, idempotent=True
        )
        return listing

    async def _put_inventory(self, listing_id: int, body: dict[str, Any]) -> dict[str, Any]:
        response = await self.http.request(
            "PUT", f"/v3/application/listings/{listing_id}/inventory", idempotent=True, json=body
        )
        inventory: dict[str, Any] = response.json()
        return inventory

    async def _images(self, listing_id: int) -> list[dict[str, Any]]:
        page = await self._get(f"/v3/application/listings/{listing_id}/images")
        return sorted(page.get("results") or [], key=lambda image: int(image.get("rank", 0)))

    async def _upload(self, listing_id: int, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        names = []
        for rank, image in enumerate(images, start=1):
            name = image_name(image)
            # overwrite=true replaces whatever picture holds this rank (spec,
            # uploadListingImage), so sending it again never adds a second copy.
            built = httpx.Request(
                "POST",
                self.base_url,
                data={"rank": str(rank), "overwrite": "true"},
                files={"image": (name, image.data, image.media_type)},
            )
            await self.http.request(
                "POST",
                self._shop("listings", listing_id, "images"),
                idempotent=True,
                content=built.read(),
                headers={"Content-Type": built.headers["Content-Type"]},
            )
            names.append(name)
        return tuple(names)

    async def _trim_images(self, listing_id: int, keep: int) -> None:
        """Delete pictures ranked after the ``keep`` the draft has."""
        for image in await self._images(listing_id):
            if int(image.get("rank", 0)) > keep:
                try:
                    await self.http.request(
                        "DELETE",
                        self._shop("listings", listing_id, "images", image["listing_image_id"]),
                        idempotent=True,
                    )
                except MarketplaceError as error:
                    if error.status != 404:  # already gone: what we wanted
                        raise

    async def _state(
        self,
        sku: str,
        listing: Mapping[str, Any],
        inventory: Mapping[str, Any] | None = None,
        images: Sequence[Mapping[str, Any]] | None = None,
    ) -> ListingState:
        listing_id = int(listing["listing_id"])
        if inventory is None:
            inventory = await self._get(f"/v3/application/listings/{listing_id}/inventory")
        if images is None:
            images = await self._images(listing_id)
        offerings = [
            offering
            for product in (inventory or {}).get("products", [])
            if not product.get("is_deleted")
            for offering in product.get("offerings", [])
            if offering.get("is_enabled", True) and not offering.get("is_deleted")
        ]
        stock = (
            sum(int(o.get("quantity", 0)) for o in offerings)
            if offerings
            else listing.get("quantity")
        )
        price = _money(offerings[0].get("price")) if offerings else _money(listing.get("price"))
        etsy_state = str(listing.get("state", ""))
        modified = listing.get("last_modified_timestamp")
        # Any: mypy's attrs plugin cannot solve the generic ``converter=tuple`` of ``images``.
        pictures = tuple(
            str(image.get("url_fullxfull") or image["listing_image_id"]) for image in images
        )
        return ListingState(
            marketplace=self.name,
            sku=sku,
            state=_OUR_STATE.get(etsy_state, "withdrawn"),
            version=str(modified) if modified is not None else None,
            stock=stock,
            price=price,
            images=pictures,
            url=listing.get("url"),
            extra={"listing_id": listing_id, "shop_id": self.shop_id, "etsy_state": etsy_state},
        )

    # --- the protocol ---------------------------------------------------------------------

    async def upsert(
        self, draft: ListingDraft, images: Sequence[ProcessedImage] = ()
    ) -> ListingState:
        """Create or update the listing for ``draft.sku``, upload its pictures, activate it.

        A new listing is created as a draft (``createDraftListing``) through
        :func:`~ruralseller.marketplaces.http.create_once`: when the answer is lost, the
        shop's listings are searched for the SKU tag before anything is sent again. Then the
        inventory gets our SKU, stock and price, the pictures are uploaded by rank (replacing
        what was there; surplus ones are deleted), and ``updateListing`` sets
        ``state=active``. Activating a sold-out or expired listing is a renewal, which Etsy
        charges for.

        Raises:
            InvalidValueError: when the draft cannot be mapped (no English text, no
                taxonomy or shipping profile, a SKU that cannot be a tag, a price in another
                currency).
        """
        self._check_currency(draft.price)
        taxonomy = self._taxonomy(draft)
        shipping_profile = self._shipping_profile()
        self._readiness()
        listing = await self._find(draft.sku)
        existed = listing is not None
        if listing is None:
            form = create_listing_form(
                draft,
                taxonomy_id=taxonomy,
                shipping_profile_id=shipping_profile,
                readiness_state_id=self.readiness_state_id,
            )
            listing = await create_once(lambda: self._create(form), lambda: self._find(draft.sku))
        else:
            form = update_listing_form(
                draft, taxonomy_id=taxonomy, shipping_profile_id=self.shipping_profile_id
            )
            listing = await self._update(int(listing["listing_id"]), form)
        listing_id = int(listing["listing_id"])
        self._listing_ids[draft.sku] = listing_id
        body = inventory_payload(
            draft.sku, draft.stock, draft.price, readiness_state_id=self._readiness()
        )
        inventory = (
            await self._get(f"/v3/application/listings/{listing_id}/inventory") if existed else None
        )
        if not self._inventory_holds(inventory, body):  # only a change is written
            inventory = await self._put_inventory(listing_id, body)
        await self._upload(listing_id, images)
        await self._trim_images(listing_id, len(images))
        if listing.get("state") != "active":
            listing = await self._update(listing_id, {"state": "active"})
        return await self._state(draft.sku, listing, inventory)

    @staticmethod
    def _inventory_holds(inventory: Any, body: Mapping[str, Any]) -> bool:
        """Whether Etsy's inventory already has the product and offering ``body`` writes."""
        want = body["products"][0]
        offer = want["offerings"][0]
        products = [
            p
            for p in (inventory or {}).get("products", [])
            if isinstance(p, dict) and not p.get("is_deleted")
        ]
        if len(products) != 1 or products[0].get("sku") != want["sku"]:
            return False
        offerings = [o for o in products[0].get("offerings", []) if not o.get("is_deleted")]
        if len(offerings) != 1:
            return False
        price = _money(offerings[0].get("price"))
        return (
            offerings[0].get("quantity") == offer["quantity"]
            and bool(offerings[0].get("is_enabled", True))
            and price is not None
            and float(price.amount) == offer["price"]
        )

    async def upload_images(self, sku: str, images: Sequence[ProcessedImage]) -> tuple[str, ...]:
        """Upload pictures to the listing, ranked in order (replacing those ranks)."""
        listing = await self._require(sku)
        return await self._upload(int(listing["listing_id"]), images)

    async def set_stock(self, sku: str, stock: int, price: Money | None = None) -> ListingState:
        """Change the stock, and the price when given, in the listing's inventory.

        Nothing is written when the inventory already holds that stock and price.
        """
        if price is not None:
            self._check_currency(price)
        listing = await self._require(sku)
        listing_id = int(listing["listing_id"])
        current = await self._state(sku, listing)
        if price is None:
            price = current.price
            if price is None:  # pragma: no cover - Etsy listings always have a price
                raise MarketplaceError("etsy returned a listing without a price", status=None)
        if current.stock == stock and current.price == price:
            return current
        body = inventory_payload(sku, stock, price, readiness_state_id=self._readiness())
        inventory = await self._put_inventory(listing_id, body)
        listing = await self._get(f"/v3/application/listings/{listing_id}")
        return await self._state(sku, listing, inventory)

    async def withdraw(self, sku: str) -> ListingState:
        """Take the listing off sale (``state=inactive``); it can be activated again."""
        listing = await self._require(sku)
        listing_id = int(listing["listing_id"])
        if listing.get("state") != "inactive":
            listing = await self._update(listing_id, {"state": "inactive"})
        return await self._state(sku, listing)

    async def fetch(self, sku: str) -> ListingState | None:
        """The listing as Etsy holds it, or ``None`` when the shop has none with the SKU."""
        listing = await self._find(sku)
        return None if listing is None else await self._state(sku, listing)
